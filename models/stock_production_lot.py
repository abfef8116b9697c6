# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
from collections import OrderedDict
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytz
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, html_escape

from ..lib import epcis, fsma204, gs1

_logger = logging.getLogger(__name__)

# product_expiry's lot date -> product day count it is derived from
DATE_FIELDS = ('life_date', 'use_date', 'removal_date', 'alert_date')
PROTECTED_FIELDS = DATE_FIELDS + ('production_date',)
# quality data: once a lot is received, only the quality group changes it
QUALITY_FIELDS = ('quality_grade_id', 'quality_state', 'quality_value_ids', 'certificate_ids',
                  'certificate_number', 'quality_reason', 'quality_user_id', 'quality_date')
# directions of trace_move_lines
TRACE_DIRECTIONS = ('upstream', 'downstream')
# on an existing lot, components only fill these when the lot has no value for them
COMPONENT_KEEP_FIELDS = ('life_date', 'quality_grade_id')
# a block is set with a reason by anyone and released by lot managers
BLOCK_FIELDS = ('blocked', 'block_reason')
# lots that went through a done stock move
RECEIVED_LOTS_QUERY = ("SELECT lot_id FROM stock_move_line "
                       "WHERE state = 'done' AND lot_id IS NOT NULL")
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
    track_quality = fields.Boolean(
        related='product_id.track_quality', readonly=True,
        help="The product of this lot tracks quality: its lots carry quality data, "
             "grades and a quality decision.")
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
    note = fields.Text(
        string='Notes',
        help="Additional quality or handling notes.")
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
    is_received = fields.Boolean(
        string='Received', compute='_compute_is_received', search='_search_is_received',
        help="The lot went through a done stock move (received, made or counted): from "
             "then on only the Lot Quality group changes its quality data.")
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
    expired_activity_date = fields.Datetime(
        readonly=True, copy=False,
        help="Expiration date for which the daily expiry check scheduled the activity "
             "to decide what becomes of the expired lot: one such activity per lot and "
             "expiration date.")
    retest_history_ids = fields.One2many(
        'stock.lot.retest.history', 'lot_id', string='Retest History', readonly=True,
        help="Retests of the lot: when, by whom, old and new expiration dates, reason.")
    retest_count = fields.Integer(
        compute='_compute_retest_count',
        help="Number of retests that changed the lot's expiration date.")
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

    @api.depends('retest_history_ids')
    def _compute_retest_count(self):
        for lot in self:
            lot.retest_count = len(lot.retest_history_ids)

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

    def _compute_is_received(self):
        received = self._get_received_lots()
        for lot in self:
            lot.is_received = lot in received

    @api.model
    def _search_is_received(self, operator, value):
        if operator not in ('=', '!='):
            raise UserError(_('Lots can only be searched by whether they are received or not.'))
        received = (operator == '=') == bool(value)
        return [('id', 'inselect' if received else 'not inselect', (RECEIVED_LOTS_QUERY, []))]

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
        if vals.get('blocked'):
            vals['block_reason'] = self._get_reason(vals.get('block_reason'), _('block'),
                                                    vals.get('name') or '')
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
        if any(name in vals for name in BLOCK_FIELDS):
            vals = self._check_block_change_allowed(vals)
        components = {}
        if 'component_lot_ids' in vals:
            components = self._check_component_change_allowed(vals['component_lot_ids'])
        if 'batch_lot_id' in vals:
            new_batch = self.browse(vals['batch_lot_id'])
            for lot in self.filtered(lambda lot: lot.batch_lot_id != new_batch
                                     and not lot._is_batch_recorded(new_batch)):
                lot._record_batch_change(new_batch)
        res = super(StockProductionLot, self).write(vals)
        if components:
            changed = self.browse(list(components))
            changed._log_component_change(components)
            changed._inherit_component_quality(keep=COMPONENT_KEEP_FIELDS)
        return res

    @api.multi
    def action_block(self, reason):
        """Block the lots: they are no longer reserved until unblocked."""
        reason = self._get_reason(reason, _('block'))
        self.write({'blocked': True, 'block_reason': reason})
        for lot in self:
            lot.message_post(body=_('Lot blocked: %s') % reason)
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
        reason = self._get_reason(reason, _('retest'))
        if not new_life_date:
            raise UserError(_('Enter the new expiration date of the retested lot(s).'))
        new_life = self._check_retest_date(new_life_date)
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
            lot._record_retest(old_life_date, vals['life_date'], reason.strip())
            lot.message_post(body=_(
                'Retest: expiration date changed from %(old)s to %(new)s. '
                'Reason: %(reason)s'
            ) % {'old': old_life_date or _('none'), 'new': vals['life_date'],
                 'reason': reason})
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
        reason = self._get_reason(reason, _('approve with an override'))
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
        reason = self._get_reason(reason, _('reject'))
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
        """Whether the user of the environment is a lot manager.

        Under ``sudo()`` that is the superuser, whoever called: code checks the real
        user before it switches to ``sudo()``.
        """
        return self.env.user.has_group('stock_lot_tracking.group_lot_manager')

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
        """Whether the user of the environment is in the Lot Quality group (see
        :meth:`_is_lot_manager` about ``sudo()``)."""
        return self.env.user.has_group('stock_lot_tracking.group_lot_quality')

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
        self.env.cr.execute(RECEIVED_LOTS_QUERY + ' AND lot_id IN %s', (tuple(self.ids),))
        return self.browse({row[0] for row in self.env.cr.fetchall()})

    @api.multi
    def _get_moved_lots(self):
        """The lots of ``self`` that went through a done stock move other than coming
        out of production: received, counted, transferred or delivered."""
        if not self.ids:
            return self.browse()
        self.env.cr.execute("""
            SELECT DISTINCT line.lot_id
              FROM stock_move_line line
              JOIN stock_location location ON location.id = line.location_id
             WHERE line.state = 'done' AND line.lot_id IN %s
               AND location.usage != 'production'
        """, (tuple(self.ids),))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.multi
    def _get_reason(self, reason, action, names=None):
        """``reason`` without surrounding blanks; a UserError if there is none.

        The one check of the reasons the lot actions require (block, reject, approve
        with an override, retest): ``action`` says what is done to the lots, ``names``
        replaces the names of the lots of ``self`` (a lot being created).
        """
        reason = (reason or '').strip()
        if not reason:
            raise UserError(_(
                'Give the reason to %(action)s lot(s) %(lots)s: it is kept in their '
                'history.') % {'action': action,
                               'lots': names or ', '.join(self.mapped('display_name'))})
        return reason

    @api.multi
    def _check_block_change_allowed(self, vals):
        """Anyone may block a lot, giving the reason; only lot managers release a
        blocked lot or change the reason of its block.

        :return: ``vals`` with the reason without surrounding blanks
        """
        vals = dict(vals)
        for lot in self:
            blocked = vals['blocked'] if 'blocked' in vals else lot.blocked
            reason = vals['block_reason'] if 'block_reason' in vals else lot.block_reason
            if blocked:
                reason = lot._get_reason(reason, _('block'))
                if 'block_reason' in vals:
                    vals['block_reason'] = reason
            elif 'block_reason' in vals and vals['block_reason']:
                raise UserError(_(
                    'Lot %(lot)s is not blocked: block it to give a reason.')
                    % {'lot': lot.display_name})
            if lot.blocked and (not blocked or reason != lot.block_reason):
                lot._check_lot_manager(_('release lot %(lot)s or change the reason of its '
                                         'block') % {'lot': lot.display_name})
        if 'blocked' in vals and not vals['blocked']:
            vals['block_reason'] = False
        return vals

    @api.multi
    def _check_component_change_allowed(self, commands):
        """Component lots follow the rule of the dates: once a lot has been received,
        counted or moved, only lot managers change them, and a grade it would inherit
        needs the Lot Quality group. A lot that only came out of production takes its
        components from whoever records the production (Odoo links them once the
        production is done).

        :param commands: the ``component_lot_ids`` value given to ``write``
        :return: ``{lot id: (old component lots, new component lots)}`` of the lots of
            ``self`` whose components change
        """
        changes = {}
        for lot in self:
            old = lot.component_lot_ids
            new = self.browse(lot._apply_component_commands(commands))
            if set(new.ids) != set(old.ids):
                changes[lot.id] = (old, new)
        for lot in self.browse(list(changes))._get_moved_lots():
            lot._check_lot_manager(_('change the component lots of lot %(lot)s: it has '
                                     'been received or moved') % {'lot': lot.display_name})
            inherited = lot._get_inherited_quality_vals(
                COMPONENT_KEEP_FIELDS, components=changes[lot.id][1])
            if 'quality_grade_id' in inherited:
                lot._check_quality_edit_allowed()
        return changes

    @api.multi
    def _apply_component_commands(self, commands):
        """Ids of the component lots of this lot once ``commands`` (x2many commands)
        are applied; creating a lot inside the components is refused."""
        self.ensure_one()
        ids = list(self.component_lot_ids.ids)
        for command in commands or ():
            if command[0] == 0:
                raise UserError(_(
                    'Create the component lot first, then link it to lot %(lot)s.')
                    % {'lot': self.display_name})
            elif command[0] in (2, 3):
                ids = [lot_id for lot_id in ids if lot_id != command[1]]
            elif command[0] == 4 and command[1] not in ids:
                ids.append(command[1])
            elif command[0] == 5:
                ids = []
            elif command[0] == 6:
                ids = list(command[2] or [])
        return ids

    @api.multi
    def _log_component_change(self, changes):
        """Post the component lots added and removed in the chatter of each lot.

        :param changes: as returned by :meth:`_check_component_change_allowed`
        """
        for lot in self:
            old, new = changes[lot.id]
            parts = []
            if new - old:
                parts.append(_('added %s') % ', '.join((new - old).mapped('display_name')))
            if old - new:
                parts.append(_('removed %s') % ', '.join((old - new).mapped('display_name')))
            lot.message_post(body=html_escape(
                _('Component lots changed: %s.') % '; '.join(parts)))

    @api.multi
    def _is_batch_recorded(self, batch):
        """Whether the stock moves already record ``batch`` as the batch of this serial
        without batch: its last done move carries it (a receipt gives the serials it
        brings their batch so)."""
        self.ensure_one()
        if self.batch_lot_id or not batch:
            return False
        last_line = self.env['stock.move.line'].search(
            [('lot_id', '=', self.id), ('state', '=', 'done')],
            order='date desc, id desc', limit=1)
        return bool(last_line) and last_line.batch_lot_id == batch

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
    def _get_component_quality_vals(self, components=None):
        """Earliest expiration date and worst grade of the lot's component lots (or of
        ``components``)."""
        self.ensure_one()
        if components is None:
            components = self.component_lot_ids
        vals = {}
        life_dates = [date for date in components.mapped('life_date') if date]
        if life_dates:
            vals['life_date'] = min(life_dates)
        grades = components.mapped('quality_grade_id')
        if grades:
            vals['quality_grade_id'] = grades.sorted(
                key=lambda grade: (grade.sequence, grade.id))[-1].id
        return vals

    @api.multi
    def _get_inherited_quality_vals(self, keep=(), components=None):
        """The expiration date and grade this lot takes from its component lots (or
        from ``components``): those that differ from its own; a field named in
        ``keep`` only when the lot has no value for it."""
        self.ensure_one()
        vals = self._get_component_quality_vals(components)
        for name in list(vals):
            own = self[name].id if name == 'quality_grade_id' else self[name]
            if own == vals[name] or (name in keep and own):
                del vals[name]
        return vals

    @api.multi
    def _inherit_component_quality(self, keep=()):
        """Take expiration date and grade from the component lots.

        A field named in ``keep`` is only filled when the lot has no value for it. The
        values are derived by the system, so the date and quality guards of
        :meth:`write` are not asked again: :meth:`_check_component_change_allowed`
        checked the real user before the components of a moved lot changed.
        """
        for lot in self.filtered('component_lot_ids'):
            vals = lot._get_inherited_quality_vals(keep)
            if not vals:
                continue
            inherited = []
            if 'life_date' in vals:
                inherited.append(_('expiration date %s') % vals['life_date'])
                vals.update(lot._get_dates_from_life_date(to_datetime(vals['life_date'])))
            if 'quality_grade_id' in vals:
                inherited.append(_('grade %s') % self.env['stock.lot.quality.grade'].browse(
                    vals['quality_grade_id']).name)
            lot._write_derived_quality(vals)
            lot.message_post(body=html_escape(_('Inherited from component lots %s: %s') % (
                ', '.join(lot.component_lot_ids.mapped('name')), ', '.join(inherited))))

    @api.multi
    def _write_derived_quality(self, vals):
        """Write dates and grade the system derived (see
        :meth:`_inherit_component_quality`), past the guards of :meth:`write`: the
        caller checked the real user."""
        return super(StockProductionLot, self).write(vals)

    # Expiry handling: quarantine, disposal, return to the vendor, retest -----------------
    @api.multi
    def action_quarantine(self):
        """Move the lots' stock in every warehouse to the warehouse's quarantine location,
        by one done internal transfer per warehouse.

        Refuses, before moving anything, lots without stock outside quarantine, stock
        in a warehouse without quarantine location and reserved stock (unreserve it
        first).

        :return: the transfers made (``stock.picking``)
        """
        plan = self._get_quarantine_plan()
        pickings = self.env['stock.picking']
        for warehouse, rows in plan:
            pickings |= warehouse._move_to_quarantine(
                rows, _('Lots to quarantine: %s') % ', '.join(self.mapped('name')),
                _('Lot stock moved to the quarantine location %(location)s by hand.'))
        for lot in self:
            lot.message_post(body=_('Lot stock moved to quarantine: %s') % ', '.join(
                pickings.mapped('name')))
        return pickings

    @api.multi
    def action_dispose(self, reason):
        """Scrap the lots' remaining stock with ``reason``: one done ``stock.scrap`` per
        lot and location, posted on the lot. Lot managers only.

        :return: the scraps made (``stock.scrap``)
        """
        self._check_lot_manager(_('dispose of a lot'))
        reason = (reason or '').strip()
        if not reason:
            raise UserError(_('Give the reason for disposing of lot(s) %s: it is kept in '
                              'their history.') % ', '.join(self.mapped('display_name')))
        stock = self._get_handling_stock(_('dispose of'))
        Scrap = self.env['stock.scrap']
        scraps = Scrap.browse()
        for lot, location, quantity in stock:
            scrap = Scrap.create({
                'product_id': lot.product_id.id,
                'product_uom_id': lot.product_id.uom_id.id,
                'lot_id': lot.id,
                'location_id': location.id,
                'scrap_qty': quantity,
                'origin': reason,
            })
            scrap.do_scrap()
            scraps |= scrap
        for lot in self:
            lot_scraps = scraps.filtered(lambda scrap, lot=lot: scrap.lot_id == lot)
            lot.message_post(body=html_escape(_(
                'Lot disposed of by %(scraps)s (%(quantity)s %(uom)s). Reason: %(reason)s'
            ) % {'scraps': ', '.join(lot_scraps.mapped('name')),
                 'quantity': sum(lot_scraps.mapped('scrap_qty')),
                 'uom': lot.product_id.uom_id.name, 'reason': reason}))
        return scraps

    @api.multi
    def action_return_to_vendor(self):
        """Prepare the return of the lot's stock to its supplier: a return of the
        original receipt where the lot came in by one (the purchase sees the return),
        else an outgoing transfer to the supplier; reserved on the lot, ready to
        validate. Lot managers only.

        :return: the return picking (``stock.picking``), not yet done
        """
        self.ensure_one()
        self._check_lot_manager(_('return a lot to its vendor'))
        supplier = self.supplier_id
        if not supplier:
            raise UserError(_(
                'Lot %s has no supplier: set its supplier before returning it to the '
                'vendor.') % self.display_name)
        stock = self._get_handling_stock(_('return'))
        receipt_move = self._get_receipt_move()
        warehouse = stock[0][1].get_warehouse()
        if receipt_move:
            receipt_type = receipt_move.picking_id.picking_type_id
            picking_type = receipt_type.return_picking_type_id or receipt_type
            origin = _('Return of %s') % receipt_move.picking_id.name
        else:
            picking_type = warehouse.out_type_id
            origin = _('Return of lot %s') % self.name
        if not picking_type:
            raise UserError(_(
                'Lot %(lot)s cannot be returned: location %(location)s belongs to no '
                'warehouse with a delivery operation type.') % {
                    'lot': self.display_name, 'location': stock[0][1].display_name})
        destination = supplier.property_stock_supplier
        picking = self.env['stock.picking'].create({
            'picking_type_id': picking_type.id,
            'partner_id': supplier.id,
            'location_id': stock[0][1].id,
            'location_dest_id': destination.id,
            'origin': origin,
        })
        for __, location, quantity in stock:
            move = self.env['stock.move'].create(self._prepare_return_move_vals(
                picking, location, destination, quantity, receipt_move))
            move._action_confirm(merge=False)
            move._update_reserved_quantity(quantity, quantity, location, lot_id=self,
                                           strict=True)
            move._recompute_state()
        picking.message_post(body=_('Return of lot %(lot)s to %(supplier)s.') % {
            'lot': self.name, 'supplier': supplier.display_name})
        self.message_post(body=_('Return to the vendor prepared: %s') % picking.name)
        return picking

    @api.multi
    def action_open_return_to_vendor(self):
        """Button and list action: prepare the return of each lot to its vendor and
        open the returns (all or none: one refusal prepares no return)."""
        pickings = self.env['stock.picking']
        for lot in self:
            pickings |= lot.action_return_to_vendor()
        action = {
            'type': 'ir.actions.act_window',
            'name': _('Returns to Vendor'),
            'res_model': 'stock.picking',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', pickings.ids)],
        }
        if len(pickings) == 1:
            action.update(view_mode='form', res_id=pickings.id)
        return action

    @api.multi
    def action_open_quarantine(self):
        """Button and list action: quarantine the lots and show the transfers."""
        pickings = self.action_quarantine()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Quarantine Transfers'),
            'res_model': 'stock.picking',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', pickings.ids)],
        }

    @api.multi
    def _get_internal_stock(self):
        """The lots' stock in internal locations.

        :return: list of ``(lot, location, quantity, reserved quantity)``, quantities
            summed over the quants of a lot and location
        """
        if not self.ids:
            return []
        self.env.cr.execute("""
            SELECT quant.lot_id, quant.location_id, SUM(quant.quantity),
                   SUM(quant.reserved_quantity)
              FROM stock_quant quant
              JOIN stock_location location ON location.id = quant.location_id
             WHERE quant.lot_id IN %s AND location.usage = 'internal'
             GROUP BY quant.lot_id, quant.location_id, location.parent_left
            HAVING SUM(quant.quantity) > 0
             ORDER BY quant.lot_id, location.parent_left
        """, (tuple(self.ids),))
        Location = self.env['stock.location']
        return [(self.browse(lot_id), Location.browse(location_id), quantity, reserved)
                for lot_id, location_id, quantity, reserved in self.env.cr.fetchall()]

    @api.multi
    def _get_handling_stock(self, what):
        """The lots' internal stock that ``what`` (dispose of, return) takes, after
        refusing lots without stock and reserved stock.

        :return: list of ``(lot, location, quantity)``
        """
        stock = self._get_internal_stock()
        without = self - self.browse([lot.id for lot, __, __, __ in stock])
        if without:
            raise UserError(_(
                'Cannot %(what)s lot(s) %(lots)s: there is no stock of them in an '
                'internal location.') % {
                    'what': what, 'lots': ', '.join(without.mapped('display_name'))})
        self._check_unreserved(stock, what)
        return [(lot, location, quantity) for lot, location, quantity, __ in stock]

    @api.multi
    def _check_unreserved(self, stock, what):
        """Refuse ``what`` when any of ``stock`` (lot, location, quantity, reserved) is
        reserved: the operations holding it must be unreserved first."""
        reserved = [(lot, location, quantity)
                    for lot, location, __, quantity in stock
                    if float_compare(quantity, 0.0,
                                     precision_rounding=lot.product_id.uom_id.rounding) > 0]
        if reserved:
            raise UserError(_(
                'Cannot %(what)s: stock is reserved by operations (%(reserved)s). '
                'Unreserve these operations first.') % {
                    'what': what, 'reserved': '; '.join(
                        _('lot %(lot)s: %(quantity)s %(uom)s in %(location)s') % {
                            'lot': lot.name, 'quantity': quantity,
                            'uom': lot.product_id.uom_id.name,
                            'location': location.display_name}
                        for lot, location, quantity in reserved)})

    @api.multi
    def _get_quarantine_plan(self):
        """What :meth:`action_quarantine` moves, checked before anything moves.

        :return: list of ``(warehouse, [(quant id, quantity), ...])``
        """
        stock = self._get_internal_stock()
        warehouses = self.env['stock.warehouse']
        for lot, location, __, __ in stock:
            warehouse = location.get_warehouse()
            if not warehouse:
                raise UserError(_(
                    'Cannot quarantine lot %(lot)s: location %(location)s belongs to no '
                    'warehouse.') % {'lot': lot.display_name,
                                     'location': location.display_name})
            if not warehouse.quarantine_location_id:
                raise UserError(_(
                    'Cannot quarantine lot %(lot)s: warehouse %(warehouse)s has no '
                    'quarantine location. Set it on the warehouse first.') % {
                        'lot': lot.display_name, 'warehouse': warehouse.name})
            warehouses |= warehouse
        plan = []
        moved_lot_ids = set()
        for warehouse in warehouses:
            quants = warehouse._get_quarantine_quants(lots=self)
            reserved = [(self.browse(lot_id), quant_id, reserved)
                        for quant_id, lot_id, __, reserved in quants if reserved > 0]
            if reserved:
                Quant = self.env['stock.quant']
                self._check_unreserved(
                    [(lot, Quant.browse(quant_id).location_id, 0.0, quantity)
                     for lot, quant_id, quantity in reserved], _('quarantine'))
            if quants:
                plan.append((warehouse, [(quant_id, quantity)
                                         for quant_id, __, quantity, __ in quants]))
                moved_lot_ids.update(lot_id for __, lot_id, __, __ in quants)
        without = self - self.browse(list(moved_lot_ids))
        if without:
            raise UserError(_(
                'Cannot quarantine lot(s) %s: they have no stock outside a quarantine '
                'location.') % ', '.join(without.mapped('display_name')))
        return plan

    @api.multi
    def _get_receipt_move(self):
        """The done move of the receipt that brought this lot in from its supplier,
        the latest if several; an empty recordset if it came in otherwise."""
        self.ensure_one()
        line = self.env['stock.move.line'].search([
            ('lot_id', '=', self.id), ('state', '=', 'done'),
            ('location_id.usage', '=', 'supplier'),
            ('picking_id.picking_type_id.code', '=', 'incoming'),
        ], order='date desc, id desc', limit=1)
        return line.move_id

    @api.multi
    def _prepare_return_move_vals(self, picking, location, destination, quantity,
                                  receipt_move):
        """Values of the move returning ``quantity`` of this lot from ``location``."""
        self.ensure_one()
        product = self.product_id
        vals = {
            'name': _('Return of lot %s') % self.name,
            'picking_id': picking.id,
            'product_id': product.id,
            'product_uom': product.uom_id.id,
            'product_uom_qty': quantity,
            'location_id': location.id,
            'location_dest_id': destination.id,
            'partner_id': self.supplier_id.id,
            'picking_type_id': picking.picking_type_id.id,
            'warehouse_id': picking.picking_type_id.warehouse_id.id,
        }
        if receipt_move:
            vals.update(origin_returned_move_id=receipt_move.id,
                        purchase_line_id=receipt_move.purchase_line_id.id,
                        to_refund=True)
        return vals

    @api.model
    def _check_retest_date(self, new_life_date):
        """The new expiration date of a retest of ``self`` as a datetime, after refusing
        a malformed date, a date in the past and a date before a lot's production."""
        try:
            new_life = to_datetime(new_life_date)
        except (TypeError, ValueError):
            raise UserError(_(
                'The new expiration date "%s" is not a date: enter it as YYYY-MM-DD '
                'HH:MM:SS.') % (new_life_date,))
        if new_life < datetime.now():
            raise UserError(_(
                'The new expiration date %(date)s of lot(s) %(lots)s is in the past: a '
                'retest extends the shelf life from today on.') % {
                    'date': fields.Datetime.to_string(new_life),
                    'lots': ', '.join(self.mapped('display_name'))})
        early = self.filtered(lambda lot: lot.production_date
                              and to_datetime(lot.production_date) > new_life)
        if early:
            raise UserError(_(
                'The new expiration date %(date)s is before the production date of lot(s) '
                '%(lots)s.') % {'date': fields.Datetime.to_string(new_life),
                                'lots': ', '.join('%s (%s)' % (lot.display_name,
                                                               lot.production_date)
                                                  for lot in early)})
        return new_life

    @api.multi
    def _record_retest(self, old_life_date, new_life_date, reason):
        """Keep the retest in the lot's retest history."""
        self.ensure_one()
        return self.env['stock.lot.retest.history'].create({
            'lot_id': self.id,
            'old_life_date': old_life_date or False,
            'new_life_date': new_life_date,
            'reason': reason,
        })

    # Daily expiry check ------------------------------------------------------------------
    @api.model_cr
    def init(self):
        """Indexes of the daily expiry check: partial indexes holding only the lots
        whose state or activity may be due (one per branch of
        :meth:`_refresh_expiry_states` and per kind of activity), so that a run reads
        the lots that change rather than all lots; and ``stock_quant.lot_id``, which
        Odoo 11 does not index, for the "in stock" test (named as ``index=True``
        would name it)."""
        result = super(StockProductionLot, self).init()
        indexes = [
            ('slt_lot_expiry_to_expire', 'life_date',
             "expiry_state IS DISTINCT FROM 'expired'"),
            ('slt_lot_expiry_to_warn', 'alert_date',
             "expiry_state IS DISTINCT FROM 'warning' "
             "AND expiry_state IS DISTINCT FROM 'expired'"),
            ('slt_lot_expiry_expired', 'life_date', "expiry_state = 'expired'"),
            ('slt_lot_expiry_warning', 'alert_date', "expiry_state = 'warning'"),
            ('slt_lot_expiry_to_none', 'id',
             "life_date IS NULL AND expiry_state IS DISTINCT FROM 'none'"),
            ('slt_lot_expiry_from_none', 'id',
             "life_date IS NOT NULL AND expiry_state = 'none'"),
            ('slt_lot_expiry_warning_activity', 'id',
             "expiry_state = 'warning' "
             "AND expiry_activity_date IS DISTINCT FROM alert_date"),
            ('slt_lot_expiry_expired_activity', 'id',
             "expiry_state = 'expired' "
             "AND expired_activity_date IS DISTINCT FROM life_date"),
        ]
        for name, column, predicate in indexes:
            self.env.cr.execute(sql.SQL(
                'CREATE INDEX IF NOT EXISTS {} ON stock_production_lot ({}) WHERE {}'
            ).format(sql.Identifier(name), sql.Identifier(column), sql.SQL(predicate)))
        self.env.cr.execute('CREATE INDEX IF NOT EXISTS stock_quant_lot_id_index '
                            'ON stock_quant (lot_id)')
        return result

    @api.model
    def _cron_check_expiry(self):
        """Daily: refresh the expiry state of the lots whose state changed with time,
        schedule an activity for each lot in stock that entered its warning period and
        another for each expired lot still in stock, and move expired stock to
        quarantine where the warehouse asks for it. Lots of products that do not use
        expiration dates are left alone. Each step runs in a savepoint of its own (and
        each warehouse's quarantine too): a failure is logged and the other steps keep
        their work. Running it again the same day changes nothing."""
        lots = self._run_expiry_step(_('refresh of the expiry states'),
                                     self._refresh_expiry_states)
        self._run_expiry_step(_('activities of lots expiring soon'),
                              self._schedule_expiry_activities)
        self._run_expiry_step(_('activities of expired lots'),
                              self._schedule_expired_activities)
        self.env['stock.warehouse'].search(
            [('quarantine_expired', '=', True)])._cron_quarantine_expired_stock()
        return lots if lots is not None else self.browse()

    @api.model
    def _run_expiry_step(self, what, step):
        """Run ``step`` in a savepoint; on failure, log it, roll the step back and
        return None."""
        try:
            with self.env.cr.savepoint():
                return step()
        except Exception:  # pylint: disable=broad-except
            _logger.exception('Daily expiry check: the %s failed', what)
            self.env.clear()
            return None

    @api.model
    def _refresh_expiry_states(self):
        """Recompute, in one statement, the expiry state of the lots whose state changed
        with time (the same rule as :meth:`_get_expiry_state`).

        Each branch of the candidates reads one partial index of :meth:`init`, so the
        lots that keep their state are not read: the run takes time in proportion to
        the lots that change, not to all lots.
        """
        self.env.cr.execute("""
            WITH candidate AS (
                SELECT id FROM stock_production_lot
                 WHERE life_date <= %(now)s AND expiry_state IS DISTINCT FROM 'expired'
                UNION
                SELECT id FROM stock_production_lot
                 WHERE alert_date <= %(now)s AND expiry_state IS DISTINCT FROM 'warning'
                   AND expiry_state IS DISTINCT FROM 'expired'
                UNION
                SELECT id FROM stock_production_lot
                 WHERE life_date > %(now)s AND expiry_state = 'expired'
                UNION
                SELECT id FROM stock_production_lot
                 WHERE alert_date > %(now)s AND expiry_state = 'warning'
                UNION
                SELECT id FROM stock_production_lot
                 WHERE expiry_state = 'warning' AND alert_date IS NULL
                UNION
                SELECT id FROM stock_production_lot
                 WHERE life_date IS NULL AND expiry_state IS DISTINCT FROM 'none'
                UNION
                SELECT id FROM stock_production_lot
                 WHERE life_date IS NOT NULL AND expiry_state = 'none'
            ), state AS (
                SELECT lot.id, CASE WHEN lot.life_date IS NULL THEN 'none'
                                    WHEN lot.life_date <= %(now)s THEN 'expired'
                                    WHEN lot.alert_date <= %(now)s THEN 'warning'
                                    ELSE 'ok' END AS value
                  FROM candidate JOIN stock_production_lot lot ON lot.id = candidate.id
            )
            UPDATE stock_production_lot lot
               SET expiry_state = state.value
              FROM state
             WHERE lot.id = state.id AND lot.expiry_state IS DISTINCT FROM state.value
         RETURNING lot.id
        """, {'now': fields.Datetime.now()})
        lots = self.browse([row[0] for row in self.env.cr.fetchall()])
        if lots:
            lots.invalidate_cache(['expiry_state'], lots.ids)
        return lots

    @api.model
    def _schedule_expiry_activities(self):
        """One activity for each lot in internal stock that is in its warning period and
        has none for this period yet, assigned to the product's responsible and due on
        the expiration date."""
        return self._create_expiry_activities(
            'stock_lot_tracking.mail_activity_type_lot_expiry', 'expiry_activity_date',
            'alert_date', _('Lot %(lot)s of %(product)s expires on %(date)s'), """
                lot.expiry_state = 'warning'
                AND lot.expiry_activity_date IS DISTINCT FROM lot.alert_date
                AND lot.alert_date <= %(now)s AND lot.life_date > %(now)s""")

    @api.model
    def _schedule_expired_activities(self):
        """One "Lot Expired — decide" activity for each expired lot in internal stock
        that has none for its expiration date yet, due today."""
        return self._create_expiry_activities(
            'stock_lot_tracking.mail_activity_type_lot_expired', 'expired_activity_date',
            'life_date', _('Lot %(lot)s of %(product)s expired on %(date)s: quarantine, '
                           'dispose of, return or retest it'), """
                lot.expiry_state = 'expired'
                AND lot.expired_activity_date IS DISTINCT FROM lot.life_date
                AND lot.life_date <= %(now)s""",
            due_today=True)

    @api.model
    def _create_expiry_activities(self, type_xmlid, marker, marked_date, summary, condition,
                                  due_today=False):
        """Create, set-based, the activities of type ``type_xmlid`` for the lots of
        products using expiration dates that are in internal stock and meet
        ``condition`` (an SQL condition on ``lot`` with a ``%(now)s`` parameter), then
        set the lots' ``marker`` to their ``marked_date`` so that no second activity is
        made. The responsible of the product is assigned and follows the lot; the due
        date is the expiration date in the responsible's time zone (or today).

        A constant number of queries whatever the number of lots.

        :return: the lots given an activity
        """
        activity_type = self.env.ref(type_xmlid)
        __, __, external = self.env['mail.message.subtype'].default_subtypes(self._name)
        subtypes, __, __ = self.env['mail.message.subtype'].default_subtypes(self._name)
        # the translated summary as a format() string of PostgreSQL
        template = summary.replace('%(lot)s', '%1$s').replace(
            '%(product)s', '%2$s').replace('%(date)s', '%3$s')
        now = fields.Datetime.now()
        query = sql.SQL("""
            WITH target AS (
                SELECT lot.id, lot.name, lot.{marked_date} AS marked_date,
                       COALESCE(template.responsible_id, %(uid)s) AS user_id,
                       (lot.life_date AT TIME ZONE 'UTC'
                            AT TIME ZONE COALESCE(partner.tz, 'UTC'))::date AS life_day,
                       CASE WHEN product.default_code IS NULL THEN template.name
                            ELSE '[' || product.default_code || '] ' || template.name
                       END AS product_name
                  FROM stock_production_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN res_users users
                    ON users.id = COALESCE(template.responsible_id, %(uid)s)
                  JOIN res_partner partner ON partner.id = users.partner_id
                 WHERE template.use_expiration_date AND ({condition})
                   AND EXISTS (SELECT 1 FROM stock_quant quant
                                 JOIN stock_location location
                                   ON location.id = quant.location_id
                                WHERE quant.lot_id = lot.id AND quant.quantity > 0
                                  AND location.usage = 'internal')
            ), activity AS (
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                    date_deadline, user_id, create_uid, write_uid, create_date, write_date)
                SELECT %(model_id)s, %(model)s, target.id, target.name, %(type_id)s,
                       format(%(template)s, target.name, target.product_name,
                              to_char(target.life_day, 'YYYY-MM-DD')),
                       CASE WHEN %(due_today)s THEN %(today)s::date
                            ELSE target.life_day END,
                       target.user_id, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM target
             RETURNING res_id, user_id
            ), follower AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT DISTINCT %(model)s, activity.res_id, users.partner_id
                  FROM activity JOIN res_users users ON users.id = activity.user_id
                ON CONFLICT DO NOTHING
             RETURNING id, partner_id
            ), follower_subtype AS (
                INSERT INTO mail_followers_mail_message_subtype_rel (
                    mail_followers_id, mail_message_subtype_id)
                SELECT follower.id, subtype.id
                  FROM follower
                  JOIN res_users users ON users.partner_id = follower.partner_id
                  JOIN LATERAL unnest(CASE WHEN users.share THEN %(external)s::int[]
                                           ELSE %(subtypes)s::int[] END) subtype(id)
                    ON TRUE
            )
            UPDATE stock_production_lot lot SET {marker} = target.marked_date
              FROM target WHERE target.id = lot.id
         RETURNING lot.id, target.user_id
        """).format(marked_date=sql.Identifier(marked_date), marker=sql.Identifier(marker),
                    condition=sql.SQL(condition))
        self.env.cr.execute(query, {
            'uid': self.env.uid, 'now': now, 'today': fields.Date.context_today(self),
            'model_id': self.env['ir.model']._get(self._name).id, 'model': self._name,
            'type_id': activity_type.id, 'template': template, 'due_today': due_today,
            'subtypes': subtypes.ids, 'external': external.ids,
        })
        rows = self.env.cr.fetchall()
        lots = self.browse([row[0] for row in rows])
        if lots:
            lots.invalidate_cache(ids=lots.ids)
            self.env['mail.activity'].invalidate_cache()
            self.env['mail.followers'].invalidate_cache()
        if due_today:
            # as mail.activity.create does for an activity due today: the responsibles'
            # activity counters refresh (one message per responsible)
            users = self.env['res.users'].browse({row[1] for row in rows})
            for partner in users.mapped('partner_id'):
                self.env['bus.bus'].sendone(
                    (self.env.cr.dbname, 'res.partner', partner.id),
                    {'type': 'activity_updated', 'activity_created': True})
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
        """The rows of the FDA FSMA 204 sortable spreadsheet of the lots, in the order
        of the events: for each Critical Tracking Event (receiving, shipping,
        transformation; customer returns are receiving, vendor returns shipping) one row
        per lot, a transformation one per lot used and lot produced
        (:meth:`_prepare_fsma204_rows`). A row is keyed by :data:`..lib.fsma204.EVENT`
        (its tab) and the column headers of its tab (``fsma204.TAB_COLUMNS``); dates are
        ISO 8601 text in UTC. Internal transfers, inventory and scrap are no CTE and have
        no row. Same events and dates as :meth:`get_epcis_document`, in a number of
        queries that does not depend on the length of the history."""
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
    def _get_exchange_partner(self, event, context):
        """The partner (address) of an object event's transfer, or False."""
        partner_id = event['rows'][0]['partner_id']
        return partner_id and context['partners'][partner_id]

    @api.model
    def _get_exchange_parties(self, event, context):
        """(source partner, destination partner) of an object event, or Falses: the
        commercial partner of the transfer and the company."""
        partner = self._get_exchange_partner(event, context)
        partner = partner and partner.commercial_partner_id
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
    def _get_fsma204_location(self, partner):
        """The parts of the location description (21 CFR 1.1310) of a party's address,
        in the order of :data:`..lib.fsma204.LOCATION_PARTS`: the business name (the
        commercial partner's), the phone number (the address's, else the business'),
        the street lines, city, state, ZIP code and country; empty texts for what the
        address does not have. The country is given for every location, domestic or
        foreign, so that the column sorts."""
        if not partner:
            return ('',) * len(fsma204.LOCATION_PARTS)
        business = partner.commercial_partner_id
        return (business.name or partner.name or '',
                partner.phone or partner.mobile or business.phone or '',
                ', '.join(street for street in (partner.street, partner.street2) if street),
                partner.city or '', partner.state_id.name or '', partner.zip or '',
                partner.country_id.name or '')

    @api.model
    def _get_fsma204_site(self, location, context):
        """(address, lot code source reference) of one of our locations: the address of
        its warehouse, else the company's; its GLN (the location's, the warehouse's,
        else the company's) as reference, or ''."""
        warehouse = context['warehouses'][location.id]
        company = context['company']
        gln = location.gln or warehouse.gln or company.gln
        return (warehouse.partner_id or company.partner_id,
                'GLN %s' % gln if gln else '')

    @api.model
    def _prepare_fsma204_rows(self, event, context):
        """The spreadsheet rows of an exchange event (none for internal ones), keyed by
        the columns of its tab:

        - receiving (receipts, customer returns): one row per lot; the immediate
          previous source is the transfer's partner (the vendor's, the customer's
          address), the receiving location our warehouse's address;
        - shipping (deliveries, vendor returns): one row per lot; the immediate
          subsequent recipient is the transfer's partner (the customer's delivery
          address), the location shipped from our warehouse's address;
        - transformation: one row per lot of food used and lot produced, with the
          quantity used of that lot in the whole transformation (when it made several
          lots, each produced lot repeats all the lots used); a lot produced without
          traced inputs has one row, its input columns empty, a transformation
          without a traced lot produced none; the lot code source is where the food
          was transformed.

        The lot code source of a received or shipped lot is the lot's supplier, else us
        (lots we made); our sites' reference is their GLN. The reference document is the
        event's first (:meth:`_get_exchange_documents`)."""
        kind = event['kind']
        cte = FSMA204_EVENTS.get(kind)
        if not cte:
            return []
        location = self._get_exchange_location(event, context)[0]
        site, site_reference = self._get_fsma204_site(location, context)
        here = self._get_fsma204_location(site)
        documents = self._get_exchange_documents(event)
        document_type, number = documents[0] if documents else ('', '')
        date = event['date'].strftime(fsma204.ISO_FORMAT)
        common = {
            fsma204.EVENT: cte,
            fsma204.DOCUMENT_TYPE: FSMA204_DOCUMENT_TYPES.get(document_type, ''),
            fsma204.DOCUMENT_NUMBER: number,
        }
        if kind == 'transformation':
            common.update(fsma204.location_cells(fsma204.LOT_CODE_SOURCE, here))
            common.update({fsma204.LOT_CODE_SOURCE_REFERENCE: site_reference,
                           fsma204.DATE_TRANSFORMED: date})
            inputs = [self._prepare_fsma204_input(row, context)
                      for row in event['inputs']] or [{}]
            result = []
            for row in event['outputs']:
                values = dict(common, **self._prepare_fsma204_lot(
                    row, context, fsma204.NEW_LOT_CODE))
                result.extend(dict(values, **input_values) for input_values in inputs)
            return result
        partner = self._get_exchange_partner(event, context)
        if cte == fsma204.RECEIVING:
            common.update(fsma204.location_cells(
                fsma204.PREVIOUS_SOURCE, self._get_fsma204_location(partner)))
            common.update(fsma204.location_cells(fsma204.RECEIVED_AT, here))
            common[fsma204.DATE_RECEIVED] = date
        else:
            common.update(fsma204.location_cells(
                fsma204.SUBSEQUENT_RECIPIENT, self._get_fsma204_location(partner)))
            common.update(fsma204.location_cells(fsma204.SHIPPED_FROM, here))
            common[fsma204.DATE_SHIPPED] = date
        result = []
        for row in event['rows']:
            values = dict(common, **self._prepare_fsma204_lot(row, context, fsma204.LOT_CODE))
            supplier = context['lots'][row['lot_id']].supplier_id
            values.update(fsma204.location_cells(
                fsma204.LOT_CODE_SOURCE,
                self._get_fsma204_location(supplier) if supplier else here))
            values[fsma204.LOT_CODE_SOURCE_REFERENCE] = '' if supplier else site_reference
            result.append(values)
        return result

    @api.model
    def _prepare_fsma204_lot(self, row, context, lot_column):
        """The lot code, product description, quantity and unit of measure of a lot
        received, shipped or produced."""
        return {
            lot_column: row['lot_name'],
            fsma204.PRODUCT: context['products'][row['product_id']].display_name,
            fsma204.QUANTITY: row['quantity'],
            fsma204.UNIT: context['uoms'][row['product_uom_id']].name,
        }

    @api.model
    def _prepare_fsma204_input(self, row, context):
        """The columns of a lot of food used in a transformation: lot code, product
        description, quantity and unit used (empty for the components of a repacked
        lot, whose quantity is not recorded)."""
        uom = row['product_uom_id'] and context['uoms'][row['product_uom_id']]
        return {
            fsma204.INPUT_LOT_CODE: row['lot_name'],
            fsma204.INPUT_PRODUCT: context['products'][row['product_id']].display_name,
            fsma204.INPUT_QUANTITY: row['quantity'],
            fsma204.INPUT_UNIT: uom.name if uom else '',
        }

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
