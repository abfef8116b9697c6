#!/usr/bin/env bash
# Regenerate i18n/stock_lot_tracking.pot from the addon installed in the test database.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
slt_setup
DB=${SLT_TEST_DB:-slt_test}
slt_odoo -c "$SLT_CONF" -d "$DB" -u stock_lot_tracking --stop-after-init --log-level=warn
mkdir -p "$SLT_REPO/i18n"
# Odoo 11 writes a template (no language) to a .po file name only
tmp=$(mktemp -d)
slt_odoo -c "$SLT_CONF" -d "$DB" --modules=stock_lot_tracking --log-level=warn \
    --i18n-export="$tmp/stock_lot_tracking.po" --stop-after-init
mv "$tmp/stock_lot_tracking.po" "$SLT_REPO/i18n/stock_lot_tracking.pot"
rmdir "$tmp"
slt_log "wrote i18n/stock_lot_tracking.pot"
