# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class StockMoveLine(models.Model):
    _inherit = 'stock.move.line'

    # searched by lot for every quality edit of a stock user and for traceability
    lot_id = fields.Many2one(index=True)

    batch_lot_id = fields.Many2one(
        'stock.production.lot', string='Batch', index=True,
        domain="[('product_id', '=', product_id), ('is_batch', '=', True)]",
        help="For a serial number: the batch (lot) the serial belongs to in this move. "
             "Entered on receipts for new serials, copied from the serial otherwise.")
    product_tracking = fields.Selection(
        related='product_id.tracking', readonly=True,
        help="Tracking of the product: the batch applies to serial numbers only.")

    @api.constrains('lot_id')
    def _check_lot_not_batch(self):
        for line in self.filtered('lot_id.is_batch'):
            raise ValidationError(_(
                '%(batch)s is a batch of serial numbers of %(product)s and holds no stock: '
                'choose the serial numbers to move.'
            ) % {'batch': line.lot_id.name, 'product': line.product_id.display_name})

    @api.model
    def create(self, vals):
        line = super(StockMoveLine, self).create(vals)
        if vals.get('consume_line_ids'):
            line._link_component_lots()
        return line

    @api.multi
    def write(self, vals):
        res = super(StockMoveLine, self).write(vals)
        if vals.get('consume_line_ids'):
            self._link_component_lots()
        return res

    @api.multi
    def _action_done(self):
        """Check the batches of new serials and create the lots typed on receipt lines
        with their origin; after the moves, give serials their batch and check that
        single-lot locations still hold one lot per product."""
        self._check_serial_batches()
        self._create_receipt_lots()
        # read before: lines without done quantity are deleted by Odoo
        into_single_lot = any(line.location_dest_id.single_lot for line in self)
        result = super(StockMoveLine, self)._action_done()
        self.exists()._record_serial_batches()
        if into_single_lot:
            self.env['stock.quant']._check_single_lot_locations()
        return result

    @api.multi
    def _record_serial_batches(self):
        """New serials take the batch entered on the receipt; every serial move records it."""
        for line in self.filtered(
                lambda line: line.lot_id and line.product_id.tracking == 'serial'):
            serial = line.lot_id
            if line.batch_lot_id and not serial.batch_lot_id:
                serial.with_context(slt_batch_assignment=True).batch_lot_id = line.batch_lot_id
            elif serial.batch_lot_id and not line.batch_lot_id:
                line.batch_lot_id = serial.batch_lot_id

    @api.multi
    def _check_serial_batches(self):
        """Receipts of products with serials in batches need the batch of every new serial."""
        missing = self.filtered(
            lambda line: line.product_id.tracking == 'serial'
            and line.product_id.serial_batch_required
            and line.move_id.picking_type_id.use_create_lots
            and line.qty_done > 0 and (line.lot_id or line.lot_name)
            and not line.batch_lot_id and not line.lot_id.batch_lot_id)
        if missing:
            raise UserError(_(
                'Enter the batch of every new serial number before validating:\n%s'
            ) % '\n'.join('- %s %s' % (line.product_id.display_name,
                                       line.lot_id.name or line.lot_name)
                          for line in missing))

    @api.multi
    def _link_component_lots(self):
        """Record the lots consumed by a production or repackaging on the lot it made.

        ``consume_line_ids`` (set by manufacturing or any repackaging flow) names the move
        lines consumed to make this one; their lots become components of this line's lot,
        which then inherits their expiration date and grade where it has none.
        """
        for line in self.filtered('lot_id'):
            components = line.consume_line_ids.mapped('lot_id') - line.lot_id
            new = components - line.lot_id.component_lot_ids
            if new:
                line.lot_id.sudo().write({'component_lot_ids': [(4, lot.id) for lot in new]})

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
