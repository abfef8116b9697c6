# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotReasonMixin(models.AbstractModel):
    """What the wizards that apply a lot action with a reason share (block, reject,
    approve with an override): the lots selected, the reason, and the button that
    calls the lot method named by ``_lot_action`` with the reason. The lot method
    checks the rights and the reason."""
    _name = 'stock.lot.reason.mixin'
    _description = 'Lot action with a reason'
    # name of the stock.production.lot method called with the reason
    _lot_action = None

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots', required=True,
        default=lambda self: [(6, 0, self.env.context.get('active_ids') or [])],
        help="Lots the action applies to.")
    reason = fields.Char(
        required=True, help="Why; kept in the lots' history.")

    @api.multi
    def action_apply(self):
        """Apply the action to the lots with the reason and close the wizard."""
        self.ensure_one()
        getattr(self.lot_ids, self._lot_action)(self.reason)
        return {'type': 'ir.actions.act_window_close'}
