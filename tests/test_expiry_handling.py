# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now


class ExpiryHandlingCase(LotTrackingCase):
    """A warehouse with a quarantine location and two shelves."""

    @classmethod
    def setUpClass(cls):
        super(ExpiryHandlingCase, cls).setUpClass()
        cls.warehouse = cls.env.ref('stock.warehouse0')
        cls.quarantine = cls._create_location('Quarantine (handling)')
        cls.warehouse.quarantine_location_id = cls.quarantine
        cls.shelf_1 = cls._create_location('Shelf H1')
        cls.shelf_2 = cls._create_location('Shelf H2')
        cls.lot = cls._create_lot('H-EXP', supplier_id=cls.supplier.id,
                                  production_date=days_from_now(-101))
        cls._count_in(cls.product, cls.shelf_1, 5, cls.lot)
        cls._count_in(cls.product, cls.shelf_2, 3, cls.lot)

    def _reserve_by_hand(self, lot, location, quantity):
        """A confirmed delivery whose operator reserved ``quantity`` of ``lot``."""
        picking = self._picking(self.warehouse.out_type_id, location,
                                self.customer_location, quantity, partner=self.customer)
        move = picking.move_lines
        move._update_reserved_quantity(quantity, quantity, location, lot_id=lot, strict=True)
        move._recompute_state()
        return picking


@at_install(False)
@post_install(True)
class TestLotQuarantine(ExpiryHandlingCase):
    """Quarantine a lot by hand."""

    def test_quarantine_moves_all_internal_stock(self):
        """Every internal location's stock of the lot goes to the quarantine location
        by one done internal transfer; nothing stays or stays reserved behind."""
        pickings = self.lot.sudo(self.clerk).action_quarantine()
        self.assertEqual(len(pickings), 1)
        self.assertEqual(pickings.state, 'done')
        self.assertEqual(pickings.picking_type_id, self.warehouse.int_type_id)
        self.assertEqual(self._qty(self.product, self.quarantine, self.lot), 8)
        for shelf in (self.shelf_1, self.shelf_2):
            quants = self.env['stock.quant']._gather(self.product, shelf, lot_id=self.lot,
                                                     strict=True)
            self.assertFalse(sum(quants.mapped('quantity')), shelf.name)
            self.assertFalse(sum(quants.mapped('reserved_quantity')), shelf.name)
        self.assertIn(pickings.name, self.lot.message_ids[0].body)

    def test_quarantine_refuses_reserved_stock(self):
        """Reserved stock must be unreserved first; nothing moves."""
        self._reserve_by_hand(self.lot, self.shelf_2, 2)
        with self.assertRaisesRegex(UserError, 'Unreserve'):
            self.lot.action_quarantine()
        self.assertEqual(self._qty(self.product, self.shelf_1, self.lot), 5)
        self.assertFalse(self._qty(self.product, self.quarantine, self.lot))

    def test_quarantine_refuses_warehouse_without_quarantine(self):
        """A warehouse without quarantine location is named in the refusal."""
        self.warehouse.quarantine_location_id = False
        with self.assertRaisesRegex(UserError, 'no quarantine location'):
            self.lot.action_quarantine()

    def test_quarantine_refuses_lot_without_stock(self):
        """A lot without stock, or already all in quarantine, is refused."""
        empty = self._create_lot('H-EMPTY')
        with self.assertRaisesRegex(UserError, 'H-EMPTY'):
            empty.action_quarantine()
        self.lot.action_quarantine()
        with self.assertRaisesRegex(UserError, 'no stock outside a quarantine'):
            self.lot.action_quarantine()

    def test_quarantine_from_list(self):
        """The list action quarantines several lots and lists the transfers."""
        other = self._create_lot('H-OTHER', production_date=days_from_now(-5))
        self._count_in(self.product, self.shelf_1, 2, other)
        action = (self.lot | other).action_open_quarantine()
        pickings = self.env['stock.picking'].search(action['domain'])
        self.assertEqual(len(pickings), 1)
        self.assertEqual(self._qty(self.product, self.quarantine, other), 2)


@at_install(False)
@post_install(True)
class TestLotDisposal(ExpiryHandlingCase):
    """Dispose of a lot: Odoo scraps, one per location."""

    def test_dispose_scraps_each_location(self):
        """One done scrap per location with the reason; the stock is gone and the lot
        says so."""
        scraps = self.lot.sudo(self.lot_manager).action_dispose('Expired, destroyed')
        self.assertEqual(len(scraps), 2)
        self.assertEqual(set(scraps.mapped('state')), {'done'})
        self.assertEqual(sorted(scraps.mapped('scrap_qty')), [3.0, 5.0])
        self.assertEqual(set(scraps.mapped('origin')), {'Expired, destroyed'})
        self.assertFalse(self._qty(self.product, self.shelf_1, self.lot))
        self.assertFalse(self._qty(self.product, self.shelf_2, self.lot))
        scrap_location = scraps[0].scrap_location_id
        self.assertEqual(self._qty(self.product, scrap_location, self.lot), 8)
        self.assertIn('Expired, destroyed', self.lot.message_ids[0].body)

    def test_dispose_refused_to_clerk(self):
        """A plain stock user may not dispose of a lot."""
        with self.assertRaises(AccessError):
            self.lot.sudo(self.clerk).action_dispose('Expired')
        self.assertEqual(self._qty(self.product, self.shelf_1, self.lot), 5)

    def test_dispose_refusals(self):
        """No reason, no stock and reserved stock are refused; nothing is scrapped."""
        with self.assertRaisesRegex(UserError, 'reason'):
            self.lot.action_dispose('  ')
        with self.assertRaisesRegex(UserError, 'no stock'):
            self._create_lot('H-NONE').action_dispose('Expired')
        self._reserve_by_hand(self.lot, self.shelf_1, 1)
        with self.assertRaisesRegex(UserError, 'Shelf H1'):
            self.lot.action_dispose('Expired')
        self.assertFalse(self.env['stock.scrap'].search([('lot_id', '=', self.lot.id)]))

    def test_dispose_wizard(self):
        """The list's wizard disposes of the selected lots."""
        wizard = self.env['stock.lot.expiry.dispose'].sudo(self.lot_manager).with_context(
            active_model='stock.production.lot', active_ids=self.lot.ids).create(
                {'reason': 'Expired'})
        action = wizard.action_dispose()
        self.assertEqual(len(self.env['stock.scrap'].search(action['domain'])), 2)


@at_install(False)
@post_install(True)
class TestLotReturnToVendor(LotTrackingCase):
    """Return a lot to its supplier."""

    @classmethod
    def setUpClass(cls):
        super(TestLotReturnToVendor, cls).setUpClass()
        cls.order = cls.env['purchase.order'].create({
            'partner_id': cls.supplier.id,
            'order_line': [(0, 0, {
                'product_id': cls.product.id, 'name': cls.product.name,
                'product_qty': 6, 'product_uom': cls.product.uom_po_id.id,
                'price_unit': 3.0, 'date_planned': fields.Datetime.now()})],
        })
        cls.order.button_confirm()
        cls.receipt = cls.order.picking_ids
        move = cls.receipt.move_lines
        move.move_line_ids.unlink()
        cls.env['stock.move.line'].create(dict(
            move._prepare_move_line_vals(), lot_name='RTV-1', qty_done=6))
        cls.receipt.button_validate()
        cls.lot = cls.env['stock.production.lot'].search([('name', '=', 'RTV-1')])

    def test_return_of_the_receipt(self):
        """The return picking takes the lot from its receipt back to the supplier,
        reserved and ready; validated, it lowers the received quantity of the order."""
        self.assertEqual(self.lot.supplier_id, self.supplier)
        picking = self.lot.sudo(self.lot_manager).action_return_to_vendor()
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(picking.partner_id, self.supplier)
        self.assertEqual(picking.location_dest_id.usage, 'supplier')
        self.assertEqual(picking.move_lines.origin_returned_move_id,
                         self.receipt.move_lines)
        self.assertEqual(picking.move_line_ids.lot_id, self.lot)
        self.assertEqual(picking.move_line_ids.product_uom_qty, 6)
        self.assertIn(self.receipt.name, picking.origin)
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()
        self.assertEqual(self.order.order_line.qty_received, 0)
        self.assertFalse(self._qty(self.product, self.receipt.location_dest_id, self.lot))

    def test_return_without_receipt(self):
        """A lot counted in by an inventory goes back by an outgoing transfer."""
        lot = self._create_lot('RTV-INV', supplier_id=self.supplier.id)
        self._count_in(self.product, self.stock_location, 2, lot)
        picking = lot.action_return_to_vendor()
        self.assertEqual(picking.picking_type_id.code, 'outgoing')
        self.assertEqual(picking.state, 'assigned')
        self.assertFalse(picking.move_lines.origin_returned_move_id)
        self.assertEqual(picking.move_line_ids.lot_id, lot)

    def test_return_refusals(self):
        """A clerk, a lot without supplier and a lot with reserved stock are refused."""
        with self.assertRaises(AccessError):
            self.lot.sudo(self.clerk).action_return_to_vendor()
        lot = self._create_lot('RTV-NOSUP')
        self._count_in(self.product, self.stock_location, 2, lot)
        with self.assertRaisesRegex(UserError, 'no supplier'):
            lot.action_return_to_vendor()
        self.lot.action_return_to_vendor()
        with self.assertRaisesRegex(UserError, 'Unreserve'):
            self.lot.action_return_to_vendor()


@at_install(False)
@post_install(True)
class TestLotRetestChecks(LotTrackingCase):
    """A retest refuses impossible dates and keeps its history."""

    @classmethod
    def setUpClass(cls):
        super(TestLotRetestChecks, cls).setUpClass()
        cls.lot = cls._create_lot('RT-1', production_date=days_from_now(-95))

    def test_refuses_past_date(self):
        """A new expiration date in the past is refused."""
        with self.assertRaisesRegex(UserError, 'in the past'):
            self.lot.sudo(self.lot_manager).action_retest(days_from_now(-1), 'Retest')

    def test_refuses_date_before_production(self):
        """A new expiration date before the production date is refused."""
        lot = self._create_lot('RT-FUTURE', production_date=days_from_now(30))
        with self.assertRaisesRegex(UserError, 'production date'):
            lot.sudo(self.lot_manager).action_retest(days_from_now(10), 'Retest')

    def test_refuses_malformed_date(self):
        """A date that is not one is refused with a clear message."""
        with self.assertRaisesRegex(UserError, 'not a date'):
            self.lot.sudo(self.lot_manager).action_retest('31/12/2026', 'Retest')

    def test_history_recorded(self):
        """Each retest is kept in the lot's retest history."""
        old = self.lot.life_date
        new = days_from_now(60, hour=0)
        self.lot.sudo(self.lot_manager).action_retest(new, 'Assay 99 %')
        history = self.lot.retest_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual((history.old_life_date, history.new_life_date), (old, new))
        self.assertEqual(history.user_id, self.lot_manager)
        self.assertEqual(self.lot.retest_count, 1)

    def test_wizard_from_list(self):
        """The retest wizard applies one new date to the lots selected in the list."""
        other = self._create_lot('RT-2', production_date=days_from_now(-90))
        new = days_from_now(45, hour=0)
        wizard = self.env['stock.lot.retest'].sudo(self.lot_manager).with_context(
            active_model='stock.production.lot', active_ids=(self.lot | other).ids,
            active_id=self.lot.id).create({'new_life_date': new, 'reason': 'Batch retest'})
        wizard.action_retest()
        self.assertEqual((self.lot | other).mapped('life_date'), [new, new])
