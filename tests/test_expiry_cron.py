# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime, timedelta

import pytz

from odoo import fields
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import LotTrackingCase, days_from_now


@at_install(False)
@post_install(True)
class TestExpiryActivities(LotTrackingCase):
    """The daily expiry check schedules one activity per lot entering its warning period."""

    @classmethod
    def setUpClass(cls):
        super(TestExpiryActivities, cls).setUpClass()
        cls.product.responsible_id = cls.lot_manager
        cls.activity_type = cls.env.ref('stock_lot_tracking.mail_activity_type_lot_expiry')

    def _activities(self, lot):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'stock.production.lot'), ('res_id', '=', lot.id),
            ('activity_type_id', '=', self.activity_type.id)])

    def _cron(self):
        self.env['stock.production.lot']._cron_check_expiry()

    def test_one_activity_per_warning_period(self):
        """A lot in stock entering its warning period gets one activity for the product's
        responsible, due on the expiration date; later runs add none, even once done."""
        lot = self._create_lot('WARN-1', production_date=days_from_now(-95))
        self._count_in(self.product, self.stock_location, 5, lot)
        self._cron()
        activity = self._activities(lot)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.lot_manager)
        self.assertEqual(activity.date_deadline, lot.life_date[:10])
        self.assertIn('WARN-1', activity.summary)
        self.assertEqual(lot.expiry_activity_date, lot.alert_date)
        self._cron()
        self.assertEqual(len(self._activities(lot)), 1)
        activity.action_feedback(feedback='Sold to the staff shop')
        self._cron()
        self.assertFalse(self._activities(lot))

    def test_no_activity_outside_stock_or_warning_period(self):
        """Lots without stock, still valid or already expired get no activity."""
        no_stock = self._create_lot('WARN-EMPTY', production_date=days_from_now(-95))
        valid = self._create_lot('VALID', production_date=days_from_now(-10))
        expired = self._create_lot('GONE', production_date=days_from_now(-101))
        for lot in (valid, expired):
            self._count_in(self.product, self.stock_location, 5, lot)
        customer_stock = self._create_lot('AT-CUSTOMER', production_date=days_from_now(-95))
        self._count_in(self.product, self.customer_location, 5, customer_stock)
        self._cron()
        for lot in (no_stock, valid, expired, customer_stock):
            self.assertFalse(self._activities(lot), lot.name)

    def test_retest_opens_a_new_warning_period(self):
        """After a retest, the lot's next warning period gets an activity of its own."""
        lot = self._create_lot('WARN-RETEST', production_date=days_from_now(-95))
        self._count_in(self.product, self.stock_location, 5, lot)
        self._cron()
        self._activities(lot).action_feedback(feedback='Sent to the lab')
        lot.sudo(self.lot_manager).action_retest(days_from_now(8), 'Lab retest passed')
        self._cron()
        activity = self._activities(lot)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, lot.life_date[:10])


@at_install(False)
@post_install(True)
class TestExpiredStockQuarantine(LotTrackingCase):
    """The daily expiry check moves expired stock to the warehouse's quarantine location."""

    @classmethod
    def setUpClass(cls):
        super(TestExpiredStockQuarantine, cls).setUpClass()
        cls.warehouse = cls.env.ref('stock.warehouse0')
        cls.quarantine = cls._create_location('Quarantine (test)')
        cls.shelf = cls._create_location('Shelf Q1')
        cls.warehouse.write({'quarantine_location_id': cls.quarantine.id,
                             'quarantine_expired': True})
        cls.expired = cls._create_lot('OLD-1', production_date=days_from_now(-101))
        cls.valid = cls._create_lot('NEW-1', production_date=days_from_now(-5))
        cls.quarantined = cls._create_lot('OLD-Q', production_date=days_from_now(-120))
        cls._count_in(cls.product, cls.shelf, 5, cls.expired)
        cls._count_in(cls.product, cls.shelf, 4, cls.valid)
        cls._count_in(cls.product, cls.quarantine, 3, cls.quarantined)

    def _quarantine(self):
        return self.env['stock.warehouse'].search(
            [('quarantine_expired', '=', True)])._quarantine_expired_stock()

    def test_expired_stock_moves_once(self):
        """Expired stock goes to quarantine by a done internal transfer naming its lot;
        valid stock and stock already there stay; a second run moves nothing."""
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(self._qty(self.product, self.shelf, self.expired), 0)
        self.assertEqual(self._qty(self.product, self.quarantine, self.expired), 5)
        self.assertEqual(self._qty(self.product, self.shelf, self.valid), 4)
        self.assertEqual(self._qty(self.product, self.quarantine, self.quarantined), 3)
        line = self.env['stock.move.line'].search([
            ('lot_id', '=', self.expired.id), ('location_dest_id', '=', self.quarantine.id)])
        self.assertEqual(line.state, 'done')
        self.assertEqual(line.picking_id.picking_type_id, self.warehouse.int_type_id)
        self.assertIn('quarantine', line.picking_id.message_ids[0].body)
        self.assertFalse(self._quarantine())

    def test_reserved_quantity_stays(self):
        """Quantities reserved by hand on an expired lot are not moved away."""
        picking = self._picking(self.warehouse.out_type_id, self.shelf,
                                self.customer_location, 2, partner=self.customer)
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, self.valid)
        picking.move_line_ids.lot_id = self.expired  # the operator picks the lot by hand
        self.assertEqual(sum(self.env['stock.quant']._gather(
            self.product, self.shelf, lot_id=self.expired).mapped('reserved_quantity')), 2)
        self._quarantine()
        self.assertEqual(self._qty(self.product, self.shelf, self.expired), 2)
        self.assertEqual(self._qty(self.product, self.quarantine, self.expired), 3)

    def test_warehouse_without_quarantine_of_expired_stock(self):
        """A warehouse that does not ask for it keeps its expired stock in place."""
        self.warehouse.quarantine_expired = False
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(self._qty(self.product, self.shelf, self.expired), 5)


@at_install(False)
@post_install(True)
class TestExpiryStateBoundaries(LotTrackingCase):
    """The daily check moves the expiry state at the exact boundaries."""

    def _stale_lot(self, name, life_date, state):
        """A lot expiring at ``life_date`` whose stored state is ``state``, as if time
        had passed since it was computed."""
        lot = self._create_lot(name, life_date=life_date)
        self.env.cr.execute('UPDATE stock_production_lot SET expiry_state = %s WHERE id = %s',
                            (state, lot.id))
        lot.invalidate_cache(['expiry_state'], lot.ids)
        return lot

    def test_expiry_day(self):
        """A lot expiring a minute ago is expired; one expiring in a minute is not."""
        gone = self._stale_lot('B-GONE', days_from_now(-1 / 1440.0), 'warning')
        soon = self._stale_lot('B-SOON', days_from_now(1 / 1440.0), 'ok')
        refreshed = self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(gone.expiry_state, 'expired')
        self.assertEqual(soon.expiry_state, 'warning')
        self.assertLessEqual(gone | soon, refreshed)

    def test_warning_day(self):
        """The warning period starts exactly at the alert date (expiration - 10 days)."""
        entered = self._stale_lot('B-WARN', days_from_now(10 - 1 / 1440.0), 'ok')
        before = self._stale_lot('B-OK', days_from_now(10 + 1 / 1440.0), 'warning')
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(entered.expiry_state, 'warning')
        self.assertEqual(before.expiry_state, 'ok')

    def test_today_and_second_run(self):
        """A lot expired earlier today is expired; a second run refreshes nothing."""
        lot = self._stale_lot('B-TODAY', days_from_now(0, hour=0), 'ok')
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(lot.expiry_state, 'expired')
        self.assertFalse(self.env['stock.production.lot']._cron_check_expiry())

    def test_due_date_in_responsible_time_zone(self):
        """The warning activity is due on the expiration day in the responsible's time
        zone, not in UTC."""
        self.lot_manager.tz = 'Pacific/Auckland'  # UTC+13 in December
        self.product.responsible_id = self.lot_manager
        life = datetime.now().replace(hour=20, minute=0, second=0, microsecond=0) \
            + timedelta(days=5)
        lot = self._create_lot('B-TZ', life_date=fields.Datetime.to_string(life))
        self._count_in(self.product, self.stock_location, 1, lot)
        self.env['stock.production.lot']._cron_check_expiry()
        activity = lot.activity_ids
        self.assertEqual(len(activity), 1)
        local = pytz.utc.localize(life).astimezone(pytz.timezone('Pacific/Auckland'))
        self.assertEqual(activity.date_deadline, fields.Date.to_string(local.date()))
        self.assertNotEqual(activity.date_deadline, fields.Datetime.to_string(life)[:10])
        self.assertIn(self.lot_manager.partner_id, lot.message_partner_ids)


@at_install(False)
@post_install(True)
class TestExpiredLotActivity(LotTrackingCase):
    """Expired lots still in stock get one "Lot Expired — decide" activity."""

    @classmethod
    def setUpClass(cls):
        super(TestExpiredLotActivity, cls).setUpClass()
        cls.product.responsible_id = cls.lot_manager
        cls.expired_type = cls.env.ref('stock_lot_tracking.mail_activity_type_lot_expired')
        cls.warning_type = cls.env.ref('stock_lot_tracking.mail_activity_type_lot_expiry')

    def _activities(self, lot, activity_type):
        return lot.activity_ids.filtered(lambda act: act.activity_type_id == activity_type)

    def test_one_expired_activity_over_runs(self):
        """An expired lot in stock gets one decide activity due today (its responsible
        notified), once, even after it is done; no warning activity."""
        lot = self._create_lot('EXP-1', production_date=days_from_now(-101))
        self._count_in(self.product, self.stock_location, 5, lot)
        channel = json.dumps((self.env.cr.dbname, 'res.partner',
                              self.lot_manager.partner_id.id), separators=(',', ':'))
        Bus = self.env['bus.bus']
        notified = Bus.search_count([('channel', '=', channel)])
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(Bus.search_count([('channel', '=', channel)]), notified + 1)
        activity = self._activities(lot, self.expired_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, fields.Date.context_today(lot))
        self.assertEqual(activity.user_id, self.lot_manager)
        self.assertIn('EXP-1', activity.summary)
        self.assertFalse(self._activities(lot, self.warning_type))
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(len(self._activities(lot, self.expired_type)), 1)
        activity.action_feedback(feedback='Disposed')
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertFalse(lot.activity_ids)

    def test_warning_then_expired(self):
        """A lot gets its warning activity, then the distinct decide activity once
        expired: one of each kind."""
        lot = self._create_lot('EXP-2', production_date=days_from_now(-95))
        self._count_in(self.product, self.stock_location, 5, lot)
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(len(self._activities(lot, self.warning_type)), 1)
        lot.sudo(self.lot_manager).action_retest(days_from_now(1 / 1440.0), 'Shortened')
        self.env.cr.execute(
            "UPDATE stock_production_lot SET life_date = %s WHERE id = %s",
            (days_from_now(-1 / 1440.0), lot.id))
        lot.invalidate_cache()
        self.env['stock.production.lot']._cron_check_expiry()
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(len(self._activities(lot, self.warning_type)), 1)
        self.assertEqual(len(self._activities(lot, self.expired_type)), 1)

    def test_no_activity_without_stock(self):
        """An expired lot without stock gets no decide activity."""
        lot = self._create_lot('EXP-EMPTY', production_date=days_from_now(-101))
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertFalse(lot.activity_ids)


@at_install(False)
@post_install(True)
class TestExpiryCheckWithoutExpiration(LotTrackingCase):
    """The daily check leaves products without expiration dates alone."""

    def test_products_without_expiration_left_alone(self):
        """A lot with a past date of a product without expiration dates is neither
        given an activity nor quarantined."""
        warehouse = self.env.ref('stock.warehouse0')
        quarantine = self._create_location('Quarantine (no expiry)')
        warehouse.write({'quarantine_location_id': quarantine.id, 'quarantine_expired': True})
        plain = self.env['product.product'].create({
            'name': 'Bolts by Lot', 'type': 'product', 'tracking': 'lot',
            'use_expiration_date': False, 'responsible_id': self.lot_manager.id})
        past = self._create_lot('PLAIN-1', product=plain, life_date=days_from_now(-3))
        warned = self._create_lot('PLAIN-2', product=plain, life_date=days_from_now(2),
                                  alert_date=days_from_now(-1))
        shelf = self._create_location('Shelf plain')
        self._count_in(plain, shelf, 5, past)
        self._count_in(plain, shelf, 5, warned)
        self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(self._qty(plain, shelf, past), 5)
        self.assertFalse(past.activity_ids | warned.activity_ids)


@at_install(False)
@post_install(True)
class TestExpiryCheckIsolation(LotTrackingCase):
    """One failing quarantine transfer does not undo the rest of the daily check."""

    def test_failing_lot_isolated(self):
        """A one-lot quarantine location refuses the expired lot of a product it already
        holds: that lot stays, with a message; the other lot moves; states and
        activities are kept; the check does not fail."""
        warehouse = self.env.ref('stock.warehouse0')
        quarantine = self._create_location('Quarantine (one lot)')
        quarantine.single_lot = True
        warehouse.write({'quarantine_location_id': quarantine.id, 'quarantine_expired': True})
        other = self.env['product.product'].create({
            'name': 'Tracked Yeast', 'type': 'product', 'tracking': 'lot',
            'use_expiration_date': True, 'life_time': 50, 'expiry_warning_days': 5,
            'responsible_id': self.lot_manager.id})
        self.product.responsible_id = self.lot_manager
        shelf = self._create_location('Shelf iso')
        held = self._create_lot('ISO-HELD', production_date=days_from_now(-10))
        self._count_in(self.product, quarantine, 2, held)
        refused = self._create_lot('ISO-REFUSED', production_date=days_from_now(-101))
        moved = self._create_lot('ISO-MOVED', product=other, production_date=days_from_now(-60))
        warned = self._create_lot('ISO-WARN', production_date=days_from_now(-95))
        self._count_in(self.product, shelf, 5, refused)
        self._count_in(other, shelf, 3, moved)
        self._count_in(self.product, shelf, 4, warned)
        self.env.cr.execute("UPDATE stock_production_lot SET expiry_state = 'ok' "
                            "WHERE id IN %s", ((refused.id, moved.id, warned.id),))
        self.env['stock.production.lot'].invalidate_cache()
        # the failure is logged as an error: expected here
        with mute_logger('odoo.addons.stock_lot_tracking.models.stock_warehouse'):
            self.env['stock.production.lot']._cron_check_expiry()
        self.assertEqual(self._qty(self.product, shelf, refused), 5)
        self.assertEqual(self._qty(other, shelf, moved), 0)
        self.assertEqual(self._qty(other, quarantine, moved), 3)
        self.assertEqual(refused.expiry_state, 'expired')
        self.assertEqual(warned.expiry_state, 'warning')
        self.assertEqual(len(warned.activity_ids), 1)
        self.assertEqual(len(refused.activity_ids), 1)
        self.assertIn('could not move', refused.message_ids[0].body)
        self.assertIn('ISO-HELD', refused.message_ids[0].body)


@at_install(False)
@post_install(True)
class TestExpiredStockQuarantineBatches(LotTrackingCase):
    """The daily check quarantines by transfers of a bounded size."""

    def test_transfers_of_fifty_quants(self):
        """51 expired lots (and the demo data's) go to quarantine by transfers of at most
        50 moves, all of them moved."""
        warehouse = self.env.ref('stock.warehouse0')
        quarantine = self._create_location('Quarantine (batches)')
        shelf = self._create_location('Shelf batches')
        warehouse.write({'quarantine_location_id': quarantine.id, 'quarantine_expired': True})
        inventory = self.env['stock.inventory'].create({
            'name': 'Expired lots', 'filter': 'partial', 'location_id': shelf.id})
        inventory.action_start()
        lots = self.env['stock.production.lot']
        for index in range(51):
            lot = self._create_lot('BATCH-%02d' % index, production_date=days_from_now(-101))
            lots |= lot
            self.env['stock.inventory.line'].create({
                'inventory_id': inventory.id, 'product_id': self.product.id,
                'location_id': shelf.id, 'prod_lot_id': lot.id, 'product_qty': 1})
        inventory.action_done()
        pickings = warehouse._quarantine_expired_stock()
        sizes = [len(picking.move_lines) for picking in pickings]
        self.assertEqual(max(sizes), 50)
        self.assertEqual(len(pickings), (sum(sizes) + 49) // 50)
        self.assertGreaterEqual(sum(sizes), 51)
        self.assertEqual(set(pickings.mapped('state')), {'done'})
        quants = self.env['stock.quant'].search([('lot_id', 'in', lots.ids),
                                                 ('quantity', '>', 0)])
        self.assertEqual(quants.mapped('location_id'), quarantine)
        self.assertEqual(len(quants), 51)
