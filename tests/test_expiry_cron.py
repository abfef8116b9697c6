# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import at_install, post_install

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
        picking = self.env['stock.picking'].create({
            'picking_type_id': self.warehouse.out_type_id.id,
            'location_id': self.shelf.id,
            'location_dest_id': self.customer_location.id,
            'partner_id': self.customer.id,
            'move_lines': [(0, 0, {
                'name': self.product.name, 'product_id': self.product.id,
                'product_uom': self.product.uom_id.id, 'product_uom_qty': 2,
                'location_id': self.shelf.id,
                'location_dest_id': self.customer_location.id})],
        })
        picking.action_confirm()
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
