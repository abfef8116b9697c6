# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import OrderedDict, defaultdict

from odoo import api, models
from odoo.tools import float_compare, float_is_zero


class AccountInvoiceLine(models.Model):
    _inherit = 'account.invoice.line'

    @api.multi
    def _get_delivered_lot_quantities(self):
        """The lots delivered to the customer for each of these invoice lines.

        Follows the lines' sale order lines to their done moves and counts, as
        ``sale_stock`` counts delivered quantities, the lots sent to the customer minus
        the lots returned with *To Refund*. The quantities are shared out over the
        sale line's invoice lines in the order the invoices were created: each customer
        invoice line takes the next delivered lots (so a second invoice after a partial
        delivery lists the lots of the second delivery), each credit note line takes the
        returned lots. Returns that no credit note covers yet reduce the delivered lots
        instead (a return before invoicing). Runs in a fixed number of queries for any
        number of lines; reads stock data as superuser, since the lots belong to the
        printed invoice whatever the stock rights of who prints it.

        :return: ``{invoice line id: [(lot, quantity in the line's unit), ...]}`` in
            delivery order, an empty list for lines without delivered lots
        """
        result = {line.id: [] for line in self}
        sale_lines = self.sudo().mapped('sale_line_ids')
        if not sale_lines:
            return result
        deliveries, returns = self._get_lot_deliveries_and_returns(sale_lines)
        invoice_lines = sale_lines.mapped('invoice_lines').filtered(
            lambda line: line.invoice_id.state != 'cancel'
            and line.invoice_id.type in ('out_invoice', 'out_refund')
        ).sorted(key=lambda line: (line.invoice_id.id, line.id))
        refund_lines = invoice_lines.filtered(lambda line: line.invoice_id.type == 'out_refund')
        taken = defaultdict(list)
        self._take_lot_quantities(refund_lines, returns, taken)
        # returns that no credit note takes were deducted from the goods invoiced
        for sale_line_id, entries in returns.items():
            for lot, quantity in entries:
                self._deduct_lot_quantity(deliveries[sale_line_id], lot, quantity)
        self._take_lot_quantities(invoice_lines - refund_lines, deliveries, taken)
        for line in self:
            if line.id not in taken:
                continue
            product_uom = line.sudo().product_id.uom_id
            lot_quantities = OrderedDict()
            for lot, quantity in taken[line.id]:
                lot_quantities[lot] = lot_quantities.get(lot, 0.0) + quantity
            result[line.id] = [
                (lot, product_uom._compute_quantity(quantity, line.uom_id or product_uom))
                for lot, quantity in lot_quantities.items()]
        return result

    @api.model
    def _get_lot_deliveries_and_returns(self, sale_lines):
        """Done quantities per lot of the moves of ``sale_lines``, oldest first.

        :return: two dicts ``{sale line id: [[lot, quantity], ...]}`` in the product's
            unit: what went to the customer, what came back to be refunded
        """
        move_lines = self.env['stock.move.line'].sudo().search([
            ('move_id.sale_line_id', 'in', sale_lines.ids),
            ('move_id.state', '=', 'done'),
            ('move_id.scrapped', '=', False),
            ('lot_id', '!=', False),
            ('qty_done', '>', 0),
        ], order='date, id')
        deliveries = defaultdict(list)
        returns = defaultdict(list)
        for move_line in move_lines:
            move = move_line.move_id
            if move.location_dest_id.usage == 'customer':
                if move.origin_returned_move_id and not move.to_refund:
                    continue
                entries = deliveries
            elif move.to_refund:
                entries = returns
            else:
                continue
            quantity = move_line.product_uom_id._compute_quantity(
                move_line.qty_done, move_line.product_id.uom_id)
            entries[move.sale_line_id.id].append([move_line.lot_id, quantity])
        return deliveries, returns

    @api.model
    def _take_lot_quantities(self, invoice_lines, entries_by_sale_line, taken):
        """Let each of ``invoice_lines`` in turn take its quantity from the front of
        its sale lines' ``[lot, quantity]`` entries, which shrink as they are taken;
        appends ``(lot, quantity)`` to ``taken[invoice line id]``."""
        for line in invoice_lines:
            product_uom = line.product_id.uom_id
            if not product_uom:
                continue
            wanted = (line.uom_id or product_uom)._compute_quantity(
                abs(line.quantity), product_uom)
            for sale_line in line.sale_line_ids:
                for entry in entries_by_sale_line.get(sale_line.id, []):
                    if float_is_zero(wanted, precision_rounding=product_uom.rounding):
                        break
                    quantity = min(entry[1], wanted)
                    if float_is_zero(quantity, precision_rounding=product_uom.rounding):
                        continue
                    taken[line.id].append((entry[0], quantity))
                    entry[1] -= quantity
                    wanted -= quantity

    @api.model
    def _deduct_lot_quantity(self, entries, lot, quantity):
        """Remove ``quantity`` of ``lot`` from ``[lot, quantity]`` entries, latest first."""
        rounding = lot.product_id.uom_id.rounding
        for entry in reversed(entries):
            if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                break
            if entry[0] == lot:
                deducted = min(entry[1], quantity)
                entry[1] -= deducted
                quantity -= deducted
