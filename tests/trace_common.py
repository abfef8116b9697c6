# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields

from .common import LotTrackingCase
from .flows import StockFlowsMixin


class TraceCase(StockFlowsMixin, LotTrackingCase):
    """A lot's life through Odoo's flows, for traceability and recall tests."""

    @classmethod
    def setUpClass(cls):
        super(TraceCase, cls).setUpClass()
        cls.product.write({'invoice_policy': 'delivery', 'list_price': 12.0})
        cls.shelf = cls._create_location('Trace Shelf')
        cls.production_location = cls.env.ref('stock.location_production')
        cls.customer_b = cls.env['res.partner'].create({
            'name': 'Second Customer', 'email': 'second.customer@example.com'})
        cls.customer.email = 'test.customer@example.com'
        # the dates the move lines get, one hour apart, in the order they are done
        cls._clock = datetime.now() - timedelta(days=30)

    def _full_flow(self):
        """Purchase -> receipt of lot TRACE-1 (20) -> internal transfer (5) -> sale and
        delivery of 8 to the customer -> invoice -> customer return of 2 -> sale and
        delivery of 3 to the second customer -> vendor return of 1."""
        self.order = self._purchase([(self.product, 20)])
        self.lot = self._receive(self.order, [('TRACE-1', 20)])
        self.receipt_line = self.lot.trace_move_lines('downstream')
        self._transfer(self.lot, 5, self.stock_location, self.shelf)
        self.sale_a = self._sell([(self.product, 8)])
        self.delivery_a = self._process(self.sale_a.picking_ids, [(self.product, self.lot, 8)])
        self.invoice_a = self._invoice(self.sale_a)
        self.return_a = self._return(self.delivery_a, self.lot, 2)
        self.sale_b = self._sell([(self.product, 3)], partner=self.customer_b)
        self.delivery_b = self._process(self.sale_b.picking_ids, [(self.product, self.lot, 3)])
        self.vendor_return = self._return(self.order.picking_ids, self.lot, 1)

    @classmethod
    def _date_lines(cls, lines):
        """Give done ``lines`` the next dates of the test clock, one hour apart, so that
        the order of events does not depend on how fast the test runs."""
        for line in lines.sorted('id'):
            cls._clock += timedelta(hours=1)
            cls.env.cr.execute('UPDATE stock_move_line SET date = %s WHERE id = %s',
                               (fields.Datetime.to_string(cls._clock), line.id))
        lines.invalidate_cache(['date'])

    def _process(self, picking, done, source=None):
        picking = super(TraceCase, self)._process(picking, done, source=source)
        self._date_lines(picking.move_line_ids)
        return picking

    def _produce(self, consumed, product, lot_name, quantity):
        """Make ``quantity`` of ``product`` in a new lot ``lot_name`` out of ``consumed``
        = ``[(lot, quantity)]``, as manufacturing records it: done moves to and from the
        production location, the produced line linked to the consumed lines."""
        lines = self.env['stock.move.line']
        for lot, consumed_qty in consumed:
            lines |= self._done_move(lot.product_id, consumed_qty, self.stock_location,
                                     self.production_location, lot=lot)
        lot = self._create_lot(lot_name, product=product)
        produced = self._done_move(product, quantity, self.production_location,
                                   self.stock_location, lot=lot)
        produced.write({'consume_line_ids': [(6, 0, lines.ids)]})
        return lot, produced, lines

    def _done_move(self, product, quantity, source, destination, lot=None):
        move = self.env['stock.move'].create({
            'name': product.name, 'product_id': product.id,
            'product_uom': product.uom_id.id, 'product_uom_qty': quantity,
            'location_id': source.id, 'location_dest_id': destination.id})
        move._action_confirm()
        self.env['stock.move.line'].create({
            'move_id': move.id, 'product_id': product.id,
            'product_uom_id': product.uom_id.id, 'location_id': source.id,
            'location_dest_id': destination.id, 'lot_id': lot.id if lot else False,
            'qty_done': quantity})
        move._action_done()
        self._date_lines(move.move_line_ids)
        return move.move_line_ids
