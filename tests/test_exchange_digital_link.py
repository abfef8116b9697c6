# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from urllib.parse import quote

from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from hypothesis import given, strategies as st

from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from ..lib import gs1
from .test_gs1 import GS, SETTINGS, biip_elements, biip_outcome, gtin
from .test_stock_lot_restock import RestockCase

LOT = st.from_regex(r'\A[!"%-?A-Z_a-z]{1,20}\Z')
DATE = st.dates(datetime.date(1980, 1, 1), datetime.date(2070, 12, 31))
DOMAIN = st.sampled_from(['https://id.gs1.org', 'https://example.com/shop',
                          'http://brand.example.org/p/x', 'HTTPS://EXAMPLE.COM'])


def biip_link_outcome(uri):
    """What biip's GS1 Digital Link parser reads in ``uri``: 'error', or the
    [(ai, date or data)] of its element strings, in AI order."""
    elements = biip_elements(GS1DigitalLinkURI.parse, uri)
    return elements if elements == 'error' else sorted(elements)


def our_link_outcome(uri):
    try:
        return sorted(gs1.parse(uri).elements)
    except gs1.GS1Error:
        return 'error'


@at_install(False)
@post_install(True)
class TestDigitalLinkParser(RestockCase):
    """GS1 Digital Link URIs read as biip's Digital Link parser reads them."""

    @SETTINGS
    @given(DOMAIN, gtin, LOT, DATE, DATE, st.booleans())
    def test_digital_link_reads_like_biip(self, domain, code, lot, expiry, production,
                                          extra_parameter):
        """A Digital Link (any domain and path prefix, lot percent-encoded, expiry and
        production date in the query, other query parameters ignored) gives the
        elements biip's Digital Link parser reads, and those of the GS1-128 string of
        the same data."""
        expiry_data, production_data = expiry.strftime('%y%m%d'), production.strftime('%y%m%d')
        uri = '%s/01/%s/10/%s?17=%s&11=%s' % (domain, code, quote(lot, safe=''),
                                              expiry_data, production_data)
        if extra_parameter:
            uri += '&linkType=gs1:pip'
        self.assertNotEqual(biip_link_outcome(uri), 'error', uri)
        self.assertEqual(our_link_outcome(uri), biip_link_outcome(uri), uri)
        element_string = '01%s10%s%s17%s11%s' % (code, lot, GS, expiry_data, production_data)
        self.assertEqual(our_link_outcome(uri), sorted(biip_outcome(element_string)), uri)

    @SETTINGS
    @given(gtin, LOT, DATE, DATE)
    def test_expiry_in_the_path_is_read_too(self, code, lot, expiry, production):
        """Labels that put the expiry in the path (``/10/LOT/17/YYMMDD``, which the
        standard keeps for the query and biip refuses) are read as the conforming
        link with the expiry in the query."""
        expiry_data, production_data = expiry.strftime('%y%m%d'), production.strftime('%y%m%d')
        path = 'https://id.gs1.org/01/%s/10/%s' % (code, quote(lot, safe=''))
        in_path = '%s/17/%s?11=%s' % (path, expiry_data, production_data)
        conforming = '%s?17=%s&11=%s' % (path, expiry_data, production_data)
        self.assertEqual(biip_link_outcome(in_path), 'error', in_path)
        self.assertEqual(our_link_outcome(in_path), biip_link_outcome(conforming), in_path)

    @SETTINGS
    @given(gtin, LOT, DATE)
    def test_written_link_reads_in_biip(self, code, lot, expiry):
        """The Digital Link the addon writes is read by biip as its GTIN, lot and
        expiry, and by the addon the same way."""
        link = gs1.digital_link(code, lot, expiry)
        expected = biip_link_outcome(link)
        self.assertEqual([ai for ai, _value in expected], ['01', '10', '17'], link)
        self.assertEqual(expected[:2], [('01', code), ('10', lot)], link)
        self.assertEqual(expected[2][1].strftime('%y%m%d'), expiry.strftime('%y%m%d'), link)
        self.assertEqual(our_link_outcome(link), expected, link)

    def test_short_gtin_in_the_path(self):
        """A GTIN-13 in the path is read as its GTIN-14, as biip pads it."""
        uri = 'https://id.gs1.org/01/5901234123457/10/A1'
        self.assertEqual(gs1.parse(uri).gtin, '05901234123457')
        self.assertEqual(our_link_outcome(uri), biip_link_outcome(uri))

    def test_malformed_links_say_why(self):
        """Links without a GS1 key, with a value missing, a wrong check digit or an
        unknown identifier are refused with the reason."""
        cases = {
            'https://example.com/products/milk': 'carries no GS1 key',
            'https://id.gs1.org/01/05901234123457/10': 'does not alternate',
            'https://id.gs1.org/01/05901234123458/10/A': 'wrong check digit',
            'https://id.gs1.org/01/05901234123457/88/A': 'unknown application identifier',
            'https://id.gs1.org/01/05901234123457?17=261341': 'not valid',
        }
        for uri, reason in cases.items():
            self.assertEqual(biip_link_outcome(uri), 'error', uri)
            with self.assertRaises(gs1.GS1Error) as error:
                gs1.parse(uri)
            self.assertIn(reason, str(error.exception), uri)

    def test_digital_link_scan_at_receipt(self):
        """A Digital Link scanned in the restock wizard fills the lot and its dates."""
        picking = self._purchase([(self.product, 6)]).picking_ids
        self.env.user.tz = 'UTC'  # the dates start at midnight in the user's zone
        wizard = self._open_wizard(picking)
        wizard.action_scan('https://brand.example.com/01/05901234123457/10/MILK%2F5'
                           '?17=261231&11=260105')
        line = wizard.line_ids
        self.assertEqual(line.lot_name, 'MILK/5')
        self.assertEqual(line.life_date, '2026-12-31 00:00:00')
        self.assertEqual(line.production_date, '2026-01-05 00:00:00')
        wizard.action_confirm()
        self.assertEqual(picking.move_line_ids.lot_id.name, 'MILK/5')

    def test_digital_link_of_another_product_is_refused(self):
        """A Digital Link of a product the receipt does not hold is refused."""
        picking = self._purchase([(self.product, 6)]).picking_ids
        wizard = self._open_wizard(picking)
        with self.assertRaisesRegex(UserError, 'has the barcode 09638507400002'):
            wizard.action_scan('https://id.gs1.org/01/09638507400002/10/X')
