"""stock_lot_tracking installs and uninstalls cleanly as a database role without
superuser rights, as Odoo is often run.

A plain role (``CREATE ROLE ... LOGIN CREATEDB``, no SUPERUSER) installs the addon, then
uninstalls it, in two fresh databases:

- one it creates itself, as Odoo's database manager does: it owns the database, so it
  may create the trusted extension btree_gist (PostgreSQL 13 and later) and the
  single-lot rule is the exclusion constraint;
- one a database administrator prepared: the role owns the schema but may not create
  extensions in the database, so the rule is the constraint trigger.

After the uninstall, nothing of the addon is left: neither the rule (constraint, trigger,
function, lock table), nor the indexes it added to Odoo's columns, nor the Lots & Serial
Numbers it turned on for every internal user.

Run by tools/test.sh (which exports the configuration and the PostgreSQL socket).
"""
import os
import subprocess
import sys
from contextlib import closing

import psycopg2

ROLE = 'slt_plain'
ADDON = 'stock_lot_tracking'
BASE_DB = os.environ.get('SLT_TEST_DB', 'slt_test')
UNINSTALL = ("env['ir.module.module'].search([('name', '=', %r)])"
             ".button_immediate_uninstall()\n" % ADDON)


def connect(dbname='postgres'):
    """A superuser connection (the harness's own role)."""
    connection = psycopg2.connect(dbname=dbname)
    connection.autocommit = True
    return connection


def query(dbname, sql, params=None):
    with closing(connect(dbname)) as connection, connection.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall() if cr.description else []


def odoo(dbname, args, subcommand=None, stdin=None):
    """Run Odoo's command line as the plain role; fail with its output."""
    command = [sys.executable, '-c', 'import odoo.cli; odoo.cli.main()']
    command += [subcommand] if subcommand else []
    command += ['-c', os.environ['SLT_CONF'], '--db_user', ROLE, '-d', dbname,
                '--log-level=warn'] + list(args)
    result = subprocess.run(command, input=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True, timeout=2400)
    assert result.returncode == 0, result.stdout[-5000:]
    return result.stdout


def create_role():
    with closing(connect()) as connection, connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
        if not cr.fetchone():
            cr.execute('CREATE ROLE %s LOGIN CREATEDB' % ROLE)
        cr.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = %s", (ROLE,))
        assert cr.fetchone() == (False, True)


def drop_database(dbname):
    with closing(connect()) as connection, connection.cursor() as cr:
        cr.execute('DROP DATABASE IF EXISTS "%s"' % dbname)


def single_lot_rule(dbname):
    rows = query(dbname, """
        SELECT contype FROM pg_constraint WHERE conname = 'stock_quant_single_lot_excl'""")
    return [row[0] for row in rows]


def leftovers(dbname):
    """What of the addon is still in the database."""
    found = []
    for sql, what in (
            ("SELECT conname FROM pg_constraint WHERE conname LIKE 'stock_quant_single_lot%%'",
             'constraint'),
            ("SELECT proname FROM pg_proc WHERE proname LIKE 'stock_quant_single_lot%%'",
             'function'),
            ("SELECT relname FROM pg_class WHERE relname LIKE 'stock_quant_single_lot%%'",
             'table'),
            ("""SELECT indexname FROM pg_indexes WHERE indexname IN (
                    'stock_quant_product_id_index', 'stock_quant_location_id_index',
                    'stock_quant_lot_id_index', 'stock_move_line_lot_id_index',
                    'stock_move_line_move_id_index', 'stock_move_line_picking_id_index')""",
             'index'),
            ("""SELECT column_name FROM information_schema.columns
                 WHERE table_name = 'stock_quant' AND column_name = 'single_lot'""", 'column'),
            ("""SELECT 'base.group_user implies stock.group_production_lot'
                  FROM res_groups_implied_rel rel
                  JOIN ir_model_data user_group ON user_group.res_id = rel.gid
                   AND user_group.model = 'res.groups' AND user_group.module = 'base'
                   AND user_group.name = 'group_user'
                  JOIN ir_model_data lots ON lots.res_id = rel.hid
                   AND lots.model = 'res.groups' AND lots.module = 'stock'
                   AND lots.name = 'group_production_lot'""", 'implication'),
            ("""SELECT key FROM ir_config_parameter WHERE key LIKE 'stock_lot_tracking.%%'""",
             'parameter')):
        found += ['%s %s' % (what, row[0]) for row in query(dbname, sql)]
    return found


def install_and_uninstall(dbname, expected_rule):
    odoo(dbname, ['-i', ADDON, '--without-demo=all', '--stop-after-init'])
    assert query(dbname, "SELECT state FROM ir_module_module WHERE name = %s",
                 (ADDON,)) == [('installed',)]
    assert single_lot_rule(dbname) == [expected_rule]
    assert 'implication base.group_user implies stock.group_production_lot' in \
        leftovers(dbname)
    odoo(dbname, [], subcommand='shell', stdin=UNINSTALL)
    assert query(dbname, "SELECT state FROM ir_module_module WHERE name = %s",
                 (ADDON,)) == [('uninstalled',)]
    assert leftovers(dbname) == []


def test_plain_role_in_its_own_database():
    """A plain role that creates its database installs with the exclusion constraint
    and uninstalls without leftovers."""
    create_role()
    dbname = '%s_plain_owner' % BASE_DB
    drop_database(dbname)
    try:
        install_and_uninstall(dbname, 'x')
        assert query(dbname, """
            SELECT pg_get_userbyid(datdba) FROM pg_database
             WHERE datname = current_database()""") == [(ROLE,)]
    finally:
        drop_database(dbname)


def test_plain_role_without_extension_rights():
    """A plain role that may not create extensions installs with the constraint
    trigger and uninstalls without leftovers."""
    create_role()
    dbname = '%s_plain_noext' % BASE_DB
    drop_database(dbname)
    with closing(connect()) as connection, connection.cursor() as cr:
        cr.execute('CREATE DATABASE "%s"' % dbname)
    query(dbname, 'ALTER SCHEMA public OWNER TO %s' % ROLE)
    try:
        assert query(dbname, "SELECT has_database_privilege(%s, current_database(), "
                             "'CREATE')", (ROLE,)) == [(False,)]
        install_and_uninstall(dbname, 't')
    finally:
        drop_database(dbname)
