# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import time

import xlsxwriter

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, html_escape

# what the recall was traced from: fixed once it is traced
TRACE_INPUT_FIELDS = ('lot_ids', 'supplier_id', 'supplier_lot_code', 'reason', 'mode',
                      'company_id')
# what only the recall's own actions write (trace results and audit)
AUDIT_FIELDS = ('name', 'state', 'affected_lot_ids', 'customer_line_ids', 'stock_line_ids',
                'trace_seconds', 'user_id', 'date_start', 'date_trace', 'block_user_id',
                'date_block', 'close_user_id', 'date_close', 'request_seconds',
                'request_date', 'request_attachment_id')

# their values in a new recall
AUDIT_START_VALUES = {'name': '/', 'state': 'draft', 'affected_lot_ids': [(6, 0, [])],
                      'customer_line_ids': [], 'stock_line_ids': [], 'trace_seconds': 0.0}


class StockLotRecall(models.Model):
    _name = 'stock.lot.recall'
    _inherit = ['mail.thread']
    _description = 'Lot Recall'
    _order = 'id desc'

    name = fields.Char(
        string='Reference', required=True, readonly=True, copy=False, default='/',
        help="Reference of the recall, from the recall sequence (RECALL/year/number).")
    lot_ids = fields.Many2many(
        'stock.production.lot', 'stock_lot_recall_lot_rel', 'recall_id', 'lot_id',
        string='Lots', copy=False,
        help="Lots recalled. Tracing the recall adds the lots of the supplier lot code "
             "below.")
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier',
        help="With the supplier lot code: recall every lot received from this supplier "
             "under that lot code.")
    supplier_lot_code = fields.Char(
        help="The supplier's own lot reference named in the supplier's recall notice.")
    reason = fields.Text(
        required=True, track_visibility='onchange',
        help="Why the lots are recalled; blocked lots carry it as their block reason.")
    mode = fields.Selection(
        [('recall', 'Recall'), ('mock', 'Mock Recall')], default='recall', required=True,
        track_visibility='onchange',
        help="Recall: a real recall, whose lots may be blocked and customers notified. "
             "Mock Recall: a drill (audit exercise) that traces and records like a recall "
             "but changes no stock and notifies nobody.")
    state = fields.Selection(
        [('draft', 'Draft'), ('open', 'Open'), ('closed', 'Closed')], default='draft',
        required=True, readonly=True, copy=False, index=True,
        help="Draft: lots and reason being entered. Open: traced, actions under way. "
             "Closed: finished, with its summary in the history.")
    company_id = fields.Many2one(
        'res.company', string='Company', required=True,
        default=lambda self: self.env['res.company']._company_default_get('stock.lot.recall'),
        help="Company running the recall.")
    affected_lot_ids = fields.Many2many(
        'stock.production.lot', 'stock_lot_recall_affected_lot_rel', 'recall_id', 'lot_id',
        string='Affected Lots', readonly=True, copy=False,
        help="The lots recalled and every lot produced or repacked from them, "
             "recursively, as found by the trace.")
    customer_line_ids = fields.One2many(
        'stock.lot.recall.customer', 'recall_id', string='Customers', readonly=True,
        copy=False,
        help="Customers holding affected lots: quantity delivered net of returns, "
             "deliveries, sales orders and invoices, per customer and lot.")
    stock_line_ids = fields.One2many(
        'stock.lot.recall.stock', 'recall_id', string='Stock on Hand', readonly=True,
        copy=False,
        help="Stock of the affected lots still in internal locations when traced.")
    open_move_line_ids = fields.Many2many(
        'stock.move.line', string='Open Moves', compute='_compute_open_move_line_ids',
        help="Operations not done yet (deliveries, transfers) that hold affected lots "
             "reserved or picked, as of now.")
    open_picking_ids = fields.Many2many(
        'stock.picking', string='Open Transfers', compute='_compute_open_move_line_ids',
        help="Transfers of the open moves.")
    trace_seconds = fields.Float(
        string='Trace Duration (s)', readonly=True, copy=False, digits=(16, 3),
        help="How long the last trace took, in seconds.")
    user_id = fields.Many2one(
        'res.users', string='Started By', readonly=True, copy=False,
        help="User who traced the recall first.")
    date_start = fields.Datetime(
        string='Started On', readonly=True, copy=False,
        help="When the recall was traced first.")
    date_trace = fields.Datetime(
        string='Last Traced On', readonly=True, copy=False,
        help="When the lists were computed last.")
    block_user_id = fields.Many2one(
        'res.users', string='Blocked By', readonly=True, copy=False,
        help="Lot manager who blocked the affected lots.")
    date_block = fields.Datetime(
        string='Blocked On', readonly=True, copy=False,
        help="When the affected lots were blocked.")
    close_user_id = fields.Many2one(
        'res.users', string='Closed By', readonly=True, copy=False,
        help="Lot manager who closed the recall.")
    date_close = fields.Datetime(
        string='Closed On', readonly=True, copy=False,
        help="When the recall was closed.")
    request_date_from = fields.Datetime(
        string='Request Period From',
        help="FDA 24-hour request: the spreadsheet lists the events from this date on "
             "(empty: from the start).")
    request_date_to = fields.Datetime(
        string='Request Period To',
        help="FDA 24-hour request: the spreadsheet lists the events up to this date "
             "(empty: up to now).")
    request_seconds = fields.Float(
        string='Request Duration (s)', readonly=True, copy=False, digits=(16, 3),
        help="How long the last FSMA 204 spreadsheet took to produce, in seconds.")
    request_date = fields.Datetime(
        string='Request Answered On', readonly=True, copy=False,
        help="When the last FSMA 204 spreadsheet was produced.")
    request_attachment_id = fields.Many2one(
        'ir.attachment', string='Request Spreadsheet', readonly=True, copy=False,
        help="The last FSMA 204 sortable spreadsheet of the affected lots.")
    notification_ids = fields.Many2many(
        'mail.message', string='Notifications', compute='_compute_notification_ids',
        help="Mails sent to the customers about this recall.")
    customer_count = fields.Integer(
        compute='_compute_counts',
        help="Number of customers holding affected lots.")
    affected_lot_count = fields.Integer(
        compute='_compute_counts',
        help="Number of affected lots.")

    @api.depends('affected_lot_ids')
    def _compute_open_move_line_ids(self):
        lines = self.env['stock.move.line'].search([
            ('lot_id', 'in', self.mapped('affected_lot_ids').ids),
            ('state', 'not in', ('done', 'cancel')),
            ('location_id.usage', '=', 'internal')])
        for recall in self:
            own = lines.filtered(
                lambda line, lots=recall.affected_lot_ids: line.lot_id in lots)
            recall.open_move_line_ids = own
            recall.open_picking_ids = own.mapped('picking_id')

    @api.depends('customer_line_ids')
    def _compute_notification_ids(self):
        messages = self.env['mail.message'].search([
            ('model', '=', 'stock.lot.recall.customer'),
            ('res_id', 'in', self.mapped('customer_line_ids').ids)])
        for recall in self:
            recall.notification_ids = messages.filtered(
                lambda message, ids=recall.customer_line_ids.ids: message.res_id in ids)

    @api.depends('customer_line_ids.partner_id', 'affected_lot_ids')
    def _compute_counts(self):
        for recall in self:
            recall.customer_count = len(recall.customer_line_ids.mapped('partner_id'))
            recall.affected_lot_count = len(recall.affected_lot_ids)

    @api.constrains('reason')
    def _check_reason(self):
        for recall in self:
            if not (recall.reason or '').strip():
                raise ValidationError(_(
                    'Give the reason of recall %s: the blocked lots and the customers '
                    'are told it.') % recall.name)

    @api.model
    def create(self, vals):
        self._check_audit_fields(vals, create=True)
        # the trace results start empty whatever defaults the context brings
        for name in AUDIT_FIELDS:
            vals.setdefault(name, AUDIT_START_VALUES.get(name, False))
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code('stock.lot.recall') or '/'
        return super(StockLotRecall, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_audit_fields(vals)
        changed = [name for name in TRACE_INPUT_FIELDS if name in vals]
        traced = self.filtered(lambda recall: recall.state != 'draft')
        if changed and traced and self.env.uid != SUPERUSER_ID:
            raise UserError(_(
                'Recall %(recall)s is already traced: its %(fields)s stay as they were '
                'traced. Start a new recall for other lots.'
            ) % {'recall': traced[0].name,
                 'fields': ', '.join(self._fields[name].string for name in changed)})
        return super(StockLotRecall, self).write(vals)

    @api.multi
    def unlink(self):
        traced = self.filtered(lambda recall: recall.state != 'draft')
        if traced:
            raise UserError(_(
                'Recall %s is traced and kept as an audit record: it cannot be deleted. '
                'Close it instead.') % traced[0].name)
        return super(StockLotRecall, self).unlink()

    @api.multi
    def action_compute(self):
        """Trace the recalled lots forward, through production, and fill the lists:
        affected lots, customers (net of returns) and stock on hand. Records who traced
        it, when and how long the trace took, here and in each newly affected lot's
        history. Tracing again refreshes the lists of an open recall."""
        self.ensure_one()
        self.check_access_rights('write')
        self.check_access_rule('write')
        if self.state == 'closed':
            raise UserError(_('Recall %s is closed: it cannot be traced again.') % self.name)
        lots = self._get_recalled_lots()
        started = time.time()
        move_lines = lots.trace_move_lines('downstream')
        affected = lots | move_lines._get_traced_lots()
        customer_vals = self._prepare_customer_line_vals(
            move_lines._get_partner_summary('customer'))
        stock_vals = self._prepare_stock_line_vals(affected)
        seconds = time.time() - started
        new_lots = affected - self.affected_lot_ids
        now = fields.Datetime.now()
        vals = {
            'state': 'open',
            'lot_ids': [(6, 0, lots.ids)],
            'affected_lot_ids': [(6, 0, affected.ids)],
            'customer_line_ids': self._get_customer_line_commands(customer_vals),
            'stock_line_ids': [(5, 0, 0)] + [(0, 0, line) for line in stock_vals],
            'trace_seconds': seconds,
            'date_trace': now,
        }
        if not self.date_start:
            vals.update(user_id=self.env.uid, date_start=now)
        self.sudo().with_context(tracking_disable=True).write(vals)
        self.message_post(body=html_escape(_(
            '%(mode)s traced by %(user)s in %(seconds).3f s: %(lots)s affected lot(s), '
            '%(customers)s customer(s), %(locations)s stock line(s).'
        ) % {'mode': self._get_mode_label(), 'user': self.env.user.name, 'seconds': seconds,
             'lots': len(affected), 'customers': self.customer_count,
             'locations': len(self.stock_line_ids)}))
        for lot in new_lots:
            lot.message_post(body=html_escape(_(
                '%(mode)s %(recall)s started by %(user)s. Reason: %(reason)s'
            ) % {'mode': self._get_mode_label(), 'recall': self.name,
                 'user': self.env.user.name, 'reason': self.reason}))
        return True

    @api.multi
    def action_block(self):
        """Block every affected lot with the recall as reason and take the lots out of
        the operations not done yet that hold them (lot managers, real recalls only).
        Everything is checked first; then all is done in the one transaction."""
        self.ensure_one()
        self.env['stock.production.lot']._check_lot_manager(_('block the lots of a recall'))
        self._check_open(_('block its lots'))
        if self.mode == 'mock':
            raise UserError(_(
                'Recall %s is a mock recall (a drill): it changes no stock, so its lots '
                'cannot be blocked. Start a real recall to block them.') % self.name)
        lots = self.affected_lot_ids
        if not lots:
            raise UserError(_('Recall %s has no affected lot to block.') % self.name)
        open_lines = self.open_move_line_ids
        # every right needed, checked before anything is written
        lots.check_access_rights('write')
        lots.check_access_rule('write')
        if open_lines:
            open_lines.check_access_rights('unlink')
            open_lines.check_access_rule('unlink')
        unreserved = [(line.picking_id, line.lot_id, line.location_id,
                       line.product_qty or line.qty_done) for line in open_lines]
        # all or nothing, even for a caller that goes on after an error
        try:
            with self.env.cr.savepoint():
                lots.action_block(_('Recall %(recall)s: %(reason)s') % {
                    'recall': self.name, 'reason': self.reason})
                open_lines.unlink()
        except Exception:
            self.env.invalidate_all()
            raise
        for picking, lot, location, quantity in unreserved:
            if picking:
                picking.message_post(body=html_escape(_(
                    'Lot %(lot)s (%(quantity)s from %(location)s) taken out of this '
                    'transfer: blocked by recall %(recall)s.'
                ) % {'lot': lot.name, 'quantity': quantity, 'location': location.display_name,
                     'recall': self.name}))
        self.sudo().with_context(tracking_disable=True).write({
            'block_user_id': self.env.uid, 'date_block': fields.Datetime.now()})
        self.message_post(body=html_escape(_(
            '%(user)s blocked %(lots)s lot(s) (%(names)s) and unreserved %(lines)s open '
            'operation line(s)%(transfers)s.'
        ) % {'user': self.env.user.name, 'lots': len(lots),
             'names': ', '.join(lots.mapped('name')), 'lines': len(unreserved),
             'transfers': unreserved and ' (%s)' % ', '.join(sorted(
                 {picking.name for picking, __, __, __ in unreserved if picking})) or ''}))
        return True

    @api.multi
    def action_notify_customers(self):
        """Odoo's mail composer in mass mail mode, one mail per customer of the recall
        (on the customer's first line), with the recall template: each customer gets its
        own lots and quantities. Lot managers, real recalls only."""
        self.ensure_one()
        self.env['stock.production.lot']._check_lot_manager(
            _('notify the customers of a recall'))
        self._check_open(_('notify its customers'))
        if self.mode == 'mock':
            raise UserError(_(
                'Recall %s is a mock recall (a drill): customers are not notified of a '
                'drill.') % self.name)
        # one line per customer carries its mail; the template lists all its lines
        first_lines = self.env['stock.lot.recall.customer']
        for line in self.customer_line_ids:
            if line.partner_id not in first_lines.mapped('partner_id'):
                first_lines |= line
        if not first_lines:
            raise UserError(_('No customer holds lots of recall %s: nobody to notify.')
                            % self.name)
        template = self.env.ref('stock_lot_tracking.stock_lot_recall_mail_template')
        return {
            'name': _('Notify Customers'),
            'type': 'ir.actions.act_window',
            'res_model': 'mail.compose.message',
            'view_type': 'form',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_composition_mode': 'mass_mail',
                'default_model': first_lines._name,
                'default_res_id': first_lines[0].id,
                'default_use_template': True,
                'default_template_id': template.id,
                'active_model': first_lines._name,
                'active_ids': first_lines.ids,
            },
        }

    @api.multi
    def action_export_customers(self):
        """The customer list as an XLSX file, attached to the recall and downloaded."""
        self.ensure_one()
        attachment = self.env['ir.attachment'].create({
            'name': '%s.xlsx' % self._get_export_name(),
            'datas_fname': '%s.xlsx' % self._get_export_name(),
            'datas': base64.b64encode(self._get_customer_xlsx()),
            'res_model': self._name,
            'res_id': self.id,
            'mimetype': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        })
        return {
            'type': 'ir.actions.act_url',
            'url': '/web/content/%s?download=true' % attachment.id,
            'target': 'self',
        }

    @api.multi
    def action_fsma204_request(self):
        """Answer an FDA 24-hour request: the FSMA 204 sortable spreadsheet of the
        affected lots over the request period, attached to the recall with the time it
        took, and downloaded."""
        self.ensure_one()
        if self.state == 'draft':
            raise UserError(_('Trace recall %s first: the spreadsheet lists the events of '
                              'its affected lots.') % self.name)
        result = self.env['stock.lot.exchange.export'].export_lots(
            self.affected_lot_ids, self.request_date_from, self.request_date_to,
            'fsma204_xlsx', record=self, request_reference=_(
                'FDA 24-hour request, %(mode)s %(name)s: %(reason)s') % {
                    'mode': self._get_mode_label(), 'name': self.name,
                    'reason': self.reason or ''})
        self.sudo().with_context(tracking_disable=True).write({
            'request_seconds': result['duration'],
            'request_date': fields.Datetime.now(),
            'request_attachment_id': result['attachment'].id})
        self.message_post(body=html_escape(_(
            'FSMA 204 24-hour request answered by %(user)s: %(rows)s rows of %(lots)s '
            'lots in %(seconds).2f s (%(file)s).') % {
                'user': self.env.user.name, 'rows': result['events'],
                'lots': len(self.affected_lot_ids), 'seconds': result['duration'],
                'file': result['attachment'].name}))
        return {
            'type': 'ir.actions.act_url',
            'url': '/web/content/%s?download=true' % result['attachment'].id,
            'target': 'self',
        }

    @api.multi
    def action_close(self):
        """Close the recall (lot managers), posting its summary in the history."""
        self.ensure_one()
        self.env['stock.production.lot']._check_lot_manager(_('close a recall'))
        self._check_open(_('be closed'))
        summary = self._get_summary()
        self.sudo().with_context(tracking_disable=True).write({
            'state': 'closed', 'close_user_id': self.env.uid,
            'date_close': fields.Datetime.now()})
        self.message_post(body='<p>%s</p><ul>%s</ul>' % (
            html_escape(_('%(mode)s closed by %(user)s.') % {
                'mode': self._get_mode_label(), 'user': self.env.user.name}),
            ''.join('<li>%s</li>' % html_escape(line) for line in summary)))
        return True

    # Business methods --------------------------------------------------------------------
    @api.model
    def _check_audit_fields(self, vals, create=False):
        """The trace results and the audit trail are written by the recall's actions
        only (a new recall may state their empty starting values)."""
        protected = [name for name in AUDIT_FIELDS if name in vals]
        if create:
            protected = [name for name in protected
                         if vals[name] != AUDIT_START_VALUES.get(name)
                         and self._is_set(vals[name])]
        if protected and self.env.uid != SUPERUSER_ID:
            raise AccessError(_(
                'The %s of a recall are set by its actions (Trace, Block, Close), not by '
                'hand.') % ', '.join(self._fields[name].string for name in protected))

    @api.model
    def _is_set(self, value):
        """Whether a create value gives something: a value, or x2many commands that add
        records."""
        if isinstance(value, (list, tuple)):
            return any(not isinstance(command, (list, tuple)) or command[0] not in (5, 6)
                       or (len(command) > 2 and command[2]) for command in value)
        return bool(value)

    @api.multi
    def _check_open(self, what):
        self.ensure_one()
        if self.state != 'open':
            raise UserError(_(
                'Recall %(recall)s is %(state)s: only an open (traced) recall can '
                '%(what)s.') % {
                    'recall': self.name, 'what': what,
                    'state': dict(self._fields['state']._description_selection(
                        self.env))[self.state]})

    @api.multi
    def _get_mode_label(self):
        self.ensure_one()
        return dict(self._fields['mode']._description_selection(self.env))[self.mode]

    @api.multi
    def _get_recalled_lots(self):
        """The lots named: the recall's lots and, when a supplier and a supplier lot code
        are given, every lot received from that supplier with that code."""
        self.ensure_one()
        lots = self.lot_ids
        code = (self.supplier_lot_code or '').strip()
        if bool(code) != bool(self.supplier_id):
            raise UserError(_(
                'To recall lots by their supplier lot code, give both the supplier and '
                'the supplier lot code (recall %s).') % self.name)
        if code:
            found = self.env['stock.production.lot'].search([
                ('supplier_id', 'child_of', self.supplier_id.commercial_partner_id.id),
                ('supplier_lot_code', '=', code)])
            if not found:
                raise UserError(_(
                    'No lot received from %(supplier)s has the supplier lot code '
                    '%(code)s.') % {'supplier': self.supplier_id.display_name, 'code': code})
            lots |= found
        if not lots:
            raise UserError(_(
                'Name the lots of recall %s: choose them, or give the supplier and the '
                'supplier lot code.') % self.name)
        return lots

    @api.model
    def _prepare_customer_line_vals(self, summary):
        """Customer line values from the per-customer and lot ``summary`` of
        ``stock.move.line._get_partner_summary``: customers holding nothing any more
        (all returned) are left out."""
        vals_list = []
        for entry in summary:
            lot = entry['lot']
            if float_compare(entry['quantity'], 0.0,
                             precision_rounding=lot.product_id.uom_id.rounding) <= 0:
                continue
            vals_list.append({
                'partner_id': entry['partner'].id,
                'lot_id': lot.id,
                'quantity': entry['quantity'],
                'date_first': entry['date_first'],
                'date_last': entry['date_last'],
                'picking_ids': [(6, 0, entry['pickings'].ids)],
                'sale_order_ids': [(6, 0, entry['orders'].ids)],
                'invoice_ids': [(6, 0, entry['invoices'].ids)],
                'sale_order_names': ', '.join(entry['orders'].sudo().mapped('name')),
                'invoice_numbers': ', '.join(
                    number for number in entry['invoices'].sudo().mapped('number')
                    if number),
            })
        return vals_list

    @api.multi
    def _get_customer_line_commands(self, vals_list):
        """Commands that replace the customer lines by ``vals_list``, updating the line of
        a customer and lot already listed: its notification stays with it."""
        self.ensure_one()
        existing = {(line.partner_id.id, line.lot_id.id): line
                    for line in self.customer_line_ids}
        commands = []
        for vals in vals_list:
            line = existing.pop((vals['partner_id'], vals['lot_id']), None)
            commands.append((1, line.id, vals) if line else (0, 0, vals))
        return commands + [(2, line.id) for line in existing.values()]

    @api.model
    def _prepare_stock_line_vals(self, lots):
        """Stock line values: the internal stock of ``lots`` per location and lot, read
        in one grouped query."""
        if not lots:
            return []
        groups = self.env['stock.quant'].read_group(
            [('lot_id', 'in', lots.ids), ('location_id.usage', '=', 'internal')],
            ['location_id', 'lot_id', 'quantity', 'reserved_quantity'],
            ['location_id', 'lot_id'], orderby='location_id, lot_id', lazy=False)
        return [{
            'location_id': group['location_id'][0],
            'lot_id': group['lot_id'][0],
            'quantity': group['quantity'],
            'reserved_quantity': group['reserved_quantity'],
        } for group in groups
            if not (float_is_zero(group['quantity'], precision_digits=6)
                    and float_is_zero(group['reserved_quantity'], precision_digits=6))]

    @api.multi
    def _get_summary(self):
        """The closing summary, one line per fact."""
        self.ensure_one()
        lines = [
            _('Reason: %s') % self.reason,
            _('Started by %(user)s on %(date)s; last trace in %(seconds).3f s.') % {
                'user': self.user_id.name or '', 'date': self.date_start or '',
                'seconds': self.trace_seconds},
            _('Affected lots (%(count)s): %(names)s') % {
                'count': len(self.affected_lot_ids),
                'names': ', '.join(self.affected_lot_ids.mapped('name'))},
        ]
        delivered = {}
        for line in self.customer_line_ids:
            key = (line.product_id.display_name, line.uom_id.name)
            delivered[key] = delivered.get(key, 0.0) + line.quantity
        lines.append(_('Customers: %(count)s; delivered: %(quantities)s') % {
            'count': self.customer_count,
            'quantities': ', '.join('%s %s %s' % (quantity, uom, product) for (
                product, uom), quantity in sorted(delivered.items())) or _('nothing')})
        in_stock = {}
        for line in self.stock_line_ids:
            key = (line.product_id.display_name, line.uom_id.name)
            in_stock[key] = in_stock.get(key, 0.0) + line.quantity
        lines.append(_('Stock on hand when traced: %s') % (', '.join(
            '%s %s %s' % (quantity, uom, product) for (product, uom), quantity in sorted(
                in_stock.items())) or _('none')))
        if self.date_block:
            lines.append(_('Lots blocked by %(user)s on %(date)s.') % {
                'user': self.block_user_id.name, 'date': self.date_block})
        elif self.mode == 'recall':
            lines.append(_('Lots not blocked.'))
        else:
            lines.append(_('Mock recall: no stock was changed.'))
        return lines

    @api.multi
    def _get_export_name(self):
        self.ensure_one()
        return _('%s customers') % self.name.replace('/', '_')

    @api.multi
    def _get_customer_xlsx(self):
        """The customer list as the bytes of an XLSX workbook."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        sheet = workbook.add_worksheet(_('Customers'))
        bold = workbook.add_format({'bold': True})
        number = workbook.add_format({'num_format': '#,##0.###'})
        sheet.write_row(0, 0, [_('Recall'), self.name, self._get_mode_label()], bold)
        sheet.write_row(1, 0, [_('Reason'), self.reason or ''])
        sheet.write_row(2, 0, [_('Traced on'), self.date_trace or ''])
        header = [_('Customer'), _('Email'), _('Phone'), _('Product'), _('Lot'),
                  _('Quantity'), _('Unit'), _('First Delivery'), _('Last Delivery'),
                  _('Deliveries'), _('Sales Orders'), _('Invoices')]
        sheet.write_row(4, 0, header, bold)
        for row, line in enumerate(self.customer_line_ids.sudo(), start=5):
            partner = line.partner_id
            sheet.write_row(row, 0, [
                partner.display_name, partner.email or '', partner.phone or '',
                line.product_id.display_name, line.lot_id.name])
            sheet.write_number(row, 5, line.quantity, number)
            sheet.write_row(row, 6, [
                line.uom_id.name, line.date_first or '', line.date_last or '',
                ', '.join(line.picking_ids.mapped('name')),
                line.sale_order_names or '', line.invoice_numbers or ''])
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 4, 20)
        sheet.set_column(7, 11, 20)
        workbook.close()
        return output.getvalue()
