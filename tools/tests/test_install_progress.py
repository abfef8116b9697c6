"""tools/install_progress.py turns Odoo's install log into progress lines for tools/run.sh.

The log below has the lines Odoo 11 writes, at level info, while tools/run.sh creates
the database (the module and file names of a real run, shortened).
"""
import io
import os
import subprocess
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)

import install_progress  # noqa: E402 (the tools folder is not a package)

STAMP = '2026-12-01 17:53:20,001 4242 '
TABLES = 'creating or updating database tables'


def record(level, logger, message, db='slt'):
    """One line of Odoo's log, as its log formatter writes it."""
    return '%s%s %s %s: %s\n' % (STAMP, level, db, logger, message)


def info(logger, message):
    return record('INFO', 'odoo.modules.' + logger, message)


LOG = ''.join([
    "Running as user 'root' is a security risk.\n",
    record('INFO', 'odoo', 'Odoo version 11.0', db='?'),
    info('loading', 'init db'),
    info('loading', 'loading 1 modules...'),
    info('registry', 'module base: ' + TABLES),
    info('loading', 'loading base/data/res_bank.xml'),
    info('loading', 'loading base/base_demo.xml'),
    info('loading', '1 modules loaded in 12.83s, 0 queries'),
    info('loading', 'updating modules list'),
    info('loading', 'loading 39 modules...'),
    info('registry', 'module auth_crypt: ' + TABLES),
    info('registry', 'module stock: ' + TABLES),
    info('loading', 'loading stock/data/stock_data.xml'),
    record('WARNING', 'odoo.models', 'stock.move.line.write() with unknown fields: lot'),
    info('loading', 'loading stock/data/stock_demo.xml'),
    info('loading', 'loading stock/data/stock_demo2.xml'),
    record('ERROR', 'odoo.sql_db', 'bad query: SELECT 1/0'),
    'Traceback (most recent call last):\n',
    '  File "odoo/sql_db.py", line 231, in execute\n',
    'psycopg2.DataError: division by zero\n',
    info('registry', 'module stock_lot_tracking: ' + TABLES),
    info('loading', 'loading stock_lot_tracking/demo/product_demo.xml'),
    info('loading', '39 modules loaded in 9.00s, 0 queries'),
    info('loading', 'Modules loaded.'),
])


def run(log, update=False):
    """The filter's output for ``log``, with a clock that stays at 0 s."""
    out = io.StringIO()
    progress = install_progress.Progress(out, update=update, clock=lambda: 0)
    for line in io.StringIO(log):
        progress.feed(line)
    return out.getvalue().splitlines()


def test_each_module_installed_is_announced_with_its_rank():
    """Every module installed gets one line with its rank among those loaded."""
    lines = run(LOG)
    assert '[stock_lot_tracking]    0 s  module 2 of 39: auth_crypt' in lines
    assert '[stock_lot_tracking]    0 s  module 3 of 39: stock' in lines
    assert '[stock_lot_tracking]    0 s  module 4 of 39: stock_lot_tracking' in lines


def test_demo_data_is_announced_once_per_module():
    """The first demo file of a module says that its demo data is being loaded."""
    lines = run(LOG)
    demo = [line for line in lines if line.endswith('(demo data)')]
    assert [line.split(': ', 1)[1] for line in demo] == [
        'base (demo data)', 'stock (demo data)', 'stock_lot_tracking (demo data)']


def test_database_creation_and_end_are_told():
    """The creation of the database and the end of the loading have a line each."""
    lines = run(LOG)
    assert lines[1].endswith('creating the database')
    assert lines[-1].endswith('4 modules loaded')


def test_warnings_errors_and_tracebacks_go_through_unchanged():
    """Warnings and errors, with their tracebacks, are printed as Odoo wrote them."""
    lines = run(LOG)
    assert "Running as user 'root' is a security risk." in lines
    assert any(line.endswith('WARNING slt odoo.models: stock.move.line.write() with '
                             'unknown fields: lot') for line in lines)
    error = next(index for index, line in enumerate(lines) if ' ERROR ' in line)
    assert lines[error + 1] == 'Traceback (most recent call last):'
    assert lines[error + 3] == 'psycopg2.DataError: division by zero'


def test_other_info_lines_are_dropped():
    """The data files and other info lines of the log are not printed."""
    output = '\n'.join(run(LOG))
    assert 'stock_data.xml' not in output
    assert 'updating modules list' not in output
    assert 'Odoo version' not in output


def test_an_update_names_the_modules_without_a_total():
    """On an update, Odoo loads every installed module but updates a few: no total."""
    update_log = '\n'.join(line for line in LOG.splitlines()
                           if 'init db' not in line and 'loading 1 modules' not in line
                           and 'module base' not in line and 'auth_crypt' not in line
                           and ' stock:' not in line and 'stock/' not in line)
    lines = run(update_log + '\n', update=True)
    assert lines[-3:] == [
        '[stock_lot_tracking]    0 s  updating stock_lot_tracking',
        '[stock_lot_tracking]    0 s  updating stock_lot_tracking (demo data)',
        '[stock_lot_tracking]    0 s  1 modules loaded']


def test_the_script_reads_standard_input():
    """Run as tools/run.sh runs it, the script filters its standard input to stderr."""
    process = subprocess.run(
        [sys.executable, os.path.join(TOOLS, 'install_progress.py')],
        input=LOG.encode('utf-8'), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        check=True)
    assert process.stdout == b''
    assert b'module 4 of 39: stock_lot_tracking' in process.stderr
