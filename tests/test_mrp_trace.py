# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Traceability through Odoo's manufacturing: run on a database with ``mrp``."""
from odoo.tests.common import at_install, post_install

from .trace_common import TraceCase


@at_install(False)
@post_install(True)
class TestMrpTrace(TraceCase):
    """Forward and backward traces through a real manufacturing order."""

    @classmethod
    def setUpClass(cls):
        super(TestMrpTrace, cls).setUpClass()
        cls.cup = cls.env['product.product'].create({
            'name': 'Yoghurt Cup', 'type': 'product', 'tracking': 'lot',
            'invoice_policy': 'delivery', 'use_expiration_date': True, 'life_time': 20})
        cls.bom = cls.env['mrp.bom'].create({
            'product_tmpl_id': cls.cup.product_tmpl_id.id,
            'product_qty': 1.0,
            'bom_line_ids': [(0, 0, {'product_id': cls.product.id, 'product_qty': 2.0})],
        })

    def _manufacture(self, product, bom, quantity, lot_name):
        """A done manufacturing order of ``quantity`` in a new lot ``lot_name``."""
        lot = self._create_lot(lot_name, product=product)
        production = self.env['mrp.production'].create({
            'product_id': product.id, 'product_qty': quantity,
            'product_uom_id': product.uom_id.id, 'bom_id': bom.id})
        production.action_assign()
        produce = self.env['mrp.product.produce'].with_context(
            active_id=production.id, active_ids=production.ids).create({
                'product_qty': quantity, 'lot_id': lot.id})
        # the worker confirms the reserved component lots the wizard proposes
        for line in produce.produce_line_ids:
            line.qty_done = line.qty_to_consume
        produce.do_produce()
        production.button_mark_done()
        self.assertEqual(production.state, 'done')
        lines = (production.move_raw_ids | production.move_finished_ids).mapped('move_line_ids')
        self._date_lines(lines.filtered(lambda line: line.move_id in production.move_raw_ids))
        self._date_lines(lines.filtered(
            lambda line: line.move_id in production.move_finished_ids))
        return production, lot

    def setUp(self):
        super(TestMrpTrace, self).setUp()
        self.order = self._purchase([(self.product, 20)])
        self.milk = self._receive(self.order, [('MILK-1', 20)])
        self.production, self.cup_lot = self._manufacture(self.cup, self.bom, 5, 'CUP-1')
        self.sale = self._sell([(self.cup, 3)])
        self.delivery = self._process(self.sale.picking_ids, [(self.cup, self.cup_lot, 3)])

    def test_finished_lot_gets_the_consumed_lots(self):
        """The production links the consumed lot to the finished lot as component."""
        self.assertEqual(self.cup_lot.component_lot_ids, self.milk)
        consumed = self.production.move_raw_ids.mapped('move_line_ids')
        self.assertEqual(consumed.mapped('lot_id'), self.milk)
        self.assertEqual(consumed.mapped('qty_done'), [10.0])

    def test_forward_from_the_ingredient_reaches_the_customer(self):
        """Forward from the milk: the cups made from it and their delivery."""
        lines = self.milk.trace_move_lines('downstream')
        self.assertIn(self.delivery.move_line_ids, lines)
        self.assertEqual(lines.mapped('lot_id'), self.milk | self.cup_lot)
        summary = lines._get_partner_summary('customer')
        self.assertEqual([(entry['partner'], entry['lot'], entry['quantity'])
                          for entry in summary], [(self.customer, self.cup_lot, 3.0)])

    def test_backward_from_the_product_reaches_the_supplier(self):
        """Backward from the cups: the milk's receipt and supplier."""
        lines = self.cup_lot.trace_move_lines('upstream')
        self.assertIn(self.receipt_line(), lines)
        summary = lines._get_partner_summary('supplier')
        self.assertEqual(summary[0]['partner'], self.supplier)
        self.assertEqual(summary[0]['orders'], self.order)

    def test_forward_equals_odoo_report(self):
        """Odoo's report, unfolding the production as its web view does, finds the same
        lines forward from the milk's receipt."""
        report = self.env['stock.traceability.report']
        receipt = self.receipt_line()
        odoo_lines = receipt | report.get_move_lines_downstream(receipt)
        produced = odoo_lines.mapped('produce_line_ids')
        odoo_lines |= produced | report.get_move_lines_downstream(produced)
        self.assertEqual(set(self.milk.trace_move_lines('downstream').ids),
                         set(odoo_lines.ids))

    def test_two_levels(self):
        """An intermediate made from the milk, a pack made from the intermediate: the
        recall of the milk reaches the pack's customer."""
        pack = self.env['product.product'].create({
            'name': 'Cup Pack', 'type': 'product', 'tracking': 'lot'})
        pack_bom = self.env['mrp.bom'].create({
            'product_tmpl_id': pack.product_tmpl_id.id, 'product_qty': 1.0,
            'bom_line_ids': [(0, 0, {'product_id': self.cup.id, 'product_qty': 2.0})]})
        __, pack_lot = self._manufacture(pack, pack_bom, 1, 'PACK-1')
        self.assertEqual(pack_lot.component_lot_ids, self.cup_lot)
        sale = self._sell([(pack, 1)], partner=self.customer_b)
        delivery = self._process(sale.picking_ids, [(pack, pack_lot, 1)])
        lines = self.milk.trace_move_lines('downstream')
        self.assertIn(delivery.move_line_ids, lines)
        self.assertIn(self.receipt_line(), pack_lot.trace_move_lines('upstream'))

    def receipt_line(self):
        return self.order.picking_ids.move_line_ids
