# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.addons import decimal_precision as dp


class StockLotRecallStock(models.Model):
    _name = 'stock.lot.recall.stock'
    _description = 'Lot Recall: Stock on Hand'
    _order = 'recall_id, location_id, lot_id'

    recall_id = fields.Many2one(
        'stock.lot.recall', string='Recall', required=True, index=True, ondelete='cascade',
        help="Recall this stock line belongs to.")
    location_id = fields.Many2one(
        'stock.location', string='Location', required=True, ondelete='restrict',
        help="Internal location holding the lot.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', required=True, index=True,
        ondelete='restrict',
        help="Affected lot in stock.")
    product_id = fields.Many2one(
        'product.product', string='Product', related='lot_id.product_id', readonly=True,
        store=True, help="Product of the lot.")
    uom_id = fields.Many2one(
        'product.uom', string='Unit of Measure', related='product_id.uom_id', readonly=True,
        help="Unit of the quantities: the product's unit.")
    quantity = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the lot in the location when the recall was traced.")
    reserved_quantity = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'),
        help="Part of it reserved for operations not done yet when the recall was traced.")
