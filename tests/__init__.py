from . import test_product_template
from . import test_stock_production_lot
from . import test_gs1
from . import test_single_lot_location
from . import test_stock_lot_restock
