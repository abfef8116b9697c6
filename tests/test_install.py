# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .. import hooks
from ..lib import single_lot_guard
from .test_single_lot_location import receive, transfer
from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestSingleLotGuard(LotTrackingCase):
    """The database rule of single-lot locations, with or without btree_gist."""

    @classmethod
    def setUpClass(cls):
        super(TestSingleLotGuard, cls).setUpClass()
        cls.bin = cls.env['stock.location'].create({
            'name': 'Guarded Bin', 'location_id': cls.stock_location.id,
            'single_lot': True})
        cls.lot_a = cls._create_lot('GUARD-A')
        cls.lot_b = cls._create_lot('GUARD-B')

    def _use_trigger(self):
        """Enforce the rule as on a role that may not create btree_gist (rolled back
        with the test)."""
        self.assertEqual(single_lot_guard.install(self.env.cr, use_extension=False),
                         'trigger')
        self.assertEqual(single_lot_guard.get_mode(self.env.cr), 'trigger')

    def _index_names(self):
        self.env.cr.execute("""
            SELECT indexname FROM pg_indexes
             WHERE tablename IN ('stock_quant', 'stock_move_line')""")
        return {row[0] for row in self.env.cr.fetchall()}

    def test_superuser_install_uses_the_exclusion_constraint(self):
        """Where btree_gist can be had, the rule is an exclusion constraint."""
        self.assertEqual(single_lot_guard.get_mode(self.env.cr), 'exclusion')
        self.assertTrue(single_lot_guard.has_btree_gist(self.env.cr))

    def test_install_is_idempotent(self):
        """Installing the rule again (an update) keeps one constraint of one kind."""
        self.assertEqual(single_lot_guard.install(self.env.cr), 'exclusion')
        self.env.cr.execute("SELECT count(*) FROM pg_constraint WHERE conname = %s",
                            (single_lot_guard.CONSTRAINT,))
        self.assertEqual(self.env.cr.fetchone()[0], 1)

    def test_trigger_refuses_a_second_lot_by_name(self):
        """Without btree_gist, the trigger refuses a second lot with the same message."""
        self._use_trigger()
        receive(self.env, self.product, self.lot_a, 5, self.bin)
        with self.assertRaises(ValidationError) as error:
            receive(self.env, self.product, self.lot_b, 1, self.bin)
        for text in ('Guarded Bin', 'GUARD-A', 'GUARD-B', 'Tracked Milk Powder'):
            self.assertIn(text, error.exception.name)

    def test_trigger_refuses_quants_written_without_a_move(self):
        """The trigger holds also for quants written outside a stock move."""
        self._use_trigger()
        quant_model = self.env['stock.quant']
        quant_model._update_available_quantity(self.product, self.bin, 2, lot_id=self.lot_a)
        quant_model._update_available_quantity(self.product, self.bin, 2, lot_id=self.lot_b)
        with self.assertRaises(ValidationError) as error:
            quant_model._check_single_lot_locations()
        self.assertIn('GUARD-B', error.exception.name)

    def test_trigger_lets_one_lot_follow_another(self):
        """With the trigger, the same lot may be added, and another lot enters once the
        first has left, also within one transaction."""
        self._use_trigger()
        receive(self.env, self.product, self.lot_a, 5, self.bin)
        receive(self.env, self.product, self.lot_a, 1, self.bin)
        transfer(self.env, self.product, self.lot_a, 6, self.bin, self.stock_location)
        receive(self.env, self.product, self.lot_b, 2, self.bin)
        self.env['stock.quant']._check_single_lot_locations()
        self.assertEqual(self.bin._get_lots_in_stock(), {self.product: self.lot_b})

    def test_trigger_ignores_stock_without_lot_and_ordinary_locations(self):
        """Stock without lot, and other locations, are not limited by the trigger."""
        self._use_trigger()
        quant_model = self.env['stock.quant']
        quant_model._update_available_quantity(self.product, self.bin, 2, lot_id=self.lot_a)
        quant_model._update_available_quantity(self.product, self.bin, 2)
        quant_model._update_available_quantity(self.product, self.stock_location, 2,
                                               lot_id=self.lot_b)
        quant_model._check_single_lot_locations()

    def test_back_to_the_constraint_once_btree_gist_is_there(self):
        """An update with btree_gist available replaces the trigger by the constraint
        and leaves no function or lock table behind."""
        self._use_trigger()
        self.assertEqual(single_lot_guard.install(self.env.cr), 'exclusion')
        self.env.cr.execute("SELECT to_regclass(%s), to_regproc(%s)",
                            (single_lot_guard.LOCK_TABLE, single_lot_guard.FUNCTION))
        self.assertEqual(self.env.cr.fetchone(), (None, None))

    def test_uninstall_hook_removes_rule_indexes_and_lots_for_everyone(self):
        """The uninstall hook drops the rule, the indexes on Odoo's columns and the
        Lots & Serial Numbers implication the install added to internal users."""
        self.env['ir.config_parameter'].set_param(hooks.LOTS_BEFORE_INSTALL_PARAM, 'False')
        internal = self.env.ref('base.group_user')
        lots = self.env.ref('stock.group_production_lot')
        self.assertIn(lots, internal.implied_ids)
        self.assertIn('stock_quant_lot_id_index', self._index_names())
        hooks.uninstall_hook(self.env.cr, self.registry)
        self.addCleanup(self.registry.clear_caches)
        self.assertIsNone(single_lot_guard.get_mode(self.env.cr))
        self.assertFalse(self._index_names() & {
            '%s_%s_index' % index for index in hooks.ADDED_INDEXES})
        internal.invalidate_cache()
        self.assertNotIn(lots, internal.implied_ids)
        self.assertNotIn(self.clerk, lots.users)
        self.assertFalse(self.env['ir.config_parameter'].get_param(
            hooks.LOTS_BEFORE_INSTALL_PARAM))
        self.assertTrue(self.env.ref('stock.menu_action_production_lot_form').active)

    def test_uninstall_hook_keeps_lots_that_were_on_before(self):
        """Where internal users had lots before the install, the uninstall keeps them."""
        self.env['ir.config_parameter'].set_param(hooks.LOTS_BEFORE_INSTALL_PARAM, 'True')
        hooks.uninstall_hook(self.env.cr, self.registry)
        self.addCleanup(self.registry.clear_caches)
        internal = self.env.ref('base.group_user')
        internal.invalidate_cache()
        self.assertIn(self.env.ref('stock.group_production_lot'), internal.implied_ids)

    def test_install_remembers_lots_for_internal_users(self):
        """The install noted whether internal users had lots before (here: not)."""
        self.assertEqual(self.env['ir.config_parameter'].get_param(
            hooks.LOTS_BEFORE_INSTALL_PARAM), 'False')
