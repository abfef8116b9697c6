# tests/test_mrp_*.py are not listed: they need mrp, which the addon does not depend on;
# tools/test.sh runs them in its test database with mrp (see the README, Development).
from . import test_product_template
from . import test_stock_production_lot
from . import test_receipt_lot_dates
from . import test_stock_lot_renumber
from . import test_inventory_lots
from . import test_inventory_import
from . import test_serial_batch
from . import test_lot_certificate
from . import test_lot_quality
from . import test_quality_inheritance
from . import test_report_coa
from . import test_gs1
from . import test_single_lot_location
from . import test_stock_lot_restock
from . import test_report_delivery_documents
from . import test_fefo_reservation
from . import test_customer_lot_rules
from . import test_delivery_override
from . import test_expiry_cron
from . import test_reservation_bulk
