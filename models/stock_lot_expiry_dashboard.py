# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools

# counter -> (sequence, filter of the report's search view that lists its lots)
COUNTERS = {
    'expiring_7': (1, 'filter_expiring_7'),
    'expiring_30': (2, 'filter_expiring_30'),
    'expired': (3, 'filter_expired'),
    'blocked': (4, 'filter_blocked'),
}


class StockLotExpiryDashboard(models.Model):
    """The expiry counters of each company, over :class:`stock.lot.expiry.report`
    (a database view: always current)."""
    _name = 'stock.lot.expiry.dashboard'
    _description = 'Lot Expiration Dashboard'
    _auto = False
    _order = 'company_id, sequence'
    _rec_name = 'code'

    code = fields.Selection(
        [('expiring_7', 'Expiring in 7 Days'), ('expiring_30', 'Expiring in 30 Days'),
         ('expired', 'Expired in Stock'), ('blocked', 'Blocked')],
        string='Counter', readonly=True, help="What the counter counts.")
    sequence = fields.Integer(readonly=True, help="Order of the counters.")
    company_id = fields.Many2one(
        'res.company', string='Company', readonly=True, help="Company of the stock.")
    currency_id = fields.Many2one(
        'res.currency', string='Currency', readonly=True,
        help="Currency of the company.")
    lot_count = fields.Integer(
        string='Lots', readonly=True, help="Number of lots in stock the counter counts.")
    quantity = fields.Float(readonly=True, digits=0, help="Quantity of these lots.")
    value_at_risk = fields.Monetary(
        readonly=True, help="Value of these lots: quantity times the product's cost.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW stock_lot_expiry_dashboard AS (
                WITH report AS (
                    SELECT company_id, lot_id, quantity, value_at_risk,
                           CASE WHEN expiry_state IN ('ok', 'warning')
                                THEN days_to_expiry END AS days_left,
                           expiry_state = 'expired' AS expired, blocked
                      FROM stock_lot_expiry_report
                ), total AS (
                    -- one pass over the stock for the four counters
                    SELECT company_id,
                           COUNT(DISTINCT lot_id) FILTER (WHERE days_left <= 7) AS lots_1,
                           SUM(quantity) FILTER (WHERE days_left <= 7) AS quantity_1,
                           SUM(value_at_risk) FILTER (WHERE days_left <= 7) AS value_1,
                           COUNT(DISTINCT lot_id) FILTER (WHERE days_left <= 30) AS lots_2,
                           SUM(quantity) FILTER (WHERE days_left <= 30) AS quantity_2,
                           SUM(value_at_risk) FILTER (WHERE days_left <= 30) AS value_2,
                           COUNT(DISTINCT lot_id) FILTER (WHERE expired) AS lots_3,
                           SUM(quantity) FILTER (WHERE expired) AS quantity_3,
                           SUM(value_at_risk) FILTER (WHERE expired) AS value_3,
                           COUNT(DISTINCT lot_id) FILTER (WHERE blocked) AS lots_4,
                           SUM(quantity) FILTER (WHERE blocked) AS quantity_4,
                           SUM(value_at_risk) FILTER (WHERE blocked) AS value_4
                      FROM report GROUP BY company_id
                )
                SELECT company.id * 10 + counter.sequence AS id, counter.code,
                       counter.sequence, company.id AS company_id, company.currency_id,
                       COALESCE(CASE counter.sequence WHEN 1 THEN total.lots_1
                                    WHEN 2 THEN total.lots_2 WHEN 3 THEN total.lots_3
                                    ELSE total.lots_4 END, 0) AS lot_count,
                       COALESCE(CASE counter.sequence WHEN 1 THEN total.quantity_1
                                    WHEN 2 THEN total.quantity_2
                                    WHEN 3 THEN total.quantity_3
                                    ELSE total.quantity_4 END, 0.0) AS quantity,
                       COALESCE(CASE counter.sequence WHEN 1 THEN total.value_1
                                    WHEN 2 THEN total.value_2 WHEN 3 THEN total.value_3
                                    ELSE total.value_4 END, 0.0) AS value_at_risk
                  FROM res_company company
                 CROSS JOIN (VALUES (1, 'expiring_7'), (2, 'expiring_30'),
                                    (3, 'expired'), (4, 'blocked')
                            ) counter (sequence, code)
                  LEFT JOIN total ON total.company_id = company.id
            )
        """)

    @api.multi
    def action_open_report(self):
        """The lots of the counter, in the Lot Expiration analysis."""
        self.ensure_one()
        action = self.env.ref('stock_lot_tracking.stock_lot_expiry_report_action').read()[0]
        action['name'] = _('Lot Expiration: %s') % dict(
            self._fields['code']._description_selection(self.env))[self.code]
        action['domain'] = [('company_id', '=', self.company_id.id)]
        action['context'] = {'search_default_%s' % COUNTERS[self.code][1]: 1,
                             'search_default_group_product': 1}
        return action
