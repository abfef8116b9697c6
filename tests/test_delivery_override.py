# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .reservation_common import LotReservationCase


@at_install(False)
@post_install(True)
class TestDeliveryOverride(LotReservationCase):
    """Lots chosen by hand on a delivery: refused, or delivered once confirmed."""

    @classmethod
    def setUpClass(cls):
        super(TestDeliveryOverride, cls).setUpClass()
        cls.demanding = cls.env['res.partner'].create({
            'name': 'Demanding Customer', 'min_shelf_life_days': 30})
        cls.good = cls._stocked_lot('GOOD', 60)
        cls.expired = cls._stocked_lot('EXPIRED', -2)
        cls.short = cls._stocked_lot('SHORT', 12)

    def _ship_lot(self, picking, lot):
        """The operator replaces the reserved lot by ``lot`` and sets the quantity done."""
        line = picking.move_line_ids
        self.assertEqual(len(line), 1)
        line.write({'lot_id': lot.id})
        line.qty_done = line.product_uom_qty
        return line

    def test_good_lot_validates(self):
        """A delivery of reservable lots is validated without questions."""
        picking = self._delivery(self.demanding, 5)
        self.assertEqual(self._reserved(picking), {'GOOD': 5})
        picking.move_line_ids.qty_done = 5
        picking.button_validate()
        self.assertEqual(picking.state, 'done')

    def test_expired_lot_asks_confirmation(self):
        """An expired lot chosen by hand opens the confirmation with the reason."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        action = picking.button_validate()
        self.assertEqual(action['res_model'], 'stock.lot.delivery.confirm')
        self.assertEqual(picking.state, 'assigned')
        wizard = self.env['stock.lot.delivery.confirm'].browse(action['res_id'])
        self.assertEqual(wizard.line_ids.lot_id, self.expired)
        self.assertEqual(wizard.line_ids.quantity, 5)
        self.assertEqual(wizard.line_ids.reason,
                         'expired on %s' % self.expired.life_date[:10])

    def test_confirmation_validates_and_is_recorded(self):
        """Deliver anyway validates and records who confirmed which lot and why."""
        picking = self._delivery(self.demanding, 5)
        self._ship_lot(picking, self.short)
        action = picking.sudo(self.clerk).button_validate()
        wizard = self.env['stock.lot.delivery.confirm'].sudo(self.clerk).browse(
            action['res_id'])
        self.assertIn('days left, customer requires 30', wizard.line_ids.reason)
        wizard.action_confirm()
        self.assertEqual(picking.state, 'done')
        message = picking.message_ids.filtered(
            lambda message: 'confirmed the delivery' in (message.body or ''))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.clerk.partner_id)
        self.assertIn(self.clerk.name, message.body)
        self.assertIn('SHORT', message.body)
        self.assertIn('customer requires 30', message.body)
        self.assertEqual(self._qty(self.product, self.stock_location, self.short), 5)

    def test_cancel_leaves_delivery(self):
        """Cancelling the confirmation leaves the delivery as it was."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        picking.button_validate()
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(self._qty(self.product, self.stock_location, self.expired), 10)

    def test_blocked_lot_refused(self):
        """A blocked lot is refused outright, naming lot, product and reason."""
        self.short.action_block('recall 7')
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.short)
        with self.assertRaises(UserError) as error:
            picking.button_validate()
        message = error.exception.name
        self.assertIn('SHORT', message)
        self.assertIn(self.product.display_name, message)
        self.assertIn('blocked: recall 7', message)
        with self.assertRaises(UserError):
            picking.with_context(lot_delivery_confirmed=True).button_validate()
        self.assertEqual(picking.state, 'assigned')

    def test_rejected_lot_refused(self):
        """A quality-rejected lot is refused outright."""
        self.short.action_reject('salmonella')
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.short)
        with self.assertRaises(UserError) as error:
            picking.button_validate()
        self.assertIn('quality rejected', error.exception.name)

    def test_blocked_meanwhile_refused_at_confirmation(self):
        """A lot blocked while the confirmation was open is still refused."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        action = picking.button_validate()
        self.expired.action_block('lab result')
        wizard = self.env['stock.lot.delivery.confirm'].browse(action['res_id'])
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(picking.state, 'assigned')

    def test_immediate_transfer_checks_reserved_lots(self):
        """Without done quantities, the reserved lots are checked before the immediate
        transfer question."""
        picking = self._delivery(self.customer, 5)
        picking.move_line_ids.write({'lot_id': self.expired.id})
        action = picking.button_validate()
        self.assertEqual(action['res_model'], 'stock.lot.delivery.confirm')
        wizard = self.env['stock.lot.delivery.confirm'].browse(action['res_id'])
        action = wizard.action_confirm()
        self.assertEqual(action['res_model'], 'stock.immediate.transfer')
        self.env['stock.immediate.transfer'].browse(action['res_id']).process()
        self.assertEqual(picking.state, 'done')

    def test_quarantine_stock_asks_confirmation(self):
        """Stock taken by hand from the quarantine location asks for confirmation."""
        held = self._stocked_lot('HELD', 50, location=self.quarantine)
        picking = self._delivery(self.customer, 5)
        line = self._ship_lot(picking, held)
        line.location_id = self.quarantine
        action = picking.button_validate()
        wizard = self.env['stock.lot.delivery.confirm'].browse(action['res_id'])
        self.assertIn('quarantine location', wizard.line_ids.reason)

    def test_vendor_return_not_checked(self):
        """Returning quarantined, expired stock to the vendor needs no confirmation."""
        self.expired.action_block('return to vendor')
        self._count_in(self.product, self.quarantine, 4, self.expired)
        picking = self._picking(self.picking_type_out, self.quarantine,
                                self.supplier_location, 4, partner=self.supplier)
        picking.action_assign()
        self.assertEqual(self._reserved(picking), {'EXPIRED': 4})
        picking.move_line_ids.qty_done = 4
        picking.button_validate()
        self.assertEqual(picking.state, 'done')

    def test_internal_transfer_not_checked(self):
        """Internal transfers of expired lots (to quarantine) need no confirmation."""
        picking = self._picking(self.warehouse.int_type_id, self.stock_location,
                                self.quarantine, 10)
        picking.action_assign()
        # moves into quarantine take any lot, expired first
        self.assertEqual(self._reserved(picking), {'EXPIRED': 10})
        picking.move_line_ids.qty_done = 10
        picking.button_validate()
        self.assertEqual(picking.state, 'done')


@at_install(False)
@post_install(True)
class TestWhyNotThisLot(LotReservationCase):
    """The explanation of the lots a waiting delivery did not reserve."""

    def test_lines_and_reasons(self):
        """Every lot in the source location is listed in FEFO order with its reason."""
        expired = self._stocked_lot('EXPIRED', -1)
        blocked = self._stocked_lot('BLOCKED', 10)
        blocked.action_block('hold')
        self._stocked_lot('HELD', 15, location=self.quarantine)
        self._stocked_lot('OTHERS', 18)
        self._stocked_lot('MINE', 30)
        other = self._delivery(self.customer, 10)
        self.assertEqual(self._reserved(other), {'OTHERS': 10})
        picking = self._delivery(self.customer, 25)
        self.assertEqual(self._reserved(picking), {'MINE': 10})
        self._stocked_lot('NEW', 40, quantity=3)
        self.assertTrue(picking.show_lot_reservation_info)
        action = picking.action_open_lot_reservation_info()
        info = self.env[action['res_model']].browse(action['res_id'])
        rows = [(line.lot_id.name, line.quantity, line.reason, line.reservable)
                for line in info.line_ids]
        self.assertEqual(rows, [
            ('EXPIRED', 10, 'expired on %s' % expired.life_date[:10], False),
            ('BLOCKED', 10, 'blocked: hold', False),
            ('HELD', 10, 'in quarantine location %s' % self.quarantine.display_name,
             False),
            ('OTHERS', 10, 'reserved for other transfers', False),
            ('MINE', 10, 'reserved for this move', False),
            ('NEW', 3, 'reservable', True),
        ])
        line = info.line_ids[0]
        self.assertEqual(line.life_date, expired.life_date)
        self.assertEqual(line.removal_date, expired.removal_date)
        self.assertEqual(line.move_id, picking.move_lines)

    def test_move_button(self):
        """The move opens the explanation of its own lots."""
        self._stocked_lot('EXPIRED', -1)
        picking = self._delivery(self.customer, 5)
        action = picking.move_lines.action_open_lot_reservation_info()
        info = self.env[action['res_model']].browse(action['res_id'])
        self.assertEqual(info.line_ids.mapped('lot_id.name'), ['EXPIRED'])

    def test_not_for_reserved_delivery(self):
        """A fully reserved delivery has nothing to explain."""
        self._stocked_lot('GOOD', 30)
        picking = self._delivery(self.customer, 5)
        self.assertEqual(picking.state, 'assigned')
        self.assertFalse(picking.show_lot_reservation_info)
        with self.assertRaises(UserError):
            picking.action_open_lot_reservation_info()
