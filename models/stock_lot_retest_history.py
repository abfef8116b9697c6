# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotRetestHistory(models.Model):
    _name = 'stock.lot.retest.history'
    _description = 'Retest of a lot: its expiration date changed'
    _order = 'date desc, id desc'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', required=True, index=True, readonly=True,
        ondelete='cascade', help="Lot whose expiration date the retest changed.")
    date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now,
        help="When the retest was recorded.")
    user_id = fields.Many2one(
        'res.users', string='Recorded By', required=True, readonly=True,
        default=lambda self: self.env.uid, help="Lot manager who recorded the retest.")
    old_life_date = fields.Datetime(
        string='Old Expiration Date', readonly=True,
        help="Expiration date of the lot before the retest.")
    new_life_date = fields.Datetime(
        string='New Expiration Date', required=True, readonly=True,
        help="Expiration date established by the retest.")
    reason = fields.Text(
        required=True, readonly=True, help="Result and reference of the retest.")
