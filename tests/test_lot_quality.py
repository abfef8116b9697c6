# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import LotTrackingCase


class QualityCase(LotTrackingCase):
    """A quality-tracked product with a numeric and a text attribute, and a quality user."""

    @classmethod
    def setUpClass(cls):
        super(QualityCase, cls).setUpClass()
        Attribute = cls.env['stock.lot.quality.attribute']
        cls.purity = Attribute.create({
            'name': 'Test Purity', 'uom_name': '%', 'min_value': 98.0, 'max_value': 100.0})
        cls.moisture = Attribute.create({
            'name': 'Test Moisture', 'uom_name': '%', 'max_value': 0.5})
        cls.appearance = Attribute.create({
            'name': 'Test Appearance', 'value_type': 'text', 'target': 'Conforms'})
        cls.product.write({
            'track_quality': True,
            'quality_attribute_ids': [(6, 0, (cls.purity | cls.appearance).ids)],
        })
        cls.quality_user = cls._create_user(
            'qualityuser', ['stock_lot_tracking.group_lot_quality'])

    def _value(self, lot, attribute, value):
        """Record one value on ``lot`` and return its record."""
        return lot._set_quality_values({attribute.id: value})

    def _receive(self, lot_name, quantity=10.0):
        """Buy and receive ``quantity`` of the product under ``lot_name``; return the lot."""
        order = self.env['purchase.order'].create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': self.product.id, 'name': self.product.name,
                'product_qty': quantity, 'product_uom': self.product.uom_po_id.id,
                'price_unit': 4.0, 'date_planned': '2026-01-01 00:00:00'})],
        })
        order.button_confirm()
        picking = order.picking_ids
        picking.move_lines.move_line_ids.write({'lot_name': lot_name, 'qty_done': quantity})
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        return picking.move_line_ids.lot_id


@at_install(False)
@post_install(True)
class TestQualitySpecification(QualityCase):
    """Values measured on lots evaluated against their attribute's specification."""

    def test_numeric_inside_range_and_bounds(self):
        """A value inside the range, or on one of its bounds, is in specification."""
        lot = self._create_lot('SPEC-1')
        for measured in (98.0, 99.3, 100.0):
            self.assertTrue(self._value(lot, self.purity, measured).in_spec, measured)

    def test_numeric_outside_range(self):
        """A value below the minimum or above the maximum is out of specification."""
        lot = self._create_lot('SPEC-1')
        for measured in (97.99, 100.01, 0.0):
            self.assertFalse(self._value(lot, self.purity, measured).in_spec, measured)

    def test_one_sided_limits(self):
        """Only a maximum: any lower value passes, including 0; above fails."""
        lot = self._create_lot('SPEC-1')
        self.assertFalse(self.moisture.has_min_value)
        self.assertTrue(self.moisture.has_max_value)
        self.assertTrue(self._value(lot, self.moisture, 0.0).in_spec)
        self.assertFalse(self._value(lot, self.moisture, 0.51).in_spec)
        self.assertEqual(self.moisture.specification, '<= 0.5 %')

    def test_zero_is_a_real_limit(self):
        """A minimum of 0 given through RPC is checked; False clears it."""
        temperature = self.env['stock.lot.quality.attribute'].create({
            'name': 'Storage Temperature', 'min_value': 0.0, 'max_value': 8.0,
            'uom_name': 'C'})
        lot = self._create_lot('SPEC-1')
        self.assertFalse(self._value(lot, temperature, -1.0).in_spec)
        temperature.write({'min_value': False})
        self.assertTrue(lot.quality_value_ids.in_spec)
        self.assertEqual(temperature.specification, '<= 8 C')

    def test_text_attribute_against_target(self):
        """A text value is in spec when it equals the target, ignoring case and spaces."""
        lot = self._create_lot('SPEC-1')
        self.assertTrue(self._value(lot, self.appearance, ' conforms ').in_spec)
        self.assertFalse(self._value(lot, self.appearance, 'Yellowish').in_spec)
        self.assertFalse(self._value(lot, self.appearance, '').in_spec)

    def test_text_attribute_without_target(self):
        """Without target, any recorded text is in spec; an empty one is not."""
        remark = self.env['stock.lot.quality.attribute'].create({
            'name': 'Remark', 'value_type': 'text'})
        lot = self._create_lot('SPEC-1')
        self.assertTrue(self._value(lot, remark, 'slight odour').in_spec)
        self.assertFalse(self._value(lot, remark, False).in_spec)

    def test_missing_values_reported(self):
        """Required attributes without a value, or with an empty text, are reported missing."""
        lot = self._create_lot('SPEC-1')
        self.assertEqual(lot.quality_issues.splitlines(), [
            'Test Appearance not recorded', 'Test Purity not recorded'])
        lot._set_quality_values({self.purity.id: 99.0, self.appearance.id: ''})
        self.assertEqual(lot.quality_issues, 'Test Appearance not recorded')
        lot._set_quality_values({self.appearance.id: 'Conforms'})
        self.assertFalse(lot.quality_issues)

    def test_in_spec_follows_specification_changes(self):
        """Narrowing an attribute's range re-evaluates the stored values."""
        lot = self._create_lot('SPEC-1')
        value = self._value(lot, self.purity, 98.5)
        self.assertTrue(value.in_spec)
        self.purity.min_value = 99.0
        self.assertFalse(value.in_spec)
        self.assertEqual(
            self.env['stock.lot.quality.value'].search_count(
                [('id', '=', value.id), ('in_spec', '=', False)]), 1)

    def test_minimum_above_maximum_refused(self):
        """An attribute whose minimum exceeds its maximum is refused, naming it."""
        with self.assertRaises(ValidationError) as error:
            self.purity.write({'min_value': 101.0})
        self.assertIn('Test Purity', error.exception.name)

    def test_one_value_per_attribute(self):
        """A lot records an attribute once: a second line for it is refused by the database."""
        lot = self._create_lot('SPEC-1')
        self._value(lot, self.purity, 99.0)
        with mute_logger('odoo.sql_db'), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env['stock.lot.quality.value'].create({
                    'lot_id': lot.id, 'attribute_id': self.purity.id, 'value': 98.0})

    def test_set_quality_values_replaces(self):
        """_set_quality_values records numbers and texts and replaces earlier values."""
        lot = self._create_lot('SPEC-1')
        lot._set_quality_values({self.purity.id: 97.0, self.appearance: 'Conforms'})
        lot._set_quality_values({self.purity.id: '99.1', self.moisture.id: None})
        self.assertEqual(len(lot.quality_value_ids), 2)
        values = dict((v.attribute_id, v) for v in lot.quality_value_ids)
        self.assertEqual(values[self.purity].value, 99.1)
        self.assertEqual(values[self.appearance].text_value, 'Conforms')
        self.assertEqual(values[self.purity].display_value, '99.1 %')

    def test_specification_text(self):
        """Specifications read as printed on the certificate of analysis."""
        self.assertEqual(self.purity.specification, '98 - 100 %')
        self.assertEqual(self.appearance.specification, '= Conforms')
        self.purity.write({'min_value': False, 'target': '99.5'})
        self.assertEqual(self.purity.specification, '<= 100 % (target 99.5)')


@at_install(False)
@post_install(True)
class TestQualityApproval(QualityCase):
    """Approval, override and rejection of lots by the quality group."""

    @classmethod
    def setUpClass(cls):
        super(TestQualityApproval, cls).setUpClass()
        cls.lot = cls._create_lot('QA-1')

    def _record_good_values(self, lot=None):
        (lot or self.lot)._set_quality_values({
            self.purity.id: 99.2, self.appearance.id: 'Conforms'})

    def test_new_lot_is_pending(self):
        """Lots of a quality-tracked product start pending; others approved."""
        self.assertEqual(self.lot.quality_state, 'pending')
        other = self.product.copy({'name': 'Untracked', 'track_quality': False})
        self.assertEqual(self._create_lot('QA-2', product=other).quality_state, 'approved')

    def test_approve_with_values_in_spec(self):
        """Every required value recorded and in spec: the quality user approves."""
        self._record_good_values()
        self.assertFalse(self.lot.quality_issues)
        self.lot.sudo(self.quality_user).action_approve()
        self.assertEqual(self.lot.quality_state, 'approved')
        self.assertEqual(self.lot.quality_user_id, self.quality_user)
        self.assertTrue(self.lot.quality_date)
        self.assertFalse(self.lot.quality_reason)

    def test_approve_refused_when_value_missing(self):
        """A required attribute not recorded blocks approval, naming lot and attribute."""
        self.lot._set_quality_values({self.purity.id: 99.0})
        with self.assertRaises(UserError) as error:
            self.lot.sudo(self.quality_user).action_approve()
        self.assertIn('QA-1', error.exception.name)
        self.assertIn('Test Appearance not recorded', error.exception.name)
        self.assertEqual(self.lot.quality_state, 'pending')

    def test_approve_refused_when_out_of_spec(self):
        """A value out of specification blocks approval and is named with its spec."""
        self._record_good_values()
        self.lot._set_quality_values({self.purity.id: 97.5})
        with self.assertRaises(UserError) as error:
            self.lot.sudo(self.quality_user).action_approve()
        self.assertIn('Test Purity 97.5 % out of specification (98 - 100 %)',
                      error.exception.name)
        self.assertEqual(self.lot.quality_state, 'pending')

    def test_approve_refused_for_wrong_text(self):
        """A text observation that does not match the target blocks approval."""
        self.lot._set_quality_values({self.purity.id: 99.0, self.appearance.id: 'Lumpy'})
        with self.assertRaisesRegex(UserError, 'Test Appearance Lumpy out of specification'):
            self.lot.sudo(self.quality_user).action_approve()

    def test_extra_value_out_of_spec_blocks(self):
        """A recorded value of a non-required attribute out of spec also blocks approval."""
        self._record_good_values()
        self.lot._set_quality_values({self.moisture.id: 0.9})
        with self.assertRaisesRegex(UserError, 'Test Moisture'):
            self.lot.sudo(self.quality_user).action_approve()

    def test_approve_several_lots_all_or_nothing(self):
        """When one lot of a batch fails, none is approved."""
        good = self._create_lot('QA-GOOD')
        self._record_good_values(good)
        with self.assertRaisesRegex(UserError, 'QA-1'):
            (good | self.lot).sudo(self.quality_user).action_approve()
        self.assertEqual(good.quality_state, 'pending')

    def test_override_by_quality_user(self):
        """The quality group approves out-of-spec lots with a reason, kept with the lot."""
        self.lot._set_quality_values({self.purity.id: 97.5})
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        lot = self.lot.with_env(env).sudo(self.quality_user)
        lot.action_approve_override('Concession C-14 signed by QA manager')
        self.assertEqual(self.lot.quality_state, 'approved')
        self.assertEqual(self.lot.quality_reason, 'Concession C-14 signed by QA manager')
        bodies = ' '.join(self.lot.message_ids.mapped('body'))
        self.assertIn('Concession C-14', bodies)
        self.assertIn('Test Appearance not recorded', bodies)

    def test_override_needs_reason(self):
        """An override without reason is refused and changes nothing."""
        with self.assertRaisesRegex(UserError, 'reason'):
            self.lot.sudo(self.quality_user).action_approve_override('  ')
        self.assertEqual(self.lot.quality_state, 'pending')

    def test_clerk_cannot_decide(self):
        """A plain stock user can neither approve, override nor reject; told who may."""
        self._record_good_values()
        lot = self.lot.sudo(self.clerk)
        for call in (lambda: lot.action_approve(),
                     lambda: lot.action_approve_override('urgent order'),
                     lambda: lot.action_reject('bad'),
                     lambda: lot.write({'quality_state': 'approved'})):
            with self.assertRaises(AccessError) as error:
                call()
            self.assertIn('Only the Lot Quality group', error.exception.name)
        self.assertEqual(self.lot.quality_state, 'pending')

    def test_lot_manager_cannot_override(self):
        """Lot managers are not quality users: no override for them."""
        with self.assertRaises(AccessError):
            self.lot.sudo(self.lot_manager).action_approve_override('manager says so')

    def test_clerk_cannot_create_approved_lot(self):
        """A stock user creating a lot of a quality-tracked product cannot skip approval."""
        with self.assertRaisesRegex(AccessError, 'Lot Quality group'):
            self.env['stock.production.lot'].sudo(self.clerk).create({
                'name': 'QA-SKIP', 'product_id': self.product.id,
                'quality_state': 'approved'})

    def test_reject_with_reason(self):
        """Rejection needs a reason, stores it and logs it."""
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        lot = self.lot.with_env(env).sudo(self.quality_user)
        with self.assertRaisesRegex(UserError, 'reason'):
            lot.action_reject('')
        self.assertEqual(self.lot.quality_state, 'pending')
        lot.action_reject('Salmonella positive, report R-9')
        self.assertEqual(self.lot.quality_state, 'rejected')
        self.assertEqual(self.lot.quality_reason, 'Salmonella positive, report R-9')
        self.assertIn('Salmonella positive', self.lot.message_ids[0].body)

    def test_reset_to_pending(self):
        """The quality group puts a decided lot back to pending for a new analysis."""
        self.lot.sudo(self.quality_user).action_reject('Retest needed')
        self.lot.sudo(self.quality_user).action_reset_quality()
        self.assertEqual(self.lot.quality_state, 'pending')
        self.assertFalse(self.lot.quality_user_id)

    def test_state_change_tracked(self):
        """The chatter shows the quality state going from pending to approved."""
        self._record_good_values()
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        self.lot.with_env(env).sudo(self.quality_user).action_approve()
        tracked = self.lot.message_ids.mapped('tracking_value_ids').filtered(
            lambda t: t.field == 'quality_state')
        self.assertEqual(tracked.mapped('old_value_char'), ['Pending'])
        self.assertEqual(tracked.mapped('new_value_char'), ['Approved'])

    def test_value_edits_tracked(self):
        """Recording and correcting a value is logged in the lot's chatter, old and new."""
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        lot = self.lot.with_env(env).sudo(self.quality_user)
        lot._set_quality_values({self.purity.id: 97.0})
        lot._set_quality_values({self.purity.id: 99.0})
        body = self.lot.message_ids[0].body
        self.assertIn('Test Purity: 99 %', body)
        self.assertIn('was Test Purity: 97 %', body)
        self.assertIn('OUT OF SPECIFICATION', body)
        lot.quality_value_ids.unlink()
        self.assertIn('Quality value removed', self.lot.message_ids[0].body)

    def test_override_wizard(self):
        """The override wizard lists what it overrides and approves with the reason."""
        wizard = self.env['stock.lot.quality.override'].sudo(self.quality_user).with_context(
            active_ids=self.lot.ids).create({'reason': 'Customer accepts, deviation D-3'})
        self.assertIn('Test Purity not recorded', wizard.issues)
        wizard.action_apply()
        self.assertEqual(self.lot.quality_state, 'approved')
        self.assertEqual(self.lot.quality_reason, 'Customer accepts, deviation D-3')

    def test_reject_wizard(self):
        """The reject wizard rejects the selected lots with the reason."""
        wizard = self.env['stock.lot.quality.reject'].sudo(self.quality_user).with_context(
            active_ids=self.lot.ids).create({'reason': 'Foreign matter'})
        wizard.action_apply()
        self.assertEqual(self.lot.quality_state, 'rejected')


@at_install(False)
@post_install(True)
class TestQualityAccess(QualityCase):
    """Who may read and change quality data, before and after receipt."""

    def test_clerk_records_values_during_receipt(self):
        """Before the receipt is done a stock user enters the lot's quality data."""
        lot = self.env['stock.production.lot'].sudo(self.clerk).create({
            'name': 'ACC-1', 'product_id': self.product.id,
            'quality_grade_id': self.env['stock.lot.quality.grade'].create({'name': 'T1'}).id})
        lot._set_quality_values({self.purity.id: 99.0})
        self.assertEqual(lot.quality_value_ids.value, 99.0)

    def test_clerk_locked_out_after_receipt(self):
        """Once received, a stock user may not change values, grade or certificates."""
        lot = self._receive('ACC-2')
        lot._set_quality_values({self.purity.id: 99.0})
        self.assertEqual(lot.product_qty, 10.0)
        clerk_lot = lot.sudo(self.clerk)
        grade = self.env['stock.lot.quality.grade'].create({'name': 'T2'})
        attempts = (
            lambda: clerk_lot.quality_value_ids.write({'value': 99.9}),
            lambda: clerk_lot.quality_value_ids.unlink(),
            lambda: clerk_lot._set_quality_values({self.appearance.id: 'Conforms'}),
            lambda: clerk_lot.write({'quality_grade_id': grade.id}),
            lambda: clerk_lot.write({'certificate_number': 'X-1'}),
            lambda: self.env['stock.lot.certificate'].sudo(self.clerk).create({
                'lot_id': lot.id, 'name': 'C-1'}),
        )
        for attempt in attempts:
            with self.assertRaises(AccessError) as error:
                attempt()
            self.assertIn('only the Lot Quality group', error.exception.name)
            self.assertIn('ACC-2', error.exception.name)
        self.assertEqual(lot.quality_value_ids.value, 99.0)
        self.assertFalse(lot.quality_grade_id)

    def test_quality_user_edits_after_receipt(self):
        """The quality group corrects the data of a received lot."""
        lot = self._receive('ACC-3').sudo(self.quality_user)
        lot._set_quality_values({self.purity.id: 98.7})
        grade = self.env['stock.lot.quality.grade'].sudo(self.quality_user).create(
            {'name': 'T3'})
        lot.write({'quality_grade_id': grade.id})
        self.assertEqual(lot.quality_grade_id, grade)

    def test_clerk_reads_quality_data(self):
        """Every stock user reads values, specifications and certificates."""
        lot = self._receive('ACC-4')
        lot._set_quality_values({self.purity.id: 99.0})
        self.env['stock.lot.certificate'].create({'lot_id': lot.id, 'name': 'C-4'})
        clerk_lot = lot.sudo(self.clerk)
        self.assertEqual(clerk_lot.quality_value_ids.specification, '98 - 100 %')
        self.assertEqual(clerk_lot.certificate_ids.name, 'C-4')
        self.assertTrue(clerk_lot.certificate_ids.is_valid)

    def test_clerk_cannot_configure_attributes(self):
        """Attributes and grades are not configured by plain stock users."""
        with self.assertRaises(AccessError):
            self.env['stock.lot.quality.attribute'].sudo(self.clerk).create({'name': 'X'})
        with self.assertRaises(AccessError):
            self.env['stock.lot.quality.grade'].sudo(self.clerk).create({'name': 'X'})
        self.env['stock.lot.quality.attribute'].sudo(self.quality_user).create({'name': 'X'})

    def test_configuration_menus(self):
        """Quality Grades and Quality Attributes are under Inventory > Configuration."""
        visible = self.env['ir.ui.menu'].sudo(self.stock_manager)._visible_menu_ids()
        for xmlid in ('stock_lot_tracking.stock_lot_quality_grade_menu',
                      'stock_lot_tracking.stock_lot_quality_attribute_menu'):
            menu = self.env.ref(xmlid)
            self.assertEqual(menu.parent_id, self.env.ref('stock.menu_stock_config_settings'))
            self.assertIn(menu.id, visible)

    def test_lot_form_by_group(self):
        """Everyone sees the Quality tab; only the quality group gets the decision buttons."""
        form = self.env.ref('stock.view_production_lot_form').id
        Lot = self.env['stock.production.lot']
        clerk_view = Lot.sudo(self.clerk).fields_view_get(view_id=form, view_type='form')
        quality_view = Lot.sudo(self.quality_user).fields_view_get(
            view_id=form, view_type='form')
        for name in ('quality_value_ids', 'certificate_ids', 'quality_grade_id',
                     'quality_state', 'certificate_expired'):
            self.assertIn(name, clerk_view['fields'])
        self.assertIn('action_print_certificate_of_analysis', clerk_view['arch'])

        def approve_hidden(view):
            button = etree.fromstring(view['arch']).xpath("//button[@name='action_approve']")
            return button[0].get('invisible') == '1'

        self.assertTrue(approve_hidden(clerk_view))
        self.assertFalse(approve_hidden(quality_view))

    def test_standard_data_and_demo(self):
        """Purity, moisture and pH ship as data; demo grades rank A before B before C."""
        ref = self.env.ref
        self.assertEqual(ref('stock_lot_tracking.quality_attribute_purity').uom_name, '%')
        self.assertEqual(ref('stock_lot_tracking.quality_attribute_moisture').uom_name, '%')
        self.assertEqual(ref('stock_lot_tracking.quality_attribute_ph').specification, '0 - 14')
        grades = self.env['stock.lot.quality.grade'].search(
            [('name', 'in', ('A', 'B', 'C'))])
        self.assertEqual(grades.mapped('name'), ['A', 'B', 'C'])
        demo_lot = ref('stock_lot_tracking.lot_citric_acid_demo')
        self.assertEqual(demo_lot.quality_state, 'approved')
        self.assertEqual(len(demo_lot.quality_value_ids), 3)
        self.assertTrue(all(demo_lot.quality_value_ids.mapped('in_spec')))
