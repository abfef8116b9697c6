"""tools/install_progress.py turns Odoo's install log into progress lines for tools/run.sh.

The log below is Odoo 11's own output, at level info, of the database creation that
tools/run.sh starts (shortened).
"""
import io
import os
import subprocess
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)

import install_progress  # noqa: E402 (the tools folder is not a package)

LOG = """\
Running as user 'root' is a security risk.
2026-12-01 17:53:20,001 4242 INFO ? odoo: Odoo version 11.0
2026-12-01 17:53:20,101 4242 INFO slt odoo.modules.loading: init db
2026-12-01 17:53:21,123 4242 INFO slt odoo.modules.loading: loading 1 modules...
2026-12-01 17:53:21,200 4242 INFO slt odoo.modules.registry: module base: creating or updating database tables
2026-12-01 17:53:25,300 4242 INFO slt odoo.modules.loading: loading base/data/res_bank.xml
2026-12-01 17:53:33,400 4242 INFO slt odoo.modules.loading: loading base/base_demo.xml
2026-12-01 17:53:34,500 4242 INFO slt odoo.modules.loading: 1 modules loaded in 12.83s, 0 queries
2026-12-01 17:53:35,000 4242 INFO slt odoo.modules.loading: updating modules list
2026-12-01 17:53:40,000 4242 INFO slt odoo.modules.loading: loading 39 modules...
2026-12-01 17:53:41,000 4242 INFO slt odoo.modules.registry: module auth_crypt: creating or updating database tables
2026-12-01 17:53:42,000 4242 INFO slt odoo.modules.registry: module stock: creating or updating database tables
2026-12-01 17:53:43,000 4242 INFO slt odoo.modules.loading: loading stock/data/stock_data.xml
2026-12-01 17:53:44,000 4242 WARNING slt odoo.models: stock.move.line.write() with unknown fields: lot
2026-12-01 17:53:45,000 4242 INFO slt odoo.modules.loading: loading stock/data/stock_demo.xml
2026-12-01 17:53:46,000 4242 INFO slt odoo.modules.loading: loading stock/data/stock_demo2.xml
2026-12-01 17:53:47,000 4242 ERROR slt odoo.sql_db: bad query: SELECT 1/0
Traceback (most recent call last):
  File "odoo/sql_db.py", line 231, in execute
psycopg2.DataError: division by zero
2026-12-01 17:53:48,000 4242 INFO slt odoo.modules.registry: module stock_lot_tracking: creating or updating database tables
2026-12-01 17:53:49,000 4242 INFO slt odoo.modules.loading: loading stock_lot_tracking/demo/product_demo.xml
2026-12-01 17:53:50,000 4242 INFO slt odoo.modules.loading: 39 modules loaded in 9.00s, 0 queries
2026-12-01 17:53:51,000 4242 INFO slt odoo.modules.loading: Modules loaded.
"""


def run(log, update=False):
    """The filter's output for ``log``, with a clock that reads the log's own times."""
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
    assert '[stock_lot_tracking]    0 s  module 1: stock_lot_tracking' in lines


def test_the_script_reads_standard_input():
    """Run as tools/run.sh runs it, the script filters its standard input to stderr."""
    process = subprocess.run(
        [sys.executable, os.path.join(TOOLS, 'install_progress.py')],
        input=LOG.encode('utf-8'), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        check=True)
    assert process.stdout == b''
    assert b'module 4 of 39: stock_lot_tracking' in process.stderr
