# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class StockLotExpiryAllocation(models.TransientModel):
    """Which lots in stock a customer would accept today.

    The customer's shelf-life and grade rules, expiry, blocking and quality are judged
    by the reservation's own rules (``stock.move._get_lot_issues``) for a delivery to
    the customer scheduled now; stock in quarantine is left out as reservation leaves
    it out.
    """
    _name = 'stock.lot.expiry.allocation'
    _description = 'Lots in stock suitable for a customer'

    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True,
        help="Customer whose lot rules (shelf life, grade) the lots must satisfy.")
    product_id = fields.Many2one(
        'product.product', string='Product',
        help="Only lots of this product; all lot-tracked products when empty.")
    categ_id = fields.Many2one(
        'product.category', string='Product Category',
        help="Only lots of products of this category (and its subcategories).")
    warehouse_id = fields.Many2one(
        'stock.warehouse', string='Warehouse', help="Only stock of this warehouse.")

    @api.multi
    def _get_report_domain(self):
        self.ensure_one()
        domain = [('in_quarantine', '=', False)]
        if self.product_id:
            domain.append(('product_id', '=', self.product_id.id))
        if self.categ_id:
            domain.append(('categ_id', 'child_of', self.categ_id.id))
        if self.warehouse_id:
            domain.append(('warehouse_id', '=', self.warehouse_id.id))
        return domain

    @api.multi
    def _get_suitable_rows(self):
        """The rows of ``stock.lot.expiry.report`` whose lot the customer accepts now.

        One reservation check per product, each a constant number of queries.
        """
        self.ensure_one()
        rows = self.env['stock.lot.expiry.report'].search(self._get_report_domain())
        partner = self.partner_id.commercial_partner_id
        destination = partner.property_stock_customer
        now = fields.Datetime.now()
        suitable = rows.browse()
        for product in rows.mapped('product_id'):
            product_rows = rows.filtered(lambda row, product=product: row.product_id == product)
            # the delivery the lots would leave by: not saved, only asked
            move = self.env['stock.move'].new({
                'product_id': product.id,
                'product_uom': product.uom_id.id,
                'partner_id': partner.id,
                'location_id': product_rows[0].location_id.id,
                'location_dest_id': destination.id,
                'date_expected': now,
                'company_id': product_rows[0].company_id.id,
            })
            issue_lot_ids = set(move._get_lot_issues(product_rows.mapped('lot_id'), date=now))
            suitable |= product_rows.filtered(
                lambda row, skipped=issue_lot_ids: row.lot_id.id not in skipped)
        return suitable

    @api.multi
    def action_open_lots(self):
        """The lots in stock the customer accepts today, in the Lot Expiration list."""
        self.ensure_one()
        rows = self._get_suitable_rows()
        action = self.env.ref('stock_lot_tracking.stock_lot_expiry_report_action').read()[0]
        action.update(
            name=_('Lots suitable for %s') % self.partner_id.display_name,
            domain=[('id', 'in', rows.ids)], context={'search_default_group_product': 1},
            view_mode='tree,pivot,graph')
        return action
