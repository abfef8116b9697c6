# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import timedelta

import psycopg2
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import LotTrackingCase, days_from_now


def shift(value, days):
    return fields.Datetime.to_string(fields.Datetime.from_string(value) + timedelta(days=days))


@at_install(False)
@post_install(True)
class TestLotDates(LotTrackingCase):
    """Lot dates computed from the production date and the product's day counts."""

    def test_dates_count_from_production_date(self):
        """Expiration = production + life time, alert = expiration - warning period."""
        produced = days_from_now(-20, hour=8)
        lot = self._create_lot('L1', production_date=produced)
        self.assertEqual(lot.life_date, shift(produced, 100))
        self.assertEqual(lot.alert_date, shift(produced, 90))
        self.assertEqual(lot.removal_date, lot.life_date)
        self.assertFalse(lot.use_date)

    def test_production_date_defaults_to_now(self):
        """Without a production date, now is the production date."""
        lot = self._create_lot('L1')
        self.assertDatetimeAlmostEqual(lot.production_date, fields.Datetime.now())
        self.assertDatetimeAlmostEqual(lot.life_date, days_from_now(100))

    def test_own_removal_and_use_times_are_kept(self):
        """Products with removal and use times keep product_expiry's meaning."""
        self.product.write({'removal_time': 80, 'use_time': 70, 'expiry_warning_days': 0,
                            'alert_time': 60})
        produced = days_from_now(-1, hour=6)
        lot = self._create_lot('L1', production_date=produced)
        self.assertEqual(lot.removal_date, shift(produced, 80))
        self.assertEqual(lot.use_date, shift(produced, 70))
        self.assertEqual(lot.alert_date, shift(produced, 60))

    def test_warning_period_overrides_alert_time(self):
        """The warning period wins over product_expiry's alert time."""
        self.product.alert_time = 3
        produced = days_from_now(0, hour=6)
        lot = self._create_lot('L1', production_date=produced)
        self.assertEqual(lot.alert_date, shift(produced, 90))

    def test_entered_expiration_date_drives_removal_and_alert(self):
        """An expiration date typed at creation moves removal and alert with it."""
        life = days_from_now(30, hour=12)
        lot = self._create_lot('L1', life_date=life)
        self.assertEqual(lot.life_date, life)
        self.assertEqual(lot.removal_date, life)
        self.assertEqual(lot.alert_date, shift(life, -10))

    def test_no_life_time_no_expiration(self):
        """A product without life time gives lots without expiration date."""
        self.product.life_time = 0
        lot = self._create_lot('L1')
        self.assertFalse(lot.life_date)
        self.assertEqual(lot.expiry_state, 'none')
        self.assertEqual(lot.days_to_expiry, 0)

    def test_onchange_production_date_recomputes_dates(self):
        """Changing the production date in the form recomputes the dates."""
        lot = self.env['stock.production.lot'].new({
            'name': 'L1', 'product_id': self.product.id})
        lot.production_date = days_from_now(-50, hour=9)
        lot._onchange_product()
        self.assertEqual(lot.life_date, shift(lot.production_date, 100))


@at_install(False)
@post_install(True)
class TestLotExpiryState(LotTrackingCase):
    """Expiry state and days to expiry of lots."""

    def test_states_by_dates(self):
        """ok before the warning period, warning inside it, expired after."""
        fresh = self._create_lot('FRESH', production_date=days_from_now(-1))
        warning = self._create_lot('WARN', production_date=days_from_now(-95))
        expired = self._create_lot('OLD', production_date=days_from_now(-101))
        self.assertEqual(fresh.expiry_state, 'ok')
        self.assertEqual(warning.expiry_state, 'warning')
        self.assertEqual(expired.expiry_state, 'expired')

    def test_state_is_searchable(self):
        """Expiry state is stored: the lot list filters on it."""
        expired = self._create_lot('OLD', production_date=days_from_now(-101))
        found = self.env['stock.production.lot'].search([
            ('expiry_state', '=', 'expired'), ('product_id', '=', self.product.id)])
        self.assertEqual(found, expired)

    def test_state_follows_date_changes(self):
        """A new expiration date recomputes the state at once."""
        lot = self._create_lot('L1')
        lot.sudo(self.lot_manager).life_date = days_from_now(-1)
        self.assertEqual(lot.expiry_state, 'expired')

    def test_days_to_expiry(self):
        """Whole days left, negative once expired."""
        lot = self._create_lot('L1', life_date=days_from_now(10.5))
        self.assertEqual(lot.days_to_expiry, 10)
        old = self._create_lot('L2', life_date=days_from_now(-2.5))
        self.assertEqual(old.days_to_expiry, -3)

    def test_cron_refreshes_stale_states_once(self):
        """The daily check fixes states that time made stale; a second run changes nothing."""
        lot = self._create_lot('L1', production_date=days_from_now(-101))
        self.env.cr.execute(
            "UPDATE stock_production_lot SET expiry_state = 'ok' WHERE id = %s", (lot.id,))
        lot.invalidate_cache()
        refreshed = self.env['stock.production.lot']._cron_check_expiry()
        self.assertIn(lot, refreshed)
        self.assertEqual(lot.expiry_state, 'expired')
        self.assertFalse(self.env['stock.production.lot']._cron_check_expiry())


@at_install(False)
@post_install(True)
class TestLotProtection(LotTrackingCase):
    """Who may change the dates of a lot, retest it and release it."""

    @classmethod
    def setUpClass(cls):
        super(TestLotProtection, cls).setUpClass()
        cls.lot = cls._create_lot('PROT-1', production_date=days_from_now(-10, hour=7))

    def test_clerk_cannot_change_dates(self):
        """A plain stock user changing the expiration date is refused, naming who may."""
        with self.assertRaisesRegex(AccessError, 'only Lot Managers'):
            self.lot.sudo(self.clerk).write({'life_date': days_from_now(300)})
        with self.assertRaises(AccessError):
            self.lot.sudo(self.clerk).write({'production_date': days_from_now(-1)})

    def test_clerk_may_edit_other_fields(self):
        """Supplier data and unchanged dates can be written by a stock user."""
        self.lot.sudo(self.clerk).write({
            'supplier_lot_code': 'V-1', 'life_date': self.lot.life_date})
        self.assertEqual(self.lot.supplier_lot_code, 'V-1')

    def test_manager_may_change_dates(self):
        """A lot manager may correct a date."""
        new = days_from_now(200, hour=0)
        self.lot.sudo(self.lot_manager).write({'life_date': new})
        self.assertEqual(self.lot.life_date, new)

    def test_stock_manager_is_lot_manager(self):
        """Stock managers get the lot manager group by default."""
        self.assertTrue(self.stock_manager.has_group('stock_lot_tracking.group_lot_manager'))
        self.assertFalse(self.clerk.has_group('stock_lot_tracking.group_lot_manager'))

    def test_retest_shifts_dates_and_posts_reason(self):
        """A retest moves every derived date by the same delta and logs old, new, reason."""
        old_life, old_alert = self.lot.life_date, self.lot.alert_date
        new_life = shift(old_life, 60)
        self.lot.sudo(self.lot_manager).action_retest(new_life, 'Assay 99.1 %, report R-7')
        self.assertEqual(self.lot.life_date, new_life)
        self.assertEqual(self.lot.alert_date, shift(old_alert, 60))
        self.assertEqual(self.lot.removal_date, new_life)
        message = self.lot.message_ids[0].body
        self.assertIn(old_life, message)
        self.assertIn(new_life, message)
        self.assertIn('Assay 99.1 %, report R-7', message)

    def test_retest_without_reason_is_refused(self):
        """A retest needs a reason; nothing changes without it."""
        old_life = self.lot.life_date
        with self.assertRaisesRegex(UserError, 'reason'):
            self.lot.sudo(self.lot_manager).action_retest(days_from_now(300), '  ')
        self.assertEqual(self.lot.life_date, old_life)

    def test_retest_by_clerk_is_refused(self):
        """Only lot managers may retest."""
        with self.assertRaisesRegex(AccessError, 'Only Lot Managers'):
            self.lot.sudo(self.clerk).action_retest(days_from_now(300), 'reason')

    def test_retest_wizard(self):
        """The Retest button's wizard applies the new date."""
        new_life = days_from_now(400, hour=0)
        wizard = self.env['stock.lot.retest'].sudo(self.lot_manager).with_context(
            active_id=self.lot.id).create({'new_life_date': new_life, 'reason': 'Retest R-8'})
        wizard.action_retest()
        self.assertEqual(self.lot.life_date, new_life)

    def test_block_and_release(self):
        """A stock user blocks with a reason; only a lot manager releases."""
        lot = self.lot.sudo(self.clerk)
        wizard = self.env['stock.lot.block'].sudo(self.clerk).with_context(
            active_ids=self.lot.ids).create({'reason': 'Complaint C-12'})
        wizard.action_apply()
        self.assertTrue(lot.blocked)
        self.assertEqual(lot.block_reason, 'Complaint C-12')
        with self.assertRaises(AccessError):
            lot.action_unblock()
        self.lot.sudo(self.lot_manager).action_unblock()
        self.assertFalse(self.lot.blocked)
        self.assertFalse(self.lot.block_reason)

    def test_block_without_reason_is_refused(self):
        """Blocking needs a reason."""
        with self.assertRaisesRegex(UserError, 'PROT-1'):
            self.lot.action_block('')
        self.assertFalse(self.lot.blocked)

    def test_lot_code_unique_per_product(self):
        """The same code twice for one product is refused; another product may use it."""
        other = self.product.copy({'name': 'Other'})
        self._create_lot('PROT-1', product=other)
        with mute_logger('odoo.sql_db'), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self._create_lot('PROT-1')


@at_install(False)
@post_install(True)
class TestLotViewsAndDemo(LotTrackingCase):
    """Menus, views and demo data that users see."""

    def test_clerk_reaches_lots_menu(self):
        """Inventory > Lots is visible to stock users and lists lots."""
        menu = self.env.ref('stock_lot_tracking.stock_production_lot_menu')
        visible = self.env['ir.ui.menu'].sudo(self.clerk)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertTrue(self.env[menu.action.res_model].sudo(self.clerk).search_count([]))

    def test_one_menu_lists_lots(self):
        """Only one menu of Inventory opens the list of all lots: Inventory > Lots
        (stock's Master Data > Lots/Serial Numbers is hidden)."""
        # in Inventory: Manufacturing, where installed, has its own entry for its users
        menus = self.env['ir.ui.menu'].search([
            ('id', 'child_of', self.env.ref('stock.menu_stock_root').id)]).filtered(
            lambda menu: menu.action and menu.action._name == 'ir.actions.act_window'
            and menu.action.res_model == 'stock.production.lot'
            and not menu.action.domain)
        self.assertEqual(menus, self.env.ref('stock_lot_tracking.stock_production_lot_menu'))
        self.assertFalse(self.env.ref('stock.menu_action_production_lot_form').active)

    def _lot_view(self, view_type, view_xmlid):
        view = self.env['stock.production.lot'].fields_view_get(
            view_id=self.env.ref(view_xmlid).id, view_type=view_type)
        return etree.fromstring(view['arch'])

    def _visible_columns(self, tree):
        return [node.get('name') for node in tree.xpath('/tree/field')
                if not json.loads(node.get('modifiers', '{}')).get('column_invisible')
                and node.get('invisible') not in ('1', 'True')]

    def test_list_shows_quantity_on_hand(self):
        """The lots list shows each lot's quantity on hand."""
        tree = self._lot_view('tree', 'stock.view_production_lot_tree')
        self.assertIn('product_qty', self._visible_columns(tree))

    def test_list_fits_the_screen(self):
        """The lots list keeps to the essential columns (fits 1,400 px)."""
        columns = self._visible_columns(
            self._lot_view('tree', 'stock.view_production_lot_tree'))
        self.assertLessEqual(len(columns), 8, columns)
        for name in ('name', 'product_id', 'life_date', 'expiry_state', 'quality_state'):
            self.assertIn(name, columns)

    def test_list_days_to_expiry_blank_without_expiration(self):
        """Days to Expiry shows nothing on a lot without expiration date."""
        tree = self._lot_view('tree', 'stock.view_production_lot_tree')
        node = tree.xpath("//field[@name='days_to_expiry']")[0]
        self.assertEqual(json.loads(node.get('modifiers'))['invisible'],
                         [['life_date', '=', False]])

    def test_form_hides_odoo_expiration_alert(self):
        """The lot form shows the addon's expiry state, not product_expiry's
        "Expiration Alert" badge."""
        form = self._lot_view('form', 'stock.view_production_lot_form')
        badges = [node for node in form.xpath('//span')
                  if (node.text or '').strip() == 'Expiration Alert']
        self.assertTrue(badges)
        for node in badges:
            self.assertTrue(json.loads(node.get('modifiers'))['invisible'])

    def test_form_hides_quality_for_products_without_quality(self):
        """"Quality Approved", Reject and the Certificate of Analysis are hidden on lots of
        products that do not track quality."""
        form = self._lot_view('form', 'stock.view_production_lot_form')
        approved = [node for node in form.xpath('//span')
                    if (node.text or '').strip() == 'Quality Approved']
        buttons = form.xpath("//button[@name='action_print_certificate_of_analysis']") + [
            node for node in form.xpath('//header/button') if node.get('string') == 'Reject']
        self.assertEqual(len(approved), 1)
        self.assertEqual(len(buttons), 2)
        for node in approved + buttons:
            self.assertIn(['track_quality', '=', False],
                          json.loads(node.get('modifiers'))['invisible'])

    def test_form_has_notes(self):
        """The lot form has a Notes field for quality or handling notes."""
        form = self._lot_view('form', 'stock.view_production_lot_form')
        self.assertTrue(form.xpath("//page[@name='notes']/field[@name='note']"))
        lot = self._create_lot('NOTE-1', note='Keep below 8 °C')
        self.assertEqual(lot.note, 'Keep below 8 °C')

    def test_search_filters(self):
        """The lot search has the expiry and blocked filters and groupings."""
        arch = self.env['stock.production.lot'].fields_view_get(view_type='search')['arch']
        for name in ('expiring_soon', 'expired', 'blocked', 'group_by_supplier',
                     'group_by_expiry_state', 'group_by_product'):
            self.assertIn('name="%s"' % name, arch)

    def test_form_tabs(self):
        """The lot form has Origin, Dates and Quality tabs and the Expiration Date label."""
        view = self.env['stock.production.lot'].fields_view_get(
            view_id=self.env.ref('stock.view_production_lot_form').id, view_type='form')
        for name in ('origin', 'dates', 'quality'):
            self.assertIn('name="%s"' % name, view['arch'])
        self.assertEqual(view['fields']['life_date']['string'], 'Expiration Date')

    def test_demo_lots(self):
        """Demo data has fresh, expiring, expired and blocked lots with stock."""
        ref = self.env.ref
        self.assertEqual(ref('stock_lot_tracking.lot_yoghurt_fresh_demo').expiry_state, 'ok')
        self.assertEqual(ref('stock_lot_tracking.lot_yoghurt_expiring_demo').expiry_state,
                         'warning')
        self.assertEqual(ref('stock_lot_tracking.lot_yoghurt_expired_demo').expiry_state,
                         'expired')
        blocked = ref('stock_lot_tracking.lot_cheese_blocked_demo')
        self.assertTrue(blocked.blocked)
        self.assertEqual(blocked.product_qty, 8)
        self.assertTrue(ref('stock_lot_tracking.res_partner_supplier_demo').supplier)
