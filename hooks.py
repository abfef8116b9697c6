# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fill the columns the addon adds to existing lots in SQL, before the ORM would."""


def pre_init_hook(cr):
    """Existing lots: produced when created, expiry state from their dates, approved.

    Existing quants: no location holds one lot per product yet, so the stored
    ``stock_quant.single_lot`` column starts empty instead of being computed quant by quant.
    """
    cr.execute("ALTER TABLE stock_quant ADD COLUMN IF NOT EXISTS single_lot boolean")
    cr.execute("""
        ALTER TABLE stock_production_lot
            ADD COLUMN IF NOT EXISTS production_date timestamp,
            ADD COLUMN IF NOT EXISTS expiry_state varchar,
            ADD COLUMN IF NOT EXISTS quality_state varchar
    """)
    cr.execute("""
        UPDATE stock_production_lot
           SET production_date = COALESCE(production_date, create_date,
                                          now() at time zone 'UTC'),
               quality_state = COALESCE(quality_state, 'approved'),
               expiry_state = CASE
                   WHEN life_date IS NULL THEN 'none'
                   WHEN life_date <= now() at time zone 'UTC' THEN 'expired'
                   WHEN alert_date <= now() at time zone 'UTC' THEN 'warning'
                   ELSE 'ok' END
    """)
    _fill_expected_lots(cr)


def _fill_expected_lots(cr):
    """Inventory lines counted before the install expect the lot they count."""
    cr.execute("""
        ALTER TABLE stock_inventory_line ADD COLUMN IF NOT EXISTS expected_lot_id integer
    """)
    cr.execute("""
        UPDATE stock_inventory_line SET expected_lot_id = prod_lot_id
         WHERE expected_lot_id IS NULL AND prod_lot_id IS NOT NULL
    """)
