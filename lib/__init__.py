# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain Python helpers of the addon, apart from its models: the GS1 barcode reader
(``gs1``, no Odoo import) and the window actions shared by models and wizards
(``actions``)."""
