from . import test_product_template
from . import test_stock_production_lot
from . import test_receipt_lot_dates
