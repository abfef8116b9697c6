#!/usr/bin/env bash
# Benchmark of the daily expiry check and of the expiration dashboard.
#
#   bench/run_expiry.sh [--sizes 2000,20000] [--quarantine]
#   bench/run_expiry.sh --sizes 10000,100000      # the issue's figure (a few minutes)
#
# Creates (once) the database slt_bench_expiry with stock_lot_tracking and without demo
# data (SLT_BENCH_EXPIRY_DB names another, SLT_BENCH_FRESH=1 recreates it); the addon is
# updated at every run. The lots are replaced at every run; the measures are rolled back.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=${SLT_BENCH_EXPIRY_DB:-slt_bench_expiry}
slt_bench_addon_db "$DB"
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_expiry.py" -c "$SLT_CONF" -d "$DB" "$@"
