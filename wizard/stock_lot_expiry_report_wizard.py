# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class StockLotExpiryReportWizard(models.TransientModel):
    _name = 'stock.lot.expiry.report.wizard'
    _description = 'Print the lot expiration report'

    days = fields.Integer(
        string='Expiring Within (Days)', required=True, default=30,
        help="Lots expiring within this many days, and expired lots still in stock.")
    warehouse_id = fields.Many2one(
        'stock.warehouse', string='Warehouse', help="Only stock of this warehouse.")
    categ_id = fields.Many2one(
        'product.category', string='Product Category',
        help="Only products of this category (and its subcategories).")
    company_id = fields.Many2one(
        'res.company', required=True, default=lambda self: self.env.user.company_id,
        help="Company whose stock is reported.")
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True,
        help="Currency of the values.")

    @api.constrains('days')
    def _check_days(self):
        for wizard in self:
            if wizard.days < 0:
                raise ValidationError(
                    _('The number of days must be zero or more (not %s).') % wizard.days)

    @api.multi
    def _get_rows(self):
        """The report's rows: ``stock.lot.expiry.report`` records, by warehouse,
        product and expiration date."""
        self.ensure_one()
        domain = [('company_id', '=', self.company_id.id),
                  ('expiry_state', '!=', 'none'), ('days_to_expiry', '<=', self.days)]
        if self.warehouse_id:
            domain.append(('warehouse_id', '=', self.warehouse_id.id))
        if self.categ_id:
            domain.append(('categ_id', 'child_of', self.categ_id.id))
        rows = self.env['stock.lot.expiry.report'].search(domain)
        return rows.sorted(lambda row: (row.warehouse_id.name or '',
                                        row.product_id.display_name or '',
                                        row.life_date or '', row.lot_id.name or ''))

    @api.multi
    def _get_report_groups(self):
        """The rows grouped by warehouse, then product, with totals.

        :return: list of dicts ``{'warehouse', 'quantity'?, 'value', 'products': [{
            'product', 'rows', 'quantity', 'value'}]}`` (a warehouse's quantity is not
            summed: its products may have different units)
        """
        self.ensure_one()
        groups = OrderedDict()
        for row in self._get_rows():
            warehouse = groups.setdefault(row.warehouse_id.id, {
                'warehouse': row.warehouse_id, 'value': 0.0, 'products': OrderedDict()})
            product = warehouse['products'].setdefault(row.product_id.id, {
                'product': row.product_id, 'rows': [], 'quantity': 0.0, 'value': 0.0})
            product['rows'].append(row)
            product['quantity'] += row.quantity
            product['value'] += row.value_at_risk
            warehouse['value'] += row.value_at_risk
        result = []
        for warehouse in groups.values():
            warehouse['products'] = list(warehouse['products'].values())
            result.append(warehouse)
        return result

    @api.multi
    def action_print(self):
        self.ensure_one()
        return self.env.ref('stock_lot_tracking.report_lot_expiration_action').report_action(
            self)
