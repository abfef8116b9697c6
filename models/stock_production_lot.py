# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import OrderedDict
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytz
from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from ..lib import epcis, fsma204, gs1

# product_expiry's lot date -> product day count it is derived from
DATE_FIELDS = ('life_date', 'use_date', 'removal_date', 'alert_date')
PROTECTED_FIELDS = DATE_FIELDS + ('production_date',)
# quality data: once a lot is received, only the quality group changes it
QUALITY_FIELDS = ('quality_grade_id', 'quality_state', 'quality_value_ids', 'certificate_ids',
                  'certificate_number', 'quality_reason', 'quality_user_id', 'quality_date')
# directions of trace_move_lines
TRACE_DIRECTIONS = ('upstream', 'downstream')
# EPCIS export: lot history document type -> ObjectEvent action, (bizStep, disposition)
EPCIS_OBJECT_EVENTS = {
    'receipt': ('OBSERVE', ('receiving', 'in_progress')),
    'customer_return': ('OBSERVE', ('receiving', 'returned')),
    'delivery': ('OBSERVE', ('shipping', 'in_transit')),
    'vendor_return': ('OBSERVE', ('shipping', 'returned')),
    'internal': ('OBSERVE', ('storing', 'in_progress')),
    'inventory': ('ADD', ('cycle_counting', 'active')),
    'scrap': ('DELETE', ('destroying', 'destroyed')),
    'other': ('OBSERVE', ('other', 'unknown')),
}
# FSMA 204 export: lot history document type -> Critical Tracking Event
FSMA204_EVENTS = {
    'receipt': fsma204.RECEIVING,
    'customer_return': fsma204.RECEIVING,
    'delivery': fsma204.SHIPPING,
    'vendor_return': fsma204.SHIPPING,
    'transformation': fsma204.TRANSFORMATION,
}
# CBV business transaction type -> FSMA 204 reference document type
FSMA204_DOCUMENT_TYPES = {
    'po': 'Purchase Order',
    'recadv': 'Receiving Record',
    'desadv': 'Advance Shipping Notice',
    'inv': 'Invoice',
    'rma': 'Return Authorization',
    'prodorder': 'Production Log',
}


def to_datetime(value):
    """A datetime from an ORM datetime value (string or datetime)."""
    if isinstance(value, datetime):
        return value
    return fields.Datetime.from_string(value)


class StockProductionLot(models.Model):
    _name = 'stock.production.lot'
    _inherit = ['stock.production.lot', 'mail.activity.mixin']

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
        readonly=True, copy=False, track_visibility='onchange',
        help="Pending: quality data still to be checked. Approved: released by quality. "
             "Rejected: never reserved.")
    quality_reason = fields.Char(
        readonly=True, copy=False, track_visibility='onchange',
        help="Reason of the rejection, or of an approval that overrode the specification.")
    quality_user_id = fields.Many2one(
        'res.users', string='Quality Decision By', readonly=True, copy=False,
        help="Quality user who approved or rejected the lot.")
    quality_date = fields.Datetime(
        string='Quality Decision Date', readonly=True, copy=False,
        help="When the lot was approved or rejected.")
    quality_value_ids = fields.One2many(
        'stock.lot.quality.value', 'lot_id', string='Quality Values', copy=False,
        help="Measured values and observations of the lot's quality attributes.")
    quality_attribute_ids = fields.Many2many(
        'stock.lot.quality.attribute', string='Required Attributes',
        related='product_id.quality_attribute_ids', readonly=True,
        help="Attributes that every lot of the product must record before approval.")
    quality_issues = fields.Text(
        compute='_compute_quality_issues',
        help="Required attributes not recorded yet and values out of specification.")
    certificate_ids = fields.One2many(
        'stock.lot.certificate', 'lot_id', string='Certificates', copy=False,
        help="Quality certificates of the lot with their validity dates and files.")
    certificate_expired = fields.Boolean(
        compute='_compute_certificate_expired', search='_search_certificate_expired',
        help="At least one certificate of the lot is past its last day of validity.")
    component_lot_ids = fields.Many2many(
        'stock.production.lot', 'stock_production_lot_component_rel', 'lot_id',
        'component_lot_id', string='Component Lots', copy=False,
        help="Lots this lot was produced or repacked from. Set by production and "
             "repackaging; the lot inherits their earliest expiration date and worst "
             "grade unless it has its own.")
    produced_lot_ids = fields.Many2many(
        'stock.production.lot', 'stock_production_lot_component_rel', 'component_lot_id',
        'lot_id', string='Produced Lots', copy=False,
        help="Lots produced or repacked from this lot.")
    expiry_state = fields.Selection(
        [('none', 'No Expiration'), ('ok', 'Valid'),
         ('warning', 'Expiring Soon'), ('expired', 'Expired')],
        compute='_compute_expiry_state', store=True, index=True,
        help="No Expiration: the lot has no expiration date. Valid: before its warning "
             "period. Expiring Soon: in its warning period. Expired: past its expiration "
             "date. Refreshed when a date changes and by the daily expiry check.")
    expiry_activity_date = fields.Datetime(
        readonly=True, copy=False,
        help="Start of the warning period for which the daily expiry check scheduled an "
             "activity: one activity per lot and warning period.")
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

    @api.depends('quality_value_ids.in_spec', 'quality_value_ids.text_value',
                 'product_id.quality_attribute_ids')
    def _compute_quality_issues(self):
        for lot in self:
            lot.quality_issues = '\n'.join(lot._get_quality_issues())

    @api.depends('certificate_ids.valid_to')
    def _compute_certificate_expired(self):
        for lot in self:
            lot.certificate_expired = any(lot.certificate_ids.mapped('is_expired'))

    @api.model
    def _search_certificate_expired(self, operator, value):
        today = fields.Date.context_today(self)
        expired = [('certificate_ids.valid_to', '<', today)]
        if (operator == '=') == bool(value):
            return expired
        return [('id', 'not in', self.search(expired).ids)]

    @api.constrains('component_lot_ids')
    def _check_component_lots(self):
        for lot in self:
            if lot in lot.component_lot_ids:
                raise ValidationError(_(
                    'Lot %s cannot be a component of itself.') % lot.display_name)

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
        given = [name for name in ('life_date', 'quality_grade_id') if vals.get(name)]
        if not vals.get('name') and product.lot_generation == 'auto':
            vals['name'] = product.product_tmpl_id._next_lot_code()
        vals.setdefault('production_date', fields.Datetime.now())
        if 'quality_state' not in vals:
            vals['quality_state'] = 'pending' if product.track_quality else 'approved'
        elif (product.track_quality and vals['quality_state'] != 'pending'
              and not self._is_quality_user()):
            raise AccessError(_(
                'Lot %s of product %s must start pending: only the Lot Quality group may '
                'approve or reject a lot (user: %s).'
            ) % (vals.get('name') or '', product.display_name, self.env.user.name))
        dates = self._get_dates(product.id, vals['production_date'])
        if vals.get('life_date'):
            # the removal and alert dates follow an expiration date entered by hand
            dates.update(self._get_dates_from_life_date(
                to_datetime(vals['life_date']), product))
        for field in DATE_FIELDS:
            if not vals.get(field):
                vals[field] = dates[field]
        lot = super(StockProductionLot, self).create(vals)
        if lot.component_lot_ids:
            lot._inherit_component_quality(keep=given)
        return lot

    @api.multi
    def write(self, vals):
        changed = [name for name in PROTECTED_FIELDS if name in vals]
        if changed:
            self._check_date_change_allowed(vals, changed)
        quality_changed = [name for name in QUALITY_FIELDS if name in vals]
        if quality_changed:
            self._check_quality_write_allowed(quality_changed)
        if 'batch_lot_id' in vals and not self.env.context.get('slt_batch_assignment'):
            new_batch = self.browse(vals['batch_lot_id'])
            for lot in self.filtered(lambda lot: lot.batch_lot_id != new_batch):
                lot._record_batch_change(new_batch)
        res = super(StockProductionLot, self).write(vals)
        if vals.get('component_lot_ids'):
            self._inherit_component_quality(keep=['life_date', 'quality_grade_id'])
        return res

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
    def action_approve(self):
        """Approve the lots: every required attribute recorded, every value in spec."""
        self._check_quality_user(_('approve a lot'))
        problems = []
        for lot in self:
            issues = lot._get_quality_issues()
            if issues:
                problems.append('%s: %s' % (lot.display_name, '; '.join(issues)))
        if problems:
            raise UserError(_(
                'These lots cannot be approved:\n%s\nRecord the missing values, or approve '
                'with an override (Lot Quality group) giving the reason.'
            ) % '\n'.join(problems))
        pending = self.filtered(lambda lot: lot.quality_state != 'approved')
        pending._set_quality_state('approved')
        return True

    @api.multi
    def action_approve_override(self, reason):
        """Approve the lots despite missing or out-of-spec values, with a reason."""
        self._check_quality_user(_('approve a lot with an override of its specification'))
        reason = (reason or '').strip()
        if not reason:
            raise UserError(_(
                'Give the reason for approving lot(s) %s with an override: it is kept '
                'in their history.') % ', '.join(self.mapped('display_name')))
        overridden = dict((lot.id, lot._get_quality_issues()) for lot in self)
        self._set_quality_state('approved', reason)
        for lot in self:
            lot.message_post(body=html_escape(_(
                'Approved with an override of the specification. Reason: %s. Overridden: %s'
            ) % (reason, '; '.join(overridden[lot.id]) or _('nothing'))))
        return True

    @api.multi
    def action_reject(self, reason):
        """Reject the lots: they are never reserved."""
        self._check_quality_user(_('reject a lot'))
        reason = (reason or '').strip()
        if not reason:
            raise UserError(_('Give the reason for rejecting lot(s) %s: it is kept in their '
                              'history.') % ', '.join(self.mapped('display_name')))
        self._set_quality_state('rejected', reason)
        for lot in self:
            lot.message_post(body=html_escape(_('Lot rejected. Reason: %s') % reason))
        return True

    @api.multi
    def action_reset_quality(self):
        """Put approved or rejected lots back to pending, e.g. for a new analysis."""
        self._check_quality_user(_('reset the quality state of a lot'))
        self._set_quality_state('pending')
        return True

    @api.multi
    def action_print_certificate_of_analysis(self):
        """Print the Certificate of Analysis of the lots."""
        return self.env.ref(
            'stock_lot_tracking.report_certificate_of_analysis_action').report_action(self)

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
    def _is_quality_user(self):
        return (self.env.uid == SUPERUSER_ID
                or self.env.user.has_group('stock_lot_tracking.group_lot_quality'))

    @api.multi
    def _check_quality_user(self, what):
        if not self._is_quality_user():
            raise AccessError(_('Only the Lot Quality group may %s (user: %s). Ask a quality '
                                'user.') % (what, self.env.user.name))

    @api.multi
    def _get_received_lots(self):
        """The lots of ``self`` that went through a done stock move (received or made)."""
        if not self.ids:
            return self.browse()
        groups = self.env['stock.move.line'].sudo().read_group(
            [('lot_id', 'in', self.ids), ('state', '=', 'done')], ['lot_id'], ['lot_id'])
        return self.browse([group['lot_id'][0] for group in groups])

    @api.multi
    def _check_quality_edit_allowed(self):
        """Once a lot is received, only the quality group changes its quality data."""
        if self._is_quality_user():
            return
        received = self._get_received_lots()
        if received:
            raise AccessError(_(
                'You may not change the quality data of lot %s: once a lot is received, only '
                'the Lot Quality group may change its grade, values and certificates '
                '(user: %s).') % (', '.join(received.mapped('display_name')),
                                  self.env.user.name))

    @api.multi
    def _check_quality_write_allowed(self, changed):
        """Quality states are decided by the quality group; other data is locked on receipt."""
        if 'quality_state' in changed:
            self._check_quality_user(_('change the quality state of a lot'))
        self._check_quality_edit_allowed()

    @api.multi
    def _set_quality_state(self, state, reason=False):
        self.write({
            'quality_state': state,
            'quality_reason': reason,
            'quality_user_id': self.env.uid if state != 'pending' else False,
            'quality_date': fields.Datetime.now() if state != 'pending' else False,
        })

    @api.multi
    def _get_quality_issues(self):
        """Required attributes not recorded and recorded values out of specification."""
        self.ensure_one()
        issues = []
        by_attribute = dict((value.attribute_id, value) for value in self.quality_value_ids)
        for attribute in self.product_id.quality_attribute_ids:
            value = by_attribute.get(attribute)
            if not value or (attribute.value_type == 'text' and not value.text_value):
                issues.append(_('%s not recorded') % attribute.name)
        for value in self.quality_value_ids:
            if value.value_type == 'text' and not value.text_value:
                continue
            if not value.in_spec:
                issues.append(_('%s %s out of specification (%s)') % (
                    value.attribute_id.name, value.display_value, value.specification))
        return issues

    @api.multi
    def _set_quality_values(self, values):
        """Record quality values on the lot: ``{attribute (record or id): value}``.

        Numbers go to numeric attributes, text to text attributes; an existing value of the
        attribute is replaced and ``None`` records nothing. Meant for entry flows (receipt
        wizards, imports): the same access rules as the form apply. Returns the
        ``stock.lot.quality.value`` records written.
        """
        self.ensure_one()
        Value = self.env['stock.lot.quality.value']
        written = Value.browse()
        for attribute, value in values.items():
            if value is None:
                continue
            attribute = self.env['stock.lot.quality.attribute'].browse(int(attribute))
            if attribute.value_type == 'text':
                vals = {'text_value': value or False}
            else:
                vals = {'value': float(value or 0.0)}
            record = self.quality_value_ids.filtered(
                lambda v, attribute=attribute: v.attribute_id == attribute)
            if record:
                record.write(vals)
            else:
                vals.update(lot_id=self.id, attribute_id=attribute.id)
                record = Value.create(vals)
            written |= record
        return written

    @api.multi
    def _get_component_quality_vals(self):
        """Earliest expiration date and worst grade of the lot's component lots."""
        self.ensure_one()
        vals = {}
        life_dates = [date for date in self.component_lot_ids.mapped('life_date') if date]
        if life_dates:
            vals['life_date'] = min(life_dates)
        grades = self.component_lot_ids.mapped('quality_grade_id')
        if grades:
            vals['quality_grade_id'] = grades.sorted(
                key=lambda grade: (grade.sequence, grade.id))[-1].id
        return vals

    @api.multi
    def _inherit_component_quality(self, keep=()):
        """Take expiration date and grade from the component lots.

        A field named in ``keep`` is only filled when the lot has no value for it.
        """
        for lot in self.filtered('component_lot_ids'):
            vals = lot._get_component_quality_vals()
            if lot.quality_grade_id.id == vals.get('quality_grade_id'):
                del vals['quality_grade_id']
            if lot.life_date == vals.get('life_date'):
                del vals['life_date']
            for name in keep:
                if name in vals and lot[name]:
                    del vals[name]
            if not vals:
                continue
            inherited = []
            if 'life_date' in vals:
                inherited.append(_('expiration date %s') % vals['life_date'])
                vals.update(lot._get_dates_from_life_date(to_datetime(vals['life_date'])))
            if 'quality_grade_id' in vals:
                inherited.append(_('grade %s') % self.env['stock.lot.quality.grade'].browse(
                    vals['quality_grade_id']).name)
            # derived by the system from the components, whoever links them
            lot.sudo().write(vals)
            lot.message_post(body=html_escape(_('Inherited from component lots %s: %s') % (
                ', '.join(lot.component_lot_ids.mapped('name')), ', '.join(inherited))))

    @api.model
    def _cron_check_expiry(self):
        """Daily: refresh the expiry state of the lots whose state changed with time,
        schedule an activity for each lot in stock that entered its warning period and
        move expired stock to quarantine where the warehouse asks for it. Running it
        again the same day changes nothing."""
        lots = self._refresh_expiry_states()
        self._schedule_expiry_activities()
        self.env['stock.warehouse'].search(
            [('quarantine_expired', '=', True)])._quarantine_expired_stock()
        return lots

    @api.model
    def _refresh_expiry_states(self):
        """Recompute the expiry state of the lots whose state changed with time."""
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

    @api.model
    def _schedule_expiry_activities(self):
        """One activity for each lot in internal stock that is in its warning period and
        has none for this period yet, assigned to the product's responsible."""
        now = fields.Datetime.now()
        self.env.cr.execute("""
            SELECT lot.id FROM stock_production_lot lot
             WHERE lot.alert_date <= %(now)s AND lot.life_date > %(now)s
               AND lot.expiry_activity_date IS DISTINCT FROM lot.alert_date
               AND EXISTS (SELECT 1 FROM stock_quant quant
                             JOIN stock_location location ON location.id = quant.location_id
                            WHERE quant.lot_id = lot.id AND quant.quantity > 0
                              AND location.usage = 'internal')
        """, {'now': now})
        lots = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not lots:
            return lots
        activity_type = self.env.ref('stock_lot_tracking.mail_activity_type_lot_expiry')
        model_id = self.env['ir.model']._get(self._name).id
        activity_model = self.env['mail.activity']
        for lot in lots:
            activity_model.create({
                'res_model_id': model_id,
                'res_id': lot.id,
                'activity_type_id': activity_type.id,
                'summary': _('Lot %(lot)s of %(product)s expires on %(date)s') % {
                    'lot': lot.name, 'product': lot.product_id.display_name,
                    'date': lot.life_date[:10]},
                'date_deadline': lot.life_date[:10],
                'user_id': lot.product_id.responsible_id.id or self.env.uid,
            })
        self.env.cr.execute(
            'UPDATE stock_production_lot SET expiry_activity_date = alert_date '
            'WHERE id IN %s', (tuple(lots.ids),))
        lots.invalidate_cache(['expiry_activity_date'], lots.ids)
        return lots

    # Traceability -------------------------------------------------------------------------
    @api.multi
    def trace_move_lines(self, direction):
        """The done move lines the lots went through in ``direction``.

        ``downstream``: every done move line of the lots, then, through the links that make
        one lot out of another, the move lines of the lots made from them — Odoo's
        production links (``stock.move.line.consume_line_ids`` / ``produce_line_ids``,
        filled by manufacturing), from the production on, and the lots that have them
        among their ``component_lot_ids`` (repackaging, blending), recursively.
        ``upstream``: every done move line of the lots, then the move lines of the lots
        they were made from, up to their consumption, recursively. Customer and vendor
        returns are move lines of the lot: they are part of both.

        One query (see :meth:`_get_trace_move_line_ids`) whatever the length of the
        history and the depth of the production chain; cycles in the data end.

        :param direction: ``'upstream'`` or ``'downstream'``
        :return: ``stock.move.line`` records in chronological order
        """
        if direction not in TRACE_DIRECTIONS:
            raise UserError(_(
                'Unknown traceability direction %(direction)r: use one of %(allowed)s.'
            ) % {'direction': direction, 'allowed': ', '.join(TRACE_DIRECTIONS)})
        move_lines = self.env['stock.move.line']
        if not self:
            return move_lines
        return move_lines.browse(self._get_trace_move_line_ids(direction))

    @api.multi
    def action_open_history(self):
        """The movement timeline of the lots, oldest first, with the quantity on hand."""
        action = self.env.ref('stock_lot_tracking.stock_lot_history_action').read()[0]
        action['domain'] = [('lot_id', 'in', self.ids)]
        action['display_name'] = action['name'] = _('History of %s') % ', '.join(
            self.mapped('name'))
        return action

    @api.multi
    def action_trace_forward(self):
        """Where the lots went: the forward trace in the lots' traceability report."""
        return self._open_trace_report('forward')

    @api.multi
    def action_trace_backward(self):
        """Where the lots came from: the backward trace in the traceability report."""
        return self._open_trace_report('backward')

    @api.multi
    def action_open_recall(self):
        """A new recall of the lots, to fill in (reason, mode) and compute."""
        return {
            'type': 'ir.actions.act_window',
            'name': _('Recall'),
            'res_model': 'stock.lot.recall',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'current',
            'context': {'default_lot_ids': [(6, 0, self.ids)]},
        }

    @api.multi
    def _open_trace_report(self, direction):
        report = self.env['stock.lot.trace.report'].create({
            'lot_ids': [(6, 0, self.ids)], 'direction': direction, 'detail': 'summary'})
        return report.action_view()

    @api.multi
    def _get_trace_move_line_ids(self, direction):
        """Ids of the done move lines of :meth:`trace_move_lines`, by one recursive query.

        The recursion runs over (lot, date bound) pairs: a lot reached through a
        production link counts from the production on (downstream) or up to its
        consumption (upstream); a lot reached through ``component_lot_ids``, which carry
        no date, counts whole, unless a production link between the same lots gives the
        date. Each pair comes from a link row, so there are finitely many of them and
        ``UNION`` ends the recursion on cycles. The lines of each lot are then taken
        from its widest bound, through the index on (lot, date) of done move lines.
        """
        downstream = direction == 'downstream'
        query = sql.SQL("""
            WITH RECURSIVE node (lot_id, bound) AS (
                SELECT id, {start}::timestamp FROM stock_production_lot WHERE id IN %(lots)s
              UNION
                SELECT link.lot_id, link.bound FROM node, LATERAL (
                    SELECT other.lot_id, other.date AS bound
                      FROM stock_move_line own
                      JOIN stock_move_line_consume_rel rel ON rel.{own_column} = own.id
                      JOIN stock_move_line other ON other.id = rel.{other_column}
                     WHERE own.lot_id = node.lot_id AND own.state = 'done'
                       AND own.date {compare} node.bound
                       AND other.state = 'done' AND other.lot_id IS NOT NULL
                    UNION ALL
                    SELECT component.{other_lot}, {start}::timestamp
                      FROM stock_production_lot_component_rel component
                     WHERE component.{own_lot} = node.lot_id
                       AND NOT EXISTS (
                           SELECT 1 FROM stock_move_line own
                             JOIN stock_move_line_consume_rel rel ON rel.{own_column} = own.id
                             JOIN stock_move_line other ON other.id = rel.{other_column}
                            WHERE own.lot_id = node.lot_id
                              AND other.lot_id = component.{other_lot})
                ) link
            ), widest AS (
                SELECT lot_id, {widest}(bound) AS bound FROM node GROUP BY lot_id
            )
            SELECT line.id, line.date
              FROM widest
              JOIN stock_move_line line ON line.lot_id = widest.lot_id
             WHERE line.state = 'done' AND line.date {compare} widest.bound
            UNION
            SELECT other.id, other.date
              FROM widest
              JOIN stock_move_line own ON own.lot_id = widest.lot_id
              JOIN stock_move_line_consume_rel rel ON rel.{own_column} = own.id
              JOIN stock_move_line other ON other.id = rel.{other_column}
             WHERE own.state = 'done' AND own.date {compare} widest.bound
               AND other.state = 'done' AND other.lot_id IS NULL
             ORDER BY 2, 1
        """).format(
            start=sql.Literal('-infinity' if downstream else 'infinity'),
            compare=sql.SQL('>=' if downstream else '<='),
            widest=sql.SQL('min' if downstream else 'max'),
            # stock's m2m: consume_line_id is the line that consumed (the product made),
            # produce_line_id the line consumed to make it
            own_column=sql.Identifier('produce_line_id' if downstream else 'consume_line_id'),
            other_column=sql.Identifier('consume_line_id' if downstream else 'produce_line_id'),
            own_lot=sql.Identifier('component_lot_id' if downstream else 'lot_id'),
            other_lot=sql.Identifier('lot_id' if downstream else 'component_lot_id'),
        )
        self.env.cr.execute(query, {'lots': tuple(self.ids)})
        return [row[0] for row in self.env.cr.fetchall()]

    # Exchange -----------------------------------------------------------------------------
    @api.multi
    def get_epcis_document(self, date_from=None, date_to=None):
        """The GS1 EPCIS 2.0 ``EPCISDocument`` of the events the lots went through (both
        directions of :meth:`trace_move_lines`), as a JSON-serialisable dict; each
        event's ``eventID`` is its EPCIS event hash. Mapping of Odoo's moves (CBV 2.0):

        - receipt: ``ObjectEvent`` ``OBSERVE``, ``receiving``, ``in_progress``; supplier
          to company; the purchase order (``po``) and the receipt (``recadv``);
        - delivery: ``OBSERVE``, ``shipping``, ``in_transit``; company to customer; the
          sales order (``po``), the delivery (``desadv``), the invoices (``inv``);
        - customer / vendor return: ``receiving`` / ``shipping``, ``returned``, ``rma``;
        - internal transfer: ``OBSERVE``, ``storing``, ``in_progress`` (CBV 2.0 names
          moves into, out of and within storage of one site ``storing``);
        - inventory gain / loss: ``ADD`` ``active`` / ``DELETE`` ``unknown``,
          ``cycle_counting``; scrap: ``DELETE``, ``destroying``, ``destroyed``;
        - production (moves to and from the production location, linked by Odoo's
          consume / produce links): ``TransformationEvent``, ``commissioning``,
          ``active``, the consumed lots as inputs and the lots made as outputs;
        - repackaging and blending (a lot with ``component_lot_ids`` made without a
          production link, e.g. counted in): its first stock is a
          ``TransformationEvent`` ``repackaging``, the components as inputs without
          quantity (not recorded).

        Lots are class-level identifiers: the GS1 Digital Link of the product's GTIN
        (its barcode) and the lot, else the company's local URI (``epcis_uri_prefix``);
        locations by GLN (location, else warehouse with the location as extension),
        else local URI; ``eventTimeZoneOffset`` from the warehouse's address, else the
        company's, else UTC. Runs in a number of queries that does not depend on the
        length of the history.

        :param date_from: only events from this datetime on (ORM string or datetime)
        :param date_to: only events up to this datetime
        """
        events = self._get_exchange_events(date_from, date_to)
        context = self._get_exchange_context(events)
        self._check_epcis_identifiers(events, context)
        return epcis.document([self._prepare_epcis_event(event, context)
                               for event in events], datetime.utcnow())

    @api.multi
    def get_fsma204_rows(self, date_from=None, date_to=None):
        """The rows of the FDA FSMA 204 sortable spreadsheet of the lots: one per
        Critical Tracking Event (receiving, shipping, transformation; customer returns
        are receiving, vendor returns shipping), keyed by the column headers of
        :mod:`..lib.fsma204`, in the order of the events. Internal transfers, inventory
        and scrap are no CTE and have no row. Same events and dates as
        :meth:`get_epcis_document`."""
        events = self._get_exchange_events(date_from, date_to)
        context = self._get_exchange_context(events)
        rows = []
        for event in events:
            rows.extend(self._prepare_fsma204_rows(event, context))
        return rows

    @api.multi
    def _get_exchange_events(self, date_from=None, date_to=None):
        """The events of the lots' traced done move lines, oldest first: dicts
        ``kind`` (the lot history's document type, or ``'transformation'``), ``date``
        (datetime), ``rows`` (rows of :meth:`_read_exchange_rows`, one for an object
        event; the lots made for a transformation, or the lots consumed if none is
        traced), ``inputs`` and ``outputs`` (transformations). Productions are grouped by
        Odoo's consume links: lines made from the same consumed lines are one event."""
        if not self:
            raise UserError(_('Select the lots to export.'))
        line_ids = set(self._get_trace_move_line_ids('upstream')) \
            | set(self._get_trace_move_line_ids('downstream'))
        rows = self._read_exchange_rows(sorted(line_ids))
        by_line = {row['id']: row for row in rows}
        transformations = OrderedDict()
        used = set()
        for row in rows:
            if row['document_type'] == 'production' and row['source_usage'] == 'production':
                inputs = [by_line[line_id] for line_id in sorted(row['consumed_line_ids'])
                          if line_id in by_line]
                key = tuple(input_row['id'] for input_row in inputs) \
                    or ('move', row['move_id'])
                entry = transformations.setdefault(key, {'inputs': inputs, 'outputs': []})
                entry['outputs'].append(row)
                used.update(input_row['id'] for input_row in inputs)
        for row in rows:
            if row['document_type'] == 'production' and row['id'] not in used \
                    and row['destination_usage'] == 'production':
                transformations.setdefault(('move', row['move_id']), {
                    'inputs': [], 'outputs': []})['inputs'].append(row)
        events = []
        for entry in transformations.values():
            sides = entry['outputs'] or entry['inputs']
            events.append(dict(entry, kind='transformation', rows=sides,
                               date=max(row['date'] for row in sides)))
        components = self._read_exchange_components({row['lot_id'] for row in rows})
        made = set()  # lots whose making is an event already
        for event in events:
            # lots made without a production link: their components as inputs
            lot_ids = {row['lot_id'] for row in event['outputs']}
            if not event['inputs'] and lot_ids and lot_ids <= set(components):
                event['inputs'] = [component for lot_id in sorted(lot_ids)
                                   for component in components[lot_id]]
                event['step'] = ('repackaging', 'active')
            made |= lot_ids
        for row in rows:
            if row['document_type'] == 'production':
                continue
            event = {'kind': row['document_type'], 'date': row['date'], 'rows': [row],
                     'inputs': [], 'outputs': []}
            if row['lot_id'] in components and row['lot_id'] not in made \
                    and row['document_type'] in ('inventory', 'other') \
                    and row['quantity_change'] > 0:
                # the first stock of a lot repacked or blended from components
                event.update(kind='transformation', inputs=components[row['lot_id']],
                             outputs=[row], step=('repackaging', 'active'))
                made.add(row['lot_id'])
            events.append(event)
        start = date_from and to_datetime(date_from)
        end = date_to and to_datetime(date_to)
        events = [event for event in events if (not start or event['date'] >= start)
                  and (not end or event['date'] <= end)]
        return sorted(events, key=lambda event: (event['date'], event['rows'][0]['id']))

    @api.multi
    def _read_exchange_rows(self, line_ids):
        """What the exports need of the done move lines ``line_ids`` of these lots, by
        two queries whatever their number (the lots, then the lines): the lot history's
        row (document type, quantity in the product's unit, partner, reference) with the
        locations' usage, the transfer, the purchase and sales orders, the validated
        invoices of the sales line and the lines consumed to make the line (Odoo's
        consume links).

        The user's right to read the move lines is checked first; orders and invoices
        are then read whatever the user's sales or purchase rights, as the traceability
        summary does (:meth:`stock.move.line._get_partner_summary`).

        :return: list of dicts, by date
        """
        move_lines = self.env['stock.move.line']
        move_lines.check_access_rights('read')
        move_lines.browse(line_ids).check_access_rule('read')
        if not line_ids:
            return []
        # the lots first: a filter on the lot reaches below the history's window
        self.env.cr.execute('SELECT DISTINCT lot_id FROM stock_move_line '
                            'WHERE id IN %s AND lot_id IS NOT NULL', (tuple(line_ids),))
        lot_ids = tuple(row[0] for row in self.env.cr.fetchall())
        if not lot_ids:
            return []
        self.env.cr.execute("""
            SELECT history.id, history.date, history.lot_id, lot.name AS lot_name,
                   history.product_id, history.product_uom_id, history.location_id,
                   history.location_dest_id, source.usage AS source_usage,
                   destination.usage AS destination_usage, history.document_type,
                   history.quantity, history.quantity_change, history.reference,
                   history.move_id, picking.name AS picking_name,
                   COALESCE(history.partner_id, purchase.partner_id) AS partner_id,
                   purchase.name AS purchase_name, sale.name AS sale_name,
                   ARRAY(SELECT invoice.number
                           FROM sale_order_line_invoice_rel rel
                           JOIN account_invoice_line invoice_line
                             ON invoice_line.id = rel.invoice_line_id
                           JOIN account_invoice invoice
                             ON invoice.id = invoice_line.invoice_id
                          WHERE rel.order_line_id = move.sale_line_id
                            AND invoice.state IN ('open', 'paid')
                            AND invoice.number IS NOT NULL
                          ORDER BY invoice.id) AS invoice_numbers,
                   ARRAY(SELECT rel.produce_line_id FROM stock_move_line_consume_rel rel
                          WHERE rel.consume_line_id = history.id) AS consumed_line_ids
              FROM stock_lot_history history
              JOIN stock_production_lot lot ON lot.id = history.lot_id
              JOIN stock_move move ON move.id = history.move_id
              JOIN stock_location source ON source.id = history.location_id
              JOIN stock_location destination ON destination.id = history.location_dest_id
              LEFT JOIN stock_picking picking ON picking.id = history.picking_id
              LEFT JOIN purchase_order_line purchase_line
                ON purchase_line.id = move.purchase_line_id
              LEFT JOIN purchase_order purchase ON purchase.id = purchase_line.order_id
              LEFT JOIN sale_order_line sale_line ON sale_line.id = move.sale_line_id
              LEFT JOIN sale_order sale ON sale.id = sale_line.order_id
             WHERE history.lot_id IN %s AND history.id IN %s
             ORDER BY history.date, history.id
        """, (lot_ids, tuple(line_ids)))
        rows = self.env.cr.dictfetchall()
        for row in rows:
            row['date'] = to_datetime(row['date'])
        return rows

    @api.model
    def _read_exchange_components(self, lot_ids):
        """The component lots of ``lot_ids`` (repackaging, blending) as input rows
        without quantity, by one query: {lot id: [rows]}."""
        if not lot_ids:
            return {}
        self.env.cr.execute("""
            SELECT rel.lot_id AS made_lot_id, lot.id AS lot_id, lot.name AS lot_name,
                   lot.product_id
              FROM stock_production_lot_component_rel rel
              JOIN stock_production_lot lot ON lot.id = rel.component_lot_id
             WHERE rel.lot_id IN %s
             ORDER BY lot.name, lot.id
        """, (tuple(lot_ids),))
        components = {}
        for row in self.env.cr.dictfetchall():
            row.update(id=False, quantity=None, product_uom_id=False)
            components.setdefault(row.pop('made_lot_id'), []).append(row)
        return components

    @api.model
    def _get_exchange_context(self, events):
        """What the events refer to, read once for all: the user's company, and the
        lots, products, units, locations and partners of the rows as records (read
        together when first used), the warehouse of each location (by the locations'
        nested-set bounds)."""
        rows = [row for event in events for row in event['rows'] + event['inputs']]
        company = self.env.user.company_id.sudo()

        def records(model, key, extra=()):
            ids = {row.get(key) for row in rows if row.get(key)} | set(extra)
            return {record.id: record for record in self.env[model].sudo().browse(ids)}
        warehouses = self.env['stock.warehouse'].sudo().search([])
        ranges = sorted(((warehouse.view_location_id.parent_left,
                          warehouse.view_location_id.parent_right, warehouse)
                         for warehouse in warehouses),
                        key=lambda entry: entry[0], reverse=True)  # innermost first
        locations = records('stock.location', 'location_id')
        locations.update(records('stock.location', 'location_dest_id', locations))
        partners = records('res.partner', 'partner_id', [company.partner_id.id])
        context = {
            'company': company,
            'lots': records('stock.production.lot', 'lot_id'),
            'products': records('product.product', 'product_id'),
            'uoms': records('product.uom', 'product_uom_id'),
            'locations': locations,
            'partners': partners,
            'warehouses': {},
        }
        for location in locations.values():
            context['warehouses'][location.id] = next(
                (warehouse for left, right, warehouse in ranges
                 if left <= location.parent_left < right), self.env['stock.warehouse'])
        return context

    @api.model
    def _get_exchange_location(self, event, context):
        """The internal location where the event happened, and where the goods are
        after it (False when they left)."""
        row = event['rows'][0]
        source = context['locations'][row['location_id']]
        destination = context['locations'][row['location_dest_id']]
        if event['kind'] == 'transformation':
            if event['outputs']:
                return destination, destination
            return source, False
        if row['destination_usage'] == 'internal':
            return destination, destination
        return source, False

    @api.model
    def _get_exchange_parties(self, event, context):
        """(source partner, destination partner) of an object event, or Falses: the
        commercial partner of the transfer and the company."""
        row = event['rows'][0]
        partner = row['partner_id'] and \
            context['partners'][row['partner_id']].commercial_partner_id
        company = context['company'].partner_id
        if event['kind'] in ('receipt', 'customer_return'):
            return partner, company
        if event['kind'] in ('delivery', 'vendor_return'):
            return company, partner
        return False, False

    @api.model
    def _get_exchange_documents(self, event):
        """[(CBV transaction type, reference)] of an event: orders, transfers, invoices."""
        row = event['rows'][0]
        kind = event['kind']
        if kind == 'transformation':
            documents = [('prodorder', reference) for reference in
                         sorted(set(r['reference'] for r in event['rows'] if r['reference']))]
        elif kind == 'receipt':
            documents = [('po', row['purchase_name']), ('recadv', row['picking_name'])]
        elif kind == 'delivery':
            documents = [('desadv', row['picking_name']), ('po', row['sale_name'])]
            documents.extend(('inv', number) for number in row['invoice_numbers'])
        elif kind in ('customer_return', 'vendor_return'):
            documents = [('rma', row['picking_name'])]
        else:
            documents = []
        return [(code, reference) for code, reference in documents if reference]

    @api.model
    def _get_epcis_class_uri(self, row, context):
        """The class-level identifier of a row's lot: GS1 Digital Link, else local URI,
        else None."""
        gtin = gs1.normalise_gtin(context['products'][row['product_id']].barcode)
        if gtin:
            return gs1.digital_link(gtin, row['lot_name'])
        return context['company']._get_epcis_uri('product', row['product_id'], 'lot',
                                                 row['lot_name'])

    @api.model
    def _get_epcis_location_uri(self, location, context):
        if location.gln:
            return 'https://id.gs1.org/414/%s' % location.gln
        warehouse = context['warehouses'][location.id]
        if warehouse.gln:
            return 'https://id.gs1.org/414/%s/254/%s' % (warehouse.gln, location.id)
        return context['company']._get_epcis_uri('location', location.id)

    @api.model
    def _get_epcis_party_uri(self, partner, context):
        company = context['company']
        if partner == company.partner_id and company.gln:
            return 'https://id.gs1.org/417/%s' % company.gln
        return company._get_epcis_uri('party', partner.id)

    @api.model
    def _check_epcis_identifiers(self, events, context):
        """Refuse the export when lots have no identifier: a product without GTIN and
        no local URI scheme on the company."""
        if context['company'].epcis_uri_prefix:
            return
        products = self.env['product.product']
        for event in events:
            for row in event['rows'] + event['inputs']:
                product = context['products'][row['product_id']]
                if not gs1.normalise_gtin(product.barcode):
                    products |= product
        if products:
            raise UserError(_(
                'The EPCIS export names lots by GS1 identifiers, and %(products)s have no '
                'GTIN as barcode. Give these products their GTIN, or set the EPCIS URI '
                'prefix of company %(company)s (Settings > Companies) for lots of '
                'products without GTIN.'
            ) % {'products': ', '.join(products.mapped('display_name')),
                 'company': context['company'].name})

    @api.model
    def _get_exchange_zone(self, location, context):
        """The time zone of the location's warehouse (its address), else the
        company's, else UTC."""
        warehouse = context['warehouses'][location.id] if location else False
        zone = (warehouse and warehouse.partner_id.tz) or context['company'].partner_id.tz
        return pytz.timezone(zone or 'UTC')

    @api.model
    def _prepare_epcis_quantities(self, rows, context):
        elements = []
        for row in rows:
            element = {'epcClass': self._get_epcis_class_uri(row, context)}
            if row['quantity'] is not None:  # components of a repacked lot: unknown
                element['quantity'] = row['quantity']
                code = context['uoms'][row['product_uom_id']].unece_code
                if code:
                    element['uom'] = code
            elements.append(element)
        return elements

    @api.model
    def _prepare_epcis_event(self, event, context):
        """The EPCIS 2.0 event (JSON-LD dict, bare CBV words) of an exchange event."""
        read_point, biz_location = self._get_exchange_location(event, context)
        zone = self._get_exchange_zone(read_point, context)
        offset = zone.utcoffset(event['date']).total_seconds() // 60
        event_time, zone_offset = epcis.format_time(event['date'], offset)
        values = {'eventTime': event_time, 'eventTimeZoneOffset': zone_offset}
        kind = event['kind']
        if kind == 'transformation':
            values['type'] = 'TransformationEvent'
            if event['inputs']:
                values['inputQuantityList'] = self._prepare_epcis_quantities(
                    event['inputs'], context)
            if event['outputs']:
                values['outputQuantityList'] = self._prepare_epcis_quantities(
                    event['outputs'], context)
            step = event.get('step', ('commissioning', 'active'))
        else:
            row = event['rows'][0]
            values.update(type='ObjectEvent', epcList=[],
                          quantityList=self._prepare_epcis_quantities([row], context))
            action, step = EPCIS_OBJECT_EVENTS.get(kind, EPCIS_OBJECT_EVENTS['other'])
            if kind == 'inventory' and row['quantity_change'] < 0:
                action, step = 'DELETE', ('cycle_counting', 'unknown')
            values['action'] = action
        values['bizStep'], values['disposition'] = step
        for key, location in (('readPoint', read_point), ('bizLocation', biz_location)):
            uri = location and self._get_epcis_location_uri(location, context)
            if uri:
                values[key] = {'id': uri}
        transactions = []
        for code, reference in self._get_exchange_documents(event):
            uri = context['company']._get_epcis_uri('bt', code, reference)
            if uri:
                transactions.append({'bizTransaction': uri, 'type': code})
        if transactions:
            values['bizTransactionList'] = transactions
        if kind != 'transformation':
            source, destination = self._get_exchange_parties(event, context)
            for key, item, partner in (('sourceList', 'source', source),
                                       ('destinationList', 'destination', destination)):
                uri = partner and self._get_epcis_party_uri(partner, context)
                if uri:
                    values[key] = [{item: uri, 'type': 'owning_party'}]
        return values

    @api.model
    def _get_fsma204_location_description(self, partner):
        """A party's name and address on one line, as FSMA 204 location descriptions."""
        if not partner:
            return ''
        parts = [partner.name, partner.street, partner.street2,
                 ' '.join(filter(None, [partner.zip, partner.city])),
                 partner.state_id.name, partner.country_id.name]
        return ', '.join(part for part in parts if part)

    @api.model
    def _prepare_fsma204_rows(self, event, context):
        """The spreadsheet rows of an exchange event (none for internal ones)."""
        kind = event['kind']
        cte = FSMA204_EVENTS.get(kind)
        if not cte:
            return []
        location = self._get_exchange_location(event, context)[0]
        warehouse = context['warehouses'][location.id]
        here = self._get_fsma204_location_description(
            warehouse.partner_id or context['company'].partner_id)
        documents = self._get_exchange_documents(event)
        document_type, number = documents[0] if documents else ('', '')
        common = {
            fsma204.EVENT: cte,
            fsma204.LOCATION: here,
            fsma204.DATE: event['date'].strftime('%Y-%m-%dT%H:%M:%SZ'),
            fsma204.DOCUMENT_TYPE: FSMA204_DOCUMENT_TYPES.get(document_type, ''),
            fsma204.DOCUMENT_NUMBER: number,
        }
        if kind == 'transformation':
            common[fsma204.INPUT_LOT_CODES] = '; '.join(
                row['lot_name'] for row in event['inputs'])
            common[fsma204.LOT_CODE_SOURCE] = here
            rows = event['outputs']
        else:
            source, destination = self._get_exchange_parties(event, context)
            if cte == fsma204.RECEIVING:
                common[fsma204.PREVIOUS_SOURCE] = \
                    self._get_fsma204_location_description(source)
            else:
                common[fsma204.SUBSEQUENT_RECIPIENT] = \
                    self._get_fsma204_location_description(destination)
            rows = event['rows']
        result = []
        for row in rows:
            values = dict(common)
            lot = context['lots'][row['lot_id']]
            values.update({
                fsma204.LOT_CODE: row['lot_name'],
                fsma204.PRODUCT: context['products'][row['product_id']].display_name,
                fsma204.QUANTITY: row['quantity'],
                fsma204.UNIT: context['uoms'][row['product_uom_id']].name,
                fsma204.LOT_CODE_SOURCE: values.get(fsma204.LOT_CODE_SOURCE)
                or self._get_fsma204_location_description(
                    lot.supplier_id.commercial_partner_id) or here,
            })
            result.append(values)
        return result

    @api.multi
    def _get_digital_link(self):
        """The lot's GS1 Digital Link (GTIN of the product's barcode, lot, expiration
        date), for the QR codes of labels and certificates; without GTIN the company's
        local URI of the lot; False without either."""
        self.ensure_one()
        gtin = gs1.normalise_gtin(self.product_id.barcode)
        if gtin:
            expiry = self.life_date and to_datetime(self.life_date).date()
            return gs1.digital_link(gtin, self.name, expiry)
        return self.env.user.company_id.sudo()._get_epcis_uri(
            'product', self.product_id.id, 'lot', self.name) or False

    @api.multi
    def _get_digital_link_qr_src(self, size=150):
        """The image address of the lot's Digital Link as a QR code (Odoo's barcode
        route), or False."""
        link = self._get_digital_link()
        if not link:
            return False
        return '/report/barcode/?' + urlencode(
            [('type', 'QR'), ('value', link), ('width', size), ('height', size)])
