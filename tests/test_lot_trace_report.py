# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .test_report_coa import pdf_to_text, real_pdf_reports
from .trace_common import TraceCase


@at_install(False)
@post_install(True)
class TestLotTraceReport(TraceCase):
    """Lot history, the Lot Traceability report and the lot / product buttons."""

    def setUp(self):
        super(TestLotTraceReport, self).setUp()
        self._full_flow()

    def _report(self, **vals):
        vals.setdefault('lot_ids', [(6, 0, self.lot.ids)])
        return self.env['stock.lot.trace.report'].sudo(self.clerk).create(vals)

    def _history(self, lot):
        action = lot.sudo(self.clerk).action_open_history()
        self.assertEqual(action['res_model'], 'stock.lot.history')
        return self.env['stock.lot.history'].sudo(self.clerk).search(
            action['domain'], order='date, id')

    def test_history_is_chronological_with_running_quantity(self):
        """The lot's timeline: each movement with the quantity on hand after it."""
        rows = self._history(self.lot)
        self.assertEqual(
            [(row.document_type, row.quantity, row.quantity_on_hand) for row in rows],
            [('receipt', 20.0, 20.0), ('internal', 5.0, 20.0), ('delivery', 8.0, 12.0),
             ('customer_return', 2.0, 14.0), ('delivery', 3.0, 11.0),
             ('vendor_return', 1.0, 10.0)])
        self.assertEqual(rows[-1].quantity_on_hand, self.lot.product_qty)
        self.assertEqual(rows[0].reference, self.order.picking_ids.sorted('id')[0].name)
        self.assertEqual(rows[2].partner_id, self.customer)
        self.assertEqual(rows[2].picking_id, self.delivery_a)
        self.assertTrue(rows[0].user_id)

    def test_history_counts_in_the_product_unit(self):
        """A movement in another unit counts in the product's unit."""
        dozen = self.env['product.uom'].create({
            'name': 'Dozen Test', 'category_id': self.product.uom_id.category_id.id,
            'uom_type': 'bigger', 'factor_inv': 12.0})
        lot = self._create_lot('TRACE-DOZEN')
        move = self.env['stock.move'].create({
            'name': 'dozen', 'product_id': self.product.id, 'product_uom': dozen.id,
            'product_uom_qty': 2, 'location_id': self.supplier_location.id,
            'location_dest_id': self.stock_location.id})
        move._action_confirm()
        self.env['stock.move.line'].create({
            'move_id': move.id, 'product_id': self.product.id, 'product_uom_id': dozen.id,
            'location_id': self.supplier_location.id,
            'location_dest_id': self.stock_location.id, 'lot_id': lot.id, 'qty_done': 2})
        move._action_done()
        rows = self._history(lot)
        self.assertAlmostEqual(rows.quantity, 24.0)
        self.assertAlmostEqual(rows.quantity_on_hand, 24.0)

    def test_forward_summary(self):
        """Forward summary: per customer, net of returns, with delivery, order, invoice."""
        report = self._report(direction='forward')
        action = report.action_view()
        lines = self.env[action['res_model']].sudo(self.clerk).search(action['domain'])
        self.assertEqual(set(lines.mapped('direction')), {'forward'})
        by_partner = {line.partner_id: line for line in lines}
        first = by_partner[self.customer]
        self.assertEqual(first.quantity, 6.0)
        self.assertEqual(first.invoice_refs, self.invoice_a.number)
        self.assertEqual(first.order_refs, self.sale_a.name)
        self.assertIn(self.delivery_a.name, first.picking_refs)
        self.assertIn(self.return_a.name, first.picking_refs)
        self.assertEqual(first.partner_email, 'test.customer@example.com')
        self.assertEqual(by_partner[self.customer_b].quantity, 3.0)

    def test_backward_summary_with_supplier_and_certificate(self):
        """Backward summary: supplier, quantity net of vendor returns, order, certificate."""
        self.env['stock.lot.certificate'].create({
            'lot_id': self.lot.id, 'name': 'CERT-77', 'issuer': 'Lab'})
        self.lot.supplier_lot_code = 'VEND-9'
        lines = self._report(direction='backward').action_view()
        line = self.env['stock.lot.trace.report.line'].search(lines['domain'])
        self.assertEqual(line.partner_id, self.supplier)
        self.assertEqual(line.quantity, 19.0)
        self.assertEqual(line.order_refs, self.order.name)
        self.assertEqual(line.certificate_refs, 'CERT-77')
        self.assertEqual(line.supplier_lot_code, 'VEND-9')

    def test_backward_through_production_lists_component_suppliers(self):
        """Backward from a produced lot: the component lots with their suppliers."""
        mix_product = self.env['product.product'].create({
            'name': 'Mix', 'type': 'product', 'tracking': 'lot'})
        mix = self._produce([(self.lot, 4)], mix_product, 'MIX-R', 4)[0]
        report = self._report(lot_ids=[(6, 0, mix.ids)], direction='backward')
        report.action_view()
        self.assertEqual(report.line_ids.mapped('lot_id'), self.lot)
        self.assertEqual(report.line_ids.partner_id, self.supplier)
        self.assertEqual(report.traced_lot_ids, self.lot | mix)

    def test_both_directions(self):
        """Both directions: customers and suppliers in one report."""
        report = self._report(direction='both')
        report.action_view()
        self.assertEqual(set(report.line_ids.mapped('direction')), {'forward', 'backward'})

    def test_lines_detail_opens_the_movements(self):
        """Movement lines: the history rows of the traced move lines."""
        action = self._report(detail='lines').action_view()
        rows = self.env['stock.lot.history'].search(action['domain'])
        self.assertEqual(set(rows.ids), set(self.lot.trace_move_lines('downstream').ids))

    def test_lots_by_supplier_lot_code(self):
        """The lots are found by the supplier's lot code."""
        self.lot.supplier_lot_code = 'VEND-42'
        report = self._report(lot_ids=False, supplier_lot_code='VEND-42',
                              supplier_id=self.supplier.id)
        report.action_view()
        self.assertEqual(report.lot_ids, self.lot)

    def test_lots_by_product_and_dates(self):
        """The lots of a product produced in a date range."""
        report = self._report(lot_ids=False, product_id=self.product.id,
                              date_from=self.lot.production_date,
                              date_to=self.lot.production_date)
        report.action_view()
        self.assertEqual(report.lot_ids, self.lot)

    def test_refusals(self):
        """No lot chosen, an unknown supplier lot code: clear refusals."""
        with self.assertRaisesRegex(UserError, 'Choose the lots to trace'):
            self._report(lot_ids=False).action_view()
        with self.assertRaisesRegex(UserError, 'NOPE-1'):
            self._report(lot_ids=False, supplier_lot_code='NOPE-1').action_view()

    def test_pdf_lists_customers_invoices_and_movements(self):
        """The PDF has the customers with invoice numbers and the movements."""
        report = self._report(direction='both')
        action = report.action_print()
        self.assertEqual(action['report_name'], 'stock_lot_tracking.report_lot_traceability')
        with real_pdf_reports():
            pdf = self.env.ref('stock_lot_tracking.report_lot_traceability_action'
                               ).render_qweb_pdf(report.ids)[0]
        text = ' '.join(pdf_to_text(pdf).split())
        self.assertIn('Lot Traceability', text)
        self.assertIn('Second Customer', text)
        self.assertIn(self.invoice_a.number, text)
        self.assertIn(self.delivery_a.name, text)
        self.assertIn('Suppliers', text)

    def test_lot_buttons(self):
        """Trace Forward / Backward open the summary; Recall opens a recall of the lot."""
        forward = self.lot.sudo(self.clerk).action_trace_forward()
        self.assertEqual(forward['res_model'], 'stock.lot.trace.report.line')
        backward = self.lot.sudo(self.clerk).action_trace_backward()
        lines = self.env['stock.lot.trace.report.line'].search(backward['domain'])
        self.assertEqual(lines.partner_id, self.supplier)
        recall = self.lot.action_open_recall()
        self.assertEqual(recall['res_model'], 'stock.lot.recall')
        self.assertEqual(recall['context']['default_lot_ids'], [(6, 0, self.lot.ids)])

    def test_product_smart_button(self):
        """The product form counts its lots and opens them with their quantities."""
        template = self.product.product_tmpl_id
        self.assertEqual(template.lot_count, 1)
        action = template.action_open_lots()
        lots = self.env['stock.production.lot'].search(action['domain'])
        self.assertEqual(lots, self.lot)
        self.assertEqual(lots.product_qty, 10.0)
