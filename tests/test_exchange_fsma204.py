# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
from datetime import datetime

import openpyxl

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import fsma204
from .exchange_common import WAREHOUSE_GLN, ExchangeCase

OUR_DAIRY = ('Our Dairy', '+1 555 0199', '9 Dock Lane', 'Milton', '', '2000', '')
SUPPLIER = ('Test Supplier', '+1 555 0100', '1 Farm Road, Barn 2', 'Greenfield',
            'California', '1000', 'United States')


@at_install(False)
@post_install(True)
class TestExchangeFsma204(ExchangeCase):
    """get_fsma204_rows and the spreadsheet of a lot's real flow."""

    @classmethod
    def setUpClass(cls):
        super(TestExchangeFsma204, cls).setUpClass()
        cls.supplier.write({
            'phone': '+1 555 0100', 'street': '1 Farm Road', 'street2': 'Barn 2',
            'zip': '1000', 'city': 'Greenfield', 'state_id': cls.env.ref('base.state_us_5').id,
            'country_id': cls.env.ref('base.us').id})
        cls.customer.write({'street': '5 Market Street', 'city': 'Shoptown', 'phone': False,
                            'mobile': False})
        cls.warehouse.partner_id.write({'name': 'Our Dairy', 'phone': '+1 555 0199',
                                        'street': '9 Dock Lane', 'street2': False,
                                        'zip': '2000', 'city': 'Milton',
                                        'state_id': False, 'country_id': False})

    def setUp(self):
        super(TestExchangeFsma204, self).setUp()
        self._exchange_flow()
        self.rows = self.lot.get_fsma204_rows()

    def _location(self, row, location):
        return tuple(row[column] for column in fsma204.location_columns(location))

    def _export(self, export_format='fsma204_xlsx', **vals):
        """The file a stock user exports of the lot, as bytes."""
        export = self.env['stock.lot.exchange.export'].sudo(self.clerk).create(dict(
            {'lot_ids': [(6, 0, self.lot.ids)], 'export_format': export_format}, **vals))
        export.action_export()
        return base64.b64decode(export.attachment_id.datas)

    def _workbook(self, **vals):
        return openpyxl.load_workbook(io.BytesIO(self._export(**vals)))

    def test_one_row_per_critical_tracking_event(self):
        """Receiving, transformation, shipping; the transfer and the scrap are no CTE;
        each row has its tab's columns only."""
        self.assertEqual([(row[fsma204.EVENT], row.get(fsma204.LOT_CODE)
                           or row[fsma204.NEW_LOT_CODE], row[fsma204.QUANTITY])
                          for row in self.rows], [
            ('Receiving', 'TRACE-1', 20.0), ('Transformation', 'DRINK-1', 12.0),
            ('Shipping', 'TRACE-1', 8.0)])
        for row in self.rows:
            self.assertLessEqual(set(row), set(fsma204.TAB_COLUMNS[row[fsma204.EVENT]])
                                 | {fsma204.EVENT})

    def test_receiving_row(self):
        """Receiving: the vendor as previous source and lot code source, our warehouse
        as receiving location, each in its parts; the date; the purchase order."""
        row = self.rows[0]
        self.assertEqual((row[fsma204.PRODUCT], row[fsma204.UNIT]),
                         ('Tracked Milk Powder', 'Unit(s)'))
        self.assertEqual(self._location(row, fsma204.PREVIOUS_SOURCE), SUPPLIER)
        self.assertEqual(self._location(row, fsma204.RECEIVED_AT), OUR_DAIRY)
        self.assertEqual(self._location(row, fsma204.LOT_CODE_SOURCE), SUPPLIER)
        self.assertEqual(row[fsma204.LOT_CODE_SOURCE_REFERENCE], '')
        self.assertEqual((row[fsma204.DOCUMENT_TYPE], row[fsma204.DOCUMENT_NUMBER]),
                         ('Purchase Order', self.order.name))
        date = self.order.picking_ids.move_line_ids.date
        self.assertEqual(row[fsma204.DATE_RECEIVED], date.replace(' ', 'T') + 'Z')

    def test_transformation_row(self):
        """Transformation: the lot used with the quantity used, the new lot, our site
        (with its GLN) as the lot code source, the date completed."""
        row = self.rows[1]
        self.assertEqual((row[fsma204.INPUT_LOT_CODE], row[fsma204.INPUT_PRODUCT],
                          row[fsma204.INPUT_QUANTITY], row[fsma204.INPUT_UNIT]),
                         ('TRACE-1', 'Tracked Milk Powder', 4.0, 'Unit(s)'))
        self.assertEqual((row[fsma204.NEW_LOT_CODE], row[fsma204.PRODUCT],
                          row[fsma204.QUANTITY], row[fsma204.UNIT]),
                         ('DRINK-1', 'Milk Drink', 12.0, 'Liter(s)'))
        self.assertEqual(self._location(row, fsma204.LOT_CODE_SOURCE), OUR_DAIRY)
        self.assertEqual(row[fsma204.LOT_CODE_SOURCE_REFERENCE], 'GLN %s' % WAREHOUSE_GLN)
        self.assertEqual(row[fsma204.DATE_TRANSFORMED],
                         self.produced.date.replace(' ', 'T') + 'Z')

    def test_transformation_has_a_row_per_lot_used(self):
        """Two lots used, two lots made: one row per lot used and lot made, each with
        the quantity used of its lot in the whole transformation."""
        other = self._receive(self._purchase([(self.product, 6)]), [('TRACE-2', 6)])
        made, produced, consumed = self._produce([(self.lot, 2), (other, 3)], self.drink,
                                                 'DRINK-2', 10)
        second = self._create_lot('DRINK-3', product=self.drink)
        self._done_move(self.drink, 5, self.production_location, self.stock_location,
                        lot=second).write({'consume_line_ids': [(6, 0, consumed.ids)]})
        rows = [row for row in (made | second).get_fsma204_rows()
                if row[fsma204.EVENT] == fsma204.TRANSFORMATION]
        self.assertEqual(sorted((row[fsma204.NEW_LOT_CODE], row[fsma204.QUANTITY],
                                 row[fsma204.INPUT_LOT_CODE], row[fsma204.INPUT_QUANTITY])
                                for row in rows), [
            ('DRINK-2', 10.0, 'TRACE-1', 2.0), ('DRINK-2', 10.0, 'TRACE-2', 3.0),
            ('DRINK-3', 5.0, 'TRACE-1', 2.0), ('DRINK-3', 5.0, 'TRACE-2', 3.0)])

    def test_lot_made_without_traced_inputs_has_one_row(self):
        """A lot made without consumed lots: one transformation row, no lot used."""
        lot = self._create_lot('DRINK-9', product=self.drink)
        self._done_move(self.drink, 7, self.production_location, self.stock_location,
                        lot=lot)
        rows = lot.get_fsma204_rows()
        self.assertEqual([(row[fsma204.EVENT], row[fsma204.NEW_LOT_CODE]) for row in rows],
                         [('Transformation', 'DRINK-9')])
        self.assertFalse(any(rows[0].get(column) for column in (
            fsma204.INPUT_LOT_CODE, fsma204.INPUT_PRODUCT, fsma204.INPUT_QUANTITY,
            fsma204.INPUT_UNIT)))

    def test_shipping_row(self):
        """Shipping: the customer as recipient (no phone: an empty text), our warehouse
        as the location shipped from, the vendor as lot code source, the delivery."""
        row = self.rows[2]
        self.assertEqual(self._location(row, fsma204.SUBSEQUENT_RECIPIENT),
                         ('Test Customer', '', '5 Market Street', 'Shoptown', '', '', ''))
        self.assertEqual(self._location(row, fsma204.SHIPPED_FROM), OUR_DAIRY)
        self.assertEqual(self._location(row, fsma204.LOT_CODE_SOURCE), SUPPLIER)
        self.assertNotIn(fsma204.PREVIOUS_SOURCE + ' City', row)
        self.assertEqual((row[fsma204.DOCUMENT_TYPE], row[fsma204.DOCUMENT_NUMBER]),
                         ('Advance Shipping Notice', self.delivery.name))
        self.assertEqual(row[fsma204.DATE_SHIPPED],
                         self.delivery.move_line_ids.date.replace(' ', 'T') + 'Z')

    def test_foreign_customer_is_shipped_to_its_delivery_address(self):
        """A customer abroad with a delivery address: its business name, the delivery
        address's street, city, state, postal code and country."""
        foreign = self.env['res.partner'].create({
            'name': 'Maple Foods', 'is_company': True, 'phone': '+1 604 555 0101',
            'street': '1 Head Office Road', 'city': 'Toronto',
            'country_id': self.env.ref('base.ca').id})
        self.env['res.partner'].create({
            'name': 'Maple Foods Depot', 'parent_id': foreign.id, 'type': 'delivery',
            'street': '77 Harbour Street', 'city': 'Vancouver', 'zip': 'V6B 1A1',
            'state_id': self.env.ref('base.state_ca_bc').id,
            'country_id': self.env.ref('base.ca').id})
        sale = self._sell([(self.product, 2)], partner=foreign)
        self._process(sale.picking_ids, [(self.product, self.lot, 2)])
        row = self.lot.get_fsma204_rows()[-1]
        self.assertEqual(self._location(row, fsma204.SUBSEQUENT_RECIPIENT), (
            'Maple Foods', '+1 604 555 0101', '77 Harbour Street', 'Vancouver',
            'British Columbia', 'V6B 1A1', 'Canada'))

    def test_supplier_without_address_gives_empty_cells(self):
        """A vendor with no phone and no address: empty cells in the rows, the XLSX and
        the CSV, never 'False'; the tabs without rows are there with their headers."""
        bare = self.env['res.partner'].create({'name': 'Bare Farm', 'supplier': True})
        lot = self._receive(self._purchase([(self.product, 3)], supplier=bare),
                            [('BARE-1', 3)])
        row = lot.get_fsma204_rows()[0]
        self.assertEqual(self._location(row, fsma204.PREVIOUS_SOURCE),
                         ('Bare Farm', '', '', '', '', '', ''))
        workbook = openpyxl.load_workbook(io.BytesIO(fsma204.to_xlsx([row])))
        line = list(workbook['Receiving'].iter_rows(min_row=2, values_only=True))[0]
        start = fsma204.RECEIVING_COLUMNS.index(fsma204.PREVIOUS_SOURCE + ' Business Name')
        self.assertEqual(line[start:start + 7], ('Bare Farm',) + (None,) * 6)
        for name in ('Shipping', 'Transformation'):
            self.assertEqual(list(workbook[name].iter_rows(values_only=True)),
                             [fsma204.TAB_COLUMNS[name]])
        content = fsma204.to_csv([row]).decode('utf-8-sig')
        self.assertNotIn('False', content)

    def test_returns_are_receiving_and_shipping(self):
        """A customer return is a receiving, a vendor return a shipping."""
        self._return(self.delivery, self.lot, 2)
        self._return(self.order.picking_ids.filtered(
            lambda picking: picking.picking_type_code == 'incoming'), self.lot, 1)
        rows = self.lot.get_fsma204_rows()
        self.assertEqual([row[fsma204.EVENT] for row in rows][-2:], ['Receiving', 'Shipping'])
        self.assertEqual(self._location(rows[-2], fsma204.PREVIOUS_SOURCE)[0],
                         'Test Customer')
        self.assertEqual(self._location(rows[-1], fsma204.SUBSEQUENT_RECIPIENT)[0],
                         'Test Supplier')

    def test_xlsx_export_has_a_tab_per_event(self):
        """The XLSX a stock user exports: the Request sheet, then one tab per CTE with
        its header row and its lots, sortable: no merged cell, numbers, date cells."""
        workbook = self._workbook()
        self.assertEqual(workbook.sheetnames,
                         ['Request', 'Shipping', 'Receiving', 'Transformation'])
        for name, lot_names in (('Receiving', ['TRACE-1']), ('Shipping', ['TRACE-1']),
                                ('Transformation', ['TRACE-1'])):
            sheet = workbook[name]
            table = list(sheet.iter_rows(values_only=True))
            self.assertEqual(table[0], fsma204.TAB_COLUMNS[name])
            self.assertEqual([line[0] for line in table[1:]], lot_names)
            self.assertFalse(sheet.merged_cells.ranges)
            self.assertEqual(sheet.freeze_panes, 'A2')
        line = list(workbook['Transformation'].iter_rows(min_row=2, values_only=True))[0]
        record = dict(zip(fsma204.TRANSFORMATION_COLUMNS, line))
        self.assertEqual((record[fsma204.INPUT_QUANTITY], record[fsma204.NEW_LOT_CODE],
                          record[fsma204.QUANTITY]), (4, 'DRINK-1', 12))
        self.assertEqual(record[fsma204.DATE_TRANSFORMED],
                         fields.Datetime.from_string(self.produced.date))

    def test_request_sheet_says_who_asked_what(self):
        """The Request sheet: the company, the request typed, the lots asked for, the
        period, when and by whom the file was made."""
        table = dict(self._workbook(
            request_reference='FDA request 2026-17', date_from='2026-01-01 00:00:00')[
                'Request'].iter_rows(values_only=True))
        self.assertEqual(table['Company'], self.company.name)
        self.assertEqual(table['Request'], 'FDA request 2026-17')
        self.assertEqual(table['Traceability Lot Codes Requested'],
                         'TRACE-1 (Tracked Milk Powder)')
        self.assertEqual(table['Period From'], datetime(2026, 1, 1))
        self.assertEqual(table['Period To'], 'the time generated')
        self.assertDatetimeAlmostEqual(
            fields.Datetime.to_string(table['Generated At']), fields.Datetime.now())
        self.assertTrue(table['Generated By'].startswith(self.clerk.name))

    def test_csv_export_is_one_table(self):
        """The CSV a stock user exports: the event then every tab's columns, one line
        per row, the dates as ISO 8601 text."""
        table = list(csv.reader(io.StringIO(
            self._export('fsma204_csv').decode('utf-8-sig'))))
        self.assertEqual(tuple(table[0]), fsma204.CSV_COLUMNS)
        lines = [dict(zip(table[0], line)) for line in table[1:]]
        self.assertEqual([line[fsma204.EVENT] for line in lines],
                         ['Receiving', 'Transformation', 'Shipping'])
        self.assertEqual(lines[1][fsma204.INPUT_QUANTITY], '4.0')
        self.assertEqual(lines[2][fsma204.DATE_SHIPPED],
                         self.delivery.move_line_ids.date.replace(' ', 'T') + 'Z')

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
