# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_repr


class StockLotQualityAttribute(models.Model):
    _name = 'stock.lot.quality.attribute'
    _description = 'Lot Quality Attribute'
    _order = 'sequence, name, id'

    name = fields.Char(
        required=True, translate=True,
        help="What is measured or checked, e.g. Purity or Appearance.")
    sequence = fields.Integer(
        default=10, help="Order of the attribute on lots and certificates of analysis.")
    active = fields.Boolean(
        default=True, help="Archived attributes are no longer proposed for new values.")
    value_type = fields.Selection(
        [('numeric', 'Numeric'), ('text', 'Text')], default='numeric', required=True,
        help="Numeric: a measured number checked against the minimum and maximum. "
             "Text: an observation checked against the target, e.g. Conforms.")
    has_min_value = fields.Boolean(
        string='Check Minimum',
        help="The measured value must be at least the minimum.")
    min_value = fields.Float(
        string='Minimum', digits=(16, 4),
        help="Lowest value in specification (included).")
    has_max_value = fields.Boolean(
        string='Check Maximum',
        help="The measured value must be at most the maximum.")
    max_value = fields.Float(
        string='Maximum', digits=(16, 4),
        help="Highest value in specification (included).")
    uom_name = fields.Char(
        string='Unit', help="Unit the value is expressed in, e.g. % or mg/kg.")
    target = fields.Char(
        help="Expected result. For a text attribute a value is in specification when it "
             "equals the target (ignoring case); without target any recorded text is. For "
             "a numeric attribute it is the nominal value printed with the specification.")
    specification = fields.Char(
        compute='_compute_specification',
        help="The specification as printed on the certificate of analysis.")

    _sql_constraints = [
        ('name_uniq', 'unique (name)',
         'A quality attribute with this name already exists.'),
    ]

    @api.depends('value_type', 'has_min_value', 'min_value', 'has_max_value', 'max_value',
                 'uom_name', 'target')
    def _compute_specification(self):
        for attribute in self:
            attribute.specification = attribute._get_specification()

    @api.constrains('has_min_value', 'min_value', 'has_max_value', 'max_value')
    def _check_range(self):
        for attribute in self:
            if (attribute.has_min_value and attribute.has_max_value
                    and attribute.min_value > attribute.max_value):
                raise ValidationError(_(
                    'The minimum (%s) of quality attribute "%s" is above its maximum (%s).'
                ) % (attribute.min_value, attribute.name, attribute.max_value))

    @api.model
    def create(self, vals):
        return super(StockLotQualityAttribute, self).create(self._prepare_limit_vals(vals))

    @api.multi
    def write(self, vals):
        return super(StockLotQualityAttribute, self).write(self._prepare_limit_vals(vals))

    @api.model
    def _prepare_limit_vals(self, vals):
        """A minimum or maximum given without its check box (imports, RPC) is checked.

        ``False`` / ``None`` clears the limit; ``0`` is a real limit.
        """
        vals = dict(vals)
        for value_field, flag_field in (('min_value', 'has_min_value'),
                                        ('max_value', 'has_max_value')):
            if value_field in vals and flag_field not in vals:
                # 0 is a real limit: only False/None clear it
                value = vals[value_field]
                vals[flag_field] = value is not False and value is not None
        return vals

    @api.multi
    def _get_specification(self):
        """Human-readable specification, e.g. ``98.0 - 100.0 %`` or ``= Conforms``."""
        self.ensure_one()
        unit = (' %s' % self.uom_name) if self.uom_name else ''
        if self.value_type == 'text':
            return ('= %s' % self.target) if self.target else _('recorded')
        low, high = self._format_number(self.min_value), self._format_number(self.max_value)
        if self.has_min_value and self.has_max_value:
            spec = '%s - %s%s' % (low, high, unit)
        elif self.has_min_value:
            spec = '>= %s%s' % (low, unit)
        elif self.has_max_value:
            spec = '<= %s%s' % (high, unit)
        else:
            spec = _('recorded')
        if self.target:
            spec = _('%s (target %s)') % (spec, self.target)
        return spec

    @api.model
    def _format_number(self, number):
        """A float without trailing zeros: 98.5, 0.05, 7."""
        text = float_repr(number, 4).rstrip('0').rstrip('.')
        return text or '0'

    @api.multi
    def _is_in_spec(self, value=0.0, text_value=False):
        """Whether a value measured for this attribute is within its specification."""
        self.ensure_one()
        if self.value_type == 'text':
            text = (text_value or '').strip()
            if not text:
                return False
            return not self.target or text.lower() == self.target.strip().lower()
        if self.has_min_value and float_compare(value, self.min_value, precision_digits=4) < 0:
            return False
        if self.has_max_value and float_compare(value, self.max_value, precision_digits=4) > 0:
            return False
        return True
