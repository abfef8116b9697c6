# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .reservation_common import LotReservationCase
from .common import days_from_now


class AccessControlCase(LotReservationCase):
    """A plain stock user trying, through the ORM as an RPC client would, the paths
    around the lot rules."""

    @classmethod
    def setUpClass(cls):
        super(AccessControlCase, cls).setUpClass()
        cls.quality_user = cls._create_user(
            'qualityuser', ['stock_lot_tracking.group_lot_quality'])
        cls.production = cls.env.ref('stock.location_production')

    def _ship_lot(self, picking, lot):
        """The operator replaces the reserved lot by ``lot`` and sets the quantity done."""
        line = picking.move_line_ids
        line.write({'lot_id': lot.id, 'qty_done': line.product_uom_qty})
        return line

    def _done_move(self, product, source, destination, lot, quantity):
        """A done move of ``quantity`` of ``lot`` from ``source`` to ``destination``."""
        move = self.env['stock.move'].create({
            'name': product.name, 'product_id': product.id, 'product_uom': product.uom_id.id,
            'product_uom_qty': quantity, 'location_id': source.id,
            'location_dest_id': destination.id})
        move._action_confirm()
        self.env['stock.move.line'].create({
            'move_id': move.id, 'product_id': product.id, 'product_uom_id': product.uom_id.id,
            'location_id': source.id, 'location_dest_id': destination.id,
            'lot_id': lot.id, 'qty_done': quantity})
        move._action_done()
        self.assertEqual(move.state, 'done')
        return move


@at_install(False)
@post_install(True)
class TestBlockControls(AccessControlCase):
    """Blocked lots are released by lot managers only, however the lot is written."""

    def setUp(self):
        super(TestBlockControls, self).setUp()
        self.lot = self._stocked_lot('HOLD', 60)
        self.lot.action_block('Complaint C-7')

    def test_clerk_cannot_unblock_by_write(self):
        """Writing blocked = False as a stock user is refused; the lot stays blocked."""
        with self.assertRaisesRegex(AccessError, 'HOLD'):
            self.lot.sudo(self.clerk).write({'blocked': False})
        self.assertTrue(self.lot.blocked)
        self.assertEqual(self.lot.block_reason, 'Complaint C-7')

    def test_clerk_cannot_change_block_reason(self):
        """The reason of a block is changed by lot managers only."""
        with self.assertRaises(AccessError):
            self.lot.sudo(self.clerk).write({'block_reason': 'nothing'})
        self.assertEqual(self.lot.block_reason, 'Complaint C-7')

    def test_lot_manager_releases_by_write(self):
        """A lot manager may release a lot by writing it; the reason goes with the block."""
        self.lot.sudo(self.lot_manager).write({'blocked': False})
        self.assertFalse(self.lot.blocked)
        self.assertFalse(self.lot.block_reason)

    def test_block_by_write_needs_reason(self):
        """Blocking by a write without a reason is refused, naming the lot."""
        lot = self._stocked_lot('FREE', 60)
        with self.assertRaisesRegex(UserError, 'FREE'):
            lot.sudo(self.clerk).write({'blocked': True})
        self.assertFalse(lot.blocked)

    def test_clerk_blocks_by_write_with_reason(self):
        """A stock user may block a lot by writing it with a reason."""
        lot = self._stocked_lot('FREE', 60)
        lot.sudo(self.clerk).write({'blocked': True, 'block_reason': ' Lab hold '})
        self.assertTrue(lot.blocked)
        self.assertEqual(lot.block_reason, 'Lab hold')

    def test_created_blocked_needs_reason(self):
        """A lot created blocked needs the reason of the block."""
        with self.assertRaisesRegex(UserError, 'NEW-HOLD'):
            self._create_lot('NEW-HOLD', blocked=True)
        self.assertFalse(self.env['stock.production.lot'].search([('name', '=', 'NEW-HOLD')]))

    def test_reason_required_by_every_action(self):
        """Block, reject, approve with an override and retest all need a reason."""
        lot = self._stocked_lot('FREE', 60)
        calls = [
            (self.clerk, lambda lot: lot.action_block('  ')),
            (self.quality_user, lambda lot: lot.action_reject('')),
            (self.quality_user, lambda lot: lot.action_approve_override(None)),
            (self.lot_manager, lambda lot: lot.action_retest(days_from_now(90), ' ')),
        ]
        for user, call in calls:
            with self.assertRaisesRegex(UserError, 'Give the reason to .* lot\\(s\\) FREE'):
                call(lot.sudo(user))
        self.assertFalse(lot.blocked)
        self.assertEqual(lot.quality_state, 'approved')


@at_install(False)
@post_install(True)
class TestDeliveryControls(AccessControlCase):
    """Deliveries refuse blocked and rejected lots, and ship flagged lots only with a
    confirmation, whatever validates them."""

    @classmethod
    def setUpClass(cls):
        super(TestDeliveryControls, cls).setUpClass()
        cls.expired = cls._stocked_lot('EXPIRED', -2)
        cls.other_expired = cls._stocked_lot('EXPIRED-2', -3)
        cls.good = cls._stocked_lot('GOOD', 60)

    def _assert_not_shipped(self, picking, lot):
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(self._qty(self.product, self.stock_location, lot), 10)

    def _confirmation_of_expired(self):
        """A delivery of 5 with the expired lot on its line, validated by the stock user:
        the delivery and the confirmation wizard it opens."""
        picking = self._delivery(self.customer, 5)
        picking.move_line_ids.write({'lot_id': self.expired.id})
        action = picking.sudo(self.clerk).button_validate()
        return picking, self.env['stock.lot.delivery.confirm'].sudo(self.clerk).browse(
            action['res_id'])

    def test_action_done_refuses_blocked_lot(self):
        """action_done() of a stock user does not ship a blocked lot."""
        picking = self._delivery(self.customer, 5)
        self.assertEqual(self._reserved(picking), {'GOOD': 5})
        self.good.action_block('recall 9')
        picking.move_line_ids.qty_done = 5
        with self.assertRaisesRegex(UserError, 'GOOD.*blocked: recall 9'):
            picking.sudo(self.clerk).action_done()
        self._assert_not_shipped(picking, self.good)

    def test_move_action_done_refuses_rejected_lot(self):
        """The moves' own _action_done() does not ship a rejected lot either."""
        picking = self._delivery(self.customer, 5)
        self.good.sudo(self.quality_user).action_reject('salmonella')
        picking.move_line_ids.qty_done = 5
        with self.assertRaisesRegex(UserError, 'quality rejected'):
            picking.move_lines.sudo(self.clerk)._action_done()
        self._assert_not_shipped(picking, self.good)

    def test_action_done_refuses_unconfirmed_expired_lot(self):
        """action_done() does not ship an expired lot nobody confirmed."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        with self.assertRaisesRegex(UserError, 'lot EXPIRED of .*: expired on'):
            picking.sudo(self.clerk).action_done()
        self._assert_not_shipped(picking, self.expired)

    def test_context_key_does_not_confirm(self):
        """The former context key of the confirmation no longer skips it."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        action = picking.sudo(self.clerk).with_context(
            lot_delivery_confirmed=True).button_validate()
        self.assertEqual(action['res_model'], 'stock.lot.delivery.confirm')
        with self.assertRaises(UserError):
            picking.sudo(self.clerk).with_context(lot_delivery_confirmed=True).action_done()
        self._assert_not_shipped(picking, self.expired)

    def test_confirmation_cannot_be_forged(self):
        """A confirmation is given by its button only, not created or written as such."""
        picking = self._delivery(self.customer, 5)
        self._ship_lot(picking, self.expired)
        Confirm = self.env['stock.lot.delivery.confirm'].sudo(self.clerk)
        with self.assertRaises(AccessError):
            Confirm.create({'picking_id': picking.id, 'state': 'confirmed'})
        wizard = Confirm.with_context(default_state='confirmed').create(
            Confirm._prepare_wizard_vals(picking, picking._get_delivery_lot_issues()))
        self.assertEqual(wizard.state, 'draft')
        with self.assertRaises(AccessError):
            wizard.write({'state': 'confirmed'})
        with self.assertRaises(UserError):
            picking.sudo(self.clerk).action_done()
        self._assert_not_shipped(picking, self.expired)

    def test_confirmed_lines_are_frozen(self):
        """A given confirmation cannot be extended to other lots afterwards."""
        picking, wizard = self._confirmation_of_expired()
        wizard.action_confirm()
        self.assertEqual(wizard.state, 'confirmed')
        with self.assertRaises(UserError):
            wizard.line_ids.write({'lot_id': self.other_expired.id})
        with self.assertRaises(UserError):
            self.env['stock.lot.delivery.confirm.line'].sudo(self.clerk).create({
                'wizard_id': wizard.id, 'move_line_id': picking.move_line_ids.id,
                'lot_id': self.other_expired.id, 'reason': 'fine'})

    def test_lot_changed_after_confirmation_is_refused(self):
        """A lot put on the line after the confirmation is not covered by it."""
        picking, wizard = self._confirmation_of_expired()
        action = wizard.action_confirm()
        self.assertEqual(action['res_model'], 'stock.immediate.transfer')
        picking.move_line_ids.write({'lot_id': self.other_expired.id})
        transfer = self.env['stock.immediate.transfer'].sudo(self.clerk).browse(
            action['res_id'])
        with self.assertRaisesRegex(UserError, 'EXPIRED-2'):
            transfer.process()
        self.assertEqual(picking.state, 'assigned')
        self.assertEqual(self._qty(self.product, self.stock_location, self.other_expired), 10)

    def test_confirmed_delivery_done_by_action_done_is_recorded(self):
        """Once confirmed, any path ships the lot and the chatter records who confirmed."""
        picking, wizard = self._confirmation_of_expired()
        wizard.action_confirm()
        self.assertEqual(picking.state, 'assigned')
        picking.move_line_ids.qty_done = 5
        picking.sudo(self.lot_manager).action_done()
        self.assertEqual(picking.state, 'done')
        message = picking.message_ids.filtered(
            lambda message: 'confirmed the delivery' in (message.body or ''))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.lot_manager.partner_id)
        self.assertIn(self.clerk.name, message.body)
        self.assertIn('EXPIRED', message.body)

    def test_good_lot_ships_by_action_done(self):
        """A lot with nothing against it ships by action_done() without confirmation."""
        picking = self._delivery(self.customer, 5)
        self.assertEqual(self._reserved(picking), {'GOOD': 5})
        picking.move_line_ids.qty_done = 5
        picking.sudo(self.clerk).action_done()
        self.assertEqual(picking.state, 'done')


@at_install(False)
@post_install(True)
class TestServerSideDecisions(AccessControlCase):
    """Context keys a client may send do not switch controls off."""

    def test_restock_context_key_does_not_skip_lot_entry(self):
        """A receipt missing lots opens the lot entry even with the former skip key."""
        picking = self._picking(self.env.ref('stock.picking_type_in'),
                                self.supplier_location, self.stock_location, 4,
                                partner=self.supplier)
        action = picking.sudo(self.clerk).with_context(
            restock_lot_entry=True, skip_restock_wizard=True).button_validate()
        self.assertEqual(action['res_model'], 'stock.lot.restock')
        self.assertEqual(picking.state, 'assigned')

    def test_batch_context_key_does_not_hide_batch_change(self):
        """Changing the batch of a serial in stock is recorded whatever the context."""
        scanner = self.env['product.product'].create({
            'name': 'Glucose Meter', 'type': 'product', 'tracking': 'serial'})
        Lot = self.env['stock.production.lot']
        batch1 = Lot.create({'name': 'B-01', 'product_id': scanner.id, 'is_batch': True})
        batch2 = Lot.create({'name': 'B-02', 'product_id': scanner.id, 'is_batch': True})
        serial = Lot.create({'name': 'SN-1', 'product_id': scanner.id,
                             'batch_lot_id': batch1.id})
        self._count_in(scanner, self.stock_location, 1, serial)
        serial.sudo(self.clerk).with_context(slt_batch_assignment=True).write(
            {'batch_lot_id': batch2.id})
        inventory = self.env['stock.inventory'].search(
            [('name', 'like', 'Batch change: serial SN-1')])
        self.assertEqual(inventory.state, 'done')
        self.assertIn('Batch changed from B-01 to B-02', serial.message_ids[0].body)


@at_install(False)
@post_install(True)
class TestComponentControls(AccessControlCase):
    """Component lots of a received lot follow the rule of its dates and grade."""

    @classmethod
    def setUpClass(cls):
        super(TestComponentControls, cls).setUpClass()
        cls.component = cls._stocked_lot(
            'COMP', 5, quality_grade_id=cls.grade_c.id)
        # received without grade: a grade inherited from components would change it
        cls.received = cls._stocked_lot('RECEIVED', 90)

    def test_clerk_cannot_link_components_to_received_lot(self):
        """A stock user linking components to a received lot is refused; nothing changes."""
        with self.assertRaisesRegex(AccessError, 'RECEIVED'):
            self.received.sudo(self.clerk).write(
                {'component_lot_ids': [(4, self.component.id)]})
        self.assertFalse(self.received.component_lot_ids)
        self.assertFalse(self.received.quality_grade_id)

    def test_clerk_cannot_link_components_through_move_lines(self):
        """Consumed lines written on a received lot's move line do not link its lots."""
        consumed = self._done_move(self.product, self.stock_location, self.production,
                                   self.component, 2)
        line = self.env['stock.move.line'].search(
            [('lot_id', '=', self.received.id), ('state', '=', 'done')])
        with self.assertRaises(AccessError):
            line.sudo(self.clerk).write(
                {'consume_line_ids': [(6, 0, consumed.move_line_ids.ids)]})
        self.assertFalse(self.received.component_lot_ids)
        self.assertFalse(self.received.quality_grade_id)

    def test_lot_manager_needs_quality_for_inherited_grade(self):
        """A lot manager outside the quality group cannot give a received lot a grade
        through its components."""
        with self.assertRaises(AccessError):
            self.received.sudo(self.lot_manager).write(
                {'component_lot_ids': [(4, self.component.id)]})
        self.assertFalse(self.received.component_lot_ids)

    def test_lot_manager_links_components_with_chatter(self):
        """A lot manager changes the components of a received lot; the chatter says so."""
        self.received.quality_grade_id = self.grade_a
        self.received.sudo(self.lot_manager).write(
            {'component_lot_ids': [(4, self.component.id)]})
        self.assertEqual(self.received.component_lot_ids, self.component)
        self.assertEqual(self.received.quality_grade_id, self.grade_a)
        message = self.received.message_ids[0]
        self.assertIn('Component lots changed: added COMP', message.body)
        self.assertEqual(message.author_id, self.lot_manager.partner_id)
        self.received.sudo(self.lot_manager).write(
            {'component_lot_ids': [(3, self.component.id)]})
        self.assertIn('removed COMP', self.received.message_ids[0].body)

    def test_production_links_components_for_clerk(self):
        """A lot that only came out of production takes the components its production
        consumed, recorded by a stock user, with their grade."""
        made = self._create_lot('MADE', life_date=days_from_now(200, hour=12))
        consumed = self._done_move(self.product, self.stock_location, self.production,
                                   self.component, 2)
        produced = self._done_move(self.product, self.production, self.stock_location,
                                   made, 2)
        produced.move_line_ids.sudo(self.clerk).write(
            {'consume_line_ids': [(6, 0, consumed.move_line_ids.ids)]})
        self.assertEqual(made.component_lot_ids, self.component)
        self.assertEqual(made.quality_grade_id, self.grade_c)
        self.assertEqual(made.life_date, days_from_now(200, hour=12))


@at_install(False)
@post_install(True)
class TestQualityDataAccess(AccessControlCase):
    """The access rules of quality values, certificates and customer requirements say
    what the code enforces."""

    @classmethod
    def setUpClass(cls):
        super(TestQualityDataAccess, cls).setUpClass()
        cls.attribute = cls.env['stock.lot.quality.attribute'].create(
            {'name': 'Access Purity', 'min_value': 98.0})
        cls.received = cls._stocked_lot('RECEIVED', 90)
        cls.new_lot = cls._create_lot('NEW', life_date=days_from_now(90))
        Value = cls.env['stock.lot.quality.value']
        cls.received_value = Value.create(
            {'lot_id': cls.received.id, 'attribute_id': cls.attribute.id, 'value': 99.0})
        cls.new_value = Value.create(
            {'lot_id': cls.new_lot.id, 'attribute_id': cls.attribute.id, 'value': 99.0})
        Certificate = cls.env['stock.lot.certificate']
        cls.received_certificate = Certificate.create(
            {'lot_id': cls.received.id, 'name': 'C-1'})
        cls.new_certificate = Certificate.create({'lot_id': cls.new_lot.id, 'name': 'C-2'})
        cls.partner_editor = cls._create_user(
            'partnereditor', ['stock.group_stock_user', 'base.group_partner_manager'])

    def test_received_is_searchable(self):
        """Lots are searched by whether they went through a done move."""
        Lot = self.env['stock.production.lot']
        lots = self.received | self.new_lot
        self.assertEqual(Lot.search([('id', 'in', lots.ids), ('is_received', '=', True)]),
                         self.received)
        self.assertEqual(Lot.search([('id', 'in', lots.ids), ('is_received', '=', False)]),
                         self.new_lot)
        self.assertTrue(self.received.is_received)
        self.assertFalse(self.new_lot.is_received)

    def test_record_rules_follow_receipt(self):
        """By the record rules, a stock user changes the quality data of lots not yet
        received only; the quality group changes all; everyone reads all."""
        for received, new in ((self.received_value, self.new_value),
                              (self.received_certificate, self.new_certificate)):
            for mode in ('write', 'unlink'):
                new.sudo(self.clerk).check_access_rule(mode)
                with self.assertRaises(AccessError):
                    received.sudo(self.clerk).check_access_rule(mode)
                received.sudo(self.quality_user).check_access_rule(mode)
            received.sudo(self.clerk).check_access_rule('read')

    def test_clerk_cannot_add_value_to_received_lot(self):
        """A stock user adding a quality value to a received lot is refused."""
        with self.assertRaisesRegex(AccessError, 'RECEIVED'):
            self.env['stock.lot.quality.value'].sudo(self.clerk).create(
                {'lot_id': self.received.id, 'attribute_id': self.attribute.id,
                 'value': 50.0})
        self.assertEqual(self.received.quality_value_ids, self.received_value)

    def test_partner_requirements_by_lot_managers(self):
        """Who edits partners but is no lot manager cannot change a customer's lot
        requirements; a lot manager can."""
        demanding = self.env['res.partner'].create(
            {'name': 'Demanding Co', 'is_company': True, 'min_shelf_life_days': 30})
        for vals in ({'min_shelf_life_days': 0},
                     {'min_quality_grade_id': self.grade_c.id}):
            with self.assertRaisesRegex(AccessError, 'Demanding Co'):
                demanding.sudo(self.partner_editor).write(vals)
        self.assertEqual(demanding.min_shelf_life_days, 30)
        self.assertFalse(demanding.min_quality_grade_id)
        with self.assertRaises(AccessError):
            self.env['res.partner'].sudo(self.partner_editor).create(
                {'name': 'Lax Co', 'is_company': True, 'min_shelf_life_days': 1})
        demanding.sudo(self.stock_manager).write({'min_shelf_life_days': 20})
        self.assertEqual(demanding.min_shelf_life_days, 20)

    def test_partner_editor_keeps_editing_partners(self):
        """Contacts of a demanding customer and other partner data stay editable."""
        demanding = self.env['res.partner'].create(
            {'name': 'Demanding Co', 'is_company': True, 'min_shelf_life_days': 30})
        Partner = self.env['res.partner'].sudo(self.partner_editor)
        contact = Partner.create({'name': 'Buyer', 'parent_id': demanding.id})
        self.assertEqual(contact.min_shelf_life_days, 30)
        demanding.sudo(self.partner_editor).write({'phone': '+32 2 000 00 00'})
        contact.write({'parent_id': False})
        self.assertEqual(contact.min_shelf_life_days, 30)

    def test_partner_form_read_only_for_others(self):
        """The partner form lets lot managers only edit the lot requirements."""
        form = self.env.ref('base.view_partner_form').id
        Partner = self.env['res.partner']

        def readonly(user):
            arch = etree.fromstring(Partner.sudo(user).fields_view_get(
                view_id=form, view_type='form')['arch'])
            return [arch.xpath("//field[@name='%s']" % name)[0].get('readonly')
                    for name in ('min_shelf_life_days', 'min_quality_grade_id')]

        self.assertEqual(readonly(self.partner_editor), ['1', '1'])
        self.assertEqual(readonly(self.stock_manager), ['0', '0'])

    def test_stock_manager_configures_grades_and_attributes(self):
        """Stock managers, who see the Grades and Attributes menus, create both."""
        self.env['stock.lot.quality.grade'].sudo(self.stock_manager).create(
            {'name': 'Manager Grade'})
        self.env['stock.lot.quality.attribute'].sudo(self.stock_manager).create(
            {'name': 'Manager Attribute'})
        visible = self.env['ir.ui.menu'].sudo(self.stock_manager)._visible_menu_ids()
        for xmlid, model in (
                ('stock_lot_tracking.stock_lot_quality_grade_menu', 'stock.lot.quality.grade'),
                ('stock_lot_tracking.stock_lot_quality_attribute_menu',
                 'stock.lot.quality.attribute')):
            self.assertIn(self.env.ref(xmlid).id, visible)
            self.assertTrue(self.env[model].sudo(self.stock_manager).check_access_rights(
                'create', raise_exception=False))
        with self.assertRaises(AccessError):
            self.env['stock.lot.quality.grade'].sudo(self.clerk).create({'name': 'X'})
