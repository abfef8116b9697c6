# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import html_escape


class StockLotQualityDataMixin(models.AbstractModel):
    """Quality data recorded on a lot (values, certificates): once the lot is received,
    only the Lot Quality group creates, changes or removes it, and every change is
    posted in the lot's chatter.

    A model using it has a ``lot_id`` field and implements :meth:`_get_log_text` and
    :meth:`_get_log_title`.
    """
    _name = 'stock.lot.quality.data.mixin'
    _description = 'Quality data of a lot'
    # fields whose change is posted even when the text of the record stays the same
    _lot_log_fields = ('lot_id',)

    @api.model
    def create(self, vals):
        self.env['stock.production.lot'].browse(vals.get('lot_id'))._check_quality_edit_allowed()
        record = super(StockLotQualityDataMixin, self).create(vals)
        record._log_on_lot(record._get_log_title('create'))
        return record

    @api.multi
    def write(self, vals):
        lots = self.mapped('lot_id')
        if 'lot_id' in vals:
            lots |= self.env['stock.production.lot'].browse(vals['lot_id'])
        lots._check_quality_edit_allowed()
        old_texts = dict((record.id, record._get_log_text()) for record in self)
        res = super(StockLotQualityDataMixin, self).write(vals)
        forced = any(name in vals for name in self._lot_log_fields)
        for record in self:
            if forced or record._get_log_text() != old_texts[record.id]:
                record._log_on_lot(record._get_log_title('write'), old_texts[record.id])
        return res

    @api.multi
    def unlink(self):
        self.mapped('lot_id')._check_quality_edit_allowed()
        for record in self:
            record._log_on_lot(record._get_log_title('unlink'))
        return super(StockLotQualityDataMixin, self).unlink()

    @api.multi
    def _get_log_text(self):
        """What the chatter of the lot says about this record."""
        raise NotImplementedError()

    @api.model
    def _get_log_title(self, operation):
        """Title of the chatter message for ``operation`` (create, write, unlink)."""
        raise NotImplementedError()

    @api.multi
    def _log_on_lot(self, title, old_text=None):
        """Post the record in the chatter of its lot, with its former text if it
        changed (skipped with tracking_disable, as for mass imports)."""
        if self.env.context.get('tracking_disable'):
            return
        for record in self:
            text = record._get_log_text()
            if old_text is not None and old_text != text:
                text = _('%s (was %s)') % (text, old_text)
            record.lot_id.message_post(
                body='%s: %s' % (html_escape(title), html_escape(text)))
