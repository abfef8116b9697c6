# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import at_install, post_install
from odoo.tools.safe_eval import safe_eval

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestDemoData(LotTrackingCase):
    """The demo data tells the story of the addon: every rule at work, none blocking."""

    @classmethod
    def setUpClass(cls):
        super(TestDemoData, cls).setUpClass()
        cls.fresh = cls._demo('lot_yoghurt_fresh_demo')
        cls.expiring = cls._demo('lot_yoghurt_expiring_demo')
        cls.freshmart = cls._demo('res_partner_retailer_demo')

    @classmethod
    def _demo(cls, name):
        return cls.env.ref('stock_lot_tracking.%s' % name)

    def _reserved_lots(self, order_name):
        picking = self._demo(order_name).picking_ids
        self.assertEqual(len(picking), 1)
        return picking, picking.move_line_ids.mapped('lot_id')

    def test_picky_delivery_reserves_by_fefo(self):
        """The open delivery to FreshMart (14 days of yoghurt shelf life) is reserved from
        the fresh lot: FEFO skips the lot with only a few days left, saying why."""
        picking, lots = self._reserved_lots('sale_order_freshmart_demo')
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(lots, self.fresh)
        self.assertTrue(self.expiring.product_qty > 0)
        reason = picking.move_lines._get_lot_skip_reasons(self.expiring)[self.expiring.id]
        self.assertRegex(reason, r'^\d+ days left, customer requires 14$')

    def test_grade_sensitive_delivery_reserves_grade_a(self):
        """The delivery to NutriLabs (grade A citric acid only) is reserved from the grade A
        lot: the grade B lot and the rejected lot are skipped."""
        picking, lots = self._reserved_lots('sale_order_nutrilabs_demo')
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(lots, self._demo('lot_citric_acid_demo'))
        grade_b = self._demo('lot_citric_acid_grade_b_demo')
        rejected = self._demo('lot_citric_acid_rejected_demo')
        reasons = picking.move_lines._get_lot_skip_reasons(grade_b | rejected)
        self.assertEqual(reasons[grade_b.id], 'grade B, customer requires A')
        self.assertIn('quality rejected', reasons[rejected.id])

    def test_every_expiry_state_in_stock(self):
        """The demo has lots in every expiry state, each with stock on hand."""
        products = (self._demo('product_yoghurt_demo') | self._demo('product_cheese_demo')
                    | self._demo('product_raw_milk_demo')
                    | self._demo('product_citric_acid_demo'))
        lots = self.env['stock.production.lot'].search([('product_id', 'in', products.ids)])
        in_stock = lots.filtered(lambda lot: lot.product_qty > 0)
        self.assertEqual(set(in_stock.mapped('expiry_state')),
                         {'none', 'ok', 'warning', 'expired'})

    def test_blocked_rejected_quarantined_lots_in_stock(self):
        """One lot blocked, one rejected and one in the warehouse's quarantine, each with
        stock on hand."""
        blocked = self._demo('lot_cheese_blocked_demo')
        rejected = self._demo('lot_citric_acid_rejected_demo')
        self.assertTrue(blocked.blocked and blocked.product_qty > 0)
        self.assertTrue(rejected.quality_state == 'rejected' and rejected.product_qty > 0)
        quarantine = self.env.ref('stock.warehouse0').quarantine_location_id
        self.assertEqual(quarantine, self._demo('stock_location_quarantine_demo'))
        quants = self.env['stock.quant'].search([('location_id', '=', quarantine.id)])
        self.assertEqual(quants.mapped('lot_id'), self._demo('lot_yoghurt_quarantine_demo'))

    def test_single_lot_silo(self):
        """The milk silo is a single-lot location holding one lot."""
        silo = self._demo('stock_location_milk_silo_demo')
        self.assertTrue(silo.single_lot)
        quants = self.env['stock.quant'].search([('location_id', '=', silo.id)])
        self.assertEqual(quants.mapped('lot_id'), self._demo('lot_raw_milk_demo'))

    def test_purchase_received_with_lot(self):
        """The demo purchase is received: its lot carries the supplier and the order."""
        order = self._demo('purchase_order_yoghurt_demo')
        self.assertEqual(order.picking_ids.state, 'done')
        self.assertEqual(self.fresh.purchase_order_id, order)
        self.assertEqual(self.fresh.supplier_id, self._demo('res_partner_supplier_demo'))

    def test_traceability_reaches_the_customer(self):
        """Tracing the received lot forward reaches FreshMart's delivery address;
        tracing it back reaches the dairy supplier."""
        downstream = self.fresh.trace_move_lines('downstream')
        delivered = downstream.filtered(
            lambda line: line.location_dest_id.usage == 'customer')
        self.assertEqual(delivered.mapped('picking_id.partner_id.commercial_partner_id'),
                         self.freshmart)
        self.assertEqual(sum(delivered.mapped('qty_done')), 48)
        upstream = self.fresh.trace_move_lines('upstream')
        self.assertIn(self._demo('res_partner_supplier_demo'),
                      upstream.mapped('picking_id.partner_id'))

    def test_recall_drill_has_customers(self):
        """The open mock recall lists FreshMart with what it received, and the stock."""
        recall = self._demo('stock_lot_recall_drill_demo')
        self.assertEqual((recall.mode, recall.state), ('mock', 'open'))
        self.assertEqual(recall.customer_line_ids.mapped('partner_id'), self.freshmart)
        self.assertEqual(sum(recall.customer_line_ids.mapped('quantity')), 48)
        self.assertEqual(sum(recall.stock_line_ids.mapped('quantity')), 240 - 48)

    def test_addon_menus_open_on_records(self):
        """Every list menu of the addon opens on records of the demo (but Stock without
        Lot, which lists exceptions and explains itself when there are none)."""
        menus = self.env['ir.ui.menu'].browse(self.env['ir.model.data'].search([
            ('module', '=', 'stock_lot_tracking'), ('model', '=', 'ir.ui.menu'),
        ]).mapped('res_id')) - self._demo('stock_quant_without_lot_menu')
        checked = []
        for menu in menus.filtered(lambda menu: menu.action._name == 'ir.actions.act_window'):
            model = self.env[menu.action.res_model]
            if model.is_transient():
                continue  # a wizard: it asks first
            checked.append(menu.name)
            domain = safe_eval(menu.action.domain or '[]', {'uid': self.env.uid})
            self.assertTrue(model.search_count(domain), menu.complete_name)
        for name in ('Lots', 'Lot Recalls', 'Lot Expiration',
                     'Expiry Dashboard', 'Customer Lot Rules'):
            self.assertIn(name, checked)

    def test_vendor_price_in_company_currency(self):
        """The yoghurt's vendor price is in the company's currency: 1.40 on a purchase."""
        info = self._demo('product_supplierinfo_yoghurt_demo')
        self.assertEqual(info.currency_id, self.env.user.company_id.currency_id)
        order = self.env['purchase.order'].create({
            'partner_id': self._demo('res_partner_supplier_demo').id})
        line = self.env['purchase.order.line'].new({
            'order_id': order.id, 'product_id': self._demo('product_yoghurt_demo').id,
            'product_qty': 10})
        line.onchange_product_id()
        line._onchange_quantity()
        self.assertAlmostEqual(line.price_unit, 1.40)

    def test_demo_lots_follow_their_patterns(self):
        """The demo products with a lot code pattern give an example that matches it."""
        for name in ('product_yoghurt_demo', 'product_cheese_demo',
                     'product_raw_milk_demo', 'product_citric_acid_demo'):
            template = self._demo(name).product_tmpl_id
            self.assertTrue(template.lot_code_example)
            self.assertTrue(template.is_lot_code_valid(template.lot_code_example))
