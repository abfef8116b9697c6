# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import float_compare


class StockMoveLine(models.Model):
    _inherit = 'stock.move.line'

    @api.multi
    def _action_done(self):
        """Create the lots typed on receipt lines with their origin, then check that
        single-lot locations still hold one lot per product."""
        self._create_receipt_lots()
        # read before: lines without done quantity are deleted by Odoo
        into_single_lot = any(line.location_dest_id.single_lot for line in self)
        result = super(StockMoveLine, self)._action_done()
        if into_single_lot:
            self.env['stock.quant']._check_single_lot_locations()
        return result

    @api.multi
    def _create_receipt_lots(self):
        """Create the lots of the lines with a lot name but no lot, as Odoo would when the
        operation type creates lots, with the supplier and purchase order of the receipt."""
        lot_model = self.env['stock.production.lot']
        for line in self:
            if (line.lot_id or not line.lot_name or line.product_id.tracking == 'none'
                    or not line.move_id.picking_type_id.use_create_lots
                    or float_compare(line.qty_done, 0,
                                     precision_rounding=line.product_uom_id.rounding) <= 0):
                continue
            vals = line._prepare_receipt_lot_vals()
            line.write({'lot_id': lot_model.create(vals).id})

    @api.multi
    def _prepare_receipt_lot_vals(self):
        """Values of the lot created for this receipt line."""
        self.ensure_one()
        vals = {'name': self.lot_name, 'product_id': self.product_id.id}
        vals.update(self._prepare_lot_origin_vals(self.move_id))
        return vals

    @api.model
    def _prepare_lot_origin_vals(self, move):
        """Supplier and purchase order of a lot received by ``move``.

        Only moves coming from a vendor location give a supplier: a customer return
        does not make the customer a supplier.
        """
        purchase = move.purchase_line_id.order_id
        if purchase:
            return {'supplier_id': purchase.partner_id.id, 'purchase_order_id': purchase.id}
        partner = move.picking_id.partner_id or move.partner_id
        if move.location_id.usage == 'supplier' and partner:
            return {'supplier_id': partner.id}
        return {}
