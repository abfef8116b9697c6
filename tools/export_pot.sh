#!/usr/bin/env bash
# Regenerate i18n/stock_lot_tracking.pot from the addon installed in the test database.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
slt_setup
DB=${SLT_TEST_DB:-slt_test}
slt_odoo -c "$SLT_CONF" -d "$DB" -u stock_lot_tracking --stop-after-init --log-level=warn
slt_odoo -c "$SLT_CONF" -d "$DB" --modules=stock_lot_tracking --log-level=warn \
    --i18n-export="$SLT_REPO/i18n/stock_lot_tracking.pot" --stop-after-init
slt_log "wrote i18n/stock_lot_tracking.pot"
