# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotQualityOverride(models.TransientModel):
    _name = 'stock.lot.quality.override'
    _description = 'Approve lots overriding their specification'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots', required=True,
        default=lambda self: [(6, 0, self.env.context.get('active_ids') or [])],
        help="Lots to approve although values are missing or out of specification.")
    issues = fields.Text(
        compute='_compute_issues', help="What the approval overrides, lot by lot.")
    reason = fields.Char(
        required=True,
        help="Why the lots are released despite their results (deviation, concession "
             "number...). Kept in the lots' history.")

    @api.depends('lot_ids')
    def _compute_issues(self):
        for wizard in self:
            wizard.issues = '\n'.join(
                '%s: %s' % (lot.display_name, '; '.join(lot._get_quality_issues()))
                for lot in wizard.lot_ids if lot._get_quality_issues())

    @api.multi
    def action_approve_override(self):
        self.ensure_one()
        self.lot_ids.action_approve_override(self.reason)
        return {'type': 'ir.actions.act_window_close'}
