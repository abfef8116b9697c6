# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestInventoryLots(LotTrackingCase):
    """Inventory adjustments of lot-tracked products: expected lot, changed lot, no lot."""

    @classmethod
    def setUpClass(cls):
        super(TestInventoryLots, cls).setUpClass()
        cls.shelf = cls._create_location('Shelf I1')
        cls.lot1 = cls._create_lot('L-101')
        cls._count_in(cls.product, cls.shelf, 10, cls.lot1)
        cls.loss_location = cls.product.property_stock_inventory

    def _start(self, location=None):
        inventory = self.env['stock.inventory'].create({
            'name': 'Yearly count', 'filter': 'none',
            'location_id': (location or self.shelf).id})
        inventory.action_start()
        return inventory

    def test_lines_show_expected_lot(self):
        """Each line shows the lot expected in the location and its quantity."""
        line = self._start().line_ids
        self.assertEqual(line.expected_lot_id, self.lot1)
        self.assertEqual(line.expected_qty, 10)
        self.assertFalse(line.lot_changed)

    def test_counted_lot_replaces_expected_lot(self):
        """Another lot counted: the expected lot goes out, the counted lot comes in."""
        inventory = self._start()
        lot2 = self._create_lot('L-102')
        inventory.line_ids.write({'prod_lot_id': lot2.id, 'product_qty': 9})
        self.assertTrue(inventory.line_ids.lot_changed)
        inventory.action_done()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 0)
        self.assertEqual(self._qty(self.product, self.shelf, lot2), 9)
        out_move = inventory.move_ids.filtered(lambda move: move.location_id == self.shelf)
        in_move = inventory.move_ids - out_move
        self.assertEqual((out_move.move_line_ids.lot_id, out_move.product_qty,
                          out_move.location_dest_id), (self.lot1, 10, self.loss_location))
        self.assertEqual((in_move.move_line_ids.lot_id, in_move.product_qty,
                          in_move.location_id), (lot2, 9, self.loss_location))
        self.assertEqual(inventory.move_ids.mapped('state'), ['done', 'done'])

    def test_changed_lot_leaves_before_new_lot_enters(self):
        """Under a database rule of one lot per location, a changed lot is validated."""
        self.env.cr.execute(
            'CREATE UNIQUE INDEX slt_test_one_lot_on_shelf ON stock_quant '
            '(product_id, location_id) WHERE quantity > 0 AND location_id = %s',
            (self.shelf.id,))
        inventory = self._start()
        lot2 = self._create_lot('L-102')
        inventory.line_ids.write({'prod_lot_id': lot2.id, 'product_qty': 10})
        inventory.action_done()
        self.assertEqual(self._qty(self.product, self.shelf, lot2), 10)
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 0)

    def test_expected_lot_counted_on_another_line(self):
        """A line counting the expected lot itself keeps it: no double removal."""
        inventory = self._start()
        lot2 = self._create_lot('L-102')
        line = inventory.line_ids
        line.write({'prod_lot_id': lot2.id, 'product_qty': 3})
        self.env['stock.inventory.line'].create({
            'inventory_id': inventory.id, 'product_id': self.product.id,
            'location_id': self.shelf.id, 'prod_lot_id': self.lot1.id, 'product_qty': 7})
        inventory.action_done()
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 7)
        self.assertEqual(self._qty(self.product, self.shelf, lot2), 3)

    def test_refused_while_stock_has_no_lot(self):
        """Stock without lot blocks validation; the message lists the lines."""
        product = self.env['product.product'].create({
            'name': 'Sea Salt 1 kg', 'type': 'product', 'tracking': 'none'})
        self._count_in(product, self.shelf, 5)
        other_shelf = self._create_location('Shelf I2')
        self._count_in(product, other_shelf, 2)
        product.tracking = 'lot'
        parent = self._create_location('Aisle I')
        (self.shelf | other_shelf).write({'location_id': parent.id})
        inventory = self._start(parent)
        missing = inventory.line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual(len(missing), 2)
        with self.assertRaises(UserError) as error:
            inventory.action_done()
        message = error.exception.name
        self.assertIn('Sea Salt 1 kg in %s: 5.0' % self.shelf.display_name, message)
        self.assertIn('Sea Salt 1 kg in %s: 2.0' % other_shelf.display_name, message)
        self.assertEqual(inventory.state, 'confirm')
        self.assertEqual(self._qty(product, self.shelf), 5)
        # once every counted line has its lot, the stock without lot is replaced
        lot = self._create_lot('SALT-1', product)
        missing.write({'prod_lot_id': lot.id})
        inventory.action_done()
        self.assertEqual(inventory.state, 'done')
        self.assertEqual(self._qty(product, self.shelf), 0)
        self.assertEqual(self._qty(product, self.shelf, lot), 5)
        self.assertEqual(self._qty(product, other_shelf, lot), 2)
        self.assertEqual(self._qty(self.product, self.shelf, self.lot1), 10)

    def test_no_lot_counted_zero_is_accepted(self):
        """A line without lot counted at zero removes the stock without lot."""
        product = self.env['product.product'].create({
            'name': 'Sea Salt 5 kg', 'type': 'product', 'tracking': 'none'})
        self._count_in(product, self.shelf, 4)
        product.tracking = 'lot'
        inventory = self._start()
        inventory.line_ids.filtered(lambda line: line.product_id == product).product_qty = 0
        inventory.action_done()
        self.assertEqual(self._qty(product, self.shelf), 0)

    def test_switching_tracking_on_warns_about_stock(self):
        """Switching tracking on for a product in stock warns that its stock has no lot."""
        product = self.env['product.product'].create({
            'name': 'Sea Salt 10 kg', 'type': 'product', 'tracking': 'none'})
        template = product.product_tmpl_id
        form = template.new({'tracking': 'lot'})
        form._origin = template
        self.assertFalse(form._onchange_tracking_stock_without_lot(), 'no stock, no warning')
        self._count_in(product, self.shelf, 6)
        form = template.new({'tracking': 'lot'})
        form._origin = template
        warning = form._onchange_tracking_stock_without_lot()['warning']
        self.assertIn('6.0 Unit(s) of Sea Salt 10 kg', warning['message'])
        self.assertIn('Stock without Lot', warning['message'])
