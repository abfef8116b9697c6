# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

# rows per INSERT / UPDATE of the bulk reservation (bounded statement size)
BULK_ROWS = 1000
# addons whose ``create`` of move lines :meth:`StockMoveLine._create_in_bulk` reproduces
# (stock_account acts on done moves only); another addon's override makes it fall back
# to ``create`` line by line. mrp overrides ``write`` of move lines, not ``create``: the
# lines it reads or writes when a production is reserved (``production_id``,
# ``workorder_id``, written by its ``stock.move._action_assign`` after the reservation;
# ``done_wo`` by default, ``done_move`` related to the move) are plain columns that the
# bulk INSERT fills as ``create`` would (tests/test_mrp_reservation.py compares both).
BULK_CREATE_MODULES = ('stock', 'stock_account', 'stock_lot_tracking')


def foreign_overrides(model_class, method, modules, below=None):
    """The addons outside ``modules`` that define ``method`` in ``model_class`` (a registry
    class, e.g. ``type(env['stock.quant'])``): the overrides a bulk path replacing
    ``method`` would skip.

    :param below: a class of the MRO (the override of the bulk path itself): only the
        classes after it, those its ``super()`` would reach, are looked at
    :return: sorted list of addon names, empty when only ``modules`` define ``method``
    """
    mro = model_class.__mro__
    if below is not None:
        mro = mro[mro.index(below) + 1:]
    # ``_module`` of the class itself: a class without one inherits its base's
    return sorted({vars(cls).get('_module') or cls.__module__ for cls in mro
                   if method in vars(cls) and cls is not models.BaseModel
                   and vars(cls).get('_module') not in modules})


class StockMoveLine(models.Model):
    _inherit = 'stock.move.line'

    # searched by lot for every quality edit of a stock user and for traceability
    lot_id = fields.Many2one(index=True)

    batch_lot_id = fields.Many2one(
        'stock.production.lot', string='Batch', index=True,
        domain="[('product_id', '=', product_id), ('is_batch', '=', True)]",
        help="For a serial number: the batch (lot) the serial belongs to in this move. "
             "Entered on receipts for new serials, copied from the serial otherwise.")
    product_tracking = fields.Selection(
        related='product_id.tracking', readonly=True,
        help="Tracking of the product: the batch applies to serial numbers only.")

    @api.model_cr
    def init(self):
        """Indexes the reservation needs on move lines, which Odoo 11 does not create.

        - ``move_id``: ``stock.move.move_line_ids`` (read for every reservation, every
          availability computation and every unreserve) searches the lines by move;
          without the index each of them scans the whole table.
        - ``picking_id``: the same for ``stock.picking.move_line_ids`` (the picking's
          detailed operations, its entire-package check after each reservation).

        The names are those the ORM gives to ``index=True``, so a later ``index=True``
        on these fields finds them instead of creating duplicates.
        """
        result = super(StockMoveLine, self).init()
        for column in ('move_id', 'picking_id'):
            self.env.cr.execute(sql.SQL('CREATE INDEX IF NOT EXISTS {} ON stock_move_line ({})')
                                .format(sql.Identifier('stock_move_line_%s_index' % column),
                                        sql.Identifier(column)))
        return result

    @api.constrains('lot_id')
    def _check_lot_not_batch(self):
        # a lambda, not 'lot_id.is_batch': mapped() would read the lots one by one
        for line in self.filtered(lambda line: line.lot_id.is_batch):
            raise ValidationError(_(
                '%(batch)s is a batch of serial numbers of %(product)s and holds no stock: '
                'choose the serial numbers to move.'
            ) % {'batch': line.lot_id.name, 'product': line.product_id.display_name})

    @api.model
    def create(self, vals):
        line = super(StockMoveLine, self).create(vals)
        if vals.get('consume_line_ids'):
            line._link_component_lots()
        return line

    @api.multi
    def write(self, vals):
        res = super(StockMoveLine, self).write(vals)
        if vals.get('consume_line_ids'):
            self._link_component_lots()
        return res

    @api.multi
    def _action_done(self):
        """Check the batches of new serials and create the lots typed on receipt lines
        with their origin; after the moves, give serials their batch and check that
        single-lot locations still hold one lot per product."""
        self._check_serial_batches()
        self._create_receipt_lots()
        # read before: lines without done quantity are deleted by Odoo
        into_single_lot = any(line.location_dest_id.single_lot for line in self)
        result = super(StockMoveLine, self)._action_done()
        self.exists()._record_serial_batches()
        if into_single_lot:
            self.env['stock.quant']._check_single_lot_locations()
        return result

    @api.multi
    def _record_serial_batches(self):
        """New serials take the batch entered on the receipt; every serial move records it."""
        for line in self.filtered(
                lambda line: line.lot_id and line.product_id.tracking == 'serial'):
            serial = line.lot_id
            if line.batch_lot_id and not serial.batch_lot_id:
                serial.with_context(slt_batch_assignment=True).batch_lot_id = line.batch_lot_id
            elif serial.batch_lot_id and not line.batch_lot_id:
                line.batch_lot_id = serial.batch_lot_id

    @api.multi
    def _check_serial_batches(self):
        """Receipts of products with serials in batches need the batch of every new serial."""
        missing = self.filtered(
            lambda line: line.product_id.tracking == 'serial'
            and line.product_id.serial_batch_required
            and line.move_id.picking_type_id.use_create_lots
            and line.qty_done > 0 and (line.lot_id or line.lot_name)
            and not line.batch_lot_id and not line.lot_id.batch_lot_id)
        if missing:
            raise UserError(_(
                'Enter the batch of every new serial number before validating:\n%s'
            ) % '\n'.join('- %s %s' % (line.product_id.display_name,
                                       line.lot_id.name or line.lot_name)
                          for line in missing))

    @api.multi
    def _link_component_lots(self):
        """Record the lots consumed by a production or repackaging on the lot it made.

        ``consume_line_ids`` (set by manufacturing or any repackaging flow) names the move
        lines consumed to make this one; their lots become components of this line's lot,
        which then inherits their expiration date and grade where it has none.
        """
        for line in self.filtered('lot_id'):
            components = line.consume_line_ids.mapped('lot_id') - line.lot_id
            new = components - line.lot_id.component_lot_ids
            if new:
                line.lot_id.sudo().write({'component_lot_ids': [(4, lot.id) for lot in new]})

    @api.multi
    def _create_receipt_lots(self):
        """Create the lots of the lines with a lot name but no lot, as Odoo would when the
        operation type creates lots, with the supplier and purchase order of the receipt."""
        lot_model = self.env['stock.production.lot']
        for line in self:
            if (line.lot_id or not line.lot_name or line.product_id.tracking == 'none'
                    or not line.move_id.picking_type_id.use_create_lots
                    or float_compare(line.qty_done, 0,
                                     precision_rounding=line.product_uom_id.rounding) <= 0):
                continue
            vals = line._prepare_receipt_lot_vals()
            line.write({'lot_id': lot_model.create(vals).id})

    @api.multi
    def _prepare_receipt_lot_vals(self):
        """Values of the lot created for this receipt line."""
        self.ensure_one()
        vals = {'name': self.lot_name, 'product_id': self.product_id.id}
        vals.update(self._prepare_lot_origin_vals(self.move_id))
        return vals

    @api.model
    def _prepare_lot_origin_vals(self, move):
        """Supplier and purchase order of a lot received by ``move``.

        Only moves coming from a vendor location give a supplier: a customer return
        does not make the customer a supplier.
        """
        purchase = move.purchase_line_id.order_id
        if purchase:
            return {'supplier_id': purchase.partner_id.id, 'purchase_order_id': purchase.id}
        partner = move.picking_id.partner_id or move.partner_id
        if move.location_id.usage == 'supplier' and partner:
            return {'supplier_id': partner.id}
        return {}

    # Reservation in bulk -----------------------------------------------------------------
    @api.model
    def _create_in_bulk(self, vals_list):
        """Create the reserved move lines ``vals_list`` (dicts for ``create``) at once.

        Does for every line what ``create`` of Odoo 11 does for the move line of a move
        that is not done (stock sets ``ordered_qty``; the other overrides of the installed
        addons act on done moves or on fields not given here): access rights, defaults,
        one multi-row INSERT per :data:`BULK_ROWS` lines, cache invalidation and
        recomputation of what depends on the new lines, stored computed fields of the
        lines written with one UPDATE per field group, Python constraints and record
        rules. Lines with values that are not plain columns (one2many, many2many,
        inverse fields) or lines of done moves are created one by one through
        ``create``.

        :return: the new lines, in the order of ``vals_list``
        """
        if not vals_list:
            return self.browse()
        self.check_access_rights('create')
        rows = [self._prepare_bulk_create_vals(vals) for vals in vals_list]
        names = sorted(set().union(*rows))
        moves = self.env['stock.move'].browse({vals.get('move_id') for vals in rows} - {None})
        if (not self._bulk_create_supported()
                or not all(self._is_bulk_column(name) for name in names)
                or not all(row.get('move_id') for row in rows)
                or 'done' in moves.mapped('state')):
            lines = self.browse()
            for vals in vals_list:
                lines |= self.create(vals)
            return lines
        fields_ = [self._fields[name] for name in names]
        for row in rows:
            for field in fields_:
                if field.type == 'selection' and row.get(field.name):
                    self._check_selection_field_value(field.name, row[field.name])
        cr = self.env.cr
        ids = []
        query = sql.SQL(
            "INSERT INTO stock_move_line (id, {columns}, create_uid, write_uid, create_date, "
            "write_date) VALUES {rows}")
        row_sql = sql.SQL("(%s, {values}, %s, %s, (now() at time zone 'UTC'), "
                          "(now() at time zone 'UTC'))").format(
            values=sql.SQL(', ').join(sql.SQL('%s') for __ in names))
        for offset in range(0, len(rows), BULK_ROWS):
            chunk = rows[offset:offset + BULK_ROWS]
            # ids taken in the order of the lines, as one create() after the other would
            cr.execute("SELECT nextval('stock_move_line_id_seq') FROM generate_series(1, %s)",
                       (len(chunk),))
            chunk_ids = [row[0] for row in cr.fetchall()]
            params = []
            for new_id, vals in zip(chunk_ids, chunk):
                params.append(new_id)
                params.extend(field.convert_to_column(vals[field.name], self, vals)
                              if field.name in vals else None for field in fields_)
                params.extend((self.env.uid, self.env.uid))
            cr.execute(query.format(
                columns=sql.SQL(', ').join(sql.Identifier(name) for name in names),
                rows=sql.SQL(', ').join(row_sql for __ in chunk)), params)
            ids.extend(chunk_ids)
        lines = self.browse(ids)
        # as _create: invalidate (inverse one2many included) and mark what to recompute
        lines.modified(self._fields)
        # the values just written, in cache and in the prefetch of the lines: what the
        # recomputations and constraints read of their lots, locations... is read for all
        # lines at once instead of line by line
        for line, vals in zip(lines, rows):
            line._cache.update(line._convert_to_cache(
                {name: vals[name] for name in names if name in vals}, validate=False))
        computed = lines._recompute_in_bulk()
        lines._validate_fields(set(names) | computed)
        if self.env.recompute and self.env.context.get('recompute', True):
            self.recompute()
        lines.check_access_rule('create')
        return lines

    @api.model
    def _prepare_bulk_create_vals(self, vals):
        """The column values ``create`` would insert for ``vals``: defaults, stock's
        ``ordered_qty``, unset booleans as False; magic columns left out."""
        vals = self._add_missing_default_values(dict(vals))
        vals['ordered_qty'] = vals.get('product_uom_qty')
        for name in models.MAGIC_COLUMNS + ['parent_left', 'parent_right']:
            vals.pop(name, None)
        for name, field in self._fields.items():
            if field.type == 'boolean' and field.store and name not in vals:
                vals[name] = False
        return {name: value for name, value in vals.items()
                if name in self._fields and self._fields[name].store}

    @api.model
    def _bulk_create_supported(self):
        """Whether the ``create`` of move lines is only Odoo's and the known addons' (see
        :data:`BULK_CREATE_MODULES`): the override of any other installed addon would be
        skipped by the bulk INSERT."""
        return not foreign_overrides(type(self), 'create', BULK_CREATE_MODULES)

    @api.model
    def _is_bulk_column(self, name, computed=False):
        """Whether field ``name`` is a plain column that bulk SQL may write (given a
        value, or ``computed``: the stored value of a computed field)."""
        field = self._fields[name]
        return (field.store and field.column_type and field.column_format == '%s'
                and not field.inherited and not field.translate
                and (computed or not field.inverse))

    @api.multi
    def _recompute_in_bulk(self):
        """Recompute the stored computed fields of ``self`` awaiting recomputation with
        one UPDATE ... FROM (VALUES ...) per group of fields computed together, where
        ``recompute()`` would write one UPDATE per distinct value.

        :return: the names of the fields written
        """
        done = set()
        for field in list(self._fields.values()):
            if (not (field.store and field.compute) or field.name in done
                    or not (self & self.env.field_todo(field))):
                continue
            group = [f for f in self._field_computed[field] if f.store]
            if not all(self._is_bulk_column(f.name, computed=True) for f in group):
                continue
            # with the prefetch of self, so that the lots, locations... read for them are
            # then read for all lines at once
            records = (self & self.env.field_todo(field)).with_prefetch(self._prefetch)
            if field.compute_sudo:
                records = records.sudo()
            values = [[record.id] + [f.convert_to_column(
                f.convert_to_write(record[f.name], record), record) for f in group]
                for record in records]
            self._update_in_bulk(group, values)
            for f in group:
                records._recompute_done(f)
                done.add(f.name)
            records.modified([f.name for f in group])
        return done

    @api.model
    def _update_in_bulk(self, fields_, values):
        """UPDATE the columns of ``fields_`` from rows ``[id, value, ...]`` (column
        values), :data:`BULK_ROWS` rows per statement."""
        cr = self.env.cr
        casts = [sql.SQL('%s::{}').format(sql.SQL(field.column_type[1])) for field in fields_]
        row_sql = sql.SQL('(%s, {})').format(sql.SQL(', ').join(casts))
        for offset in range(0, len(values), BULK_ROWS):
            chunk = values[offset:offset + BULK_ROWS]
            query = sql.SQL(
                "UPDATE stock_move_line AS line SET {assignments} "
                "FROM (VALUES {rows}) AS new (id, {columns}) WHERE line.id = new.id"
            ).format(
                assignments=sql.SQL(', ').join(
                    sql.SQL('{0} = new.{0}').format(sql.Identifier(field.name))
                    for field in fields_),
                rows=sql.SQL(', ').join(row_sql for __ in chunk),
                columns=sql.SQL(', ').join(sql.Identifier(field.name) for field in fields_))
            cr.execute(query, [value for row in chunk for value in row])
