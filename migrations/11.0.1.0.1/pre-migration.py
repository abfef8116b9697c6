# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The inherited views took the XML ids of the core views they extend; two of them
shared one (the location form), so one overwrote the other. They are renamed after
their own purpose, keeping their records (the update then rewrites them in place
instead of adding a second copy next to the old one)."""

RENAMED_VIEWS = {
    'view_location_form': 'stock_location_view_form_single_lot',
    'view_location_tree2': 'stock_location_view_tree_single_lot',
    'view_location_search': 'stock_location_view_search_single_lot',
    'view_stock_quant_form': 'stock_quant_view_form_renumber',
    'quant_search_view': 'stock_quant_view_search_without_lot',
    'view_stock_move_line_operation_tree': 'stock_move_line_view_tree_operation_lot',
    'view_move_line_tree': 'stock_move_line_view_tree_lot',
    'view_move_line_form': 'stock_move_line_view_form_lot',
    'view_picking_form': 'stock_picking_view_form_lot_entry',
    'view_move_form_expiry': 'stock_production_lot_view_form_lot_tracking',
    'view_production_lot_tree': 'stock_production_lot_view_tree_lot_tracking',
    'search_product_lot_filter': 'stock_production_lot_view_search_lot_tracking',
    'view_product_form_expiry': 'product_template_view_form_lot_tracking',
    'view_warehouse': 'stock_warehouse_view_form_quarantine',
    'view_partner_form': 'res_partner_view_form_lot_requirements',
    'view_inventory_form': 'stock_inventory_view_form_lot_check',
    'stock_inventory_line_tree2': 'stock_inventory_line_view_tree_lot_check',
    'report_delivery_document': 'report_delivery_document_lot_details',
    'report_invoice_document': 'report_invoice_document_lot_lines',
}


def migrate(cr, version):
    if not version:
        return
    for old, new in RENAMED_VIEWS.items():
        cr.execute("""
            UPDATE ir_model_data SET name = %s
             WHERE module = 'stock_lot_tracking' AND name = %s AND model = 'ir.ui.view'
               AND NOT EXISTS (SELECT 1 FROM ir_model_data
                                WHERE module = 'stock_lot_tracking' AND name = %s)
        """, (new, old, new))
