# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import io

import openpyxl

from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase

XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
HEADER = ['Inventory', 'Product', 'Location', 'Lot/Serial Number', 'Checked Quantity']
FIELDS = ['inventory_id/.id', 'product_id', 'location_id/.id', 'prod_lot_id', 'product_qty']


@at_install(False)
@post_install(True)
class TestInventoryImport(LotTrackingCase):
    """Quantities per location imported into inventory lines carry a lot when tracked."""

    @classmethod
    def setUpClass(cls):
        super(TestInventoryImport, cls).setUpClass()
        cls.product.default_code = 'MILK-25'
        cls.product.lot_code_pattern = r'M-\d{3}'
        cls.shelf = cls._create_location('Shelf X1')
        cls.lot = cls._create_lot('M-001')
        cls.other_product = cls.env['product.product'].create({
            'name': 'Tracked Cocoa', 'default_code': 'COCOA-5', 'type': 'product',
            'tracking': 'lot'})
        cls.other_lot = cls._create_lot('C-9', cls.other_product)
        cls.plain_product = cls.env['product.product'].create({
            'name': 'Cardboard Box', 'default_code': 'BOX-1', 'type': 'product'})
        cls.inventory = cls.env['stock.inventory'].create({
            'name': 'Imported count', 'filter': 'partial', 'location_id': cls.shelf.id})
        cls.inventory.action_start()

    def _rows(self, rows):
        return [[self.inventory.id, code, self.shelf.id, lot, quantity]
                for code, lot, quantity in rows]

    def _csv(self, rows):
        stream = io.StringIO()
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(self._rows(rows))
        return stream.getvalue().encode('utf-8')

    def _xlsx(self, rows):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER)
        for row in self._rows(rows):
            sheet.append(row)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    def _import(self, content, file_type, file_name):
        wizard = self.env['base_import.import'].create({
            'res_model': 'stock.inventory.line', 'file': content,
            'file_type': file_type, 'file_name': file_name})
        return wizard.do(FIELDS, {'headers': True, 'separator': ',', 'quoting': '"',
                                  'encoding': 'utf-8', 'float_decimal_separator': '.',
                                  'float_thousand_separator': ''})

    def _bad_file_rows(self):
        return [
            ('MILK-25', 'M-001', 3),      # row 1: fine
            ('MILK-25', '', 4),           # row 2: no lot
            ('MILK-25', 'M-404', 2),      # row 3: unknown lot
            ('MILK-25', 'C-9', 1),        # row 4: lot of another product
            ('BOX-1', '', 12),            # row 5: not tracked, fine
            ('COCOA-5', '', 6),           # row 6: no lot
        ]

    def _assert_bad_rows_reported(self, messages):
        errors = [message for message in messages if message['type'] == 'error']
        by_row = {}
        for message in errors:
            by_row.setdefault(message['rows']['from'], []).append(message['message'])
        self.assertEqual(sorted(by_row), [1, 2, 3, 5], messages)
        self.assertIn('enter the lot', by_row[1][0])
        self.assertIn('M-404', by_row[2][0])
        self.assertIn('belongs to product', by_row[3][0])
        self.assertIn('Tracked Cocoa', by_row[5][0])
        self.assertFalse(self.inventory.line_ids, 'a refused file imports nothing')

    def test_csv_with_bad_lots_imports_nothing(self):
        """A CSV file with missing or invalid lots imports nothing and lists every bad row."""
        messages = self._import(self._csv(self._bad_file_rows()), 'text/csv', 'count.csv')
        self._assert_bad_rows_reported(messages)

    def test_xlsx_with_bad_lots_imports_nothing(self):
        """An .xlsx file with missing or invalid lots imports nothing, lists bad rows."""
        messages = self._import(self._xlsx(self._bad_file_rows()), XLSX_TYPE, 'count.xlsx')
        self._assert_bad_rows_reported(messages)

    def test_valid_file_imports_lines(self):
        """A file whose tracked lines all carry a lot of their product is imported."""
        messages = self._import(
            self._xlsx([('MILK-25', 'M-001', 3), ('BOX-1', '', 12), ('COCOA-5', 'C-9', 0)]),
            XLSX_TYPE, 'count.xlsx')
        self.assertFalse([message for message in messages if message['type'] == 'error'],
                         messages)
        lines = self.inventory.line_ids
        self.assertEqual(len(lines), 3)
        milk = lines.filtered(lambda line: line.product_id == self.product)
        self.assertEqual((milk.prod_lot_id, milk.product_qty), (self.lot, 3))
        self.inventory.action_done()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot), 3)

    def test_lot_outside_pattern_is_reported(self):
        """A lot whose code no longer matches the product's pattern is refused."""
        self.product.lot_code_pattern = r'MILK-\d{3}'
        messages = self._import(self._csv([('MILK-25', 'M-001', 3)]), 'text/csv', 'count.csv')
        self.assertIn(r'MILK-\d{3}', messages[0]['message'])
        self.assertFalse(self.inventory.line_ids)

    def test_inventory_with_lines_reports_bad_rows(self):
        """An inventory imported with its lines refuses the lines without lot, by row."""
        stream = io.StringIO()
        writer = csv.writer(stream)
        writer.writerow(
            ['Name', 'Location', 'Filter', 'Product', 'Location', 'Lot', 'Quantity'])
        writer.writerow(['Shelf X1 count', self.shelf.id, 'partial', 'MILK-25', self.shelf.id,
                         'M-001', 3])
        writer.writerow(['', '', '', 'BOX-1', self.shelf.id, '', 5])
        writer.writerow(['', '', '', 'MILK-25', self.shelf.id, '', 4])
        wizard = self.env['base_import.import'].create({
            'res_model': 'stock.inventory', 'file': stream.getvalue().encode('utf-8'),
            'file_type': 'text/csv', 'file_name': 'inventory.csv'})
        messages = wizard.do(
            ['name', 'location_id/.id', 'filter', 'line_ids/product_id',
             'line_ids/location_id/.id', 'line_ids/prod_lot_id', 'line_ids/product_qty'],
            {'headers': True, 'separator': ',', 'quoting': '"', 'encoding': 'utf-8'})
        errors = [message for message in messages if message['type'] == 'error']
        self.assertEqual([error['rows']['from'] for error in errors], [2], messages)
        self.assertFalse(self.env['stock.inventory'].search([('name', '=', 'Shelf X1 count')]))
