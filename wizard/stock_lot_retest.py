# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotRetest(models.TransientModel):
    _name = 'stock.lot.retest'
    _description = 'Retest a lot: new expiration date'

    lot_id = fields.Many2one(
        'stock.production.lot', required=True, readonly=True,
        default=lambda self: self.env.context.get('active_id'),
        help="Lot whose expiration date is extended or shortened.")
    current_life_date = fields.Datetime(
        related='lot_id.life_date', readonly=True, string='Current Expiration Date')
    new_life_date = fields.Datetime(
        string='New Expiration Date', required=True,
        help="Expiration date established by the retest; the other dates of the lot "
             "shift by the same amount.")
    reason = fields.Text(
        required=True,
        help="Result and reference of the retest, kept in the lot's history.")

    @api.multi
    def action_retest(self):
        self.ensure_one()
        self.lot_id.action_retest(self.new_life_date, self.reason)
        return {'type': 'ir.actions.act_window_close'}
