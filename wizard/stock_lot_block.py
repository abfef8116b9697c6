# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotBlock(models.TransientModel):
    _name = 'stock.lot.block'
    _inherit = 'stock.lot.reason.mixin'
    _description = 'Block lots with a reason'
    _lot_action = 'action_block'

    lot_ids = fields.Many2many(
        help="Lots to block: they stay in stock but are no longer reserved.")
    reason = fields.Char(
        help="Why the lots are blocked (quarantine, complaint, hold...).")
