# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# product_expiry's lot date -> product day count it is derived from
DATE_FIELDS = ('life_date', 'use_date', 'removal_date', 'alert_date')
PROTECTED_FIELDS = DATE_FIELDS + ('production_date',)


def to_datetime(value):
    """A datetime from an ORM datetime value (string or datetime)."""
    if isinstance(value, datetime):
        return value
    return fields.Datetime.from_string(value)


class StockProductionLot(models.Model):
    _inherit = 'stock.production.lot'

    production_date = fields.Datetime(
        default=fields.Datetime.now, required=True, track_visibility='onchange',
        help="Date the lot was produced, created or received: all the computed dates of "
             "the lot are counted from it.")
    life_date = fields.Datetime(
        string='Expiration Date', track_visibility='onchange',
        help="Date after which the goods of this lot must not be used or delivered. "
             "Computed from the production date and the product's life time.")
    use_date = fields.Datetime(
        track_visibility='onchange',
        help="Best before date: the goods start deteriorating, without being dangerous yet.")
    removal_date = fields.Datetime(
        track_visibility='onchange',
        help="Date from which the lot should be removed from stock; FEFO reserves the "
             "lots by this date. Defaults to the expiration date.")
    alert_date = fields.Datetime(
        track_visibility='onchange',
        help="Start of the lot's warning period: expiration date minus the product's "
             "warning period.")
    use_expiration_date = fields.Boolean(
        related='product_id.use_expiration_date', readonly=True,
        help="The product of this lot carries expiration dates.")
    supplier_id = fields.Many2one(
        'res.partner', string='Supplier', index=True, track_visibility='onchange',
        help="Vendor who supplied the lot; set from the purchase order on receipt.")
    supplier_lot_code = fields.Char(
        index=True, track_visibility='onchange',
        help="The vendor's own reference for this lot.")
    purchase_order_id = fields.Many2one(
        'purchase.order', string='Purchase Order', index=True, readonly=True,
        help="Purchase order of the receipt that brought this lot in.")
    certificate_number = fields.Char(
        track_visibility='onchange',
        help="Reference of the quality certificate that came with the lot.")
    blocked = fields.Boolean(
        readonly=True, copy=False, index=True, track_visibility='onchange',
        help="Blocked lots (quarantine, hold) are never reserved.")
    block_reason = fields.Char(
        readonly=True, copy=False, track_visibility='onchange',
        help="Why the lot is blocked.")
    quality_grade_id = fields.Many2one(
        'stock.lot.quality.grade', string='Quality Grade', index=True,
        track_visibility='onchange',
        help="Quality classification of the lot; customers may require a minimum grade.")
    quality_state = fields.Selection(
        [('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected')],
        default=lambda self: self._default_quality_state(), required=True, index=True,
        copy=False, track_visibility='onchange',
        help="Pending: quality data still to be checked. Approved: released by quality. "
             "Rejected: never reserved.")
    expiry_state = fields.Selection(
        [('none', 'No Expiration'), ('ok', 'Valid'),
         ('warning', 'Expiring Soon'), ('expired', 'Expired')],
        compute='_compute_expiry_state', store=True, index=True,
        help="No Expiration: the lot has no expiration date. Valid: before its warning "
             "period. Expiring Soon: in its warning period. Expired: past its expiration "
             "date. Refreshed when a date changes and by the daily expiry check.")
    days_to_expiry = fields.Integer(
        compute='_compute_days_to_expiry',
        help="Whole days left until the expiration date; negative once expired.")
    batch_lot_id = fields.Many2one(
        'stock.production.lot', string='Batch', index=True, ondelete='restrict',
        domain="[('product_id', '=', product_id), ('is_batch', '=', True)]",
        help="For a serial number: the batch (lot) it belongs to. Serials of different "
             "batches may share a location. Changing the batch of a serial in stock is "
             "recorded in its chatter and, while it is in stock, by two inventory moves.")
    is_batch = fields.Boolean(
        string='Batch of Serials', index=True, copy=False,
        help="This lot is a batch of serial numbers: it groups serials of the product and "
             "carries their dates and quality, but holds no stock itself.")
    product_tracking = fields.Selection(
        related='product_id.tracking', readonly=True,
        help="Tracking of the product: batches apply to serial numbers.")
    serial_ids = fields.One2many(
        'stock.production.lot', 'batch_lot_id', string='Serial Numbers',
        help="Serial numbers of this batch.")

    @api.model
    def _default_quality_state(self):
        product = self.env['product.product'].browse(self.env.context.get('default_product_id'))
        return 'pending' if product.track_quality else 'approved'

    @api.depends('life_date', 'alert_date')
    def _compute_expiry_state(self):
        now = fields.Datetime.now()
        for lot in self:
            lot.expiry_state = lot._get_expiry_state(now)

    @api.depends('life_date')
    def _compute_days_to_expiry(self):
        now = datetime.now()
        for lot in self.filtered('life_date'):
            delta = fields.Datetime.from_string(lot.life_date) - now
            lot.days_to_expiry = int(math.floor(delta.total_seconds() / 86400.0))

    @api.constrains('name', 'product_id')
    def _check_lot_code_pattern(self):
        for lot in self:
            lot.product_id.product_tmpl_id.check_lot_code(lot.name)

    @api.constrains('batch_lot_id', 'is_batch', 'product_id')
    def _check_batch_lot(self):
        for lot in self:
            batch = lot.batch_lot_id
            if lot.is_batch and batch:
                raise ValidationError(_(
                    'Batch %(batch)s cannot belong to another batch (%(other)s).'
                ) % {'batch': lot.name, 'other': batch.name})
            if lot.is_batch and lot.product_id.tracking != 'serial':
                raise ValidationError(_(
                    'Lot %(lot)s cannot be a batch of serials: product %(product)s is not '
                    'tracked by serial number.'
                ) % {'lot': lot.name, 'product': lot.product_id.display_name})
            if batch and (batch.product_id != lot.product_id or not batch.is_batch):
                raise ValidationError(_(
                    'Serial number %(serial)s can only belong to a batch of its own product '
                    '%(product)s; %(batch)s is not one.'
                ) % {'serial': lot.name, 'product': lot.product_id.display_name,
                     'batch': batch.name})

    @api.onchange('product_id', 'production_date')
    def _onchange_product(self):
        """Recompute the dates from the production date (replaces product_expiry's)."""
        for field, value in self._get_dates().items():
            setattr(self, field, value)

    @api.multi
    def name_get(self):
        """Serial numbers show their batch, wherever a serial is chosen."""
        result = super(StockProductionLot, self).name_get()
        batches = {lot.id: lot.batch_lot_id.name for lot in self if lot.batch_lot_id}
        return [(lot_id, '%s (%s)' % (name, batches[lot_id]) if lot_id in batches else name)
                for lot_id, name in result]

    @api.model
    def create(self, vals):
        product = self.env['product.product'].browse(
            vals.get('product_id') or self.env.context.get('default_product_id'))
        if not vals.get('name') and product.lot_generation == 'auto':
            vals['name'] = product.product_tmpl_id._next_lot_code()
        vals.setdefault('production_date', fields.Datetime.now())
        if 'quality_state' not in vals:
            vals['quality_state'] = 'pending' if product.track_quality else 'approved'
        dates = self._get_dates(product.id, vals['production_date'])
        if vals.get('life_date'):
            # the removal and alert dates follow an expiration date entered by hand
            dates.update(self._get_dates_from_life_date(
                to_datetime(vals['life_date']), product))
        for field in DATE_FIELDS:
            if not vals.get(field):
                vals[field] = dates[field]
        return super(StockProductionLot, self).create(vals)

    @api.multi
    def write(self, vals):
        changed = [name for name in PROTECTED_FIELDS if name in vals]
        if changed:
            self._check_date_change_allowed(vals, changed)
        if 'batch_lot_id' in vals and not self.env.context.get('slt_batch_assignment'):
            new_batch = self.browse(vals['batch_lot_id'])
            for lot in self.filtered(lambda lot: lot.batch_lot_id != new_batch):
                lot._record_batch_change(new_batch)
        return super(StockProductionLot, self).write(vals)

    @api.multi
    def action_block(self, reason):
        """Block the lots: they are no longer reserved until unblocked."""
        if not (reason or '').strip():
            raise UserError(_('Give the reason for blocking lot(s) %s.')
                            % ', '.join(self.mapped('display_name')))
        self.write({'blocked': True, 'block_reason': reason.strip()})
        for lot in self:
            lot.message_post(body=_('Lot blocked: %s') % reason.strip())
        return True

    @api.multi
    def action_unblock(self):
        """Release blocked lots (lot managers only)."""
        self._check_lot_manager(_('release a blocked lot'))
        for lot in self.filtered('blocked'):
            lot.message_post(
                body=_('Lot released (was blocked: %s)') % (lot.block_reason or ''))
        self.write({'blocked': False, 'block_reason': False})
        return True

    @api.multi
    def action_retest(self, new_life_date, reason):
        """Set a new expiration date after a retest, shifting the derived dates with it."""
        self._check_lot_manager(_('change the expiration date of a lot through a retest'))
        if not (reason or '').strip():
            raise UserError(_('Give the reason of the retest of lot(s) %s: it is kept in '
                              'their history.') % ', '.join(self.mapped('display_name')))
        if not new_life_date:
            raise UserError(_('Enter the new expiration date of the retested lot(s).'))
        new_life = to_datetime(new_life_date)
        for lot in self:
            old_life_date = lot.life_date
            vals = {'life_date': fields.Datetime.to_string(new_life)}
            if old_life_date:
                delta = new_life - fields.Datetime.from_string(old_life_date)
                for field in ('use_date', 'removal_date', 'alert_date'):
                    if lot[field]:
                        vals[field] = fields.Datetime.to_string(
                            fields.Datetime.from_string(lot[field]) + delta)
            else:
                vals.update(lot._get_dates_from_life_date(new_life))
            lot.write(vals)
            lot.message_post(body=_(
                'Retest: expiration date changed from %(old)s to %(new)s. '
                'Reason: %(reason)s'
            ) % {'old': old_life_date or _('none'), 'new': vals['life_date'],
                 'reason': reason.strip()})
        return True

    @api.multi
    def _record_batch_change(self, new_batch):
        """Record the batch change of a serial: chatter, and moves while it is in stock.

        Each internal location holding the serial gets a done inventory adjustment of two
        moves, the serial out with its old batch and back in with the new one.
        """
        self.ensure_one()
        old_batch = self.batch_lot_id
        Inventory = self.env['stock.inventory']
        quants = self.quant_ids.filtered(
            lambda quant: quant.location_id.usage == 'internal' and quant.quantity > 0)
        # the quants disappear with the moves: read them first
        stock = [(quant.location_id, quant.quantity) for quant in quants]
        for location, quantity in stock:
            Inventory._check_lot_change_allowed(self.product_id, location, self, quantity)
        for location, quantity in stock:
            Inventory._post_lot_change(
                self.product_id, location, quantity, self, self, old_batch, new_batch,
                name=_('Batch change: serial %(serial)s of %(product)s in %(location)s, '
                       '%(old)s -> %(new)s') % {
                    'serial': self.name, 'product': self.product_id.display_name,
                    'location': location.display_name,
                    'old': old_batch.name or _('no batch'),
                    'new': new_batch.name or _('no batch')})
        body = _('Batch changed from %(old)s to %(new)s.') % {
            'old': old_batch.name or _('none'), 'new': new_batch.name or _('none')}
        if stock:
            body += ' ' + _('Recorded by inventory moves in %s.') % ', '.join(
                location.display_name for location, _quantity in stock)
        else:
            body += ' ' + _('The serial number is not in stock: no stock move records it.')
        self.message_post(body=body)

    @api.multi
    def _get_expiry_state(self, now):
        self.ensure_one()
        if not self.life_date:
            return 'none'
        if self.life_date <= now:
            return 'expired'
        if self.alert_date and self.alert_date <= now:
            return 'warning'
        return 'ok'

    @api.multi
    def _get_dates(self, product_id=None, production_date=None):
        """Dates of a lot of ``product_id`` produced at ``production_date``.

        Extends product_expiry: the day counts of the product run from the production
        date instead of from now, the warning period overrides the alert time, and the
        removal date defaults to the expiration date.
        """
        res = dict.fromkeys(DATE_FIELDS, False)
        product = self.env['product.product'].browse(product_id) or self[:1].product_id
        if not product:
            return res
        start = fields.Datetime.from_string(
            production_date or self[:1].production_date or fields.Datetime.now())
        for field, days_field in (('life_date', 'life_time'), ('use_date', 'use_time'),
                                  ('removal_date', 'removal_time'),
                                  ('alert_date', 'alert_time')):
            days = product[days_field]
            if days:
                res[field] = fields.Datetime.to_string(start + timedelta(days=days))
        if res['life_date']:
            implied = self._get_dates_from_life_date(
                fields.Datetime.from_string(res['life_date']), product)
            res.update(implied)
        return res

    @api.model
    def _get_dates_from_life_date(self, life, product=None):
        """Removal and alert dates implied by an expiration date ``life`` (a datetime).

        The removal date is the expiration date unless the product has its own removal
        time; the alert date is the expiration date minus the warning period, if any.
        """
        product = product or self.product_id
        res = {}
        if not product.removal_time:
            res['removal_date'] = fields.Datetime.to_string(life)
        if product.expiry_warning_days:
            res['alert_date'] = fields.Datetime.to_string(
                life - timedelta(days=product.expiry_warning_days))
        return res

    @api.multi
    def _check_lot_manager(self, what):
        if not self._is_lot_manager():
            raise AccessError(_(
                'Only Lot Managers may %(what)s (user: %(user)s). Ask a lot manager '
                'or an inventory manager.') % {'what': what, 'user': self.env.user.name})

    @api.model
    def _is_lot_manager(self):
        return (self.env.uid == SUPERUSER_ID
                or self.env.user.has_group('stock_lot_tracking.group_lot_manager'))

    @api.multi
    def _check_date_change_allowed(self, vals, changed):
        """Only lot managers may change the dates of an existing lot."""
        if self._is_lot_manager():
            return
        for lot in self:
            for name in changed:
                new = self._fields[name].convert_to_cache(vals[name], lot)
                if (lot[name] or False) != (new or False):
                    raise AccessError(_(
                        'You may not change the %(field)s of lot %(lot)s: only Lot '
                        'Managers may change the dates of a lot, through a retest.'
                    ) % {'field': self._fields[name].string, 'lot': lot.display_name})

    @api.model
    def _cron_check_expiry(self):
        """Daily: refresh the expiry state of the lots whose state changed with time."""
        now = fields.Datetime.now()
        self.env.cr.execute("""
            SELECT id FROM stock_production_lot
             WHERE (life_date IS NULL AND expiry_state IS DISTINCT FROM 'none')
                OR (life_date <= %(now)s AND expiry_state IS DISTINCT FROM 'expired')
                OR (life_date > %(now)s AND alert_date <= %(now)s
                    AND expiry_state IS DISTINCT FROM 'warning')
                OR (life_date > %(now)s AND (alert_date IS NULL OR alert_date > %(now)s)
                    AND expiry_state IS DISTINCT FROM 'ok')
        """, {'now': now})
        lots = self.browse([row[0] for row in self.env.cr.fetchall()])
        if lots:
            lots._compute_expiry_state()
        return lots
