from . import stock_lot_retest
from . import stock_lot_block
from . import stock_lot_restock
