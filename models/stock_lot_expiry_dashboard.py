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
                SELECT company.id * 10 + counter.sequence AS id, counter.code,
                       counter.sequence, company.id AS company_id, company.currency_id,
                       COUNT(DISTINCT report.lot_id) AS lot_count,
                       COALESCE(SUM(report.quantity), 0.0) AS quantity,
                       COALESCE(SUM(report.value_at_risk), 0.0) AS value_at_risk
                  FROM res_company company
                 CROSS JOIN (VALUES (1, 'expiring_7'), (2, 'expiring_30'),
                                    (3, 'expired'), (4, 'blocked')
                            ) counter (sequence, code)
                  LEFT JOIN stock_lot_expiry_report report
                    ON report.company_id = company.id
                   AND CASE counter.code
                       WHEN 'expiring_7' THEN report.expiry_state IN ('ok', 'warning')
                                              AND report.days_to_expiry <= 7
                       WHEN 'expiring_30' THEN report.expiry_state IN ('ok', 'warning')
                                               AND report.days_to_expiry <= 30
                       WHEN 'expired' THEN report.expiry_state = 'expired'
                       ELSE report.blocked END
                 GROUP BY company.id, company.currency_id, counter.sequence, counter.code
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
