# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.actions import dialog_action


class StockLotRestockLine(models.TransientModel):
    _name = 'stock.lot.restock.line'
    _description = 'Lot of a receipt line'

    wizard_id = fields.Many2one(
        'stock.lot.restock', required=True, ondelete='cascade',
        help="Lot entry this line belongs to.")
    move_id = fields.Many2one(
        'stock.move', string='Receipt Move',
        help="Stock move of the receipt that this lot covers (part of).")
    product_id = fields.Many2one(
        'product.product', string='Product', required=True,
        help="Lot-tracked product received.")
    product_uom_id = fields.Many2one(
        'product.uom', related='move_id.product_uom', readonly=True, string='Unit',
        help="Unit of the quantity: the unit of the receipt move.")
    lot_name = fields.Char(
        string='Lot',
        help="Code of the lot: an existing lot of the product is reused, another code "
             "creates the lot. Leave empty on an automatically numbered product to take "
             "the next code of its sequence.")
    lot_hint = fields.Char(
        compute='_compute_lot_hint', string='Code Generation',
        help="Tells that a code is generated on confirmation for an automatically "
             "numbered product whose line has no code.")
    lot_id = fields.Many2one(
        'stock.production.lot', compute='_compute_lot_id', string='Existing Lot',
        help="Existing lot of the product with this code, reused on confirmation.")
    quantity = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of this lot received, in the unit of the receipt move.")
    production_date = fields.Datetime(
        help="Production date of a new lot: its other dates are counted from it.")
    life_date = fields.Datetime(
        string='Expiration Date',
        help="Expiration date of a new lot, proposed from the production date and the "
             "product's life time.")
    use_date = fields.Datetime(
        string='Best Before Date',
        help="Best before date of a new lot, when the label gives one.")
    supplier_lot_code = fields.Char(
        help="The vendor's own reference for this lot.")
    location_dest_id = fields.Many2one(
        'stock.location', string='Destination', domain=[('usage', '=', 'internal')],
        help="Where this lot is put away; single-lot locations are proposed so that "
             "they keep one lot per product.")
    location_note = fields.Char(
        readonly=True,
        help="Why no suitable single-lot location could be proposed.")
    track_quality = fields.Boolean(
        related='product_id.track_quality', readonly=True,
        help="The product records quality values on its lots.")
    quality_value_ids = fields.One2many(
        'stock.lot.restock.quality', 'line_id', string='Quality Values',
        help="Quality values measured for this lot at receipt; the lot records them.")
    quality_summary = fields.Char(
        compute='_compute_quality_summary', string='Quality',
        help="How many of the product's quality attributes have a value for this lot.")
    lot_warning = fields.Char(
        compute='_compute_lot_warning', string='Warning',
        help="Differences between the existing lot and what this receipt says; the lot "
             "keeps its own data.")

    @api.depends('lot_name', 'product_id')
    def _compute_lot_id(self):
        names = {(line.lot_name or '').strip() for line in self} - {''}
        lots = {}
        if names:
            for lot in self.env['stock.production.lot'].search([
                    ('product_id', 'in', self.mapped('product_id').ids),
                    ('name', 'in', list(names))]):
                lots[(lot.product_id, lot.name)] = lot
        for line in self:
            line.lot_id = lots.get((line.product_id, (line.lot_name or '').strip()),
                                   self.env['stock.production.lot'])

    @api.depends('lot_name', 'product_id.lot_generation')
    def _compute_lot_hint(self):
        for line in self:
            if (line.product_id.lot_generation == 'auto'
                    and not (line.lot_name or '').strip()):
                line.lot_hint = _('New code generated on confirmation')
            else:
                line.lot_hint = False

    @api.depends('lot_id', 'supplier_lot_code', 'move_id')
    def _compute_lot_warning(self):
        for line in self:
            differences = line._get_lot_differences(line.lot_id)
            line.lot_warning = _('Existing lot keeps %s') % '; '.join(
                _('%s %s (receipt: %s)') % difference
                for difference in differences) if differences else False

    @api.depends('track_quality', 'product_id.quality_attribute_ids',
                 'quality_value_ids.result')
    def _compute_quality_summary(self):
        for line in self:
            if not line.track_quality:
                line.quality_summary = False
                continue
            entered = line.quality_value_ids.filtered(
                lambda value: (value.result or '').strip())
            attributes = line.product_id.quality_attribute_ids | entered.mapped('attribute_id')
            line.quality_summary = _('%(entered)s of %(total)s values') % {
                'entered': len(entered), 'total': len(attributes)}

    @api.onchange('product_id')
    def _onchange_product_id(self):
        if self.product_id and self.move_id.product_id != self.product_id:
            self.move_id = self._find_move()
            wizard = self.wizard_id
            missing = dict(wizard._get_missing_quantities()) if wizard.picking_id else {}
            vals = self.env['stock.lot.restock']._prepare_new_line_vals(
                self.move_id, missing.get(self.move_id, 0.0))
            vals.pop('move_id')
            self.update(vals)

    @api.onchange('wizard_id')
    def _onchange_wizard_id(self):
        """A line added by the operator proposes the first product of the receipt
        with quantity still without lot, and that quantity."""
        wizard = self.wizard_id
        if self.product_id or not wizard.picking_id:
            return
        missing = wizard._get_missing_quantities()
        if missing:
            move, quantity = missing[0]
            self.update(self.env['stock.lot.restock']._prepare_new_line_vals(move, quantity))

    @api.onchange('lot_name')
    def _onchange_lot_name(self):
        code = (self.lot_name or '').strip()
        template = self.product_id.product_tmpl_id
        if code and not self.lot_id and template and not template.is_lot_code_valid(code):
            return {'warning': {
                'title': _('Lot code not in the format of %(product)s') % {
                    'product': self.product_id.display_name},
                'message': _('The lot code "%(code)s" does not fit product %(product)s: '
                             '%(hint)s.') % {
                    'code': code, 'product': self.product_id.display_name,
                    'hint': template._get_lot_code_hint()}}}
        lot = self.lot_id
        if lot:
            self.update({'production_date': lot.production_date, 'life_date': lot.life_date,
                         'use_date': lot.use_date})
            if not self.supplier_lot_code:
                self.supplier_lot_code = lot.supplier_lot_code

    @api.onchange('production_date')
    def _onchange_production_date(self):
        if self.product_id and self.production_date and not self.lot_id:
            self.life_date = self.env['stock.production.lot']._get_dates(
                self.product_id.id, self.production_date)['life_date']

    @api.model
    def create(self, vals):
        line = super(StockLotRestockLine, self).create(vals)
        if not line.move_id:
            line.move_id = line._find_move()
        return line

    @api.multi
    def action_edit_quality(self):
        """Open this lot's quality values, one per attribute of the product."""
        self.ensure_one()
        if not self.track_quality:
            raise UserError(_('%(product)s records no quality values on its lots.') % {
                'product': self.product_id.display_name})
        self._add_missing_quality_values()
        return dialog_action(
            self, 'stock_lot_tracking.stock_lot_restock_line_view_form_quality',
            _('Quality Values of Lot %(lot)s') % {
                'lot': (self.lot_name or '').strip() or _('(new)')})

    @api.multi
    def action_back_to_lots(self):
        """Return to the lot entry of the receipt."""
        self.ensure_one()
        return self.wizard_id._get_action()

    @api.multi
    def _add_missing_quality_values(self):
        """Give each line a value row for every quality attribute of its product."""
        for line in self.filtered('track_quality'):
            missing = (line.product_id.quality_attribute_ids
                       - line.quality_value_ids.mapped('attribute_id'))
            if missing:
                line.write({'quality_value_ids': [
                    (0, 0, {'attribute_id': attribute.id}) for attribute in missing]})

    @api.multi
    def _get_quality_values(self):
        """{attribute id: value} of the values entered on this line (raises UserError
        for a number that cannot be read)."""
        self.ensure_one()
        values = {}
        for row in self.quality_value_ids:
            value = row._get_value()
            if value is not None:
                values[row.attribute_id.id] = value
        return values

    @api.multi
    def _record_quality_values(self, lot):
        """Record the quality values entered on this line on ``lot``."""
        self.ensure_one()
        values = self._get_quality_values()
        if values:
            lot._set_quality_values(values)

    @api.multi
    def _find_move(self):
        """The first move of the wizard's receipt for this line's product."""
        self.ensure_one()
        moves = self.wizard_id.picking_id._get_restock_moves().filtered(
            lambda move: move.product_id == self.product_id)
        return moves[:1]

    @api.multi
    def _get_move(self):
        """The move this line receives for: its own, else the one found for its
        product (a line added in the form has none yet)."""
        self.ensure_one()
        return self.move_id or self._find_move()

    @api.multi
    def _lot_key(self):
        """What identifies this line's lot among the lines: its code, or the line itself
        for a code still to be generated."""
        self.ensure_one()
        return (self.lot_name or '').strip() or ('new', self.id)

    @api.multi
    def _get_lot_differences(self, lot):
        """(field label, lot value, receipt value) where the receipt's supplier data
        differs from the existing ``lot``'s."""
        self.ensure_one()
        if not lot:
            return []
        differences = []
        origin = self.env['stock.move.line']._prepare_lot_origin_vals(self.move_id)
        supplier = self.env['res.partner'].browse(origin.get('supplier_id'))
        if supplier and lot.supplier_id and lot.supplier_id != supplier:
            differences.append((_('supplier'), lot.supplier_id.display_name,
                                supplier.display_name))
        code = (self.supplier_lot_code or '').strip()
        if code and lot.supplier_lot_code and lot.supplier_lot_code != code:
            differences.append((_('supplier lot code'), lot.supplier_lot_code, code))
        return differences

    @api.multi
    def _check_restock(self):
        """Refuse lines that cannot be confirmed, before anything is written."""
        picking_moves = self.mapped('wizard_id.picking_id')._get_restock_moves()
        now = fields.Datetime.now()
        for index, line in enumerate(self, 1):
            product = line.product_id
            if line.move_id not in picking_moves:
                raise UserError(_('Line %d (%s) does not belong to a lot-tracked product of '
                                  'the receipt: remove it.') % (index, product.display_name))
            if float_compare(line.quantity, 0,
                             precision_rounding=line.move_id.product_uom.rounding) < 0:
                raise UserError(_('Line %d (%s) has a negative quantity: enter the quantity '
                                  'received.') % (index, product.display_name))
            name = (line.lot_name or '').strip()
            if not name and product.lot_generation != 'auto':
                raise UserError(_(
                    'Line %d (%s, %s %s) has no lot: enter the lot code of product %s, '
                    'which is numbered by hand.') % (index, product.display_name,
                                                     line.quantity, line.product_uom_id.name,
                                                     product.display_name))
            if name and not line.lot_id:
                product.product_tmpl_id.check_lot_code(name)
            line._check_dates(index, now)
            line._get_quality_values()

    @api.multi
    def _check_dates(self, index, now):
        """Refuse a new lot that expires before it was produced, and goods from a
        vendor that have already expired when they arrive (the dates of an existing lot
        count, else those of the line). Returns from customers are received whatever
        their dates: the goods are already known, and must come back to be dealt with."""
        self.ensure_one()
        lot = (self.lot_name or '').strip() or _('(new)')
        expiration = self.lot_id.life_date if self.lot_id else self.life_date
        if not expiration:
            return
        if not self.lot_id and self.production_date and expiration < self.production_date:
            raise UserError(_(
                'Line %(line)d (%(product)s, lot %(lot)s): the expiration date %(life)s is '
                'before the production date %(production)s. Correct the dates of the lot.'
            ) % {'line': index, 'product': self.product_id.display_name, 'lot': lot,
                 'life': self._format_date(expiration),
                 'production': self._format_date(self.production_date)})
        if self.move_id.location_id.usage == 'supplier' and expiration <= now:
            raise UserError(_(
                'Line %(line)d (%(product)s, lot %(lot)s) expired on %(life)s: goods that '
                'have expired on arrival are not received into stock. Correct the '
                'expiration date, or leave this quantity out of the lot entry and refuse '
                'the goods (validation then proposes a backorder for it).'
            ) % {'line': index, 'product': self.product_id.display_name, 'lot': lot,
                 'life': self._format_date(expiration)})

    @api.model
    def _format_date(self, value):
        """A stored datetime as the operator's date (in the user's time zone)."""
        return fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(value)).strftime('%Y-%m-%d')

    @api.multi
    def _get_or_create_lots(self):
        """{line: lot}: the existing lot of the same code and product, or a new lot."""
        lot_model = self.env['stock.production.lot']
        names = {(line.lot_name or '').strip() for line in self} - {''}
        existing = {}
        if names:
            for lot in lot_model.search([('product_id', 'in', self.mapped('product_id').ids),
                                         ('name', 'in', list(names))]):
                existing[(lot.product_id.id, lot.name)] = lot
        created = {}
        result = {}
        for line in self:
            key = (line.product_id.id, (line.lot_name or '').strip())
            if key[1] and key in existing:
                lot = existing[key]
                line._update_existing_lot(lot)
            elif key[1] and key in created:
                lot = created[key]
            else:
                lot = lot_model.create(line._prepare_lot_vals())
                if key[1]:
                    created[key] = lot
            result[line] = lot
        return result

    @api.multi
    def _prepare_lot_vals(self):
        """Values of the lot created for this line: extend it to add data (e.g. quality
        values) to the lots entered at receipt."""
        self.ensure_one()
        vals = {
            'name': (self.lot_name or '').strip() or False,
            'product_id': self.product_id.id,
            'supplier_lot_code': (self.supplier_lot_code or '').strip() or False,
        }
        for field in ('production_date', 'life_date', 'use_date'):
            if self[field]:
                vals[field] = self[field]
        vals.update(self.env['stock.move.line']._prepare_lot_origin_vals(self.move_id))
        return vals

    @api.multi
    def _update_existing_lot(self, lot):
        """Complete the supplier data the existing ``lot`` lacks; never overwrite it, but
        note in the lot's history where this receipt disagrees."""
        self.ensure_one()
        origin = self.env['stock.move.line']._prepare_lot_origin_vals(self.move_id)
        origin['supplier_lot_code'] = (self.supplier_lot_code or '').strip() or False
        vals = {field: value for field, value in origin.items() if value and not lot[field]}
        if vals:
            lot.write(vals)
        differences = self._get_lot_differences(lot)
        if differences:
            lot.message_post(body=_(
                'Received again on %s; the lot keeps its own data: %s'
            ) % (self.wizard_id.picking_id.name, '; '.join(
                _('%s %s (receipt: %s)') % difference for difference in differences)))

    @api.multi
    def _check_destinations(self):
        """Refuse to put a second lot of a product into a single-lot location, before
        any lot is created (the lots are named by their codes)."""
        changes = [(line.location_dest_id, line.product_id, line._lot_key(), line.quantity)
                   for line in self]
        self.mapped('location_dest_id')._check_single_lot_changes(changes)
