# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The database rule of single-lot locations, on any PostgreSQL role.

In a single-lot location, the quants of a product with a positive quantity all carry
the same lot (quants without lot do not count). The rule is enforced by the database so
that two concurrent transactions cannot break it, in one of two ways, both deferred to
the end of the transaction and both named :data:`CONSTRAINT`, so that
``SET CONSTRAINTS`` and the error handling of ``stock.quant`` treat them alike:

- an exclusion constraint, which needs the ``btree_gist`` extension. A superuser can
  create it; on PostgreSQL 13 and later so can the owner of the database (it is a
  trusted extension);
- otherwise a constraint trigger that serialises the transactions putting stock of a
  product into a single-lot location through a row of :data:`LOCK_TABLE`: of two
  concurrent transactions the second waits for the first, then gets a serialization
  failure (which Odoo retries: the retry sees the first lot and is refused) or, when the
  first lot is visible to it, the same exclusion violation as the constraint's.

A database administrator can run ``CREATE EXTENSION btree_gist;`` in the database at
any time; the next update of the addon then replaces the trigger by the constraint.
"""
import logging

import psycopg2

_logger = logging.getLogger(__name__)

CONSTRAINT = 'stock_quant_single_lot_excl'
FUNCTION = 'stock_quant_single_lot_check'
LOCK_TABLE = 'stock_quant_single_lot_lock'


def get_mode(cr):
    """``'exclusion'``, ``'trigger'`` or ``None``: how the rule is enforced now."""
    cr.execute("""
        SELECT contype FROM pg_constraint
         WHERE conname = %s AND conrelid = 'stock_quant'::regclass
    """, (CONSTRAINT,))
    row = cr.fetchone()
    return {'x': 'exclusion', 't': 'trigger'}.get(row[0]) if row else None


def has_btree_gist(cr):
    """Whether the ``btree_gist`` extension is there, created now if this role may."""
    cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'")
    if cr.fetchone():
        return True
    try:
        with cr.savepoint():
            cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist", log_exceptions=False)
    except psycopg2.Error as error:
        cr.execute("SELECT current_database(), current_user")
        database, user = cr.fetchone()
        _logger.warning(
            "stock_lot_tracking: the database role %s may not create the btree_gist "
            "extension (%s). One lot per product in single-lot locations is enforced by "
            "a constraint trigger instead, which serialises the transactions that put "
            "stock there. For the exclusion constraint, run as a superuser "
            "'CREATE EXTENSION btree_gist;' in database %s, then update the addon.",
            user, str(error).strip(), database)
        return False
    return True


def install(cr, use_extension=True):
    """Enforce the rule, with the exclusion constraint when ``btree_gist`` can be had
    (and ``use_extension``), else with the constraint trigger. Idempotent.

    :return: the mode installed, ``'exclusion'`` or ``'trigger'``
    """
    mode = get_mode(cr)
    want = 'exclusion' if use_extension and has_btree_gist(cr) else 'trigger'
    if mode == want:
        return mode
    drop(cr)
    if want == 'exclusion':
        cr.execute("""
            ALTER TABLE stock_quant ADD CONSTRAINT stock_quant_single_lot_excl
                EXCLUDE USING gist (product_id WITH =, location_id WITH =, lot_id WITH <>)
                WHERE (single_lot AND quantity > 0)
                DEFERRABLE INITIALLY DEFERRED
        """)
    else:
        _install_trigger(cr)
    return want


def _install_trigger(cr):
    """The constraint trigger, its function and its lock table."""
    cr.execute("""
        CREATE TABLE IF NOT EXISTS stock_quant_single_lot_lock (
            product_id integer NOT NULL,
            location_id integer NOT NULL,
            PRIMARY KEY (product_id, location_id)
        )
    """)
    cr.execute("""
        CREATE OR REPLACE FUNCTION stock_quant_single_lot_check() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            quant record;
            other_lot integer;
        BEGIN
            -- the row as it is now: it may have changed again since this event
            SELECT product_id, location_id, lot_id INTO quant FROM stock_quant
             WHERE id = NEW.id AND single_lot AND quantity > 0 AND lot_id IS NOT NULL;
            IF NOT FOUND THEN
                RETURN NULL;
            END IF;
            -- one row per product and location: a concurrent transaction that put stock
            -- there holds it until it ends, then this one fails to serialise
            INSERT INTO stock_quant_single_lot_lock AS lock (product_id, location_id)
                 VALUES (quant.product_id, quant.location_id)
            ON CONFLICT (product_id, location_id)
                DO UPDATE SET product_id = lock.product_id;
            SELECT lot_id INTO other_lot FROM stock_quant
             WHERE product_id = quant.product_id AND location_id = quant.location_id
               AND single_lot AND quantity > 0 AND lot_id IS NOT NULL
               AND lot_id <> quant.lot_id
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING
                    ERRCODE = 'exclusion_violation',
                    CONSTRAINT = 'stock_quant_single_lot_excl',
                    TABLE = 'stock_quant',
                    MESSAGE = 'conflicting key value violates exclusion constraint '
                              '"stock_quant_single_lot_excl"',
                    DETAIL = format('Key (product_id, location_id, lot_id)=(%s, %s, %s) '
                                    'conflicts with existing key (product_id, location_id, '
                                    'lot_id)=(%s, %s, %s).', quant.product_id,
                                    quant.location_id, quant.lot_id, quant.product_id,
                                    quant.location_id, other_lot);
            END IF;
            RETURN NULL;
        END
        $$
    """)
    cr.execute("""
        CREATE CONSTRAINT TRIGGER stock_quant_single_lot_excl
            AFTER INSERT OR UPDATE OF product_id, location_id, lot_id, quantity, single_lot
            ON stock_quant
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW
            WHEN (NEW.single_lot AND NEW.quantity > 0 AND NEW.lot_id IS NOT NULL)
            EXECUTE PROCEDURE stock_quant_single_lot_check()
    """)


def drop(cr):
    """Remove the rule in both of its forms (the extension stays: others may use it)."""
    mode = get_mode(cr)
    if mode == 'exclusion':
        cr.execute("ALTER TABLE stock_quant DROP CONSTRAINT stock_quant_single_lot_excl")
    elif mode == 'trigger':
        cr.execute("DROP TRIGGER stock_quant_single_lot_excl ON stock_quant")
    cr.execute("DROP FUNCTION IF EXISTS stock_quant_single_lot_check()")
    cr.execute("DROP TABLE IF EXISTS stock_quant_single_lot_lock")
