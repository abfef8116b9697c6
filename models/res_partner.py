# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

# lot requirements of a customer: lot managers only, as the customer lot rules
LOT_REQUIREMENT_FIELDS = ('min_shelf_life_days', 'min_quality_grade_id')


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
        help="Lots delivered to this customer of products that track quality must "
             "have this grade or a better one. "
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

    @api.model
    def create(self, vals):
        if any(vals.get(name) for name in LOT_REQUIREMENT_FIELDS):
            self._check_lot_requirements_change(vals, self.browse())
        return super(ResPartner, self).create(vals)

    @api.multi
    def write(self, vals):
        if any(name in vals for name in LOT_REQUIREMENT_FIELDS + ('parent_id', 'is_company')):
            for partner in self:
                self._check_lot_requirements_change(vals, partner)
        return super(ResPartner, self).write(vals)

    @api.model
    def _check_lot_requirements_change(self, vals, partner):
        """Only lot managers change the lot requirements of a customer (``partner``, or
        the one ``vals`` creates when ``partner`` is empty), as they alone edit the
        customer lot rules. A contact of a company delivers under the company's
        requirements: the copies Odoo keeps on contacts are not checked."""
        if self.env['stock.production.lot']._is_lot_manager():
            return
        parent = (self.browse(vals['parent_id']) if 'parent_id' in vals
                  else partner.parent_id)
        is_company = vals['is_company'] if 'is_company' in vals else partner.is_company
        if parent and not is_company:
            return
        current = partner.commercial_partner_id
        for name in LOT_REQUIREMENT_FIELDS:
            field = self._fields[name]
            old = field.convert_to_write(current[name], current) if current else False
            if name in vals:
                new = vals[name]
            else:
                new = field.convert_to_write(partner[name], partner) if partner else False
            if (old or False) != (new or False):
                raise AccessError(_(
                    'You may not change the %(field)s of %(partner)s: only Lot Managers '
                    'change the lot requirements of a customer (user: %(user)s).') % {
                        'field': field.string,
                        'partner': partner.display_name or vals.get('name') or '',
                        'user': self.env.user.name})
