# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    show_restock_lots = fields.Boolean(
        compute='_compute_show_restock_lots',
        help="The receipt has lot-tracked products whose lots can be entered.")

    @api.depends('picking_type_code', 'state', 'move_lines.product_id')
    def _compute_show_restock_lots(self):
        for picking in self:
            picking.show_restock_lots = (picking.picking_type_code == 'incoming'
                                         and picking.state not in ('done', 'cancel')
                                         and bool(picking._get_restock_moves()))

    @api.multi
    def button_validate(self):
        """From the receipt form (context ``restock_lot_entry``), a receipt whose
        lot-tracked products miss lots opens the lot entry instead of Odoo's generic
        error. Other callers (RPC, other addons) keep Odoo's behaviour."""
        self.ensure_one()
        context = self.env.context
        if (context.get('restock_lot_entry') and not context.get('skip_restock_wizard')
                and self._needs_restock_wizard()):
            return self.action_open_restock_wizard()
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
        view = self.env.ref('stock_lot_tracking.stock_lot_restock_view_form')
        return {
            'name': _('Enter Lots'),
            'type': 'ir.actions.act_window',
            'view_type': 'form',
            'view_mode': 'form',
            'res_model': 'stock.lot.restock',
            'views': [(view.id, 'form')],
            'view_id': view.id,
            'target': 'new',
            'res_id': wizard.id,
            'context': self.env.context,
        }

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
