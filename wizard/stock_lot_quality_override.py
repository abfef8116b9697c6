# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotQualityOverride(models.TransientModel):
    _name = 'stock.lot.quality.override'
    _inherit = 'stock.lot.reason.mixin'
    _description = 'Approve lots overriding their specification'
    _lot_action = 'action_approve_override'

    lot_ids = fields.Many2many(
        help="Lots to approve although values are missing or out of specification.")
    issues = fields.Text(
        compute='_compute_issues', help="What the approval overrides, lot by lot.")
    reason = fields.Char(
        help="Why the lots are released despite their results (deviation, concession "
             "number...). Kept in the lots' history.")

    @api.depends('lot_ids')
    def _compute_issues(self):
        for wizard in self:
            wizard.issues = '\n'.join(
                '%s: %s' % (lot.display_name, '; '.join(lot._get_quality_issues()))
                for lot in wizard.lot_ids if lot._get_quality_issues())
