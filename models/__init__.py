from . import product_template
from . import stock_production_lot
