# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from urllib.parse import parse_qs, urlsplit

from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now

GTIN = '09501101530003'


@at_install(False)
@post_install(True)
class TestExchangeQr(LotTrackingCase):
    """The lot's Digital Link as a QR code on the Certificate of Analysis and the
    lot label."""

    @classmethod
    def setUpClass(cls):
        super(TestExchangeQr, cls).setUpClass()
        cls.product.barcode = GTIN[1:]
        cls.lot = cls._create_lot('QR-1/A', life_date=days_from_now(90, hour=12))
        cls.link = 'https://id.gs1.org/01/%s/10/QR-1%%2FA?17=%s' % (
            GTIN, cls.lot.life_date[2:4] + cls.lot.life_date[5:7] + cls.lot.life_date[8:10])
        cls.coa = cls.env.ref('stock_lot_tracking.report_certificate_of_analysis_action')
        cls.label = cls.env.ref('stock_lot_tracking.report_lot_label_action')

    def test_digital_link_of_the_lot(self):
        """The lot's Digital Link: GTIN-14, lot percent-encoded, expiry as attribute."""
        self.assertEqual(self.lot._get_digital_link(), self.link)

    def test_qr_source_is_the_barcode_route(self):
        """The QR image is Odoo's /report/barcode/ route, type QR, value the link."""
        source = urlsplit(self.lot._get_digital_link_qr_src(120))
        self.assertEqual(source.path, '/report/barcode/')
        self.assertEqual(parse_qs(source.query), {
            'type': ['QR'], 'value': [self.link], 'width': ['120'], 'height': ['120']})

    def test_coa_carries_the_qr_code(self):
        """The Certificate of Analysis shows the QR code of the lot's Digital Link."""
        html = self.coa.render_qweb_html(self.lot.ids)[0].decode('utf-8')
        self.assertIn('src="/report/barcode/?type=QR&amp;value=https%3A%2F%2Fid.gs1.org'
                      '%2F01%2F09501101530003%2F10%2FQR-1%252FA%3F17%3D', html)
        self.assertIn(self.link.replace('&', '&amp;'), html)

    def test_label_carries_the_qr_code(self):
        """The lot label: product, lot and the QR code of the Digital Link."""
        html = self.label.render_qweb_html(self.lot.ids)[0].decode('utf-8')
        self.assertIn('QR-1/A', html)
        self.assertIn('Tracked Milk Powder', html)
        self.assertIn(self.lot._get_digital_link_qr_src(200).replace('&', '&amp;'), html)

    def test_qr_image_is_rendered(self):
        """The barcode route's renderer makes a PNG of the link."""
        image = self.env['ir.actions.report'].barcode('QR', self.link, width=150, height=150)
        self.assertTrue(image.startswith(b'\x89PNG'))

    def test_no_gtin_no_local_scheme_no_qr(self):
        """Without GTIN and without the company's URI prefix, no QR code is printed."""
        self.product.barcode = False
        self.env.user.company_id.epcis_uri_prefix = False
        self.assertFalse(self.lot._get_digital_link_qr_src())
        html = self.coa.render_qweb_html(self.lot.ids)[0].decode('utf-8')
        self.assertNotIn('name="digital_link"', html)

    def test_no_gtin_uses_the_local_scheme(self):
        """Without GTIN, the QR code carries the company's local URI of the lot."""
        self.product.barcode = False
        self.env.user.company_id.epcis_uri_prefix = 'https://trace.example.com'
        self.assertEqual(self.lot._get_digital_link(),
                         'https://trace.example.com/product/%d/lot/QR-1%%2FA' % self.product.id)
