# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import OrderedDict
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_repr

from ..models import gs1
from ..models.actions import dialog_action


class StockLotRestock(models.TransientModel):
    _name = 'stock.lot.restock'
    _inherit = ['barcodes.barcode_events_mixin']
    _description = 'Enter the lots of a receipt'

    picking_id = fields.Many2one(
        'stock.picking', string='Receipt', required=True, readonly=True,
        ondelete='cascade',
        help="Incoming transfer whose lot-tracked products get their lots.")
    line_ids = fields.One2many(
        'stock.lot.restock.line', 'wizard_id', string='Lots',
        help="One line per lot and destination; split a line by lowering its quantity "
             "and adding another lot for the rest.")
    product_ids = fields.Many2many(
        'product.product', compute='_compute_product_ids', string='Lot-Tracked Products',
        help="Products of the receipt that need lots.")
    scan = fields.Char(
        help="Scan or paste a GS1-128 / GS1 DataMatrix barcode: the product (01), lot "
             "(10), expiration (17), best before (15) and production (11) dates fill "
             "the line of that product.")
    validate_picking = fields.Boolean(
        string='Validate the Receipt', default=True,
        help="Validate the receipt right after the lots are entered.")
    coverage_summary = fields.Text(
        compute='_compute_coverage', string='To Cover',
        help="Quantity of each product that has no lot yet.")
    is_covered = fields.Boolean(
        compute='_compute_coverage',
        help="Every lot-tracked quantity of the receipt has a lot.")

    @api.depends('picking_id')
    def _compute_product_ids(self):
        for wizard in self:
            wizard.product_ids = wizard.picking_id._get_restock_moves().mapped('product_id')

    @api.depends('line_ids.quantity', 'line_ids.move_id', 'line_ids.product_id')
    def _compute_coverage(self):
        for wizard in self:
            missing = wizard._get_missing_quantities()
            wizard.is_covered = not missing
            if not missing:
                wizard.coverage_summary = _('Every lot-tracked quantity has a lot.')
            else:
                wizard.coverage_summary = '\n'.join(
                    _('%s: %s %s without lot') % (product.display_name, qty, uom.name)
                    for product, qty, uom in wizard._summarize_missing(missing))

    @api.onchange('scan')
    def _onchange_scan(self):
        if self.scan:
            code, self.scan = self.scan, False
            return self._scan_with_warning(code)

    @api.onchange('line_ids')
    def _onchange_line_ids(self):
        self._propose_locations(keep_suitable=True)

    @api.model
    def create(self, vals):
        wizard = super(StockLotRestock, self).create(vals)
        wizard._propose_locations(keep_suitable=True)
        return wizard

    @api.multi
    def action_scan(self, code):
        """Apply a scanned GS1 string to the lines (raises UserError if unreadable)."""
        self.ensure_one()
        self._apply_scan(code)
        return True

    @api.multi
    def action_confirm(self):
        """Create or reuse the lots, write the move lines and optionally validate."""
        self.ensure_one()
        picking = self.picking_id
        if picking.state in ('done', 'cancel'):
            raise UserError(_('Receipt %s is already %s: its lots cannot be entered any '
                              'more.') % (picking.name, picking.state))
        lines = self.line_ids.filtered(lambda line: not float_is_zero(
            line.quantity, precision_rounding=line.move_id.product_uom.rounding or 0.001))
        lines._check_restock()
        self._check_coverage()
        self._propose_locations(only_missing=True)
        nothing_done = self._nothing_done_besides(lines.mapped('move_id'))
        lots = lines._get_or_create_lots()
        lines._check_destinations(lots)
        for line in lines:
            line._record_quality_values(lots[line])
        self._write_move_lines(lines, lots)
        if self.validate_picking:
            if nothing_done:
                self._process_other_moves(lines.mapped('move_id'))
            action = picking.with_context(skip_restock_wizard=True).button_validate()
            if isinstance(action, dict):
                return action
        return {'type': 'ir.actions.act_window_close'}

    @api.multi
    def _get_action(self):
        """The window action showing this lot entry."""
        self.ensure_one()
        return dialog_action(self, 'stock_lot_tracking.stock_lot_restock_view_form',
                             _('Enter Lots'))

    @api.multi
    def _nothing_done_besides(self, moves):
        """Whether no quantity is done on the receipt outside ``moves``."""
        self.ensure_one()
        return all(float_is_zero(line.qty_done, precision_rounding=line.product_uom_id.rounding)
                   for line in self.picking_id.move_line_ids if line.move_id not in moves)

    @api.multi
    def _process_other_moves(self, moves):
        """Receive the rest of the receipt in full, as Odoo's immediate transfer does
        when nothing was processed: the lot entry is the last step before validation."""
        self.ensure_one()
        others = self.picking_id.move_lines.filtered(
            lambda move: move not in moves and move.state not in ('done', 'cancel'))
        for move_line in others.mapped('move_line_ids'):
            move_line.qty_done = move_line.product_uom_qty

    @api.model
    def _prepare_wizard_vals(self, picking):
        """Wizard values for ``picking``: one line per lot already entered on its
        lot-tracked moves, and one line for the quantity of each move still without lot."""
        lines = []
        now = fields.Datetime.now()
        lot_model = self.env['stock.production.lot']
        for move in picking._get_restock_moves():
            covered = 0.0
            for move_line in move.move_line_ids.filtered(
                    lambda ml: (ml.lot_id or ml.lot_name) and ml.qty_done > 0):
                qty = move_line.product_uom_id._compute_quantity(
                    move_line.qty_done, move.product_uom)
                covered += qty
                lot = move_line.lot_id
                lines.append((0, 0, {
                    'move_id': move.id,
                    'product_id': move.product_id.id,
                    'lot_name': lot.name or move_line.lot_name,
                    'quantity': qty,
                    'production_date': lot.production_date or now,
                    'life_date': lot.life_date if lot else lot_model._get_dates(
                        move.product_id.id, now)['life_date'],
                    'use_date': lot.use_date,
                    'supplier_lot_code': lot.supplier_lot_code,
                    'location_dest_id': move_line.location_dest_id.id,
                }))
            rest = move.product_uom_qty - covered
            if float_compare(rest, 0, precision_rounding=move.product_uom.rounding) > 0:
                lines.append((0, 0, self._prepare_new_line_vals(move, rest)))
        return {'picking_id': picking.id, 'line_ids': lines}

    @api.model
    def _prepare_new_line_vals(self, move, quantity):
        """Values of a line for a new lot of ``move``, dates from the product's shelf life."""
        now = fields.Datetime.now()
        return {
            'move_id': move.id,
            'product_id': move.product_id.id,
            'quantity': quantity,
            'production_date': now,
            'life_date': self.env['stock.production.lot']._get_dates(
                move.product_id.id, now)['life_date'],
        }

    @api.multi
    def _get_missing_quantities(self):
        """Moves not fully covered by lines with a lot: list of (move, missing quantity
        in the move's unit). A blank lot counts on automatically numbered products."""
        self.ensure_one()
        covered = {}
        for line in self.line_ids.filtered(lambda line: (line.lot_name or '').strip()
                                           or line.product_id.lot_generation == 'auto'):
            move = line.move_id or line._find_move()
            covered[move] = covered.get(move, 0.0) + line.quantity
        missing = []
        for move in self.picking_id._get_restock_moves():
            rest = move.product_uom_qty - covered.get(move, 0.0)
            if float_compare(rest, 0, precision_rounding=move.product_uom.rounding) > 0:
                missing.append((move, rest))
        return missing

    @api.model
    def _summarize_missing(self, missing):
        """(product, quantity text, unit) per product of a missing-quantity list."""
        totals = OrderedDict()
        for move, qty in missing:
            key = (move.product_id, move.product_uom)
            totals[key] = totals.get(key, 0.0) + qty
        digits = self.env['decimal.precision'].precision_get('Product Unit of Measure')
        result = []
        for (product, uom), qty in totals.items():
            text = float_repr(qty, digits)
            if '.' in text:
                text = text.rstrip('0').rstrip('.')
            result.append((product, text, uom))
        return result

    @api.multi
    def _check_coverage(self):
        """Refuse while a lot-tracked quantity of the receipt has no lot."""
        missing = self._get_missing_quantities()
        if missing:
            raise UserError(_(
                'Every received quantity of a lot-tracked product needs a lot. Still '
                'without lot:\n%s\nAdd lines for these quantities, then confirm again.'
            ) % '\n'.join('- %s: %s %s' % (product.display_name, qty, uom.name)
                          for product, qty, uom in self._summarize_missing(missing)))

    @api.multi
    def _propose_locations(self, keep_suitable=True, only_missing=False):
        """Give every line a destination that respects the single-lot locations.

        Within the putaway destination of each move, a single-lot location already
        holding the line's lot is preferred, then an empty one, then one without this
        product. Lines whose destination already suits are kept when ``keep_suitable``,
        lines with any destination when ``only_missing``. A line for which nothing suits
        gets a note saying so.
        """
        for wizard in self:
            proposals = wizard._get_location_proposals(keep_suitable, only_missing)
            if isinstance(wizard.id, models.NewId):
                for line, (location, note) in proposals.items():
                    line.update({'location_dest_id': location, 'location_note': note})
                continue
            groups = OrderedDict()
            for line, (location, note) in proposals.items():
                if line.location_dest_id != location or (line.location_note or False) != note:
                    groups.setdefault((location, note), []).append(line.id)
            for (location, note), line_ids in groups.items():
                self.env['stock.lot.restock.line'].browse(line_ids).write({
                    'location_dest_id': location.id, 'location_note': note})

    @api.multi
    def _get_location_proposals(self, keep_suitable, only_missing=False):
        """{line: (location, note)} for the lines of the wizard, see _propose_locations."""
        self.ensure_one()
        location_model = self.env['stock.location']
        lines = self.line_ids.filtered(lambda line: line.product_id)
        bases = {}
        for line in lines:
            move = line.move_id or line._find_move()
            base = move.location_dest_id or self.picking_id.location_dest_id
            bases[line] = base.get_putaway_strategy(line.product_id) or base
        roots = location_model.browse({base.id for base in bases.values()})
        candidates = location_model.search([
            ('id', 'child_of', roots.ids), ('single_lot', '=', True),
            ('usage', '=', 'internal')]) if roots else location_model
        if not candidates:
            return {line: (line.location_dest_id or bases[line], False) for line in lines}
        occupancy = self._get_single_lot_occupancy(candidates)
        claims = {}  # (location, product) -> lot key claimed by a line of this wizard
        proposals = {}
        todo = []
        for line in lines:
            location = line.location_dest_id
            key = line._lot_key()
            suits = location and (not location.single_lot or line._location_suits(
                location, occupancy, claims, key))
            if location and only_missing or keep_suitable and suits:
                if location.single_lot:
                    claims[(location, line.product_id)] = key
                proposals[line] = (location, False)
            else:
                todo.append(line)
        for line in todo:
            key = line._lot_key()
            base = bases[line]
            own = candidates.filtered(
                lambda loc, base=base: base.parent_left <= loc.parent_left
                and loc.parent_right <= base.parent_right)
            ranked = sorted(own, key=lambda loc: (
                0 if occupancy.get(loc, {}).get(line.product_id) == {key} else
                1 if not occupancy.get(loc) else 2, loc.parent_left))
            choice = next((loc for loc in ranked
                           if line._location_suits(loc, occupancy, claims, key)), None)
            if choice:
                claims[(choice, line.product_id)] = key
                proposals[line] = (choice, False)
            else:
                proposals[line] = (
                    line.location_dest_id if base.single_lot else base,
                    _('No single-lot location under %s is free for this lot: empty one, '
                      'mark another location "One Lot per Product" or lower the '
                      'quantity.') % base.display_name)
        return proposals

    @api.model
    def _get_single_lot_occupancy(self, locations):
        """{location: {product: set of lot keys}} of the positive quants in
        ``locations``, all products (an empty location has no entry)."""
        occupancy = {}
        if not locations:
            return occupancy
        quants = self.env['stock.quant'].sudo().search_read(
            [('location_id', 'in', locations.ids), ('quantity', '>', 0)],
            ['location_id', 'product_id', 'lot_id'])
        location_model = self.env['stock.location']
        product_model = self.env['product.product']
        for quant in quants:
            location = location_model.browse(quant['location_id'][0])
            product = product_model.browse(quant['product_id'][0])
            lot_key = quant['lot_id'] and quant['lot_id'][1] or False
            occupancy.setdefault(location, {}).setdefault(product, set()).add(lot_key)
        return occupancy

    @api.multi
    def _write_move_lines(self, lines, lots):
        """One move line per move, lot and destination, reusing the move's open lines."""
        grouped = OrderedDict()
        for line in lines:
            key = (line.move_id, lots[line], line.location_dest_id)
            grouped[key] = grouped.get(key, 0.0) + line.quantity
        by_move = OrderedDict()
        for (move, lot, location), qty in grouped.items():
            by_move.setdefault(move, []).append((lot, location, qty))
        move_line_model = self.env['stock.move.line']
        to_unlink = move_line_model
        for move, chunks in by_move.items():
            reusable = list(move.move_line_ids.filtered(
                lambda ml: ml.state not in ('done', 'cancel')))
            for lot, location, qty in chunks:
                vals = self._prepare_move_line_vals(move, lot, location, qty)
                if reusable:
                    reusable.pop(0).write(vals)
                else:
                    move_line_model.create(vals)
            to_unlink |= move_line_model.concat(*reusable)
        to_unlink.unlink()

    @api.model
    def _prepare_move_line_vals(self, move, lot, location, quantity):
        return {
            'move_id': move.id,
            'picking_id': move.picking_id.id,
            'product_id': move.product_id.id,
            'product_uom_id': move.product_uom.id,
            'location_id': move.location_id.id,
            'location_dest_id': location.id,
            'lot_id': lot.id,
            'lot_name': lot.name,
            'qty_done': quantity,
        }

    @api.multi
    def _scan_with_warning(self, code):
        try:
            self._apply_scan(code)
        except UserError as error:
            return {'warning': {'title': _('Unreadable scan'), 'message': error.name}}

    @api.multi
    def on_barcode_scanned(self, barcode):
        return self._scan_with_warning(barcode)

    @api.multi
    def _apply_scan(self, code):
        """Fill the line of the scanned product with the scan's lot and dates.

        The line of the same lot is updated, else the first line without lot; otherwise
        a new line for the rest of the product's quantity is added (a split).
        """
        try:
            message = gs1.parse(code)
        except gs1.GS1Error as error:
            raise UserError(_('The scan "%s" is not a readable GS1 barcode (%s). Scan '
                              'again, or type the lot on its line.') % (code, error))
        if not message.gtin:
            raise UserError(_('The scan "%s" carries no product (GS1 application '
                              'identifier 01): scan the product label.') % code)
        barcodes = gs1.gtin_candidates(message.gtin)
        product = self.product_ids.filtered(lambda product: product.barcode in barcodes)[:1]
        if not product:
            raise UserError(_('No lot-tracked product of receipt %s has the barcode %s.')
                            % (self.picking_id.name, message.gtin))
        if not message.lot and product.lot_generation != 'auto':
            raise UserError(_('The scan of product %s carries no lot (GS1 application '
                              'identifier 10): type the lot on its line.')
                            % product.display_name)
        vals = {'lot_name': message.lot or False}
        for ai, field in (('11', 'production_date'), ('17', 'life_date'),
                          ('15', 'use_date')):
            if message.get(ai):
                vals[field] = fields.Datetime.to_string(
                    datetime.combine(message.get(ai), time(0, 0)))
        if message.production_date and not message.expiration_date:
            vals['life_date'] = self.env['stock.production.lot']._get_dates(
                product.id, vals['production_date'])['life_date']
        lines = self.line_ids.filtered(lambda line: line.product_id == product)
        target = (lines.filtered(lambda line: message.lot and line.lot_name == message.lot)
                  or lines.filtered(lambda line: not line.lot_name))[:1]
        if target:
            target.update(vals)
            return target
        missing = dict(self._get_missing_quantities())
        moves = self.picking_id._get_restock_moves().filtered(
            lambda move: move.product_id == product)
        move = next((move for move in moves if move in missing), moves[:1])
        vals = dict(self._prepare_new_line_vals(move, missing.get(move, 0.0)), **vals)
        if isinstance(self.id, models.NewId):
            new_line = self.env['stock.lot.restock.line'].new(vals)
            self.line_ids |= new_line
        else:
            new_line = self.env['stock.lot.restock.line'].create(
                dict(vals, wizard_id=self.id))
        self._propose_locations(keep_suitable=True)
        return new_line


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

    @api.onchange('lot_name')
    def _onchange_lot_name(self):
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
        """The move of the wizard's receipt for this line's product, preferring the one
        with quantity still without lot."""
        self.ensure_one()
        moves = self.wizard_id.picking_id._get_restock_moves().filtered(
            lambda move: move.product_id == self.product_id)
        return moves[:1]

    @api.multi
    def _lot_key(self):
        """What identifies this line's lot among the lines: its code, or the line itself
        for a code still to be generated."""
        self.ensure_one()
        return (self.lot_name or '').strip() or ('new', self.id)

    @api.multi
    def _location_suits(self, location, occupancy, claims, key):
        """Whether single-lot ``location`` can take this line's lot."""
        self.ensure_one()
        held = occupancy.get(location, {}).get(self.product_id, set())
        claimed = claims.get((location, self.product_id))
        return held <= {key} and claimed in (None, key)

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
            line._get_quality_values()

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
    def _check_destinations(self, lots):
        """Refuse to put a second lot of a product into a single-lot location."""
        lines = self.filtered(lambda line: line.location_dest_id.single_lot
                              and line.product_id.tracking == 'lot')
        if not lines:
            return
        quants = self.env['stock.quant'].sudo().search([
            ('location_id', 'in', lines.mapped('location_dest_id').ids),
            ('product_id', 'in', lines.mapped('product_id').ids),
            ('quantity', '>', 0), ('lot_id', '!=', False)])
        held = {}
        for quant in quants:
            held.setdefault((quant.location_id, quant.product_id), quant.lot_id)
        for line in lines:
            key = (line.location_dest_id, line.product_id)
            other = held.setdefault(key, lots[line])
            if other != lots[line]:
                raise UserError(_(
                    'Location %s holds one lot per product and already holds or receives '
                    'lot %s of product %s: lot %s cannot go there too. Choose another '
                    'location for lot %s.') % (
                    line.location_dest_id.display_name, other.name,
                    line.product_id.display_name, lots[line].name, lots[line].name))


class StockLotRestockQuality(models.TransientModel):
    _name = 'stock.lot.restock.quality'
    _description = 'Quality value entered at receipt'
    _order = 'sequence, id'

    line_id = fields.Many2one(
        'stock.lot.restock.line', required=True, ondelete='cascade',
        help="Lot entry line whose lot records this value.")
    attribute_id = fields.Many2one(
        'stock.lot.quality.attribute', string='Attribute', required=True,
        ondelete='cascade', help="Quality attribute measured.")
    sequence = fields.Integer(
        related='attribute_id.sequence', readonly=True, help="Order of the attributes.")
    value_type = fields.Selection(
        related='attribute_id.value_type', readonly=True,
        help="Numeric values are numbers; text values are observations.")
    specification = fields.Char(
        related='attribute_id.specification', readonly=True,
        help="What the value must be to be in specification.")
    uom_name = fields.Char(
        related='attribute_id.uom_name', readonly=True, help="Unit of the value.")
    result = fields.Char(
        help="Measured value (a number for numeric attributes) or observed result. Leave "
             "it empty when it is not known yet: the lot stays pending until it is.")

    @api.multi
    def _get_value(self):
        """The value to record: a number for numeric attributes, the text otherwise,
        None when nothing was entered."""
        self.ensure_one()
        text = (self.result or '').strip()
        if not text:
            return None
        if self.value_type == 'text':
            return text
        try:
            return float(text.replace(',', '.'))
        except ValueError:
            raise UserError(_(
                'Lot %(lot)s of %(product)s: %(attribute)s must be a number, not '
                '"%(value)s".') % {
                'lot': (self.line_id.lot_name or '').strip() or _('(new)'),
                'product': self.line_id.product_id.display_name,
                'attribute': self.attribute_id.name, 'value': text})
