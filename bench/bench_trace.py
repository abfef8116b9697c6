# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot traceability benchmark: stock Odoo 11's stock.traceability.report against
stock_lot_tracking's trace_move_lines (not part of the addon).

One database with the addon, one history per R of ``--sizes``: a lot L0 received from
a supplier into WH/Stock, moved to a shelf and delivered to a customer from there, R
times (ten customers in turn); in the last cycle one unit of L0 goes into a production
chain five levels deep (L0 consumed into L1, L1 into L2, ... L5, each level a done move
to and a done move from the production location, the produced line linked to the
consumed one through ``consume_line_ids`` as mrp writes it), L5 is delivered, then L0's
last delivery. The first cycle, the last one and the chain go through Odoo's flows;
the cycles between them are copies of the first one made in SQL (every column of the
picking, its move and its move line, with the next picking name of the operation type,
dates one hour apart and the next customer), so they look exactly like what the flows
leave. Histories are built once and committed; later runs reuse them.

Measured in the same run, on the same data, each in a fresh cursor (empty caches):

- stock downstream: ``get_move_lines_downstream`` from L0's first receipt line, as
  Odoo's report unfolds it; addon: ``L0.trace_move_lines('downstream')``;
- stock upstream: ``get_move_lines_upstream`` from L0's last delivery line; addon:
  ``L0.trace_move_lines('upstream')``;
- addon only: ``L5.trace_move_lines('upstream')`` (through the five productions back to
  L0's receipts: stock's report stops at the production location);
- when ``stock.lot.recall`` is installed: opening a mock recall of L0
  (``create`` + ``action_compute``).

Checks that the addon's set of lines contains stock's (and the start line), and their
exact sizes. Reports times (median of up to ``--rounds`` runs for cases under 20 s),
ratios stock / addon and query counts; exits 1 when a check fails or (full sizes) a
target is missed: the addon at least 50 times faster than stock at the largest R, and
the addon's query count the same at every R.
"""
import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from psycopg2 import sql

from bench_common import conclude

CYCLE_QUANTITY = 10.0
LAST_DELIVERY = 5.0          # L0 left on the shelf at the end: 10 - 1 consumed - 5
CHAIN_DEPTH = 5
CUSTOMERS = 10
SHELF = 'Bench Trace Shelf'
STEP = timedelta(hours=1)    # between two cycles
SPEEDUP_TARGET = 50.0        # stock / addon at the largest R, both directions
REPEAT_BELOW = 20.0          # seconds: cases faster than this are measured again
# business dates of each table, shifted in the copies; create/write dates follow them
DATE_COLUMNS = {
    'stock_picking': ('date', 'date_done', 'scheduled_date'),
    'stock_move': ('date', 'date_expected'),
    'stock_move_line': ('date',),
}


def now():
    return datetime.now().replace(microsecond=0)


class History(object):
    """The history of one R: its lots and the lines the traces start from."""

    def __init__(self, env, size):
        self.size = size
        self.code = 'TRACE-%d' % size
        lot_model = env['stock.production.lot']
        self.lots = [lot_model.search([('name', '=', '%s-L%d' % (self.code, level))],
                                      limit=1) for level in range(CHAIN_DEPTH + 1)]

    @property
    def complete(self):
        return all(self.lots)

    def receipt_line(self, env):
        """L0's first receipt line: where Odoo's report unfolds the downstream trace."""
        return env['stock.move.line'].search([
            ('lot_id', '=', self.lots[0].id), ('state', '=', 'done'),
            ('location_id.usage', '=', 'supplier')], order='date, id', limit=1)

    def last_delivery_lines(self, env, level=0):
        """The lot's lines of its last delivery: where the upstream trace unfolds."""
        last = env['stock.move.line'].search([
            ('lot_id', '=', self.lots[level].id), ('state', '=', 'done'),
            ('location_dest_id.usage', '=', 'customer')], order='date desc, id desc',
            limit=1)
        return last.picking_id.move_line_ids.filtered(
            lambda line: line.lot_id == self.lots[level])


class Builder(object):
    """Builds the history of one R in one transaction."""

    def __init__(self, env, size):
        self.env = env
        self.size = size
        self.code = 'TRACE-%d' % size
        ref = env.ref
        self.warehouse = ref('stock.warehouse0')
        self.stock = self.warehouse.lot_stock_id
        self.suppliers = ref('stock.stock_location_suppliers')
        self.customers = ref('stock.stock_location_customers')
        self.production = ref('stock.location_production')
        location_model = env['stock.location']
        self.shelf = location_model.search([('name', '=', SHELF)], limit=1) \
            or location_model.create({'name': SHELF, 'usage': 'internal',
                                      'location_id': self.stock.id})
        partner_model = env['res.partner']
        self.supplier = partner_model.search([('name', '=', 'Bench Trace Supplier')],
                                             limit=1) \
            or partner_model.create({'name': 'Bench Trace Supplier', 'supplier': True})
        self.customer_partners = partner_model.browse()
        for index in range(CUSTOMERS):
            name = 'Bench Trace Customer %02d' % index
            self.customer_partners |= partner_model.search([('name', '=', name)], limit=1) \
                or partner_model.create({'name': name, 'customer': True,
                                         'email': 'customer%02d@example.com' % index})
        # L0's cycles are R hours long and end three hours ago
        self.base = now() - STEP * (size + 2)

    def build(self):
        env = self.env
        products = [self._product('%s-P%d' % (self.code, level))
                    for level in range(CHAIN_DEPTH + 1)]
        lots = [env['stock.production.lot'].create({
            'name': '%s-L%d' % (self.code, level), 'product_id': product.id})
            for level, product in enumerate(products)]
        lot = lots[0]
        # the first cycle, through the flows
        first = self._cycle(lot, CYCLE_QUANTITY, self.customer_partners[0])
        self._date(first, self.base)
        # the cycles between the first and the last one: copies of the first
        self._copy_cycles(first, self.size - 2)
        # the last cycle: received, moved, one unit into the chain, then delivered
        when = self.base + STEP * (self.size - 1)
        receipt, internal = self._cycle(lot, CYCLE_QUANTITY, None)
        self._date((receipt, internal), when)
        consumed = self._done_move(lot, 1.0, self.shelf, self.production)
        self._date_lines(consumed, when + timedelta(minutes=30))
        for level in range(1, CHAIN_DEPTH + 1):
            produced = self._done_move(lots[level], 1.0, self.production, self.stock)
            produced.write({'consume_line_ids': [(6, 0, consumed.ids)]})
            self._date_lines(produced, when + timedelta(minutes=29 + 2 * level))
            if level < CHAIN_DEPTH:
                consumed = self._done_move(lots[level], 1.0, self.stock, self.production)
                self._date_lines(consumed, when + timedelta(minutes=30 + 2 * level))
        final = self._delivery(lots[-1], 1.0, self.stock, self.customer_partners[1])
        self._date([final], when + timedelta(minutes=45))
        last = self._delivery(lot, LAST_DELIVERY, self.shelf, self.customer_partners[2])
        self._date([last], when + timedelta(minutes=50))
        env.cr.execute('UPDATE stock_quant SET in_date = %s WHERE lot_id IN %s',
                       (fields.Datetime.to_string(when), tuple(lot.id for lot in lots)))
        env['stock.move.line'].invalidate_cache()  # the whole cache

    def _product(self, code):
        return self.env['product.product'].create({
            'name': 'Bench %s' % code, 'default_code': code, 'type': 'product',
            'tracking': 'lot'})

    def _cycle(self, lot, quantity, customer):
        """Receipt, internal move to the shelf, delivery from it (no delivery without
        ``customer``): the done pickings."""
        product = lot.product_id
        receipt = self._picking(self.warehouse.in_type_id, self.suppliers, self.stock,
                                product, quantity, self.supplier)
        self._validate(receipt, lot, quantity, self.suppliers)
        internal = self._picking(self.warehouse.int_type_id, self.stock, self.shelf,
                                 product, quantity, None)
        self._validate(internal, lot, quantity, self.stock)
        if not customer:
            return receipt, internal
        return receipt, internal, self._delivery(lot, quantity, self.shelf, customer)

    def _delivery(self, lot, quantity, source, customer):
        delivery = self._picking(self.warehouse.out_type_id, self.stock, self.customers,
                                 lot.product_id, quantity, customer)
        return self._validate(delivery, lot, quantity, source)

    def _picking(self, picking_type, source, destination, product, quantity, partner):
        picking = self.env['stock.picking'].create({
            'picking_type_id': picking_type.id, 'partner_id': partner.id if partner else False,
            'location_id': source.id, 'location_dest_id': destination.id,
            'move_lines': [(0, 0, {
                'name': product.name, 'product_id': product.id,
                'product_uom': product.uom_id.id, 'product_uom_qty': quantity,
                'location_id': source.id, 'location_dest_id': destination.id,
                'partner_id': partner.id if partner else False})],
        })
        picking.action_confirm()
        return picking

    def _validate(self, picking, lot, quantity, source):
        """Done with ``quantity`` of ``lot`` taken from ``source``, as on the form."""
        picking.do_unreserve()
        move = picking.move_lines
        self.env['stock.move.line'].create({
            'move_id': move.id, 'picking_id': picking.id, 'product_id': move.product_id.id,
            'product_uom_id': move.product_uom.id, 'location_id': source.id,
            'location_dest_id': move.location_dest_id.id, 'lot_id': lot.id,
            'qty_done': quantity})
        picking.button_validate()
        assert picking.state == 'done', '%s not done' % picking.name
        return picking

    def _done_move(self, lot, quantity, source, destination):
        """A done move without picking to or from the production location, as a
        manufacturing order leaves: its move line."""
        product = lot.product_id
        move = self.env['stock.move'].create({
            'name': '%s production' % self.code, 'product_id': product.id,
            'product_uom': product.uom_id.id, 'product_uom_qty': quantity,
            'location_id': (self.stock if source == self.shelf else source).id,
            'location_dest_id': destination.id})
        move._action_confirm()
        self.env['stock.move.line'].create({
            'move_id': move.id, 'product_id': product.id, 'product_uom_id': product.uom_id.id,
            'location_id': source.id, 'location_dest_id': destination.id, 'lot_id': lot.id,
            'qty_done': quantity})
        move._action_done()
        assert move.state == 'done'
        return move.move_line_ids

    def _date(self, pickings, when):
        """Date ``pickings`` (done, in order) ten minutes apart from ``when``."""
        for index, picking in enumerate(pickings):
            self._date_lines(picking.move_line_ids, when + timedelta(minutes=10 * index))

    def _date_lines(self, lines, when):
        """Give ``lines``, their moves and pickings the date ``when`` (and as creation
        and last update)."""
        value = fields.Datetime.to_string(when)
        cr = self.env.cr
        for table, ids in (('stock_move_line', lines.ids),
                           ('stock_move', lines.mapped('move_id').ids),
                           ('stock_picking', lines.mapped('picking_id').ids)):
            if not ids:
                continue
            columns = DATE_COLUMNS[table] + ('create_date', 'write_date')
            assignments = sql.SQL(', ').join(
                sql.SQL('{} = %(value)s').format(sql.Identifier(column))
                for column in columns)
            query = sql.SQL('UPDATE {} SET {} WHERE id IN %(ids)s').format(
                sql.Identifier(table), assignments)
            cr.execute(query, {'value': value, 'ids': tuple(ids)})
        lines.invalidate_cache()

    def _columns(self, table):
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            (table,))
        return [row[0] for row in self.env.cr.fetchall()]

    def _copy(self, table, source_id, new_values):
        """Copy the row ``source_id`` of ``table`` once per element of ``new_values``
        = ``{'step': [...], column: [...]}``: every column as it is but the given ones
        and the dates, shifted by ``step`` hours; return the new ids in that order."""
        shifted = DATE_COLUMNS[table] + ('create_date', 'write_date')
        names = list(new_values)
        exprs = []
        for column in self._columns(table):
            if column in new_values:
                exprs.append(sql.SQL('new.{}').format(sql.Identifier(column)))
            elif column in shifted:
                exprs.append(sql.SQL("src.{0} + new.step * interval '1 hour'").format(
                    sql.Identifier(column)))
            else:
                exprs.append(sql.SQL('src.{}').format(sql.Identifier(column)))
        query = sql.SQL("""
            INSERT INTO {table} ({columns})
            SELECT {exprs}
              FROM {table} src,
                   unnest({arrays}) WITH ORDINALITY AS new({names}, position)
             WHERE src.id = %(source)s
             ORDER BY new.position
            RETURNING id
        """).format(
            table=sql.Identifier(table),
            columns=sql.SQL(', ').join(sql.Identifier(c) for c in self._columns(table)),
            exprs=sql.SQL(', ').join(exprs),
            arrays=sql.SQL(', ').join(sql.Placeholder(name) for name in names),
            names=sql.SQL(', ').join(sql.Identifier(name) for name in names))
        values = dict(new_values, source=source_id)
        self.env.cr.execute(query, values)
        ids = [row[0] for row in self.env.cr.fetchall()]
        assert len(ids) == len(new_values['step'])
        # ids are drawn in the insertion order, which follows ORDER BY: the copies come
        # back in the order of new_values
        assert ids == sorted(ids)
        return ids

    def _copy_cycles(self, pickings, count):
        """``count`` copies of the done ``pickings`` of the first cycle, one hour apart,
        with the next name of their operation type and the next customer in turn."""
        if count <= 0:
            return
        steps = list(range(1, count + 1))
        customers = [self.customer_partners[step % CUSTOMERS].id for step in steps]
        for picking in pickings:
            sequence = picking.picking_type_id.sequence_id
            names = [sequence.next_by_id() for __ in steps]
            picking_values = {'step': steps, 'name': names}
            move_values = {'step': steps, 'reference': names}
            if picking.picking_type_id.code == 'outgoing':
                picking_values['partner_id'] = customers
                move_values['partner_id'] = customers
            picking_ids = self._copy('stock_picking', picking.id, picking_values)
            move = picking.move_lines
            move_ids = self._copy('stock_move', move.id,
                                  dict(move_values, picking_id=picking_ids))
            line = move.move_line_ids
            self._copy('stock_move_line', line.id, {
                'step': steps, 'reference': names, 'picking_id': picking_ids,
                'move_id': move_ids})
            # quants as the copies would have left them: unchanged in the warehouse (each
            # cycle takes out what it brought), moved in the supplier and customer locations
            for location, sign in ((line.location_id, -1), (line.location_dest_id, 1)):
                if location.usage == 'internal':
                    continue
                self.env.cr.execute(
                    'UPDATE stock_quant SET quantity = quantity + %s WHERE product_id = %s '
                    'AND lot_id = %s AND location_id = %s',
                    (sign * line.qty_done * count, line.product_id.id, line.lot_id.id,
                     location.id))
                assert self.env.cr.rowcount == 1, 'no quant in %s' % location.name


# exports of the lot's events (EPCIS document, FSMA 204 rows), when the addon has them
EXPORT_CASES = {
    'export EPCIS': lambda lot: lambda: lot.get_epcis_document()['epcisBody']['eventList'],
    'export FSMA 204': lambda lot: lot.get_fsma204_rows,
}


class Bench(object):

    def __init__(self, database):
        self.registry = odoo.registry(database)

    def env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {'tracking_disable': True,
                                                  'mail_notrack': True,
                                                  'mail_create_nolog': True})

    def setup(self, size):
        """The history of ``size`` cycles (built and committed if missing)."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            history = History(env, size)
            if history.complete:
                return False
            Builder(env, size).build()
            cr.commit()
            return True

    def exchange_installed(self):
        with self.registry.cursor() as cr:
            return hasattr(self.env(cr)['stock.production.lot'], 'get_epcis_document')

    def recall_installed(self):
        with self.registry.cursor() as cr:
            return 'stock.lot.recall' in self.env(cr)

    def measure(self, size, case):
        """Run ``case`` on the history of ``size`` in a fresh cursor, rolled back:
        (seconds, queries, line ids found, expected line ids or None)."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            history = History(env, size)
            lot, finished = history.lots[0], history.lots[-1]
            report = env['stock.traceability.report']
            start_lines = expected = None
            if case == 'stock downstream':
                start_lines = history.receipt_line(env)
                run = lambda: report.get_move_lines_downstream(start_lines)  # noqa: E731
            elif case == 'stock upstream':
                start_lines = history.last_delivery_lines(env)
                run = lambda: report.get_move_lines_upstream(start_lines)  # noqa: E731
            elif case == 'addon downstream':
                run = lambda: lot.trace_move_lines('downstream')  # noqa: E731
            elif case == 'addon upstream':
                run = lambda: lot.trace_move_lines('upstream')  # noqa: E731
            elif case == 'addon L5 upstream':
                run = lambda: finished.trace_move_lines('upstream')  # noqa: E731
            elif case == 'recall':
                def run():
                    recall = env['stock.lot.recall'].create({
                        'lot_ids': [(6, 0, lot.ids)], 'reason': 'bench', 'mode': 'mock'})
                    recall.action_compute()
                    return recall
            elif case in EXPORT_CASES:
                # lots of products without GTIN are named under the company's prefix
                env.user.company_id.epcis_uri_prefix = 'https://bench.example.com/'
                run = EXPORT_CASES[case](lot)
            else:
                raise ValueError(case)
            env['stock.move.line'].invalidate_cache()  # the whole cache
            start_queries = cr.sql_log_count
            start = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - start_queries
            if case == 'recall':
                # what the recall records as its own trace time, and what it found
                delivered = {}
                for line in result.customer_line_ids:
                    delivered[line.lot_id.name] = (delivered.get(line.lot_id.name, 0.0)
                                                   + line.quantity)
                found = {
                    'trace_seconds': result.trace_seconds,
                    'customers': len(result.customer_line_ids.mapped('partner_id')),
                    'delivered': delivered,
                    'stock': sorted((line.location_id.name, line.lot_id.name, line.quantity)
                                    for line in result.stock_line_ids),
                }
                expected = {
                    # the first cycle's, the copies' in turn, L5's and the last one's
                    'customers': len({0, 1, 2} | {step % CUSTOMERS
                                                  for step in range(1, size - 1)}),
                    'delivered': {lot.name: CYCLE_QUANTITY * (size - 1) + LAST_DELIVERY,
                                  finished.name: 1.0},
                    'stock': [(SHELF, lot.name,
                               CYCLE_QUANTITY - 1.0 - LAST_DELIVERY)],
                }
            elif case in EXPORT_CASES:
                found = set(range(len(result)))  # events or rows exported
            else:
                found = set(result.ids)
            if start_lines is not None:
                found |= set(start_lines.ids)  # stock leaves out the lines it starts from
            if case.startswith('addon'):
                expected = self._expected(env, history, case)
            cr.rollback()
        return elapsed, queries, found, expected

    def _expected(self, env, history, case):
        """What the trace must find, by plain searches."""
        lines = env['stock.move.line']
        done = [('state', '=', 'done')]
        chain = [lot.id for lot in history.lots]
        if case == 'addon upstream':
            return set(lines.search(done + [('lot_id', '=', chain[0])]).ids)
        if case == 'addon downstream':
            return set(lines.search(done + [('lot_id', 'in', chain)]).ids)
        # L5 upstream: everything up to the consumption of each lot into the next
        consumed = lines.search(done + [('lot_id', 'in', chain[:-1]),
                                        ('location_dest_id.usage', '=', 'production')])
        result = set(lines.search(done + [('lot_id', '=', chain[-1])]).ids)
        for line in consumed:
            result |= set(lines.search(done + [('lot_id', '=', line.lot_id.id),
                                               ('date', '<=', line.date)]).ids)
        return result


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--sizes', default='10,100,1000',
                        help='numbers of cycles R of the lot (default 10,100,1000)')
    parser.add_argument('--quick', action='store_true', help='R = 10,100 only')
    parser.add_argument('--rounds', type=int, default=5,
                        help='repeat a case up to this many times while it has taken less '
                             'than 20 s, and keep the median (default 5)')
    args = parser.parse_args()
    if args.quick:
        args.sizes = '10,100'
    args.sizes = [int(size) for size in args.sizes.split(',')]
    if min(args.sizes) < 2:
        parser.error('R must be at least 2 (a first and a last cycle)')
    return args


def run(bench, args):
    """Measure every case: {(case, R): (seconds, queries, lines)} and check failures."""
    cases = ['stock downstream', 'addon downstream', 'stock upstream', 'addon upstream',
             'addon L5 upstream']
    if bench.recall_installed():
        cases.append('recall')
    if bench.exchange_installed():
        cases.extend(sorted(EXPORT_CASES))
    for size in sorted(set(args.sizes + [10])):
        started = time.perf_counter()
        built = bench.setup(size)
        print('R=%d: history %s in %.1f s' % (
            size, 'built' if built else 'found', time.perf_counter() - started), flush=True)
    for case in cases:
        bench.measure(10, case)  # warm-up: registry caches, prefetch of the models
    results = {}
    failures = []
    for size in args.sizes:
        found = {}
        for case in cases:
            times = []
            while len(times) < max(args.rounds, 1) and sum(times) < REPEAT_BELOW:
                elapsed, queries, lines, expected = bench.measure(size, case)
                times.append(elapsed)
            found[case] = lines
            if case == 'recall':
                for key, value in sorted(expected.items()):
                    if lines[key] != value:
                        failures.append('R=%d recall %s: %r, expected %r'
                                        % (size, key, lines[key], value))
                results[case, size] = (statistics.median(times), queries,
                                       lines['trace_seconds'])
                print('R=%-5d %-18s %10.2f ms %7d queries (trace_seconds %.3f, %d run%s)' % (
                    size, case, results[case, size][0] * 1000, queries,
                    lines['trace_seconds'], len(times), 's' if len(times) > 1 else ''),
                    flush=True)
                continue
            if expected is not None and lines != expected:
                failures.append('R=%d %s: %d lines found, %d expected (%d missing, %d too '
                                'many)' % (size, case, len(lines), len(expected),
                                           len(expected - lines), len(lines - expected)))
            elapsed = statistics.median(times)
            results[case, size] = (elapsed, queries, len(lines))
            print('R=%-5d %-18s %10.2f ms %7d queries %6d lines (%d run%s)' % (
                size, case, elapsed * 1000, queries, len(lines), len(times),
                's' if len(times) > 1 else ''), flush=True)
        for direction in ('downstream', 'upstream'):
            missing = found['stock ' + direction] - found['addon ' + direction]
            if missing:
                failures.append('R=%d %s: %d lines found by stock and not by the addon'
                                % (size, direction, len(missing)))
        expected_stock = {'downstream': 2 * size + 2, 'upstream': 2 * size + 1}
        for direction, count in expected_stock.items():
            if len(found['stock ' + direction]) != count:
                failures.append('R=%d stock %s: %d lines, expected %d' % (
                    size, direction, len(found['stock ' + direction]), count))
    return cases, results, failures


def report(cases, results, sizes):
    print()
    print('Lot traceability: a lot received, moved to a shelf and delivered R times, one '
          'unit of it\nin a production chain %d levels deep (stock: stock.traceability.report;'
          ' addon: trace_move_lines)' % CHAIN_DEPTH)
    print('%-7s %-11s %11s %11s %8s %8s %8s %8s %8s' % (
        'R', 'direction', 'stock ms', 'addon ms', 'ratio', 'stock q', 'addon q',
        'stock ln', 'addon ln'))
    for size in sizes:
        for direction in ('downstream', 'upstream'):
            stock = results['stock ' + direction, size]
            addon = results['addon ' + direction, size]
            print('%-7d %-11s %11.2f %11.2f %8.1f %8d %8d %8d %8d' % (
                size, direction, stock[0] * 1000, addon[0] * 1000, stock[0] / addon[0],
                stock[1], addon[1], stock[2], addon[2]))
    for case, label in (('addon L5 upstream', 'upstream from L5, through the production '
                         'chain (addon only)'),
                        ('recall', 'opening a mock recall of L0 (create + action_compute)'),
                        ('export EPCIS', 'EPCIS document of L0 (get_epcis_document)'),
                        ('export FSMA 204', 'FSMA 204 rows of L0 (get_fsma204_rows)')):
        if (case, sizes[0]) not in results:
            if case == 'recall':
                print('%s: stock.lot.recall not installed' % label)
            continue
        if case in EXPORT_CASES:
            print('%s: %s' % (label, ', '.join(
                'R=%d %.2f ms %d queries %d events' % (
                    size, results[case, size][0] * 1000, results[case, size][1],
                    results[case, size][2]) for size in sizes)))
            continue
        print('%s: %s' % (label, ', '.join(
            'R=%d %.2f ms %d queries' % (size, results[case, size][0] * 1000,
                                         results[case, size][1]) for size in sizes)))
        if case == 'recall':
            print('  its trace_seconds: %s' % ', '.join(
                'R=%d %.3f s' % (size, results[case, size][2]) for size in sizes))
    print('stock lines include the line the report starts from; ratio = stock / addon time')


def target_misses(results, sizes):
    misses = []
    largest = sizes[-1]
    for direction in ('downstream', 'upstream'):
        stock = results['stock ' + direction, largest][0]
        addon = results['addon ' + direction, largest][0]
        if stock / addon < SPEEDUP_TARGET:
            misses.append('R=%d %s: addon only %.1fx faster than stock (target %.0fx)' % (
                largest, direction, stock / addon, SPEEDUP_TARGET))
    for case in ('addon downstream', 'addon upstream', 'addon L5 upstream') \
            + tuple(case for case in sorted(EXPORT_CASES) if (case, largest) in results):
        counts = sorted(set(results[case, size][1] for size in sizes))
        if len(counts) > 1:
            misses.append('%s: the query count grows with R (%s)'
                          % (case, ', '.join(str(count) for count in counts)))
    return misses


def main():
    args = parse_args()
    odoo.tools.config.parse_config(['-c', args.config, '--log-level', 'warn'])
    with api.Environment.manage():
        bench = Bench(args.database)
        cases, results, failures = run(bench, args)
    report(cases, results, args.sizes)
    misses = target_misses(results, args.sizes)
    return conclude(failures, misses, 'lines checked (the addon finds every line stock '
                    'finds); targets met', quick=args.quick)


if __name__ == '__main__':
    sys.exit(main())
