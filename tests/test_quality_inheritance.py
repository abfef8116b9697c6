# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now


@at_install(False)
@post_install(True)
class TestQualityInheritance(LotTrackingCase):
    """Lots made from other lots inherit the earliest expiration and the worst grade."""

    @classmethod
    def setUpClass(cls):
        super(TestQualityInheritance, cls).setUpClass()
        Grade = cls.env['stock.lot.quality.grade']
        cls.grade_a = Grade.create({'name': 'Inherit A', 'sequence': 1})
        cls.grade_b = Grade.create({'name': 'Inherit B', 'sequence': 2})
        cls.grade_c = Grade.create({'name': 'Inherit C', 'sequence': 3})
        cls.early = cls._create_lot(
            'COMP-EARLY', life_date=days_from_now(30, hour=12), quality_grade_id=cls.grade_a.id)
        cls.late = cls._create_lot(
            'COMP-LATE', life_date=days_from_now(60, hour=12), quality_grade_id=cls.grade_c.id)
        cls.middle = cls._create_lot(
            'COMP-MID', life_date=days_from_now(45, hour=12), quality_grade_id=cls.grade_b.id)
        # a repacked product with a shelf life of its own, and a blend without one
        cls.repacked = cls.env['product.product'].create({
            'name': 'Milk Powder Sachets', 'type': 'product', 'tracking': 'lot',
            'use_expiration_date': True, 'life_time': 365, 'expiry_warning_days': 5})
        cls.blend = cls.env['product.product'].create({
            'name': 'Milk Powder Blend', 'type': 'product', 'tracking': 'lot',
            'use_expiration_date': True, 'expiry_warning_days': 5})

    def test_created_from_components(self):
        """A lot created from components takes the earliest expiration and the worst grade."""
        lot = self._create_lot('MADE-1', product=self.repacked, component_lot_ids=[
            (6, 0, (self.early | self.late | self.middle).ids)])
        self.assertEqual(lot.life_date, self.early.life_date)
        self.assertEqual(lot.removal_date, self.early.life_date)
        self.assertEqual(lot.quality_grade_id, self.grade_c)
        self.assertEqual(lot.component_lot_ids, self.early | self.late | self.middle)
        self.assertIn(lot, self.early.produced_lot_ids)

    def test_alert_date_follows_inherited_expiration(self):
        """The warning period of the made product counts back from the inherited date."""
        lot = self._create_lot('MADE-1', product=self.repacked,
                               component_lot_ids=[(6, 0, self.middle.ids)])
        self.assertEqual(lot.life_date, self.middle.life_date)
        self.assertEqual(lot.alert_date, days_from_now(40, hour=12))

    def test_own_values_are_kept(self):
        """An expiration date and grade given to the new lot win over its components'."""
        own_life = days_from_now(200, hour=8)
        lot = self._create_lot('MADE-1', product=self.repacked, life_date=own_life,
                               quality_grade_id=self.grade_a.id,
                               component_lot_ids=[(6, 0, (self.early | self.late).ids)])
        self.assertEqual(lot.life_date, own_life)
        self.assertEqual(lot.quality_grade_id, self.grade_a)

    def test_components_without_data(self):
        """Components without dates or grades leave the lot's own values alone."""
        bare = self._create_lot('COMP-BARE', product=self.blend)
        self.assertFalse(bare.life_date)
        lot = self._create_lot('MADE-1', product=self.repacked,
                               component_lot_ids=[(6, 0, bare.ids)])
        self.assertDatetimeAlmostEqual(lot.life_date, days_from_now(365))
        self.assertFalse(lot.quality_grade_id)

    def test_linking_later_fills_only_empty_values(self):
        """Components linked to an existing lot fill its missing grade, not its own date."""
        lot = self._create_lot('MADE-1', product=self.repacked)
        own_life = lot.life_date
        lot.write({'component_lot_ids': [(4, self.early.id), (4, self.middle.id)]})
        self.assertEqual(lot.life_date, own_life)
        self.assertEqual(lot.quality_grade_id, self.grade_b)

    def test_lot_cannot_be_its_own_component(self):
        """A lot listed among its own components is refused."""
        with self.assertRaisesRegex(ValidationError, 'COMP-EARLY'):
            self.early.write({'component_lot_ids': [(4, self.early.id)]})

    def test_repackaging_flow_links_lots(self):
        """Consumed and produced move lines linked as a production does link their lots."""
        inventory = self.env['stock.inventory'].create({
            'name': 'Components', 'filter': 'partial', 'location_id': self.stock_location.id})
        inventory.action_start()
        inventory.write({'line_ids': [(0, 0, {
            'product_id': self.product.id, 'prod_lot_id': lot.id, 'product_qty': 5.0,
            'location_id': self.stock_location.id}) for lot in (self.early, self.late)]})
        inventory.action_done()
        production = self.env.ref('stock.location_production')
        consumed = self._done_move(self.product, self.stock_location, production, [
            {'lot_id': self.early.id, 'qty_done': 2.0},
            {'lot_id': self.late.id, 'qty_done': 3.0}])
        blend_lot = self._create_lot('BLEND-1', product=self.blend)
        self.assertFalse(blend_lot.life_date)
        produced = self._done_move(self.blend, production, self.stock_location, [
            {'lot_id': blend_lot.id, 'qty_done': 5.0}])
        produced.move_line_ids.write({'consume_line_ids': [(6, 0, consumed.move_line_ids.ids)]})
        self.assertEqual(blend_lot.component_lot_ids, self.early | self.late)
        self.assertEqual(blend_lot.life_date, self.early.life_date)
        self.assertEqual(blend_lot.quality_grade_id, self.grade_c)
        self.assertEqual(self.early.product_qty, 3.0)

    def test_inheritance_logged(self):
        """The chatter of the new lot says what it inherited and from which lots."""
        lot = self.env['stock.production.lot'].with_context(tracking_disable=False).create({
            'name': 'MADE-1', 'product_id': self.blend.id,
            'component_lot_ids': [(6, 0, (self.early | self.late).ids)]})
        body = lot.message_ids[0].body
        self.assertIn('COMP-EARLY', body)
        self.assertIn('Inherit C', body)

    def _done_move(self, product, source, destination, lines):
        move = self.env['stock.move'].create({
            'name': product.name, 'product_id': product.id, 'product_uom': product.uom_id.id,
            'product_uom_qty': sum(line['qty_done'] for line in lines),
            'location_id': source.id, 'location_dest_id': destination.id,
        })
        move._action_confirm()
        for line in lines:
            line.update(product_id=product.id, product_uom_id=product.uom_id.id,
                        location_id=source.id, location_dest_id=destination.id,
                        move_id=move.id)
            self.env['stock.move.line'].create(line)
        move._action_done()
        self.assertEqual(move.state, 'done')
        return move
