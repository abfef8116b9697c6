# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now


@at_install(False)
@post_install(True)
class TestReceiptLotDates(LotTrackingCase):
    """Lots received through a purchase carry dates computed from the product."""

    def _receive(self, lot_names, qty_each=5.0, product=None, user=None):
        product = product or self.product
        order = self.env['purchase.order'].create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'name': product.name,
                'product_qty': qty_each * len(lot_names),
                'product_uom': product.uom_po_id.id,
                'price_unit': 3.0,
                'date_planned': fields.Datetime.now(),
            })],
        })
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_lines
        move.move_line_ids.unlink()
        picking = picking.sudo(user) if user else picking
        for name in lot_names:
            picking.env['stock.move.line'].create(dict(
                move._prepare_move_line_vals(), lot_name=name, qty_done=qty_each))
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        return picking

    def test_received_lots_get_expiration_from_shelf_life(self):
        """Lots typed on a purchase receipt expire after the product's life time."""
        picking = self._receive(['R-1', 'R-2'])
        lots = picking.move_line_ids.mapped('lot_id')
        self.assertEqual(sorted(lots.mapped('name')), ['R-1', 'R-2'])
        for lot in lots:
            self.assertDatetimeAlmostEqual(lot.production_date, fields.Datetime.now())
            self.assertDatetimeAlmostEqual(lot.life_date, days_from_now(100))
            self.assertDatetimeAlmostEqual(lot.alert_date, days_from_now(90))
            self.assertEqual(lot.expiry_state, 'ok')
            self.assertEqual(lot.product_qty, 5.0)

    def test_received_lot_codes_checked_against_pattern(self):
        """A receipt with a code outside the product's pattern is refused."""
        self.product.lot_code_pattern = r'R-\d+'
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            self._receive(['BAD'])
        self.assertIn('R-\\d+', error.exception.name)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'BAD')]))

    def test_clerk_receives_lots(self):
        """A plain stock user validates a receipt that creates lots with their dates."""
        picking = self._receive(['C-1'], user=self.clerk)
        self.assertTrue(picking.move_line_ids.lot_id.life_date)
