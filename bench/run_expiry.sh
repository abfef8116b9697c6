#!/usr/bin/env bash
# Benchmark of the daily expiry check and of the expiration dashboard.
#
#   bench/run_expiry.sh [--sizes 2000,20000] [--quarantine]
#   bench/run_expiry.sh --sizes 10000,100000      # the issue's figure (a few minutes)
#
# Creates (once) the database slt_bench_expiry with stock_lot_tracking and without demo
# data (SLT_BENCH_EXPIRY_DB names another, SLT_BENCH_FRESH=1 recreates it); the addon is
# updated at every run. The lots are replaced at every run; the measures are rolled back.
source "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
slt_setup
DB=${SLT_BENCH_EXPIRY_DB:-slt_bench_expiry}
if [ "${SLT_BENCH_FRESH:-0}" = 1 ]; then
    dropdb --if-exists "$DB"
fi
if ! psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    slt_log "creating the benchmark database $DB (stock_lot_tracking, no demo data)"
    slt_odoo -c "$SLT_CONF" -d "$DB" -i stock_lot_tracking --without-demo=all \
        --stop-after-init --log-level=warn
else
    slt_odoo -c "$SLT_CONF" -d "$DB" -u stock_lot_tracking --stop-after-init \
        --log-level=warn
fi
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_expiry.py" -c "$SLT_CONF" -d "$DB" "$@"
