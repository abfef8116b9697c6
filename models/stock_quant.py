# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

import psycopg2
from psycopg2 import errorcodes, sql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from ..lib import single_lot_guard

SINGLE_LOT_CONSTRAINT = single_lot_guard.CONSTRAINT
# "Key (product_id, location_id, lot_id)=(5, 12, 7) conflicts with existing key
# (...)=(5, 12, 8)."
SINGLE_LOT_DETAIL = re.compile(r'=\((\d+), (\d+), (\d+)\) conflicts with existing key '
                               r'\([^)]*\)=\((\d+), (\d+), (\d+)\)')


class StockQuant(models.Model):
    _inherit = 'stock.quant'

    # Indexes of the reservation (Odoo 11 indexes none of these columns):
    # - product_id: every reservation, availability check and stock move gathers the
    #   quants of one product (``_gather``); without it each of them reads the table;
    # - location_id: the same gathers restrict to a location (``child_of`` becomes
    #   ``location_id IN (...)``); also used by the location's stock views;
    # - lot_id: lot-specific gathers (chained moves, move lines edited or done with a
    #   lot), and the recomputation of the stored ``removal_date`` of the quants of a
    #   lot whose dates change (searched by lot).
    product_id = fields.Many2one(index=True)
    location_id = fields.Many2one(index=True)
    lot_id = fields.Many2one(index=True)

    # One lot per product in single-lot locations ------------------------------------
    single_lot = fields.Boolean(
        compute='_compute_single_lot', store=True,
        help="The quant is a lot-tracked product in a location that holds one lot per "
             "product: the database refuses a second lot of the product there.")

    @api.depends('location_id.single_lot', 'product_id.tracking')
    def _compute_single_lot(self):
        for quant in self:
            quant.single_lot = (quant.location_id.single_lot
                                and quant.product_id.tracking == 'lot')

    @api.model_cr
    def init(self):
        """The database rule: in a single-lot location, the quants of a product with a
        positive quantity all carry the same lot (an exclusion constraint, or a
        constraint trigger where the role may not create ``btree_gist``, see
        :mod:`..lib.single_lot_guard`).

        Deferred to the end of the transaction, so that a lot may leave and another
        enter within one transaction; :meth:`_check_single_lot_locations` checks it
        earlier to give the operator a readable message.
        """
        result = super(StockQuant, self).init()
        single_lot_guard.install(self.env.cr)
        return result

    def _register_hook(self):
        """A violation detected only at commit (quants changed outside a stock move)
        reaches RPC clients with this message instead of the raw database error."""
        self.pool._sql_error[SINGLE_LOT_CONSTRAINT] = (
            'A location that holds one lot per product would hold two lots of the same '
            'product. Move the first lot out before putting another lot in.')
        return super(StockQuant, self)._register_hook()

    @api.model
    def _check_single_lot_locations(self):
        """Check the one-lot-per-location rule now instead of at commit.

        Waits for concurrent transactions that put stock in the same place, and raises a
        ValidationError naming the product, the location and both lots when the rule is
        broken.
        """
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute("SET CONSTRAINTS stock_quant_single_lot_excl IMMEDIATE",
                           log_exceptions=False)
                cr.execute("SET CONSTRAINTS stock_quant_single_lot_excl DEFERRED")
        except psycopg2.IntegrityError as error:
            if (error.pgcode != errorcodes.EXCLUSION_VIOLATION
                    or error.diag.constraint_name != SINGLE_LOT_CONSTRAINT):
                raise
            raise ValidationError(self._single_lot_error_message(error.diag.message_detail))

    @api.model
    def _single_lot_error_message(self, detail):
        """The operator's message for an exclusion violation ``detail`` of the rule."""
        match = SINGLE_LOT_DETAIL.search(detail or '')
        if not match:
            return _('A location that holds one lot per product would hold two lots of '
                     'the same product. Move the first lot out before putting another '
                     'lot in. (%s)') % (detail or '')
        product_id, location_id, lot_id, __, __, other_lot_id = map(int, match.groups())
        names = self._single_lot_record_names(product_id, location_id, [lot_id, other_lot_id])
        return _('Location %s holds one lot per product: it already holds lot %s of product '
                 '%s, so lot %s cannot be put there. Move lot %s out first, or choose '
                 'another location for lot %s.') % (
            names['location'], names['lots'][other_lot_id], names['product'],
            names['lots'][lot_id], names['lots'][other_lot_id], names['lots'][lot_id])

    @api.model
    def _single_lot_record_names(self, product_id, location_id, lot_ids):
        """Names of the records of a conflict, read in a fresh transaction when needed.

        A lot committed by a concurrent transaction may be invisible to this one
        (repeatable read): its name is then read through a new cursor.
        """
        def read_names(env):
            lots = env['stock.production.lot'].sudo().browse(lot_ids).exists()
            return {
                'product': env['product.product'].sudo().browse(product_id).display_name,
                'location': env['stock.location'].sudo().browse(location_id).display_name,
                'lots': {lot.id: lot.name for lot in lots},
            }
        names = read_names(self.env)
        if len(names['lots']) < len(set(lot_ids)):
            cr = self.pool.cursor()
            try:
                other = read_names(api.Environment(cr, self.env.uid, self.env.context))
                other['lots'].update(names['lots'])
                names = other
            finally:
                cr.close()
        for lot_id in lot_ids:
            names['lots'].setdefault(lot_id, '#%d' % lot_id)
        return names

    @api.multi
    def _lock_for_lot_change(self):
        """Lock the quants whose lot changes until the end of the transaction.

        A reservation made meanwhile by another user waits, so the reserved quantity read
        next stays true until the lot change is posted.
        """
        if not self.ids:
            return
        self.env.cr.execute('SELECT id FROM stock_quant WHERE id IN %s FOR UPDATE',
                            (tuple(self.ids),))
        self.invalidate_cache(['quantity', 'reserved_quantity'], self.ids)

    # FEFO reservation by lot rules ---------------------------------------------------
    @api.model
    def _get_removal_strategy(self, product_id, location_id):
        """Products with FEFO reserve by removal date whatever the removal strategy of
        their category or location."""
        if product_id.use_fefo:
            return 'fefo'
        return super(StockQuant, self)._get_removal_strategy(product_id, location_id)

    @api.model
    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False):
        """With ``lot_reservation_move_id`` in the context (automatic reservation of
        that move), leave out the quants in quarantine locations and those whose lot the
        move must skip; the order (removal strategy) is kept."""
        quants = super(StockQuant, self)._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)
        move_id = self.env.context.get('lot_reservation_move_id')
        if not move_id or not quants:
            return quants
        return quants._filter_reservable(self.env['stock.move'].browse(move_id))

    @api.multi
    def _filter_reservable(self, move):
        """The quants of ``self`` that automatic reservation of ``move`` may take, in
        the same order. A constant number of queries whatever the number of quants."""
        skipped_location_ids = move._get_skipped_quarantine_location_ids()
        self.env.cr.execute('SELECT id, location_id, lot_id FROM stock_quant WHERE id IN %s',
                            (tuple(self.ids),))
        places = {quant_id: (location_id, lot_id)
                  for quant_id, location_id, lot_id in self.env.cr.fetchall()}
        lots = self.env['stock.production.lot'].browse(
            list({lot_id for __, lot_id in places.values() if lot_id}))
        skipped_lot_ids = move._get_lot_skip_reasons(lots) if lots else {}
        return self.browse([
            quant_id for quant_id in self.ids
            if places[quant_id][0] not in skipped_location_ids
            and places[quant_id][1] not in skipped_lot_ids])

    # Reservation in bulk -----------------------------------------------------------------
    @api.model
    def _reserve_quants_in_bulk(self, product_id, location_id, quantity, lot_id=None,
                                package_id=None, owner_id=None, strict=False):
        """Reserve ``quantity`` (> 0, product unit) on the quants ``_gather`` returns, in
        its order, as ``_update_reserved_quantity`` does for a positive quantity, with a
        constant number of queries.

        The quants chosen are locked (SELECT ... FOR UPDATE) and re-read before they are
        written, so that two users reserving the same stock cannot both take it: the
        second waits for the first, then works on what the first left (or gets the
        serialization error the ORM's write would give, and is retried). The reserved
        quantities are written with one UPDATE ... FROM (VALUES ...).

        :return: list of (quant, quantity reserved on it)
        :raise UserError: as Odoo does when ``quantity`` exceeds what is available
        """
        self = self.sudo()
        quants = self._gather(product_id, location_id, lot_id=lot_id, package_id=package_id,
                              owner_id=owner_id, strict=strict)
        # current values, read in one query per 1,000 quants and replaced by the values
        # read under lock for the quants to reserve
        values = {quant.id: (quant.quantity, quant.reserved_quantity, quant.lot_id.id)
                  for quant in quants}
        locked = set()
        while True:
            plan = self._plan_reservation(product_id, quants, values, quantity)
            to_lock = [quant.id for quant, __ in plan if quant.id not in locked]
            if not to_lock:
                break
            fresh = self._lock_for_reservation(to_lock)
            locked.update(to_lock)
            changed = any(fresh[quant_id] != values[quant_id][:2] for quant_id in to_lock)
            for quant_id, (qty, reserved) in fresh.items():
                values[quant_id] = (qty, reserved, values[quant_id][2])
            if not changed:
                break
        self._write_reserved_quantities(
            [(quant.id, values[quant.id][1] + taken) for quant, taken in plan])
        return plan

    @api.model
    def _plan_reservation(self, product_id, quants, values, quantity):
        """Where ``_update_reserved_quantity`` would reserve ``quantity`` on ``quants``
        whose (quantity, reserved quantity, lot id) are ``values``: same availability
        check (per lot, as ``_get_available_quantity``), same order, same rounding."""
        rounding = product_id.uom_id.rounding
        if product_id.tracking == 'none':
            available = sum(qty - reserved for qty, reserved, __ in values.values())
            if float_compare(available, 0.0, precision_rounding=rounding) < 0:
                available = 0.0
        else:
            by_lot = {}
            for qty, reserved, lot in values.values():
                by_lot[lot] = by_lot.get(lot, 0.0) + qty - reserved
            available = sum(value for value in by_lot.values()
                            if float_compare(value, 0, precision_rounding=rounding) > 0)
        if float_compare(quantity, available, precision_rounding=rounding) > 0:
            raise UserError(_('It is not possible to reserve more products of %(product)s '
                              'than you have in stock.')
                            % {'product': product_id.display_name})
        plan = []
        for quant in quants:
            qty, reserved = values[quant.id][:2]
            free = qty - reserved
            if float_compare(free, 0, precision_rounding=rounding) <= 0:
                continue
            taken = min(free, quantity)
            plan.append((quant, taken))
            quantity -= taken
            available -= taken
            if (float_is_zero(quantity, precision_rounding=rounding)
                    or float_is_zero(available, precision_rounding=rounding)):
                break
        return plan

    @api.model
    def _lock_for_reservation(self, quant_ids):
        """Lock the quants ``quant_ids`` until the end of the transaction.

        :return: {quant id: (quantity, reserved quantity)} as read under the lock
        """
        result = {}
        for chunk in self.env.cr.split_for_in_conditions(sorted(quant_ids)):
            self.env.cr.execute("""
                SELECT id, quantity, reserved_quantity FROM stock_quant
                WHERE id IN %s ORDER BY id FOR UPDATE
            """, (chunk,))
            result.update((row[0], (row[1], row[2])) for row in self.env.cr.fetchall())
        return result

    @api.model
    def _write_reserved_quantities(self, rows):
        """Set the reserved quantity of quants from rows (quant id, reserved quantity), one
        UPDATE per 1,000 quants, then invalidate the cache and notify the ORM as a write
        of ``reserved_quantity`` would."""
        if not rows:
            return
        cr = self.env.cr
        row_sql = sql.SQL('(%s, %s::{})').format(
            sql.SQL(self._fields['reserved_quantity'].column_type[1]))
        for chunk in cr.split_for_in_conditions(rows):
            cr.execute(sql.SQL("""
                UPDATE stock_quant AS quant
                SET reserved_quantity = new.reserved_quantity, write_uid = %s,
                    write_date = (now() at time zone 'UTC')
                FROM (VALUES {}) AS new (id, reserved_quantity)
                WHERE quant.id = new.id
            """).format(sql.SQL(', ').join(row_sql for __ in chunk)),
                       [self.env.uid] + [value for row in chunk for value in row])
        quants = self.browse([row[0] for row in rows])
        quants.invalidate_cache(['reserved_quantity', 'write_uid', 'write_date'], quants.ids)
        quants.modified(['reserved_quantity', 'write_uid', 'write_date'])
        quants._validate_fields(['reserved_quantity'])
