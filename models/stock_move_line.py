# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockMoveLine(models.Model):
    _inherit = 'stock.move.line'

    # searched by lot for every quality edit of a stock user and for traceability
    lot_id = fields.Many2one(index=True)

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
