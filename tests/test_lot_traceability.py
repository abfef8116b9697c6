# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .trace_common import TraceCase


@at_install(False)
@post_install(True)
class TestLotTraceability(TraceCase):
    """trace_move_lines: forward and backward over receipts, transfers, deliveries,
    returns, productions and repackaging."""

    def setUp(self):
        super(TestLotTraceability, self).setUp()
        self._full_flow()

    def _lines(self, lot):
        return self.env['stock.move.line'].search(
            [('lot_id', '=', lot.id), ('state', '=', 'done')])

    def test_receipt_gives_supplier_and_order(self):
        """The lot typed on the receipt carries the supplier and the purchase order."""
        self.assertEqual(self.lot.supplier_id, self.supplier)
        self.assertEqual(self.lot.purchase_order_id, self.order)

    def test_lot_chosen_on_receipt_gets_origin(self):
        """A lot created beforehand and chosen on the receipt line gets the origin."""
        lot = self._create_lot('TRACE-CHOSEN')
        order = self._purchase([(self.product, 4)])
        self._process(order.picking_ids, [(None, lot, 4)])
        self.assertEqual(lot.supplier_id, self.supplier)
        self.assertEqual(lot.purchase_order_id, order)

    def test_lot_origin_already_set_is_kept(self):
        """A lot that already has a supplier keeps it when received from another."""
        other = self.env['res.partner'].create({'name': 'Broker', 'supplier': True})
        lot = self._create_lot('TRACE-KEPT', supplier_id=other.id)
        order = self._purchase([(self.product, 4)])
        self._process(order.picking_ids, [(None, lot, 4)])
        self.assertEqual(lot.supplier_id, other)
        self.assertEqual(lot.purchase_order_id, order)

    def test_downstream_is_the_whole_history_of_the_lot(self):
        """Forward: receipt, transfer, deliveries, customer and vendor returns, in order."""
        lines = self.lot.trace_move_lines('downstream')
        self.assertEqual(set(lines.ids), set(self._lines(self.lot).ids))
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines.mapped('date'), sorted(lines.mapped('date')))
        self.assertIn(self.return_a.move_line_ids, lines)
        self.assertIn(self.vendor_return.move_line_ids, lines)

    def test_upstream_of_an_untransformed_lot_is_its_history(self):
        """Backward, a lot that was not made from others has its own lines only."""
        self.assertEqual(self.lot.trace_move_lines('upstream'), self._lines(self.lot).sorted(
            lambda line: (line.date, line.id)))

    def _odoo_flow(self):
        """A lot received, moved to a shelf and delivered from the shelf and the stock,
        with no return: the flow Odoo's own traceability report follows."""
        order = self._purchase([(self.product, 10)])
        lot = self._receive(order, [('TRACE-ODOO', 10)])
        self._transfer(lot, 4, self.stock_location, self.shelf)
        sale = self._sell([(self.product, 3)], partner=self.customer_b)
        self._process(sale.picking_ids, [(self.product, lot, 3)], source=self.shelf)
        sale = self._sell([(self.product, 2)])
        self._process(sale.picking_ids, [(self.product, lot, 2)])
        return lot

    def test_downstream_equals_odoo_report(self):
        """Forward from the receipt, Odoo's report finds the same lines."""
        lot = self._odoo_flow()
        receipt_line = self._lines(lot).filtered(
            lambda line: line.location_id.usage == 'supplier')
        report = self.env['stock.traceability.report']
        odoo_lines = receipt_line | report.get_move_lines_downstream(receipt_line)
        self.assertEqual(len(odoo_lines), 4)
        self.assertEqual(set(lot.trace_move_lines('downstream').ids), set(odoo_lines.ids))

    def test_upstream_equals_odoo_report(self):
        """Backward from the deliveries and the stock left, as Odoo's report starts from
        a lot, Odoo finds the same lines."""
        lot = self._odoo_flow()
        report = self.env['stock.traceability.report']
        ends = self._lines(lot).filtered(lambda line: line.location_dest_id.usage != 'internal')
        odoo_lines = ends | report.get_move_lines_upstream(ends)
        for quant in lot.quant_ids.filtered(
                lambda q: q.quantity > 0 and q.location_id.usage == 'internal'):
            into = self.env['stock.move.line'].search([
                ('location_dest_id', '=', quant.location_id.id), ('lot_id', '=', lot.id),
                ('date', '<=', quant.write_date), ('state', '=', 'done')])
            odoo_lines |= into | report.get_move_lines_upstream(into)
        self.assertEqual(len(odoo_lines), 4)
        self.assertEqual(set(lot.trace_move_lines('upstream').ids), set(odoo_lines.ids))

    def test_forward_summary_per_customer_net_of_returns(self):
        """Per customer: quantity delivered net of returns, deliveries, orders, invoices."""
        summary = self.lot.trace_move_lines('downstream')._get_partner_summary('customer')
        self.assertEqual([(entry['partner'], entry['lot'], entry['quantity'])
                          for entry in summary],
                         [(self.customer_b, self.lot, 3.0), (self.customer, self.lot, 6.0)])
        first = summary[1]
        self.assertEqual(first['pickings'], self.delivery_a | self.return_a)
        self.assertEqual(first['orders'], self.sale_a)
        self.assertEqual(first['invoices'], self.invoice_a)
        self.assertTrue(self.invoice_a.number)
        self.assertLess(first['date_first'], first['date_last'])
        self.assertFalse(summary[0]['invoices'])

    def test_backward_summary_per_supplier_net_of_vendor_returns(self):
        """Per supplier: quantity received net of vendor returns and the purchase order."""
        summary = self.lot.trace_move_lines('upstream')._get_partner_summary('supplier')
        self.assertEqual(len(summary), 1)
        self.assertEqual(summary[0]['partner'], self.supplier)
        self.assertEqual(summary[0]['quantity'], 19.0)
        self.assertEqual(summary[0]['orders'], self.order)

    def test_wrong_direction_is_refused(self):
        """A direction other than upstream / downstream is refused with the allowed ones."""
        with self.assertRaisesRegex(UserError, 'upstream, downstream'):
            self.lot.trace_move_lines('forward')

    def test_no_lot_gives_no_line(self):
        """An empty recordset traces to no line."""
        self.assertFalse(self.env['stock.production.lot'].trace_move_lines('upstream'))

    def test_production_links_downstream_from_the_production_on(self):
        """Forward from an ingredient: the product made from it, its deliveries, and
        through a second level the product made from that; not the ingredient's own
        earlier lines twice, nor the intermediate's lines before it was made."""
        mix, mix_line, consumed = self._produce([(self.lot, 4)], self.other_product(),
                                                'MIX-1', 4)
        order = self._sell([(mix.product_id, 1)], partner=self.customer_b)
        delivery = self._process(order.picking_ids, [(mix.product_id, mix, 1)])
        final, final_line, consumed_mix = self._produce(
            [(mix, 2)], self.other_product('Final Bar'), 'BAR-1', 10)
        lines = self.lot.trace_move_lines('downstream')
        self.assertIn(consumed, lines)
        self.assertIn(mix_line, lines)
        self.assertIn(delivery.move_line_ids, lines)
        self.assertIn(consumed_mix, lines)
        self.assertIn(final_line, lines)
        self.assertEqual(lines.mapped('lot_id'), self.lot | mix | final)

    def test_production_links_upstream_up_to_the_consumption(self):
        """Backward from a product: the ingredient's lines up to its consumption, not
        what was delivered of the ingredient afterwards."""
        mix, mix_line, consumed = self._produce([(self.lot, 4)], self.other_product(),
                                                'MIX-2', 4)
        later = self._sell([(self.product, 1)], partner=self.customer_b)
        later_delivery = self._process(later.picking_ids, [(self.product, self.lot, 1)])
        lines = mix.trace_move_lines('upstream')
        self.assertIn(mix_line, lines)
        self.assertIn(consumed, lines)
        self.assertIn(self.receipt_line, lines)
        self.assertNotIn(later_delivery.move_line_ids, lines)
        # forward from the product: the ingredient is not part of it
        self.assertEqual(mix.trace_move_lines('downstream').mapped('lot_id'), mix)

    def test_production_link_gives_components(self):
        """The produced lot records the consumed lots as components."""
        mix = self._produce([(self.lot, 4)], self.other_product(), 'MIX-3', 4)[0]
        self.assertEqual(mix.component_lot_ids, self.lot)

    def test_repackaging_components_link_both_ways(self):
        """A lot repacked from components: forward from the component reaches it, and
        backward from it reaches the component's history."""
        sachet = self.other_product('Milk Sachet')
        packed = self._create_lot('PACK-1', product=sachet,
                                  component_lot_ids=[(6, 0, self.lot.ids)])
        self._count_in(sachet, self.stock_location, 10, lot=packed)
        forward = self.lot.trace_move_lines('downstream')
        self.assertEqual(forward.mapped('lot_id'), self.lot | packed)
        backward = packed.trace_move_lines('upstream')
        self.assertEqual(backward.mapped('lot_id'), self.lot | packed)
        self.assertEqual(packed.trace_move_lines('downstream').mapped('lot_id'), packed)

    def test_cycle_ends(self):
        """Two lots that are components of each other (through two levels) trace once."""
        other = self.other_product('Blend')
        blend = self._create_lot('BLEND-1', product=other,
                                 component_lot_ids=[(6, 0, self.lot.ids)])
        self._count_in(other, self.stock_location, 3, lot=blend)
        self.lot.sudo().write({'component_lot_ids': [(4, blend.id)]})
        for direction in ('upstream', 'downstream'):
            lines = self.lot.trace_move_lines(direction)
            self.assertEqual(lines.mapped('lot_id'), self.lot | blend)
            self.assertEqual(len(lines), len(set(lines.ids)))

    def _trace_queries(self, lot, direction):
        before = self.env.cr.sql_log_count
        lot.trace_move_lines(direction)
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_history(self):
        """One query traces a lot whatever its history."""
        self.assertEqual(self._trace_queries(self.lot, 'downstream'), 1)
        for __ in range(3):
            order = self._sell([(self.product, 1)])
            self._process(order.picking_ids, [(self.product, self.lot, 1)])
        self.assertEqual(self._trace_queries(self.lot, 'downstream'), 1)
        self.assertEqual(self._trace_queries(self.lot, 'upstream'), 1)

    def other_product(self, name='Milk Mix'):
        return self.env['product.product'].create({
            'name': name, 'type': 'product', 'tracking': 'lot', 'invoice_policy': 'delivery'})
