# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockQuant(models.Model):
    _inherit = 'stock.quant'

    @api.multi
    def _lock_for_lot_change(self):
        """Lock the quants whose lot changes until the end of the transaction.

        A reservation made meanwhile by another user waits, so the reserved quantity read
        next stays true until the lot change is posted.
        """
        if not self.ids:
            return
        self.env.cr.execute('SELECT id FROM stock_quant WHERE id IN %s FOR UPDATE',
                            (tuple(self.ids),))
        self.invalidate_cache(['quantity', 'reserved_quantity'], self.ids)
