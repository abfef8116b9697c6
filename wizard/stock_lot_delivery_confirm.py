# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import html_escape


class StockLotDeliveryConfirm(models.TransientModel):
    _name = 'stock.lot.delivery.confirm'
    _description = 'Confirm the delivery of expired or rule-breaking lots'

    picking_id = fields.Many2one(
        'stock.picking', string='Delivery', required=True, readonly=True,
        ondelete='cascade', help="Delivery being validated.")
    line_ids = fields.One2many(
        'stock.lot.delivery.confirm.line', 'wizard_id', string='Lots', readonly=True,
        help="Lots of the delivery that automatic reservation would not have chosen, "
             "and why.")

    @api.model
    def _prepare_wizard_vals(self, picking, issues):
        """Values of the wizard for ``picking`` from its ``confirm`` issues (see
        ``stock.picking._get_delivery_lot_issues``)."""
        lines = []
        for issue in issues:
            if issue['severity'] != 'confirm':
                continue
            line = issue['move_line']
            lines.append((0, 0, {
                'move_line_id': line.id,
                'lot_id': line.lot_id.id,
                'product_id': line.product_id.id,
                'location_id': line.location_id.id,
                'quantity': line.qty_done or line.product_uom_qty,
                'product_uom_id': line.product_uom_id.id,
                'reason': issue['reason'],
            }))
        return {'picking_id': picking.id, 'line_ids': lines}

    @api.multi
    def action_confirm(self):
        """Deliver anyway: record who confirmed which lot and why in the delivery's
        chatter, then validate it. Lots blocked or rejected meanwhile are still
        refused."""
        self.ensure_one()
        picking = self.picking_id
        issues = picking._get_delivery_lot_issues()
        picking._check_delivery_lots_refused(issues)
        confirmed = [issue for issue in issues if issue['severity'] == 'confirm']
        if confirmed:
            picking.message_post(body=self._get_confirmation_message(confirmed))
        return picking.with_context(lot_delivery_confirmed=True).button_validate()

    @api.model
    def _get_confirmation_message(self, issues):
        """HTML chatter message naming the user, and each lot with its reason."""
        items = ''.join('<li>%s</li>' % html_escape(_(
            'lot %(lot)s of %(product)s (%(quantity)s %(uom)s): %(reason)s') % {
                'lot': issue['move_line'].lot_id.name,
                'product': issue['move_line'].product_id.display_name,
                'quantity': issue['move_line'].qty_done
                or issue['move_line'].product_uom_qty,
                'uom': issue['move_line'].product_uom_id.name,
                'reason': issue['reason']}) for issue in issues)
        return '<p>%s</p><ul>%s</ul>' % (html_escape(_(
            '%(user)s confirmed the delivery of these lots:') % {
                'user': self.env.user.name}), items)


class StockLotDeliveryConfirmLine(models.TransientModel):
    _name = 'stock.lot.delivery.confirm.line'
    _description = 'Lot to confirm for a delivery'

    wizard_id = fields.Many2one(
        'stock.lot.delivery.confirm', required=True, ondelete='cascade',
        help="Confirmation this line belongs to.")
    move_line_id = fields.Many2one(
        'stock.move.line', string='Operation', ondelete='cascade',
        help="Operation of the delivery that ships the lot.")
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot', readonly=True, help="Lot to deliver.")
    product_id = fields.Many2one(
        'product.product', string='Product', readonly=True, help="Product of the lot.")
    location_id = fields.Many2one(
        'stock.location', string='From', readonly=True,
        help="Location the lot is taken from.")
    quantity = fields.Float(
        digits=0, readonly=True, help="Quantity of the lot delivered.")
    product_uom_id = fields.Many2one(
        'product.uom', string='Unit of Measure', readonly=True,
        help="Unit of measure of the quantity.")
    reason = fields.Char(
        readonly=True,
        help="Why automatic reservation would not have chosen this lot.")
