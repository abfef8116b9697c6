# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_escape

from ..lib import gs1

_logger = logging.getLogger(__name__)

QUARANTINE_BATCH = 50  # quants moved by one transfer of the daily expiry check


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
        location, by done internal transfers of up to ``QUARANTINE_BATCH`` quants.
        Stock already in quarantine, reserved quantities and lots of products without
        expiration dates stay where they are.

        :return: the transfers made
        """
        pickings = self.env['stock.picking']
        for warehouse in self.filtered('quarantine_location_id'):
            rows = [(quant_id, quantity - reserved) for quant_id, __, quantity, reserved
                    in warehouse._get_quarantine_quants() if quantity > reserved]
            # transfers of a bounded size: Odoo 11 validates a transfer in a time that
            # grows faster than its number of moves
            for start in range(0, len(rows), QUARANTINE_BATCH):
                pickings |= warehouse._move_to_quarantine(
                    rows[start:start + QUARANTINE_BATCH], _('Expired stock to quarantine'),
                    _('Expired stock moved to the quarantine location %(location)s by '
                      'the daily expiry check.'))
        return pickings

    @api.multi
    def _cron_quarantine_expired_stock(self):
        """The daily check's quarantine, isolated: each warehouse in a savepoint of its
        own; when a warehouse's transfer fails, its lots are retried one by one so that
        a lot that cannot move (e.g. refused by a one-lot location) stays where it is,
        with the error logged and posted on the lot, while the others move.

        :return: the transfers made
        """
        pickings = self.env['stock.picking']
        for warehouse in self.filtered('quarantine_location_id'):
            try:
                with self.env.cr.savepoint():
                    pickings |= warehouse._quarantine_expired_stock()
                continue
            except Exception:  # pylint: disable=broad-except
                _logger.exception('Daily expiry check: quarantine of warehouse %s failed, '
                                  'retrying lot by lot', warehouse.name)
                self.env.clear()
            rows_by_lot = {}
            for quant_id, lot_id, quantity, reserved in warehouse._get_quarantine_quants():
                if quantity > reserved:
                    rows_by_lot.setdefault(lot_id, []).append((quant_id, quantity - reserved))
            for lot_id, rows in sorted(rows_by_lot.items()):
                try:
                    with self.env.cr.savepoint():
                        pickings |= warehouse._move_to_quarantine(
                            rows, _('Expired stock to quarantine'), _(
                                'Expired stock moved to the quarantine location '
                                '%(location)s by the daily expiry check.'))
                except Exception as error:  # pylint: disable=broad-except
                    _logger.exception('Daily expiry check: lot %s not moved to quarantine',
                                      lot_id)
                    self.env.clear()
                    lot = self.env['stock.production.lot'].browse(lot_id)
                    lot.message_post(body=_(
                        'The daily expiry check could not move this expired lot to the '
                        'quarantine location %(location)s of warehouse %(warehouse)s: '
                        '%(error)s') % {
                            'location': warehouse.quarantine_location_id.display_name,
                            'warehouse': warehouse.name,
                            'error': html_escape(getattr(error, 'name', None) or error)})
        return pickings

    @api.multi
    def _get_quarantine_quants(self, lots=None):
        """Stock of this warehouse that quarantine would move: the quants with a positive
        quantity in its internal locations outside its quarantine location, of ``lots``
        or, without ``lots``, of every expired lot of a product that uses expiration
        dates. Set-based: one query.

        :return: list of ``(quant id, lot id, quantity, reserved quantity)``, by
            location then quant
        """
        self.ensure_one()
        self.env.cr.execute("""
            SELECT quant.id, quant.lot_id, quant.quantity, quant.reserved_quantity
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
              JOIN stock_production_lot lot ON lot.id = quant.lot_id
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN stock_location view ON view.id = %(view)s
              JOIN stock_location quarantine ON quarantine.id = %(quarantine)s
             WHERE location.usage = 'internal'
               AND location.parent_left >= view.parent_left
               AND location.parent_left < view.parent_right
               AND NOT (location.parent_left >= quarantine.parent_left
                        AND location.parent_left < quarantine.parent_right)
               AND quant.quantity > 0
               AND CASE WHEN %(expired)s
                        THEN lot.life_date <= %(now)s AND template.use_expiration_date
                        ELSE lot.id = ANY(%(lot_ids)s) END
             ORDER BY location.parent_left, quant.id
        """, {'view': self.view_location_id.id, 'quarantine': self.quarantine_location_id.id,
              'now': fields.Datetime.now(), 'expired': lots is None,
              'lot_ids': list(lots.ids) if lots is not None else []})
        return self.env.cr.fetchall()

    @api.multi
    def _move_to_quarantine(self, rows, origin, message):
        """One done internal transfer of this warehouse moving ``rows`` (quant id,
        quantity in the product's unit) to its quarantine location; ``message`` (with
        a ``%(location)s`` placeholder) is posted on the transfer."""
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
            'origin': origin,
        })
        for quant in quants:
            quantity = quantities[quant.id]
            product = quant.product_id
            self.env['stock.move'].create({
                'name': _('Lot %(lot)s to quarantine') % {'lot': quant.lot_id.name},
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
        picking.message_post(body=message % {'location': quarantine.display_name})
        return picking
