# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class StockLotExpiryDispose(models.TransientModel):
    _name = 'stock.lot.expiry.dispose'
    _description = 'Dispose of lots: scrap their stock'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots', required=True,
        default=lambda self: self._default_lot_ids(),
        help="Lots whose whole stock in internal locations is scrapped.")
    reason = fields.Text(
        required=True,
        help="Why the lots are disposed of (e.g. expired, failed retest); kept in their "
             "history and on the scraps.")

    @api.model
    def _default_lot_ids(self):
        if self.env.context.get('active_model') != 'stock.production.lot':
            return []
        return self.env.context.get('active_ids') or []

    @api.multi
    def action_dispose(self):
        self.ensure_one()
        scraps = self.lot_ids.action_dispose(self.reason)
        return {
            'type': 'ir.actions.act_window',
            'name': _('Scrap Orders'),
            'res_model': 'stock.scrap',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', scraps.ids)],
        }
