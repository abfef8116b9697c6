# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotBlock(models.TransientModel):
    _name = 'stock.lot.block'
    _description = 'Block lots with a reason'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots', required=True,
        default=lambda self: [(6, 0, self.env.context.get('active_ids') or [])],
        help="Lots to block: they stay in stock but are no longer reserved.")
    reason = fields.Char(
        required=True,
        help="Why the lots are blocked (quarantine, complaint, hold...).")

    @api.multi
    def action_block(self):
        self.ensure_one()
        self.lot_ids.action_block(self.reason)
        return {'type': 'ir.actions.act_window_close'}
