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
source "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
slt_setup
suffix= extra=
for arg in "$@"; do
    if [ "$arg" = --with-mrp ]; then
        suffix=_mrp extra=,mrp
    fi
done
STOCK_DB=${SLT_BENCH_STOCK_DB:-slt_bench_fefo_stock$suffix}
ADDON_DB=${SLT_BENCH_ADDON_DB:-slt_bench_fefo_addon$suffix}
if [ "${SLT_BENCH_FRESH:-0}" = 1 ]; then
    dropdb --if-exists "$STOCK_DB"
    dropdb --if-exists "$ADDON_DB"
fi
slt_bench_db() {
    # slt_bench_db DATABASE MODULES: create the database with MODULES if it is missing
    if ! psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        slt_log "creating the benchmark database $1 ($2)"
        slt_odoo -c "$SLT_CONF" -d "$1" -i "$2" --without-demo=all --stop-after-init \
            --log-level=warn
        return 1
    fi
}
slt_bench_db "$STOCK_DB" "product_expiry,purchase,sale_stock$extra" || true
if slt_bench_db "$ADDON_DB" "stock_lot_tracking$extra"; then
    slt_odoo -c "$SLT_CONF" -d "$ADDON_DB" -u stock_lot_tracking --stop-after-init \
        --log-level=warn
fi
exec "$SLT_VENV/bin/python" "$SLT_REPO/bench/bench_fefo.py" -c "$SLT_CONF" \
    --stock-db "$STOCK_DB" --addon-db "$ADDON_DB" "$@"
