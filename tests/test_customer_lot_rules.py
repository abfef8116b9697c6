# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import at_install, post_install

from .reservation_common import LotReservationCase


@at_install(False)
@post_install(True)
class TestCustomerLotRules(LotReservationCase):
    """Minimum shelf life and grade of the lots a customer receives."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerLotRules, cls).setUpClass()
        cls.parent_categ = cls.env['product.category'].create({'name': 'Dairy'})
        cls.categ = cls.env['product.category'].create({
            'name': 'Powders', 'parent_id': cls.parent_categ.id})
        cls.product.categ_id = cls.categ
        # grade requirements apply to products whose lots carry grades
        cls.product.track_quality = True
        cls.company_customer = cls.env['res.partner'].create({
            'name': 'Retail Chain', 'is_company': True,
            'min_shelf_life_days': 30, 'min_quality_grade_id': cls.grade_b.id})
        cls.store = cls.env['res.partner'].create({
            'name': 'Retail Chain Store 7', 'type': 'delivery',
            'parent_id': cls.company_customer.id})
        cls.rule_model = cls.env['stock.lot.customer.rule']

    def _rule(self, **vals):
        vals.setdefault('partner_id', self.company_customer.id)
        return self.rule_model.create(vals)

    def _lot_rule(self, partner=None):
        move = self._delivery(partner or self.company_customer, 1, assign=False).move_lines
        rule = move._get_lot_rule()
        return rule['min_shelf_life_days'], rule['min_quality_grade_id']

    def test_partner_defaults(self):
        """Without rules, the partner's minimum shelf life and grade apply."""
        self.assertEqual(self._lot_rule(), (30, self.grade_b))

    def test_contact_follows_its_company(self):
        """Contacts share their company's requirements; deliveries to an address follow
        the commercial partner."""
        self.assertEqual(self.store.min_shelf_life_days, 30)
        self.assertEqual(self.store.min_quality_grade_id, self.grade_b)
        self._rule(product_id=self.product.id, min_shelf_life_days=5)
        self.assertEqual(self._lot_rule(self.store), (5, self.grade_b.browse()))

    def test_precedence(self):
        """Product rule > nearest category rule > parent category rule > defaults."""
        parent_rule = self._rule(categ_id=self.parent_categ.id, min_shelf_life_days=40)
        self.assertEqual(self._lot_rule(), (40, self.grade_b.browse()))
        categ_rule = self._rule(categ_id=self.categ.id, min_shelf_life_days=20,
                                min_quality_grade_id=self.grade_c.id)
        self.assertEqual(self._lot_rule(), (20, self.grade_c))
        product_rule = self._rule(product_id=self.product.id, min_shelf_life_days=10,
                                  min_quality_grade_id=self.grade_a.id)
        self.assertEqual(self._lot_rule(), (10, self.grade_a))
        product_rule.unlink()
        categ_rule.unlink()
        self.assertEqual(self._lot_rule(), (40, self.grade_b.browse()))
        parent_rule.unlink()
        self.assertEqual(self._lot_rule(), (30, self.grade_b))

    def test_rules_of_other_customers_ignored(self):
        """Another customer's rules do not apply."""
        self._rule(product_id=self.product.id, min_shelf_life_days=90)
        self.assertEqual(self._lot_rule(self.customer), (0, self.grade_b.browse()))

    def test_rule_of_other_company_ignored(self):
        """A rule of another company does not apply to this company's deliveries."""
        other = self.env['res.company'].create({'name': 'Other Dairy Company'})
        self._rule(product_id=self.product.id, min_shelf_life_days=90,
                   company_id=other.id)
        self.assertEqual(self._lot_rule(), (30, self.grade_b))

    def test_non_customer_move_has_no_rule(self):
        """An internal transfer with a partner does not follow the partner's rule."""
        move = self.env['stock.move'].create({
            'name': 'internal',
            'product_id': self.product.id,
            'product_uom': self.product.uom_id.id,
            'product_uom_qty': 1,
            'partner_id': self.company_customer.id,
            'location_id': self.stock_location.id,
            'location_dest_id': self._create_location('Shelf 9').id,
        })
        rule = move._get_lot_rule()
        self.assertEqual(rule['min_shelf_life_days'], 0)
        self.assertFalse(rule['min_quality_grade_id'])

    def test_shelf_life_reservation(self):
        """Lots with fewer days left than the customer requires are skipped."""
        short = self._stocked_lot('SHORT', 20, quality_grade_id=self.grade_a.id)
        self._stocked_lot('LONG', 45, quality_grade_id=self.grade_a.id)
        picking = self._delivery(self.store, 15)
        self.assertEqual(self._reserved(picking), {'LONG': 10})
        self.assertEqual(picking.move_lines.state, 'partially_available')
        reasons = picking.move_lines._get_lot_skip_reasons(short)
        self.assertEqual(reasons, {short.id: '20 days left, customer requires 30'})

    def test_grade_reservation(self):
        """Lots of a worse grade, or without grade, are skipped; better ones ship."""
        worse = self._stocked_lot('GRADE-C', 40, quality_grade_id=self.grade_c.id)
        ungraded = self._stocked_lot('NO-GRADE', 41)
        self._stocked_lot('GRADE-B', 50, quality_grade_id=self.grade_b.id)
        self._stocked_lot('GRADE-A', 60, quality_grade_id=self.grade_a.id)
        picking = self._delivery(self.company_customer, 20)
        self.assertEqual(self._reserved(picking), {'GRADE-B': 10, 'GRADE-A': 10})
        reasons = picking.move_lines._get_lot_skip_reasons(worse | ungraded)
        self.assertEqual(reasons, {
            worse.id: 'grade Test Grade C, customer requires Test Grade B',
            ungraded.id: 'no grade, customer requires Test Grade B',
        })

    def _product_without_quality(self):
        return self.product.copy({'name': 'Plain Yoghurt', 'track_quality': False})

    def test_grade_ignored_without_quality_tracking(self):
        """A grade requirement does not apply to a product that does not track quality:
        its lots, which carry no grade, are reserved."""
        product = self._product_without_quality()
        lot = self._stocked_lot('PLAIN-1', 40, product=product)
        picking = self._delivery(self.company_customer, 10, product=product)
        self.assertEqual(self._reserved(picking), {'PLAIN-1': 10})
        self.assertEqual(picking.move_lines._get_lot_skip_reasons(lot), {})

    def test_grade_not_checked_on_delivery_without_quality_tracking(self):
        """A lot chosen by hand for a product that does not track quality is delivered
        to a customer requiring a grade without confirmation."""
        product = self._product_without_quality()
        lot = self._stocked_lot('PLAIN-2', 40, product=product)
        picking = self._delivery(self.company_customer, 4, product=product, assign=False)
        move = picking.move_lines
        self.env['stock.move.line'].create({
            'move_id': move.id, 'picking_id': picking.id, 'product_id': product.id,
            'product_uom_id': product.uom_id.id, 'lot_id': lot.id, 'qty_done': 4,
            'location_id': move.location_id.id, 'location_dest_id': move.location_dest_id.id,
        })
        picking.action_done()
        self.assertEqual(picking.state, 'done')

    def test_rule_relaxes_defaults(self):
        """A product rule may ask less than the customer's defaults."""
        self._rule(product_id=self.product.id, min_shelf_life_days=10)
        self._stocked_lot('SHORT', 20, quality_grade_id=self.grade_c.id)
        picking = self._delivery(self.company_customer, 10)
        self.assertEqual(self._reserved(picking), {'SHORT': 10})

    def test_several_reasons(self):
        """A lot failing several checks lists every reason."""
        lot = self._stocked_lot('BAD', 5, quality_grade_id=self.grade_c.id)
        lot.action_block('hold')
        move = self._delivery(self.company_customer, 1, assign=False).move_lines
        self.assertEqual(move._get_lot_skip_reasons(lot)[lot.id],
                         'blocked: hold; 5 days left, customer requires 30; '
                         'grade Test Grade C, customer requires Test Grade B')

    def test_forms_show_the_fields(self):
        """The partner and warehouse forms show the new fields."""
        partner_arch = self.env['res.partner'].fields_view_get(
            view_id=self.env.ref('base.view_partner_form').id)['arch']
        self.assertIn('min_shelf_life_days', partner_arch)
        self.assertIn('min_quality_grade_id', partner_arch)
        warehouse_arch = self.env['stock.warehouse'].fields_view_get(
            view_id=self.env.ref('stock.view_warehouse').id)['arch']
        self.assertIn('quarantine_location_id', warehouse_arch)
        self.assertIn('quarantine_expired', warehouse_arch)

    def test_rule_needs_product_or_category(self):
        """A rule without product or category is refused."""
        with self.assertRaises(ValidationError):
            self._rule(min_shelf_life_days=10)

    def test_duplicate_rule_refused(self):
        """Two rules for the same customer and product are refused."""
        self._rule(product_id=self.product.id, min_shelf_life_days=10)
        with self.assertRaises(ValidationError):
            self._rule(product_id=self.product.id, min_shelf_life_days=20)

    def test_rules_access(self):
        """Stock users read the rules; lot managers edit them."""
        rule = self._rule(product_id=self.product.id, min_shelf_life_days=10)
        self.assertEqual(rule.sudo(self.clerk).min_shelf_life_days, 10)
        with self.assertRaises(AccessError):
            rule.sudo(self.clerk).write({'min_shelf_life_days': 5})
        rule.sudo(self.lot_manager).write({'min_shelf_life_days': 5})
        self.assertEqual(rule.min_shelf_life_days, 5)

    def test_sale_order_delivery(self):
        """A sale to a delivery address reserves only lots the customer accepts."""
        self._stocked_lot('SHORT', 20, quality_grade_id=self.grade_a.id)
        self._stocked_lot('LOW', 40, quality_grade_id=self.grade_c.id)
        self._stocked_lot('GOOD', 50, quality_grade_id=self.grade_b.id)
        order = self.env['sale.order'].create({
            'partner_id': self.company_customer.id,
            'partner_shipping_id': self.store.id,
            'order_line': [(0, 0, {'product_id': self.product.id,
                                   'product_uom_qty': 12})],
        })
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        self.assertEqual(picking.partner_id, self.store)
        self.assertEqual(self._reserved(picking), {'GOOD': 10})
        self.assertEqual(picking.move_lines.state, 'partially_available')
        # an ordinary customer gets the lots the retail chain refused, FEFO first
        other = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [(0, 0, {'product_id': self.product.id,
                                   'product_uom_qty': 15})],
        })
        other.action_confirm()
        other.picking_ids.action_assign()
        self.assertEqual(self._reserved(other.picking_ids), {'SHORT': 10, 'LOW': 5})

    def test_two_step_delivery_pick_follows_customer(self):
        """In a pick + ship delivery, the pick reserves by the customer's rules."""
        self.warehouse.delivery_steps = 'pick_ship'
        self._stocked_lot('SHORT', 20, quality_grade_id=self.grade_a.id)
        self._stocked_lot('GOOD', 50, quality_grade_id=self.grade_a.id)
        order = self.env['sale.order'].create({
            'partner_id': self.company_customer.id,
            'order_line': [(0, 0, {'product_id': self.product.id,
                                   'product_uom_qty': 10})],
        })
        order.action_confirm()
        pick = order.picking_ids.filtered(
            lambda picking: picking.location_id == self.stock_location)
        self.assertEqual(len(pick), 1)
        pick.action_assign()
        self.assertEqual(self._reserved(pick), {'GOOD': 10})
        # the shipment reserves exactly what the pick brought
        pick.move_line_ids.qty_done = 10
        pick.action_done()
        ship = order.picking_ids - pick
        ship.action_assign()
        self.assertEqual(self._reserved(ship), {'GOOD': 10})
        self.assertEqual(ship.state, 'assigned')
