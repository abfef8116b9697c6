# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .trace_common import TraceCase

GTIN = '09501101530003'
WAREHOUSE_GLN = '9501101530010'
COMPANY_GLN = '9501101530027'
PREFIX = 'https://trace.example.com/'


class ExchangeCase(TraceCase):
    """A lot through receipt, transfer, production, sale, delivery and scrap, and the
    identifiers EPCIS and FSMA 204 exports need."""

    @classmethod
    def setUpClass(cls):
        super(ExchangeCase, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.write({'epcis_uri_prefix': PREFIX, 'gln': COMPANY_GLN})
        cls.warehouse = cls.env.ref('stock.warehouse0')
        cls.warehouse.gln = WAREHOUSE_GLN
        cls.warehouse.partner_id.tz = 'Europe/Brussels'
        cls.product.barcode = GTIN[1:]
        cls.drink = cls.env['product.product'].create({
            'name': 'Milk Drink', 'type': 'product', 'tracking': 'lot',
            'uom_id': cls.env.ref('product.product_uom_litre').id,
            'uom_po_id': cls.env.ref('product.product_uom_litre').id})

    def _scrap(self, lot, quantity, location=None):
        """A validated scrap of ``quantity`` of ``lot``."""
        scrap = self.env['stock.scrap'].create({
            'product_id': lot.product_id.id, 'product_uom_id': lot.product_id.uom_id.id,
            'lot_id': lot.id, 'scrap_qty': quantity,
            'location_id': (location or self.stock_location).id})
        scrap.action_validate()
        self._date_lines(scrap.move_id.move_line_ids)
        return scrap

    def _exchange_flow(self):
        """Purchase and receipt of TRACE-1 (20), transfer of 5 to the shelf, 4 made into
        12 l of drink lot DRINK-1, sale and delivery of 8 (invoiced), scrap of 1."""
        self.order = self._purchase([(self.product, 20)])
        self.lot = self._receive(self.order, [('TRACE-1', 20)])
        self.transfer = self._transfer(self.lot, 5, self.stock_location, self.shelf)
        self.drink_lot, self.produced, self.consumed = self._produce(
            [(self.lot, 4)], self.drink, 'DRINK-1', 12)
        self.sale = self._sell([(self.product, 8)])
        self.delivery = self._process(self.sale.picking_ids, [(self.product, self.lot, 8)])
        self.invoice = self._invoice(self.sale)
        self.scrap = self._scrap(self.lot, 1)
