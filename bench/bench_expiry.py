# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Daily expiry check and expiration dashboard benchmark (not part of the addon).

For each N of ``--sizes``: N lots of 10 units in stock (one product using expiration
dates), their stored expiry state "Valid" as computed yesterday, of which 10% crossed a
threshold since: 5% entered their warning period, 5% expired. Measured, in one
transaction rolled back at the end (the data stays for the next run):

- the first run of ``_cron_check_expiry``: time, queries; checked: 10% of the states
  refreshed, one warning activity per lot in its warning period and one "decide"
  activity per expired lot;
- the second run: time, queries, nothing changed;
- the dashboard list as the web client opens it: the first page (``search_read``, limit
  80, with the count) and the grouped list (``read_group`` by product, then by
  warehouse with the Expiring in 30 Days filter), and the kanban of the counters.

The queries must not grow with N; from 10,000 lots, the second run must take under a
tenth of the first.
With ``--quarantine`` the warehouse also quarantines expired stock (an internal transfer
by the ORM, whose queries grow with the quants moved: use it with small sizes).
The lots and quants are written by SQL (a benchmark fixture, not the addon's way).
Exits 1 when a check fails or a target is missed.
"""
import argparse
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api, fields

from bench_common import conclude

LOT_QUANTITY = 10
CODE = 'EXPIRY-BENCH'
SECOND_RUN_RATIO = 0.1
RATIO_FROM = 10000  # lots: the second-run target applies from this size
PAGE = 80


def env_of(cr):
    return api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True,
                                              'mail_notrack': True})


def setup(registry, size):
    """The product and its ``size`` lots in stock, replacing an earlier run's
    (committed)."""
    with registry.cursor() as cr:
        env = env_of(cr)
        product = env['product.product'].search([('default_code', '=', CODE)], limit=1)
        if not product:
            product = env['product.product'].create({
                'name': 'Expiry Bench Product', 'default_code': CODE, 'type': 'product',
                'tracking': 'lot', 'use_expiration_date': True, 'life_time': 500,
                'expiry_warning_days': 10, 'standard_price': 2.5})
        cr.execute('SELECT id FROM stock_production_lot WHERE product_id = %s',
                   (product.id,))
        old = tuple(row[0] for row in cr.fetchall()) or (0,)
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'stock.production.lot' "
                   "AND res_id IN %s", (old,))
        cr.execute("DELETE FROM mail_followers WHERE res_model = 'stock.production.lot' "
                   "AND res_id IN %s", (old,))
        cr.execute('DELETE FROM stock_quant WHERE lot_id IN %s', (old,))
        cr.execute('DELETE FROM stock_lot_retest_history WHERE lot_id IN %s', (old,))
        cr.execute('DELETE FROM stock_production_lot WHERE id IN %s', (old,))
        stock = env.ref('stock.stock_location_stock')
        now = fields.Datetime.now()
        # i % 20 == 0: entered its warning period; i % 20 == 10: expired; else valid
        cr.execute("""
            WITH lot AS (
                INSERT INTO stock_production_lot (
                    name, product_id, product_uom_id, production_date, life_date,
                    alert_date, removal_date, expiry_state, quality_state, blocked,
                    create_uid, write_uid, create_date, write_date)
                SELECT 'EXB-' || LPAD(i::text, 7, '0'), %(product)s, %(uom)s,
                       %(now)s::timestamp - INTERVAL '100 days', life,
                       life - INTERVAL '10 days',
                       life, 'ok', 'approved', FALSE, 1, 1, %(now)s, %(now)s
                  FROM generate_series(0, %(size)s - 1) i,
                       LATERAL (SELECT CASE
                           WHEN i %% 20 = 0 THEN %(now)s::timestamp + INTERVAL '5 days'
                           WHEN i %% 20 = 10 THEN %(now)s::timestamp - INTERVAL '1 hour'
                           ELSE %(now)s::timestamp + INTERVAL '400 days'
                               + i * INTERVAL '1 minute' END AS life) dates
             RETURNING id
            )
            INSERT INTO stock_quant (product_id, location_id, lot_id, quantity,
                                     reserved_quantity, in_date, company_id,
                                     create_uid, write_uid, create_date, write_date)
            SELECT %(product)s, %(location)s, lot.id, %(quantity)s, 0, %(now)s,
                   %(company)s, 1, 1, %(now)s, %(now)s
              FROM lot
        """, {'product': product.id, 'uom': product.uom_id.id, 'now': now, 'size': size,
              'location': stock.id, 'quantity': LOT_QUANTITY,
              'company': stock.company_id.id or env.user.company_id.id})
        cr.execute('ANALYZE stock_production_lot')
        cr.execute('ANALYZE stock_quant')
        cr.commit()
        return product.id


def counted(cr, call):
    """(seconds, queries, result) of ``call()``."""
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, cr.sql_log_count - start_queries, result


def measure(registry, size, product_id, quarantine):
    """The figures of one size, checked; everything rolled back."""
    failures = []
    figures = {}
    with registry.cursor() as cr:  # warm-up: registry caches, views; rolled back
        env_of(cr)['stock.production.lot']._cron_check_expiry()
        env_of(cr)['stock.lot.expiry.dashboard'].search_read([], ['lot_count'])
        cr.rollback()
    with registry.cursor() as cr:
        env = env_of(cr)
        lot_model = env['stock.production.lot']
        if quarantine:
            warehouse = env.ref('stock.warehouse0')
            location = env['stock.location'].create({
                'name': 'Bench Quarantine', 'usage': 'internal',
                'location_id': warehouse.view_location_id.id})
            warehouse.write({'quarantine_location_id': location.id,
                             'quarantine_expired': True})
        env.clear()
        figures['run 1'] = counted(cr, lot_model._cron_check_expiry)
        env.clear()
        figures['run 2'] = counted(cr, lot_model._cron_check_expiry)
        crossing = size // 20
        if len(figures['run 1'][2]) != 2 * crossing:
            failures.append('N=%d: first run refreshed %d states, expected %d' % (
                size, len(figures['run 1'][2]), 2 * crossing))
        if figures['run 2'][2]:
            failures.append('N=%d: second run refreshed %d states' % (
                size, len(figures['run 2'][2])))
        for xmlid in ('mail_activity_type_lot_expiry', 'mail_activity_type_lot_expired'):
            cr.execute("""
                SELECT COUNT(*), COUNT(DISTINCT activity.res_id)
                  FROM mail_activity activity
                  JOIN stock_production_lot lot ON lot.id = activity.res_id
                 WHERE activity.res_model = 'stock.production.lot'
                   AND lot.product_id = %s AND activity.activity_type_id = %s
            """, (product_id, env.ref('stock_lot_tracking.' + xmlid).id))
            count, lots = cr.fetchone()
            if (count, lots) != (crossing, crossing):
                failures.append('N=%d: %d %s activities on %d lots, expected %d' % (
                    size, count, xmlid, lots, crossing))
        report = env['stock.lot.expiry.report']
        list_fields = ['product_id', 'lot_id', 'location_id', 'warehouse_id', 'quantity',
                       'reserved_quantity', 'life_date', 'days_to_expiry', 'expiry_week',
                       'expiry_state', 'value_at_risk', 'currency_id', 'quality_grade_id',
                       'supplier_id', 'blocked', 'retest_count']
        expiring_30 = [('expiry_state', 'in', ('ok', 'warning')),
                       ('days_to_expiry', '<=', 30)]

        def first_page():
            rows = report.search_read([], list_fields, limit=PAGE)
            return rows, report.search_count([])

        def grouped():
            by_product = report.read_group([], ['product_id', 'quantity', 'value_at_risk'],
                                           ['product_id'], lazy=True)
            by_warehouse = report.read_group(
                expiring_30, ['warehouse_id', 'quantity', 'value_at_risk'],
                ['warehouse_id'], lazy=True)
            return by_product, by_warehouse

        def counters():
            return env['stock.lot.expiry.dashboard'].search_read(
                [], ['code', 'company_id', 'lot_count', 'quantity', 'value_at_risk',
                     'currency_id'])

        env.clear()
        figures['list page'] = counted(cr, first_page)
        env.clear()
        figures['list grouped'] = counted(cr, grouped)
        env.clear()
        figures['counters'] = counted(cr, counters)
        rows, total = figures['list page'][2]
        if len(rows) != min(PAGE, total) or total < size:
            failures.append('N=%d: list page of %d rows of %d' % (size, len(rows), total))
        warning = [row for row in figures['counters'][2] if row['code'] == 'expiring_30']
        if not warning or warning[0]['lot_count'] < crossing:
            failures.append('N=%d: counter expiring in 30 days %s' % (size, warning))
        cr.rollback()
    return figures, failures


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--sizes', default='2000,20000',
                        help='numbers of lots in stock (default 2000,20000; the issue\'s '
                             'figure: 10000,100000)')
    parser.add_argument('--quarantine', action='store_true',
                        help='the warehouse also quarantines expired stock')
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(',')]
    return args


def main():
    args = parse_args()
    odoo.tools.config.parse_config(['-c', args.config, '--log-level', 'warn'])
    failures = []
    results = {}
    with api.Environment.manage():
        registry = odoo.registry(args.database)
        for size in args.sizes:
            started = time.perf_counter()
            product_id = setup(registry, size)
            print('N=%d: %d lots in stock ready in %.0f s' % (
                size, size, time.perf_counter() - started), flush=True)
            figures, size_failures = measure(registry, size, product_id, args.quarantine)
            failures.extend(size_failures)
            results[size] = figures
            for label in ('run 1', 'run 2', 'list page', 'list grouped', 'counters'):
                seconds, queries, __ = figures[label]
                print('N=%-7d %-13s %8.3f s %6d queries' % (size, label, seconds, queries),
                      flush=True)
    misses = []
    for size, figures in results.items():
        first, second = figures['run 1'][0], figures['run 2'][0]
        # below RATIO_FROM lots the fixed cost of a run (about 14 queries) dominates
        if size >= RATIO_FROM and second >= SECOND_RUN_RATIO * first:
            misses.append('N=%d: second run %.3f s >= 1/10 of the first %.3f s'
                          % (size, second, first))
    smallest = results[min(results)]
    for size, figures in results.items():
        for label in ('run 1', 'run 2', 'list page', 'list grouped', 'counters'):
            if not args.quarantine and figures[label][1] > smallest[label][1]:
                misses.append('%s: %d queries at N=%d, %d at N=%d' % (
                    label, figures[label][1], size, smallest[label][1], min(results)))
    print()
    print('daily expiry check, 10%% of the lots crossing a threshold (5%% warning, '
          '5%% expired)%s' % (', with quarantine' if args.quarantine else ''))
    print('%-9s %10s %8s %10s %8s %9s %9s %9s' % (
        'N', 'run 1 s', 'q', 'run 2 s', 'q', 'page q', 'group q', 'kanban q'))
    for size in sorted(results):
        figures = results[size]
        print('%-9d %10.3f %8d %10.3f %8d %9d %9d %9d' % (
            size, figures['run 1'][0], figures['run 1'][1], figures['run 2'][0],
            figures['run 2'][1], figures['list page'][1], figures['list grouped'][1],
            figures['counters'][1]))
        print('%-9s list page %.3f s, grouped %.3f s, counters %.3f s' % (
            '', figures['list page'][0], figures['list grouped'][0],
            figures['counters'][0]))
    return conclude(failures, misses, 'states and activities checked; targets met')


if __name__ == '__main__':
    sys.exit(main())
