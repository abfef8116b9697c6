# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2
from psycopg2 import errorcodes

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, get_db_name, post_install
from odoo.tools import mute_logger

from ..lib import single_lot_guard
from .common import LotTrackingCase
from .test_stock_lot_restock import RestockCase


def receive(env, product, lot, quantity, location):
    """Receive ``quantity`` of ``lot`` from the vendor into ``location`` (a done move)."""
    move = env['stock.move'].create({
        'name': 'Receive %s' % lot.name,
        'product_id': product.id,
        'product_uom': product.uom_id.id,
        'product_uom_qty': quantity,
        'location_id': env.ref('stock.stock_location_suppliers').id,
        'location_dest_id': location.id,
    })
    move._action_confirm()
    move._action_assign()
    move.move_line_ids.write({'lot_id': lot.id, 'qty_done': quantity})
    move._action_done()
    return move


def transfer(env, product, lot, quantity, source, destination):
    """Move ``quantity`` of ``lot`` from ``source`` to ``destination`` (a done move)."""
    move = env['stock.move'].create({
        'name': 'Move %s' % lot.name,
        'product_id': product.id,
        'product_uom': product.uom_id.id,
        'product_uom_qty': quantity,
        'location_id': source.id,
        'location_dest_id': destination.id,
    })
    move._action_confirm()
    move._action_assign()
    move.move_line_ids.write({'qty_done': quantity})
    move._action_done()
    return move


@at_install(False)
@post_install(True)
class TestSingleLotLocation(RestockCase):
    """A single-lot location holds one lot of a lot-tracked product at a time."""

    @classmethod
    def setUpClass(cls):
        super(TestSingleLotLocation, cls).setUpClass()
        cls.bins = cls.env['stock.location'].create({
            'name': 'Bins', 'location_id': cls.stock_location.id, 'usage': 'internal'})
        cls.bin_1 = cls.env['stock.location'].create({
            'name': 'Bin 1', 'location_id': cls.bins.id, 'single_lot': True})
        cls.bin_2 = cls.env['stock.location'].create({
            'name': 'Bin 2', 'location_id': cls.bins.id, 'single_lot': True})
        cls.lot_a = cls._create_lot('LOT-A')
        cls.lot_b = cls._create_lot('LOT-B')

    def test_second_lot_is_refused(self):
        """A second lot of the product cannot enter; the message names product, location
        and both lots."""
        receive(self.env, self.product, self.lot_a, 5, self.bin_1)
        with self.assertRaises(ValidationError) as error:
            receive(self.env, self.product, self.lot_b, 3, self.bin_1)
        message = error.exception.name
        for text in ('Bins/Bin 1', 'Tracked Milk Powder', 'LOT-A', 'LOT-B'):
            self.assertIn(text, message)

    def test_same_lot_can_be_added(self):
        """More of the lot already in the location may enter."""
        receive(self.env, self.product, self.lot_a, 5, self.bin_1)
        receive(self.env, self.product, self.lot_a, 2, self.bin_1)
        self.assertEqual(self.product.with_context(location=self.bin_1.id).qty_available, 7)

    def test_other_lot_enters_once_the_first_is_gone(self):
        """Once the first lot has fully left, another lot may enter."""
        receive(self.env, self.product, self.lot_a, 5, self.bin_1)
        transfer(self.env, self.product, self.lot_a, 2, self.bin_1, self.stock_location)
        with self.assertRaises(ValidationError):
            receive(self.env, self.product, self.lot_b, 1, self.bin_1)
        transfer(self.env, self.product, self.lot_a, 3, self.bin_1, self.stock_location)
        receive(self.env, self.product, self.lot_b, 1, self.bin_1)
        self.assertEqual(self.bin_1._get_lots_in_stock(), {self.product: self.lot_b})

    def test_move_lines_without_done_quantity_are_dropped(self):
        """A move whose line into a single-lot location has nothing done is done
        without error (Odoo deletes that line while the move is done)."""
        move = self.env['stock.move'].create({
            'name': 'Receive', 'product_id': self.product.id,
            'product_uom': self.product.uom_id.id, 'product_uom_qty': 5,
            'location_id': self.supplier_location.id, 'location_dest_id': self.bins.id})
        move._action_confirm()
        move._action_assign()
        move.move_line_ids.write({'lot_id': self.lot_a.id, 'qty_done': 5})
        self.env['stock.move.line'].create({
            'move_id': move.id, 'product_id': self.product.id,
            'product_uom_id': self.product.uom_id.id, 'location_id': move.location_id.id,
            'location_dest_id': self.bin_1.id, 'lot_id': self.lot_b.id, 'qty_done': 0})
        self.env['stock.move.line'].invalidate_cache()
        move._action_done()
        self.assertEqual(move.state, 'done')
        self.assertEqual(self.bins._get_lots_in_stock(), {self.product: self.lot_a})
        self.assertFalse(self.bin_1._get_lots_in_stock())

    def test_other_products_and_locations_are_free(self):
        """Another product, and an ordinary location, may take any lot."""
        other = self.env['product.product'].create({
            'name': 'Tracked Sugar', 'type': 'product', 'tracking': 'lot'})
        sugar = self._create_lot('SUGAR-1', product=other)
        receive(self.env, self.product, self.lot_a, 5, self.bin_1)
        receive(self.env, other, sugar, 5, self.bin_1)
        receive(self.env, self.product, self.lot_a, 5, self.bins)
        receive(self.env, self.product, self.lot_b, 5, self.bins)
        self.assertEqual(len(self.bins._get_lots_in_stock()[self.product]), 2)

    def test_serial_numbers_share_a_location(self):
        """Serial-tracked products are not limited: each serial is its own lot."""
        serial_product = self.env['product.product'].create({
            'name': 'Tracked Scale', 'type': 'product', 'tracking': 'serial'})
        for name in ('SN-1', 'SN-2'):
            receive(self.env, serial_product, self._create_lot(name, product=serial_product),
                    1, self.bin_1)
        self.assertEqual(serial_product.with_context(location=self.bin_1.id).qty_available, 2)

    def test_marking_a_location_holding_two_lots_is_refused(self):
        """A location holding two lots of a product cannot become single-lot."""
        receive(self.env, self.product, self.lot_a, 5, self.bins)
        receive(self.env, self.product, self.lot_b, 5, self.bins)
        with self.assertRaises(ValidationError) as error:
            self.bins.single_lot = True
        self.assertIn('LOT-A, LOT-B', error.exception.name)

    def test_wizard_proposes_the_location_holding_the_lot(self):
        """The restock wizard proposes the bin that already holds the lot."""
        receive(self.env, self.product, self.lot_a, 5, self.bin_2)
        picking = self._purchase([(self.product, 4)]).picking_ids
        picking.location_dest_id = self.bins
        picking.move_lines.write({'location_dest_id': self.bins.id})
        wizard = self._open_wizard(picking)
        wizard.line_ids.write({'lot_name': 'LOT-A', 'location_dest_id': False})
        wizard._propose_locations()
        self.assertEqual(wizard.line_ids.location_dest_id, self.bin_2)
        wizard.action_confirm()
        self.assertEqual(self.product.with_context(location=self.bin_2.id).qty_available, 9)

    def test_wizard_proposes_empty_locations_per_lot(self):
        """Two new lots go to two different empty bins."""
        picking = self._purchase([(self.product, 4)]).picking_ids
        picking.move_lines.write({'location_dest_id': self.bins.id})
        wizard = self._open_wizard(picking)
        wizard.line_ids.write({'lot_name': 'NEW-1', 'quantity': 2})
        self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.product.id,
            'lot_name': 'NEW-2', 'quantity': 2})
        wizard._propose_locations()
        self.assertEqual(set(wizard.line_ids.mapped('location_dest_id').ids),
                         {self.bin_1.id, self.bin_2.id})
        wizard.action_confirm()
        self.assertEqual(picking.state, 'done')

    def test_wizard_says_when_no_location_suits(self):
        """With every bin holding another lot, the line says so and confirming into an
        occupied bin is refused by name."""
        receive(self.env, self.product, self.lot_a, 1, self.bin_1)
        receive(self.env, self.product, self.lot_b, 1, self.bin_2)
        picking = self._purchase([(self.product, 4)]).picking_ids
        picking.move_lines.write({'location_dest_id': self.bins.id})
        wizard = self._open_wizard(picking)
        line = wizard.line_ids
        line.write({'lot_name': 'NEW-1', 'location_dest_id': False})
        wizard._propose_locations()
        self.assertIn('No single-lot location under', line.location_note)
        self.assertEqual(line.location_dest_id, self.bins)
        line.location_dest_id = self.bin_1
        with self.assertRaises(ValidationError) as error:
            wizard.action_confirm()
        for text in ('Bins/Bin 1', 'LOT-A', 'NEW-1', 'Tracked Milk Powder'):
            self.assertIn(text, error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'NEW-1')]))

    def test_wizard_refuses_two_new_lots_in_one_bin(self):
        """Two lines sending two new lots into one empty bin are refused before any lot
        is created, also for a plain stock user."""
        picking = self._purchase([(self.product, 4)]).picking_ids.sudo(self.clerk)
        wizard = self._open_wizard(picking).sudo(self.clerk)
        wizard.line_ids.write({'lot_name': 'NEW-1', 'quantity': 2,
                               'location_dest_id': self.bin_1.id})
        self.env['stock.lot.restock.line'].sudo(self.clerk).create({
            'wizard_id': wizard.id, 'product_id': self.product.id, 'lot_name': 'NEW-2',
            'quantity': 2, 'location_dest_id': self.bin_1.id})
        with self.assertRaises(ValidationError) as error:
            wizard.action_confirm()
        self.assertIn('lots NEW-1, NEW-2 of product Tracked Milk Powder', error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', 'in', ('NEW-1', 'NEW-2'))]))
        self.assertFalse(any(picking.move_line_ids.mapped('qty_done')))

    def test_location_proposal_serves_lines_in_order(self):
        """The proposal of stock.location gives each new lot its own free bin, keeps a
        suitable current destination, and says when nothing is left."""
        receive(self.env, self.product, self.lot_a, 1, self.bin_1)
        proposals = self.env['stock.location']._propose_single_lot_locations([
            {'base': self.bins, 'product': self.product, 'lot': 'LOT-A',
             'location': self.env['stock.location'], 'keep': 'suitable'},
            {'base': self.bins, 'product': self.product, 'lot': 'NEW-1',
             'location': self.bin_1, 'keep': 'suitable'},
            {'base': self.bins, 'product': self.product, 'lot': 'NEW-2',
             'location': self.env['stock.location'], 'keep': 'suitable'},
        ])
        self.assertEqual([location for location, __ in proposals],
                         [self.bin_1, self.bin_2, self.bins])
        self.assertEqual([bool(note) for __, note in proposals], [False, False, True])


@at_install(False)
@post_install(True)
class TestSingleLotConcurrency(LotTrackingCase):
    """Two transactions putting different lots into one single-lot location."""

    mode = 'exclusion'

    @classmethod
    def setUpClass(cls):
        # the rule is switched before the class's transaction starts: it reads
        # stock_quant, and the switch needs the table to itself
        with odoo.registry(get_db_name()).cursor() as cr:
            single_lot_guard.install(cr, cls.mode == 'exclusion')
        super(TestSingleLotConcurrency, cls).setUpClass()

    @classmethod
    def tearDownClass(cls):
        super(TestSingleLotConcurrency, cls).tearDownClass()
        with odoo.registry(get_db_name()).cursor() as cr:
            single_lot_guard.install(cr)

    def setUp(self):
        super(TestSingleLotConcurrency, self).setUp()
        self.registry = odoo.registry(self.env.cr.dbname)
        with self.registry.cursor() as cr:
            self.assertEqual(single_lot_guard.get_mode(cr), self.mode)
            env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
            product = env['product.product'].create({
                'name': 'Concurrent Cocoa', 'type': 'product', 'tracking': 'lot'})
            location = env['stock.location'].create({
                'name': 'Concurrent Bin', 'single_lot': True,
                'location_id': env.ref('stock.stock_location_stock').id})
            lots = [env['stock.production.lot'].create({'name': name, 'product_id': product.id})
                    for name in ('COCOA-1', 'COCOA-2')]
            self.ids = {'product': product.id, 'location': location.id,
                        'lots': [lot.id for lot in lots]}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            product, location = self.ids['product'], self.ids['location']
            cr.execute("DELETE FROM stock_move_line WHERE product_id = %s", (product,))
            cr.execute("DELETE FROM stock_move WHERE product_id = %s", (product,))
            cr.execute("DELETE FROM stock_quant WHERE product_id = %s", (product,))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env['stock.production.lot'].browse(self.ids['lots']).unlink()
            env['product.product'].browse(product).product_tmpl_id.unlink()
            env['stock.location'].browse(location).unlink()

    def _records(self, env):
        return (env['product.product'].browse(self.ids['product']),
                env['stock.location'].browse(self.ids['location']),
                env['stock.production.lot'].browse(self.ids['lots']))

    def _lots_in_location(self):
        with self.registry.cursor() as cr:
            cr.execute("""SELECT l.name FROM stock_quant q
                          JOIN stock_production_lot l ON l.id = q.lot_id
                          WHERE q.location_id = %s AND q.quantity > 0""",
                       (self.ids['location'],))
            return sorted(row[0] for row in cr.fetchall())

    def _second_receipt(self, cr):
        """Receive the second lot through ``cr``: the outcome, or the error raised."""
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        product, location, lots = self._records(env)
        try:
            with mute_logger('odoo.sql_db'):
                receive(env, product, lots[1], 3, location)
        except (ValidationError, psycopg2.Error) as error:
            cr.rollback()
            return error
        return 'received'

    def test_second_lot_waits_for_the_first_transaction(self):
        """While the first transaction is open, the single-lot check of the second one
        waits for it (here: it gives up at its lock timeout, an explicit error); once
        the first has committed, the second is refused by name."""
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {'tracking_disable': True})
            product, location, lots = self._records(env1)
            receive(env1, product, lots[0], 5, location)
            env2 = api.Environment(cr2, SUPERUSER_ID, {'tracking_disable': True})
            product, location, lots = self._records(env2)
            env2['stock.quant']._update_available_quantity(
                product, location, 3, lot_id=lots[1])
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with self.assertRaises(psycopg2.OperationalError) as error, \
                    mute_logger('odoo.sql_db'):
                env2['stock.quant']._check_single_lot_locations()
            self.assertEqual(error.exception.pgcode, errorcodes.LOCK_NOT_AVAILABLE)
            cr2.rollback()
            cr1.commit()
            outcome = self._second_receipt(cr2)
        finally:
            cr1.close()
            cr2.close()
        self.assertIsInstance(outcome, ValidationError)
        for text in ('COCOA-1', 'COCOA-2', 'Concurrent Bin', 'Concurrent Cocoa'):
            self.assertIn(text, outcome.name)
        self.assertEqual(self._lots_in_location(), ['COCOA-1'])

    def test_second_receipt_started_before_the_first_commits_is_refused(self):
        """A transaction that started before the first committed is refused once it
        puts its lot in, by name or (trigger) by a serialization failure that Odoo
        retries; the retry is refused by name."""
        cr1, cr2 = self.registry.cursor(), self.registry.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {'tracking_disable': True})
            product, location, lots = self._records(env1)
            receive(env1, product, lots[0], 5, location)
            cr2.execute("SELECT 1")  # the second transaction's snapshot: before the commit
            cr1.commit()
            outcome = self._second_receipt(cr2)
            if self.mode == 'trigger':
                self.assertIsInstance(outcome, psycopg2.OperationalError)
                self.assertEqual(outcome.pgcode, errorcodes.SERIALIZATION_FAILURE)
                outcome = self._second_receipt(cr2)  # what Odoo's retry does
            self.assertIsInstance(outcome, ValidationError)
        finally:
            cr1.close()
            cr2.close()
        for text in ('COCOA-1', 'COCOA-2', 'Concurrent Bin', 'Concurrent Cocoa'):
            self.assertIn(text, outcome.name)
        self.assertEqual(self._lots_in_location(), ['COCOA-1'])

    def test_database_refuses_the_second_commit(self):
        """Even without the early check, the database lets only one of two transactions
        that both put a lot in the location commit."""
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            for cr, index in ((cr1, 0), (cr2, 1)):
                env = api.Environment(cr, SUPERUSER_ID, {})
                product, location, lots = self._records(env)
                # the quants are written as a move would, without the move's early check
                env['stock.quant']._update_available_quantity(
                    product, location, 2, lot_id=lots[index])
            cr1.commit()
            with self.assertRaises(psycopg2.Error) as error, mute_logger('odoo.sql_db'):
                cr2.commit()
            if self.mode == 'exclusion':
                self.assertEqual(error.exception.pgcode, errorcodes.EXCLUSION_VIOLATION)
                self.assertEqual(error.exception.diag.constraint_name,
                                 'stock_quant_single_lot_excl')
            else:
                self.assertEqual(error.exception.pgcode, errorcodes.SERIALIZATION_FAILURE)
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(self._lots_in_location(), ['COCOA-1'])


@at_install(False)
@post_install(True)
class TestSingleLotConcurrencyTrigger(TestSingleLotConcurrency):
    """The same two transactions where the role may not create btree_gist: the
    constraint trigger keeps the rule."""

    mode = 'trigger'
