# Shared set-up of the benchmarks: sourced by bench/run_*.sh, never run directly.
source "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
slt_setup

slt_bench_db() {
    # slt_bench_db DATABASE MODULES: create the database with MODULES (no demo data) if it
    # is missing, first dropping it with SLT_BENCH_FRESH=1; returns 1 when it was created
    if [ "${SLT_BENCH_FRESH:-0}" = 1 ]; then
        dropdb --if-exists "$1"
    fi
    if ! psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        slt_log "creating the benchmark database $1 ($2, no demo data)"
        slt_odoo -c "$SLT_CONF" -d "$1" -i "$2" --without-demo=all --stop-after-init \
            --log-level=warn
        return 1
    fi
}

slt_bench_addon_db() {
    # slt_bench_addon_db DATABASE [MODULES]: a benchmark database with the addon (and
    # MODULES), created or brought up to date with the working tree
    if slt_bench_db "$1" "stock_lot_tracking${2:+,$2}"; then
        slt_odoo -c "$SLT_CONF" -d "$1" -u stock_lot_tracking --stop-after-init \
            --log-level=warn
    fi
}
