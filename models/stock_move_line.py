# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

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

        - ``location_id``, ``location_dest_id``: what came into or left a location (Odoo's
          traceability report, the quants' history).

        The names are those the ORM gives to ``index=True``, so a later ``index=True``
        on these fields finds them instead of creating duplicates. Traceability reads
        the done lines of a lot in date order: a partial index on (lot, date) of done
        lines serves it.
        """
        result = super(StockMoveLine, self).init()
        cr = self.env.cr
        for column in ('move_id', 'picking_id', 'location_id', 'location_dest_id'):
            cr.execute(sql.SQL('CREATE INDEX IF NOT EXISTS {} ON stock_move_line ({})')
                       .format(sql.Identifier('stock_move_line_%s_index' % column),
                               sql.Identifier(column)))
        cr.execute("CREATE INDEX IF NOT EXISTS stock_move_line_lot_done_date_index "
                   "ON stock_move_line (lot_id, date) WHERE state = 'done'")
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
        with their origin; refuse blocked and rejected lots on deliveries, and lots that
        need a confirmation without one. After the moves, record the confirmed lots in
        the chatter, give serials their batch and check that single-lot locations still
        hold one lot per product."""
        self._check_serial_batches()
        self._create_receipt_lots()
        issues = self.filtered(lambda line: float_compare(
            line.qty_done, 0, precision_rounding=line.product_uom_id.rounding) > 0
        )._get_delivery_lot_issues()
        self._check_delivery_lots_refused(issues)
        confirmations = self._check_delivery_lots_confirmed(issues)
        # read before: lines without done quantity are deleted by Odoo
        into_single_lot = any(line.location_dest_id.single_lot for line in self)
        result = super(StockMoveLine, self)._action_done()
        self._post_delivery_lot_confirmations(issues, confirmations)
        self.exists()._record_serial_batches()
        self.exists()._record_lot_origin()
        if into_single_lot:
            self.env['stock.quant']._check_single_lot_locations()
        return result

    @api.multi
    def _get_delivery_lot_issues(self):
        """What speaks against each lot these lines ship (lines of moves that deliver,
        see ``stock.move._is_lot_checked_delivery``).

        Expiry and shelf life are judged at the later of now and the scheduled date.

        :return: list of dicts ``move_line``, ``severity`` (``refuse`` / ``confirm``),
            ``reason``, one per line and issue
        """
        now = fields.Datetime.now()
        issues = []
        lines = self.filtered('lot_id')
        for move in lines.mapped('move_id'):
            if not move._is_lot_checked_delivery():
                continue
            move_lines = lines.filtered(lambda line, move=move: line.move_id == move)
            date = max(now, move.date_expected or now)
            lot_issues = move._get_lot_issues(move_lines.mapped('lot_id'), date=date)
            quarantine_ids = (move._get_skipped_quarantine_location_ids()
                              if move._applies_lot_rules() else set())
            for line in move_lines:
                line_issues = list(lot_issues.get(line.lot_id.id, []))
                if line.location_id.id in quarantine_ids:
                    line_issues.append(('confirm', _(
                        'taken from quarantine location %(location)s') % {
                            'location': line.location_id.display_name}))
                for severity, reason in line_issues:
                    issues.append({'move_line': line, 'severity': severity,
                                   'reason': reason})
        return issues

    @api.model
    def _get_issue_list(self, issues):
        """The operations of ``issues`` and one text line per issue."""
        lines = self.browse()
        for issue in issues:
            lines |= issue['move_line']
        operations = ', '.join(sorted(set(
            line.picking_id.name or line.move_id.reference or line.move_id.name
            for line in lines)))
        return operations, '\n'.join(_('- lot %(lot)s of %(product)s: %(reason)s') % {
            'lot': issue['move_line'].lot_id.name,
            'product': issue['move_line'].product_id.display_name,
            'reason': issue['reason']} for issue in issues)

    @api.model
    def _check_delivery_lots_refused(self, issues):
        """Refuse to deliver blocked or quality-rejected lots, naming each of them."""
        refused = [issue for issue in issues if issue['severity'] == 'refuse']
        if refused:
            operations, lots = self._get_issue_list(refused)
            raise UserError(_(
                'Delivery %(picking)s cannot ship these lots; choose other lots, or ask a '
                'lot manager to release them:\n%(lots)s') % {
                    'picking': operations, 'lots': lots})

    @api.model
    def _check_delivery_lots_confirmed(self, issues):
        """Refuse to deliver lots that need a confirmation (expired, not released,
        against the customer's rules, from quarantine) without one.

        :return: the confirmations, as ``stock.lot.delivery.confirm.line._get_confirmations``
        """
        confirmations, missing = self._get_delivery_lot_confirmations(issues)
        if missing:
            operations, lots = self._get_issue_list(missing)
            raise UserError(_(
                'Delivery %(picking)s ships lots that automatic reservation would not have '
                'chosen. Validate the delivery from its form to confirm them (Deliver '
                'anyway), or choose other lots:\n%(lots)s') % {
                    'picking': operations, 'lots': lots})
        return confirmations

    @api.model
    def _get_delivery_lot_confirmations(self, issues):
        """The confirmations given for the ``confirm`` issues of ``issues``.

        :return: ``(confirmations, missing)``: ``{issue key: users who confirmed}``
            (see ``stock.lot.delivery.confirm.line._get_confirmations``) and the list of
            the issues that no confirmation covers
        """
        confirm_line_model = self.env['stock.lot.delivery.confirm.line']
        confirm = [issue for issue in issues if issue['severity'] == 'confirm']
        confirmations = confirm_line_model._get_confirmations(confirm)
        missing = [issue for issue in confirm
                   if confirm_line_model._get_issue_key(issue) not in confirmations]
        return confirmations, missing

    @api.model
    def _post_delivery_lot_confirmations(self, issues, confirmations):
        """Record in the chatter of each delivery (of the lot for a move without one)
        who confirmed which lot and why, once the lots are shipped."""
        confirm = [issue for issue in issues if issue['severity'] == 'confirm']
        if not confirm:
            return
        wizard_model = self.env['stock.lot.delivery.confirm']
        line_model = self.env['stock.lot.delivery.confirm.line']
        by_record = {}
        for issue in confirm:
            line = issue['move_line']
            record = line.picking_id or line.lot_id
            by_record.setdefault(record, []).append(issue)
        for record, record_issues in by_record.items():
            users = self.env['res.users']
            for issue in record_issues:
                users |= confirmations[line_model._get_issue_key(issue)]
            record.message_post(
                body=wizard_model._get_confirmation_message(record_issues, users))

    @api.multi
    def _record_serial_batches(self):
        """Serials without batch take the batch entered on the receipt (the receipt line
        records it: see ``stock.production.lot._is_batch_recorded``); every serial move
        records it."""
        for line in self.filtered(
                lambda line: line.lot_id and line.product_id.tracking == 'serial'):
            serial = line.lot_id
            if line.batch_lot_id and not serial.batch_lot_id:
                serial.batch_lot_id = line.batch_lot_id
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
                # as the user who records the production: the lot's rules apply
                line.lot_id.write({'component_lot_ids': [(4, lot.id) for lot in new]})

    @api.multi
    def _record_lot_origin(self):
        """Give the lots received by these done lines the supplier and purchase order of
        the receipt where they have none, however the lot was entered (typed, chosen or
        created from the line): the backward trace starts there."""
        for line in self.filtered(
                lambda line: line.lot_id and line.location_id.usage == 'supplier'):
            lot = line.lot_id
            vals = {name: value for name, value in self._prepare_lot_origin_vals(
                line.move_id).items() if not lot[name]}
            if vals:
                lot.write(vals)

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
        if self.batch_lot_id and self.product_id.tracking == 'serial':
            vals['batch_lot_id'] = self.batch_lot_id.id
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

    # Traceability -------------------------------------------------------------------------
    @api.multi
    def _get_partner_summary(self, usage):
        """What these done lines took to (``usage`` ``'customer'``) or brought from
        (``'supplier'``) partners, per commercial partner and lot, net of returns.

        A delivery to a customer or a receipt from a supplier counts in, a customer
        return or a vendor return counts out. The document references (sales and purchase
        orders, invoices) are read as superuser once the user's right to read the move
        lines is checked: they belong to the lot's story whatever the sales or invoicing
        rights of who traces it. Runs in a fixed number of queries whatever the number of
        lines: one grouped query (:meth:`_read_partner_summary_rows`), then the records of
        all entries read together.

        :return: list of dicts ``partner`` (commercial partner), ``lot``, ``quantity``
            (in the product's unit), ``date_first``, ``date_last``, ``pickings``,
            ``orders`` (sales or purchase orders), ``invoices`` (validated customer
            invoices and credit notes of the sales order lines), sorted by partner name
            and lot name
        """
        self.check_access_rights('read')
        self.check_access_rule('read')
        rows = self._read_partner_summary_rows(usage)
        order_model = self._trace_order_model(usage)._name
        # records made once per entry; those of a model are read together when first used
        prefetch = defaultdict(set)
        for row in rows:
            prefetch['res.partner'].add(row['partner_id'])
            prefetch['stock.production.lot'].add(row['lot_id'])
            prefetch['stock.picking'].update(row['picking_ids'])
            prefetch[order_model].update(row['order_ids'])
            prefetch['account.invoice'].update(row['invoice_ids'])
        prefetch['res.partner'].discard(None)
        env = self.env

        def records(model, ids):
            return env[model].browse(ids).with_prefetch(prefetch)
        result = []
        for row in rows:
            result.append({
                'partner': records('res.partner', row['partner_id'] or []),
                'lot': records('stock.production.lot', row['lot_id']),
                'quantity': row['quantity'],
                'date_first': fields.Datetime.to_string(
                    fields.Datetime.from_string(row['date_first'])),
                'date_last': fields.Datetime.to_string(
                    fields.Datetime.from_string(row['date_last'])),
                'pickings': records('stock.picking', row['picking_ids']),
                'orders': records(order_model, row['order_ids']),
                'invoices': records('account.invoice', row['invoice_ids']),
            })
        # rows come in the order of their first line: entries of the same names stay so
        return sorted(result, key=lambda entry: (entry['partner'].name or '',
                                                 entry['lot'].name or ''))

    @api.multi
    def _read_partner_summary_rows(self, usage):
        """The partner summary of these lines by one grouped query (no access check: see
        :meth:`_get_partner_summary`), per commercial partner and lot.

        Done lines with a lot that enter or leave a location of ``usage`` count; the
        partner is the transfer's, else the move's, else the purchase order's. Quantities
        are converted to the product's unit as ``product.uom._compute_quantity`` does (the
        units' factors, then rounded up to the product unit's rounding, line by line) and
        added in the lines' order (date, id).

        :return: list of dicts ``partner_id`` (commercial partner, None without
            partner), ``lot_id``, ``quantity``, ``date_first``, ``date_last``,
            ``picking_ids``, ``order_ids`` (sales orders for customers, purchase orders
            for suppliers), ``invoice_ids`` (validated invoices and credit notes of the
            sales order lines; customers only), ids sorted; rows in the order of their
            first line
        """
        if not self:
            return []
        customer = usage == 'customer'
        # float8 arithmetic, as Python's: the quantity, then float_round(..., 'UP')
        self.env.cr.execute("""
            WITH traced AS (
                SELECT line.id, line.date, line.lot_id, line.picking_id,
                       (SELECT partner.commercial_partner_id FROM res_partner partner
                         WHERE partner.id = COALESCE(
                             picking.partner_id, move.partner_id,
                             (SELECT purchase.partner_id
                                FROM purchase_order_line purchase_line
                                JOIN purchase_order purchase
                                  ON purchase.id = purchase_line.order_id
                               WHERE purchase_line.id = move.purchase_line_id))
                       ) AS partner_id,
                       CASE WHEN destination.usage = %(usage)s THEN %(sign)s
                            ELSE -%(sign)s END
                       * CASE WHEN line.product_uom_id = template.uom_id
                                   THEN line.qty_done::float8
                              ELSE converted.rounded END AS quantity,
                       CASE WHEN %(customer)s
                            THEN (SELECT sale_line.order_id FROM sale_order_line sale_line
                                   WHERE sale_line.id = move.sale_line_id)
                            ELSE (SELECT purchase_line.order_id
                                    FROM purchase_order_line purchase_line
                                   WHERE purchase_line.id = move.purchase_line_id)
                       END AS order_id,
                       CASE WHEN %(customer)s THEN move.sale_line_id END AS sale_line_id,
                       ROW_NUMBER() OVER (ORDER BY line.date, line.id) AS position
                  FROM stock_move_line line
                  JOIN stock_move move ON move.id = line.move_id
                  JOIN stock_location source ON source.id = line.location_id
                  JOIN stock_location destination ON destination.id = line.location_dest_id
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN product_uom line_uom ON line_uom.id = line.product_uom_id
                  JOIN product_uom product_uom ON product_uom.id = template.uom_id
                  LEFT JOIN stock_picking picking ON picking.id = line.picking_id
                  CROSS JOIN LATERAL (
                      SELECT line.qty_done::float8 / line_uom.factor::float8
                             * product_uom.factor::float8 / product_uom.rounding::float8
                             AS normalized
                  ) unit
                  CROSS JOIN LATERAL (
                      SELECT CASE WHEN unit.normalized = 0 THEN 0.0::float8
                                  ELSE SIGN(unit.normalized)
                                       * CEIL(ABS(unit.normalized) - POWER(
                                           2.0::float8,
                                           LN(ABS(unit.normalized)) / LN(2.0::float8) - 53))
                                       * product_uom.rounding::float8 END AS rounded
                  ) converted
                 WHERE line.id IN %(ids)s AND line.state = 'done'
                   AND line.lot_id IS NOT NULL
                   AND %(usage)s IN (source.usage, destination.usage)
            ), summary AS (
                SELECT partner_id, lot_id, SUM(quantity ORDER BY position) AS quantity,
                       MIN(date) AS date_first, MAX(date) AS date_last,
                       ARRAY_AGG(DISTINCT picking_id) FILTER (WHERE picking_id IS NOT NULL)
                           AS picking_ids,
                       ARRAY_AGG(DISTINCT order_id) FILTER (WHERE order_id IS NOT NULL)
                           AS order_ids,
                       ARRAY_AGG(DISTINCT sale_line_id)
                           FILTER (WHERE sale_line_id IS NOT NULL) AS sale_line_ids,
                       MIN(position) AS position
                  FROM traced
                 GROUP BY partner_id, lot_id
            )
            SELECT partner_id, lot_id, quantity, date_first, date_last,
                   COALESCE(picking_ids, '{}') AS picking_ids,
                   COALESCE(order_ids, '{}') AS order_ids,
                   ARRAY(SELECT DISTINCT invoice.id
                           FROM sale_order_line_invoice_rel rel
                           JOIN account_invoice_line invoice_line
                             ON invoice_line.id = rel.invoice_line_id
                           JOIN account_invoice invoice
                             ON invoice.id = invoice_line.invoice_id
                          WHERE rel.order_line_id = ANY(summary.sale_line_ids)
                            AND invoice.state IN ('open', 'paid')
                          ORDER BY invoice.id) AS invoice_ids
              FROM summary
             ORDER BY position
        """, {'ids': tuple(self.ids), 'usage': usage, 'customer': customer,
              'sign': 1.0 if customer else -1.0})
        return self.env.cr.dictfetchall()

    @api.model
    def _trace_order_model(self, usage):
        return self.env['sale.order' if usage == 'customer' else 'purchase.order']

    @api.multi
    def _get_traced_lots(self):
        """The lots of these lines in the order of their first line, by one query:
        ``mapped('lot_id')`` would read every column of every line, which made most of
        the time of opening a recall of a long history."""
        self.check_access_rights('read')
        self.check_access_rule('read')
        lot_model = self.env['stock.production.lot']
        if not self:
            return lot_model
        self.env.cr.execute("""
            SELECT line.lot_id
              FROM unnest(%s) WITH ORDINALITY AS traced (id, position)
              JOIN stock_move_line line ON line.id = traced.id
             WHERE line.lot_id IS NOT NULL
             GROUP BY line.lot_id
             ORDER BY MIN(traced.position)
        """, (list(self.ids),))
        return lot_model.browse([row[0] for row in self.env.cr.fetchall()])

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
