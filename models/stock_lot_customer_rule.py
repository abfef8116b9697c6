# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class StockLotCustomerRule(models.Model):
    _name = 'stock.lot.customer.rule'
    _description = 'Customer Lot Rule'
    _order = 'partner_id, product_id, categ_id, id'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True, ondelete='cascade',
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="Customer (company or individual) the rule applies to; deliveries to any of "
             "its addresses follow it.")
    product_id = fields.Many2one(
        'product.product', string='Product', index=True, ondelete='cascade',
        help="Product the rule applies to. A rule for the product wins over a rule for "
             "its category and over the customer's defaults.")
    categ_id = fields.Many2one(
        'product.category', string='Product Category', index=True, ondelete='cascade',
        help="Product category the rule applies to, with its sub-categories; the rule of "
             "the nearest category wins. Ignored when a product is set.")
    min_shelf_life_days = fields.Integer(
        string='Minimum Shelf Life (Days)',
        help="Lots delivered must have at least this many days left before their "
             "expiration date at the delivery's scheduled date. 0: no requirement.")
    min_quality_grade_id = fields.Many2one(
        'stock.lot.quality.grade', string='Minimum Quality Grade', ondelete='restrict',
        help="Lots delivered of products that track quality must have this grade or a "
             "better one. Empty: no requirement.")
    company_id = fields.Many2one(
        'res.company', string='Company', index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'stock.lot.customer.rule'),
        help="Company whose deliveries follow the rule. Empty: every company.")

    _sql_constraints = [
        ('min_shelf_life_days_positive', 'CHECK (min_shelf_life_days >= 0)',
         'The minimum shelf life of a customer lot rule cannot be negative.'),
    ]

    @api.multi
    def name_get(self):
        result = []
        for rule in self:
            target = rule.product_id.display_name or rule.categ_id.display_name or ''
            result.append((rule.id, '%s / %s' % (rule.partner_id.display_name, target)))
        return result

    @api.constrains('partner_id', 'product_id', 'categ_id')
    def _check_product_or_category(self):
        for rule in self:
            if not rule.product_id and not rule.categ_id:
                raise ValidationError(_(
                    'The lot rule of customer %(customer)s needs a product or a product '
                    'category; the customer\'s own defaults cover everything else.'
                ) % {'customer': rule.partner_id.display_name})

    @api.constrains('partner_id', 'product_id', 'categ_id', 'company_id')
    def _check_unique_target(self):
        for rule in self:
            domain = [('id', '!=', rule.id), ('partner_id', '=', rule.partner_id.id),
                      ('company_id', '=', rule.company_id.id)]
            if rule.product_id:
                domain.append(('product_id', '=', rule.product_id.id))
            else:
                domain += [('product_id', '=', False), ('categ_id', '=', rule.categ_id.id)]
            if self.search_count(domain):
                raise ValidationError(_(
                    'Customer %(customer)s already has a lot rule for %(target)s.'
                ) % {'customer': rule.partner_id.display_name,
                     'target': (rule.product_id or rule.categ_id).display_name})

    @api.model
    def _get_rule(self, partner, product, company=None):
        """The lot requirements of ``partner`` (a commercial partner) for ``product``.

        The most specific rule wins as a whole: a rule for the product, else a rule for
        its category (nearest parent category first), else the partner's defaults.
        Rules of ``company`` come before rules for every company.

        :return: dict with ``min_shelf_life_days`` (int) and ``min_quality_grade_id``
            (grade record, maybe empty)
        """
        grade_model = self.env['stock.lot.quality.grade']
        if not partner:
            return {'min_shelf_life_days': 0, 'min_quality_grade_id': grade_model}
        rules = self.sudo().search([
            ('partner_id', '=', partner.id),
            ('company_id', 'in', [company.id if company else False, False]),
        ])
        # rules of the company first, then the rules for every company
        rules = rules.sorted(lambda rule: not rule.company_id)
        rule = rules.filtered(lambda rule: rule.product_id == product)[:1]
        category = product.categ_id
        while not rule and category:
            rule = rules.filtered(
                lambda rule, category=category: not rule.product_id
                and rule.categ_id == category)[:1]
            category = category.parent_id
        source = rule or partner.sudo()
        return {
            'min_shelf_life_days': max(source.min_shelf_life_days, 0),
            'min_quality_grade_id': grade_model.browse(source.min_quality_grade_id.id),
        }
