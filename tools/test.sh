#!/usr/bin/env bash
# Run every test of stock_lot_tracking against real Odoo 11 and PostgreSQL, with pytest.
#
# Two test databases, both with demo data: the main one with stock_lot_tracking (and its
# dependencies only), and the mrp one with stock_lot_tracking and mrp. The addon does not
# depend on mrp, but most companies that track lots manufacture: the addon's whole suite
# runs in both, and the tests that need mrp's models (tests/test_mrp_*.py, collected in
# the mrp database only) check what the addon does for productions.
#
#   tools/test.sh                 fresh test databases, all tests, two pytest runs side
#                                 by side (a process each on two CPUs):
#                                 1. main database: the addon (but tests/test_mrp_*.py),
#                                    the compatibility layer, e2e, the tools' tests;
#                                 2. mrp database: the addon's tests again, test_mrp_*
#                                    included, and Odoo's core suites with the addon
#                                    installed (a database of their own).
#                                 Run 1 prints as it goes, run 2 when both are over.
#                                 Both always run; the exit status fails if either does.
#   SLT_REUSE_DB=1 tools/test.sh tests/test_stock_production_lot.py -k retest
#                                 fast inner loop: update the addon in the existing test
#                                 database and run the given tests only. A path to a
#                                 tests/test_mrp_*.py runs in the mrp database; so does
#                                 any test with SLT_WITH_MRP=1:
#   SLT_REUSE_DB=1 SLT_WITH_MRP=1 tools/test.sh tests/test_reservation_bulk.py
#
# Environment: SLT_TEST_DB (main test database, default slt_test), SLT_TEST_MRP_DB (mrp
# test database, default ${SLT_TEST_DB}_mrp), SLT_CORE_DB (database of the core suites,
# default slt_core), SLT_APPS_DB (fresh database of the e2e install from Apps, default
# ${SLT_TEST_DB}_apps), SLT_WITH_MRP (1: run the given tests in the mrp database),
# SLT_JUNIT_XML (file: the JUnit XML report of run 1, read by .ci/run for its e2e line),
# SLT_HOME (virtualenv, PostgreSQL cluster and data).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
slt_setup
DB=${SLT_TEST_DB:-slt_test}
MRP_DB=${SLT_TEST_MRP_DB:-${DB}_mrp}
export SLT_TEST_DB=$DB SLT_TEST_MRP_DB=$MRP_DB SLT_CONF SLT_REPO
# Tests are collected through the addons folder, where the repository is named
# stock_lot_tracking (pytest-odoo imports them as odoo.addons.stock_lot_tracking.tests).
ADDON=$SLT_ADDONS/stock_lot_tracking
MRP_TESTS='tests/test_mrp_*.py'

slt_test_db() {
    # slt_test_db DATABASE MODULES: make DATABASE a test database with MODULES installed
    # (comma-separated, stock_lot_tracking first) and demo data; with SLT_REUSE_DB=1, an
    # existing one where they are installed is kept and the addon updated in it.
    local db=$1 modules=$2
    if [ "${SLT_REUSE_DB:-0}" = 1 ] && slt_db_has_modules "$db" "$modules"; then
        slt_log "updating stock_lot_tracking in $db"
        slt_odoo -c "$SLT_CONF" -d "$db" -u stock_lot_tracking --stop-after-init --log-level=warn
    else
        slt_log "creating the test database $db ($modules with demo data)"
        dropdb --if-exists "$db"
        slt_odoo -c "$SLT_CONF" -d "$db" -i "$modules" --stop-after-init --log-level=warn
    fi
}

slt_pytest() {
    # slt_pytest DATABASE ARG...: pytest on DATABASE; relative test paths (file, folder or
    # node id) are taken from the addons folder.
    local db=$1 arg args=()
    shift
    for arg in "$@"; do
        if [ "${arg#-}" = "$arg" ] && [ -e "$ADDON/${arg%%::*}" ]; then
            args+=("$ADDON/$arg")
        else
            args+=("$arg")
        fi
    done
    (cd "$ADDON" && "$SLT_VENV/bin/python" -m pytest -c "$ADDON/tools/pytest.ini" \
        --rootdir="$ADDON" --odoo-config="$SLT_CONF" --odoo-database="$db" "${args[@]}")
}

if [ $# -eq 0 ]; then
    CORE_SUITES=tools/tests/test_core_suites.py
    run2_log=$(mktemp)
    (
        slt_test_db "$MRP_DB" stock_lot_tracking,mrp
        slt_log "run 2 of 2: $MRP_DB (the addon's tests with mrp installed, core suites)"
        slt_pytest "$MRP_DB" tests "$CORE_SUITES"
    ) >"$run2_log" 2>&1 &
    run2=$!
    # an interrupted run stops both (Bash has a background job ignore SIGINT)
    trap 'kill 0' INT TERM
    status=0
    slt_test_db "$DB" stock_lot_tracking || status=$?
    if [ "$status" -eq 0 ]; then
        slt_log "run 1 of 2: $DB (addon without $MRP_TESTS, compatibility layer, e2e, tools)"
        slt_pytest "$DB" --ignore-glob="$ADDON/$MRP_TESTS" \
            --ignore="$ADDON/$CORE_SUITES" ${SLT_JUNIT_XML:+"--junitxml=$SLT_JUNIT_XML"} \
            tests tools/odoo11_compat/tests e2e tools/tests || status=$?
    fi
    slt_log "waiting for run 2 of 2 ($MRP_DB)"
    wait "$run2" || status=$?
    cat "$run2_log"
    rm -f "$run2_log"
    exit "$status"
fi

with_mrp=${SLT_WITH_MRP:-0}
for arg in "$@"; do
    # shellcheck disable=SC2053  # $MRP_TESTS is a pattern
    if [[ "${arg%%::*}" == $MRP_TESTS || "${arg%%::*}" == */$MRP_TESTS ]]; then
        with_mrp=1
    fi
done
if [ "$with_mrp" = 1 ]; then
    slt_test_db "$MRP_DB" stock_lot_tracking,mrp
    slt_pytest "$MRP_DB" "$@"
else
    slt_test_db "$DB" stock_lot_tracking
    slt_pytest "$DB" --ignore-glob="$ADDON/$MRP_TESTS" "$@"
fi
