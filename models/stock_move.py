# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = 'stock.move'

    # Lot rules of the destination customer (FEFO reservation) ------------------------
    # (section owned by the reservation rules work)

    # Reservation in bulk ---------------------------------------------------------------
    # (section owned by the reservation performance work)
