# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import LotTrackingCase, days_from_now


class LotReservationCase(LotTrackingCase):
    """Stock in lots with various dates and grades, customers and deliveries."""

    @classmethod
    def setUpClass(cls):
        super(LotReservationCase, cls).setUpClass()
        grade_model = cls.env['stock.lot.quality.grade']
        cls.grade_a = grade_model.create({'name': 'Test Grade A', 'sequence': 1})
        cls.grade_b = grade_model.create({'name': 'Test Grade B', 'sequence': 2})
        cls.grade_c = grade_model.create({'name': 'Test Grade C', 'sequence': 3})
        cls.warehouse = cls.env.ref('stock.warehouse0')
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.quarantine = cls._create_location('Quarantine')
        cls.warehouse.quarantine_location_id = cls.quarantine

    @classmethod
    def _stocked_lot(cls, name, days, quantity=10.0, product=None, location=None, **vals):
        """A lot expiring in ``days`` days at noon with ``quantity`` in stock."""
        lot = cls._create_lot(name, product=product, life_date=days_from_now(days, hour=12),
                              **vals)
        cls._count_in(product or cls.product, location or cls.stock_location, quantity, lot)
        return lot

    @classmethod
    def _delivery(cls, partner, quantity, product=None, date=None, location=None,
                  assign=True):
        """A confirmed (and reserved) delivery of ``quantity`` to ``partner``, scheduled
        at ``date`` (default today at noon: whole days before the lots expire)."""
        picking = cls._picking(
            cls.picking_type_out, location or cls.stock_location, cls.customer_location,
            quantity, product=product, partner=partner,
            date_expected=date or days_from_now(0, hour=12))
        if assign:
            picking.action_assign()
        return picking

    def _reserved(self, picking):
        """{lot name: reserved quantity} of the picking's move lines."""
        reserved = {}
        for line in picking.move_line_ids:
            name = line.lot_id.name
            reserved[name] = reserved.get(name, 0.0) + line.product_uom_qty
        return reserved
