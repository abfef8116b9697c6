from . import stock_lot_retest
from . import stock_lot_block
from . import stock_lot_renumber
from . import stock_lot_quality_override
from . import stock_lot_quality_reject
from . import stock_lot_restock
from . import stock_lot_delivery_confirm
from . import stock_lot_reservation_info
