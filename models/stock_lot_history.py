# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

DOCUMENT_TYPES = [
    ('receipt', 'Receipt'),
    ('delivery', 'Delivery'),
    ('customer_return', 'Customer Return'),
    ('vendor_return', 'Vendor Return'),
    ('internal', 'Internal Transfer'),
    ('inventory', 'Inventory'),
    ('scrap', 'Scrap'),
    ('production', 'Production'),
    ('other', 'Other'),
]


class StockLotHistory(models.Model):
    """The movement timeline of lots: one row per done move line of a lot, with the
    lot's quantity on hand after it (a read-only SQL view over the move lines)."""

    _name = 'stock.lot.history'
    _description = 'Lot History'
    _auto = False
    _order = 'lot_id, date, id'
    _rec_name = 'reference'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', readonly=True,
        help="Lot that moved.")
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True,
        help="Product of the lot.")
    product_uom_id = fields.Many2one(
        'product.uom', string='Unit of Measure', readonly=True,
        help="Unit of the product, in which the quantities are counted.")
    date = fields.Datetime(
        readonly=True, help="When the movement was done.")
    location_id = fields.Many2one(
        'stock.location', string='From', readonly=True,
        help="Location the goods left.")
    location_dest_id = fields.Many2one(
        'stock.location', string='To', readonly=True,
        help="Location the goods went to.")
    quantity = fields.Float(
        readonly=True, digits=0,
        help="Quantity moved, in the product's unit.")
    quantity_change = fields.Float(
        string='Stock Change', readonly=True, digits=0,
        help="How the movement changed the lot's quantity in internal locations: "
             "positive when goods came in, negative when they left, zero for a "
             "transfer between internal locations.")
    quantity_on_hand = fields.Float(
        string='On Hand After', readonly=True, digits=0,
        help="The lot's quantity in internal locations after this movement.")
    document_type = fields.Selection(
        DOCUMENT_TYPES, readonly=True,
        help="Kind of operation the movement belongs to.")
    reference = fields.Char(
        readonly=True, help="Document of the movement (transfer, inventory, scrap, "
                            "manufacturing order).")
    move_line_id = fields.Many2one(
        'stock.move.line', string='Move Line', readonly=True,
        help="The done move line of this row.")
    move_id = fields.Many2one(
        'stock.move', string='Stock Move', readonly=True,
        help="Stock move of the movement.")
    picking_id = fields.Many2one(
        'stock.picking', string='Transfer', readonly=True,
        help="Transfer of the movement, if any.")
    inventory_id = fields.Many2one(
        'stock.inventory', string='Inventory', readonly=True,
        help="Inventory adjustment of the movement, if any.")
    partner_id = fields.Many2one(
        'res.partner', string='Partner', readonly=True,
        help="Partner of the transfer: customer, supplier.")
    user_id = fields.Many2one(
        'res.users', string='Done By', readonly=True,
        help="User who last changed the movement, usually who validated it.")
    company_id = fields.Many2one(
        'res.company', string='Company', readonly=True,
        help="Company of the movement.")

    @api.model_cr
    def init(self):
        """The view: done move lines with a lot, their quantity in the product's unit
        (the lines' unit converted through the unit factors), and the running sum per
        lot of the changes to internal stock. A filter on the lot reaches the move
        lines' index on (lot, date): PostgreSQL pushes it below the window."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW stock_lot_history AS (
                SELECT row.*,
                       SUM(row.quantity_change) OVER (
                           PARTITION BY row.lot_id ORDER BY row.date, row.id
                       ) AS quantity_on_hand
                  FROM (
                    SELECT line.id, line.id AS move_line_id, line.lot_id, line.product_id,
                           template.uom_id AS product_uom_id, line.date,
                           line.location_id, line.location_dest_id, line.move_id,
                           line.picking_id, move.inventory_id, move.company_id,
                           COALESCE(line.reference, move.reference) AS reference,
                           COALESCE(picking.partner_id, move.partner_id) AS partner_id,
                           line.write_uid AS user_id,
                           line.qty_done / line_uom.factor * product_uom.factor AS quantity,
                           CASE WHEN source.usage = 'internal'
                                     AND destination.usage != 'internal' THEN -1
                                WHEN source.usage != 'internal'
                                     AND destination.usage = 'internal' THEN 1
                                ELSE 0 END
                           * line.qty_done / line_uom.factor * product_uom.factor
                               AS quantity_change,
                           CASE WHEN move.scrapped THEN 'scrap'
                                WHEN source.usage = 'supplier' THEN 'receipt'
                                WHEN destination.usage = 'supplier' THEN 'vendor_return'
                                WHEN destination.usage = 'customer' THEN 'delivery'
                                WHEN source.usage = 'customer' THEN 'customer_return'
                                WHEN 'production' IN (source.usage, destination.usage)
                                    THEN 'production'
                                WHEN 'inventory' IN (source.usage, destination.usage)
                                    THEN 'inventory'
                                WHEN source.usage = 'internal'
                                     AND destination.usage = 'internal' THEN 'internal'
                                ELSE 'other' END AS document_type
                      FROM stock_move_line line
                      JOIN stock_move move ON move.id = line.move_id
                      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
                      JOIN stock_location source ON source.id = line.location_id
                      JOIN stock_location destination ON destination.id = line.location_dest_id
                      JOIN product_uom line_uom ON line_uom.id = line.product_uom_id
                      JOIN product_product product ON product.id = line.product_id
                      JOIN product_template template ON template.id = product.product_tmpl_id
                      JOIN product_uom product_uom ON product_uom.id = template.uom_id
                     WHERE line.state = 'done' AND line.lot_id IS NOT NULL
                  ) row
            )
        """)
