# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotQualityReject(models.TransientModel):
    _name = 'stock.lot.quality.reject'
    _inherit = 'stock.lot.reason.mixin'
    _description = 'Reject lots with a reason'
    _lot_action = 'action_reject'

    lot_ids = fields.Many2many(help="Lots to reject: they are never reserved.")
    reason = fields.Char(help="Why the lots are rejected. Kept in the lots' history.")
