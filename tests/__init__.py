from . import test_product_template
from . import test_stock_production_lot
from . import test_receipt_lot_dates
from . import test_stock_lot_renumber
from . import test_inventory_lots
from . import test_inventory_import
from . import test_serial_batch
