# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestStockLotRenumber(LotTrackingCase):
    """Changing the lot number of stock in a location: two inventory moves."""

    @classmethod
    def setUpClass(cls):
        super(TestStockLotRenumber, cls).setUpClass()
        cls.shelf = cls._create_location('Shelf R1')
        cls.lot1 = cls._create_lot('L-001')
        cls._count_in(cls.product, cls.shelf, 10, cls.lot1)
        cls.loss_location = cls.product.property_stock_inventory

    def _wizard(self, active_model=None, active_id=None, user=None, **vals):
        Wizard = self.env['stock.lot.renumber'].sudo(user or self.env.user).with_context(
            active_model=active_model, active_id=active_id)
        defaults = Wizard.default_get(list(Wizard._fields))
        defaults.update(vals)
        return Wizard.create(defaults)

    def _quant(self, lot):
        return self.env['stock.quant']._gather(
            self.product, self.shelf, lot_id=lot, strict=True)

    def _moves(self, action):
        return self.env['stock.move'].search(action['domain'], order='id')

    def test_full_renumber_from_quant(self):
        """From a quant, all of it by default: old lot out, new lot in, both moves done."""
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-002')
        self.assertEqual(wizard.location_id, self.shelf)
        self.assertEqual(wizard.lot_id, self.lot1)
        self.assertEqual(wizard.quantity, 10)
        moves = self._moves(wizard.action_renumber())
        lot2 = self.env['stock.production.lot'].search(
            [('product_id', '=', self.product.id), ('name', '=', 'L-002')])
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 0)
        self.assertEqual(self._qty(self.product, self.shelf, lot2), 10)
        out_move, in_move = moves
        self.assertEqual(moves.mapped('state'), ['done', 'done'])
        self.assertEqual((out_move.location_id, out_move.location_dest_id),
                         (self.shelf, self.loss_location))
        self.assertEqual(out_move.move_line_ids.lot_id, self.lot1)
        self.assertEqual((in_move.location_id, in_move.location_dest_id),
                         (self.loss_location, self.shelf))
        self.assertEqual(in_move.move_line_ids.lot_id, lot2)
        self.assertEqual(moves.mapped('product_qty'), [10, 10])
        self.assertEqual(out_move.inventory_id.state, 'done')
        self.assertIn('L-001 -> L-002', out_move.inventory_id.name)

    def test_partial_renumber_to_existing_lot(self):
        """Part of the stock goes to an existing lot; the rest keeps its lot."""
        lot2 = self._create_lot('L-002')
        wizard = self._wizard(location_id=self.shelf.id, product_id=self.product.id,
                              lot_id=self.lot1.id, new_lot_id=lot2.id, quantity=4)
        wizard.action_renumber()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 6)
        self.assertEqual(self._qty(self.product, self.shelf, lot2), 4)

    def test_renumber_stock_without_lot(self):
        """Stock from before tracking was switched on gets its lot."""
        product = self.env['product.product'].create({
            'name': 'Citric Acid', 'type': 'product', 'tracking': 'none'})
        self._count_in(product, self.shelf, 5)
        product.tracking = 'lot'
        self.assertEqual(product.product_tmpl_id.stock_without_lot_qty, 5)
        without_lot = self.env['stock.quant'].search(
            product.product_tmpl_id.action_view_stock_without_lot()['domain'])
        self.assertEqual(without_lot.quantity, 5)
        wizard = self._wizard('stock.quant', without_lot.id, new_lot_name='CA-1')
        self.assertFalse(wizard.lot_id)
        self.assertEqual(wizard.quantity, 5)
        out_move, in_move = self._moves(wizard.action_renumber())
        self.assertFalse(out_move.move_line_ids.lot_id)
        self.assertEqual(in_move.move_line_ids.lot_id.name, 'CA-1')
        self.assertEqual(self._qty(product, self.shelf), 0)
        self.assertEqual(product.product_tmpl_id.stock_without_lot_qty, 0)

    def test_new_code_must_match_pattern(self):
        """A new code outside the product's pattern is refused and nothing moves."""
        self.product.lot_code_pattern = r'L-\d{3}'
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='BAD')
        with self.assertRaises(ValidationError) as error:
            wizard.action_renumber()
        self.assertIn(r'L-\d{3}', error.exception.name)
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 10)

    def test_refused_when_reserved(self):
        """Reserved stock keeps its lot; the message names the reservation."""
        order = self.env['sale.order'].create({
            'partner_id': self.customer.id,
            'order_line': [(0, 0, {'product_id': self.product.id, 'product_uom_qty': 8})],
        })
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        self.assertEqual(picking.move_lines.reserved_availability, 8)
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-002')
        with self.assertRaises(UserError) as error:
            wizard.action_renumber()
        self.assertIn(picking.name, error.exception.name)
        self.assertIn('Only 2.0', error.exception.name)
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 10)
        # the free quantity may change lot; the reservation stays untouched
        wizard.quantity = 2
        wizard.action_renumber()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 8)
        self.assertEqual(picking.move_lines.reserved_availability, 8)

    def test_stock_user_renumbers(self):
        """A plain stock user may change a lot number, as he may count stock."""
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, user=self.clerk,
                              new_lot_name='L-004')
        wizard.action_renumber()
        lot = self.env['stock.production.lot'].search([('name', '=', 'L-004')])
        self.assertEqual(self._qty(self.product, self.shelf, lot), 10)
        self.assertEqual(lot.create_uid, self.clerk)

    def test_refused_more_than_in_location(self):
        """More than the location holds is refused."""
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-002',
                              quantity=11)
        with self.assertRaises(UserError) as error:
            wizard.action_renumber()
        self.assertIn('holds only 10.0', error.exception.name)

    def test_refused_same_lot(self):
        """The new lot must differ from the current one."""
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_id=self.lot1.id)
        with self.assertRaises(UserError):
            wizard.action_renumber()

    def test_from_lot_form(self):
        """From a lot in one location, the wizard proposes that location and quantity."""
        wizard = self._wizard('stock.production.lot', self.lot1.id, new_lot_name='L-003')
        self.assertEqual(wizard.location_id, self.shelf)
        self.assertEqual(wizard.quantity, 10)
        self.assertEqual(wizard.product_id, self.product)

    def test_old_lot_leaves_before_new_lot_enters(self):
        """Under a database rule of one lot per location, a full renumbering passes."""
        self.env.cr.execute(
            'CREATE UNIQUE INDEX slt_test_one_lot_on_shelf ON stock_quant '
            '(product_id, location_id) WHERE quantity > 0 AND location_id = %s',
            (self.shelf.id,))
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-002')
        wizard.action_renumber()
        quants = self.env['stock.quant']._gather(self.product, self.shelf, strict=False)
        self.assertEqual(quants.filtered('quantity').lot_id.name, 'L-002')

    def test_single_lot_location(self):
        """A single-lot location renumbers in full, but not in part; a refused change
        creates no lot."""
        self.shelf.single_lot = True
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-002',
                              quantity=3, user=self.clerk)
        with self.assertRaises(ValidationError) as error:
            wizard.action_renumber()
        self.assertIn('Location WH/Stock/Shelf R1 holds one lot per product, but it would '
                      'hold lots L-001, L-002', error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'L-002')]))
        wizard.quantity = 10
        wizard.action_renumber()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 0)
        quants = self.env['stock.quant']._gather(self.product, self.shelf, strict=False)
        self.assertEqual(quants.filtered('quantity').lot_id.name, 'L-002')

    def test_refused_creates_no_lot(self):
        """A refused change (more than in stock) leaves no new lot behind."""
        wizard = self._wizard('stock.quant', self._quant(self.lot1).id, new_lot_name='L-009',
                              quantity=11, user=self.clerk)
        with self.assertRaises(UserError):
            wizard.action_renumber()
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'L-009')]))

    def test_untracked_product_is_refused(self):
        """An untracked product is refused by the server, not only by the view's domain."""
        product = self.env['product.product'].create({
            'name': 'Plain Salt', 'type': 'product', 'tracking': 'none'})
        self._count_in(product, self.shelf, 4)
        wizard = self._wizard(location_id=self.shelf.id, product_id=product.id,
                              new_lot_name='SALT-1', quantity=4, user=self.clerk)
        with self.assertRaises(UserError) as error:
            wizard.action_renumber()
        self.assertIn('Plain Salt is not a storable product tracked by lots',
                      error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'SALT-1')]))
        self.assertEqual(self._qty(product, self.shelf), 4)

    def test_non_internal_location_is_refused(self):
        """Stock in a partner location cannot change lot, whatever the client sends."""
        wizard = self._wizard(location_id=self.customer_location.id,
                              product_id=self.product.id, lot_id=self.lot1.id,
                              new_lot_name='L-010', quantity=1, user=self.clerk)
        with self.assertRaises(UserError) as error:
            wizard.action_renumber()
        self.assertIn('Partner Locations/Customers is not an internal location',
                      error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'L-010')]))
