#!/usr/bin/env bash
# Run every test of stock_lot_tracking against real Odoo 11 and PostgreSQL, with pytest.
#
#   tools/test.sh                 fresh test database, all tests (addon, compatibility
#                                 layer, Odoo core suites with the addon installed)
#   SLT_REUSE_DB=1 tools/test.sh tests/test_stock_production_lot.py -k retest
#                                 fast inner loop: update the addon in the existing test
#                                 database and run the given tests only
#
# Environment: SLT_TEST_DB (default slt_test), SLT_CORE_DB (default slt_core),
# SLT_HOME (virtualenv, PostgreSQL cluster and data).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
slt_setup
DB=${SLT_TEST_DB:-slt_test}
export SLT_TEST_DB=$DB SLT_CONF SLT_REPO
if [ "${SLT_REUSE_DB:-0}" = 1 ] && psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    slt_log "updating stock_lot_tracking in $DB"
    slt_odoo -c "$SLT_CONF" -d "$DB" -u stock_lot_tracking --stop-after-init --log-level=warn
else
    slt_log "creating the test database $DB (stock_lot_tracking with demo data)"
    dropdb --if-exists "$DB"
    slt_odoo -c "$SLT_CONF" -d "$DB" -i stock_lot_tracking --stop-after-init --log-level=warn
fi
# Tests are collected through the addons folder, where the repository is named
# stock_lot_tracking (pytest-odoo imports them as odoo.addons.stock_lot_tracking.tests).
ADDON=$SLT_ADDONS/stock_lot_tracking
if [ $# -eq 0 ]; then
    set -- tests tools/odoo11_compat/tests e2e tools/tests
fi
args=()
for arg in "$@"; do
    # relative test paths (file, folder or node id) are taken from the addons folder
    if [ "${arg#-}" = "$arg" ] && [ -e "$ADDON/${arg%%::*}" ]; then
        args+=("$ADDON/$arg")
    else
        args+=("$arg")
    fi
done
set -- "${args[@]}"
cd "$ADDON"
exec "$SLT_VENV/bin/python" -m pytest -c "$ADDON/tools/pytest.ini" --rootdir="$ADDON" \
    --odoo-config="$SLT_CONF" --odoo-database="$DB" "$@"
