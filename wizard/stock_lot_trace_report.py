# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# report direction -> trace_move_lines direction and the partners it summarises
TRACE_SIDES = {
    'forward': ('downstream', 'customer'),
    'backward': ('upstream', 'supplier'),
}


class StockLotTraceReport(models.TransientModel):
    """Lot Traceability report: the lots to trace, the direction and the detail; the
    summary per partner and lot is kept in ``line_ids`` for list, pivot, export and
    PDF, the movement lines are shown from the lot history."""

    _name = 'stock.lot.trace.report'
    _description = 'Lot Traceability Report'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots',
        help="Lots to trace. Leave empty to choose them by supplier lot code or by "
             "product and production dates.")
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier',
        help="With the supplier lot code: the lots of this supplier with that code.")
    supplier_lot_code = fields.Char(
        help="Trace the lots that came with this vendor lot reference.")
    product_id = fields.Many2one(
        'product.product', string='Product', domain=[('tracking', '!=', 'none')],
        help="Trace the lots of this product produced or received between the dates.")
    date_from = fields.Datetime(
        string='From', help="Lots produced or received from this date on.")
    date_to = fields.Datetime(
        string='To', help="Lots produced or received up to this date.")
    direction = fields.Selection(
        [('forward', 'Forward (where it went)'), ('backward', 'Backward (where it came from)'),
         ('both', 'Both')], default='forward', required=True,
        help="Forward: deliveries to customers, through production. Backward: receipts "
             "from suppliers, through the components of produced lots.")
    detail = fields.Selection(
        [('summary', 'Summary per partner and lot'), ('lines', 'Movement lines')],
        default='summary', required=True,
        help="Summary: one line per customer / supplier and lot. Movement lines: every "
             "done movement traced.")
    traced_lot_ids = fields.Many2many(
        'stock.production.lot', 'stock_lot_trace_report_traced_lot_rel', 'report_id',
        'lot_id', string='Traced Lots', readonly=True,
        help="The lots chosen and the lots reached through production and components.")
    line_ids = fields.One2many(
        'stock.lot.trace.report.line', 'report_id', string='Summary', readonly=True,
        help="Per customer / supplier and lot: quantities and documents.")
    move_line_ids = fields.Many2many(
        'stock.move.line', string='Movement Lines', readonly=True,
        help="The done move lines traced.")

    @api.multi
    def action_view(self):
        """Trace and open the summary or the movement lines."""
        self.ensure_one()
        self._compute_trace()
        if self.detail == 'lines':
            action = self.env.ref('stock_lot_tracking.stock_lot_history_action').read()[0]
            action['domain'] = [('lot_id', 'in', self.traced_lot_ids.ids),
                                ('id', 'in', self.move_line_ids.ids)]
        else:
            action = self.env.ref(
                'stock_lot_tracking.stock_lot_trace_report_line_action').read()[0]
            action['domain'] = [('report_id', '=', self.id)]
        action['display_name'] = action['name'] = self._get_title()
        return action

    @api.multi
    def action_print(self):
        """The PDF of the summary and the movement lines."""
        self.ensure_one()
        self._compute_trace()
        return self.env.ref(
            'stock_lot_tracking.report_lot_traceability_action').report_action(self)

    @api.multi
    def action_export_epcis(self):
        """The export of the lots' events, EPCIS format chosen."""
        return self._open_exchange_export('epcis')

    @api.multi
    def action_export_fsma204(self):
        """The export of the lots' events, FSMA 204 spreadsheet chosen."""
        return self._open_exchange_export('fsma204_xlsx')

    @api.multi
    def _open_exchange_export(self, export_format):
        self.ensure_one()
        export = self.env['stock.lot.exchange.export'].create({
            'lot_ids': [(6, 0, self._get_lots().ids)], 'export_format': export_format,
            'request_reference': self._get_title()})
        return {
            'type': 'ir.actions.act_window',
            'name': _('Export Traceability Events'),
            'res_model': export._name,
            'res_id': export.id,
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'new',
        }

    @api.multi
    def _get_lots(self):
        """The lots the report traces: given, by supplier lot code, or by product."""
        self.ensure_one()
        lots = self.lot_ids
        if not lots and self.supplier_lot_code:
            domain = [('supplier_lot_code', '=', self.supplier_lot_code.strip())]
            if self.supplier_id:
                domain.append(('supplier_id', 'child_of',
                               self.supplier_id.commercial_partner_id.id))
            lots = lots.search(domain)
            if not lots:
                raise UserError(_('No lot has the supplier lot code %s%s.') % (
                    self.supplier_lot_code, self.supplier_id and _(' from %s') % (
                        self.supplier_id.display_name) or ''))
        elif not lots and self.product_id:
            domain = [('product_id', '=', self.product_id.id)]
            if self.date_from:
                domain.append(('production_date', '>=', self.date_from))
            if self.date_to:
                domain.append(('production_date', '<=', self.date_to))
            lots = lots.search(domain)
            if not lots:
                raise UserError(_('Product %s has no lot produced or received in these '
                                  'dates.') % self.product_id.display_name)
        if not lots:
            raise UserError(_('Choose the lots to trace: lots, a supplier lot code, or a '
                              'product with its dates.'))
        return lots

    @api.multi
    def _get_title(self):
        self.ensure_one()
        return _('Traceability (%s): %s') % (
            dict(self._fields['direction']._description_selection(self.env))[self.direction],
            ', '.join(self.lot_ids.mapped('name') or self._get_lots().mapped('name')))

    @api.multi
    def _compute_trace(self):
        """Trace the lots and fill the summary lines and the traced move lines."""
        self.ensure_one()
        lots = self._get_lots()
        directions = ['forward', 'backward'] if self.direction == 'both' else [self.direction]
        move_lines = self.env['stock.move.line']
        line_vals = []
        for direction in directions:
            trace_direction, usage = TRACE_SIDES[direction]
            traced = lots.trace_move_lines(trace_direction)
            move_lines |= traced
            line_vals.extend(self.env['stock.lot.trace.report.line']._prepare_summary_vals(
                direction, traced._get_partner_summary(usage)))
        self.line_ids.unlink()
        self.write({
            'lot_ids': [(6, 0, self.lot_ids.ids or lots.ids)],
            'traced_lot_ids': [(6, 0, move_lines._get_traced_lots().ids)],
            'move_line_ids': [(6, 0, move_lines.ids)],
            'line_ids': [(0, 0, vals) for vals in line_vals],
        })

    @api.multi
    def _get_history_rows(self):
        """The lot history rows of the traced move lines, for the PDF."""
        self.ensure_one()
        return self.env['stock.lot.history'].search([
            ('lot_id', 'in', self.traced_lot_ids.ids), ('id', 'in', self.move_line_ids.ids)],
            order='date, id')
