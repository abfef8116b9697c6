# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import _, api, fields, models


class StockMove(models.Model):
    _inherit = 'stock.move'

    # Lot rules of the destination customer (FEFO reservation) ------------------------
    # (section owned by the reservation rules work)

    @api.multi
    def action_open_lot_reservation_info(self):
        """Open "Why not this lot?" for this move: the lots of its product in its source
        location, and why automatic reservation skips each of them."""
        self.ensure_one()
        return self.env['stock.lot.reservation.info']._open_for_moves(self)

    @api.multi
    def _update_reserved_quantity(self, need, available_quantity, location_id, lot_id=None,
                                  package_id=None, owner_id=None, strict=True):
        """Reserve only the stock that the lot rules let this move take.

        When the system chooses the lots (``strict`` False), the quants are gathered
        with the move in the context (see ``stock.quant._gather``), and the quantity
        computed by ``_action_assign`` without the rules is capped to what the rules
        leave, so that the move gets partially reserved instead of not at all. A
        strict reservation takes exactly the lots an earlier step brought: they were
        chosen (and checked) when that step was reserved.
        """
        if strict or self.env.context.get('lot_reservation_move_id') == self.id:
            return super(StockMove, self)._update_reserved_quantity(
                need, available_quantity, location_id, lot_id=lot_id,
                package_id=package_id, owner_id=owner_id, strict=strict)
        move = self.with_context(lot_reservation_move_id=self.id)
        reservable_quantity = move.env['stock.quant']._get_available_quantity(
            self.product_id, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)
        return super(StockMove, move)._update_reserved_quantity(
            need, min(available_quantity, reservable_quantity), location_id, lot_id=lot_id,
            package_id=package_id, owner_id=owner_id, strict=strict)

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
            when confirmed)
        """
        self.ensure_one()
        if not lots or not self._applies_lot_rules():
            return {}
        product = self.product_id
        rule = self._get_lot_rule()
        min_days = rule['min_shelf_life_days']
        min_grade = rule['min_quality_grade_id']
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
    # (section owned by the reservation performance work)
