from . import product_template
from . import stock_location
from . import stock_lot_quality_grade
from . import stock_move_line
from . import stock_picking
from . import stock_production_lot
from . import stock_quant
