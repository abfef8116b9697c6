# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests.common import SavepointCase


def days_from_now(days, hour=None):
    """An ORM datetime string ``days`` days from now (optionally at a fixed hour)."""
    value = datetime.now() + timedelta(days=days)
    if hour is not None:
        value = value.replace(hour=hour, minute=0, second=0, microsecond=0)
    return fields.Datetime.to_string(value)


class LotTrackingCase(SavepointCase):
    """Products, partners and users that the lot-tracking tests share."""

    @classmethod
    def setUpClass(cls):
        super(LotTrackingCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.stock_location = cls.env.ref('stock.stock_location_stock')
        cls.supplier_location = cls.env.ref('stock.stock_location_suppliers')
        cls.customer_location = cls.env.ref('stock.stock_location_customers')
        cls.supplier = cls.env['res.partner'].create({
            'name': 'Test Supplier', 'supplier': True, 'customer': False})
        cls.customer = cls.env['res.partner'].create({'name': 'Test Customer'})
        cls.product = cls.env['product.product'].create({
            'name': 'Tracked Milk Powder',
            'type': 'product',
            'tracking': 'lot',
            'use_expiration_date': True,
            'use_fefo': True,
            'life_time': 100,
            'expiry_warning_days': 10,
            'standard_price': 4.0,
        })
        cls.clerk = cls._create_user('clerk', ['stock.group_stock_user'])
        cls.lot_manager = cls._create_user(
            'lotmanager', ['stock_lot_tracking.group_lot_manager'])
        cls.stock_manager = cls._create_user('stockmanager', ['stock.group_stock_manager'])

    @classmethod
    def _create_user(cls, login, group_xmlids):
        groups = [cls.env.ref(xmlid).id for xmlid in group_xmlids]
        groups.append(cls.env.ref('base.group_user').id)
        return cls.env['res.users'].with_context(no_reset_password=True).create({
            'name': login.title(),
            'login': 'slt_test_' + login,
            'email': 'slt_test_%s@example.com' % login,
            'groups_id': [(6, 0, groups)],
        })

    @classmethod
    def _create_lot(cls, name, product=None, **vals):
        vals.update(name=name, product_id=(product or cls.product).id)
        return cls.env['stock.production.lot'].create(vals)

    @classmethod
    def _create_location(cls, name, parent=None):
        return cls.env['stock.location'].create({
            'name': name, 'usage': 'internal',
            'location_id': (parent or cls.stock_location).id})

    @classmethod
    def _picking(cls, picking_type, source, destination, quantity, product=None,
                 partner=None, **move_vals):
        """A confirmed picking of ``picking_type`` moving ``quantity`` of ``product``
        (default: the case's product) from ``source`` to ``destination``, for
        ``partner``; ``move_vals`` go to its move."""
        product = product or cls.product
        move = dict({
            'name': product.name, 'product_id': product.id,
            'product_uom': product.uom_id.id, 'product_uom_qty': quantity,
            'location_id': source.id, 'location_dest_id': destination.id,
        }, **move_vals)
        picking = cls.env['stock.picking'].create({
            'partner_id': partner.id if partner else False,
            'picking_type_id': picking_type.id,
            'location_id': source.id,
            'location_dest_id': destination.id,
            'move_lines': [(0, 0, move)],
        })
        picking.action_confirm()
        return picking

    @classmethod
    def _count_in(cls, product, location, quantity, lot=None):
        """Put ``quantity`` of ``product`` (of ``lot``) in ``location`` by an inventory."""
        inventory = cls.env['stock.inventory'].create({
            'name': 'Initial count of %s' % product.name,
            'filter': 'partial',
            'location_id': location.id,
        })
        inventory.action_start()
        cls.env['stock.inventory.line'].create({
            'inventory_id': inventory.id,
            'product_id': product.id,
            'location_id': location.id,
            'prod_lot_id': lot.id if lot else False,
            'product_qty': quantity,
        })
        inventory.action_done()
        return inventory

    def _qty(self, product, location, lot=None):
        """Quantity of ``product`` of ``lot`` (None: without lot) exactly in ``location``."""
        quants = self.env['stock.quant']._gather(product, location, lot_id=lot, strict=True)
        return sum(quants.mapped('quantity'))

    def assertDatetimeAlmostEqual(self, first, second, seconds=120):
        """Two ORM datetimes within ``seconds`` of each other."""
        delta = fields.Datetime.from_string(first) - fields.Datetime.from_string(second)
        self.assertLessEqual(abs(delta.total_seconds()), seconds,
                             '%s != %s (tolerance %ss)' % (first, second, seconds))
