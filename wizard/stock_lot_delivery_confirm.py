# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

# set by Deliver anyway (action_confirm) only
CONFIRMATION_FIELDS = ('state', 'confirm_user_id', 'confirm_date')


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
    state = fields.Selection(
        [('draft', 'To Confirm'), ('confirmed', 'Confirmed')], default='draft',
        required=True, readonly=True,
        help="Confirmed: the user delivers these lots anyway; validating the delivery "
             "ships them and records the confirmation in its chatter.")
    confirm_user_id = fields.Many2one(
        'res.users', string='Confirmed By', readonly=True,
        help="User who confirmed the delivery of these lots.")
    confirm_date = fields.Datetime(
        string='Confirmed On', readonly=True, help="When the lots were confirmed.")

    @api.model
    def create(self, vals):
        self._check_confirmation_vals(vals)
        # given explicitly: defaults from the context must not confirm either
        vals = dict(vals, state='draft', confirm_user_id=False, confirm_date=False)
        return super(StockLotDeliveryConfirm, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_confirmation_vals(vals)
        self._check_draft()
        return super(StockLotDeliveryConfirm, self).write(vals)

    @api.model
    def _prepare_wizard_vals(self, picking, issues):
        """Values of the wizard for ``picking`` from its ``confirm`` issues (see
        ``stock.picking._get_delivery_lot_issues``)."""
        return {'picking_id': picking.id,
                'line_ids': self._prepare_line_commands(issues)}

    @api.model
    def _prepare_line_commands(self, issues):
        """Commands creating one line per ``confirm`` issue of ``issues``."""
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
        return lines

    @api.multi
    def action_confirm(self):
        """Deliver anyway: record the confirmation of the lots the delivery ships now
        (read again: the lines shown may be outdated), then validate it. Lots blocked
        or rejected meanwhile are still refused. Validation records who confirmed which
        lot and why in the delivery's chatter."""
        self.ensure_one()
        self._check_draft()
        picking = self.picking_id
        issues = picking._get_delivery_lot_issues()
        self.env['stock.move.line']._check_delivery_lots_refused(issues)
        # this method writes what write() refuses to set from outside
        super(StockLotDeliveryConfirm, self).write(
            {'line_ids': [(5, 0, 0)] + self._prepare_line_commands(issues)})
        super(StockLotDeliveryConfirm, self).write({
            'state': 'confirmed', 'confirm_user_id': self.env.uid,
            'confirm_date': fields.Datetime.now()})
        return picking.button_validate()

    @api.model
    def _check_confirmation_vals(self, vals):
        """The confirmation is given by :meth:`action_confirm` only."""
        if any(name in vals for name in CONFIRMATION_FIELDS):
            raise AccessError(_(
                'A delivery of lots is confirmed with its Deliver anyway button only '
                '(user: %(user)s).') % {'user': self.env.user.name})

    @api.multi
    def _check_draft(self):
        if any(wizard.state == 'confirmed' for wizard in self):
            raise UserError(_(
                'This confirmation of delivery %(picking)s is given already: it cannot '
                'be changed.') % {'picking': ', '.join(self.mapped('picking_id.name'))})

    @api.model
    def _get_confirmation_message(self, issues, users):
        """HTML chatter message naming the ``users`` who confirmed, and each lot with
        its reason."""
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
                'user': ', '.join(users.mapped('name'))}), items)


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

    @api.model
    def create(self, vals):
        self.env['stock.lot.delivery.confirm'].browse(
            vals.get('wizard_id') or self.env.context.get('default_wizard_id'))._check_draft()
        return super(StockLotDeliveryConfirmLine, self).create(vals)

    @api.multi
    def write(self, vals):
        self.mapped('wizard_id')._check_draft()
        if vals.get('wizard_id'):
            self.env['stock.lot.delivery.confirm'].browse(vals['wizard_id'])._check_draft()
        return super(StockLotDeliveryConfirmLine, self).write(vals)

    @api.model
    def _get_issue_key(self, issue):
        """What a confirmation covers: this lot on this operation, for this reason."""
        return issue['move_line'].id, issue['move_line'].lot_id.id, issue['reason']

    @api.model
    def _get_confirmations(self, issues):
        """The confirmations given for ``issues`` (any user's: the lines are read as
        superuser, which only reads).

        :return: ``{issue key: res.users who confirmed it}``
        """
        move_line_ids = list({issue['move_line'].id for issue in issues})
        if not move_line_ids:
            return {}
        lines = self.sudo().search([('move_line_id', 'in', move_line_ids),
                                    ('wizard_id.state', '=', 'confirmed')])
        confirmations = {}
        for line in lines:
            key = (line.move_line_id.id, line.lot_id.id, line.reason)
            confirmations[key] = (confirmations.get(key, self.env['res.users'])
                                  | self.env['res.users'].browse(
                                      line.wizard_id.confirm_user_id.id))
        return confirmations
