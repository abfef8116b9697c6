from . import test_product_template
from . import test_stock_production_lot
from . import test_lot_certificate
from . import test_lot_quality
from . import test_quality_inheritance
from . import test_report_coa
