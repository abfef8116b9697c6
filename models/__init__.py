from . import product_template
from . import stock_lot_certificate
from . import stock_lot_quality_attribute
from . import stock_lot_quality_grade
from . import stock_lot_quality_value
from . import stock_move_line
from . import stock_production_lot
