# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from .stock_move_line import foreign_overrides
from .stock_quant import BULK_RESERVE_MODULES


class StockMove(models.Model):
    _inherit = 'stock.move'

    # Lot rules of the destination customer (FEFO reservation) ------------------------

    @api.multi
    def action_open_lot_reservation_info(self):
        """Open "Why not this lot?" for this move: the lots of its product in its source
        location, and why automatic reservation skips each of them."""
        self.ensure_one()
        return self.env['stock.lot.reservation.info']._open_for_moves(self)

    @api.multi
    def _get_lot_rule_partner(self):
        """Commercial partner of the delivery address when the move (or a move it
        feeds) goes to a customer, else an empty recordset."""
        self.ensure_one()
        partner = self.picking_id.partner_id or self.partner_id
        if not partner or not self._delivers_to_customer():
            return self.env['res.partner']
        return partner.commercial_partner_id

    @api.multi
    def _delivers_to_customer(self):
        """The move, or one of the moves it feeds (multi-step deliveries), goes to a
        customer location."""
        self.ensure_one()
        moves, seen = self, self.browse()
        while moves:
            if any(move.location_dest_id.usage == 'customer' for move in moves):
                return True
            seen |= moves
            moves = moves.mapped('move_dest_ids') - seen
        return False

    @api.multi
    def _get_lot_rule(self):
        """Lot requirements of the move's customer.

        :return: dict ``{'min_shelf_life_days': int, 'min_quality_grade_id': grade record
            (maybe empty)}``; no requirement for a move that delivers no customer
        """
        self.ensure_one()
        return self.env['stock.lot.customer.rule']._get_rule(
            self._get_lot_rule_partner(), self.product_id, self.company_id)

    @api.multi
    def _is_lot_checked_delivery(self):
        """Whether validating this move delivers its lots, so that blocked and rejected
        lots are refused and the others that break a lot rule need a confirmation: a
        move of an outgoing operation or into a customer location, to which the lot
        rules apply (see :meth:`_applies_lot_rules`)."""
        self.ensure_one()
        return ((self.picking_type_id.code == 'outgoing'
                 or self.location_dest_id.usage == 'customer')
                and self._applies_lot_rules())

    @api.multi
    def _applies_lot_rules(self):
        """Whether the lot rules (expired, blocked, rejected, customer) apply to this
        move. They do not to moves that take bad stock where it belongs: returns to the
        vendor, scrap, inventory losses and transfers to a quarantine location."""
        self.ensure_one()
        destination = self.location_dest_id
        if destination.usage in ('supplier', 'inventory') or destination.scrap_location:
            return False
        return destination.id not in self.env['stock.warehouse']._get_quarantine_location_ids()

    @api.multi
    def _get_skipped_quarantine_location_ids(self):
        """Ids of the quarantine locations (and children) whose stock this move must not
        reserve: all of them, unless the move leaves a quarantine location."""
        self.ensure_one()
        location_ids = self.env['stock.warehouse']._get_quarantine_location_ids()
        if self.location_id.id in location_ids:
            return set()
        return location_ids

    @api.multi
    def _get_lot_skip_reasons(self, lots, date=None):
        """Lots of ``lots`` that automatic reservation for this move must skip.

        Set-based: a constant number of queries whatever the number of lots.

        :param lots: ``stock.production.lot`` recordset
        :param date: datetime string at which expiry and shelf life are judged; the
            move's scheduled date by default
        :return: ``{lot_id: reason}``, the reason being readable, translated text
        """
        return {lot_id: '; '.join(text for __, text in issues)
                for lot_id, issues in self._get_lot_issues(lots, date=date).items()}

    @api.multi
    def _get_lot_issues(self, lots, date=None):
        """What speaks against delivering each lot of ``lots`` with this move.

        :return: ``{lot_id: [(severity, reason), ...]}`` for the lots with issues,
            severity ``refuse`` (blocked, rejected: never delivered) or
            ``confirm`` (expired, not released, customer rule broken: delivered only
            when confirmed); a grade requirement applies only to products that track
            quality, whose lots carry grades
        """
        self.ensure_one()
        if not lots or not self._applies_lot_rules():
            return {}
        product = self.product_id
        rule = self._get_lot_rule()
        min_days = rule['min_shelf_life_days']
        # only lots of products that track quality carry grades
        min_grade = product.track_quality and rule['min_quality_grade_id']
        date = fields.Datetime.from_string(date or self.date_expected)
        check_expiry = product.use_expiration_date
        self.env.cr.execute("""
            SELECT id, life_date, blocked, block_reason, quality_state, quality_grade_id
              FROM stock_production_lot
             WHERE id IN %s
        """, (tuple(lots.ids),))
        rows = self.env.cr.fetchall()
        grades = self.env['stock.lot.quality.grade'].browse(
            list({row[5] for row in rows if row[5]}))
        grades.read(['name', 'sequence'])
        grades = {grade.id: grade for grade in grades}
        issues = {}
        for lot_id, life_date, blocked, block_reason, quality_state, grade_id in rows:
            life_date = life_date and fields.Datetime.from_string(life_date)
            lot_issues = []
            if blocked:
                lot_issues.append(('refuse', _('blocked: %(reason)s') % {
                    'reason': block_reason or _('no reason given')}))
            if quality_state == 'rejected':
                lot_issues.append(('refuse', _('quality rejected')))
            elif quality_state == 'pending' and product.quality_release_required:
                lot_issues.append(('confirm', _('quality not released yet')))
            if check_expiry and life_date:
                days_left = int(math.floor((life_date - date).total_seconds() / 86400.0))
                if life_date <= date:
                    lot_issues.append(('confirm', _('expired on %(date)s') % {
                        'date': fields.Date.to_string(life_date.date())}))
                elif days_left < min_days:
                    lot_issues.append(('confirm', _(
                        '%(days)s days left, customer requires %(min_days)s') % {
                            'days': days_left, 'min_days': min_days}))
            if min_grade:
                grade = grades.get(grade_id)
                if not grade:
                    lot_issues.append(('confirm', _(
                        'no grade, customer requires %(min_grade)s') % {
                            'min_grade': min_grade.name}))
                elif grade.sequence > min_grade.sequence:
                    lot_issues.append(('confirm', _(
                        'grade %(grade)s, customer requires %(min_grade)s') % {
                            'grade': grade.name, 'min_grade': min_grade.name}))
            if lot_issues:
                issues[lot_id] = lot_issues
        return issues

    # Reservation in bulk ---------------------------------------------------------------
    @api.multi
    def _update_reserved_quantity(self, need, available_quantity, location_id, lot_id=None,
                                  package_id=None, owner_id=None, strict=True):
        """Reserve only the stock that the lot rules let this move take, in bulk.

        When the system chooses the lots (``strict`` False), the quants are gathered
        with the move in the context (see ``stock.quant._gather``), and the quantity
        computed by ``_action_assign`` without the rules is capped to what the rules
        leave, so that the move gets partially reserved instead of not at all. A
        strict reservation takes exactly the lots an earlier step brought: they were
        chosen (and checked) when that step was reserved.

        The reservation itself goes through :meth:`_reserve_in_bulk`: the same move
        lines and reserved quants as Odoo, in time linear in the number of quants (Odoo
        11 filters all the move's lines for each quant reserved and writes the quants
        one by one). It takes Odoo's own reservation instead when another addon
        overrides what the bulk path replaces (see :meth:`_get_bulk_reservation_blockers`),
        and with the context key ``stock_reservation_one_by_one`` (used by the tests
        that compare both).
        """
        move = self
        if not strict and self.env.context.get('lot_reservation_move_id') != self.id:
            move = self.with_context(lot_reservation_move_id=self.id)
            available_quantity = min(available_quantity, move.env[
                'stock.quant']._get_available_quantity(
                    self.product_id, location_id, lot_id=lot_id, package_id=package_id,
                    owner_id=owner_id, strict=strict))
        if (self.env.context.get('stock_reservation_one_by_one')
                or self._get_bulk_reservation_blockers()):
            return super(StockMove, move)._update_reserved_quantity(
                need, available_quantity, location_id, lot_id=lot_id,
                package_id=package_id, owner_id=owner_id, strict=strict)
        return move._reserve_in_bulk(
            need, available_quantity, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)

    @api.model
    def _get_bulk_reservation_blockers(self):
        """The addons whose code the bulk reservation would skip: those overriding
        ``_update_reserved_quantity`` of moves below this addon (the bulk path does not
        call ``super()``) or the quant methods it replaces (see
        ``stock.quant._get_bulk_reservation_blockers``). Sorted names; empty when the
        bulk reservation may run. The ``create`` of move lines has a guard of its own
        (``stock.move.line._bulk_create_supported``)."""
        blockers = set(foreign_overrides(type(self), '_update_reserved_quantity',
                                         BULK_RESERVE_MODULES, below=StockMove))
        blockers.update(self.env['stock.quant']._get_bulk_reservation_blockers())
        return sorted(blockers)

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
