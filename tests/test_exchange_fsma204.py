# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import openpyxl

from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import fsma204
from .exchange_common import ExchangeCase


@at_install(False)
@post_install(True)
class TestExchangeFsma204(ExchangeCase):
    """get_fsma204_rows and the spreadsheet of a lot's real flow."""

    @classmethod
    def setUpClass(cls):
        super(TestExchangeFsma204, cls).setUpClass()
        cls.supplier.write({'street': '1 Farm Road', 'zip': '1000', 'city': 'Greenfield'})
        cls.customer.write({'street': '5 Market Street', 'city': 'Shoptown'})
        cls.warehouse.partner_id.write({'name': 'Our Dairy', 'street': '9 Dock Lane',
                                        'street2': False, 'zip': '2000', 'city': 'Milton',
                                        'state_id': False, 'country_id': False})

    def setUp(self):
        super(TestExchangeFsma204, self).setUp()
        self._exchange_flow()
        self.rows = self.lot.get_fsma204_rows()

    def test_one_row_per_critical_tracking_event(self):
        """Receiving, transformation, shipping; the transfer and the scrap are no CTE."""
        self.assertEqual([(row[fsma204.EVENT], row[fsma204.LOT_CODE], row[fsma204.QUANTITY])
                          for row in self.rows], [
            ('Receiving', 'TRACE-1', 20.0), ('Transformation', 'DRINK-1', 12.0),
            ('Shipping', 'TRACE-1', 8.0)])
        self.assertTrue(all(set(row) <= set(fsma204.COLUMNS) for row in self.rows))

    def test_receiving_row(self):
        """Receiving: where, when, from whom, the lot code's source, the purchase order."""
        row = self.rows[0]
        self.assertEqual(row[fsma204.PRODUCT], 'Tracked Milk Powder')
        self.assertEqual(row[fsma204.UNIT], 'Unit(s)')
        self.assertEqual(row[fsma204.LOCATION], 'Our Dairy, 9 Dock Lane, 2000 Milton')
        self.assertEqual(row[fsma204.PREVIOUS_SOURCE],
                         'Test Supplier, 1 Farm Road, 1000 Greenfield')
        self.assertEqual(row[fsma204.LOT_CODE_SOURCE], row[fsma204.PREVIOUS_SOURCE])
        self.assertEqual((row[fsma204.DOCUMENT_TYPE], row[fsma204.DOCUMENT_NUMBER]),
                         ('Purchase Order', self.order.name))
        date = self.order.picking_ids.move_line_ids.date
        self.assertEqual(row[fsma204.DATE], date.replace(' ', 'T') + 'Z')

    def test_transformation_row(self):
        """Transformation: the new lot, the lots used, our site as the lot code's source."""
        row = self.rows[1]
        self.assertEqual(row[fsma204.PRODUCT], 'Milk Drink')
        self.assertEqual(row[fsma204.UNIT], 'Liter(s)')
        self.assertEqual(row[fsma204.INPUT_LOT_CODES], 'TRACE-1')
        self.assertEqual(row[fsma204.LOT_CODE_SOURCE], 'Our Dairy, 9 Dock Lane, 2000 Milton')

    def test_shipping_row(self):
        """Shipping: to whom, the delivery order as reference."""
        row = self.rows[2]
        self.assertEqual(row[fsma204.SUBSEQUENT_RECIPIENT],
                         'Test Customer, 5 Market Street, Shoptown')
        self.assertNotIn(fsma204.PREVIOUS_SOURCE, row)
        self.assertEqual((row[fsma204.DOCUMENT_TYPE], row[fsma204.DOCUMENT_NUMBER]),
                         ('Advance Shipping Notice', self.delivery.name))

    def test_returns_are_receiving_and_shipping(self):
        """A customer return is a receiving, a vendor return a shipping."""
        self._return(self.delivery, self.lot, 2)
        self._return(self.order.picking_ids.filtered(
            lambda picking: picking.picking_type_code == 'incoming'), self.lot, 1)
        events = [row[fsma204.EVENT] for row in self.lot.get_fsma204_rows()]
        self.assertEqual(events[-2:], ['Receiving', 'Shipping'])

    def test_xlsx_export_has_the_rows(self):
        """The XLSX file a stock user exports: the header row, then the three events."""
        export = self.env['stock.lot.exchange.export'].sudo(self.clerk).create({
            'lot_ids': [(6, 0, self.lot.ids)], 'export_format': 'fsma204_xlsx'})
        export.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(
            base64.b64decode(export.attachment_id.datas))).active
        table = list(sheet.iter_rows(values_only=True))
        self.assertEqual(table[0], fsma204.COLUMNS)
        self.assertEqual([line[1] for line in table[1:]], ['TRACE-1', 'DRINK-1', 'TRACE-1'])
        self.assertTrue(export.attachment_id.name.endswith('.xlsx'))

    def test_date_range_limits_the_rows(self):
        """Rows only for the events in the period."""
        rows = self.lot.get_fsma204_rows(date_from=self.delivery.move_line_ids.date)
        self.assertEqual([row[fsma204.EVENT] for row in rows], ['Shipping'])

    def test_period_ending_before_it_starts_is_refused(self):
        """An export period ending before it starts is refused."""
        with self.assertRaisesRegex(ValidationError, 'ends'):
            self.env['stock.lot.exchange.export'].create({
                'lot_ids': [(6, 0, self.lot.ids)], 'date_from': '2026-02-01 00:00:00',
                'date_to': '2026-01-01 00:00:00'})
        with self.assertRaisesRegex(ValidationError, 'ends'):
            self.env['stock.lot.exchange.export'].export_lots(
                self.lot, '2026-02-01 00:00:00', '2026-01-01 00:00:00')
