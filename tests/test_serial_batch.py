# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestSerialBatch(LotTrackingCase):
    """Serial numbers in a batch: received with it, shown, changed with a record."""

    @classmethod
    def setUpClass(cls):
        super(TestSerialBatch, cls).setUpClass()
        cls.scanner = cls.env['product.product'].create({
            'name': 'Glucose Meter', 'type': 'product', 'tracking': 'serial',
            'serial_batch_required': True})
        Lot = cls.env['stock.production.lot']
        cls.batch1 = Lot.create(
            {'name': 'B-01', 'product_id': cls.scanner.id, 'is_batch': True})
        cls.batch2 = Lot.create(
            {'name': 'B-02', 'product_id': cls.scanner.id, 'is_batch': True})

    def _receive(self, serials_by_batch):
        """Purchase and receive serial numbers: {batch or None: [serial codes]}."""
        count = sum(len(serials) for serials in serials_by_batch.values())
        order = self.env['purchase.order'].create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': self.scanner.id, 'name': self.scanner.name, 'product_qty': count,
                'product_uom': self.scanner.uom_id.id, 'price_unit': 30.0,
                'date_planned': '2026-01-01 00:00:00'})],
        })
        order.button_confirm()
        picking = order.picking_ids
        lines = picking.move_line_ids
        self.assertEqual(len(lines), count)
        for batch, serials in serials_by_batch.items():
            for serial in serials:
                line, lines = lines[0], lines[1:]
                line.write({'lot_name': serial, 'qty_done': 1,
                            'batch_lot_id': batch.id if batch else False})
        picking.action_done()
        return picking

    def _in_stock(self, serials):
        return serials.mapped('quant_ids').filtered(
            lambda quant: quant.location_id.usage == 'internal' and quant.quantity > 0)

    def _serial(self, name):
        return self.env['stock.production.lot'].search(
            [('product_id', '=', self.scanner.id), ('name', '=', name)])

    def test_receipt_sets_batch_of_new_serials(self):
        """Serials received in a batch belong to it; their move lines carry it."""
        picking = self._receive({self.batch1: ['SN-1', 'SN-2']})
        serials = self._serial('SN-1') | self._serial('SN-2')
        self.assertEqual(serials.mapped('batch_lot_id'), self.batch1)
        self.assertEqual(self.batch1.serial_ids, serials)
        self.assertEqual(picking.move_line_ids.mapped('batch_lot_id'), self.batch1)
        self.assertFalse(self.batch1.quant_ids, 'the batch holds no stock itself')

    def test_receipt_refused_without_batch(self):
        """A receipt of serials in batches needs the batch of each new serial."""
        with self.assertRaises(UserError) as error:
            self._receive({self.batch1: ['SN-1'], None: ['SN-7']})
        self.assertIn('SN-7', error.exception.name)
        self.assertNotIn('SN-1', error.exception.name)
        self.assertFalse(self._serial('SN-7'))

    def test_serials_of_different_batches_share_a_location(self):
        """Serials of two batches may be stored in the same location."""
        self._receive({self.batch1: ['SN-1'], self.batch2: ['SN-2']})
        serials = self._serial('SN-1') | self._serial('SN-2')
        locations = self._in_stock(serials).mapped('location_id')
        self.assertEqual(len(locations), 1)
        self.assertEqual(serials.mapped('batch_lot_id'), self.batch1 | self.batch2)

    def test_batch_change_in_stock_is_a_transaction(self):
        """A stock user changes the batch of a serial in stock: two moves, a note."""
        self._receive({self.batch1: ['SN-1']})
        serial = self._serial('SN-1')
        location = self._in_stock(serial).location_id
        serial.sudo(self.clerk).batch_lot_id = self.batch2
        inventory = self.env['stock.inventory'].search(
            [('name', 'like', 'Batch change: serial SN-1')])
        self.assertEqual(inventory.state, 'done')
        out_move = inventory.move_ids.filtered(lambda move: move.location_id == location)
        in_move = inventory.move_ids - out_move
        self.assertEqual((out_move.move_line_ids.lot_id, out_move.move_line_ids.batch_lot_id),
                         (serial, self.batch1))
        self.assertEqual((in_move.move_line_ids.lot_id, in_move.move_line_ids.batch_lot_id),
                         (serial, self.batch2))
        self.assertEqual(in_move.location_dest_id, location)
        self.assertEqual(self._qty(self.scanner, location, serial), 1)
        self.assertIn('Batch changed from B-01 to B-02', serial.message_ids[0].body)
        self.assertEqual(serial.batch_lot_id, self.batch2)

    def test_batch_change_out_of_stock_only_in_chatter(self):
        """A serial not in stock changes batch with a chatter note and no move."""
        serial = self.env['stock.production.lot'].create({
            'name': 'SN-9', 'product_id': self.scanner.id, 'batch_lot_id': self.batch1.id})
        moves_before = self.env['stock.move'].search_count([])
        serial.batch_lot_id = self.batch2
        self.assertEqual(self.env['stock.move'].search_count([]), moves_before)
        self.assertIn('not in stock', serial.message_ids[0].body)

    def test_batch_must_be_a_batch_of_the_product(self):
        """A serial's batch is a batch lot of its own product."""
        other = self.env['product.product'].create({
            'name': 'Test Strip Reader', 'type': 'product', 'tracking': 'serial'})
        foreign_batch = self.env['stock.production.lot'].create({
            'name': 'B-99', 'product_id': other.id, 'is_batch': True})
        serial = self.env['stock.production.lot'].create({
            'name': 'SN-5', 'product_id': self.scanner.id})
        with self.assertRaises(ValidationError), mute_logger('odoo.sql_db'):
            serial.batch_lot_id = foreign_batch
        with self.assertRaises(ValidationError):
            self.env['stock.production.lot'].create({
                'name': 'SN-6', 'product_id': self.scanner.id, 'batch_lot_id': serial.id})

    def test_batch_holds_no_stock(self):
        """A batch lot cannot be moved as stock."""
        picking = self._picking(self.env.ref('stock.picking_type_in'),
                                self.supplier_location, self.stock_location, 1,
                                product=self.scanner)
        with self.assertRaises(ValidationError):
            picking.move_line_ids[0].lot_id = self.batch1

    def test_batch_change_refused_while_reserved(self):
        """A reserved serial keeps its batch; the message names the reservation."""
        self._receive({self.batch1: ['SN-1']})
        serial = self._serial('SN-1')
        delivery = self._picking(self.env.ref('stock.picking_type_out'),
                                 self.stock_location, self.customer_location, 1,
                                 product=self.scanner)
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.lot_id, serial)
        with self.assertRaises(UserError) as error:
            serial.batch_lot_id = self.batch2
        self.assertIn(delivery.name, error.exception.name)
        self.assertEqual(serial.batch_lot_id, self.batch1)

    def test_serial_shows_its_batch(self):
        """Choosing a serial shows the batch it belongs to."""
        self._receive({self.batch2: ['SN-3']})
        serial = self._serial('SN-3')
        self.assertEqual(serial.display_name, 'SN-3 (B-02)')
        self.assertEqual(self.batch2.display_name, 'B-02')
