# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class StockLotCertificate(models.Model):
    _name = 'stock.lot.certificate'
    _inherit = 'stock.lot.quality.data.mixin'
    _description = 'Lot Quality Certificate'
    _order = 'lot_id, valid_to desc, id desc'
    # a new file keeps the text of the certificate: posted all the same
    _lot_log_fields = ('lot_id', 'attachment')

    name = fields.Char(
        string='Number', required=True, help="Reference number of the certificate.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', required=True, index=True, ondelete='cascade',
        help="Lot the certificate applies to.")
    issuer = fields.Char(
        help="Laboratory, authority or supplier that issued the certificate.")
    valid_from = fields.Date(help="First day the certificate is valid; empty: from issue.")
    valid_to = fields.Date(
        index=True, help="Last day the certificate is valid; empty: no end of validity.")
    attachment = fields.Binary(
        attachment=True, help="Scan or PDF of the certificate.")
    attachment_name = fields.Char(string='File Name', help="Name of the attached file.")
    is_valid = fields.Boolean(
        string='Valid', compute='_compute_is_valid', search='_search_is_valid',
        help="Today is within the validity dates of the certificate.")
    is_expired = fields.Boolean(
        string='Expired', compute='_compute_is_valid', search='_search_is_expired',
        help="The last day of validity of the certificate has passed.")

    @api.depends('valid_from', 'valid_to')
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for certificate in self:
            certificate.is_expired = bool(certificate.valid_to) and certificate.valid_to < today
            certificate.is_valid = (not certificate.is_expired and (
                not certificate.valid_from or certificate.valid_from <= today))

    @api.model
    def _search_is_valid(self, operator, value):
        today = fields.Date.context_today(self)
        valid = ['&', '|', ('valid_from', '=', False), ('valid_from', '<=', today),
                 '|', ('valid_to', '=', False), ('valid_to', '>=', today)]
        if (operator == '=') == bool(value):
            return valid
        return ['|', ('valid_from', '>', today), ('valid_to', '<', today)]

    @api.model
    def _search_is_expired(self, operator, value):
        today = fields.Date.context_today(self)
        if (operator == '=') == bool(value):
            return [('valid_to', '<', today)]
        return ['|', ('valid_to', '=', False), ('valid_to', '>=', today)]

    @api.constrains('valid_from', 'valid_to')
    def _check_validity_dates(self):
        for certificate in self:
            if (certificate.valid_from and certificate.valid_to
                    and certificate.valid_from > certificate.valid_to):
                raise ValidationError(_(
                    'Certificate %s of lot %s: the validity starts (%s) after it ends (%s).'
                ) % (certificate.name, certificate.lot_id.display_name,
                     certificate.valid_from, certificate.valid_to))

    @api.multi
    def _get_log_text(self):
        self.ensure_one()
        return _('%s, issued by %s, valid %s to %s') % (
            self.name, self.issuer or _('unknown issuer'),
            self.valid_from or '...', self.valid_to or '...')

    @api.model
    def _get_log_title(self, operation):
        return {'create': _('Certificate added'), 'write': _('Certificate changed'),
                'unlink': _('Certificate removed')}[operation]
