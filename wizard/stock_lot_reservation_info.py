# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import float_compare

from ..lib.actions import dialog_action


class StockLotReservationInfo(models.TransientModel):
    _name = 'stock.lot.reservation.info'
    _description = 'Why not this lot?'

    move_ids = fields.Many2many(
        'stock.move', string='Moves', readonly=True,
        help="Moves waiting for stock that the lots below could serve.")
    line_ids = fields.One2many(
        'stock.lot.reservation.info.line', 'info_id', string='Lots', readonly=True,
        help="Lots in the source location of each move, in reservation order, with the "
             "reason automatic reservation skips them.")

    @api.model
    def _open_for_moves(self, moves):
        """Create the explanation for ``moves`` and return the action that shows it."""
        info = self.create({'move_ids': [(6, 0, moves.ids)],
                            'line_ids': self._prepare_line_vals(moves)})
        return dialog_action(info, 'stock_lot_tracking.stock_lot_reservation_info_view_form',
                             _('Why not this lot?'))

    @api.model
    def _prepare_line_vals(self, moves):
        """One line per move, lot and location holding stock of the move's product in
        its source location, in the order automatic reservation takes them."""
        vals = []
        for move in moves:
            vals += self._prepare_move_line_vals(move)
        return vals

    @api.model
    def _prepare_move_line_vals(self, move):
        """Lines of ``move`` (see :meth:`_prepare_line_vals`)."""
        rounding = move.product_id.uom_id.rounding
        quants = self.env['stock.quant'].sudo()._gather(
            move.product_id, move.location_id).filtered(
                lambda quant: float_compare(quant.quantity, 0,
                                            precision_rounding=rounding) > 0)
        lot_reasons = move._get_lot_skip_reasons(quants.mapped('lot_id'))
        quarantine_ids = move._get_skipped_quarantine_location_ids()
        reserved_here = {}
        for line in move.move_line_ids:
            key = (line.lot_id.id, line.location_id.id)
            reserved_here[key] = reserved_here.get(key, 0.0) + line.product_qty
        keys, groups = [], {}
        for quant in quants:
            key = (quant.lot_id.id, quant.location_id.id)
            if key not in groups:
                keys.append(key)
                groups[key] = {'quant': quant, 'quantity': 0.0, 'reserved': 0.0}
            groups[key]['quantity'] += quant.quantity
            groups[key]['reserved'] += quant.reserved_quantity
        lines = []
        for sequence, key in enumerate(keys):
            group = groups[key]
            quant = group['quant']
            reasons = []
            if key[0] in lot_reasons:
                reasons.append(lot_reasons[key[0]])
            if key[1] in quarantine_ids:
                reasons.append(_('in quarantine location %(location)s') % {
                    'location': quant.location_id.display_name})
            if not reasons:
                if float_compare(reserved_here.get(key, 0.0), 0,
                                 precision_rounding=rounding) > 0:
                    reasons.append(_('reserved for this move'))
                elif float_compare(group['quantity'] - group['reserved'], 0,
                                   precision_rounding=rounding) <= 0:
                    reasons.append(_('reserved for other transfers'))
            lines.append((0, 0, {
                'sequence': sequence,
                'move_id': move.id,
                'product_id': move.product_id.id,
                'lot_id': key[0],
                'location_id': key[1],
                'quantity': group['quantity'],
                'reserved_quantity': group['reserved'],
                'reserved_here_quantity': reserved_here.get(key, 0.0),
                'product_uom_id': move.product_id.uom_id.id,
                'removal_date': quant.lot_id.removal_date,
                'life_date': quant.lot_id.life_date,
                'quality_grade_id': quant.lot_id.quality_grade_id.id,
                'reservable': not reasons,
                'reason': '; '.join(reasons) or _('reservable'),
            }))
        return lines


class StockLotReservationInfoLine(models.TransientModel):
    _name = 'stock.lot.reservation.info.line'
    _description = 'Why not this lot? (lot)'
    _order = 'info_id, move_id, sequence, id'

    info_id = fields.Many2one(
        'stock.lot.reservation.info', required=True, ondelete='cascade',
        help="Explanation this line belongs to.")
    sequence = fields.Integer(help="Order in which automatic reservation takes the stock.")
    move_id = fields.Many2one(
        'stock.move', string='Move', readonly=True, ondelete='cascade',
        help="Move waiting for stock.")
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True, help="Product of the move.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', readonly=True,
        help="Lot in stock; empty for stock without lot.")
    location_id = fields.Many2one(
        'stock.location', string='Location', readonly=True,
        help="Location holding the lot.")
    quantity = fields.Float(
        string='On Hand', digits=0, readonly=True,
        help="Quantity of the lot in the location.")
    reserved_quantity = fields.Float(
        string='Reserved', digits=0, readonly=True,
        help="Quantity of the lot in the location reserved by any transfer, this one "
             "included.")
    reserved_here_quantity = fields.Float(
        string='Reserved Here', digits=0, readonly=True,
        help="Quantity of the lot in the location reserved by this move.")
    product_uom_id = fields.Many2one(
        'product.uom', string='Unit of Measure', readonly=True,
        help="Unit of measure of the quantities.")
    removal_date = fields.Datetime(
        readonly=True, help="Removal date of the lot: FEFO reserves by it.")
    life_date = fields.Datetime(
        string='Expiration Date', readonly=True, help="Expiration date of the lot.")
    quality_grade_id = fields.Many2one(
        'stock.lot.quality.grade', string='Grade', readonly=True,
        help="Quality grade of the lot.")
    reservable = fields.Boolean(
        readonly=True,
        help="Automatic reservation of the move may take this lot.")
    reason = fields.Char(
        readonly=True,
        help="Why automatic reservation skips the lot, or \"reservable\".")
