# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""FEFO reservation benchmark: stock Odoo 11 against stock_lot_tracking (not part of the
addon).

Two databases in the same run and process: one with stock Odoo 11's ``product_expiry``
(FEFO removal strategy on the product category, no addon), one with the addon. In both,
the same lots of 10 units with distinct expiration dates; measured:

- one delivery move of 5*N units over N lots, for each N of ``--sizes``;
- one picking of ``--picking-moves`` moves over ``--picking-lots`` lots each;
- with ``--with-mrp`` (both databases have mrp), also a manufacturing order of one unit
  of a product whose bill of materials takes 5*N units of the FEFO product, for each N.

In the addon database, when the customer rule fields exist (the reservation rules are
installed), the customer has a minimum shelf life and grade (partner defaults and a more
specific category rule), and some lots are expired, blocked, rejected, in quarantine, too
short-lived or of a worse grade: they must be skipped (by a manufacturing order, which
delivers no customer: the expired, blocked, rejected and quarantined ones). Each
reservation is checked lot by lot against what the rules require (stock: plain FEFO),
then rolled back.

Reports times (median of up to ``--rounds`` runs for cases under 30 s), ratios stock /
addon, queries, queries per reserved lot and the growth of the time per doubling of N;
exits 1 when a check fails or (full sizes) a target is missed.
"""
import argparse
import math
import statistics
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

from bench_common import conclude

LOT_QUANTITY = 10
GROWTH_TARGET = 2.3           # time factor per doubling of N (addon)
SPEEDUP_TARGET = 5.0          # stock / addon at the largest N and for the picking
QUERIES_PER_LOT_TARGET = 2.0  # addon, per reserved lot
REPEAT_BELOW = 30.0           # seconds: cases faster than this are measured again
# kind of each lot by its index modulo 20 (skipped in the addon database with rules)
KINDS = {1: 'expired', 3: 'blocked', 5: 'short', 7: 'grade', 9: 'rejected',
         11: 'expired', 13: 'blocked', 15: 'short', 17: 'grade', 19: 'quarantine'}
# kinds skipped by the components of a production (no customer rule applies)
PRODUCTION_SKIPPED = ('expired', 'blocked', 'rejected', 'quarantine')


def now():
    return datetime.now().replace(microsecond=0)


def lot_life_date(index, kind, start):
    """Distinct expiration dates: expired lots in the past, short-lived ones within a week,
    the others in more than a year (so that a database reused for months still has them
    acceptable); FEFO takes expired and short ones first."""
    if kind == 'expired':
        return start - timedelta(days=1, minutes=index)
    if kind == 'short':
        return start + timedelta(days=5, minutes=index)
    return start + timedelta(days=400, minutes=index)


class Arm(object):
    """One database: its registry, its reference data, whether the rules are active."""

    def __init__(self, name, database):
        self.name = name
        self.database = database
        self.registry = odoo.registry(database)
        self.rules = False

    def env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True,
                                                  'mail_notrack': True})

    def setup(self, sizes, picking_moves, picking_lots):
        """Products and lots of every size (created once, committed)."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            self.addon = 'stock_lot_tracking' in env.registry._init_modules
            self.mrp = 'mrp.production' in env
            partner_model = env['res.partner']
            self.rules = self.addon and 'min_shelf_life_days' in partner_model._fields
            self._reference_data(env)
            specs = [('FEFO-%d' % size, size) for size in sizes]
            specs += [('FEFO-P%02d-%d' % (index, picking_lots), picking_lots)
                      for index in range(picking_moves)]
            cr.commit()
            for code, count in specs:
                self._product(env, code, count)
                cr.commit()

    def _reference_data(self, env):
        ref = env.ref
        self.stock = ref('stock.stock_location_stock')
        self.customers = ref('stock.stock_location_customers')
        self.picking_type = ref('stock.picking_type_out')
        location_model = env['stock.location']
        self.quarantine = location_model.search([('name', '=', 'Bench Quarantine')], limit=1) \
            or location_model.create({'name': 'Bench Quarantine', 'usage': 'internal',
                                      'location_id': self.stock.id})
        category_model = env['product.category']
        fefo = ref('product_expiry.removal_fefo')
        self.category = category_model.search([('name', '=', 'Bench FEFO')], limit=1) \
            or category_model.create({'name': 'Bench FEFO', 'removal_strategy_id': fefo.id})
        partner_model = env['res.partner']
        self.customer = partner_model.search([('name', '=', 'Bench Customer')], limit=1) \
            or partner_model.create({'name': 'Bench Customer', 'customer': True})
        self.grades = {}
        if 'quality_grade_id' in env['stock.production.lot']._fields:
            grade_model = env['stock.lot.quality.grade']
            for name, sequence in (('Bench A', 10), ('Bench B', 20), ('Bench C', 30)):
                self.grades[name] = grade_model.search([('name', '=', name)], limit=1) \
                    or grade_model.create({'name': name, 'sequence': sequence})
        if self.rules:
            warehouse = env['stock.warehouse'].search(
                [('lot_stock_id', '=', self.stock.id)], limit=1)
            if warehouse.quarantine_location_id != self.quarantine:
                warehouse.quarantine_location_id = self.quarantine
            self.customer.write({'min_shelf_life_days': 20,
                                 'min_quality_grade_id': self.grades['Bench C'].id})
            rule_model = env['stock.lot.customer.rule']
            if not rule_model.search([('partner_id', '=', self.customer.id)]):
                # more specific than the partner's defaults: 30 days, grade B or better
                rule_model.create({'partner_id': self.customer.id,
                                   'categ_id': self.category.id, 'min_shelf_life_days': 30,
                                   'min_quality_grade_id': self.grades['Bench B'].id})

    def _product(self, env, code, count):
        """A FEFO product with ``count`` lots of 10 units in stock (some skipped by rules)."""
        product_model = env['product.product']
        product = product_model.search([('default_code', '=', code)], limit=1)
        if product:  # committed complete by an earlier run
            return product
        vals = {'name': 'Bench %s' % code, 'default_code': code, 'type': 'product',
                'tracking': 'lot', 'categ_id': self.category.id, 'life_time': 365}
        if 'use_expiration_date' in product_model._fields:
            vals['use_expiration_date'] = True
        product = product_model.create(vals)
        lot_model = env['stock.production.lot']
        quant_model = env['stock.quant']
        start = now()
        for index in range(count):
            kind = KINDS.get(index % 20, 'ok')
            life_date = fields.Datetime.to_string(lot_life_date(index, kind, start))
            vals = {'name': '%s-%05d' % (code, index), 'product_id': product.id,
                    'life_date': life_date, 'removal_date': life_date}
            if self.grades:
                vals['quality_grade_id'] = self.grades[
                    'Bench C' if kind == 'grade' else 'Bench A'].id
            if self.addon and kind == 'blocked':
                vals.update(blocked=True, block_reason='Bench hold')
            if self.addon and kind == 'rejected':
                vals['quality_state'] = 'rejected'
            lot = lot_model.create(vals)
            location = self.quarantine if kind == 'quarantine' else self.stock
            quant_model._update_available_quantity(product, location, LOT_QUANTITY,
                                                   lot_id=lot)
        return product

    def products(self, env, codes):
        return env['product.product'].search([('default_code', 'in', codes)],
                                             order='default_code')

    def expected(self, product, skipped=None):
        """{lot name: quantity} that a move of 5 units per lot must reserve, skipping
        the lots of the kinds ``skipped`` (all but 'ok' by default) when the rules are
        active."""
        lots = sorted(product.env['stock.production.lot'].search(
            [('product_id', '=', product.id)]), key=lambda lot: (lot.removal_date, lot.id))
        count = len(lots)
        need = count * LOT_QUANTITY // 2
        result = {}
        for lot in lots:
            index = int(lot.name.rsplit('-', 1)[1])
            kind = KINDS.get(index % 20, 'ok')
            if self.rules and kind != 'ok' and (skipped is None or kind in skipped):
                continue
            taken = min(LOT_QUANTITY, need)
            if taken <= 0:
                break
            result[lot.name] = float(taken)
            need -= taken
        return result

    def measure(self, codes, production=False):
        """Reserve one picking with a move of 5 units per lot for each product of
        ``codes`` (with ``production``: one manufacturing order of a product made of
        5 units per lot of the single product of ``codes``); return (seconds, queries,
        reserved lots, check failures)."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            products = self.products(env, codes)
            assert len(products) == len(codes), 'missing bench products %s' % codes
            if production:
                order = self._production(env, products)
                moves = order.move_raw_ids
            else:
                order = self._picking(env, products)
                moves = order.move_lines
            order.invalidate_cache()
            start_queries = cr.sql_log_count
            start = time.perf_counter()
            order.action_assign()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - start_queries
            order.invalidate_cache()
            failures = []
            reserved_lots = 0
            for move in moves:
                reserved = {}
                for line in move.move_line_ids:
                    reserved[line.lot_id.name] = (reserved.get(line.lot_id.name, 0.0)
                                                  + line.product_qty)
                reserved_lots += len(reserved)
                expected = self.expected(move.product_id,
                                         PRODUCTION_SKIPPED if production else None)
                if reserved != expected:
                    failures.append('%s %s: reserved %d lots (%s...), expected %d (%s...)' % (
                        self.name, move.product_id.default_code, len(reserved),
                        sorted(reserved)[:3], len(expected), sorted(expected)[:3]))
                quants = env['stock.quant'].search([('product_id', '=', move.product_id.id)])
                if sum(quants.mapped('reserved_quantity')) != sum(expected.values()):
                    failures.append('%s %s: quants reserved %s, expected %s' % (
                        self.name, move.product_id.default_code,
                        sum(quants.mapped('reserved_quantity')), sum(expected.values())))
                if any(quant.reserved_quantity > quant.quantity for quant in quants):
                    failures.append('%s %s: a quant is over-reserved'
                                    % (self.name, move.product_id.default_code))
            cr.rollback()
        return elapsed, queries, reserved_lots, failures

    def _need(self, env, product):
        """5 units per lot of ``product``."""
        return LOT_QUANTITY * env['stock.quant'].search_count(
            [('product_id', '=', product.id)]) // 2

    def _picking(self, env, products):
        """A confirmed delivery of 5 units per lot of each of ``products``."""
        picking = env['stock.picking'].create({
            'picking_type_id': self.picking_type.id, 'partner_id': self.customer.id,
            'location_id': self.stock.id, 'location_dest_id': self.customers.id,
            'move_lines': [(0, 0, {
                'name': product.name, 'product_id': product.id,
                'product_uom': product.uom_id.id,
                'product_uom_qty': self._need(env, product),
                'location_id': self.stock.id, 'location_dest_id': self.customers.id,
                'partner_id': self.customer.id,
            }) for product in products],
        })
        picking.action_confirm()
        return picking

    def _production(self, env, component):
        """A confirmed manufacturing order of one unit of a product made of 5 units per
        lot of ``component``, from the stock location."""
        made = env['product.product'].create({
            'name': 'Bench Made %s' % component.default_code, 'type': 'product'})
        bom = env['mrp.bom'].create({
            'product_tmpl_id': made.product_tmpl_id.id, 'product_id': made.id,
            'product_qty': 1.0, 'product_uom_id': made.uom_id.id, 'type': 'normal',
            'bom_line_ids': [(0, 0, {'product_id': component.id,
                                     'product_qty': self._need(env, component)})]})
        return env['mrp.production'].create({
            'product_id': made.id, 'product_qty': 1.0, 'product_uom_id': made.uom_id.id,
            'bom_id': bom.id, 'location_src_id': self.stock.id})


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('--stock-db', required=True)
    parser.add_argument('--addon-db', required=True)
    parser.add_argument('--sizes', default='100,1000,2000',
                        help='numbers of lots of the single move (default 100,1000,2000)')
    parser.add_argument('--picking-moves', type=int, default=50)
    parser.add_argument('--picking-lots', type=int, default=200)
    parser.add_argument('--quick', action='store_true',
                        help='small sizes for a quick run: 50,100,200 and 5 x 40')
    parser.add_argument('--rounds', type=int, default=3,
                        help='repeat a case up to this many times while it has taken less '
                             'than 30 s in the database, and keep the median (default 3)')
    parser.add_argument('--with-mrp', action='store_true',
                        help='both databases have mrp: also reserve the components of a '
                             'manufacturing order of each size')
    parser.add_argument('--skip-stock-above', type=int, default=0,
                        help='do not measure stock Odoo above this N (0: measure all)')
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.picking_moves, args.picking_lots = '50,100,200', 5, 40
    args.sizes = [int(size) for size in args.sizes.split(',')]
    return args


def run(arms, args):
    """Measure every case in both databases: {(arm, case): (seconds, queries, lots)}
    and the check failures."""
    sizes = args.sizes
    picking_codes = ['FEFO-P%02d-%d' % (index, args.picking_lots)
                     for index in range(args.picking_moves)]
    for arm in arms:
        started = time.perf_counter()
        arm.setup(sizes + [20], args.picking_moves, args.picking_lots)
        print('%s: database %s ready in %.0f s%s' % (
            arm.name, arm.database, time.perf_counter() - started,
            ', customer rules active' if arm.rules else ''), flush=True)
    for arm in arms:
        if args.with_mrp and not arm.mrp:
            raise SystemExit('--with-mrp: mrp is not installed in %s' % arm.database)
        arm.measure(['FEFO-20'])  # warm-up: registry caches, units, sequences
        if args.with_mrp:
            arm.measure(['FEFO-20'], production=True)
    cases = [('N=%d' % size, size, ['FEFO-%d' % size], False) for size in sizes]
    cases.append(('picking %dx%d' % (args.picking_moves, args.picking_lots), 0,
                  picking_codes, False))
    if args.with_mrp:
        cases += [('MO N=%d' % size, size, ['FEFO-%d' % size], True) for size in sizes]
    results = {}
    failures = []
    for label, size, codes, production in cases:
        for arm in arms:
            if arm.name == 'stock' and 0 < args.skip_stock_above < size:
                continue
            times = []
            while len(times) < max(args.rounds, 1) and sum(times) < REPEAT_BELOW:
                elapsed, queries, lots, arm_failures = arm.measure(codes, production)
                times.append(elapsed)
                failures.extend(arm_failures)
            elapsed = statistics.median(times)
            results[arm.name, label] = (elapsed, queries, lots)
            print('%-6s %-16s %8.2f s %8d queries %6d lots reserved (%d run%s)' % (
                arm.name, label, elapsed, queries, lots, len(times),
                's' if len(times) > 1 else ''), flush=True)
    return [case[0] for case in cases], results, failures


def report(labels, results, sizes, rules, with_mrp=False):
    """Print the table and the growth per doubling; return the addon's growth factors."""
    print()
    print('FEFO reservation, lots of %d units, move of 5 units per lot; addon rules %s%s'
          % (LOT_QUANTITY, 'ACTIVE (expired, blocked, rejected, quarantine, shelf life, '
             'grade skipped)' if rules else 'NOT installed (plain FEFO in both)',
             '; mrp installed in both databases' if with_mrp else ''))
    print('%-16s %9s %9s %7s %9s %9s %8s %8s' % (
        'case', 'stock s', 'addon s', 'ratio', 'stock q', 'addon q', 'q/lot', 'lots'))
    for label in labels:
        stock = results.get(('stock', label))
        addon = results[('addon', label)]
        print('%-16s %9s %9.2f %7s %9s %9d %8.2f %8d' % (
            label, '%.2f' % stock[0] if stock else '-', addon[0],
            '%.1f' % (stock[0] / addon[0]) if stock else '-',
            '%d' % stock[1] if stock else '-', addon[1],
            addon[1] / float(max(addon[2], 1)), addon[2]))
    print('growth of the time per doubling of N:')
    growth = {}
    for name in ('stock', 'addon'):
        factors = []
        for small, large in zip(sizes, sizes[1:]):
            first = results.get((name, 'N=%d' % small))
            second = results.get((name, 'N=%d' % large))
            if first and second:
                doublings = math.log(large / float(small), 2)
                factors.append((small, large, (second[0] / first[0]) ** (1 / doublings)))
        print('  %-6s %s' % (name, ', '.join('N %d->%d: %.2fx' % factor
                                             for factor in factors)))
        growth[name] = factors
    return growth['addon']


def target_misses(labels, results, sizes, growth):
    misses = []
    for small, large, factor in growth:
        if factor > GROWTH_TARGET:
            misses.append('addon growth %d->%d %.2fx per doubling > %.1f'
                          % (small, large, factor, GROWTH_TARGET))
    checked = ['N=%d' % sizes[-1]] + [label for label in labels
                                      if label.startswith('picking')]
    if 'MO N=%d' % sizes[-1] in labels:
        checked.append('MO N=%d' % sizes[-1])
    for label in checked:
        stock = results.get(('stock', label))
        if stock and stock[0] / results['addon', label][0] < SPEEDUP_TARGET:
            misses.append('%s: addon only %.1fx faster than stock (target %.0fx)' % (
                label, stock[0] / results['addon', label][0], SPEEDUP_TARGET))
    for label in labels:
        __, queries, lots = results['addon', label]
        if lots and queries / float(lots) > QUERIES_PER_LOT_TARGET:
            misses.append('%s: %.2f queries per reserved lot > %.0f'
                          % (label, queries / float(lots), QUERIES_PER_LOT_TARGET))
    return misses


def main():
    args = parse_args()
    odoo.tools.config.parse_config(['-c', args.config, '--log-level', 'warn'])
    with api.Environment.manage():
        arms = [Arm('stock', args.stock_db), Arm('addon', args.addon_db)]
        labels, results, failures = run(arms, args)
    growth = report(labels, results, args.sizes, arms[1].rules, args.with_mrp)
    misses = target_misses(labels, results, args.sizes, growth)
    return conclude(
        failures, misses, 'reserved quantities checked; targets met', quick=args.quick,
        failure_title='CHECK FAILED: reserved quantities differ from what the rules '
                      'require:')


if __name__ == '__main__':
    sys.exit(main())
