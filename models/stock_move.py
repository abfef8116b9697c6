# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class StockMove(models.Model):
    _inherit = 'stock.move'

    # Lot rules of the destination customer (FEFO reservation) ------------------------
    # (section owned by the reservation rules work)

    # Reservation in bulk ---------------------------------------------------------------
    # (section owned by the reservation performance work)
    @api.multi
    def _update_reserved_quantity(self, need, available_quantity, location_id, lot_id=None,
                                  package_id=None, owner_id=None, strict=True):
        """Reserve through :meth:`_reserve_in_bulk`: the same move lines and reserved
        quants as Odoo, in time linear in the number of quants (Odoo 11 filters all the
        move's lines for each quant reserved and writes the quants one by one).

        The context key ``stock_reservation_one_by_one`` falls back to Odoo's own
        reservation (used by the tests that compare both).
        """
        if self.env.context.get('stock_reservation_one_by_one'):
            return super(StockMove, self)._update_reserved_quantity(
                need, available_quantity, location_id, lot_id=lot_id,
                package_id=package_id, owner_id=owner_id, strict=strict)
        return self._reserve_in_bulk(
            need, available_quantity, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)

    @api.multi
    def _reserve_in_bulk(self, need, available_quantity, location_id, lot_id=None,
                         package_id=None, owner_id=None, strict=True):
        """Reserve up to ``need`` (product unit) of this move from ``location_id``, as
        ``_update_reserved_quantity`` of Odoo 11 does, set-based.

        Same quantity taken (rounded down to the move's unit when not ``strict``, whole
        units for serial numbers), same quants in the order of ``stock.quant._gather``
        (so the removal strategy and the lot rules apply), same move lines (built by
        ``_prepare_move_line_vals``; the line of the same location, lot, package and
        owner increased if there is one; one line per serial number). The quants are
        reserved by ``stock.quant._reserve_quants_in_bulk`` (locked, one UPDATE) and the
        move lines created with one INSERT: a constant number of queries per move.

        :return: the quantity reserved (product unit)
        """
        self.ensure_one()
        product = self.product_id
        taken_quantity = min(available_quantity, need)
        if not strict:
            # never more than the move's unit allows (see Odoo's method)
            taken_quantity_move_uom = product.uom_id._compute_quantity(
                taken_quantity, self.product_uom, rounding_method='DOWN')
            taken_quantity = self.product_uom._compute_quantity(
                taken_quantity_move_uom, product.uom_id, rounding_method='HALF-UP')
        if product.tracking == 'serial':
            digits = self.env['decimal.precision'].precision_get('Product Unit of Measure')
            if float_compare(taken_quantity, int(taken_quantity), precision_digits=digits):
                taken_quantity = 0
        if float_is_zero(taken_quantity, precision_rounding=product.uom_id.rounding):
            return taken_quantity
        try:
            reserved = self.env['stock.quant']._reserve_quants_in_bulk(
                product, location_id, taken_quantity, lot_id=lot_id or None,
                package_id=package_id or None, owner_id=owner_id or None, strict=strict)
        except UserError:
            return 0
        self._add_reserved_move_lines(reserved)
        return taken_quantity

    @api.multi
    def _add_reserved_move_lines(self, reserved):
        """Record on this move's lines the reservation ``reserved`` (list of quant,
        quantity in product unit): increase the line of the quant's location, lot,
        package and owner where there is one (not for serial numbers), create the others
        in bulk.

        :return: the new move lines
        """
        self.ensure_one()
        product_uom = self.product_id.uom_id
        line_model = self.env['stock.move.line']
        qty_field = line_model._fields['product_uom_qty']
        serial = self.product_id.tracking == 'serial'
        lines_by_key = {}
        if not serial:
            for line in self.move_line_ids:
                key = (line.location_id.id, line.lot_id.id, line.package_id.id,
                       line.owner_id.id)
                lines_by_key.setdefault(key, line)
        increases = {}  # existing line: new reserved quantity (line unit)
        new_vals = []
        new_by_key = {}  # key: index in new_vals
        merged = {}  # index in new_vals: reserved quantity after the merge
        for quant, quantity in reserved:
            key = (quant.location_id.id, quant.lot_id.id, quant.package_id.id,
                   quant.owner_id.id)
            line = lines_by_key.get(key)
            if line:
                current = increases.get(line, line.product_uom_qty)
                increases[line] = qty_field.convert_to_cache(
                    current + product_uom._compute_quantity(
                        quantity, line.product_uom_id, rounding_method='HALF-UP'), line)
            elif serial:
                new_vals.extend(self._prepare_move_line_vals(quantity=1, reserved_quant=quant)
                                for __ in range(int(quantity)))
            elif key in new_by_key:
                # a second quant of the same key: Odoo increases the line it has just
                # created for the first one
                index = new_by_key[key]
                vals = new_vals[index]
                line_uom = self.env['product.uom'].browse(vals['product_uom_id'])
                current = merged.get(index, vals['product_uom_qty'])
                merged[index] = qty_field.convert_to_cache(
                    current + product_uom._compute_quantity(
                        quantity, line_uom, rounding_method='HALF-UP'), line_model)
            else:
                new_by_key[key] = len(new_vals)
                new_vals.append(
                    self._prepare_move_line_vals(quantity=quantity, reserved_quant=quant))
        new_lines = line_model._create_in_bulk(new_vals)
        for index, quantity in merged.items():
            increases[new_lines[index]] = quantity
        by_quantity = {}
        for line, quantity in increases.items():
            by_quantity.setdefault(quantity, line_model)
            by_quantity[quantity] |= line
        for quantity, lines in by_quantity.items():
            lines.with_context(bypass_reservation_update=True).write(
                {'product_uom_qty': quantity})
        return new_lines
