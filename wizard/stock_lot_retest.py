# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockLotRetest(models.TransientModel):
    _name = 'stock.lot.retest'
    _description = 'Retest a lot: new expiration date'

    lot_id = fields.Many2one(
        'stock.production.lot', readonly=True,
        default=lambda self: self.env.context.get('active_id'),
        help="Lot whose expiration date is extended or shortened.")
    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots',
        default=lambda self: self._default_lot_ids(),
        help="Lots retested together (from the lot list); the lot of the form otherwise.")
    current_life_date = fields.Datetime(
        related='lot_id.life_date', readonly=True, string='Current Expiration Date')
    new_life_date = fields.Datetime(
        string='New Expiration Date', required=True,
        help="Expiration date established by the retest; the other dates of the lot "
             "shift by the same amount.")
    reason = fields.Text(
        required=True,
        help="Result and reference of the retest, kept in the lot's history.")

    @api.model
    def _default_lot_ids(self):
        if self.env.context.get('active_model') != 'stock.production.lot':
            return []
        return self.env.context.get('active_ids') or []

    @api.multi
    def action_retest(self):
        self.ensure_one()
        lots = self.lot_ids or self.lot_id
        if not lots:
            raise UserError(_('Choose the lots to retest.'))
        lots.action_retest(self.new_life_date, self.reason)
        return {'type': 'ir.actions.act_window_close'}
