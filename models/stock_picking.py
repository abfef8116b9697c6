# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..lib.actions import dialog_action


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    show_restock_lots = fields.Boolean(
        compute='_compute_show_restock_lots',
        help="The receipt has lot-tracked products whose lots can be entered.")

    show_lot_reservation_info = fields.Boolean(
        compute='_compute_show_lot_reservation_info',
        help="The transfer waits for lot-tracked products that are not fully reserved: "
             "\"Why not this lot?\" explains which lots were skipped.")

    @api.depends('picking_type_code', 'state', 'move_lines.product_id')
    def _compute_show_restock_lots(self):
        for picking in self:
            picking.show_restock_lots = (picking.picking_type_code == 'incoming'
                                         and picking.state not in ('done', 'cancel')
                                         and bool(picking._get_restock_moves()))

    @api.depends('picking_type_code', 'state', 'move_lines.state',
                 'move_lines.product_id')
    def _compute_show_lot_reservation_info(self):
        for picking in self:
            picking.show_lot_reservation_info = (
                picking.state not in ('draft', 'done', 'cancel')
                and bool(picking._get_lot_waiting_moves()))

    @api.multi
    def button_validate(self):
        """From the receipt form (context ``restock_lot_entry``), a receipt whose
        lot-tracked products miss lots opens the lot entry instead of Odoo's generic
        error. Other callers (RPC, other addons) keep Odoo's behaviour.

        A delivery refuses blocked and quality-rejected lots, and asks for confirmation
        before delivering expired lots or lots that break the customer's rules (unless
        confirmed already: context ``lot_delivery_confirmed``)."""
        self.ensure_one()
        context = self.env.context
        if (context.get('restock_lot_entry') and not context.get('skip_restock_wizard')
                and self._needs_restock_wizard()):
            return self.action_open_restock_wizard()
        if self.picking_type_code == 'outgoing':
            issues = self._get_delivery_lot_issues()
            self._check_delivery_lots_refused(issues)
            if issues and not context.get('lot_delivery_confirmed'):
                return self.action_open_lot_delivery_confirm(issues)
        return super(StockPicking, self).button_validate()

    @api.multi
    def action_open_restock_wizard(self):
        """Open the lot entry of this receipt, one line per lot-tracked move."""
        self.ensure_one()
        if self.picking_type_code != 'incoming':
            raise UserError(_('Lots are entered this way on receipts only; %s is not a '
                              'receipt.') % self.name)
        if self.state in ('done', 'cancel'):
            raise UserError(_('Receipt %s is already %s: its lots cannot be entered any '
                              'more.') % (self.name, self.state))
        if not self._get_restock_moves():
            raise UserError(_('Receipt %s has no product tracked by lot.') % self.name)
        wizard_model = self.env['stock.lot.restock']
        wizard = wizard_model.create(wizard_model._prepare_wizard_vals(self))
        return wizard._get_action()

    @api.multi
    def _get_restock_moves(self):
        """Moves of the receipt whose product is tracked by lot and still to receive."""
        return self.mapped('move_lines').filtered(
            lambda move: move.product_id.tracking == 'lot'
            and move.state not in ('done', 'cancel'))

    @api.multi
    def _needs_restock_wizard(self):
        """Whether validating would stop on a lot-tracked product without lot.

        Mirrors the lines that Odoo checks: the lines with a done quantity if there are
        any, else every line (all of them will be done).
        """
        self.ensure_one()
        picking_type = self.picking_type_id
        if self.picking_type_code != 'incoming' or not (
                picking_type.use_create_lots or picking_type.use_existing_lots):
            return False
        moves = self._get_restock_moves()
        if not moves:
            return False
        lines = self.move_line_ids
        done_lines = lines.filtered(lambda line: not float_is_zero(
            line.qty_done, precision_rounding=line.product_uom_id.rounding))
        if done_lines:
            return any(not line.lot_id and not line.lot_name
                       for line in done_lines if line.move_id in moves)
        return any(not move.move_line_ids
                   or any(not line.lot_id and not line.lot_name
                          for line in move.move_line_ids)
                   for move in moves)

    @api.multi
    def action_open_lot_delivery_confirm(self, issues=None):
        """Open the confirmation of a delivery that uses expired or rule-breaking lots."""
        self.ensure_one()
        if issues is None:
            issues = self._get_delivery_lot_issues()
        wizard_model = self.env['stock.lot.delivery.confirm']
        wizard = wizard_model.create(wizard_model._prepare_wizard_vals(self, issues))
        return dialog_action(wizard, 'stock_lot_tracking.stock_lot_delivery_confirm_view_form',
                             _('Deliver These Lots?'))

    @api.multi
    def action_open_lot_reservation_info(self):
        """Open "Why not this lot?" for the moves of the transfer that wait for stock."""
        self.ensure_one()
        moves = self._get_lot_waiting_moves()
        if not moves:
            raise UserError(_('Transfer %(picking)s waits for no lot-tracked product: '
                              'every lot-tracked move is reserved or done.')
                            % {'picking': self.name})
        return self.env['stock.lot.reservation.info']._open_for_moves(moves)

    @api.multi
    def _get_lot_waiting_moves(self):
        """Moves of lot- or serial-tracked products that are not fully reserved."""
        return self.mapped('move_lines').filtered(
            lambda move: move.product_id.tracking != 'none'
            and move.state in ('confirmed', 'partially_available'))

    @api.multi
    def _get_delivery_lines_to_check(self):
        """Lines that validation will deliver: those with a done quantity if there are
        any, else every line (Odoo then delivers everything reserved)."""
        self.ensure_one()
        lines = self.move_line_ids.filtered('lot_id')
        done_lines = lines.filtered(lambda line: not float_is_zero(
            line.qty_done, precision_rounding=line.product_uom_id.rounding))
        return done_lines or lines

    @api.multi
    def _get_delivery_lot_issues(self):
        """What speaks against each lot the delivery is about to ship.

        Expiry and shelf life are judged at the later of now and the scheduled date.

        :return: list of dicts ``move_line``, ``severity`` (``refuse`` / ``confirm``),
            ``reason``, one per line and issue
        """
        self.ensure_one()
        now = fields.Datetime.now()
        issues = []
        lines = self._get_delivery_lines_to_check()
        for move in lines.mapped('move_id'):
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

    @api.multi
    def _check_delivery_lots_refused(self, issues):
        """Refuse to deliver blocked or quality-rejected lots, naming each of them."""
        refused = [issue for issue in issues if issue['severity'] == 'refuse']
        if refused:
            raise UserError(_(
                'Delivery %(picking)s cannot ship these lots; choose other lots, or ask a '
                'lot manager to release them:\n%(lots)s') % {
                    'picking': self.name,
                    'lots': '\n'.join(_('- lot %(lot)s of %(product)s: %(reason)s') % {
                        'lot': issue['move_line'].lot_id.name,
                        'product': issue['move_line'].product_id.display_name,
                        'reason': issue['reason']} for issue in refused)})
