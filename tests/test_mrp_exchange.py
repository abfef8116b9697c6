# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""EPCIS and FSMA 204 exports through Odoo's manufacturing: run on a database with
``mrp``."""
import io

import openpyxl

from odoo.tests.common import at_install, post_install

from ..lib import fsma204
from . import test_mrp_trace
from .epcis_oracle import context_losses, oracle_hashes
from .exchange_common import GTIN, PREFIX, ExchangeCase


@at_install(False)
@post_install(True)
class TestMrpExchange(ExchangeCase):
    """A real manufacturing order as a TransformationEvent and a transformation row."""

    _manufacture = test_mrp_trace.TestMrpTrace._manufacture

    @classmethod
    def setUpClass(cls):
        super(TestMrpExchange, cls).setUpClass()
        cls.cup = cls.env['product.product'].create({
            'name': 'Yoghurt Cup', 'type': 'product', 'tracking': 'lot',
            'invoice_policy': 'delivery'})
        cls.bom = cls.env['mrp.bom'].create({
            'product_tmpl_id': cls.cup.product_tmpl_id.id,
            'product_qty': 1.0,
            'bom_line_ids': [(0, 0, {'product_id': cls.product.id, 'product_qty': 2.0})],
        })

    def setUp(self):
        super(TestMrpExchange, self).setUp()
        self.order = self._purchase([(self.product, 20)])
        self.milk = self._receive(self.order, [('MILK-1', 20)])
        self.production, self.cup_lot = self._manufacture(self.cup, self.bom, 5, 'CUP-1')
        self.sale = self._sell([(self.cup, 3)])
        self.delivery = self._process(self.sale.picking_ids, [(self.cup, self.cup_lot, 3)])

    def test_manufacturing_order_is_a_transformation(self):
        """The manufacturing order: the milk in, the cups out, the order as prodorder."""
        events = self.milk.get_epcis_document()['epcisBody']['eventList']
        self.assertEqual([event['bizStep'] for event in events],
                         ['receiving', 'commissioning', 'shipping'])
        event = events[1]
        self.assertEqual(event['type'], 'TransformationEvent')
        self.assertEqual(event['inputQuantityList'], [{
            'epcClass': 'https://id.gs1.org/01/%s/10/MILK-1' % GTIN, 'quantity': 10.0}])
        self.assertEqual(event['outputQuantityList'], [{
            'epcClass': '%sproduct/%d/lot/CUP-1' % (PREFIX, self.cup.id), 'quantity': 5.0}])
        self.assertEqual(event['bizTransactionList'], [{
            'bizTransaction': '%sbt/prodorder/%s' % (
                PREFIX, self.production.name.replace('/', '%2F')),
            'type': 'prodorder'}])

    def test_event_ids_are_the_oracle_hashes(self):
        """Every eventID of the cups' document equals the reference implementation's,
        and the EPCIS context reads every field of the transformation."""
        document = self.cup_lot.get_epcis_document()
        self.assertEqual(oracle_hashes(document),
                         [event['eventID'] for event in document['epcisBody']['eventList']])
        self.assertEqual(context_losses(document), [])

    def test_transformation_row(self):
        """The FSMA 204 rows: the milk received, the cups made from it, shipped; the
        manufacturing order's row names the milk lot with the quantity consumed."""
        rows = self.cup_lot.get_fsma204_rows()
        self.assertEqual([(row[fsma204.EVENT], row.get(fsma204.LOT_CODE)
                           or row[fsma204.NEW_LOT_CODE]) for row in rows], [
            ('Receiving', 'MILK-1'), ('Transformation', 'CUP-1'), ('Shipping', 'CUP-1')])
        self.assertEqual((rows[1][fsma204.INPUT_LOT_CODE], rows[1][fsma204.INPUT_QUANTITY],
                          rows[1][fsma204.QUANTITY]), ('MILK-1', 10.0, 5.0))
        self.assertEqual(rows[1][fsma204.DOCUMENT_NUMBER], self.production.name)

    def test_production_of_two_lots_has_a_row_per_lot_consumed(self):
        """A manufacturing order consuming two milk lots: one transformation row per
        lot consumed, each with the quantity consumed of it, in the XLSX tab too."""
        order = self._purchase([(self.product, 8)])
        second = self._receive(order, [('MILK-2', 8)])
        # 7 cups take 14 of the milk: the 10 left of MILK-1 and 4 of MILK-2
        production, lot = self._manufacture(self.cup, self.bom, 7, 'CUP-2')
        consumed = production.move_raw_ids.mapped('move_line_ids')
        self.assertEqual(consumed.mapped('lot_id'), self.milk | second)
        rows = [row for row in lot.get_fsma204_rows()
                if row[fsma204.EVENT] == fsma204.TRANSFORMATION]
        self.assertEqual(sorted((row[fsma204.INPUT_LOT_CODE], row[fsma204.INPUT_QUANTITY])
                                for row in rows),
                         sorted((line.lot_id.name, line.qty_done) for line in consumed))
        self.assertEqual({row[fsma204.NEW_LOT_CODE] for row in rows}, {'CUP-2'})
        sheet = openpyxl.load_workbook(io.BytesIO(fsma204.to_xlsx(rows)))['Transformation']
        self.assertEqual(len(list(sheet.iter_rows(min_row=2))), len(consumed))
