# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import OrderedDict
from datetime import datetime, time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_repr

from ..lib import gs1
from ..lib.actions import dialog_action


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
        help="Scan or paste a GS1-128 / GS1 DataMatrix barcode or a GS1 Digital Link "
             "(the QR code's https://.../01/.../10/... address): the product (01, or "
             "02 on a pallet label), lot (10), expiration (17), best before (15) and "
             "production (11) dates fill the line of that product, and a count of items "
             "(30 or 37) its quantity.")
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
                    [_('%s: %s %s without lot') % (product.display_name, qty, uom.name)
                     for product, qty, uom in wizard._summarize_missing(missing)]
                    + [_('Only the quantities with a lot are received: validating the '
                         'receipt then proposes a backorder for the rest.')])

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
        """Check every line, then create or reuse the lots, write the move lines and
        optionally validate.

        Nothing is written before every check passed. A quantity of the receipt still
        without lot is not received: validating then opens Odoo's backorder dialog
        (``stock.backorder.confirmation``) for it, so every unit received has a lot.
        """
        self.ensure_one()
        picking = self.picking_id
        if picking.state in ('done', 'cancel'):
            raise UserError(_('Receipt %s is already %s: its lots cannot be entered any '
                              'more.') % (picking.name, picking.state))
        lines = self._get_lines_to_receive()
        lines._check_restock()
        self._propose_locations(only_missing=True)
        lines._check_destinations()
        nothing_done = self._nothing_done_besides(picking._get_restock_moves())
        lots = lines._get_or_create_lots()
        for line in lines:
            line._record_quality_values(lots[line])
        self._write_move_lines(lines, lots)
        if self.validate_picking:
            if nothing_done:
                self._process_other_moves()
            action = picking.with_context(skip_restock_wizard=True).button_validate()
            if isinstance(action, dict):
                return action
        return {'type': 'ir.actions.act_window_close'}

    @api.multi
    def _get_lines_to_receive(self):
        """The lines with a quantity; refuses a lot entry that receives nothing."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: not float_is_zero(
            line.quantity, precision_rounding=line.move_id.product_uom.rounding or 0.001))
        if not lines:
            raise UserError(_(
                'No line of the lot entry of receipt %s has a quantity: enter the lots and '
                'quantities that arrived.') % self.picking_id.name)
        return lines

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
    def _process_other_moves(self):
        """Receive the products without lot of the receipt in full, as Odoo's immediate
        transfer does when nothing was processed: the lot entry is the last step before
        validation. Lot-tracked moves receive only what has a lot."""
        self.ensure_one()
        picking = self.picking_id
        moves = picking._get_restock_moves()
        others = picking.move_lines.filtered(
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
            move = line._get_move()
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
        """{line: (location, note)} for the lines of the wizard, see _propose_locations
        and ``stock.location._propose_single_lot_locations``."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.product_id)
        requests = []
        for line in lines:
            move = line._get_move()
            base = move.location_dest_id or self.picking_id.location_dest_id
            requests.append({
                'base': base.get_putaway_strategy(line.product_id) or base,
                'product': line.product_id,
                'lot': line._lot_key(),
                'location': line.location_dest_id,
                'keep': 'any' if only_missing else 'suitable' if keep_suitable else None,
            })
        proposals = self.env['stock.location']._propose_single_lot_locations(requests)
        return OrderedDict(zip(lines, proposals))

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
        a new line for the rest of the product's quantity is added (a split). A scan
        that carries a count of items (AI 30 or 37) receives that count: added to the
        line of the same lot and taken off the quantity still without lot, or given to
        the line without lot, the rest of which stays on a line without lot.
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
        if message.quantity == 0:
            raise UserError(_('The scan of product %s counts 0 items (GS1 application '
                              'identifier %s): scan the label of what arrived.')
                            % (product.display_name, '30' if message.get('30') else '37'))
        vals = {'lot_name': message.lot or False}
        for ai, field in (('11', 'production_date'), ('17', 'life_date'),
                          ('15', 'use_date')):
            if message.get(ai):
                vals[field] = self._get_label_datetime(message.get(ai))
        if message.production_date and not message.expiration_date:
            vals['life_date'] = self.env['stock.production.lot']._get_dates(
                product.id, vals['production_date'])['life_date']
        lines = self.line_ids.filtered(lambda line: line.product_id == product)
        same_lot = lines.filtered(lambda line: message.lot and line.lot_name == message.lot)
        target = (same_lot or lines.filtered(lambda line: not line.lot_name))[:1]
        moves = self.picking_id._get_restock_moves().filtered(
            lambda move: move.product_id == product)
        if message.quantity is None:
            if target:
                target.update(vals)
                return target
            missing = dict(self._get_missing_quantities())
            move = next((move for move in moves if move in missing), moves[:1])
            return self._add_line(move, missing.get(move, 0.0), vals)
        move = target._get_move() if target else moves[:1]
        quantity = product.uom_id._compute_quantity(message.quantity, move.product_uom)
        if not target:
            return self._add_line(move, quantity, vals)
        if same_lot:
            target.update(dict(vals, quantity=target.quantity + quantity))
            self._take_from_lines_without_lot(move, quantity)
            return target
        rest = target.quantity - quantity
        target.update(dict(vals, quantity=quantity))
        if float_compare(rest, 0, precision_rounding=move.product_uom.rounding) > 0:
            self._add_line(move, rest, {})
        return target

    @api.model
    def _get_label_datetime(self, day):
        """The start of ``day``, a date a label prints, in the user's time zone, as the
        ORM stores a datetime (UTC): the lot entry then shows the label's date."""
        try:
            zone = pytz.timezone(self.env.context.get('tz') or self.env.user.tz or 'UTC')
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        start = zone.localize(datetime.combine(day, time(0, 0)))
        return fields.Datetime.to_string(start.astimezone(pytz.utc).replace(tzinfo=None))

    @api.multi
    def _add_line(self, move, quantity, vals):
        """A new line of ``quantity`` for a new lot of ``move``, with ``vals``."""
        self.ensure_one()
        vals = dict(self._prepare_new_line_vals(move, quantity), **vals)
        if isinstance(self.id, models.NewId):
            new_line = self.env['stock.lot.restock.line'].new(vals)
            self.line_ids |= new_line
        else:
            new_line = self.env['stock.lot.restock.line'].create(
                dict(vals, wizard_id=self.id))
        self._propose_locations(keep_suitable=True)
        return new_line

    @api.multi
    def _take_from_lines_without_lot(self, move, quantity):
        """Lower the lines of ``move`` without lot by ``quantity`` in all (a scanned
        count now has its lot); the lines brought to nothing are removed."""
        self.ensure_one()
        rounding = move.product_uom.rounding
        emptied = self.env['stock.lot.restock.line']
        for line in self.line_ids.filtered(
                lambda line: not line.lot_name and line._get_move() == move):
            if float_compare(quantity, 0, precision_rounding=rounding) <= 0:
                break
            taken = min(line.quantity, quantity)
            quantity -= taken
            if float_compare(line.quantity - taken, 0, precision_rounding=rounding) > 0:
                line.quantity -= taken
            else:
                emptied |= line
        if isinstance(self.id, models.NewId):
            self.line_ids -= emptied
        else:
            emptied.unlink()
