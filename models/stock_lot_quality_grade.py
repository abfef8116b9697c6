# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotQualityGrade(models.Model):
    _name = 'stock.lot.quality.grade'
    _description = 'Lot Quality Grade'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True, help="Name of the grade, e.g. A.")
    sequence = fields.Integer(
        default=10, help="Rank of the grade: a lower sequence is a better grade.")
    active = fields.Boolean(default=True, help="Archived grades are no longer proposed.")

    _sql_constraints = [
        ('name_uniq', 'unique (name)', 'A quality grade with this name already exists.'),
    ]
