# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

EXPIRY_STATES = [('none', 'No Expiration'), ('ok', 'Valid'),
                 ('warning', 'Expiring Soon'), ('expired', 'Expired')]


class StockLotExpiryReport(models.Model):
    """Stock on hand by lot and internal location, with what it is worth.

    A database view (no table, read-only): always current, and set-based whatever the
    number of lots. The expiry state and the days left are computed at query time, so
    they do not wait for the daily check.

    The value at risk is the quantity times the product's cost. The cost
    (``standard_price``) is company-dependent in Odoo 11: an ``ir.property`` of the
    product for the company of the stock, else the default property of the field (for
    the company, else for every company), as ``ir.property.get_multi`` reads it; in
    the currency of the company.
    """
    _name = 'stock.lot.expiry.report'
    _description = 'Lot Expiration Analysis'
    _auto = False
    _order = 'life_date, lot_id, location_id'
    _rec_name = 'lot_id'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', readonly=True, help="Lot in stock.")
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True, help="Product of the lot.")
    categ_id = fields.Many2one(
        'product.category', string='Product Category', readonly=True,
        help="Category of the product.")
    location_id = fields.Many2one(
        'stock.location', string='Location', readonly=True,
        help="Internal location holding the stock.")
    warehouse_id = fields.Many2one(
        'stock.warehouse', string='Warehouse', readonly=True,
        help="Warehouse the location belongs to.")
    company_id = fields.Many2one(
        'res.company', string='Company', readonly=True, help="Company owning the stock.")
    currency_id = fields.Many2one(
        'res.currency', string='Currency', readonly=True,
        help="Currency of the company: the currency of the value at risk.")
    quantity = fields.Float(
        readonly=True, digits=0, help="Quantity on hand, in the product's unit.")
    reserved_quantity = fields.Float(
        readonly=True, digits=0, help="Part of the quantity reserved by operations.")
    life_date = fields.Datetime(
        string='Expiration Date', readonly=True, help="Expiration date of the lot.")
    alert_date = fields.Datetime(
        readonly=True, help="Start of the lot's warning period.")
    days_to_expiry = fields.Integer(
        readonly=True, group_operator='min',
        help="Whole days left until the expiration date; negative once expired.")
    expiry_week = fields.Char(
        string='Week of Expiry', readonly=True,
        help="ISO week of the expiration date, e.g. 2026-W49.")
    expiry_state = fields.Selection(
        EXPIRY_STATES, readonly=True,
        help="Now: No Expiration (the product uses no expiration dates or the lot has "
             "none), Valid, Expiring Soon (in the warning period) or Expired.")
    value_at_risk = fields.Monetary(
        readonly=True,
        help="Quantity times the product's cost, in the company's currency.")
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier', readonly=True, help="Supplier of the lot.")
    quality_grade_id = fields.Many2one(
        'stock.lot.quality.grade', string='Quality Grade', readonly=True,
        help="Quality grade of the lot.")
    quality_state = fields.Selection(
        [('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected')],
        readonly=True, help="Quality state of the lot.")
    blocked = fields.Boolean(readonly=True, help="The lot is blocked.")
    in_quarantine = fields.Boolean(
        readonly=True, help="The location is (inside) a warehouse's quarantine location.")
    retest_count = fields.Integer(
        readonly=True, group_operator='max',
        help="Retests that already changed the lot's expiration date.")
    retest_candidate = fields.Boolean(
        readonly=True,
        help="Expiring soon or expired, and the product allows more retests than the lot "
             "had.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW stock_lot_expiry_report AS (
                WITH stock AS (
                    SELECT MIN(quant.id) AS id, quant.lot_id, quant.location_id,
                           quant.company_id, SUM(quant.quantity) AS quantity,
                           SUM(quant.reserved_quantity) AS reserved_quantity
                      FROM stock_quant quant
                      JOIN stock_location location ON location.id = quant.location_id
                     WHERE location.usage = 'internal' AND quant.lot_id IS NOT NULL
                     GROUP BY quant.lot_id, quant.location_id, quant.company_id
                    HAVING SUM(quant.quantity) > 0
                ), place AS (
                    -- warehouse and quarantine, once per location in stock
                    SELECT location.id AS location_id, warehouse.id AS warehouse_id,
                           EXISTS (SELECT 1 FROM stock_warehouse quarantine_warehouse
                                     JOIN stock_location quarantine
                                       ON quarantine.id
                                          = quarantine_warehouse.quarantine_location_id
                                    WHERE location.parent_left >= quarantine.parent_left
                                      AND location.parent_left < quarantine.parent_right
                           ) AS in_quarantine
                      FROM (SELECT DISTINCT location_id FROM stock) used
                      JOIN stock_location location ON location.id = used.location_id
                      LEFT JOIN LATERAL (
                          SELECT candidate.id FROM stock_warehouse candidate
                            JOIN stock_location view ON view.id = candidate.view_location_id
                           WHERE location.parent_left >= view.parent_left
                             AND location.parent_left < view.parent_right
                           ORDER BY view.parent_left DESC LIMIT 1
                      ) warehouse ON TRUE
                ), cost AS (
                    -- the product's cost property for the company, else the default
                    -- property of the field, once per product and company in stock
                    SELECT used.product_id, used.company_id, property.value_float
                      FROM (SELECT DISTINCT lot.product_id, stock.company_id
                              FROM stock
                              JOIN stock_production_lot lot ON lot.id = stock.lot_id
                           ) used
                      LEFT JOIN LATERAL (
                          SELECT candidate.value_float FROM ir_property candidate
                           WHERE candidate.fields_id = (
                                     SELECT id FROM ir_model_fields
                                      WHERE model = 'product.product'
                                        AND name = 'standard_price')
                             AND (candidate.res_id = 'product.product,' || used.product_id
                                  OR candidate.res_id IS NULL)
                             AND (candidate.company_id = used.company_id
                                  OR candidate.company_id IS NULL)
                           ORDER BY candidate.res_id IS NULL, candidate.company_id IS NULL
                           LIMIT 1
                      ) property ON TRUE
                ), retest AS (
                    SELECT lot_id, COUNT(*) AS retest_count
                      FROM stock_lot_retest_history GROUP BY lot_id
                )
                SELECT stock.id, stock.lot_id, lot.product_id, template.categ_id,
                       stock.location_id, place.warehouse_id, stock.company_id,
                       company.currency_id, stock.quantity, stock.reserved_quantity,
                       lot.life_date, lot.alert_date,
                       CASE WHEN state.expiry_state = 'none' THEN NULL
                            ELSE FLOOR(EXTRACT(EPOCH FROM lot.life_date
                                               - (NOW() AT TIME ZONE 'UTC')) / 86400)::int
                       END AS days_to_expiry,
                       CASE WHEN state.expiry_state = 'none' THEN NULL
                            ELSE TO_CHAR(lot.life_date, 'IYYY-"W"IW') END AS expiry_week,
                       state.expiry_state,
                       stock.quantity * COALESCE(cost.value_float, 0.0) AS value_at_risk,
                       lot.supplier_id, lot.quality_grade_id, lot.quality_state,
                       COALESCE(lot.blocked, FALSE) AS blocked, place.in_quarantine,
                       COALESCE(retest.retest_count, 0) AS retest_count,
                       (state.expiry_state IN ('warning', 'expired')
                        AND COALESCE(template.max_retest_count, 0)
                            > COALESCE(retest.retest_count, 0)) AS retest_candidate
                  FROM stock
                  JOIN stock_production_lot lot ON lot.id = stock.lot_id
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN place ON place.location_id = stock.location_id
                  LEFT JOIN cost ON cost.product_id = lot.product_id
                                AND cost.company_id IS NOT DISTINCT FROM stock.company_id
                  LEFT JOIN res_company company ON company.id = stock.company_id
                  LEFT JOIN retest ON retest.lot_id = lot.id
                  LEFT JOIN LATERAL (
                      SELECT CASE
                          WHEN NOT COALESCE(template.use_expiration_date, FALSE)
                               OR lot.life_date IS NULL THEN 'none'
                          WHEN lot.life_date <= NOW() AT TIME ZONE 'UTC' THEN 'expired'
                          WHEN lot.alert_date <= NOW() AT TIME ZONE 'UTC' THEN 'warning'
                          ELSE 'ok' END AS expiry_state
                  ) state ON TRUE
            )
        """)
