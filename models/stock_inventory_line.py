# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class StockInventoryLine(models.Model):
    _inherit = 'stock.inventory.line'

    expected_lot_id = fields.Many2one(
        'stock.production.lot', string='Expected Lot', readonly=True,
        help="Lot the system holds in this location for this line when the count started. "
             "Counting another lot replaces it: the expected lot goes out of the location "
             "and the counted lot comes in, as two inventory moves.")
    expected_qty = fields.Float(
        compute='_compute_expected_qty', digits=0,
        help="Quantity of the expected lot (or of stock without lot) in the location.")
    lot_changed = fields.Boolean(
        compute='_compute_expected_qty',
        help="The counted lot differs from the expected lot.")

    @api.depends('expected_lot_id', 'prod_lot_id', 'location_id', 'product_id')
    def _compute_expected_qty(self):
        quantities = self._get_quant_quantities()
        for line in self:
            line.expected_qty = quantities.get(line._get_quant_key(line.expected_lot_id), 0.0)
            line.lot_changed = line._is_lot_changed()

    @api.model
    def create(self, vals):
        vals.setdefault('expected_lot_id', vals.get('prod_lot_id') or False)
        return super(StockInventoryLine, self).create(vals)

    @api.model
    def _convert_records(self, records, log=lambda a: None):
        """Imported lines of tracked products must carry a valid lot of their product.

        Every row is checked and every bad row is reported; any error makes ``load()``
        import nothing (it rolls back to its savepoint).
        """
        lot_errors = set()

        def log_and_remember(message):
            if message.get('type') == 'error' and message.get('field') == 'prod_lot_id':
                lot_errors.add(message.get('record'))
            log(message)

        converted = super(StockInventoryLine, self)._convert_records(
            records, log=log_and_remember)
        for dbid, xid, vals, info in converted:
            if info.get('record') not in lot_errors:
                error = self._get_import_lot_error(dbid, vals)
                if error:
                    log(dict(info, type='error', field='prod_lot_id', message=error))
            yield dbid, xid, vals, info

    @api.multi
    def _get_display_line(self):
        self.ensure_one()
        return _('%(product)s in %(location)s: %(quantity)s %(uom)s') % {
            'product': self.product_id.display_name,
            'location': self.location_id.display_name,
            'quantity': self.product_qty, 'uom': self.product_uom_id.name}

    @api.multi
    def _get_quant_quantities(self):
        """Quantities of the products of the lines in their locations, in one query.

        Returns {(company, product, location, lot, package, owner): quantity}, the key of
        ``_get_quant_key()``.
        """
        lines = self.filtered(lambda line: line.product_id and line.location_id)
        if not lines:
            return {}
        fields_key = ['company_id', 'product_id', 'location_id', 'lot_id', 'package_id',
                      'owner_id']
        groups = self.env['stock.quant'].read_group(
            [('product_id', 'in', lines.mapped('product_id').ids),
             ('location_id', 'in', lines.mapped('location_id').ids)],
            fields_key + ['quantity'], fields_key, lazy=False)
        return {tuple(group[name] and group[name][0] for name in fields_key): group['quantity']
                for group in groups}

    @api.multi
    def _get_quant_key(self, lot):
        self.ensure_one()
        return (self.company_id.id or False, self.product_id.id, self.location_id.id,
                lot.id or False, self.package_id.id or False, self.partner_id.id or False)

    @api.multi
    def _get_expected_quants(self):
        self.ensure_one()
        if not (self.product_id and self.location_id):
            return self.env['stock.quant']
        return self.env['stock.quant'].search([
            ('company_id', '=', self.company_id.id),
            ('location_id', '=', self.location_id.id),
            ('lot_id', '=', self.expected_lot_id.id),
            ('product_id', '=', self.product_id.id),
            ('owner_id', '=', self.partner_id.id),
            ('package_id', '=', self.package_id.id)])

    @api.multi
    def _is_lot_changed(self):
        self.ensure_one()
        return self.product_id.tracking != 'none' and self.prod_lot_id != self.expected_lot_id

    @api.multi
    def _generate_moves(self):
        """A counted lot different from the expected one also takes the expected lot out.

        The core moves bring the counted lot to its counted quantity; this adds the move
        of the expected lot (or of the stock without lot) to the inventory-loss location,
        unless another line of the inventory counts that lot.
        """
        moves = super(StockInventoryLine, self)._generate_moves()
        for line in self.filtered(lambda line: line._is_lot_changed()):
            if line._get_other_lines_counting_expected_lot():
                continue
            quantity = sum(line._get_expected_quants().mapped('quantity'))
            rounding = line.product_id.uom_id.rounding
            if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                continue
            vals = line._get_move_values(quantity, line.location_id.id,
                                         line.product_id.property_stock_inventory.id, True)
            vals['product_uom'] = line.product_id.uom_id.id
            for command in vals['move_line_ids']:
                command[2].update(lot_id=line.expected_lot_id.id,
                                  product_uom_id=line.product_id.uom_id.id)
            moves |= self.env['stock.move'].create(vals)
        return moves

    @api.multi
    def _get_other_lines_counting_expected_lot(self):
        self.ensure_one()
        return self.inventory_id.line_ids.filtered(
            lambda other: other != self and other.product_id == self.product_id
            and other.location_id == self.location_id
            and other.prod_lot_id == self.expected_lot_id
            and other.package_id == self.package_id and other.partner_id == self.partner_id)

    @api.model
    def _get_import_lot_error(self, dbid, vals):
        """The message for an imported line whose lot is missing or invalid, or None."""
        line = self.browse(dbid) if dbid else self.browse()
        product = self.env['product.product'].browse(vals.get('product_id')) or line.product_id
        if not product or product.tracking == 'none':
            return None
        lot = (self.env['stock.production.lot'].browse(vals['prod_lot_id'])
               if 'prod_lot_id' in vals else line.prod_lot_id)
        quantity = vals.get('product_qty', line.product_qty)
        if not lot:
            rounding = product.uom_id.rounding
            if float_compare(quantity or 0.0, 0.0, precision_rounding=rounding) <= 0:
                return None
            return _('Product %(product)s is tracked by lot: enter the lot of this line '
                     '(quantity %(quantity)s).') % {
                'product': product.display_name, 'quantity': quantity}
        if lot.product_id != product:
            return _('Lot %(lot)s belongs to product %(lot_product)s, not to %(product)s.') % {
                'lot': lot.name, 'lot_product': lot.product_id.display_name,
                'product': product.display_name}
        try:
            product.product_tmpl_id.check_lot_code(lot.name)
        except ValidationError as error:
            return error.name
        return None
