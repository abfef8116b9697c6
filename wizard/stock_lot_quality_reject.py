# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotQualityReject(models.TransientModel):
    _name = 'stock.lot.quality.reject'
    _description = 'Reject lots with a reason'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots', required=True,
        default=lambda self: [(6, 0, self.env.context.get('active_ids') or [])],
        help="Lots to reject: they are never reserved.")
    reason = fields.Char(
        required=True, help="Why the lots are rejected. Kept in the lots' history.")

    @api.multi
    def action_reject(self):
        self.ensure_one()
        self.lot_ids.action_reject(self.reason)
        return {'type': 'ir.actions.act_window_close'}
