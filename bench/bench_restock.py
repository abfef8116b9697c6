# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Restock lot entry benchmark (not part of the addon).

A purchase of N lot-tracked products is received with two lots per move:

- direct: the lots are typed on the move lines (first line written, second created),
  then the receipt is validated: what stock Odoo does with the detailed operations;
- wizard: "Enter Lots" opens stock.lot.restock, the lines are split in one write as
  the form would send them, and action_confirm validates.

Both arms run alternately in the same database and process; each round is rolled
back. Reports the median time, the time ratio wizard / direct (target < 1.5), the SQL
query counts, and the queries per move at N/4, N/2 and N (target: the wizard's extra
queries per move stay constant, i.e. its count grows linearly like stock Odoo's).
"""
import argparse
import statistics
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api, fields

TIME_RATIO_TARGET = 1.5
EXTRA_QUERIES_PER_MOVE_TARGET = 10


def make_products(env, count):
    """``count`` lot-tracked products with a shelf life (created once, committed)."""
    products = env['product.product'].search([('default_code', '=like', 'BENCH-%')],
                                             order='default_code')
    for index in range(len(products), count):
        products |= env['product.product'].create({
            'name': 'Bench product %03d' % index, 'default_code': 'BENCH-%03d' % index,
            'type': 'product', 'tracking': 'lot', 'use_expiration_date': True,
            'life_time': 365, 'expiry_warning_days': 30,
        })
    supplier = env['res.partner'].search([('name', '=', 'Bench Supplier')], limit=1) \
        or env['res.partner'].create({'name': 'Bench Supplier', 'supplier': True})
    env.cr.commit()
    return products[:count], supplier


def make_receipt(env, products, supplier):
    order = env['purchase.order'].create({
        'partner_id': supplier.id,
        'order_line': [(0, 0, {
            'product_id': product.id, 'name': product.name, 'product_qty': 10,
            'product_uom': product.uom_po_id.id, 'price_unit': 1.0,
            'date_planned': fields.Datetime.now(),
        }) for product in products],
    })
    order.button_confirm()
    picking = order.picking_ids
    picking.move_lines.mapped('move_line_ids')  # loaded as both arms would find them
    return picking


def direct(env, picking):
    """Stock Odoo: lots typed in the detailed operations, then Validate."""
    for move in picking.move_lines:
        line = move.move_line_ids[:1]
        line.write({'lot_name': 'A-%s' % move.product_id.default_code, 'qty_done': 5})
        env['stock.move.line'].create({
            'move_id': move.id, 'picking_id': picking.id, 'product_id': move.product_id.id,
            'product_uom_id': move.product_uom.id, 'location_id': move.location_id.id,
            'location_dest_id': move.location_dest_id.id,
            'lot_name': 'B-%s' % move.product_id.default_code, 'qty_done': 5,
        })
    assert picking.button_validate() is None
    assert picking.state == 'done'


def wizard(env, picking):
    """The restock wizard: open, split every line in one write, confirm."""
    action = picking.action_open_restock_wizard()
    restock = env['stock.lot.restock'].browse(action['res_id'])
    commands = []
    for line in restock.line_ids:
        code = line.product_id.default_code
        commands.append((1, line.id, {'lot_name': 'A-%s' % code, 'quantity': 5}))
        commands.append((0, 0, {'product_id': line.product_id.id, 'move_id': line.move_id.id,
                                'lot_name': 'B-%s' % code, 'quantity': 5}))
    restock.write({'line_ids': commands})
    assert restock.action_confirm() == {'type': 'ir.actions.act_window_close'}
    assert picking.state == 'done'


def measure(registry, arm, products, supplier):
    """(seconds, queries) of one arm on a fresh receipt, rolled back afterwards."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
        picking = make_receipt(env, products.with_env(env), supplier.with_env(env))
        start_queries = cr.sql_log_count
        start = time.perf_counter()
        arm(env, picking)
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        cr.rollback()
    return elapsed, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--moves', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    odoo.tools.config.parse_config(['-c', args.config, '-d', args.database,
                                    '--log-level', 'warn'])
    registry = odoo.registry(args.database)
    with api.Environment.manage():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True})
            products, supplier = make_products(env, args.moves)
        arms = (('direct', direct), ('wizard', wizard))
        for __, arm in arms:  # warm-up
            measure(registry, arm, products[:5], supplier)
        times = {name: [] for name, __ in arms}
        queries = {}
        for __ in range(args.rounds):
            for name, arm in arms:
                elapsed, count = measure(registry, arm, products, supplier)
                times[name].append(elapsed)
                queries[name, args.moves] = count
        for size in (args.moves // 4, args.moves // 2):
            for name, arm in arms:
                queries[name, size] = measure(registry, arm, products[:size], supplier)[1]

    direct_time = statistics.median(times['direct'])
    wizard_time = statistics.median(times['wizard'])
    ratio = wizard_time / direct_time
    sizes = sorted({size for __, size in queries})
    print('Restock lot entry: %d moves x 2 lots, %d rounds (median)'
          % (args.moves, args.rounds))
    print('%-8s %10s %10s %10s' % ('arm', 'seconds', 'queries', 'q/move'))
    for name in ('direct', 'wizard'):
        print('%-8s %10.2f %10d %10.1f' % (
            name, statistics.median(times[name]), queries[name, args.moves],
            queries[name, args.moves] / float(args.moves)))
    print('time ratio wizard/direct: %.2f (target < %.1f)' % (ratio, TIME_RATIO_TARGET))
    print('queries by receipt size:')
    print('%-8s %s' % ('moves', ' '.join('%8d' % size for size in sizes)))
    for name in ('direct', 'wizard'):
        print('%-8s %s' % (name, ' '.join('%8d' % queries[name, size] for size in sizes)))
    extra = [(queries['wizard', size] - queries['direct', size]) for size in sizes]
    print('%-8s %s' % ('extra', ' '.join('%8d' % value for value in extra)))
    # marginal extra queries per added move, between consecutive sizes
    marginal = [(extra[i + 1] - extra[i]) / float(sizes[i + 1] - sizes[i])
                for i in range(len(sizes) - 1)]
    print('extra queries per added move: %s (target <= %d, constant)' % (
        ', '.join('%.1f' % value for value in marginal), EXTRA_QUERIES_PER_MOVE_TARGET))
    failures = []
    if ratio >= TIME_RATIO_TARGET:
        failures.append('time ratio %.2f >= %.1f' % (ratio, TIME_RATIO_TARGET))
    if any(value > EXTRA_QUERIES_PER_MOVE_TARGET for value in marginal):
        failures.append('extra queries per move above %d' % EXTRA_QUERIES_PER_MOVE_TARGET)
    if len(marginal) > 1 and abs(marginal[-1] - marginal[0]) > 1.0:
        failures.append('extra queries per move not constant: %s' % marginal)
    if failures:
        print('TARGET MISSED: ' + '; '.join(failures))
        return 1
    print('targets met')
    return 0


if __name__ == '__main__':
    sys.exit(main())
