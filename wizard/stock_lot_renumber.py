# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockLotRenumber(models.TransientModel):
    _name = 'stock.lot.renumber'
    _description = 'Change the lot number of stock in a location'

    location_id = fields.Many2one(
        'stock.location', string='Location', required=True,
        domain=[('usage', '=', 'internal')],
        help="Location whose stock gets the new lot number.")
    product_id = fields.Many2one(
        'product.product', string='Product', required=True,
        domain=[('type', '=', 'product'), ('tracking', '!=', 'none')],
        help="Lot-tracked product whose lot number changes.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Current Lot',
        domain="[('product_id', '=', product_id)]",
        help="Lot the stock carries now; leave empty for stock without lot (stock that was "
             "there before lot tracking was switched on).")
    new_lot_id = fields.Many2one(
        'stock.production.lot', string='New Lot',
        domain="[('product_id', '=', product_id)]",
        help="Existing lot the stock gets. Leave empty to type a new lot code.")
    new_lot_name = fields.Char(
        string='New Lot Code',
        help="Code of the new lot, created for the product; it must match the product's lot "
             "code pattern. Left empty for a product with automatic lot numbering, the next "
             "code of its sequence is used.")
    quantity = fields.Float(
        digits=0,
        help="Quantity that changes lot; all the stock of the current lot in the location by "
             "default.")
    available_qty = fields.Float(
        string='Quantity in Location', compute='_compute_available_qty', digits=0,
        help="Quantity of the current lot (or without lot) in the location, reserved or not.")
    product_uom_id = fields.Many2one(
        'product.uom', related='product_id.uom_id', readonly=True,
        help="Unit of measure of the quantities.")

    @api.depends('location_id', 'product_id', 'lot_id')
    def _compute_available_qty(self):
        for wizard in self:
            wizard.available_qty = sum(wizard._get_quants().mapped('quantity'))

    @api.model
    def default_get(self, fields_list):
        res = super(StockLotRenumber, self).default_get(fields_list)
        model = self.env.context.get('active_model')
        active_id = self.env.context.get('active_id')
        if not active_id:
            return res
        if model == 'stock.quant':
            quant = self.env['stock.quant'].browse(active_id)
            res.update(location_id=quant.location_id.id, product_id=quant.product_id.id,
                       lot_id=quant.lot_id.id)
        elif model == 'stock.production.lot':
            lot = self.env['stock.production.lot'].browse(active_id)
            res.update(product_id=lot.product_id.id, lot_id=lot.id)
            locations = lot.quant_ids.filtered(
                lambda quant: quant.location_id.usage == 'internal' and quant.quantity > 0
            ).mapped('location_id')
            if len(locations) == 1:
                res['location_id'] = locations.id
        elif model == 'stock.location':
            res['location_id'] = active_id
        if res.get('location_id') and res.get('product_id'):
            res['quantity'] = sum(self.new(res)._get_quants().mapped('quantity'))
        return res

    @api.onchange('location_id', 'product_id', 'lot_id')
    def _onchange_quantity(self):
        self.quantity = sum(self._get_quants().mapped('quantity'))

    @api.multi
    def action_renumber(self):
        """Post the lot change: the current lot out of the location, the new lot in.

        Everything is checked before anything is written: the new lot is created only
        once the change is known to pass.
        """
        self.ensure_one()
        new_lot, new_name = self._check_renumber()
        if not new_lot:
            new_lot = self.env['stock.production.lot'].create({
                'name': new_name, 'product_id': self.product_id.id})
        inventory = self.env['stock.inventory']._post_lot_change(
            self.product_id, self.location_id, self.quantity, self.lot_id, new_lot)
        return {
            'type': 'ir.actions.act_window',
            'name': _('Lot Change Moves'),
            'res_model': 'stock.move',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', inventory.move_ids.ids)],
            'context': {'create': False},
        }

    @api.multi
    def _check_renumber(self):
        """Refuse a lot change that cannot be posted, naming what is wrong.

        :return: (existing new lot or empty recordset, code of the lot to create)
        """
        self.ensure_one()
        product, location = self.product_id, self.location_id
        if location.usage != 'internal':
            raise UserError(_(
                'Location %(location)s is not an internal location: lot numbers change '
                'only on stock in internal locations.') % {'location': location.display_name})
        if product.type != 'product' or product.tracking == 'none':
            raise UserError(_(
                'Product %(product)s is not a storable product tracked by lots or serial '
                'numbers: its stock has no lot number to change.')
                % {'product': product.display_name})
        if float_compare(self.quantity, 0.0, precision_rounding=product.uom_id.rounding) <= 0:
            raise UserError(_(
                'Enter the quantity of %(product)s in %(location)s that changes lot.'
            ) % {'product': product.display_name, 'location': location.display_name})
        new_lot, new_name = self._find_new_lot()
        if new_lot and new_lot == self.lot_id:
            raise UserError(_(
                'The new lot %(lot)s is the current lot of %(product)s: choose another lot.'
            ) % {'lot': new_lot.name, 'product': product.display_name})
        self.env['stock.inventory']._check_lot_change_allowed(
            product, location, self.lot_id, self.quantity)
        location._check_single_lot_changes([
            (location, product, self.lot_id.name, -self.quantity),
            (location, product, new_lot.name or new_name or ('new',), self.quantity)])
        return new_lot, new_name

    @api.multi
    def _get_quants(self):
        self.ensure_one()
        if not (self.location_id and self.product_id):
            return self.env['stock.quant']
        return self.env['stock.quant']._gather(
            self.product_id, self.location_id, lot_id=self.lot_id, strict=True)

    @api.multi
    def _find_new_lot(self):
        """The lot the stock gets, without creating it: (the chosen or existing lot of
        the new code, or an empty recordset; the code of the lot to create, or False for
        the next code of the product's sequence)."""
        self.ensure_one()
        lot_model = self.env['stock.production.lot']
        if self.new_lot_id:
            if self.new_lot_id.product_id != self.product_id:
                raise UserError(_(
                    'Lot %(lot)s belongs to %(lot_product)s, not to %(product)s.'
                ) % {'lot': self.new_lot_id.name,
                     'lot_product': self.new_lot_id.product_id.display_name,
                     'product': self.product_id.display_name})
            return self.new_lot_id, False
        name = (self.new_lot_name or '').strip()
        template = self.product_id.product_tmpl_id
        if not name and template.lot_generation != 'auto':
            raise UserError(_('Choose the new lot of %s or type its code.')
                            % self.product_id.display_name)
        if name:
            lot = lot_model.search([('product_id', '=', self.product_id.id),
                                    ('name', '=', name)], limit=1)
            if lot:
                return lot, False
            template.check_lot_code(name)
        return lot_model, name or False
