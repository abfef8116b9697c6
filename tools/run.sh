#!/usr/bin/env bash
# Start Odoo 11 with stock_lot_tracking and demo data on http://127.0.0.1:8069 (Ctrl-C stops).
# Environment: SLT_DB (database, default stock_lot_tracking), SLT_HTTP_PORT (default 8069),
# SLT_HOME (where the virtualenv, the PostgreSQL cluster and the data live).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
slt_setup
DB=${SLT_DB:-stock_lot_tracking}
# Odoo logs at level info through tools/install_progress.py: one line per module
# installed or updated (and its demo data), warnings and errors as they are.
if psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    slt_log "updating stock_lot_tracking in database $DB"
    slt_odoo -c "$SLT_CONF" -d "$DB" -u stock_lot_tracking --stop-after-init --log-level=info \
        2>&1 | "$SLT_VENV/bin/python" "$SLT_REPO/tools/install_progress.py" --update
else
    slt_log "creating database $DB: installing stock_lot_tracking, the modules it needs and"
    slt_log "their demo data (two to three minutes; one line per module)"
    slt_odoo -c "$SLT_CONF" -d "$DB" -i stock_lot_tracking --stop-after-init --log-level=info \
        2>&1 | "$SLT_VENV/bin/python" "$SLT_REPO/tools/install_progress.py"
fi
cat >&2 <<MSG

    Odoo 11 with stock_lot_tracking: http://127.0.0.1:${SLT_HTTP_PORT:-8069}/web?db=$DB
    Login: admin    Password: admin
    Ctrl-C stops the server.

MSG
exec "$SLT_VENV/bin/python" -c 'import odoo.cli; odoo.cli.main()' \
    -c "$SLT_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="${SLT_HTTP_PORT:-8069}" "$@"
