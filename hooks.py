# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Install: fill the columns the addon adds to existing lots in SQL, before the ORM
would. Uninstall: leave the database as it was before."""
from psycopg2 import sql

from odoo import SUPERUSER_ID, api

from .lib import single_lot_guard

# Odoo's columns that the addon indexes (its own columns go with their fields)
ADDED_INDEXES = (
    ('stock_quant', 'product_id'),
    ('stock_quant', 'location_id'),
    ('stock_quant', 'lot_id'),
    ('stock_move_line', 'lot_id'),
    ('stock_move_line', 'move_id'),
    ('stock_move_line', 'picking_id'),
    ('stock_move_line', 'location_id'),
    ('stock_move_line', 'location_dest_id'),
    # partial index on (lot_id, date) of done lines, for traceability
    ('stock_move_line', 'lot_done_date'),
)
# whether every internal user saw lots & serial numbers before the install
LOTS_BEFORE_INSTALL_PARAM = 'stock_lot_tracking.lots_for_internal_users_before_install'


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
    _remember_lots_for_internal_users(cr)


def _fill_expected_lots(cr):
    """Inventory lines counted before the install expect the lot they count."""
    cr.execute("""
        ALTER TABLE stock_inventory_line ADD COLUMN IF NOT EXISTS expected_lot_id integer
    """)
    cr.execute("""
        UPDATE stock_inventory_line SET expected_lot_id = prod_lot_id
         WHERE expected_lot_id IS NULL AND prod_lot_id IS NOT NULL
    """)


def _remember_lots_for_internal_users(cr):
    """Note whether internal users had Lots & Serial Numbers before the addon turns it
    on for them, so that the uninstall turns it off only if the addon turned it on."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    implied = env.ref('stock.group_production_lot') in env.ref('base.group_user').implied_ids
    env['ir.config_parameter'].set_param(LOTS_BEFORE_INSTALL_PARAM, str(implied))


def uninstall_hook(cr, registry):
    """Remove what Odoo's uninstall leaves behind: the single-lot rule (constraint or
    trigger), the indexes added to Odoo's columns, and Lots & Serial Numbers for every
    internal user where the addon turned it on (as unticking the setting would)."""
    single_lot_guard.drop(cr)
    for table, column in ADDED_INDEXES:
        cr.execute(sql.SQL('DROP INDEX IF EXISTS {}').format(
            sql.Identifier('%s_%s_index' % (table, column))))
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env['ir.config_parameter']
    if params.get_param(LOTS_BEFORE_INSTALL_PARAM) != 'True':
        internal = env.ref('base.group_user')
        lots = env.ref('stock.group_production_lot')
        internal.write({'implied_ids': [(3, lots.id)]})
        lots.write({'users': [(3, user.id) for user in internal.users]})
    params.search([('key', '=', LOTS_BEFORE_INSTALL_PARAM)]).unlink()
    # stock's own lots menu, which Inventory > Lots replaced
    env.ref('stock.menu_action_production_lot_form').write({'active': True})
