# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockInventory(models.Model):
    _inherit = 'stock.inventory'

    @api.model
    def _convert_records(self, records, log=lambda a: None):
        """Inventories imported with their lines: the lines of tracked products need a lot.

        Each line of the file is a row of the inventory's record, in order; every bad line
        is reported and ``load()`` then imports nothing.
        """
        Line = self.env['stock.inventory.line']
        converted = super(StockInventory, self)._convert_records(records, log=log)
        for dbid, xid, vals, info in converted:
            new_lines = [command[2] for command in vals.get('line_ids') or []
                         if command[0] == 0]
            for index, line_vals in enumerate(new_lines):
                error = Line._get_import_lot_error(None, line_vals)
                if error:
                    row = info['rows']['from'] + index
                    log(dict(info, type='error', field='line_ids', message=error,
                             rows={'from': row, 'to': row}))
            yield dbid, xid, vals, info

    @api.multi
    def action_done(self):
        """Refuse to validate while a tracked product is counted without a lot."""
        self._check_tracked_lines_have_lot()
        return super(StockInventory, self).action_done()

    @api.multi
    def post_inventory(self):
        """Post the moves leaving the counted locations before those entering them.

        A lot changed on a line is an old lot going out and a new lot coming in: the old
        lot must be gone first where a location holds a single lot at a time.
        """
        moves = self.mapped('move_ids').filtered(lambda move: move.state != 'done')
        moves.filtered(lambda move: move.location_id.usage == 'internal')._action_done()
        return super(StockInventory, self).post_inventory()

    @api.multi
    def _check_tracked_lines_have_lot(self):
        """Raise a UserError listing the lines of tracked products counted without lot."""
        lines = self.mapped('line_ids').filtered(
            lambda line: line.product_id.tracking != 'none' and not line.prod_lot_id
            and float_compare(line.product_qty, 0.0,
                              precision_rounding=line.product_uom_id.rounding) > 0)
        if lines:
            raise UserError(_(
                'Enter the lot of every counted line of a tracked product before validating '
                'the inventory. These lines have a quantity but no lot (stock counted before '
                'lot tracking was switched on, or a new line):\n%s'
            ) % '\n'.join(lines.mapped(lambda line: '- %s' % line._get_display_line())))

    @api.model
    def _check_lot_change_allowed(self, product, location, lot, quantity):
        """Refuse to take ``quantity`` of ``lot`` out of ``location`` when it is reserved.

        ``lot`` may be empty (stock without lot). The message names the reservations.
        """
        quants = self.env['stock.quant']._gather(product, location, lot_id=lot, strict=True)
        quants._lock_for_lot_change()
        rounding = product.uom_id.rounding
        on_hand = sum(quants.mapped('quantity'))
        lot_name = lot.name or _('without lot')
        if float_compare(quantity, on_hand, precision_rounding=rounding) > 0:
            raise UserError(_(
                'Location %(location)s holds only %(on_hand)s %(uom)s of %(product)s '
                '%(lot)s: you cannot change the lot of %(quantity)s %(uom)s.'
            ) % {'location': location.display_name, 'on_hand': on_hand,
                 'uom': product.uom_id.name, 'product': product.display_name,
                 'lot': lot_name, 'quantity': quantity})
        free = on_hand - sum(quants.mapped('reserved_quantity'))
        if float_compare(quantity, free, precision_rounding=rounding) <= 0:
            return
        reservations = self.env['stock.move.line'].search([
            ('product_id', '=', product.id), ('location_id', '=', location.id),
            ('lot_id', '=', lot.id), ('product_qty', '>', 0),
            ('state', 'not in', ('done', 'cancel'))])
        raise UserError(_(
            'Only %(free)s %(uom)s of %(product)s %(lot)s in %(location)s are not reserved: '
            'cancel or unreserve these reservations before changing the lot of '
            '%(quantity)s %(uom)s:\n%(reservations)s'
        ) % {'free': max(free, 0.0), 'uom': product.uom_id.name,
             'product': product.display_name, 'lot': lot_name,
             'location': location.display_name, 'quantity': quantity,
             'reservations': '\n'.join('- %s: %s %s' % (
                 line.picking_id.name or line.move_id.reference or line.move_id.name,
                 line.product_qty, product.uom_id.name) for line in reservations)})

    @api.model
    def _post_lot_change(self, product, location, quantity, old_lot, new_lot,
                         old_batch=None, new_batch=None, name=None):
        """Change the lot of ``quantity`` of ``product`` in ``location``.

        Posts a done inventory adjustment with two done moves through the product's
        inventory-loss location: ``old_lot`` (may be empty) out, then ``new_lot`` in, so
        the stock history shows both. ``old_batch``/``new_batch`` are the batches carried
        by the two moves of a serial number; ``name`` replaces the adjustment's default
        name. Returns the adjustment.
        """
        if old_lot == new_lot and old_batch == new_batch:
            raise UserError(_(
                'The new lot of %(product)s is the same as the current one (%(lot)s).'
            ) % {'product': product.display_name, 'lot': old_lot.name or _('none')})
        vals = self._prepare_lot_change_vals(product, location, old_lot, new_lot)
        if name:
            vals['name'] = name
        inventory = self.create(vals)
        loss_location = product.property_stock_inventory
        out_move = self.env['stock.move'].create(inventory._prepare_lot_change_move_vals(
            product, quantity, old_lot, location, loss_location, old_batch))
        in_move = self.env['stock.move'].create(inventory._prepare_lot_change_move_vals(
            product, quantity, new_lot, loss_location, location, new_batch))
        # the old lot leaves before the new one enters (single-lot locations)
        out_move._action_done()
        in_move._action_done()
        inventory.write({'state': 'done'})
        return inventory

    @api.model
    def _prepare_lot_change_vals(self, product, location, old_lot, new_lot):
        return {
            'name': _('Lot change: %(product)s in %(location)s, %(old)s -> %(new)s') % {
                'product': product.display_name, 'location': location.display_name,
                'old': old_lot.name or _('no lot'), 'new': new_lot.name or _('no lot')},
            'filter': 'product',
            'product_id': product.id,
            'location_id': location.id,
            'state': 'confirm',
            'date': fields.Datetime.now(),
        }

    @api.multi
    def _prepare_lot_change_move_vals(self, product, quantity, lot, location, location_dest,
                                      batch=None):
        self.ensure_one()
        line_vals = {
            'product_id': product.id,
            'lot_id': lot.id,
            'product_uom_qty': 0,  # nothing to reserve: the quantity is done at once
            'product_uom_id': product.uom_id.id,
            'qty_done': quantity,
            'location_id': location.id,
            'location_dest_id': location_dest.id,
        }
        if batch is not None:
            line_vals['batch_lot_id'] = batch.id
        return {
            'name': self.name,
            'product_id': product.id,
            'product_uom': product.uom_id.id,
            'product_uom_qty': quantity,
            'date': self.date,
            'company_id': self.company_id.id,
            'inventory_id': self.id,
            'state': 'confirmed',
            'location_id': location.id,
            'location_dest_id': location_dest.id,
            'move_line_ids': [(0, 0, line_vals)],
        }
