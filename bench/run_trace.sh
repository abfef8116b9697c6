#!/usr/bin/env bash
# Benchmark of the lot traceability: stock Odoo 11's stock.traceability.report against
# stock_lot_tracking's trace_move_lines, in the same run, on the same data.
#
#   bench/run_trace.sh [--quick] [--sizes 10,100,1000] [--rounds 5]
#
# Creates (once) the database slt_bench_trace with stock_lot_tracking installed without
# demo data (the addon is updated at every later run); SLT_BENCH_DB names another one,
# SLT_BENCH_FRESH=1 recreates it. The histories are built once per size and committed:
# building them takes seconds (R = 1,000: about 5 s), later runs only measure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=${SLT_BENCH_DB:-slt_bench_trace}
slt_bench_addon_db "$DB"
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_trace.py" -c "$SLT_CONF" -d "$DB" "$@"
