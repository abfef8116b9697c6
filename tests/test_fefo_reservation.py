# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from functools import partial

from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .common import days_from_now
from .reservation_common import LotReservationCase


@at_install(False)
@post_install(True)
class TestFefoReservation(LotReservationCase):
    """Automatic reservation by removal date, skipping the lots that must not ship."""

    def test_fefo_order(self):
        """Lots are reserved by removal date, the first to expire first."""
        self._stocked_lot('LATE', 60)
        self._stocked_lot('EARLY', 20)
        self._stocked_lot('MIDDLE', 40)
        picking = self._delivery(self.customer, 15)
        self.assertEqual(self._reserved(picking), {'EARLY': 10, 'MIDDLE': 5})
        self.assertEqual(picking.move_lines.state, 'assigned')

    def test_use_fefo_forces_the_strategy(self):
        """use_fefo wins over the removal strategy of the category."""
        category = self.env['product.category'].create({
            'name': 'LIFO goods',
            'removal_strategy_id': self.env.ref('stock.removal_lifo').id})
        self.product.categ_id = category
        quant_model = self.env['stock.quant']
        self.assertEqual(
            quant_model._get_removal_strategy(self.product, self.stock_location), 'fefo')
        self.product.use_fefo = False
        self.assertEqual(
            quant_model._get_removal_strategy(self.product, self.stock_location), 'lifo')
        category.removal_strategy_id = self.env.ref('product_expiry.removal_fefo')
        self.assertEqual(
            quant_model._get_removal_strategy(self.product, self.stock_location), 'fefo')

    def test_fefo_by_category_strategy(self):
        """A FEFO removal strategy on the category reserves by removal date too."""
        self.product.use_fefo = False
        self.product.categ_id = self.env['product.category'].create({
            'name': 'FEFO goods',
            'removal_strategy_id': self.env.ref('product_expiry.removal_fefo').id})
        self._stocked_lot('LATE', 60)
        self._stocked_lot('EARLY', 20)
        picking = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(picking), {'EARLY': 10})

    def test_expired_at_scheduled_date_skipped(self):
        """A lot valid today but expired at the scheduled date is not reserved."""
        expiring = self._stocked_lot('EXPIRING', 5)
        self._stocked_lot('FRESH', 50)
        picking = self._delivery(self.customer, 10, date=days_from_now(10))
        self.assertEqual(self._reserved(picking), {'FRESH': 10})
        reasons = picking.move_lines._get_lot_skip_reasons(expiring)
        self.assertEqual(reasons[expiring.id],
                         'expired on %s' % expiring.life_date[:10])
        # the same stock is reservable for a delivery today
        today = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(today), {'EXPIRING': 10})

    def test_expiry_ignored_without_expiration_dates(self):
        """Products without expiration dates reserve lots whatever their dates."""
        self.product.use_expiration_date = False
        self._stocked_lot('OLD', -5)
        picking = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(picking), {'OLD': 10})

    def test_blocked_skipped(self):
        """A blocked lot is not reserved; the reason gives the block reason."""
        blocked = self._stocked_lot('BLOCKED', 20)
        blocked.action_block('complaint 42')
        self._stocked_lot('GOOD', 50)
        picking = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(picking), {'GOOD': 10})
        self.assertEqual(picking.move_lines._get_lot_skip_reasons(blocked),
                         {blocked.id: 'blocked: complaint 42'})

    def test_rejected_skipped(self):
        """A quality-rejected lot is not reserved."""
        rejected = self._stocked_lot('REJECTED', 20)
        rejected.action_reject('mould')
        self._stocked_lot('GOOD', 50)
        picking = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(picking), {'GOOD': 10})
        self.assertEqual(picking.move_lines._get_lot_skip_reasons(rejected),
                         {rejected.id: 'quality rejected'})

    def test_pending_skipped_when_release_required(self):
        """Products that ship approved lots only skip the lots still pending."""
        self.product.write({'track_quality': True, 'quality_release_required': True})
        pending = self._stocked_lot('PENDING', 20)
        approved = self._stocked_lot('APPROVED', 50)
        approved.action_approve()
        self.assertEqual(pending.quality_state, 'pending')
        picking = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(picking), {'APPROVED': 10})
        self.assertEqual(picking.move_lines._get_lot_skip_reasons(pending),
                         {pending.id: 'quality not released yet'})

    def test_quarantine_skipped(self):
        """Stock in a quarantine location or below it is not reserved."""
        bin_location = self._create_location('Quarantine bin', parent=self.quarantine)
        self._stocked_lot('HELD', 20, location=bin_location)
        self._stocked_lot('HELD2', 25, location=self.quarantine)
        self._stocked_lot('GOOD', 50)
        picking = self._delivery(self.customer, 30)
        self.assertEqual(self._reserved(picking), {'GOOD': 10})
        self.assertEqual(picking.move_lines.state, 'partially_available')

    def test_move_out_of_quarantine_reserves_it(self):
        """A move that leaves the quarantine location reserves the stock there."""
        self._stocked_lot('HELD', 20, location=self.quarantine)
        picking = self._delivery(self.customer, 10, location=self.quarantine)
        self.assertEqual(self._reserved(picking), {'HELD': 10})

    def test_quarantine_location_checks(self):
        """The quarantine location is internal, and required to quarantine expired
        stock."""
        with self.assertRaises(ValidationError):
            self.warehouse.quarantine_location_id = self.customer_location
        self.warehouse.quarantine_location_id = False
        with self.assertRaises(ValidationError):
            self.warehouse.quarantine_expired = True
        self.warehouse.write({'quarantine_location_id': self.quarantine.id,
                              'quarantine_expired': True})
        self.assertTrue(self.warehouse.quarantine_expired)

    def test_partial_reservation_across_lots(self):
        """What the rules leave is reserved across several lots, partially."""
        self._stocked_lot('L1', 20, quantity=4)
        self._stocked_lot('EXPIRED', -1, quantity=10)
        self._stocked_lot('L2', 30, quantity=3)
        self._stocked_lot('L3', 40, quantity=2)
        picking = self._delivery(self.customer, 12)
        move = picking.move_lines
        self.assertEqual(self._reserved(picking), {'L1': 4, 'L2': 3, 'L3': 2})
        self.assertEqual(move.state, 'partially_available')
        self.assertEqual(move.reserved_availability, 9)
        # more stock arrives: the next reservation completes the move
        self._stocked_lot('L4', 50, quantity=5)
        picking.action_assign()
        self.assertEqual(self._reserved(picking), {'L1': 4, 'L2': 3, 'L3': 2, 'L4': 3})
        self.assertEqual(move.state, 'assigned')

    def test_nothing_reservable_stays_waiting(self):
        """A move whose only stock is skipped stays waiting without operations."""
        self._stocked_lot('EXPIRED', -1)
        picking = self._delivery(self.customer, 5)
        self.assertEqual(picking.move_lines.state, 'confirmed')
        self.assertEqual(picking.state, 'confirmed')
        self.assertFalse(picking.move_line_ids)
        quant = self.env['stock.quant']._gather(self.product, self.stock_location)
        self.assertEqual(sum(quant.mapped('reserved_quantity')), 0)

    def test_skipped_stock_reserved_by_another_customer(self):
        """A lot too short for one customer is reserved for another one."""
        demanding = self.env['res.partner'].create({
            'name': 'Demanding Customer', 'min_shelf_life_days': 30})
        self._stocked_lot('SHORT', 20)
        self._stocked_lot('LONG', 60)
        first = self._delivery(demanding, 10)
        self.assertEqual(self._reserved(first), {'LONG': 10})
        second = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(second), {'SHORT': 10})

    def test_manual_lot_on_move_line(self):
        """An operator may still reserve a skipped lot by hand on a move line."""
        expired = self._stocked_lot('EXPIRED', -1)
        good = self._stocked_lot('GOOD', 50)
        picking = self._delivery(self.customer, 5)
        self.assertEqual(self._reserved(picking), {'GOOD': 5})
        picking.move_line_ids.write({'lot_id': expired.id})
        quant_model = self.env['stock.quant']
        for lot, reserved in ((expired, 5), (good, 0)):
            quant = quant_model._gather(self.product, self.stock_location, lot_id=lot,
                                        strict=True)
            self.assertEqual(quant.reserved_quantity, reserved)
        self.assertEqual(picking.move_lines.reserved_availability, 5)

    def test_vendor_return_takes_any_lot(self):
        """A return to the vendor reserves blocked and expired lots: that is where they
        go."""
        blocked = self._stocked_lot('BLOCKED', -3)
        blocked.action_block('recall')
        picking = self._picking(self.picking_type_out, self.stock_location,
                                self.supplier_location, 10, partner=self.supplier)
        picking.action_assign()
        self.assertEqual(self._reserved(picking), {'BLOCKED': 10})

    def test_untracked_product_unaffected(self):
        """Products without lots reserve as before, except from quarantine."""
        box = self.env['product.product'].create({'name': 'Box', 'type': 'product'})
        self._count_in(box, self.stock_location, 5)
        self._count_in(box, self.quarantine, 5)
        picking = self._delivery(self.customer, 8, product=box)
        self.assertEqual(picking.move_lines.reserved_availability, 5)

    def test_skip_reasons_constant_queries(self):
        """Skip reasons and the filtered gather cost the same queries for 3 or 30
        lots."""
        demanding = self.env['res.partner'].create({
            'name': 'Demanding Customer', 'min_shelf_life_days': 30,
            'min_quality_grade_id': self.grade_b.id})
        grades = self.grade_a | self.grade_c
        cases = []
        for count in (3, 30):
            product = self.product.copy({'name': 'Powder %s' % count,
                                         'track_quality': True})
            lots = self.env['stock.production.lot']
            for index in range(count):
                lots |= self._stocked_lot(
                    'P%s-%02d' % (count, index), 10 + index * 3, quantity=1,
                    product=product, quality_grade_id=grades[index % 2].id)
            move = self._delivery(demanding, 1, product=product, assign=False).move_lines
            cases.append((product, lots, move))

        def count_queries(function):
            function()  # warm the caches that outlive the records' cache
            self.env['stock.move'].invalidate_cache()
            before = self.cr.sql_log_count
            function()
            return self.cr.sql_log_count - before

        counts = []
        for product, lots, move in cases:
            quants = self.env['stock.quant'].with_context(lot_reservation_move_id=move.id)
            counts.append((
                count_queries(partial(move._get_lot_skip_reasons, lots)),
                count_queries(partial(quants._gather, product, self.stock_location)),
            ))
        self.assertEqual(counts[0], counts[1])
        reasons = cases[1][2]._get_lot_skip_reasons(cases[1][1])
        # 7 lots with less than 30 days left, 15 of grade C: 3 of them both
        self.assertEqual(len(reasons), 7 + 15 - 3)
