# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockLotRestockQuality(models.TransientModel):
    _name = 'stock.lot.restock.quality'
    _description = 'Quality value entered at receipt'
    _order = 'sequence, id'

    line_id = fields.Many2one(
        'stock.lot.restock.line', required=True, ondelete='cascade',
        help="Lot entry line whose lot records this value.")
    attribute_id = fields.Many2one(
        'stock.lot.quality.attribute', string='Attribute', required=True,
        ondelete='cascade', help="Quality attribute measured.")
    sequence = fields.Integer(
        related='attribute_id.sequence', readonly=True, help="Order of the attributes.")
    value_type = fields.Selection(
        related='attribute_id.value_type', readonly=True,
        help="Numeric values are numbers; text values are observations.")
    specification = fields.Char(
        related='attribute_id.specification', readonly=True,
        help="What the value must be to be in specification.")
    uom_name = fields.Char(
        related='attribute_id.uom_name', readonly=True, help="Unit of the value.")
    result = fields.Char(
        help="Measured value (a number for numeric attributes) or observed result. Leave "
             "it empty when it is not known yet: the lot stays pending until it is.")

    @api.multi
    def _get_value(self):
        """The value to record: a number for numeric attributes, the text otherwise,
        None when nothing was entered."""
        self.ensure_one()
        text = (self.result or '').strip()
        if not text:
            return None
        if self.value_type == 'text':
            return text
        try:
            return float(text.replace(',', '.'))
        except ValueError:
            raise UserError(_(
                'Lot %(lot)s of %(product)s: %(attribute)s must be a number, not '
                '"%(value)s".') % {
                'lot': (self.line_id.lot_name or '').strip() or _('(new)'),
                'product': self.line_id.product_id.display_name,
                'attribute': self.attribute_id.name, 'value': text})
