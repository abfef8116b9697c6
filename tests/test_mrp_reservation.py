# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bulk reservation with mrp installed (needs mrp: run in the mrp test database, see
tools/test.sh; not listed in tests/__init__.py for that reason)."""
from odoo.tests.common import at_install, post_install

from ..models.stock_move_line import BULK_CREATE_MODULES, foreign_overrides
from .test_reservation_bulk import ODOO, ReservationCase


class MrpReservationCase(ReservationCase):
    """FEFO components of a cake and its bill of materials."""

    @classmethod
    def setUpClass(cls):
        super(MrpReservationCase, cls).setUpClass()
        cls.sugar = cls.env['product.product'].create({
            'name': 'Sugar', 'type': 'product', 'categ_id': cls.category.id})
        cls.cake = cls.env['product.product'].create({
            'name': 'Cake', 'type': 'product', 'tracking': 'lot'})
        cls.bom = cls.env['mrp.bom'].create({
            'product_tmpl_id': cls.cake.product_tmpl_id.id, 'product_id': cls.cake.id,
            'product_qty': 1.0, 'product_uom_id': cls.cake.uom_id.id, 'type': 'normal',
            'bom_line_ids': [(0, 0, {'product_id': cls.product.id, 'product_qty': 5.0}),
                             (0, 0, {'product_id': cls.sugar.id, 'product_qty': 1.0})]})

    def _production(self, quantity, env=None, bom=None, name='MO-TEST'):
        """A confirmed manufacturing order of ``quantity`` cakes (named: the compared
        runs give their lines the same production)."""
        env = env or self.env
        return env['mrp.production'].create({
            'name': name, 'product_id': self.cake.id, 'product_qty': quantity,
            'product_uom_id': self.cake.uom_id.id, 'bom_id': (bom or self.bom).id})


@at_install(False)
@post_install(True)
class TestMrpReservationBulk(MrpReservationCase):
    """With mrp installed, productions are reserved in bulk as Odoo reserves them."""

    def test_mrp_leaves_the_bulk_paths(self):
        """mrp overrides the writing of move lines, neither their creation nor what the
        bulk reservation replaces: both bulk paths are taken."""
        line_class = type(self.env['stock.move.line'])
        self.assertIn('mrp', foreign_overrides(line_class, 'write', BULK_CREATE_MODULES))
        self.assertEqual(foreign_overrides(line_class, 'create', BULK_CREATE_MODULES), [])
        self.assertTrue(self.env['stock.move.line']._bulk_create_supported())
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(), [])

    def test_components_as_odoo(self):
        """The components of a production: same lines (mrp's columns included), same
        quants as Odoo's reservation."""
        def scenario(env):
            lots = self._lots(4)
            self._put(lots[2], 10, self.shelf_1)
            self._put(lots[0], 6, self.shelf_2)
            self._put(lots[1], 10, self.stock_location)
            self._put(lots[3], 30, self.shelf_1)
            self._put(None, 3, self.shelf_1, product=self.sugar)
            self._put(None, 4, self.shelf_2, product=self.sugar)
            production = self._production(6, env=env)
            production.action_assign()
            return production.move_raw_ids
        result = self._compare_with_odoo(scenario)
        moves = [row for row in result if row[0] == 'move']
        self.assertEqual(sorted(moves), [('move', 'assigned', 6.0), ('move', 'assigned', 30.0)])
        self.assertEqual(self._lines(result, 'lot_id', 'product_uom_qty', 'production_id'),
                         [('L000', 6.0, 'MO-TEST'), ('L001', 10.0, 'MO-TEST'),
                          ('L002', 10.0, 'MO-TEST'), ('L003', 4.0, 'MO-TEST'),
                          (False, 3.0, 'MO-TEST'), (False, 3.0, 'MO-TEST')])

    def test_components_partial_then_complete(self):
        """Stock arriving after a partial reservation: the line of the lot grows and the
        new lot gets a line, as with Odoo."""
        def scenario(env):
            lots = self._lots(3)
            self._put(lots[1], 10)
            self._put(None, 10, product=self.sugar)
            production = self._production(4, env=env)
            production.action_assign()
            self.assertEqual(production.availability, 'partially_available')
            self._put(lots[1], 5)
            self._put(lots[0], 3)
            self._put(lots[2], 10)
            production.action_assign()
            return production.move_raw_ids
        result = self._compare_with_odoo(scenario)
        self.assertEqual(self._lines(result, 'lot_id', 'product_uom_qty'),
                         [('L001', 15.0), ('L000', 3.0), ('L002', 2.0), (False, 4.0)])

    def test_unreserve_and_reserve_components_again(self):
        """Unreserving a production frees its quants; reserving it again gives the same
        lines as Odoo."""
        def scenario(env):
            for lot in self._lots(3):
                self._put(lot, 10)
            self._put(None, 10, product=self.sugar)
            production = self._production(5, env=env)
            production.action_assign()
            production.button_unreserve()
            self.assertFalse(production.move_raw_ids.mapped('move_line_ids'))
            production.action_assign()
            return production.move_raw_ids
        result = self._compare_with_odoo(scenario)
        self.assertEqual(self._lines(result, 'lot_id', 'product_uom_qty'),
                         [('L000', 10.0), ('L001', 10.0), ('L002', 5.0), (False, 5.0)])


@at_install(False)
@post_install(True)
class TestMrpReservationQueries(MrpReservationCase):
    """With mrp installed, the queries of a production's reservation do not grow with
    the number of lots of its components."""

    def _queries_to_reserve(self, count):
        """Queries of reserving a production whose component takes ``count`` lots."""
        component = self.env['product.product'].create({
            'name': 'Bulk %d' % count, 'type': 'product', 'tracking': 'lot',
            'categ_id': self.category.id})
        bom = self.env['mrp.bom'].create({
            'product_tmpl_id': self.cake.product_tmpl_id.id, 'product_id': self.cake.id,
            'product_qty': 1.0, 'product_uom_id': self.cake.uom_id.id, 'type': 'normal',
            'bom_line_ids': [(0, 0, {'product_id': component.id, 'product_qty': 5.0})]})
        for lot in self._lots(count, product=component, prefix='Q%d-' % count):
            self._put(lot, 10, product=component)
        production = self._production(2 * count - 1, bom=bom, name='MO-Q%d' % count)
        production.invalidate_cache()
        before = self.env.cr.sql_log_count
        production.action_assign()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(production.availability, 'assigned')
        self.assertEqual(len(production.move_raw_ids.move_line_ids), count)
        return queries

    def test_query_count_is_constant(self):
        """Twice the lots, the same number of queries."""
        self._queries_to_reserve(5)  # warm-up: caches of units, precision, defaults
        small = self._queries_to_reserve(40)
        large = self._queries_to_reserve(80)
        self.assertLessEqual(large, small + 2, (small, large))
        self.assertLess(large, 80 * 2)

    def test_odoo_count_grows(self):
        """Odoo's own reservation of the same production, for reference, costs queries
        per lot."""
        self.env = self.env(context=dict(self.env.context, **{ODOO: True}))
        self._queries_to_reserve(5)
        small = self._queries_to_reserve(10)
        large = self._queries_to_reserve(20)
        self.assertGreater(large - small, 10 * 3)
