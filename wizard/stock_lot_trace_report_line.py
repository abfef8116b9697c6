# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotTraceReportLine(models.TransientModel):
    """One customer (forward) or supplier (backward) and lot of a traceability report."""

    _name = 'stock.lot.trace.report.line'
    _description = 'Lot Traceability Summary'
    _order = 'direction desc, partner_id, lot_id'

    report_id = fields.Many2one(
        'stock.lot.trace.report', string='Report', required=True, ondelete='cascade',
        help="Traceability report of the line.")
    direction = fields.Selection(
        [('forward', 'Forward'), ('backward', 'Backward')], readonly=True,
        help="Forward: a customer who received the lot. Backward: a supplier who "
             "delivered it.")
    partner_id = fields.Many2one(
        'res.partner', string='Partner', readonly=True,
        help="Customer or supplier (commercial partner).")
    partner_email = fields.Char(
        related='partner_id.email', readonly=True, string='Email',
        help="Email of the partner, to contact in a recall.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', readonly=True,
        help="Lot delivered or received.")
    product_id = fields.Many2one(
        related='lot_id.product_id', readonly=True, store=True, string='Product',
        help="Product of the lot.")
    product_uom_id = fields.Many2one(
        related='lot_id.product_id.uom_id', readonly=True, string='Unit of Measure',
        help="Unit of the quantity.")
    life_date = fields.Datetime(
        related='lot_id.life_date', readonly=True, string='Expiration Date',
        help="Expiration date of the lot.")
    supplier_lot_code = fields.Char(
        related='lot_id.supplier_lot_code', readonly=True,
        help="The vendor's own reference for the lot.")
    quantity = fields.Float(
        readonly=True, digits=0,
        help="Quantity delivered to the customer net of its returns, or received from "
             "the supplier net of vendor returns, in the product's unit.")
    date_first = fields.Datetime(
        string='First Date', readonly=True, help="First delivery or receipt.")
    date_last = fields.Datetime(
        string='Last Date', readonly=True, help="Last delivery, receipt or return.")
    picking_refs = fields.Char(
        string='Transfers', readonly=True, help="Deliveries, receipts and returns.")
    order_refs = fields.Char(
        string='Orders', readonly=True, help="Sales orders (forward) or purchase orders "
                                             "(backward).")
    invoice_refs = fields.Char(
        string='Invoices', readonly=True,
        help="Validated customer invoices and credit notes of the sales order lines.")
    certificate_refs = fields.Char(
        string='Certificates', readonly=True,
        help="Quality certificates of the lot (backward).")

    @api.model
    def _prepare_summary_vals(self, direction, summary):
        """Values of the lines of ``summary`` (see
        ``stock.move.line._get_partner_summary``) for ``direction``."""
        def refs(records, field='name'):
            return ', '.join(sorted(set(name for name in records.sudo().mapped(field)
                                        if name)))
        return [{
            'direction': direction,
            'partner_id': entry['partner'].id,
            'lot_id': entry['lot'].id,
            'quantity': entry['quantity'],
            'date_first': entry['date_first'],
            'date_last': entry['date_last'],
            'picking_refs': refs(entry['pickings']),
            'order_refs': refs(entry['orders']),
            'invoice_refs': refs(entry['invoices'], 'number'),
            'certificate_refs': (
                refs(entry['lot'].certificate_ids) if direction == 'backward' else False),
        } for entry in summary]
