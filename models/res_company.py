# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import gs1


class ResCompany(models.Model):
    _inherit = 'res.company'

    gln = fields.Char(
        string='GLN', size=13,
        help="Global Location Number of the company as a party (13 digits): EPCIS "
             "exports name the company by it (https://id.gs1.org/417/{GLN}) and number "
             "its business transactions under it.")
    epcis_uri_prefix = fields.Char(
        string='EPCIS URI Prefix',
        help="Web address under which the company names what has no GS1 key, in EPCIS "
             "exports: lots of products without GTIN ({prefix}product/{product id}/lot/"
             "{lot}), locations without GLN ({prefix}location/{id}), partners "
             "({prefix}party/{id}) and documents ({prefix}bt/{type}/{reference}). "
             "For example https://trace.example.com/ (a domain of the company). Without "
             "it, exports of products without GTIN are refused.")

    @api.constrains('gln', 'epcis_uri_prefix')
    def _check_exchange_identifiers(self):
        for company in self:
            if company.gln and not gs1.is_gln(company.gln):
                raise ValidationError(_(
                    'The GLN %(gln)s of company %(company)s is not a Global Location '
                    'Number: 13 digits with a valid check digit.'
                ) % {'gln': company.gln, 'company': company.name})
            prefix = company.epcis_uri_prefix
            if prefix and not re.match(r'^https?://[^/\s]+(/\S*)?$', prefix):
                raise ValidationError(_(
                    'The EPCIS URI prefix %(prefix)s of company %(company)s must be a web '
                    'address such as https://trace.example.com/.'
                ) % {'prefix': prefix, 'company': company.name})

    @api.multi
    def _get_epcis_uri(self, kind, *keys):
        """The company-local URI ``{prefix}{kind}/{key}/...`` (keys percent-encoded),
        or None without a prefix."""
        self.ensure_one()
        if not self.epcis_uri_prefix:
            return None
        prefix = self.epcis_uri_prefix.rstrip('/') + '/'
        return prefix + '/'.join([kind] + [gs1.quote_key(key) for key in keys])
