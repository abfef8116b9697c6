# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import at_install, post_install

from .trace_common import TraceCase


@at_install(False)
@post_install(True)
class TestLotTraceSummary(TraceCase):
    """stock.move.line._get_partner_summary: the grouped query against a line by line
    recomputation, and its number of queries; the traced lots."""

    @classmethod
    def setUpClass(cls):
        super(TestLotTraceSummary, cls).setUpClass()
        cls.dozen = cls.env.ref('product.product_uom_dozen')
        # a unit whose conversion to the product's unit needs rounding (1/3 of a unit)
        cls.third = cls.env['product.uom'].create({
            'name': 'Third', 'category_id': cls.product.uom_id.category_id.id,
            'uom_type': 'smaller', 'factor': 3.0, 'rounding': 0.01})
        cls.contact_b = cls.env['res.partner'].create({
            'name': 'Buyer of the Second Customer', 'parent_id': cls.customer_b.id,
            'type': 'contact'})

    def _sell_in(self, uom, quantity, partner):
        """A confirmed sales order of ``quantity`` ``uom`` of the product."""
        order = self.env['sale.order'].create({
            'partner_id': partner.id,
            'order_line': [(0, 0, {'product_id': self.product.id, 'product_uom': uom.id,
                                   'product_uom_qty': quantity, 'price_unit': 12.0})],
        })
        order.action_confirm()
        return order

    def _deliver_in(self, order, lot, quantity, uom):
        """Validate the delivery of ``order`` with ``quantity`` ``uom`` of ``lot`` typed
        in its detailed operations."""
        picking = order.picking_ids
        picking.do_unreserve()
        move = picking.move_lines
        self.env['stock.move.line'].create({
            'move_id': move.id, 'picking_id': picking.id, 'product_id': self.product.id,
            'product_uom_id': uom.id, 'location_id': move.location_id.id,
            'location_dest_id': move.location_dest_id.id, 'lot_id': lot.id,
            'qty_done': quantity})
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        self._date_lines(picking.move_line_ids)
        return picking

    def _mixed_flow(self):
        """The full flow (two customers, a customer return, a vendor return), then half a
        dozen delivered to a contact of the second customer, invoiced, 2 units of it
        returned, and one third of a unit delivered to the first customer."""
        self._full_flow()
        self.sale_dozen = self._sell_in(self.dozen, 0.5, self.contact_b)
        self.delivery_dozen = self._deliver_in(self.sale_dozen, self.lot, 0.5, self.dozen)
        self.invoice_dozen = self._invoice(self.sale_dozen)
        self.return_dozen = self._return(self.delivery_dozen, self.lot, 2)
        self.sale_third = self._sell_in(self.third, 1, self.customer)
        self.delivery_third = self._deliver_in(self.sale_third, self.lot, 1, self.third)

    def _recompute(self, lines, usage):
        """The summary recomputed line by line through the ORM, as its definition says."""
        customer = usage == 'customer'
        entries = {}
        for line in lines.sorted(lambda line: (line.date, line.id)):
            if line.location_dest_id.usage == usage:
                sign = 1.0 if customer else -1.0
            elif line.location_id.usage == usage:
                sign = -1.0 if customer else 1.0
            else:
                continue
            move = line.move_id
            partner = (line.picking_id.partner_id or move.partner_id
                       or move.purchase_line_id.order_id.partner_id).commercial_partner_id
            entry = entries.setdefault((partner, line.lot_id), {
                'partner': partner, 'lot': line.lot_id, 'quantity': 0.0,
                'date_first': line.date, 'date_last': line.date,
                'pickings': self.env['stock.picking'],
                'orders': self.env['sale.order' if customer else 'purchase.order'],
                'invoices': self.env['account.invoice']})
            quantity = line.qty_done
            if line.product_uom_id != line.product_id.uom_id:
                quantity = line.product_uom_id._compute_quantity(
                    quantity, line.product_id.uom_id)
            entry['quantity'] += sign * quantity
            entry['date_last'] = line.date
            entry['pickings'] |= line.picking_id
            if customer:
                entry['orders'] |= move.sale_line_id.order_id
                entry['invoices'] |= move.sale_line_id.invoice_lines.mapped(
                    'invoice_id').filtered(lambda inv: inv.state in ('open', 'paid'))
            else:
                entry['orders'] |= move.purchase_line_id.order_id
        return sorted(entries.values(), key=lambda entry: (entry['partner'].name,
                                                           entry['lot'].name))

    @staticmethod
    def _comparable(summary):
        return [dict(entry, pickings=set(entry['pickings'].ids),
                     orders=set(entry['orders'].ids), invoices=set(entry['invoices'].ids))
                for entry in summary]

    def test_summary_equals_a_line_by_line_recomputation(self):
        """Customers and suppliers, returns, lines in dozens and in thirds of a unit: the
        summary is exactly what a line by line recomputation gives."""
        self._mixed_flow()
        for direction, usage in (('downstream', 'customer'), ('upstream', 'supplier')):
            lines = self.lot.trace_move_lines(direction)
            summary = lines._get_partner_summary(usage)
            lines.invalidate_cache()
            self.assertEqual(self._comparable(summary),
                             self._comparable(self._recompute(lines, usage)))

    def test_summary_converts_to_the_product_unit_net_of_returns(self):
        """Per customer, in the product's unit: 8 - 2 + 1/3 rounded up, and the contact's
        half dozen - 2 counted with the second customer's 3, with both invoices."""
        self._mixed_flow()
        summary = self.lot.trace_move_lines('downstream')._get_partner_summary('customer')
        self.assertEqual([(entry['partner'], entry['lot']) for entry in summary],
                         [(self.customer_b, self.lot), (self.customer, self.lot)])
        second, first = summary
        self.assertAlmostEqual(second['quantity'], 3.0 + 6.0 - 2.0)
        self.assertAlmostEqual(first['quantity'], 8.0 - 2.0 + 0.334)
        self.assertEqual(second['pickings'],
                         self.delivery_b | self.delivery_dozen | self.return_dozen)
        self.assertEqual(second['orders'], self.sale_b | self.sale_dozen)
        self.assertEqual(second['invoices'], self.invoice_dozen)
        self.assertEqual(first['invoices'], self.invoice_a)
        self.assertEqual(second['date_last'], self.return_dozen.move_line_ids.date)

    def test_summary_of_a_vendor_return_counts_out(self):
        """Per supplier: 20 received, 1 returned to the vendor, the purchase order."""
        self._mixed_flow()
        summary = self.lot.trace_move_lines('upstream')._get_partner_summary('supplier')
        self.assertEqual([(entry['partner'], entry['quantity'], entry['orders'])
                          for entry in summary], [(self.supplier, 19.0, self.order)])
        self.assertEqual(summary[0]['pickings'],
                         self.order.picking_ids | self.vendor_return)

    def test_summary_of_no_line_is_empty(self):
        """No line, no entry, no query."""
        lines = self.env['stock.move.line']
        before = self.env.cr.sql_log_count
        self.assertEqual(lines._get_partner_summary('customer'), [])
        self.assertEqual(self.env.cr.sql_log_count, before)

    def test_traced_lots_in_the_order_of_their_first_line(self):
        """The lots of the traced lines, in one query, as mapped() gives them: the lot,
        then the lot made from it."""
        self._full_flow()
        mix_product = self.env['product.product'].create({
            'name': 'Milk Mix', 'type': 'product', 'tracking': 'lot'})
        mix = self._produce([(self.lot, 4)], mix_product, 'MIX-1', 4)[0]
        lines = self.lot.trace_move_lines('downstream')
        lines.invalidate_cache()
        before = self.env.cr.sql_log_count
        lots = lines._get_traced_lots()
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        self.assertEqual(lots.ids, [self.lot.id, mix.id])
        self.assertEqual(lots.ids, lines.mapped('lot_id').ids)

    def _queries_for_recall(self, lines):
        """Queries of the customer summary as a recall uses it, as a stock user."""
        lines.invalidate_cache()
        before = self.env.cr.sql_log_count
        self.env['stock.lot.recall'].sudo(self.clerk)._prepare_customer_line_vals(
            lines.sudo(self.clerk)._get_partner_summary('customer'))
        return self.env.cr.sql_log_count - before

    def _deliveries(self, count):
        """``count`` sales of 1 to each customer, delivered, invoiced, then returned."""
        for _index in range(count):
            for partner in (self.customer, self.customer_b):
                sale = self._sell([(self.product, 1)], partner=partner)
                delivery = self._process(sale.picking_ids, [(self.product, self.lot, 1)])
                self._invoice(sale)
                self._return(delivery, self.lot, 1)

    def test_queries_do_not_grow_with_the_traced_lines(self):
        """Thrice the deliveries and returns of the same customers, the same number of
        queries."""
        self._full_flow()
        self._deliveries(1)
        lines = self.lot.trace_move_lines('downstream')
        self._queries_for_recall(lines)  # warm-up: units, precision, access rules
        small = self._queries_for_recall(lines)
        self._deliveries(2)
        more = self.lot.trace_move_lines('downstream')
        self.assertEqual(len(more), len(lines) + 8)
        self.assertEqual(self._queries_for_recall(more), small)
