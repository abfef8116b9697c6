# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now


class RestockCase(LotTrackingCase):
    """Purchase orders and receipts of lot-tracked products."""

    @classmethod
    def setUpClass(cls):
        super(RestockCase, cls).setUpClass()
        cls.product.barcode = '5901234123457'
        cls.auto_product = cls.env['product.product'].create({
            'name': 'Auto Numbered Flour',
            'type': 'product',
            'tracking': 'lot',
            'lot_generation': 'auto',
            'life_time': 30,
        })
        cls.plain_product = cls.env['product.product'].create({
            'name': 'Untracked Box', 'type': 'product'})
        cls.other_supplier = cls.env['res.partner'].create({
            'name': 'Other Supplier', 'supplier': True})

    @classmethod
    def _purchase(cls, lines, supplier=None):
        """Confirm a purchase of ``lines`` [(product, qty)] and return it."""
        order = cls.env['purchase.order'].create({
            'partner_id': (supplier or cls.supplier).id,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'name': product.name,
                'product_qty': qty,
                'product_uom': product.uom_po_id.id,
                'price_unit': 2.0,
                'date_planned': fields.Datetime.now(),
            }) for product, qty in lines],
        })
        order.button_confirm()
        return order

    def _open_wizard(self, picking):
        action = picking.action_open_restock_wizard()
        self.assertEqual(action['res_model'], 'stock.lot.restock')
        return self.env['stock.lot.restock'].browse(action['res_id'])

    def _incoming_picking(self, partner, source_location, qty):
        """A confirmed receipt without purchase order of ``qty`` of the product from
        ``partner`` (coming from ``source_location``) into the stock."""
        return self._picking(self.env.ref('stock.picking_type_in'), source_location,
                             self.stock_location, qty, partner=partner)

    def _line(self, wizard, product):
        return wizard.line_ids.filtered(lambda line: line.product_id == product)


@at_install(False)
@post_install(True)
class TestRestockWizard(RestockCase):
    """Entering the lots of a receipt through the restock wizard."""

    @classmethod
    def setUpClass(cls):
        super(TestRestockWizard, cls).setUpClass()
        cls.order = cls._purchase([(cls.product, 10), (cls.auto_product, 5),
                                   (cls.plain_product, 3)])
        cls.picking = cls.order.picking_ids

    def test_wizard_has_one_line_per_tracked_move(self):
        """Enter Lots proposes one line per lot-tracked move, quantity and dates filled."""
        wizard = self._open_wizard(self.picking)
        self.assertEqual(wizard.line_ids.mapped('product_id'), self.product | self.auto_product)
        line = self._line(wizard, self.product)
        self.assertEqual(line.quantity, 10)
        self.assertFalse(line.lot_name)
        self.assertDatetimeAlmostEqual(line.production_date, fields.Datetime.now())
        self.assertDatetimeAlmostEqual(line.life_date, days_from_now(100))
        self.assertEqual(line.location_dest_id, self.picking.location_dest_id)
        self.assertFalse(wizard.is_covered)
        self.assertIn('Tracked Milk Powder: 10 Unit(s) without lot', wizard.coverage_summary)
        self.assertTrue(self.picking.show_restock_lots)

    def test_full_split_flow_from_purchase(self):
        """Two lots for one purchase line: the receipt is done with one line per lot,
        the lots carry supplier, purchase order and the dates entered."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        produced = days_from_now(-3, hour=7)
        expires = days_from_now(60, hour=0)
        line.write({'lot_name': 'MILK-A', 'quantity': 6, 'production_date': produced,
                    'life_date': expires, 'supplier_lot_code': 'V-778'})
        self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.product.id,
            'lot_name': 'MILK-B', 'quantity': 4})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        self.assertTrue(wizard.is_covered)
        wizard.action_confirm()

        self.assertEqual(self.picking.state, 'done')
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(
            sorted(move.move_line_ids.mapped(lambda ml: (ml.lot_id.name, ml.qty_done))),
            [('MILK-A', 6), ('MILK-B', 4)])
        lot_a = move.move_line_ids.filtered(lambda ml: ml.lot_id.name == 'MILK-A').lot_id
        self.assertEqual(lot_a.supplier_id, self.supplier)
        self.assertEqual(lot_a.purchase_order_id, self.order)
        self.assertEqual(lot_a.supplier_lot_code, 'V-778')
        self.assertEqual(lot_a.production_date, produced)
        self.assertEqual(lot_a.life_date, expires)
        lot_b = move.move_line_ids.filtered(lambda ml: ml.lot_id.name == 'MILK-B').lot_id
        self.assertDatetimeAlmostEqual(lot_b.life_date, days_from_now(100))
        self.assertEqual(lot_b.purchase_order_id, self.order)
        self.assertEqual(self.product.with_context(lot_id=lot_a.id).qty_available, 6)
        self.assertEqual(self.plain_product.qty_available, 3)

    def _milk_move(self, picking):
        return picking.move_lines.filtered(lambda move: move.product_id == self.product)

    def test_partial_receipt_opens_odoo_backorder_dialog(self):
        """6 of 10 arrived: confirming receives the 6 with their lot and opens Odoo's
        backorder dialog, whose backorder keeps the 4 still to come."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).write({'lot_name': 'MILK-A', 'quantity': 6})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        self.assertIn('Tracked Milk Powder: 4 Unit(s) without lot', wizard.coverage_summary)
        action = wizard.action_confirm()
        self.assertEqual(action['res_model'], 'stock.backorder.confirmation')
        self.env['stock.backorder.confirmation'].browse(action['res_id']).process()
        self.assertEqual(self.picking.state, 'done')
        done_lines = self._milk_move(self.picking).move_line_ids
        self.assertEqual(done_lines.mapped(lambda ml: (ml.lot_id.name, ml.qty_done)),
                         [('MILK-A', 6)])
        backorder = self.env['stock.picking'].search([('backorder_id', '=', self.picking.id)])
        self.assertEqual(self._milk_move(backorder).product_uom_qty, 4)
        self.assertEqual(backorder.move_lines.mapped('product_id'), self.product)
        self.assertEqual(self.product.qty_available, 6)

    def test_partial_receipt_without_backorder(self):
        """"No Backorder" in Odoo's dialog receives the 6 and cancels the other 4."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).write({'lot_name': 'MILK-A', 'quantity': 6})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        action = wizard.action_confirm()
        self.env['stock.backorder.confirmation'].browse(
            action['res_id']).process_cancel_backorder()
        self.assertEqual(self.picking.state, 'done')
        self.assertFalse(self.env['stock.picking'].search(
            [('backorder_id', '=', self.picking.id), ('state', '!=', 'cancel')]))
        self.assertEqual(self.product.qty_available, 6)

    def test_partial_receipt_by_a_stock_user(self):
        """A plain stock user receives part of the goods; every unit received has a lot."""
        wizard = self._open_wizard(self.picking.sudo(self.clerk)).sudo(self.clerk)
        self._line(wizard, self.product).write({'lot_name': 'MILK-C', 'quantity': 3})
        self._line(wizard, self.auto_product).write({'quantity': 2})
        action = wizard.action_confirm()
        self.env['stock.backorder.confirmation'].sudo(self.clerk).browse(
            action['res_id']).process()
        received = self.picking.move_line_ids.filtered(
            lambda ml: ml.product_id.tracking == 'lot')
        self.assertEqual(sorted(received.mapped('qty_done')), [2, 3])
        self.assertTrue(all(received.mapped('lot_id')))
        backorder = self.env['stock.picking'].search([('backorder_id', '=', self.picking.id)])
        self.assertEqual(sorted(backorder.move_lines.mapped('product_uom_qty')), [3, 7])

    def test_removed_line_goes_to_the_backorder(self):
        """Removing a line leaves its quantity without lot, for the backorder."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.auto_product).unlink()
        self.assertIn('Auto Numbered Flour: 5 Unit(s) without lot', wizard.coverage_summary)
        self._line(wizard, self.product).lot_name = 'MILK-A'
        action = wizard.action_confirm()
        self.env['stock.backorder.confirmation'].browse(action['res_id']).process()
        backorder = self.env['stock.picking'].search([('backorder_id', '=', self.picking.id)])
        self.assertEqual(backorder.move_lines.product_id, self.auto_product)
        self.assertEqual(backorder.move_lines.product_uom_qty, 5)
        self.assertEqual(self.auto_product.qty_available, 0)

    def test_nothing_received_is_refused(self):
        """A lot entry without any quantity is refused and writes nothing."""
        wizard = self._open_wizard(self.picking)
        wizard.line_ids.write({'quantity': 0, 'lot_name': 'MILK-A'})
        with self.assertRaises(UserError) as error:
            wizard.action_confirm()
        self.assertIn('has a quantity', error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'MILK-A')]))
        self.assertFalse(any(self.picking.move_line_ids.mapped('qty_done')))

    def test_expiration_before_production_is_refused(self):
        """An expiration before the production date is refused before anything is
        written, naming the line, the lot and both dates."""
        wizard = self._open_wizard(self.picking.sudo(self.clerk)).sudo(self.clerk)
        self._line(wizard, self.product).write({
            'lot_name': 'MILK-A', 'production_date': days_from_now(-2, hour=0),
            'life_date': days_from_now(-5, hour=0)})
        self._line(wizard, self.auto_product).lot_name = False
        with self.assertRaises(UserError) as error:
            wizard.action_confirm()
        message = error.exception.name
        self.assertIn('Line 1 (Tracked Milk Powder, lot MILK-A)', message)
        self.assertIn(days_from_now(-5, hour=0)[:10], message)
        self.assertIn(days_from_now(-2, hour=0)[:10], message)
        self.assertIn('before the production date', message)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'MILK-A')]))
        self.assertFalse(self.auto_product.lot_sequence_id)

    def test_expired_on_arrival_is_refused(self):
        """Goods whose expiration date is past are refused by name; nothing is written."""
        wizard = self._open_wizard(self.picking.sudo(self.clerk)).sudo(self.clerk)
        self._line(wizard, self.product).write({
            'lot_name': 'MILK-A', 'production_date': days_from_now(-60, hour=0),
            'life_date': days_from_now(-1, hour=0)})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        with self.assertRaises(UserError) as error:
            wizard.action_confirm()
        self.assertIn('Line 1 (Tracked Milk Powder, lot MILK-A) expired on %s'
                      % days_from_now(-1, hour=0)[:10], error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', 'in', ('MILK-A', 'FLOUR-1'))]))
        self.assertNotEqual(self.picking.state, 'done')

    def test_existing_expired_lot_is_refused(self):
        """Receiving more of an existing lot that has expired is refused: the lot's own
        dates count, whatever the line says."""
        self._create_lot('MILK-OLD', production_date=days_from_now(-40, hour=0),
                         life_date=days_from_now(-3, hour=0))
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).write({
            'lot_name': 'MILK-OLD', 'life_date': days_from_now(30, hour=0)})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        with self.assertRaises(UserError) as error:
            wizard.action_confirm()
        self.assertIn('lot MILK-OLD) expired on', error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'FLOUR-1')]))

    def test_blank_code_on_auto_product_takes_the_sequence(self):
        """A blank lot on an automatically numbered product gets the next sequence code."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).lot_name = 'MILK-A'
        wizard.action_confirm()
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.auto_product)
        self.assertRegex(move.move_line_ids.lot_id.name, r'^LOT-\d{4}-\d{2}-\d{3}$')
        self.assertEqual(move.move_line_ids.lot_id.supplier_id, self.supplier)

    def test_two_blank_lines_give_two_auto_lots(self):
        """Two blank lines of an auto product are two lots."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).lot_name = 'MILK-A'
        self._line(wizard, self.auto_product).quantity = 2
        self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.auto_product.id, 'quantity': 3})
        wizard.action_confirm()
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.auto_product)
        self.assertEqual(len(move.move_line_ids.mapped('lot_id')), 2)

    def test_blank_code_on_manual_product_is_refused(self):
        """A blank lot on a product numbered by hand is refused, naming the line."""
        wizard = self._open_wizard(self.picking)
        with self.assertRaises(UserError) as error:
            wizard.action_confirm()
        self.assertIn('Line 1 (Tracked Milk Powder, 10.0 Unit(s)) has no lot',
                      error.exception.name)

    def test_lot_code_pattern_is_checked_before_writing(self):
        """A code that breaks the product's pattern is refused and nothing is created."""
        self.product.lot_code_pattern = r'M-\d+'
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).lot_name = 'WRONG'
        with self.assertRaises(ValidationError) as error:
            wizard.action_confirm()
        self.assertIn('M-\\d+', error.exception.name)
        self.assertFalse(self.auto_product.lot_sequence_id)

    def test_existing_lot_is_reused_without_overwriting(self):
        """An existing lot of the code is reused; its supplier data stays, the difference
        is shown on the line and noted on the lot."""
        lot = self._create_lot('MILK-OLD', supplier_id=self.other_supplier.id,
                               supplier_lot_code='OLD-1', life_date=days_from_now(20, hour=0))
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.write({'lot_name': 'MILK-OLD', 'supplier_lot_code': 'NEW-2'})
        self.assertEqual(line.lot_id, lot)
        self.assertIn('Other Supplier', line.lot_warning)
        self.assertIn('OLD-1', line.lot_warning)
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        wizard.action_confirm()
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(move.move_line_ids.lot_id, lot)
        self.assertEqual(lot.supplier_id, self.other_supplier)
        self.assertEqual(lot.supplier_lot_code, 'OLD-1')
        self.assertEqual(lot.life_date, days_from_now(20, hour=0))
        self.assertIn('NEW-2', lot.message_ids[0].body)
        self.assertEqual(self.env['stock.production.lot'].search_count(
            [('name', '=', 'MILK-OLD')]), 1)

    def test_existing_lot_without_supplier_is_completed(self):
        """An existing lot without supplier data gets the receipt's."""
        lot = self._create_lot('MILK-OLD')
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).write({'lot_name': 'MILK-OLD',
                                                'supplier_lot_code': 'V-1'})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        self.assertFalse(self._line(wizard, self.product).lot_warning)
        wizard.action_confirm()
        self.assertEqual(lot.supplier_id, self.supplier)
        self.assertEqual(lot.purchase_order_id, self.order)
        self.assertEqual(lot.supplier_lot_code, 'V-1')

    def test_same_new_code_on_two_lines_is_one_lot(self):
        """Two lines with the same new code (two destinations) make one lot."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.write({'lot_name': 'MILK-A', 'quantity': 7})
        shelf = self.env['stock.location'].create({
            'name': 'Shelf R1', 'location_id': self.stock_location.id})
        self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.product.id, 'lot_name': 'MILK-A',
            'quantity': 3, 'location_dest_id': shelf.id})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        wizard.action_confirm()
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(len(move.move_line_ids), 2)
        self.assertEqual(len(move.move_line_ids.mapped('lot_id')), 1)
        self.assertEqual(self.product.with_context(location=shelf.id).qty_available, 3)

    def test_confirm_without_validation(self):
        """Without validation the move lines carry the lots, the receipt stays open and
        its other lines are left as they are."""
        wizard = self._open_wizard(self.picking)
        wizard.validate_picking = False
        self._line(wizard, self.product).lot_name = 'MILK-A'
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        wizard.action_confirm()
        self.assertNotEqual(self.picking.state, 'done')
        move = self.picking.move_lines.filtered(lambda m: m.product_id == self.product)
        self.assertEqual(move.move_line_ids.lot_id.name, 'MILK-A')
        self.assertEqual(move.move_line_ids.qty_done, 10)
        # the untracked box was not processed: Odoo proposes a backorder for it
        action = self.picking.button_validate()
        self.assertEqual(action['res_model'], 'stock.backorder.confirmation')

    def test_reopening_keeps_lots_entered(self):
        """Lots already on the move lines come back as lines of the wizard."""
        wizard = self._open_wizard(self.picking)
        wizard.validate_picking = False
        self._line(wizard, self.product).write({'lot_name': 'MILK-A', 'quantity': 4})
        self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.product.id, 'lot_name': 'MILK-B',
            'quantity': 6})
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-1'
        wizard.action_confirm()
        again = self._open_wizard(self.picking)
        self.assertEqual(sorted(self._line(again, self.product).mapped(
            lambda line: (line.lot_name, line.quantity))), [('MILK-A', 4), ('MILK-B', 6)])
        self.assertTrue(again.is_covered)

    def test_validate_opens_the_wizard_when_lots_are_missing(self):
        """Validate from the receipt form without lots opens the lot entry, not Odoo's
        error; confirming it validates the receipt."""
        action = self.picking.with_context(restock_lot_entry=True).button_validate()
        self.assertEqual(action['res_model'], 'stock.lot.restock')
        self.assertTrue(action['context'].get('restock_lot_entry'))
        self.assertNotEqual(self.picking.state, 'done')
        wizard = self.env['stock.lot.restock'].with_context(**action['context']).browse(
            action['res_id'])
        self._line(wizard, self.product).lot_name = 'MILK-A'
        wizard.action_confirm()
        self.assertEqual(self.picking.state, 'done')

    def test_validate_outside_the_form_keeps_odoo_behaviour(self):
        """Other callers of Validate still get Odoo's error about the missing lot."""
        with self.assertRaises(UserError) as error:
            self.picking.button_validate()
        self.assertIn('You need to supply a lot', error.exception.name)

    def test_validate_with_lots_entered_validates(self):
        """Validate from the form with every lot entered validates directly."""
        for move_line in self.picking.move_line_ids:
            move_line.write({'lot_name': 'L-%s' % move_line.product_id.id,
                             'qty_done': move_line.product_uom_qty})
        self.assertIsNone(
            self.picking.with_context(restock_lot_entry=True).button_validate())
        self.assertEqual(self.picking.state, 'done')

    def test_wizard_refused_on_deliveries(self):
        """The lot entry is for receipts only."""
        delivery = self.env['stock.picking'].create({
            'picking_type_id': self.env.ref('stock.picking_type_out').id,
            'location_id': self.stock_location.id,
            'location_dest_id': self.customer_location.id,
        })
        with self.assertRaises(UserError) as error:
            delivery.action_open_restock_wizard()
        self.assertIn('receipts only', error.exception.name)

    def test_added_line_proposes_product_and_rest(self):
        """A line added to the lot entry proposes the product and the quantity still
        without lot."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.write({'lot_name': 'MILK-A', 'quantity': 6})
        new_line = self.env['stock.lot.restock.line'].new({'wizard_id': wizard.id})
        new_line._onchange_wizard_id()
        self.assertEqual(new_line.product_id, self.product)
        self.assertEqual(new_line.move_id, line.move_id)
        self.assertEqual(new_line.quantity, 4)
        self.assertDatetimeAlmostEqual(new_line.life_date, days_from_now(100))

    def test_added_line_onchange_reaches_the_client(self):
        """The lines of the Enter Lots form call the proposal when a line is added: the
        line's link to the lot entry is in the view, with its onchange."""
        view = self.env['stock.lot.restock'].fields_view_get(
            view_id=self.env.ref('stock_lot_tracking.stock_lot_restock_view_form').id)
        tree = view['fields']['line_ids']['views']['tree']
        spec = self.env['stock.lot.restock.line']._onchange_spec(view_info=tree)
        self.assertEqual(spec.get('wizard_id'), '1')

    def test_added_line_on_covered_receipt_proposes_nothing(self):
        """Once every quantity has a lot, an added line proposes no product."""
        wizard = self._open_wizard(self.picking)
        self._line(wizard, self.product).lot_name = 'MILK-A'
        new_line = self.env['stock.lot.restock.line'].new({'wizard_id': wizard.id})
        new_line._onchange_wizard_id()
        self.assertFalse(new_line.product_id)
        self.assertFalse(new_line.quantity)

    def test_code_breaking_pattern_warns_on_the_line(self):
        """A typed code that breaks the product's pattern is reported on the line, with
        the product's example of a valid code instead of the pattern."""
        self.product.write({'lot_code_pattern': r'M-\d+', 'lot_code_example': 'M-1042'})
        line = self._line(self._open_wizard(self.picking), self.product)
        line.lot_name = 'WRONG'
        warning = line._onchange_lot_name()['warning']
        self.assertIn('WRONG', warning['message'])
        self.assertIn('M-1042', warning['message'])
        self.assertNotIn(r'\d', warning['message'])

    def test_code_breaking_pattern_without_example_shows_pattern(self):
        """Without an example, the warning shows the pattern."""
        self.product.lot_code_pattern = r'M-\d+'
        line = self._line(self._open_wizard(self.picking), self.product)
        line.lot_name = 'WRONG'
        self.assertIn(r'M-\d+', line._onchange_lot_name()['warning']['message'])

    def test_code_matching_pattern_gives_no_warning(self):
        """A code that fits the pattern gives no warning."""
        self.product.write({'lot_code_pattern': r'M-\d+', 'lot_code_example': 'M-1042'})
        line = self._line(self._open_wizard(self.picking), self.product)
        line.lot_name = 'M-77'
        self.assertFalse(line._onchange_lot_name())

    def test_blank_code_on_auto_product_is_announced(self):
        """An automatically numbered line without code says a code will be generated;
        a line numbered by hand says nothing."""
        wizard = self._open_wizard(self.picking)
        self.assertEqual(self._line(wizard, self.auto_product).lot_hint,
                         'New code generated on confirmation')
        self.assertFalse(self._line(wizard, self.product).lot_hint)
        auto_line = self._line(wizard, self.auto_product)
        auto_line.lot_name = 'LOT-2026-01-001'
        self.assertFalse(auto_line.lot_hint)

    def test_production_date_proposes_expiration(self):
        """Changing the production date of a line proposes the matching expiration."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.production_date = days_from_now(-10, hour=6)
        line._onchange_production_date()
        self.assertEqual(line.life_date, days_from_now(90, hour=6))


@at_install(False)
@post_install(True)
class TestReceiptLots(RestockCase):
    """Lots created by Odoo's own receipt flow."""

    def test_lot_typed_on_receipt_line_gets_supplier_and_order(self):
        """A lot typed in the detailed operations gets supplier and purchase order."""
        order = self._purchase([(self.product, 5)])
        picking = order.picking_ids
        picking.move_line_ids.write({'lot_name': 'TYPED-1', 'qty_done': 5})
        self.assertIsNone(picking.button_validate())
        lot = picking.move_line_ids.lot_id
        self.assertEqual(lot.name, 'TYPED-1')
        self.assertEqual(lot.supplier_id, self.supplier)
        self.assertEqual(lot.purchase_order_id, order)

    def test_receipt_without_order_takes_partner_as_supplier(self):
        """A receipt without purchase order takes its partner as supplier."""
        picking = self._incoming_picking(self.other_supplier, self.supplier_location, 8)
        wizard = self._open_wizard(picking)
        wizard.line_ids.lot_name = 'FREE-1'
        wizard.action_confirm()
        lot = picking.move_line_ids.lot_id
        self.assertEqual(picking.state, 'done')
        self.assertEqual(lot.supplier_id, self.other_supplier)
        self.assertFalse(lot.purchase_order_id)

    def test_customer_return_of_an_expired_lot_is_received(self):
        """Goods a customer sends back are received even once expired: they must come
        back to be dealt with (quarantine, disposal)."""
        lot = self._create_lot('BACK-OLD', production_date=days_from_now(-40, hour=0),
                               life_date=days_from_now(-2, hour=0))
        picking = self._incoming_picking(self.customer, self.customer_location, 2)
        wizard = self._open_wizard(picking)
        wizard.line_ids.lot_name = 'BACK-OLD'
        wizard.action_confirm()
        self.assertEqual(picking.state, 'done')
        self.assertEqual(picking.move_line_ids.lot_id, lot)

    def test_customer_return_gives_no_supplier(self):
        """A lot received back from a customer does not get the customer as supplier."""
        picking = self._incoming_picking(self.customer, self.customer_location, 1)
        wizard = self._open_wizard(picking)
        wizard.line_ids.lot_name = 'BACK-1'
        wizard.action_confirm()
        self.assertFalse(picking.move_line_ids.lot_id.supplier_id)


@at_install(False)
@post_install(True)
class TestRestockScan(RestockCase):
    """GS1 scans in the restock wizard."""

    @classmethod
    def setUpClass(cls):
        super(TestRestockScan, cls).setUpClass()
        cls.order = cls._purchase([(cls.product, 10)])
        cls.picking = cls.order.picking_ids
        # a label's dates start at midnight in the user's time zone: UTC here
        cls.env.user.tz = 'UTC'

    def test_scan_fills_the_line(self):
        """A GS1 DataMatrix scan fills lot, expiry (day 00 = month end) and production."""
        wizard = self._open_wizard(self.picking)
        wizard.action_scan(']d2010590123412345717261200\x1d10MILK-77\x1d11260305')
        line = wizard.line_ids
        self.assertEqual(line.lot_name, 'MILK-77')
        self.assertEqual(line.life_date, '2026-12-31 00:00:00')
        self.assertEqual(line.production_date, '2026-03-05 00:00:00')
        self.assertEqual(line.quantity, 10)

    def test_label_dates_in_the_user_time_zone(self):
        """A label's date is the day the user sees on the lot, wherever they are: its
        start in their time zone (the one the web client sends, else their own)."""
        for zone, life_date in (('America/New_York', '2026-12-31 05:00:00'),
                                ('Asia/Tokyo', '2026-12-30 15:00:00'),
                                ('Not/A_Zone', '2026-12-31 00:00:00')):
            wizard = self._open_wizard(self.picking).with_context(tz=zone)
            wizard.action_scan('(01)05901234123457(10)TZ-1(17)261231')
            self.assertEqual(wizard.line_ids.life_date, life_date, zone)
        self.env.user.tz = 'Asia/Tokyo'
        wizard = self._open_wizard(self.picking)
        wizard.action_scan('(01)05901234123457(10)TZ-1(17)261231(11)260705')
        line = wizard.line_ids
        self.assertEqual(line.life_date, '2026-12-30 15:00:00')
        self.assertEqual(line.production_date, '2026-07-04 15:00:00')
        moment = fields.Datetime.context_timestamp(
            line, fields.Datetime.from_string(line.life_date))
        self.assertEqual(fields.Date.to_string(moment), '2026-12-31')
        wizard.action_confirm()
        self.assertEqual(self.picking.move_line_ids.lot_id.life_date, '2026-12-30 15:00:00')

    def test_second_scan_of_another_lot_splits(self):
        """Scanning a second lot adds a line for it; quantities split as the operator
        enters them and the receipt validates."""
        wizard = self._open_wizard(self.picking)
        wizard.action_scan('010590123412345710MILK-1')
        wizard.line_ids.quantity = 7
        wizard.action_scan('010590123412345710MILK-2\x1d15270100')
        second = wizard.line_ids.filtered(lambda line: line.lot_name == 'MILK-2')
        self.assertEqual(second.quantity, 3)
        self.assertEqual(second.use_date, '2027-01-31 00:00:00')
        wizard.action_confirm()
        self.assertEqual(self.picking.state, 'done')
        self.assertEqual(sorted(self.picking.move_line_ids.mapped('lot_id.name')),
                         ['MILK-1', 'MILK-2'])

    def test_unreadable_scan_is_explained(self):
        """A malformed scan is refused with a clear message; the form shows a warning."""
        wizard = self._open_wizard(self.picking)
        with self.assertRaises(UserError) as error:
            wizard.action_scan('0105901234123458')
        self.assertIn('not a readable GS1 barcode', error.exception.name)
        self.assertIn('check digit', error.exception.name)
        result = wizard.on_barcode_scanned('17261341')
        self.assertIn('not a readable GS1 barcode', result['warning']['message'])
        self.assertFalse(wizard.line_ids.lot_name)

    def test_scan_of_another_product_is_refused(self):
        """A scan of a product that the receipt does not hold is refused."""
        wizard = self._open_wizard(self.picking)
        with self.assertRaises(UserError) as error:
            wizard.action_scan('01096385074000021003')
        self.assertIn('has the barcode 09638507400002', error.exception.name)

    def test_scan_in_the_form(self):
        """The scan field of the form fills the line through its onchange."""
        wizard = self._open_wizard(self.picking)
        wizard.scan = '(01)05901234123457(10)MILK-9(17)261015'
        wizard._onchange_scan()
        self.assertFalse(wizard.scan)
        self.assertEqual(wizard.line_ids.lot_name, 'MILK-9')
        self.assertTrue(re.match(r'2026-10-15', wizard.line_ids.life_date))

    def test_scans_in_an_unsaved_form(self):
        """In the form (a new record), two scans fill the first line and split off a
        second one; an unreadable scan returns a warning."""
        wizard_model = self.env['stock.lot.restock']
        wizard = wizard_model.new(wizard_model._prepare_wizard_vals(self.picking))
        wizard.scan = '010590123412345710MILK-1'
        wizard._onchange_scan()
        self.assertEqual(wizard.line_ids.lot_name, 'MILK-1')
        wizard.line_ids.quantity = 6
        wizard.scan = '010590123412345710MILK-2'
        wizard._onchange_scan()
        wizard._onchange_line_ids()
        self.assertEqual(
            sorted(wizard.line_ids.mapped(lambda line: (line.lot_name, line.quantity))),
            [('MILK-1', 6), ('MILK-2', 4)])
        self.assertTrue(wizard.is_covered)
        wizard.scan = 'NOT A BARCODE'
        result = wizard._onchange_scan()
        self.assertIn('not a readable GS1 barcode', result['warning']['message'])

    def _lots_and_quantities(self, wizard):
        return sorted(wizard.line_ids.mapped(
            lambda line: (line.lot_name or '', line.quantity)))

    def test_scanned_counts_split_the_receipt(self):
        """A label counting its items (AI 30) receives that count; the rest stays
        without lot until the next label, and the receipt validates with both lots."""
        wizard = self._open_wizard(self.picking)
        wizard.action_scan('(01)05901234123457(10)PAL-1(30)6')
        self.assertEqual(self._lots_and_quantities(wizard), [('', 4), ('PAL-1', 6)])
        self.assertFalse(wizard.is_covered)
        # the second label as a Digital Link, its count a data attribute
        wizard.action_scan('https://id.gs1.org/01/05901234123457/10/PAL-2?30=4')
        self.assertEqual(self._lots_and_quantities(wizard), [('PAL-1', 6), ('PAL-2', 4)])
        self.assertTrue(wizard.is_covered)
        wizard.action_confirm()
        self.assertEqual(self.picking.state, 'done')
        self.assertEqual(sorted(self.picking.move_line_ids.mapped(
            lambda line: (line.lot_id.name, line.qty_done))), [('PAL-1', 6), ('PAL-2', 4)])

    def test_pallets_of_one_lot_add_up(self):
        """Pallet labels (SSCC, AI 02 and 37) of the same lot add their counts to its
        line and take them off the quantity without lot; more than ordered is kept as
        scanned."""
        wizard = self._open_wizard(self.picking)
        for sscc in ('106141412345678908', '106141412345678915'):
            wizard.action_scan('00%s0205901234123457373\x1d10PAL-A' % sscc)
        self.assertEqual(self._lots_and_quantities(wizard), [('', 4), ('PAL-A', 6)])
        wizard.action_scan('(00)106141412345678922(02)05901234123457(37)5(10)PAL-A')
        self.assertEqual(self._lots_and_quantities(wizard), [('PAL-A', 11)])
        self.assertTrue(wizard.is_covered)
        # a pallet of another lot, nothing left without lot: a line of its own
        wizard.action_scan('(00)106141412345678939(02)05901234123457(37)2(10)PAL-B')
        self.assertEqual(self._lots_and_quantities(wizard), [('PAL-A', 11), ('PAL-B', 2)])

    def test_scanned_count_in_the_unit_of_the_receipt(self):
        """A count of items is in the product's unit; the line is in the unit of the
        receipt's move (here dozens)."""
        picking = self._picking(
            self.env.ref('stock.picking_type_in'), self.supplier_location,
            self.stock_location, 2, partner=self.supplier,
            product_uom=self.env.ref('product.product_uom_dozen').id)
        wizard = self._open_wizard(picking)
        wizard.action_scan('(01)05901234123457(10)DOZ-1(30)12')
        self.assertEqual(self._lots_and_quantities(wizard), [('', 1), ('DOZ-1', 1)])
        wizard.action_scan('(01)05901234123457(10)DOZ-2(30)12')
        wizard.action_confirm()
        self.assertEqual(picking.state, 'done')
        self.assertEqual(picking.move_lines.quantity_done, 2)
        self.assertEqual(self.product.qty_available, 24)

    def test_scan_counting_nothing_is_refused(self):
        """A label counting 0 items is refused and changes no line, also for a stock
        user calling the lot entry as RPC does."""
        wizard = self._open_wizard(self.picking.sudo(self.clerk)).sudo(self.clerk)
        with self.assertRaises(UserError) as error:
            wizard.action_scan('(01)05901234123457(10)PAL-0(30)0')
        self.assertIn('counts 0 items', error.exception.name)
        self.assertEqual(self._lots_and_quantities(wizard), [('', 10)])
        wizard.action_scan('(01)05901234123457(10)PAL-1(30)7')
        self.assertEqual(self._lots_and_quantities(wizard), [('', 3), ('PAL-1', 7)])

    def test_scanned_counts_in_an_unsaved_form(self):
        """In the form (a new record), counted labels split and add up the same way."""
        wizard_model = self.env['stock.lot.restock']
        wizard = wizard_model.new(wizard_model._prepare_wizard_vals(self.picking))
        for code in ('(01)05901234123457(10)PAL-1(30)3',
                     '(01)05901234123457(10)PAL-2(30)2',
                     '(01)05901234123457(10)PAL-1(30)5'):
            wizard.scan = code
            wizard._onchange_scan()
        self.assertEqual(self._lots_and_quantities(wizard), [('PAL-1', 8), ('PAL-2', 2)])
        self.assertTrue(wizard.is_covered)


@at_install(False)
@post_install(True)
class TestRestockQualityValues(RestockCase):
    """Quality values entered with the lots of a receipt."""

    @classmethod
    def setUpClass(cls):
        super(TestRestockQualityValues, cls).setUpClass()
        Attribute = cls.env['stock.lot.quality.attribute']
        cls.purity = Attribute.create({
            'name': 'Receipt Purity', 'uom_name': '%', 'has_min_value': True,
            'min_value': 98.0, 'has_max_value': True, 'max_value': 100.0})
        cls.appearance = Attribute.create({
            'name': 'Receipt Appearance', 'value_type': 'text', 'target': 'Conforms'})
        cls.product.write({
            'track_quality': True,
            'quality_attribute_ids': [(6, 0, (cls.purity | cls.appearance).ids)],
        })
        cls.order = cls._purchase([(cls.product, 10), (cls.auto_product, 5)])
        cls.picking = cls.order.picking_ids

    def _quality_rows(self, line):
        action = line.action_edit_quality()
        self.assertEqual(action['res_model'], 'stock.lot.restock.line')
        self.assertEqual(action['res_id'], line.id)
        return {row.attribute_id: row for row in line.quality_value_ids}

    def test_values_entered_per_lot_are_recorded(self):
        """Each lot of a split line records its own values; the quality form lists one
        row per attribute of the product and leads back to the lot entry."""
        wizard = self._open_wizard(self.picking)
        line_a = self._line(wizard, self.product)
        line_a.write({'lot_name': 'PURE-A', 'quantity': 6})
        line_b = self.env['stock.lot.restock.line'].create({
            'wizard_id': wizard.id, 'product_id': self.product.id,
            'lot_name': 'PURE-B', 'quantity': 4})
        self.assertEqual(line_a.quality_summary, '0 of 2 values')
        rows = self._quality_rows(line_a)
        self.assertEqual(set(rows), {self.purity, self.appearance})
        rows[self.purity].result = '99,2'
        rows[self.appearance].result = 'Conforms'
        self.assertEqual(line_a.quality_summary, '2 of 2 values')
        self._quality_rows(line_b)[self.purity].result = '97.1'
        back = line_a.action_back_to_lots()
        self.assertEqual((back['res_model'], back['res_id']), ('stock.lot.restock', wizard.id))
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-Q'
        wizard.action_confirm()

        self.assertEqual(self.picking.state, 'done')
        lots = self.picking.move_line_ids.mapped('lot_id')
        lot_a = lots.filtered(lambda lot: lot.name == 'PURE-A')
        lot_b = lots.filtered(lambda lot: lot.name == 'PURE-B')
        self.assertEqual(
            {value.attribute_id: (value.value, value.text_value)
             for value in lot_a.quality_value_ids},
            {self.purity: (99.2, False), self.appearance: (0.0, 'Conforms')})
        self.assertEqual(lot_b.quality_value_ids.mapped('attribute_id'), self.purity)
        self.assertFalse(lot_b.quality_value_ids.in_spec)
        self.assertEqual(lot_a.quality_state, 'pending')
        self.assertFalse(lot_a.quality_issues)

    def test_empty_values_record_nothing(self):
        """Values not measured yet stay empty on the lot, which remains pending."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.lot_name = 'PURE-EMPTY'
        self._quality_rows(line)
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-E'
        wizard.action_confirm()
        lot = self.picking.move_line_ids.mapped('lot_id').filtered(
            lambda lot: lot.name == 'PURE-EMPTY')
        self.assertFalse(lot.quality_value_ids)
        self.assertEqual(lot.quality_state, 'pending')

    def test_unreadable_number_is_refused_before_anything_is_written(self):
        """A numeric value that is not a number is refused, naming lot and attribute;
        no lot is created and the receipt stays open."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.product)
        line.lot_name = 'PURE-BAD'
        self._quality_rows(line)[self.purity].result = 'high'
        self._line(wizard, self.auto_product).lot_name = 'FLOUR-B'
        with self.assertRaisesRegex(UserError, 'PURE-BAD.*Receipt Purity must be a number'):
            wizard.action_confirm()
        self.assertFalse(self.env['stock.production.lot'].search(
            [('name', 'in', ('PURE-BAD', 'FLOUR-B'))]))
        self.assertNotEqual(self.picking.state, 'done')

    def test_products_without_quality_have_no_values(self):
        """Products that do not track quality get no quality rows and cannot open them."""
        wizard = self._open_wizard(self.picking)
        line = self._line(wizard, self.auto_product)
        self.assertFalse(line.track_quality)
        self.assertFalse(line.quality_summary)
        with self.assertRaisesRegex(UserError, 'records no quality values'):
            line.action_edit_quality()
