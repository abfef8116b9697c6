# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class StockLotQualityValue(models.Model):
    _name = 'stock.lot.quality.value'
    _inherit = 'stock.lot.quality.data.mixin'
    _description = 'Lot Quality Value'
    _order = 'lot_id, sequence, id'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', required=True, index=True, ondelete='cascade',
        help="Lot the value was measured on.")
    attribute_id = fields.Many2one(
        'stock.lot.quality.attribute', string='Attribute', required=True, index=True,
        ondelete='restrict', help="What was measured or checked.")
    sequence = fields.Integer(
        related='attribute_id.sequence', store=True, readonly=True,
        help="Order of the attribute.")
    value_type = fields.Selection(
        related='attribute_id.value_type', readonly=True,
        help="Numeric values go in Value, text observations in Text Value.")
    value = fields.Float(
        digits=(16, 4), help="Measured value of a numeric attribute, in the attribute's unit.")
    text_value = fields.Char(help="Observed result of a text attribute, e.g. Conforms.")
    uom_name = fields.Char(
        related='attribute_id.uom_name', readonly=True, help="Unit of the value.")
    specification = fields.Char(
        compute='_compute_specification',
        help="The attribute's specification the value is checked against.")
    in_spec = fields.Boolean(
        string='In Specification', compute='_compute_in_spec', store=True,
        help="The value is within the attribute's minimum and maximum, or equals the "
             "target of a text attribute.")
    display_value = fields.Char(
        string='Result', compute='_compute_display_value',
        help="The value with its unit, as printed on the certificate of analysis.")

    _sql_constraints = [
        ('lot_attribute_uniq', 'unique (lot_id, attribute_id)',
         'A lot records one value per quality attribute: edit the existing value.'),
    ]

    @api.depends('value', 'text_value', 'attribute_id.value_type',
                 'attribute_id.has_min_value', 'attribute_id.min_value',
                 'attribute_id.has_max_value', 'attribute_id.max_value',
                 'attribute_id.target')
    def _compute_in_spec(self):
        for quality_value in self:
            quality_value.in_spec = bool(quality_value.attribute_id) and (
                quality_value.attribute_id._is_in_spec(
                    quality_value.value, quality_value.text_value))

    @api.depends('attribute_id.value_type', 'attribute_id.has_min_value',
                 'attribute_id.min_value', 'attribute_id.has_max_value',
                 'attribute_id.max_value', 'attribute_id.target', 'attribute_id.uom_name')
    def _compute_specification(self):
        # from the attribute's method, not its computed field: a related field here
        # was invalidated by the attribute's computation (Odoo 11 draft cache)
        for quality_value in self:
            attribute = quality_value.attribute_id
            quality_value.specification = attribute and attribute._get_specification()

    @api.depends('value', 'text_value', 'attribute_id.value_type', 'attribute_id.uom_name')
    def _compute_display_value(self):
        for quality_value in self:
            quality_value.display_value = quality_value._get_display_value()

    @api.multi
    def _get_display_value(self):
        """The value with its unit: ``98.5 %`` or ``Conforms``."""
        self.ensure_one()
        if self.value_type == 'text':
            return self.text_value or ''
        text = self.attribute_id._format_number(self.value)
        return ('%s %s' % (text, self.uom_name)) if self.uom_name else text

    @api.multi
    def _get_log_text(self):
        self.ensure_one()
        return _('%s: %s (specification %s, %s)') % (
            self.attribute_id.name, self._get_display_value(), self.specification,
            _('in specification') if self.in_spec else _('OUT OF SPECIFICATION'))

    @api.model
    def _get_log_title(self, operation):
        return {'create': _('Quality value recorded'), 'write': _('Quality value changed'),
                'unlink': _('Quality value removed')}[operation]
