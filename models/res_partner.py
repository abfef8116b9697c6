# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    min_shelf_life_days = fields.Integer(
        string='Minimum Shelf Life (Days)', track_visibility='onchange',
        help="Lots delivered to this customer must have at least this many days left "
             "before their expiration date at the delivery's scheduled date. Customer "
             "lot rules for a product or category replace it. 0: no requirement.")
    min_quality_grade_id = fields.Many2one(
        'stock.lot.quality.grade', string='Minimum Quality Grade',
        track_visibility='onchange', ondelete='restrict',
        help="Lots delivered to this customer must have this grade or a better one. "
             "Customer lot rules for a product or category replace it. Empty: no "
             "requirement.")
    lot_customer_rule_ids = fields.One2many(
        'stock.lot.customer.rule', 'partner_id', string='Customer Lot Rules',
        help="Shelf-life and grade requirements of this customer for given products or "
             "product categories.")

    @api.model
    def _commercial_fields(self):
        """Contacts of a company deliver under the company's lot requirements."""
        return super(ResPartner, self)._commercial_fields() + [
            'min_shelf_life_days', 'min_quality_grade_id']
