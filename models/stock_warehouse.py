# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import gs1


class StockWarehouse(models.Model):
    _inherit = 'stock.warehouse'

    quarantine_location_id = fields.Many2one(
        'stock.location', string='Quarantine Location', ondelete='restrict',
        domain="[('usage', '=', 'internal')]",
        help="Internal location for blocked or expired stock. Stock in it (and in its "
             "sub-locations) is never reserved automatically, except by moves that leave "
             "it.")
    quarantine_expired = fields.Boolean(
        string='Quarantine Expired Stock',
        help="The daily expiry check moves the expired stock of this warehouse to its "
             "quarantine location.")
    gln = fields.Char(
        string='GLN', size=13,
        help="Global Location Number of the warehouse (13 digits), if the company has "
             "one: EPCIS exports identify its locations as this GLN with the location "
             "as extension (https://id.gs1.org/414/{GLN}/254/{location}).")

    @api.constrains('quarantine_location_id', 'quarantine_expired')
    def _check_quarantine_location(self):
        for warehouse in self:
            location = warehouse.quarantine_location_id
            if location and location.usage != 'internal':
                raise ValidationError(_(
                    'The quarantine location %(location)s of warehouse %(warehouse)s must '
                    'be an internal location.'
                ) % {'location': location.display_name, 'warehouse': warehouse.name})
            if warehouse.quarantine_expired and not location:
                raise ValidationError(_(
                    'Warehouse %(warehouse)s moves expired stock to quarantine: choose its '
                    'quarantine location.') % {'warehouse': warehouse.name})

    @api.constrains('gln')
    def _check_gln(self):
        for warehouse in self.filtered('gln'):
            if not gs1.is_gln(warehouse.gln):
                raise ValidationError(_(
                    'The GLN %(gln)s of warehouse %(warehouse)s is not a Global Location '
                    'Number: 13 digits with a valid check digit.'
                ) % {'gln': warehouse.gln, 'warehouse': warehouse.name})

    @api.model
    def _get_quarantine_location_ids(self):
        """Ids of the quarantine locations of every warehouse and of their children."""
        self.env.cr.execute("""
            SELECT DISTINCT quarantine_location_id FROM stock_warehouse
             WHERE quarantine_location_id IS NOT NULL
        """)
        location_ids = [row[0] for row in self.env.cr.fetchall()]
        if not location_ids:
            return set()
        return set(self.env['stock.location'].sudo().with_context(active_test=False).search(
            [('id', 'child_of', location_ids)]).ids)

    @api.multi
    def _quarantine_expired_stock(self):
        """Move the expired, unreserved stock of these warehouses to their quarantine
        location, by one done internal transfer per warehouse. Stock already in
        quarantine, reserved quantities and lots without expiration stay where they are.

        :return: the transfers made
        """
        pickings = self.env['stock.picking']
        now = fields.Datetime.now()
        for warehouse in self.filtered('quarantine_location_id'):
            quarantine = warehouse.quarantine_location_id
            self.env.cr.execute("""
                SELECT quant.id, quant.quantity - quant.reserved_quantity
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                  JOIN stock_production_lot lot ON lot.id = quant.lot_id
                  JOIN stock_location view ON view.id = %(view)s
                  JOIN stock_location quarantine ON quarantine.id = %(quarantine)s
                 WHERE location.usage = 'internal'
                   AND location.parent_left >= view.parent_left
                   AND location.parent_left < view.parent_right
                   AND NOT (location.parent_left >= quarantine.parent_left
                            AND location.parent_left < quarantine.parent_right)
                   AND lot.life_date <= %(now)s
                   AND quant.quantity > quant.reserved_quantity
                 ORDER BY location.parent_left, quant.id
            """, {'view': warehouse.view_location_id.id, 'quarantine': quarantine.id,
                  'now': now})
            rows = self.env.cr.fetchall()
            if rows:
                pickings |= warehouse._move_to_quarantine(rows)
        return pickings

    @api.multi
    def _move_to_quarantine(self, rows):
        """One done internal transfer of this warehouse moving ``rows`` (quant id,
        quantity in the product's unit) to its quarantine location."""
        self.ensure_one()
        quarantine = self.quarantine_location_id
        quants = self.env['stock.quant'].browse([quant_id for quant_id, __ in rows])
        quantities = dict(rows)
        picking_type = self.int_type_id
        picking = self.env['stock.picking'].create({
            'picking_type_id': picking_type.id,
            'location_id': picking_type.default_location_src_id.id
            or self.lot_stock_id.id,
            'location_dest_id': quarantine.id,
            'origin': _('Expired stock to quarantine'),
        })
        for quant in quants:
            quantity = quantities[quant.id]
            product = quant.product_id
            self.env['stock.move'].create({
                'name': _('Expired lot %(lot)s to quarantine') % {'lot': quant.lot_id.name},
                'picking_id': picking.id,
                'product_id': product.id,
                'product_uom': product.uom_id.id,
                'product_uom_qty': quantity,
                'location_id': quant.location_id.id,
                'location_dest_id': quarantine.id,
                'move_line_ids': [(0, 0, {
                    'picking_id': picking.id,
                    'product_id': product.id,
                    'product_uom_id': product.uom_id.id,
                    'qty_done': quantity,
                    'lot_id': quant.lot_id.id,
                    'package_id': quant.package_id.id,
                    'result_package_id': quant.package_id.id,
                    'owner_id': quant.owner_id.id,
                    'location_id': quant.location_id.id,
                    'location_dest_id': quarantine.id,
                })],
            })
        # one move per quant: not merged, each keeps its lot line
        picking.move_lines._action_confirm(merge=False)
        picking.move_lines._action_done()
        picking.message_post(body=_(
            'Expired stock moved to the quarantine location %(location)s by the daily '
            'expiry check.') % {'location': quarantine.display_name})
        return picking
