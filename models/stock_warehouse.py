# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
