from . import product_template
from . import stock_lot_quality_grade
from . import stock_production_lot
