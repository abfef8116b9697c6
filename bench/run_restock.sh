#!/usr/bin/env bash
# Benchmark of the restock lot entry: a receipt of 100 lot-tracked moves x 2 lots each,
# confirmed through the wizard versus move lines written directly, in the same run.
#
#   bench/run_restock.sh [--moves 100] [--rounds 3]
#
# Creates (once) the database slt_3_bench_restock with stock_lot_tracking installed
# without demo data; SLT_BENCH_DB names another one, SLT_BENCH_FRESH=1 recreates it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB=${SLT_BENCH_DB:-slt_3_bench_restock}
slt_bench_addon_db "$DB"
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_restock.py" -c "$SLT_CONF" -d "$DB" "$@"
