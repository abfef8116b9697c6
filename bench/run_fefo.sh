#!/usr/bin/env bash
# Benchmark of the FEFO reservation: stock Odoo 11 (product_expiry, FEFO removal strategy
# on the category) against stock_lot_tracking, in the same run.
#
#   bench/run_fefo.sh [--with-mrp] [--quick] [--sizes 100,1000,2000] [--picking-moves 50]
#                     [--picking-lots 200] [--skip-stock-above N]
#
# Creates (once) two databases without demo data: slt_bench_fefo_stock with
# product_expiry, purchase and sale_stock (the addon's dependencies, without the addon)
# and slt_bench_fefo_addon with stock_lot_tracking; the addon is updated in the second at
# every run. --with-mrp installs mrp in both (databases slt_bench_fefo_stock_mrp and
# slt_bench_fefo_addon_mrp), and also measures the reservation of the components of a
# manufacturing order: the speed of the reservation where most lot-tracking companies
# run it. SLT_BENCH_STOCK_DB / SLT_BENCH_ADDON_DB name other databases,
# SLT_BENCH_FRESH=1 recreates them. The full run takes several minutes (stock Odoo needs
# about 4 minutes for the picking alone): run it in the background.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
suffix= extra=
for arg in "$@"; do
    if [ "$arg" = --with-mrp ]; then
        suffix=_mrp extra=,mrp
    fi
done
STOCK_DB=${SLT_BENCH_STOCK_DB:-slt_bench_fefo_stock$suffix}
ADDON_DB=${SLT_BENCH_ADDON_DB:-slt_bench_fefo_addon$suffix}
slt_bench_db "$STOCK_DB" "product_expiry,purchase,sale_stock$extra" || true
slt_bench_addon_db "$ADDON_DB" "${extra#,}"
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_fefo.py" -c "$SLT_CONF" \
    --stock-db "$STOCK_DB" --addon-db "$ADDON_DB" "$@"
