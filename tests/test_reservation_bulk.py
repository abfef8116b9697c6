# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from unittest.mock import patch

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api, models
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from ..models import stock_move, stock_move_line, stock_quant
from ..models.stock_move_line import foreign_overrides
from .common import LotTrackingCase, days_from_now

ODOO = 'stock_reservation_one_by_one'
# columns of move lines that differ from one run to the other
RUN_COLUMNS = {'id', 'move_id', 'picking_id', 'reference', 'date'} | set(
    models.LOG_ACCESS_COLUMNS)


def line_columns(env):
    """The stored columns of move lines compared between two runs."""
    return sorted(name for name, field in env['stock.move.line']._fields.items()
                  if field.store and field.column_type and name not in RUN_COLUMNS)


class ReservationCase(LotTrackingCase):
    """Stock of lots with expiration dates, and deliveries of it."""

    @classmethod
    def setUpClass(cls):
        super(ReservationCase, cls).setUpClass()
        cls.category = cls.env['product.category'].create({
            'name': 'FEFO goods',
            'removal_strategy_id': cls.env.ref('product_expiry.removal_fefo').id})
        cls.product.categ_id = cls.category
        cls.shelf_1 = cls._create_location('Shelf 1')
        cls.shelf_2 = cls._create_location('Shelf 2')
        cls.dozen = cls.env.ref('product.product_uom_dozen')

    def _lots(self, count, product=None, prefix='L', first_day=10):
        """``count`` lots expiring one day after the other, the first in ``first_day``."""
        product = product or self.product
        return [self.env['stock.production.lot'].create({
            'name': '%s%03d' % (prefix, index), 'product_id': product.id,
            'life_date': days_from_now(first_day + index, hour=12)})
            for index in range(count)]

    def _put(self, lot, quantity, location=None, product=None, **kwargs):
        """Put ``quantity`` of ``lot`` into ``location`` (a quant, as a receipt would)."""
        self.env['stock.quant']._update_available_quantity(
            product or self.product, location or self.stock_location, quantity,
            lot_id=lot, **kwargs)

    def _stock_lots(self, count, quantity=10, product=None, prefix='L'):
        """``count`` lots (see ``_lots``), ``quantity`` of each put into the stock."""
        lots = self._lots(count, product=product, prefix=prefix)
        for lot in lots:
            self._put(lot, quantity, product=product)
        return lots

    def _delivery(self, quantity, product=None, uom=None, location=None, env=None,
                  partner=None):
        """A confirmed move of ``quantity`` to the customer."""
        env = env or self.env
        partner = self.customer if partner is None else partner
        product = (product or self.product).with_env(env)
        move = env['stock.move'].create({
            'name': 'Delivery', 'product_id': product.id,
            'product_uom': (uom or product.uom_id).id, 'product_uom_qty': quantity,
            'location_id': (location or self.stock_location).id,
            'location_dest_id': self.customer_location.id,
            'partner_id': partner.id})
        move._action_confirm()
        return move

    def _reserved_delivery(self, quantity, env, **kwargs):
        """A delivery of ``quantity`` (see ``_delivery``), reserved."""
        move = self._delivery(quantity, env=env, **kwargs)
        move._action_assign()
        return move

    @staticmethod
    def _snapshot(moves):
        """What a reservation produced, by names: move states and reserved quantities,
        every stored column of the move lines in creation order (but ids, dates and
        references, which differ from one run to the other), quants of the products."""
        def name(record):
            return record.display_name if record else False
        columns = line_columns(moves.env)
        result = []
        for move in moves:
            result.append(('move', move.state, move.reserved_availability))
            for line in move.move_line_ids.sorted('id'):
                result.append(('line',) + tuple(
                    name(line[column]) if line._fields[column].type == 'many2one'
                    else line[column] for column in columns))
        quants = moves.env['stock.quant'].search(
            [('product_id', 'in', moves.mapped('product_id').ids)], order='id')
        for quant in quants:
            result.append(('quant', name(quant.location_id), name(quant.lot_id),
                           name(quant.package_id), name(quant.owner_id), quant.quantity,
                           quant.reserved_quantity))
        return result

    def _lines(self, result, *columns):
        """The values of ``columns`` of the move lines of a snapshot."""
        names = line_columns(self.env)
        indexes = [names.index(column) + 1 for column in columns]
        return [tuple(row[index] for index in indexes) if len(indexes) > 1
                else row[indexes[0]] for row in result if row[0] == 'line']

    def _compare_with_odoo(self, scenario):
        """Run ``scenario(case, env)`` -> moves from the same state with Odoo's reservation,
        then with the bulk reservation, and check both give the same result."""
        cr = self.env.cr
        cr.execute('SAVEPOINT slt_reservation_compare')
        odoo_env = self.env(context=dict(self.env.context, **{ODOO: True}))
        expected = self._snapshot(scenario(odoo_env))
        cr.execute('ROLLBACK TO SAVEPOINT slt_reservation_compare')
        self.env.clear()
        result = self._snapshot(scenario(self.env))
        self.assertEqual(result, expected)
        return result


@at_install(False)
@post_install(True)
class TestReservationBulk(ReservationCase):
    """The bulk reservation gives what Odoo's reservation gives."""

    def test_partial_availability(self):
        """Not enough stock: every lot is taken in FEFO order, the move is partial."""
        def scenario(env):
            self._stock_lots(3)
            return self._reserved_delivery(35, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'partially_available', 30.0))
        self.assertEqual(self._lines(result, 'lot_id'), ['L000', 'L001', 'L002'])

    def test_fefo_across_locations(self):
        """Lots in several locations are taken by expiration date, the last one in part."""
        def scenario(env):
            lots = self._lots(4)
            self._put(lots[3], 10, self.shelf_1)
            self._put(lots[1], 10, self.shelf_2)
            self._put(lots[0], 4, self.shelf_2)
            self._put(lots[2], 10, self.stock_location)
            return self._reserved_delivery(20, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 20.0))
        self.assertEqual(self._lines(result, 'location_id', 'lot_id', 'product_uom_qty'),
                         [('WH/Stock/Shelf 2', 'L000', 4.0), ('WH/Stock/Shelf 2', 'L001', 10.0),
                          ('WH/Stock', 'L002', 6.0)])

    def test_packages_and_owners(self):
        """Quants in packages or owned by a partner give lines with package and owner."""
        def scenario(env):
            lots = self._lots(3)
            package = self.env['stock.quant.package'].create({'name': 'PACK-1'})
            self._put(lots[0], 5, package_id=package)
            self._put(lots[1], 5, owner_id=self.supplier)
            self._put(lots[2], 5)
            return self._reserved_delivery(12, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(self._lines(result, 'package_id', 'owner_id'),
                         [('PACK-1', False), (False, 'Test Supplier'), (False, False)])

    def test_serial_numbers(self):
        """Serial numbers: one line per unit."""
        scale = self.env['product.product'].create({
            'name': 'Scale', 'type': 'product', 'tracking': 'serial',
            'categ_id': self.category.id})

        def scenario(env):
            self._stock_lots(5, quantity=1, product=scale, prefix='SN')
            return self._reserved_delivery(3, env, product=scale)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(self._lines(result, 'lot_id'), ['SN000', 'SN001', 'SN002'])

    def test_move_in_another_unit(self):
        """A move in dozens reserves whole dozens; lines are in dozens when they can be."""
        def scenario(env):
            lots = self._lots(3)
            self._put(lots[0], 12)
            self._put(lots[1], 10)
            self._put(lots[2], 20)
            return self._reserved_delivery(3, env, uom=self.dozen)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 3.0))
        self.assertEqual(self._lines(result, 'product_uom_qty', 'product_uom_id'),
                         [(1.0, 'Dozen(s)'), (10.0, 'Unit(s)'), (14.0, 'Unit(s)')])

    def test_partial_in_another_unit(self):
        """Partial reservation of a move in dozens: 30 units are 2.5 dozens."""
        def scenario(env):
            self._stock_lots(3)
            return self._reserved_delivery(4, env, uom=self.dozen)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'partially_available', 2.5))

    def test_assign_again_after_receipt(self):
        """More stock arrives: the existing line of a lot grows, new lots get new lines."""
        def scenario(env):
            lots = self._lots(3)
            self._put(lots[1], 10)
            move = self._reserved_delivery(30, env)
            self._put(lots[1], 5)
            self._put(lots[0], 4)
            self._put(lots[2], 30)
            move._action_assign()
            return move
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 30.0))
        self.assertEqual(self._lines(result, 'lot_id', 'product_uom_qty'),
                         [('L001', 15.0), ('L000', 4.0), ('L002', 11.0)])

    def test_unreserve_and_reserve_again(self):
        """Unreserving frees the quants; reserving again gives the same lines."""
        def scenario(env):
            self._stock_lots(4)
            move = self._reserved_delivery(25, env)
            move._do_unreserve()
            self.assertEqual(sum(env['stock.quant'].search(
                [('product_id', '=', self.product.id)]).mapped('reserved_quantity')), 0)
            move._action_assign()
            return move
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 25.0))

    def test_two_moves_share_the_quants(self):
        """The second move takes what the first left, lot by lot."""
        def scenario(env):
            self._stock_lots(3)
            first = self._delivery(15, env=env)
            second = self._delivery(20, env=env)
            (first | second)._action_assign()
            return first | second
        result = self._compare_with_odoo(scenario)
        self.assertIn(('move', 'partially_available', 15.0), result)
        quants = [row for row in result if row[0] == 'quant']
        self.assertEqual([row[6] for row in quants], [10.0, 10.0, 10.0])

    def test_two_quants_of_one_lot(self):
        """Two quants of the same lot and location end on one move line."""
        def scenario(env):
            lot = self._lots(1)[0]
            for in_date in (days_from_now(-2), days_from_now(-1)):
                self.env['stock.quant'].sudo().create({
                    'product_id': self.product.id, 'location_id': self.stock_location.id,
                    'lot_id': lot.id, 'quantity': 5, 'in_date': in_date})
            return self._reserved_delivery(8, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(self._lines(result, 'product_uom_qty', 'ordered_qty'), [(8.0, 5.0)])

    def test_negative_quant_of_a_lot(self):
        """A lot negative in one place and positive in another counts for what is left."""
        def scenario(env):
            lots = self._lots(2)
            self._put(lots[0], 10, self.shelf_1)
            self._put(lots[0], -6, self.shelf_2)
            self._put(lots[1], 10, self.shelf_1)
            return self._reserved_delivery(20, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'partially_available', 14.0))

    def test_chained_move(self):
        """A move after a done move reserves exactly the lots that move brought."""
        output = self.env.ref('stock.stock_location_output')

        def scenario(env):
            self._stock_lots(3)
            pick = env['stock.move'].create({
                'name': 'Pick', 'product_id': self.product.id,
                'product_uom': self.product.uom_id.id, 'product_uom_qty': 25,
                'location_id': self.stock_location.id, 'location_dest_id': output.id})
            ship = env['stock.move'].create({
                'name': 'Ship', 'product_id': self.product.id,
                'product_uom': self.product.uom_id.id, 'product_uom_qty': 25,
                'location_id': output.id, 'location_dest_id': self.customer_location.id,
                'move_orig_ids': [(4, pick.id)], 'procure_method': 'make_to_order'})
            (pick | ship)._action_confirm()
            pick._action_assign()
            for line in pick.move_line_ids:
                line.qty_done = line.product_uom_qty
            pick._action_done()
            ship._action_assign()
            return ship
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 25.0))
        self.assertEqual(self._lines(result, 'lot_id'), ['L000', 'L001', 'L002'])

    def test_untracked_product(self):
        """A product without lots reserves from its quants as Odoo does."""
        sugar = self.env['product.product'].create({
            'name': 'Sugar', 'type': 'product', 'categ_id': self.category.id})

        def scenario(env):
            self._put(None, 7, self.shelf_1, product=sugar)
            self._put(None, 5, self.shelf_2, product=sugar)
            return self._reserved_delivery(9, env, product=sugar)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'assigned', 9.0))

    def test_nothing_available(self):
        """With every lot reserved elsewhere, nothing is reserved and no line is made."""
        def scenario(env):
            self._stock_lots(2)
            self._reserved_delivery(20, env)
            return self._reserved_delivery(5, env)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'confirmed', 0.0))
        self.assertFalse(self._lines(result, 'lot_id'))

    def test_serial_numbers_whole_units_only(self):
        """A move of serial numbers in dozens cannot take a fraction of a serial."""
        scale = self.env['product.product'].create({
            'name': 'Scale', 'type': 'product', 'tracking': 'serial',
            'categ_id': self.category.id})

        def scenario(env):
            self._stock_lots(5, quantity=1, product=scale, prefix='SN')
            return self._reserved_delivery(1, env, product=scale, uom=self.dozen)
        result = self._compare_with_odoo(scenario)
        self.assertEqual(result[0], ('move', 'confirmed', 0.0))

    def test_indexes_of_the_reservation(self):
        """The columns the reservation searches by are indexed."""
        self.env.cr.execute("""
            SELECT tablename, indexdef FROM pg_indexes
            WHERE tablename IN ('stock_quant', 'stock_move_line')""")
        definitions = [row[1] for row in self.env.cr.fetchall()]
        for table, column in (('stock_quant', 'product_id'), ('stock_quant', 'location_id'),
                              ('stock_quant', 'lot_id'), ('stock_move_line', 'move_id'),
                              ('stock_move_line', 'picking_id')):
            self.assertTrue([definition for definition in definitions
                             if 'ON public.%s USING btree (%s)' % (table, column)
                             in definition], (table, column))

    def test_lines_are_complete(self):
        """The lines created in bulk carry every value a created line carries."""
        self._stock_lots(2)
        move = self._reserved_delivery(15, self.env)
        lines = move.move_line_ids
        self.assertEqual(lines.mapped('move_id'), move)
        self.assertEqual(set(lines.mapped('state')), {'assigned'})
        self.assertEqual(set(lines.mapped('reference')), {move.reference})
        self.assertEqual(lines.mapped('product_qty'), [10.0, 5.0])
        self.assertEqual(lines.mapped('ordered_qty'), [10.0, 5.0])
        for line in lines:
            self.assertEqual(line.create_uid, self.env.user)
            self.assertTrue(line.date)
            self.assertDatetimeAlmostEqual(line.create_date, line.date)


@at_install(False)
@post_install(True)
class TestReservationQueries(ReservationCase):
    """The number of queries of a reservation does not depend on the number of lots."""

    def _queries_to_reserve(self, count):
        """Queries of ``_action_assign`` of one move taking ``count`` lots of 10 units."""
        product = self.env['product.product'].create({
            'name': 'Bulk %d' % count, 'type': 'product', 'tracking': 'lot',
            'categ_id': self.category.id})
        self._stock_lots(count, product=product, prefix='B%d-' % count)
        move = self._delivery(10 * count - 5, product=product)
        move.invalidate_cache()
        before = self.env.cr.sql_log_count
        move._action_assign()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(move.state, 'assigned')
        self.assertEqual(len(move.move_line_ids), count)
        return queries

    def test_query_count_is_constant(self):
        """Twice the lots, the same number of queries."""
        self._queries_to_reserve(5)  # warm-up: caches of units, precision, defaults
        small = self._queries_to_reserve(40)
        large = self._queries_to_reserve(80)
        self.assertLessEqual(large, small + 2, (small, large))
        self.assertLess(large, 80 * 2)

    def test_other_addon_create_override_falls_back(self):
        """When an addon unknown to the bulk insert overrides the creation of move lines,
        the lines are created one by one through it, with the same result."""
        line_model = self.env['stock.move.line']
        self.assertTrue(line_model._bulk_create_supported())
        with patch.object(stock_move_line, 'BULK_CREATE_MODULES',
                          ('stock', 'stock_lot_tracking')):
            self.assertFalse(line_model._bulk_create_supported())
            self._queries_to_reserve(5)
            small = self._queries_to_reserve(10)
            large = self._queries_to_reserve(20)

            def scenario(env):
                self._stock_lots(3)
                return self._reserved_delivery(25, env)
            result = self._compare_with_odoo(scenario)
        self.assertGreater(large - small, 10)
        self.assertEqual(result[0], ('move', 'assigned', 25.0))

    def test_odoo_count_grows(self):
        """Odoo's own reservation, for reference, costs queries per lot."""
        self.env = self.env(context=dict(self.env.context, **{ODOO: True}))
        self._queries_to_reserve(5)
        small = self._queries_to_reserve(10)
        large = self._queries_to_reserve(20)
        self.assertGreater(large - small, 10 * 3)


@at_install(False)
@post_install(True)
class TestReservationGuard(ReservationCase):
    """The bulk reservation runs only where it skips no other addon's code."""

    def _install_override(self, model_name, method, module='other_addon'):
        """Put in the registry, until the end of the test, a class of ``model_name`` that
        extends its current class with an override of ``method`` by addon ``module``
        (as Odoo builds the class of a model from the addons that extend it). The
        override records the positional arguments of each call and calls the method it
        overrides.

        :return: (the new class, the list of the calls)
        """
        registry = self.env.registry
        current = registry.models[model_name]
        overridden = getattr(current, method)
        calls = []

        def override(records, *args, **kwargs):
            calls.append(args)
            return overridden(records, *args, **kwargs)
        new = type(model_name, (current,), {'_module': module, method: override})
        registry.models[model_name] = new
        self.addCleanup(registry.models.__setitem__, model_name, current)
        return new, calls

    def test_bulk_paths_taken_on_this_registry(self):
        """Odoo's and this addon's code only: both bulk paths are taken, and the guard
        sees Odoo's own overrides (what it would report for another addon's)."""
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(), [])
        self.assertTrue(self.env['stock.move.line']._bulk_create_supported())
        quant_class = type(self.env['stock.quant'])
        self.assertEqual(foreign_overrides(quant_class, '_update_reserved_quantity',
                                           ('stock_lot_tracking',)), ['stock'])
        self.assertEqual(foreign_overrides(quant_class, '_gather', ('stock',)),
                         ['stock_lot_tracking'])

    def test_only_overrides_below_the_addon_count_for_moves(self):
        """An override of the moves' reservation above this addon's still runs (it calls
        super into the bulk path); one below would be skipped."""
        move_class = type(self.env['stock.move'])
        method = '_update_reserved_quantity'
        self.assertEqual(foreign_overrides(move_class, method, ('stock_lot_tracking',),
                                           below=stock_move.StockMove), ['stock'])
        self.assertEqual(foreign_overrides(move_class, method, ('stock',),
                                           below=stock_move.StockMove), [])
        above, calls = self._install_override('stock.move', method)
        self.assertEqual(foreign_overrides(above, method, stock_quant.BULK_RESERVE_MODULES),
                         ['other_addon'])
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(), [])
        self._stock_lots(3)
        move = self._reserved_delivery(25, self.env)
        self.assertEqual([args[0] for args in calls], [25.0])
        self.assertEqual(move.reserved_availability, 25.0)

    def test_quant_override_takes_odoos_path(self):
        """Another addon's override of the quants' reservation makes the reservation take
        Odoo's path, which calls it, with the result of the bulk path."""
        def scenario(env):
            for lot in self._lots(3):
                self._put(lot, 10, self.shelf_1)
            return self._reserved_delivery(25, env)
        self.env.cr.execute('SAVEPOINT slt_reservation_guard')
        audited, calls = self._install_override(
            'stock.quant', '_update_reserved_quantity', module='quant_audit')
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(),
                         ['quant_audit'])
        expected = self._snapshot(scenario(self.env))
        self.assertEqual([(args[1].name, args[2]) for args in calls], [('Stock', 25.0)])
        self.env.cr.execute('ROLLBACK TO SAVEPOINT slt_reservation_guard')
        self.env.registry.models['stock.quant'] = audited.__bases__[0]
        self.env.clear()
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(), [])
        result = self._snapshot(scenario(self.env))
        self.assertEqual(len(calls), 1)
        self.assertEqual(result, expected)
        self.assertEqual(result[0], ('move', 'assigned', 25.0))

    def test_available_quantity_override_takes_odoos_path(self):
        """An override of the quants' available quantity, which the bulk path
        recomputes itself, makes the reservation take Odoo's path too."""
        self._install_override('stock.quant', '_get_available_quantity')
        self.assertEqual(self.env['stock.move']._get_bulk_reservation_blockers(),
                         ['other_addon'])


@at_install(False)
@post_install(True)
class TestReservationConcurrency(ReservationCase):
    """Two users reserving the same lots at the same time."""

    def setUp(self):
        super(TestReservationConcurrency, self).setUp()
        self.registry = odoo.registry(self.env.cr.dbname)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
            product = env['product.product'].create({
                'name': 'Concurrent Honey', 'type': 'product', 'tracking': 'lot'})
            lots = [env['stock.production.lot'].create({
                'name': 'HONEY-%d' % index, 'product_id': product.id}) for index in range(3)]
            for lot in lots:
                env['stock.quant']._update_available_quantity(
                    product, env.ref('stock.stock_location_stock'), 10, lot_id=lot)
            self.ids = {'product': product.id, 'lots': [lot.id for lot in lots]}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            product = self.ids['product']
            cr.execute("DELETE FROM stock_move_line WHERE product_id = %s", (product,))
            cr.execute("DELETE FROM stock_move WHERE product_id = %s", (product,))
            cr.execute("DELETE FROM stock_quant WHERE product_id = %s", (product,))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env['stock.production.lot'].browse(self.ids['lots']).unlink()
            env['product.product'].browse(product).product_tmpl_id.unlink()

    def _reserve(self, cr, quantity):
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        product = env['product.product'].browse(self.ids['product'])
        return self._reserved_delivery(quantity, env, product=product,
                                       partner=env['res.partner']).reserved_availability

    def _reserved_in_database(self):
        with self.registry.cursor() as cr:
            cr.execute("""SELECT SUM(quantity), SUM(reserved_quantity),
                                 BOOL_OR(reserved_quantity > quantity)
                          FROM stock_quant WHERE product_id = %s""", (self.ids['product'],))
            return cr.fetchone()

    def test_second_user_waits_and_cannot_over_reserve(self):
        """The second reservation waits for the first; it then fails to serialize and,
        retried, takes only what the first left."""
        outcome = {}
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            with api.Environment.manage():
                self.assertEqual(self._reserve(cr1, 25), 25)

            def second():
                with api.Environment.manage():
                    try:
                        with mute_logger('odoo.sql_db'):
                            self._reserve(cr2, 10)
                        cr2.commit()
                        outcome['first try'] = 'committed'
                    except psycopg2.extensions.TransactionRollbackError:
                        cr2.rollback()
                        outcome['first try'] = 'serialization failure'
                with api.Environment.manage():  # retried as a new request
                    outcome['retry'] = self._reserve(cr2, 10)
                    cr2.commit()

            thread = threading.Thread(target=second)
            thread.start()
            thread.join(2)
            self.assertTrue(thread.is_alive(), 'the second reservation should wait')
            cr1.commit()
            thread.join(60)
            self.assertFalse(thread.is_alive())
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(outcome, {'first try': 'serialization failure', 'retry': 5})
        self.assertEqual(self._reserved_in_database(), (30, 30, False))
