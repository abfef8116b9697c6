# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# UN/CEFACT Recommendation 20 codes of Odoo's units (Unit(s) has none: EPCIS counts
# instances when a quantity has no unit)
DEFAULT_UNECE_CODES = {
    'product.product_uom_dozen': 'DZN',
    'product.product_uom_kgm': 'KGM',
    'product.product_uom_gram': 'GRM',
    'product.product_uom_hour': 'HUR',
    'product.product_uom_day': 'DAY',
    'product.product_uom_ton': 'TNE',
    'product.product_uom_meter': 'MTR',
    'product.product_uom_km': 'KMT',
    'product.product_uom_cm': 'CMT',
    'product.product_uom_litre': 'LTR',
    'product.product_uom_lb': 'LBR',
    'product.product_uom_oz': 'ONZ',
    'product.product_uom_inch': 'INH',
    'product.product_uom_foot': 'FOT',
    'product.product_uom_mile': 'SMI',
    'product.product_uom_floz': 'OZA',
    'product.product_uom_qt': 'QTD',
    'product.product_uom_gal': 'GLL',
}


class ProductUom(models.Model):
    _inherit = 'product.uom'

    unece_code = fields.Char(
        string='UN/CEFACT Code', size=3,
        help="Code of the unit in UN/CEFACT Recommendation 20 (KGM for kilogram, LTR "
             "for litre...), given with quantities in EPCIS exports. Leave empty for a "
             "count of items: EPCIS then counts instances.")

    @api.model
    def _set_default_unece_codes(self):
        """Give Odoo's units their UN/CEFACT code where they have none (data file)."""
        for xmlid, code in DEFAULT_UNECE_CODES.items():
            uom = self.env.ref(xmlid, raise_if_not_found=False)
            if uom and not uom.unece_code:
                uom.unece_code = code
