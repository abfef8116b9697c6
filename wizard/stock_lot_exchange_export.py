# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import time
from datetime import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import epcis, fsma204

# export format -> (file extension, MIME type)
EXPORT_FILES = {
    'epcis': ('jsonld', 'application/ld+json'),
    'fsma204_xlsx': ('xlsx',
                     'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    'fsma204_csv': ('csv', 'text/csv'),
}


class StockLotExchangeExport(models.TransientModel):
    """Export of lots' traced events for trading partners and regulators: the GS1
    EPCIS 2.0 document or the FDA FSMA 204 sortable spreadsheet, as an attachment to
    download. :meth:`export_lots` does it for other models (a recall's 24-hour
    request): lots and dates in, the attachment and the time taken out."""

    _name = 'stock.lot.exchange.export'
    _description = 'Export Lot Traceability Events'

    lot_ids = fields.Many2many(
        'stock.production.lot', string='Lots',
        help="Lots whose events (where they came from and where they went, through "
             "production) are exported.")
    date_from = fields.Datetime(
        string='From', help="Only events from this date on. Empty: from the start.")
    date_to = fields.Datetime(
        string='To', help="Only events up to this date. Empty: up to now.")
    export_format = fields.Selection(
        [('epcis', 'GS1 EPCIS 2.0 (JSON-LD)'),
         ('fsma204_xlsx', 'FDA FSMA 204 sortable spreadsheet (XLSX)'),
         ('fsma204_csv', 'FDA FSMA 204 sortable spreadsheet (CSV)')],
        string='Format', default='epcis', required=True,
        help="EPCIS for trading partners' traceability systems; the FSMA 204 "
             "spreadsheet for the FDA's 24-hour requests.")
    request_reference = fields.Char(
        string='Request',
        help="What the export answers (the FDA's request and its number, a recall, a "
             "trace), written on the Request sheet of the FSMA 204 spreadsheet (XLSX).")
    attachment_id = fields.Many2one(
        'ir.attachment', string='File', readonly=True,
        help="The last file exported.")
    duration = fields.Float(
        string='Time Taken (s)', readonly=True, digits=(16, 3),
        help="Seconds the last export took.")

    @api.model
    def default_get(self, fields_list):
        values = super(StockLotExchangeExport, self).default_get(fields_list)
        context = self.env.context
        if 'lot_ids' in fields_list and not values.get('lot_ids'):
            if context.get('active_model') == 'stock.production.lot':
                values['lot_ids'] = [(6, 0, context.get('active_ids') or [])]
            elif context.get('active_model') == 'stock.lot.recall':
                # the lots a recall traced (or, before it is traced, those it recalls)
                recalls = self.env['stock.lot.recall'].browse(context.get('active_ids') or [])
                lots = recalls.mapped('affected_lot_ids') or recalls.mapped('lot_ids')
                values['lot_ids'] = [(6, 0, lots.ids)]
        return values

    @api.constrains('date_from', 'date_to')
    def _check_dates(self):
        for export in self:
            export._check_period(export.date_from, export.date_to)

    @api.model
    def _check_period(self, date_from, date_to):
        """Refuse a period that ends before it starts."""
        if date_from and date_to and date_from > date_to:
            raise ValidationError(_(
                'The export period ends (%(to)s) before it starts (%(from)s).'
            ) % {'to': date_to, 'from': date_from})

    @api.multi
    def action_export(self):
        """Export and download the file."""
        self.ensure_one()
        result = self.export_lots(self.lot_ids, self.date_from, self.date_to,
                                  self.export_format, record=self,
                                  request_reference=self.request_reference)
        self.write({'attachment_id': result['attachment'].id,
                    'duration': result['duration']})
        return {
            'type': 'ir.actions.act_url',
            'url': '/web/content/%d?download=true' % result['attachment'].id,
            'target': 'self',
        }

    @api.model
    def export_lots(self, lots, date_from=None, date_to=None, export_format='epcis',
                    record=None, request_reference=None):
        """Export the events of ``lots`` between the dates in ``export_format``.

        :param record: the record the attachment belongs to (default: none)
        :param request_reference: what the export answers, for the Request sheet of
            the FSMA 204 XLSX (:meth:`_get_fsma204_request`)
        :return: dict ``attachment`` (``ir.attachment``), ``duration`` (seconds),
            ``events`` (number of events or rows)
        """
        if export_format not in EXPORT_FILES:
            raise UserError(_('Unknown export format %s.') % export_format)
        if not lots:
            raise UserError(_('Select the lots to export.'))
        self._check_period(date_from, date_to)
        started = time.time()
        if export_format == 'epcis':
            document = lots.get_epcis_document(date_from, date_to)
            content = epcis.dumps(document).encode('utf-8')
            count = len(document['epcisBody']['eventList'])
        else:
            rows = lots.get_fsma204_rows(date_from, date_to)
            if export_format == 'fsma204_xlsx':
                content = fsma204.to_xlsx(rows, self._get_fsma204_request(
                    lots, date_from, date_to, request_reference))
            else:
                content = fsma204.to_csv(rows)
            count = len(rows)
        extension, mimetype = EXPORT_FILES[export_format]
        name = '%s-%s.%s' % ('epcis' if export_format == 'epcis' else 'fsma204',
                             '-'.join(lots.mapped('name'))[:60], extension)
        attachment = self.env['ir.attachment'].create({
            'name': name,
            'datas_fname': name,
            'datas': base64.b64encode(content),
            'mimetype': mimetype,
            'res_model': record._name if record else False,
            'res_id': record.id if record else False,
        })
        return {'attachment': attachment, 'duration': time.time() - started,
                'events': count}

    @api.model
    def _get_fsma204_request(self, lots, date_from, date_to, reference):
        """What the Request sheet of the FSMA 204 spreadsheet says: the company, what
        the file answers, the lot codes asked for (with their product), the period,
        when (UTC) and by whom it was made."""
        user = self.env.user

        def moment(value):
            if not value or isinstance(value, datetime):
                return value or None
            return fields.Datetime.from_string(value)
        return {
            'company': user.company_id.name,
            'request': reference or '',
            'lots': ['%s (%s)' % (lot.name, lot.product_id.display_name)
                     for lot in lots],
            'date_from': moment(date_from),
            'date_to': moment(date_to),
            'generated_at': datetime.utcnow().replace(microsecond=0),
            'generated_by': '%s <%s>' % (user.name, user.email) if user.email
            else user.name,
        }
