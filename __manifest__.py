# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    'name': 'Lot Tracking',
    'summary': 'Lot codes, expiration dates, quality data, FEFO by customer rules '
               'and traceability for lot-tracked products',
    'version': '11.0.1.0.0',
    'category': 'Warehouse',
    'website': 'https://github.com/stock-lot-tracking/stock_lot_tracking',
    'author': 'stock_lot_tracking contributors',
    'license': 'LGPL-3',
    'development_status': 'Beta',
    'application': False,
    'installable': True,
    'pre_init_hook': 'pre_init_hook',
    'depends': [
        'stock',
        'product_expiry',
        'purchase',
        'sale_stock',
    ],
    'data': [
        'security/stock_lot_tracking_security.xml',
        'security/ir.model.access.csv',
        'data/ir_cron_data.xml',
        'wizard/stock_lot_retest_views.xml',
        'wizard/stock_lot_block_views.xml',
        'wizard/stock_lot_restock_views.xml',
        'views/stock_production_lot_views.xml',
        'views/product_template_views.xml',
        'views/stock_location_views.xml',
        'views/stock_picking_views.xml',
    ],
    'demo': [
        'demo/res_partner_demo.xml',
        'demo/product_demo.xml',
        'demo/stock_production_lot_demo.xml',
    ],
}
