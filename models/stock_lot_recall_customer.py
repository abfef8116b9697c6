# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.addons import decimal_precision as dp


class StockLotRecallCustomer(models.Model):
    _name = 'stock.lot.recall.customer'
    _description = 'Lot Recall: Customer'
    _order = 'recall_id, partner_id, lot_id'
    # the recall notification is a mail on a customer line (one per customer): who
    # may write the lines (lot managers) may send it
    _mail_post_access = 'write'

    recall_id = fields.Many2one(
        'stock.lot.recall', string='Recall', required=True, index=True, ondelete='cascade',
        help="Recall this customer line belongs to.")
    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        ondelete='restrict',
        help="Commercial partner (the company) that received the lot.")
    email = fields.Char(
        related='partner_id.email', readonly=True,
        help="Email address of the customer, to reach it about the recall.")
    phone = fields.Char(
        related='partner_id.phone', readonly=True,
        help="Phone number of the customer.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', required=True, index=True,
        ondelete='restrict',
        help="Affected lot the customer received.")
    product_id = fields.Many2one(
        'product.product', string='Product', related='lot_id.product_id', readonly=True,
        store=True, help="Product of the lot.")
    uom_id = fields.Many2one(
        'product.uom', string='Unit of Measure', related='product_id.uom_id', readonly=True,
        help="Unit of the quantity: the product's unit.")
    quantity = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the lot delivered to the customer, net of its returns, in the "
             "product's unit.")
    date_first = fields.Datetime(
        string='First Delivery',
        help="Date of the first delivery (or return) of the lot to this customer.")
    date_last = fields.Datetime(
        string='Last Delivery',
        help="Date of the last delivery (or return) of the lot to this customer.")
    picking_ids = fields.Many2many(
        'stock.picking', 'stock_lot_recall_customer_picking_rel', 'line_id', 'picking_id',
        string='Deliveries',
        help="Deliveries and returns of the lot to and from this customer.")
    sale_order_ids = fields.Many2many(
        'sale.order', 'stock_lot_recall_customer_sale_rel', 'line_id', 'order_id',
        string='Sales Orders',
        help="Sales orders the lot was delivered for.")
    invoice_ids = fields.Many2many(
        'account.invoice', 'stock_lot_recall_customer_invoice_rel', 'line_id', 'invoice_id',
        string='Invoices',
        help="Validated customer invoices and credit notes of those sales order lines.")
    sale_order_names = fields.Char(
        string='Sales Order References',
        help="References of the sales orders, readable without sales rights.")
    invoice_numbers = fields.Char(
        help="Numbers of the invoices, readable without invoicing rights.")
    date_notified = fields.Datetime(
        string='Notified On', compute='_compute_date_notified',
        help="When the customer was last mailed about this recall.")

    @api.depends('recall_id.notification_ids')
    def _compute_date_notified(self):
        """The date of the customer's notification, which is sent on one of its lines."""
        for line in self:
            partner_lines = line.recall_id.customer_line_ids.filtered(
                lambda other, partner=line.partner_id: other.partner_id == partner)
            dates = line.recall_id.notification_ids.filtered(
                lambda message, ids=partner_lines.ids: message.res_id in ids).mapped('date')
            line.date_notified = max(dates) if dates else False

    @api.multi
    def name_get(self):
        return [(line.id, '%s - %s' % (line.recall_id.name, line.partner_id.display_name))
                for line in self]

    @api.multi
    def write(self, vals):
        """The lines are the trace's results: only the recall's trace writes them."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_(
                'The customer lines of a recall are computed by its trace and cannot be '
                'changed by hand (recall %s).') % ', '.join(self.mapped('recall_id.name')))
        return super(StockLotRecallCustomer, self).write(vals)
