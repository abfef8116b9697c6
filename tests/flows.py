# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields


class StockFlowsMixin(object):
    """The flows a user follows, for test cases: purchase and receipt, internal transfer,
    sale and delivery, returns, invoices. Mixed into a ``LotTrackingCase``."""

    def _purchase(self, lines, supplier=None, price=2.0):
        """A confirmed purchase order of ``[(product, quantity)]``."""
        order = self.env['purchase.order'].create({
            'partner_id': (supplier or self.supplier).id,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'name': product.name,
                'product_qty': quantity,
                'product_uom': product.uom_po_id.id,
                'price_unit': price,
                'date_planned': fields.Datetime.now(),
            }) for product, quantity in lines],
        })
        order.button_confirm()
        return order

    def _receive(self, order, lots):
        """Validate the receipt of ``order`` with ``lots`` = ``[(lot name, quantity)]``
        typed in its detailed operations; return the lots."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ('done', 'cancel'))
        self._process(picking, [(None, name, quantity) for name, quantity in lots])
        return picking.move_line_ids.mapped('lot_id')

    def _sell(self, lines, partner=None):
        """A confirmed sales order of ``[(product, quantity)]``."""
        order = self.env['sale.order'].create({
            'partner_id': (partner or self.customer).id,
            'order_line': [(0, 0, {
                'product_id': product.id,
                'product_uom_qty': quantity,
                'price_unit': 12.0,
            }) for product, quantity in lines],
        })
        order.action_confirm()
        return order

    def _transfer(self, lot, quantity, source, destination):
        """A done internal transfer of ``quantity`` of ``lot``."""
        picking = self._picking(self.env.ref('stock.warehouse0').int_type_id, source,
                                destination, quantity, product=lot.product_id)
        return self._process(picking, [(lot.product_id, lot, quantity)])

    def _process(self, picking, done, source=None):
        """Validate ``picking`` with ``done`` = ``[(product or move or None, lot or lot
        name or None, quantity)]`` (no product: the picking's only move), taken from
        ``source`` (default: the move's source location), leaving a backorder for the
        rest, as on the picking form."""
        picking.do_unreserve()
        for product, lot, quantity in done:
            if product is None:
                move = picking.move_lines
                product = move.product_id
            elif product._name == 'stock.move':
                move, product = product, product.product_id
            else:
                move = picking.move_lines.filtered(
                    lambda m, product=product: m.product_id == product)
            vals = {
                'move_id': move.id,
                'picking_id': picking.id,
                'product_id': product.id,
                'product_uom_id': product.uom_id.id,
                'location_id': (source or move.location_id).id,
                'location_dest_id': move.location_dest_id.id,
                'qty_done': quantity,
            }
            if isinstance(lot, str):
                vals['lot_name'] = lot
            else:
                vals['lot_id'] = lot.id if lot else False
            self.env['stock.move.line'].create(vals)
        action = picking.button_validate()
        if action and action.get('res_model') == 'stock.backorder.confirmation':
            self.env['stock.backorder.confirmation'].browse(action['res_id']).process()
        self.assertEqual(picking.state, 'done')
        return picking

    def _return(self, picking, lot, quantity, to_refund=True):
        """Return ``quantity`` of ``lot`` of ``picking`` (*To Refund* ticked)."""
        wizard = self.env['stock.return.picking'].with_context(
            active_id=picking.id, active_ids=picking.ids).create({})
        wizard.product_return_moves.write({'quantity': quantity, 'to_refund': to_refund})
        return_id = wizard._create_returns()[0]
        return_picking = self.env['stock.picking'].browse(return_id)
        return self._process(return_picking, [(lot.product_id, lot, quantity)])

    def _invoice(self, order, final=False):
        """Invoice what is delivered and not invoiced yet, and validate the invoice."""
        invoice = self.env['account.invoice'].browse(
            order.action_invoice_create(final=final))
        invoice.action_invoice_open()
        return invoice
