# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

LOT_SEQUENCE_PREFIX = 'LOT-%(year)s-%(month)s-'


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    lot_generation = fields.Selection(
        [('manual', 'Manual'), ('auto', 'Automatic')],
        default='manual', required=True,
        help="Manual: the operator types the lot code of every receipt. "
             "Automatic: a receipt line without a code gets the next code of the "
             "product's lot sequence.")
    lot_sequence_id = fields.Many2one(
        'ir.sequence', string='Lot Sequence', copy=False,
        help="Sequence that numbers the lots of this product when lot generation is "
             "automatic. Created on first use with the prefix LOT-YYYY-MM-.")
    lot_code_pattern = fields.Char(
        help="Regular expression (Python syntax) that every lot code of this product "
             "must match in full, e.g. LOT-\\d{4}-\\d{2}-\\d{3}. Leave empty to accept "
             "any code.")
    lot_code_example = fields.Char(
        help="A valid lot code of this product, e.g. LOT-2026-11-001: shown to the "
             "operator instead of the lot code pattern when a code does not match it.")
    use_expiration_date = fields.Boolean(
        help="Lots of this product carry an expiration date computed from their "
             "production date and the product's life time. Expired lots are never "
             "reserved automatically.")
    expiry_warning_days = fields.Integer(
        string='Warning Period',
        help="Number of days before the expiration date when a lot enters its warning "
             "period: alert date = expiration date - warning period. Overrides the "
             "Product Alert Time when set.")
    max_retest_count = fields.Integer(
        string='Maximum Retests',
        help="How many times a lot of this product may have its shelf life extended by a "
             "retest. Lots expiring or expired with fewer retests are shown as retest "
             "candidates; 0: lots of this product are not retested.")
    use_fefo = fields.Boolean(
        string='First Expired, First Out',
        help="Reserve the lots of this product by removal date (First Expired, First "
             "Out), whatever removal strategy the category or location has.")
    track_quality = fields.Boolean(
        help="Lots of this product record quality data; new lots start with the "
             "quality state Pending.")
    quality_release_required = fields.Boolean(
        string='Only Approved Lots Ship',
        help="Only lots whose quality state is Approved are reserved for deliveries.")
    quality_attribute_ids = fields.Many2many(
        'stock.lot.quality.attribute', 'product_template_quality_attribute_rel',
        'product_tmpl_id', 'attribute_id', string='Quality Attributes',
        help="Attributes every lot of this product must record, in specification, before "
             "it can be approved.")

    serial_batch_required = fields.Boolean(
        string='Serials in Batches',
        help="Every serial number of this product belongs to a batch (lot): receipts ask for "
             "the batch of each new serial.")
    stock_without_lot_qty = fields.Float(
        compute='_compute_stock_without_lot_qty', digits=0,
        help="Quantity in internal locations that has no lot although the product is "
             "tracked: stock that was there before tracking was switched on. Give it its lot "
             "by changing its lot number or counting it in an inventory adjustment.")
    lot_count = fields.Integer(
        compute='_compute_lot_count', string='Lots',
        help="Number of lots of the product (all variants).")

    @api.depends('tracking')
    def _compute_stock_without_lot_qty(self):
        tracked = self.filtered(lambda template: template.tracking != 'none' and template.id)
        quantities = tracked._get_stock_without_lot_qty()
        for template in self:
            template.stock_without_lot_qty = quantities.get(template.id, 0.0)

    @api.constrains('lot_code_pattern', 'lot_code_example')
    def _check_lot_code_pattern(self):
        for template in self.filtered('lot_code_pattern'):
            try:
                re.compile(template.lot_code_pattern)
            except re.error as error:
                raise ValidationError(_(
                    'The lot code pattern "%(pattern)s" of product "%(product)s" is not '
                    'a valid regular expression: %(error)s') % {
                        'pattern': template.lot_code_pattern,
                        'product': template.display_name, 'error': error})
            example = template.lot_code_example
            if example and not re.fullmatch(template.lot_code_pattern, example):
                raise ValidationError(_(
                    'The example lot code "%(example)s" of product "%(product)s" does not '
                    'match its lot code pattern "%(pattern)s": give a code that does.') % {
                        'example': example, 'product': template.display_name,
                        'pattern': template.lot_code_pattern})

    @api.constrains('expiry_warning_days', 'life_time', 'use_time', 'removal_time',
                    'alert_time')
    def _check_expiry_days(self):
        for template in self:
            days = (template.expiry_warning_days, template.life_time,
                    template.use_time, template.removal_time, template.alert_time)
            if any(value < 0 for value in days):
                raise ValidationError(_(
                    'The expiration day counts of product "%s" cannot be negative.'
                ) % template.display_name)

    @api.onchange('tracking')
    def _onchange_tracking_stock_without_lot(self):
        """Warn that the stock already there gets no lot when tracking is switched on."""
        origin = self._origin
        if self.tracking == 'none' or not origin or origin.tracking != 'none':
            return None
        quantity = origin._get_stock_without_lot_qty().get(origin.id, 0.0)
        if quantity <= 0:
            return None
        return {'warning': {
            'title': _('Stock without lot'),
            'message': _(
                '%(quantity)s %(uom)s of %(product)s are in stock already: they will have '
                'no lot. Inventories of their locations cannot be validated until their lot '
                'is entered. Give them their lot with Change Lot Number from Inventory > '
                'Master Data > Stock without Lot, or count them in an inventory adjustment.'
            ) % {'quantity': quantity, 'uom': origin.uom_id.name,
                 'product': origin.display_name},
        }}

    @api.multi
    def action_view_stock_without_lot(self):
        """Open the stock of the product that has no lot, to renumber it."""
        self.ensure_one()
        action = self.env.ref('stock_lot_tracking.stock_quant_without_lot_action').read()[0]
        action['domain'] = [('product_id.product_tmpl_id', '=', self.id),
                            ('lot_id', '=', False), ('location_id.usage', '=', 'internal')]
        return action

    @api.multi
    def _get_stock_without_lot_qty(self):
        """Quantity without lot in internal locations, by template id."""
        if not self.ids:
            return {}
        groups = self.env['stock.quant'].read_group(
            [('product_id.product_tmpl_id', 'in', self.ids), ('lot_id', '=', False),
             ('location_id.usage', '=', 'internal')],
            ['product_id', 'quantity'], ['product_id'])
        quantities = {}
        for group in groups:
            product = self.env['product.product'].browse(group['product_id'][0])
            template_id = product.product_tmpl_id.id
            quantities[template_id] = quantities.get(template_id, 0.0) + group['quantity']
        return quantities

    @api.multi
    def check_lot_code(self, code):
        """Raise a ValidationError if ``code`` does not match the product's lot pattern."""
        self.ensure_one()
        if not self.is_lot_code_valid(code):
            message = _(
                'The lot code "%(code)s" does not match the lot code pattern '
                '"%(pattern)s" of product "%(product)s".'
            ) % {'code': code or '', 'pattern': self.lot_code_pattern,
                 'product': self.display_name}
            if self.lot_code_example:
                message += ' ' + _('A valid code looks like %(example)s.') % {
                    'example': self.lot_code_example}
            raise ValidationError(message)

    @api.multi
    def is_lot_code_valid(self, code):
        """Whether ``code`` matches the product's lot code pattern (any code does when
        the product has none)."""
        self.ensure_one()
        pattern = self.lot_code_pattern
        return not pattern or bool(re.fullmatch(pattern, code or ''))

    @api.multi
    def _get_lot_code_hint(self):
        """How to tell the operator what a valid lot code of this product looks like:
        its example code, else its pattern."""
        self.ensure_one()
        if self.lot_code_example:
            return _('a valid code looks like %(example)s') % {
                'example': self.lot_code_example}
        return _('codes must match the pattern %(pattern)s') % {
            'pattern': self.lot_code_pattern}

    @api.multi
    def _get_lot_sequence(self):
        """Return the product's lot sequence, creating it on first use."""
        self.ensure_one()
        if not self.lot_sequence_id:
            sequence = self.env['ir.sequence'].sudo().create(
                self._prepare_lot_sequence_vals())
            self.sudo().lot_sequence_id = sequence
        return self.lot_sequence_id

    @api.multi
    def _prepare_lot_sequence_vals(self):
        self.ensure_one()
        return {
            'name': _('Lots of %s') % self.display_name,
            'prefix': LOT_SEQUENCE_PREFIX,
            'padding': 3,
            'number_increment': 1,
            'implementation': 'standard',
            'company_id': False,
        }

    @api.multi
    def _next_lot_code(self):
        """Return the next lot code of an automatically numbered product."""
        self.ensure_one()
        if self.lot_generation != 'auto':
            raise UserError(_(
                'Product "%s" has manual lot numbering: enter the lot code.'
            ) % self.display_name)
        return self._get_lot_sequence().next_by_id()

    @api.multi
    def _compute_lot_count(self):
        groups = self.env['stock.production.lot'].read_group(
            [('product_id.product_tmpl_id', 'in', self.ids)], ['product_id'], ['product_id'])
        by_product = {group['product_id'][0]: group['product_id_count'] for group in groups}
        for template in self:
            template.lot_count = sum(by_product.get(product.id, 0)
                                     for product in template.with_context(
                                         active_test=False).product_variant_ids)

    @api.multi
    def action_open_lots(self):
        """The product's lots with their quantity on hand."""
        self.ensure_one()
        action = self.env.ref('stock_lot_tracking.stock_production_lot_action').read()[0]
        action.update({
            'domain': [('product_id.product_tmpl_id', '=', self.id)],
            'context': {'default_product_id': self.product_variant_id.id},
            'views': [(self.env.ref(
                'stock_lot_tracking.stock_production_lot_view_tree_stock').id, 'tree'),
                (False, 'form')],
            'display_name': _('Lots of %s') % self.display_name,
        })
        return action
