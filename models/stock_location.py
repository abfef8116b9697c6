# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class StockLocation(models.Model):
    _inherit = 'stock.location'

    single_lot = fields.Boolean(
        string='One Lot per Product',
        help="A lot-tracked product in this location holds one lot at a time: another "
             "lot of the product may enter only once the first one is fully gone. "
             "Enforced by the database, also between concurrent transactions.")

    @api.constrains('single_lot')
    def _check_single_lot(self):
        """Refuse to mark a location that already holds several lots of a product."""
        for location in self.filtered('single_lot'):
            lots_by_product = location._get_lots_in_stock()
            for product, lots in lots_by_product.items():
                if len(lots) > 1:
                    raise ValidationError(_(
                        'Location %s cannot hold one lot per product: it holds lots %s of '
                        'product %s. Move all but one lot out first.'
                    ) % (location.display_name, ', '.join(lots.mapped('name')),
                         product.display_name))

    @api.multi
    def _get_lots_in_stock(self, products=None):
        """Lots with a positive quantity in this location, by product.

        :param products: restrict to these products (all lot-tracked ones by default)
        :return: dict product -> lots recordset
        """
        self.ensure_one()
        domain = [('location_id', '=', self.id), ('quantity', '>', 0),
                  ('lot_id', '!=', False), ('product_id.tracking', '=', 'lot')]
        if products is not None:
            domain.append(('product_id', 'in', products.ids))
        result = {}
        for quant in self.env['stock.quant'].sudo().search(domain):
            result.setdefault(quant.product_id, self.env['stock.production.lot'])
            result[quant.product_id] |= quant.lot_id
        return result
