# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Productions of mrp with lot-tracked components (needs mrp: run in the mrp test
database, see tools/test.sh; not listed in tests/__init__.py for that reason)."""
from odoo import fields
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now


class MrpCase(LotTrackingCase):
    """Lot-tracked components bought and received, a cake made of them by a production
    worker (a plain manufacturing and stock user)."""

    @classmethod
    def setUpClass(cls):
        super(MrpCase, cls).setUpClass()
        cls.worker = cls._create_user(
            'mrpworker', ['mrp.group_mrp_user', 'stock.group_stock_user'])
        grade_model = cls.env['stock.lot.quality.grade']
        cls.grade_a = grade_model.create({'name': 'MRP Grade A', 'sequence': 1})
        cls.grade_b = grade_model.create({'name': 'MRP Grade B', 'sequence': 2})
        cls.grade_c = grade_model.create({'name': 'MRP Grade C', 'sequence': 3})
        cls.flour = cls._tracked_product('Test Flour')
        cls.milk = cls._tracked_product('Test Milk')
        # made products without a shelf life of their own: their lots get none on
        # creation and take their components' earliest expiration date
        cls.cake = cls._tracked_product('Test Cake', life_time=0)
        cls.cake_bom = cls._bom(cls.cake, [(cls.flour, 2.0), (cls.milk, 1.0)])

    @classmethod
    def _tracked_product(cls, name, life_time=100):
        return cls.env['product.product'].create({
            'name': name, 'type': 'product', 'tracking': 'lot',
            'use_expiration_date': True, 'use_fefo': True, 'life_time': life_time})

    @classmethod
    def _bom(cls, product, components):
        """A bill of materials of one unit of ``product``: [(component, quantity)]."""
        return cls.env['mrp.bom'].create({
            'product_tmpl_id': product.product_tmpl_id.id, 'product_id': product.id,
            'product_qty': 1.0, 'product_uom_id': product.uom_id.id, 'type': 'normal',
            'bom_line_ids': [(0, 0, {'product_id': component.id, 'product_qty': quantity})
                             for component, quantity in components]})

    def _receive(self, product, lots):
        """Buy ``product`` and receive it in the lots ``lots`` ({lot: quantity}) announced
        by the supplier; return the lots."""
        order = self.env['purchase.order'].create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_qty': sum(lots.values()), 'product_uom': product.uom_po_id.id,
                'price_unit': 2.0, 'date_planned': fields.Datetime.now()})],
        })
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_lines
        move.move_line_ids.unlink()
        for lot, quantity in lots.items():
            self.env['stock.move.line'].create(dict(
                move._prepare_move_line_vals(), lot_id=lot.id, qty_done=quantity))
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        return picking.move_line_ids.mapped('lot_id')

    @classmethod
    def _supplier_lot(cls, name, product, days, grade=None, **vals):
        """A lot announced by the supplier, expiring in ``days`` days at noon."""
        if grade:
            vals['quality_grade_id'] = grade.id
        vals['life_date'] = days_from_now(days, hour=12)
        return cls._create_lot(name, product=product, **vals)

    def _production(self, product, quantity, bom=None, user=None):
        """A confirmed manufacturing order of ``quantity`` of ``product``."""
        production_model = self.env['mrp.production']
        if user:
            production_model = production_model.sudo(user)
        return production_model.create({
            'product_id': product.id, 'product_qty': quantity,
            'product_uom_id': product.uom_id.id,
            'bom_id': (bom or self.cake_bom).id})

    def _produce(self, production, quantity, lot, consumed=None):
        """Record the production of ``quantity`` in ``lot`` as the worker does in the web
        client: the wizard proposes the reserved lots for what is left to produce; the
        worker confirms them, or enters what was consumed ({lot: quantity})."""
        wizard = self.env['mrp.product.produce'].sudo(production.env.uid).with_context(
            active_id=production.id, active_ids=production.ids).create(
                {'product_qty': quantity, 'lot_id': lot.id})
        for line in wizard.produce_line_ids:
            line.qty_done = (line.qty_to_consume if consumed is None
                             else consumed.get(line.lot_id, 0.0))
        wizard.do_produce()

    def _make(self, production, lot, quantity=None):
        """Reserve, produce (everything, in ``lot``) and mark ``production`` done."""
        production.action_assign()
        self._produce(production, quantity or production.product_qty, lot)
        production.button_mark_done()
        self.assertEqual(production.state, 'done')

    def _consumed_lots(self, production):
        return production.move_raw_ids.mapped('move_line_ids').filtered(
            lambda line: line.qty_done).mapped('lot_id')


@at_install(False)
@post_install(True)
class TestMrpProduction(MrpCase):
    """A done production gives the finished lot its consumed lots as components."""

    @classmethod
    def setUpClass(cls):
        super(TestMrpProduction, cls).setUpClass()
        cls.flour_1 = cls._supplier_lot('FLOUR-1', cls.flour, 40, cls.grade_a)
        cls.flour_2 = cls._supplier_lot('FLOUR-2', cls.flour, 60, cls.grade_b)
        cls.milk_1 = cls._supplier_lot('MILK-1', cls.milk, 20, cls.grade_a)

    def setUp(self):
        super(TestMrpProduction, self).setUp()
        self._receive(self.flour, {self.flour_1: 6.0, self.flour_2: 10.0})
        self._receive(self.milk, {self.milk_1: 10.0})

    def test_consumed_lots_become_components(self):
        """The cake lot lists every lot consumed for it, which list it as produced."""
        cake_lot = self._create_lot('CAKE-1', product=self.cake)
        production = self._production(self.cake, 5.0, user=self.worker)
        self._make(production, cake_lot)
        consumed = self._consumed_lots(production)
        self.assertEqual(consumed, self.flour_1 | self.flour_2 | self.milk_1)
        self.assertEqual(cake_lot.component_lot_ids, consumed)
        self.assertEqual(self.flour_2.produced_lot_ids, cake_lot)
        finished_line = production.move_finished_ids.move_line_ids
        self.assertEqual(finished_line.consume_line_ids.mapped('lot_id'), consumed)

    def test_finished_lot_inherits_earliest_expiry_and_worst_grade(self):
        """The cake lot expires with its first-expiring component, at its worst grade."""
        cake_lot = self._create_lot('CAKE-1', product=self.cake)
        self.assertFalse(cake_lot.life_date)
        self._make(self._production(self.cake, 5.0, user=self.worker), cake_lot)
        self.assertEqual(cake_lot.life_date, self.milk_1.life_date)
        self.assertEqual(cake_lot.removal_date, self.milk_1.life_date)
        self.assertEqual(cake_lot.quality_grade_id, self.grade_b)
        self.assertIn('MILK-1', cake_lot.message_ids[:1].body)

    def test_values_set_on_the_finished_lot_are_kept(self):
        """An expiration date and grade given to the cake lot win over its components'."""
        own_life = days_from_now(10, hour=8)
        cake_lot = self._create_lot('CAKE-1', product=self.cake, life_date=own_life,
                                    quality_grade_id=self.grade_a.id)
        self._make(self._production(self.cake, 5.0), cake_lot)
        self.assertEqual(cake_lot.component_lot_ids, self.flour_1 | self.flour_2 | self.milk_1)
        self.assertEqual(cake_lot.life_date, own_life)
        self.assertEqual(cake_lot.quality_grade_id, self.grade_a)

    def test_product_shelf_life_kept_missing_grade_inherited(self):
        """A made product with a shelf life of its own keeps the date its lot got on
        creation, and takes the worst grade of its components when it has none."""
        self.cake.life_time = 365
        cake_lot = self._create_lot('CAKE-1', product=self.cake)
        own_life = cake_lot.life_date
        self.assertDatetimeAlmostEqual(own_life, days_from_now(365))
        self._make(self._production(self.cake, 5.0), cake_lot)
        self.assertEqual(cake_lot.life_date, own_life)
        self.assertEqual(cake_lot.quality_grade_id, self.grade_b)

    def test_each_finished_lot_gets_its_own_components(self):
        """Two cake lots of one production each list only the lots consumed for them."""
        production = self._production(self.cake, 5.0, user=self.worker)
        production.action_assign()
        first = self._create_lot('CAKE-1', product=self.cake)
        second = self._create_lot('CAKE-2', product=self.cake)
        # FLOUR-1 (6, expires first) and 4 of FLOUR-2 reserved
        self._produce(production, 3.0, first, {self.flour_1: 6.0, self.milk_1: 3.0})
        self._produce(production, 2.0, second, {self.flour_2: 4.0, self.milk_1: 2.0})
        production.button_mark_done()
        self.assertEqual(first.component_lot_ids, self.flour_1 | self.milk_1)
        self.assertEqual(second.component_lot_ids, self.flour_2 | self.milk_1)
        self.assertEqual(first.quality_grade_id, self.grade_a)
        self.assertEqual(second.quality_grade_id, self.grade_b)

    def test_inventory_posted_between_two_lots(self):
        """Inventory posted after the first cake lot (Post Inventory), then the second
        lot: each lists only the lots consumed for it."""
        production = self._production(self.cake, 5.0, user=self.worker)
        production.action_assign()
        first = self._create_lot('CAKE-1', product=self.cake)
        second = self._create_lot('CAKE-2', product=self.cake)
        self._produce(production, 3.0, first, {self.flour_1: 6.0, self.milk_1: 3.0})
        production.post_inventory()
        self.assertEqual(first.component_lot_ids, self.flour_1 | self.milk_1)
        self.assertEqual(self._qty(self.cake, self.stock_location, first), 3.0)
        self._produce(production, 2.0, second, {self.flour_2: 4.0, self.milk_1: 2.0})
        production.button_mark_done()
        self.assertEqual(first.component_lot_ids, self.flour_1 | self.milk_1)
        self.assertEqual(second.component_lot_ids, self.flour_2 | self.milk_1)

    def test_untracked_finished_product(self):
        """A finished product without lots consumes tracked lots without linking any."""
        biscuit = self.env['product.product'].create({'name': 'Test Biscuit',
                                                      'type': 'product'})
        bom = self._bom(biscuit, [(self.flour, 1.0)])
        production = self._production(biscuit, 4.0, bom=bom, user=self.worker)
        production.action_assign()
        wizard = self.env['mrp.product.produce'].sudo(self.worker).with_context(
            active_id=production.id, active_ids=production.ids).create({'product_qty': 4.0})
        for line in wizard.produce_line_ids:
            line.qty_done = line.qty_to_consume
        wizard.do_produce()
        production.button_mark_done()
        self.assertEqual(production.state, 'done')
        self.assertEqual(self._consumed_lots(production), self.flour_1)
        self.assertFalse(self.flour_1.produced_lot_ids)


@at_install(False)
@post_install(True)
class TestMrpTwoLevels(MrpCase):
    """An intermediate made from components, then a finished product from it."""

    @classmethod
    def setUpClass(cls):
        super(TestMrpTwoLevels, cls).setUpClass()
        cls.dough = cls._tracked_product('Test Dough', life_time=0)
        cls.dough_bom = cls._bom(cls.dough, [(cls.flour, 1.0), (cls.milk, 1.0)])
        cls.sugar = cls._tracked_product('Test Sugar')
        cls.tart = cls._tracked_product('Test Tart', life_time=0)
        cls.tart_bom = cls._bom(cls.tart, [(cls.dough, 2.0), (cls.sugar, 1.0)])

    def test_two_levels(self):
        """The tart lot has the dough lot as component, the dough lot the raw lots; the
        earliest expiration and worst grade go through both levels."""
        flour = self._supplier_lot('FLOUR-1', self.flour, 90, self.grade_a)
        milk = self._supplier_lot('MILK-1', self.milk, 15, self.grade_c)
        sugar = self._supplier_lot('SUGAR-1', self.sugar, 300, self.grade_b)
        self._receive(self.flour, {flour: 10.0})
        self._receive(self.milk, {milk: 10.0})
        self._receive(self.sugar, {sugar: 10.0})
        dough_lot = self._create_lot('DOUGH-1', product=self.dough)
        self._make(self._production(self.dough, 4.0, bom=self.dough_bom, user=self.worker),
                   dough_lot)
        tart_lot = self._create_lot('TART-1', product=self.tart)
        tart_production = self._production(self.tart, 2.0, bom=self.tart_bom,
                                           user=self.worker)
        self._make(tart_production, tart_lot)
        self.assertEqual(dough_lot.component_lot_ids, flour | milk)
        self.assertEqual(tart_lot.component_lot_ids, dough_lot | sugar)
        self.assertEqual(dough_lot.life_date, milk.life_date)
        self.assertEqual(tart_lot.life_date, milk.life_date)
        self.assertEqual(tart_lot.quality_grade_id, self.grade_c)
        self.assertEqual(self._qty(self.dough, self.stock_location, dough_lot), 0.0)
        self.assertEqual(self._qty(self.tart, self.stock_location, tart_lot), 2.0)


@at_install(False)
@post_install(True)
class TestMrpComponentReservation(MrpCase):
    """Reserving the components of a production follows FEFO and skips the lots that
    must not be used."""

    def _expired_lot(self, name, quantity):
        """A lot of flour made 100 days ago that expired yesterday, ``quantity`` of it
        found in stock."""
        lot = self._supplier_lot(name, self.flour, -1,
                                 production_date=days_from_now(-100, hour=12))
        self._count_in(self.flour, self.stock_location, quantity, lot)
        return lot

    def _reserved(self, production, product):
        """{lot name: reserved quantity} of the production's moves of ``product``."""
        reserved = {}
        for line in production.move_raw_ids.filtered(
                lambda move: move.product_id == product).mapped('move_line_ids'):
            reserved[line.lot_id.name] = reserved.get(line.lot_id.name, 0.0) + \
                line.product_uom_qty
        return reserved

    def test_fefo_skips_expired_blocked_rejected_and_quarantine(self):
        """The components reserved are the first-expiring lots that may be used."""
        warehouse = self.env.ref('stock.warehouse0')
        warehouse.quarantine_location_id = self._create_location('Quarantine')
        expired = self._expired_lot('FLOUR-EXPIRED', 4.0)
        blocked = self._supplier_lot('FLOUR-BLOCKED', self.flour, 5, blocked=True,
                                     block_reason='Supplier recall')
        rejected = self._supplier_lot('FLOUR-REJECTED', self.flour, 6,
                                      quality_state='rejected')
        held = self._supplier_lot('FLOUR-HELD', self.flour, 7)
        early = self._supplier_lot('FLOUR-EARLY', self.flour, 30)
        late = self._supplier_lot('FLOUR-LATE', self.flour, 60)
        self._receive(self.flour, {lot: 4.0 for lot in (blocked, rejected, early, late)})
        self._count_in(self.flour, warehouse.quarantine_location_id, 4.0, held)
        self.assertEqual(self._qty(self.flour, self.stock_location, expired), 4.0)
        milk = self._supplier_lot('MILK-1', self.milk, 20)
        self._receive(self.milk, {milk: 10.0})
        production = self._production(self.cake, 3.0, user=self.worker)
        production.action_assign()
        self.assertEqual(self._reserved(production, self.flour),
                         {'FLOUR-EARLY': 4.0, 'FLOUR-LATE': 2.0})
        self.assertEqual(self._reserved(production, self.milk), {'MILK-1': 3.0})
        self.assertEqual(production.availability, 'assigned')

    def test_only_unusable_lots_left(self):
        """With only expired and blocked lots in stock, nothing is reserved."""
        self._expired_lot('FLOUR-EXPIRED', 10.0)
        blocked = self._supplier_lot('FLOUR-BLOCKED', self.flour, 50, blocked=True,
                                     block_reason='Pest found')
        self._receive(self.flour, {blocked: 10.0})
        milk = self._supplier_lot('MILK-1', self.milk, 20)
        self._receive(self.milk, {milk: 10.0})
        production = self._production(self.cake, 2.0, user=self.worker)
        production.action_assign()
        self.assertEqual(self._reserved(production, self.flour), {})
        self.assertEqual(self._reserved(production, self.milk), {'MILK-1': 2.0})
        self.assertEqual(production.availability, 'partially_available')

    def test_lot_expired_at_the_planned_start_skipped(self):
        """A lot still valid today but expired when the production starts is skipped."""
        soon = self._supplier_lot('FLOUR-SOON', self.flour, 3)
        later = self._supplier_lot('FLOUR-LATER', self.flour, 40)
        self._receive(self.flour, {soon: 10.0, later: 10.0})
        milk = self._supplier_lot('MILK-1', self.milk, 20)
        self._receive(self.milk, {milk: 10.0})
        production = self.env['mrp.production'].create({
            'product_id': self.cake.id, 'product_qty': 2.0,
            'product_uom_id': self.cake.uom_id.id, 'bom_id': self.cake_bom.id,
            'date_planned_start': days_from_now(7)})
        production.action_assign()
        self.assertEqual(self._reserved(production, self.flour), {'FLOUR-LATER': 4.0})
