# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestLotCertificate(LotTrackingCase):
    """Certificates of lots: validity and the "Certificate expired" filter."""

    @classmethod
    def setUpClass(cls):
        super(TestLotCertificate, cls).setUpClass()
        cls.lot = cls._create_lot('CERT-LOT')
        cls.Certificate = cls.env['stock.lot.certificate']

    def day(self, offset):
        """An ORM date string ``offset`` days from the user's today (their time zone's,
        as the certificate reckons it, which is not the server's around midnight)."""
        today = fields.Date.from_string(fields.Date.context_today(self.Certificate))
        return fields.Date.to_string(today + timedelta(days=offset))

    def _certificate(self, name, valid_from=False, valid_to=False, lot=None):
        return self.Certificate.create({
            'name': name, 'lot_id': (lot or self.lot).id, 'issuer': 'Test Lab',
            'valid_from': valid_from, 'valid_to': valid_to})

    def test_valid_within_dates(self):
        """A certificate is valid from its first to its last day, both included."""
        self.assertTrue(self._certificate('C1', self.day(-10), self.day(10)).is_valid)
        self.assertTrue(self._certificate('C2', self.day(0), self.day(0)).is_valid)
        self.assertFalse(self._certificate('C3', self.day(0), self.day(0)).is_expired)

    def test_expired_and_not_yet_valid(self):
        """Past its last day a certificate is expired; before its first day not yet valid."""
        expired = self._certificate('C1', self.day(-30), self.day(-1))
        self.assertFalse(expired.is_valid)
        self.assertTrue(expired.is_expired)
        future = self._certificate('C2', self.day(1), self.day(30))
        self.assertFalse(future.is_valid)
        self.assertFalse(future.is_expired)

    def test_open_ended(self):
        """Without dates a certificate is valid and never expires."""
        certificate = self._certificate('C1')
        self.assertTrue(certificate.is_valid)
        self.assertFalse(certificate.is_expired)

    def test_validity_is_searchable(self):
        """is_valid and is_expired can be searched both ways."""
        valid = self._certificate('C1', self.day(-1), self.day(1))
        expired = self._certificate('C2', self.day(-9), self.day(-2))
        future = self._certificate('C3', self.day(2))
        mine = [('lot_id', '=', self.lot.id)]
        self.assertEqual(self.Certificate.search(mine + [('is_valid', '=', True)]), valid)
        self.assertEqual(self.Certificate.search(mine + [('is_valid', '=', False)]),
                         expired | future)
        self.assertEqual(self.Certificate.search(mine + [('is_expired', '=', True)]), expired)
        self.assertEqual(self.Certificate.search(mine + [('is_expired', '!=', True)]),
                         valid | future)

    def test_lot_shows_expired_certificate(self):
        """A lot with an expired certificate is flagged and found by the filter."""
        other = self._create_lot('CERT-OK')
        self._certificate('C-OK', self.day(-5), self.day(5), lot=other)
        self.assertFalse(self.lot.certificate_expired)
        self._certificate('C-OLD', self.day(-400), self.day(-35))
        self.assertTrue(self.lot.certificate_expired)
        self.assertFalse(other.certificate_expired)
        Lot = self.env['stock.production.lot']
        mine = [('id', 'in', (self.lot | other).ids)]
        self.assertEqual(Lot.search(mine + [('certificate_expired', '=', True)]), self.lot)
        self.assertEqual(Lot.search(mine + [('certificate_expired', '=', False)]), other)

    def test_filter_in_lot_search_view(self):
        """The lot list offers the "Certificate expired" filter on that field; the lot
        form shows it (the list keeps to the essential columns)."""
        arch = self.env['stock.production.lot'].fields_view_get(view_type='search')['arch']
        self.assertIn('string="Certificate expired"', arch)
        self.assertIn("('certificate_expired', '=', True)", arch)
        form = self.env['stock.production.lot'].fields_view_get(
            view_id=self.env.ref('stock.view_production_lot_form').id, view_type='form')
        self.assertIn('certificate_expired', form['fields'])

    def test_dates_in_wrong_order_refused(self):
        """A validity ending before it starts is refused, naming certificate and lot."""
        with self.assertRaises(ValidationError) as error:
            self._certificate('C-BAD', self.day(5), self.day(1))
        self.assertIn('C-BAD', error.exception.name)
        self.assertIn('CERT-LOT', error.exception.name)

    def test_attachment_and_chatter(self):
        """The certificate file is kept and its addition logged on the lot."""
        lot = self.lot.with_context(tracking_disable=False)
        certificate = self.Certificate.with_context(tracking_disable=False).create({
            'name': 'C-PDF', 'lot_id': lot.id, 'issuer': 'Eurofins',
            'valid_to': self.day(100), 'attachment': base64.b64encode(b'%PDF-1.4 test'),
            'attachment_name': 'coa.pdf'})
        self.assertEqual(base64.b64decode(certificate.attachment), b'%PDF-1.4 test')
        body = self.lot.message_ids[0].body
        self.assertIn('C-PDF', body)
        self.assertIn('Eurofins', body)
