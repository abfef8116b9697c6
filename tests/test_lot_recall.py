# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import json
from datetime import datetime

import openpyxl
import psycopg2
import xlrd

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .trace_common import TraceCase


@at_install(False)
@post_install(True)
class TestLotRecall(TraceCase):
    """stock.lot.recall: trace, lists, block and unreserve, notification, mock recall."""

    def setUp(self):
        super(TestLotRecall, self).setUp()
        # purchase -> receipt of two lots of one supplier lot code -> internal transfer
        # -> sale, delivery, invoice, customer return -> another customer's sale of the
        # second lot -> an open (reserved) delivery
        self.order = self._purchase([(self.product, 30)])
        lots = self._receive(self.order, [('RECALL-1', 20), ('RECALL-2', 10)])
        self.lot1 = lots.filtered(lambda lot: lot.name == 'RECALL-1')
        self.lot2 = lots - self.lot1
        lots.write({'supplier_lot_code': 'SUP-77'})
        self.other_lot = self._create_lot('KEEP-1', supplier_id=self.supplier.id,
                                          supplier_lot_code='SUP-78')
        self._transfer(self.lot1, 5, self.stock_location, self.shelf)
        self.sale_a = self._sell([(self.product, 8)])
        self.delivery_a = self._process(self.sale_a.picking_ids,
                                        [(self.product, self.lot1, 8)])
        self.invoice_a = self._invoice(self.sale_a)
        self.return_a = self._return(self.delivery_a, self.lot1, 2)
        self.sale_b = self._sell([(self.product, 3)], partner=self.customer_b)
        self.delivery_b = self._process(self.sale_b.picking_ids,
                                        [(self.product, self.lot2, 3)])
        self.sale_c = self._sell([(self.product, 4)], partner=self.customer_b)
        self.open_delivery = self.sale_c.picking_ids
        self.open_delivery.action_assign()
        self.assertEqual(self.open_delivery.state, 'assigned')

    def _recall(self, lots=None, user=None, **vals):
        vals.setdefault('reason', 'Supplier notice 2026-014: possible contamination')
        if lots is not None:
            vals['lot_ids'] = [(6, 0, lots.ids)]
        recall_model = self.env['stock.lot.recall']
        if user:
            recall_model = recall_model.sudo(user)
        return recall_model.create(vals)

    def _traced(self, mode='recall', user=None):
        recall = self._recall(self.lot1 | self.lot2, user=user, mode=mode)
        recall.action_compute()
        return recall

    def _quants(self):
        quants = self.env['stock.quant'].search([('product_id', '=', self.product.id)])
        return sorted(quants.mapped(lambda quant: (
            quant.id, quant.location_id.id, quant.lot_id.id, quant.quantity,
            quant.reserved_quantity)))

    def test_name_from_sequence(self):
        """A new recall is numbered RECALL/<year>/<number>."""
        recall = self._recall(self.lot1)
        self.assertRegex(recall.name, r'^RECALL/%s/\d{4}$' % datetime.now().year)
        self.assertEqual(recall.state, 'draft')

    def test_context_defaults_do_not_fill_the_results(self):
        """Defaults in the context do not give a new recall a state or results."""
        recall = self.env['stock.lot.recall'].sudo(self.clerk).with_context(
            default_state='closed', default_trace_seconds=1.0,
            default_user_id=self.lot_manager.id).create({
                'reason': 'Test', 'lot_ids': [(6, 0, self.lot1.ids)]})
        self.assertEqual((recall.state, recall.trace_seconds, recall.user_id),
                         ('draft', 0.0, self.env['res.users']))

    def test_lots_from_context_of_the_lot_action(self):
        """The lots given by the Recall action's context become the recall's lots."""
        recall = self.env['stock.lot.recall'].with_context(
            default_lot_ids=[(6, 0, (self.lot1 | self.lot2).ids)]).create({'reason': 'Test'})
        self.assertEqual(recall.lot_ids, self.lot1 | self.lot2)
        action = self.env.ref('stock_lot_tracking.stock_lot_recall_action_from_lots')
        self.assertEqual(action.binding_model_id.model, 'stock.production.lot')
        self.assertIn('default_lot_ids', action.context)

    def test_customers_net_of_returns_with_invoices(self):
        """Customers: quantity net of returns, deliveries, orders, invoice numbers, email."""
        recall = self._traced()
        self.assertEqual(recall.state, 'open')
        lines = recall.customer_line_ids
        self.assertEqual([(line.partner_id, line.lot_id, line.quantity) for line in lines],
                         [(self.customer_b, self.lot2, 3.0), (self.customer, self.lot1, 6.0)])
        line_a = lines.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual(line_a.picking_ids, self.delivery_a | self.return_a)
        self.assertEqual(line_a.sale_order_ids, self.sale_a)
        self.assertEqual(line_a.sale_order_names, self.sale_a.name)
        self.assertEqual(line_a.invoice_ids, self.invoice_a)
        self.assertTrue(self.invoice_a.number)
        self.assertEqual(line_a.invoice_numbers, self.invoice_a.number)
        self.assertEqual(line_a.email, 'test.customer@example.com')
        self.assertEqual(recall.customer_count, 2)

    def test_customer_of_a_contact_is_its_company(self):
        """A delivery to a contact of a company lists the company."""
        contact = self.env['res.partner'].create({
            'name': 'Buyer', 'parent_id': self.customer_b.id, 'type': 'delivery'})
        sale = self._sell([(self.product, 1)], partner=contact)
        self._process(sale.picking_ids, [(self.product, self.lot2, 1)])
        recall = self._traced()
        line_b = recall.customer_line_ids.filtered(lambda line: line.lot_id == self.lot2)
        self.assertEqual((line_b.partner_id, line_b.quantity), (self.customer_b, 4.0))

    def test_customer_who_returned_everything_is_left_out(self):
        """A customer who returned all it received holds nothing and is not listed."""
        self._return(self.delivery_b, self.lot2, 3)
        recall = self._traced()
        self.assertEqual(recall.customer_line_ids.mapped('partner_id'), self.customer)

    def test_stock_on_hand_by_location_and_lot(self):
        """Stock: internal quantity and reservation of each affected lot per location."""
        recall = self._traced()
        stock = {(line.location_id, line.lot_id): (line.quantity, line.reserved_quantity)
                 for line in recall.stock_line_ids}
        self.assertEqual(set(stock), {(self.stock_location, self.lot1),
                                      (self.shelf, self.lot1),
                                      (self.stock_location, self.lot2)})
        self.assertEqual(stock[self.stock_location, self.lot1][0], 9.0)
        self.assertEqual(stock[self.shelf, self.lot1][0], 5.0)
        self.assertEqual(stock[self.stock_location, self.lot2][0], 7.0)
        self.assertEqual(sum(reserved for __, reserved in stock.values()), 4.0)

    def test_open_deliveries(self):
        """Open deliveries: the reserved, not done, move lines of the affected lots."""
        recall = self._traced()
        self.assertEqual(recall.open_move_line_ids, self.open_delivery.move_line_ids)
        self.assertEqual(sum(recall.open_move_line_ids.mapped('product_qty')), 4.0)
        self.assertEqual(recall.open_picking_ids, self.open_delivery)

    def test_audit_who_when_how_long(self):
        """Tracing records who started the recall, when, and how long the trace took."""
        recall = self._traced(user=self.clerk)
        self.assertEqual(recall.user_id, self.clerk)
        self.assertDatetimeAlmostEqual(recall.date_start, fields.Datetime.now())
        self.assertGreater(recall.trace_seconds, 0.0)
        self.assertLess(recall.trace_seconds, 10.0)
        self.assertIn('traced by Clerk', recall.message_ids[0].body)

    def test_affected_lots_get_a_history_entry_once(self):
        """Each affected lot's chatter gets one entry naming the recall, not one per trace."""
        recall = self._traced()
        recall.action_compute()
        for lot in self.lot1 | self.lot2:
            entries = lot.message_ids.filtered(lambda message: recall.name in message.body)
            self.assertEqual(len(entries), 1)
            self.assertIn('possible contamination', entries.body)

    def test_recall_through_production(self):
        """A recalled ingredient recalls the finished lot made of it and its customers."""
        biscuits = self.env['product.product'].create({
            'name': 'Biscuits', 'type': 'product', 'tracking': 'lot',
            'invoice_policy': 'delivery'})
        finished = self._produce([(self.lot1, 3)], biscuits, 'FIN-1', 6)[0]
        customer_c = self.env['res.partner'].create({'name': 'Third Customer'})
        sale = self._sell([(biscuits, 4)], partner=customer_c)
        self._process(sale.picking_ids, [(biscuits, finished, 4)])
        recall = self._recall(self.lot1)
        recall.action_compute()
        self.assertEqual(recall.affected_lot_ids, self.lot1 | finished)
        line_c = recall.customer_line_ids.filtered(lambda line: line.partner_id == customer_c)
        self.assertEqual((line_c.lot_id, line_c.quantity, line_c.sale_order_ids),
                         (finished, 4.0, sale))
        stock = recall.stock_line_ids.filtered(lambda line: line.lot_id == finished)
        self.assertEqual(stock.quantity, 2.0)
        self.assertNotIn(self.lot2, recall.affected_lot_ids)

    def test_supplier_lot_code(self):
        """A supplier and its lot code name every lot received under that code."""
        contact = self.env['res.partner'].create({
            'name': 'Quality Desk', 'parent_id': self.supplier.id})
        recall = self._recall(supplier_id=contact.id, supplier_lot_code=' SUP-77 ')
        recall.action_compute()
        self.assertEqual(recall.lot_ids, self.lot1 | self.lot2)
        self.assertNotIn(self.other_lot, recall.affected_lot_ids)
        self.assertEqual(len(recall.customer_line_ids), 2)

    def test_unknown_supplier_lot_code_refused(self):
        """A supplier lot code no lot carries is refused, naming supplier and code."""
        recall = self._recall(supplier_id=self.supplier.id, supplier_lot_code='SUP-00')
        with self.assertRaisesRegex(UserError, 'Test Supplier.*SUP-00'):
            recall.action_compute()
        self.assertEqual(recall.state, 'draft')

    def test_supplier_without_code_refused(self):
        """A supplier without a supplier lot code (or the reverse) is refused."""
        recall = self._recall(supplier_id=self.supplier.id)
        with self.assertRaisesRegex(UserError, 'both the supplier and the supplier lot'):
            recall.action_compute()

    def test_no_lot_refused(self):
        """A recall without lots or supplier lot code cannot be traced."""
        recall = self._recall()
        with self.assertRaisesRegex(UserError, 'Name the lots'):
            recall.action_compute()

    def test_reason_required(self):
        """The reason is required, and cannot be blank."""
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint(), \
                mute_logger('odoo.sql_db'):
            self.env['stock.lot.recall'].create({'lot_ids': [(6, 0, self.lot1.ids)]})
        with self.assertRaisesRegex(ValidationError, 'reason'):
            self._recall(self.lot1, reason='   ')

    def test_block_blocks_lots_and_unreserves_open_deliveries(self):
        """Block: every affected lot blocked with the recall as reason, open deliveries
        without reservation of them."""
        recall = self._traced()
        recall.sudo(self.lot_manager).action_block()
        for lot in self.lot1 | self.lot2:
            self.assertTrue(lot.blocked)
            self.assertIn(recall.name, lot.block_reason)
            self.assertIn('possible contamination', lot.block_reason)
        self.assertFalse(self.open_delivery.move_line_ids)
        self.assertEqual(self.open_delivery.state, 'confirmed')
        quants = self.env['stock.quant'].search([('lot_id', 'in', (self.lot1 | self.lot2).ids)])
        self.assertFalse(any(quants.mapped('reserved_quantity')))
        self.assertFalse(recall.open_move_line_ids)
        self.assertEqual(recall.block_user_id, self.lot_manager)
        self.assertIn(recall.name, self.open_delivery.message_ids[0].body)

    def test_blocked_lots_are_not_reserved_again(self):
        """Once blocked through the recall, checking availability does not take them."""
        recall = self._traced()
        recall.sudo(self.lot_manager).action_block()
        self.open_delivery.action_assign()
        self.assertFalse(self.open_delivery.move_line_ids.filtered(
            lambda line: line.lot_id in recall.affected_lot_ids))

    def test_clerk_cannot_block_through_a_recall(self):
        """A plain stock user blocking through a recall gets AccessError; nothing written."""
        recall = self._traced()
        reserved = self.open_delivery.move_line_ids
        with self.assertRaisesRegex(AccessError, 'Lot Managers'):
            recall.sudo(self.clerk).action_block()
        self.assertFalse(any((self.lot1 | self.lot2).mapped('blocked')))
        self.assertEqual(self.open_delivery.move_line_ids, reserved)
        self.assertFalse(recall.date_block)

    def test_block_checks_everything_first(self):
        """A lot the lot manager may not change stops the whole block: nothing written."""
        recall = self._traced()
        self.env['ir.rule'].create({
            'name': 'Lot managers may not change RECALL-2',
            'model_id': self.env.ref('stock.model_stock_production_lot').id,
            'groups': [(6, 0, self.env.ref('stock_lot_tracking.group_lot_manager').ids)],
            'domain_force': "[('id', '!=', %d)]" % self.lot2.id,
            'perm_read': False, 'perm_create': False, 'perm_unlink': False})
        reserved = self.open_delivery.move_line_ids
        with self.assertRaises(AccessError):
            recall.sudo(self.lot_manager).action_block()
        self.assertFalse(any((self.lot1 | self.lot2).mapped('blocked')))
        self.assertEqual(self.open_delivery.move_line_ids, reserved)
        self.assertFalse(recall.date_block)

    def test_stock_user_opens_a_traced_recall(self):
        """A stock user without sales or invoicing rights reads every field of the form."""
        recall = self._traced().sudo(self.clerk)
        view = recall.fields_view_get(view_type='form')
        for subview in view['fields']['customer_line_ids']['views'].values():
            self.assertFalse({'sale_order_ids', 'invoice_ids'} & set(subview['fields']))
        self._read_like_the_form(recall, view['fields'])

    def _read_like_the_form(self, records, fields_):
        """Read ``fields_`` of ``records`` and the names of the records they link, and
        the same for the fields of their inline lists, as the web client does."""
        for name, values in zip(fields_, zip(*[
                [record[name] for name in fields_] for record in records])):
            field = fields_[name]
            if field['type'] in ('many2one', 'one2many', 'many2many'):
                linked = self.env[field['relation']].sudo(self.clerk).browse(
                    [record_id for value in values for record_id in value.ids])
                linked.name_get()
                for subview in field.get('views', {}).values():
                    self._read_like_the_form(linked, subview['fields'])

    def test_clerk_traces_but_cannot_tamper(self):
        """A stock user starts and traces a recall but cannot write its results."""
        recall = self._traced(user=self.clerk)
        self.assertEqual(recall.state, 'open')
        with self.assertRaises(AccessError):
            recall.write({'state': 'closed'})
        with self.assertRaises(AccessError):
            recall.write({'customer_line_ids': [(5, 0, 0)]})
        with self.assertRaises(AccessError):
            self._recall(self.lot1, user=self.clerk, state='open')
        with self.assertRaises(AccessError):
            recall.customer_line_ids[0].write({'quantity': 0.0})
        with self.assertRaises(AccessError):
            recall.sudo(self.clerk).action_close()

    def test_traced_recall_keeps_its_inputs(self):
        """Once traced, the lots, reason and mode stay; the recall cannot be deleted."""
        recall = self._traced()
        with self.assertRaisesRegex(UserError, 'already traced'):
            recall.sudo(self.lot_manager).write({'lot_ids': [(6, 0, self.lot1.ids)]})
        with self.assertRaisesRegex(UserError, 'already traced'):
            recall.sudo(self.lot_manager).write({'mode': 'mock'})
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            recall.sudo(self.lot_manager).unlink()

    def test_mock_recall_changes_no_stock(self):
        """A mock recall traces and is audited like a recall, and changes no stock."""
        before = self._quants()
        recall = self._traced(mode='mock')
        self.assertEqual(len(recall.customer_line_ids), 2)
        self.assertTrue(recall.user_id and recall.date_start)
        self.assertTrue(self.lot1.message_ids.filtered(
            lambda message: recall.name in message.body and 'Mock' in message.body))
        with self.assertRaisesRegex(UserError, 'mock recall'):
            recall.sudo(self.lot_manager).action_block()
        with self.assertRaisesRegex(UserError, 'mock recall'):
            recall.sudo(self.lot_manager).action_notify_customers()
        recall.sudo(self.lot_manager).action_close()
        self.assertEqual(self._quants(), before)
        self.assertFalse(any((self.lot1 | self.lot2).mapped('blocked')))
        self.assertEqual(self.open_delivery.state, 'assigned')

    def _send_notification(self, recall):
        action = recall.sudo(self.lot_manager).action_notify_customers()
        self.assertEqual(action['res_model'], 'mail.compose.message')
        composer = self.env['mail.compose.message'].sudo(self.lot_manager).with_context(
            **action['context']).create({})
        self.assertEqual(composer.composition_mode, 'mass_mail')
        composer.onchange_template_id_wrapper()
        composer.send_mail()

    def test_notification_lists_each_customer_its_own_lots(self):
        """Notify: one mail message per customer, listing that customer's lots only."""
        recall = self._traced()
        self._send_notification(recall)
        messages = recall.notification_ids
        self.assertEqual(len(messages), 2)
        lines = recall.customer_line_ids
        to_a = messages.filtered(lambda message: lines.browse(message.res_id).partner_id
                                 == self.customer)
        to_b = messages.filtered(lambda message: lines.browse(message.res_id).partner_id
                                 == self.customer_b)
        self.assertEqual(len(to_a), 1)
        self.assertEqual(len(to_b), 1)
        self.assertTrue(all(recall.customer_line_ids.filtered(
            lambda line: line.partner_id == self.customer).mapped('date_notified')))
        self.assertIn(recall.name, to_a.subject)
        self.assertIn('RECALL-1', to_a.body)
        self.assertNotIn('RECALL-2', to_a.body)
        self.assertIn('RECALL-2', to_b.body)
        self.assertNotIn('RECALL-1', to_b.body)
        self.assertIn(self.invoice_a.number, to_a.body)
        self.assertEqual(to_a.author_id, self.lot_manager.partner_id)

    def test_notification_kept_when_traced_again(self):
        """Tracing again keeps the lines of the customers notified, and their mails."""
        recall = self._traced()
        self._send_notification(recall)
        lines = recall.customer_line_ids
        recall.action_compute()
        self.assertEqual(recall.customer_line_ids, lines)
        self.assertEqual(len(recall.notification_ids), 2)

    def test_notification_of_a_clerk_refused(self):
        """A plain stock user cannot notify the customers of a recall."""
        recall = self._traced()
        with self.assertRaises(AccessError):
            recall.sudo(self.clerk).action_notify_customers()

    def test_clerk_cannot_notify_through_the_composer(self):
        """The composer itself refuses the recall mail to a plain stock user."""
        recall = self._traced()
        context = recall.sudo(self.lot_manager).action_notify_customers()['context']
        with self.assertRaises(AccessError):
            composer = self.env['mail.compose.message'].sudo(self.clerk).with_context(
                **context).create({})
            composer.onchange_template_id_wrapper()
            composer.send_mail()
        self.assertFalse(recall.notification_ids)

    def test_export_customers_xlsx(self):
        """Export: an XLSX attachment of the customer list, downloaded by URL."""
        recall = self._traced()
        action = recall.sudo(self.clerk).action_export_customers()
        attachment = self.env['ir.attachment'].search(
            [('res_model', '=', 'stock.lot.recall'), ('res_id', '=', recall.id)])
        self.assertEqual(action['url'], '/web/content/%s?download=true' % attachment.id)
        sheet = xlrd.open_workbook(
            file_contents=base64.b64decode(attachment.datas)).sheet_by_index(0)
        rows = [sheet.row_values(row) for row in range(5, sheet.nrows)]
        self.assertEqual([(row[0], row[4], row[5]) for row in rows],
                         [('Second Customer', 'RECALL-2', 3.0),
                          ('Test Customer', 'RECALL-1', 6.0)])
        self.assertEqual(rows[1][1], 'test.customer@example.com')
        self.assertEqual(rows[1][11], self.invoice_a.number)

    def test_close_posts_a_summary(self):
        """Close: state closed, who and when, a summary in the history; no new trace."""
        recall = self._traced()
        recall.sudo(self.lot_manager).action_block()
        recall.sudo(self.lot_manager).action_close()
        self.assertEqual(recall.state, 'closed')
        self.assertEqual(recall.close_user_id, self.lot_manager)
        summary = recall.message_ids[0].body
        self.assertIn('Affected lots (2)', summary)
        self.assertIn('Customers: 2', summary)
        self.assertIn('Lots blocked by Lotmanager', summary)
        with self.assertRaisesRegex(UserError, 'closed'):
            recall.action_compute()
        with self.assertRaisesRegex(UserError, 'only an open'):
            recall.sudo(self.lot_manager).action_block()

    def test_fsma204_request_from_the_recall(self):
        """The 24-hour request: the FSMA 204 spreadsheet of the affected lots, attached
        to the recall, timed and recorded in its history."""
        recall = self._traced(user=self.clerk)
        action = recall.action_fsma204_request()
        attachment = recall.request_attachment_id
        self.assertEqual(action['url'], '/web/content/%s?download=true' % attachment.id)
        self.assertEqual((attachment.res_model, attachment.res_id),
                         ('stock.lot.recall', recall.id))
        self.assertTrue(attachment.name.endswith('.xlsx'))
        self.assertGreater(recall.request_seconds, 0.0)
        self.assertDatetimeAlmostEqual(recall.request_date, fields.Datetime.now())
        self.assertIn('FSMA 204 24-hour request answered by Clerk', recall.message_ids[0].body)
        rows = (self.lot1 | self.lot2).get_fsma204_rows()
        self.assertIn('%s rows' % len(rows), recall.message_ids[0].body)

    def test_fsma204_request_sheet_names_the_recall(self):
        """The spreadsheet's Request sheet: the recall and its reason, the affected lots,
        who answered."""
        recall = self._traced(user=self.clerk)
        recall.action_fsma204_request()
        workbook = openpyxl.load_workbook(io.BytesIO(
            base64.b64decode(recall.request_attachment_id.datas)))
        self.assertEqual(workbook.sheetnames,
                         ['Request', 'Shipping', 'Receiving', 'Transformation'])
        table = dict(workbook['Request'].iter_rows(values_only=True))
        self.assertEqual(table['Request'], 'FDA 24-hour request, Recall %s: %s' % (
            recall.name, recall.reason))
        for lot in recall.affected_lot_ids:
            self.assertIn(lot.name, table['Traceability Lot Codes Requested'])
        self.assertTrue(table['Generated By'].startswith('Clerk'))

    def test_export_epcis_from_the_recall(self):
        """The recall's Export EPCIS opens the export of its affected lots (a stock user,
        as the form's button does), and the document holds their events."""
        recall = self._traced(user=self.clerk)
        self.env.user.company_id.epcis_uri_prefix = 'https://trace.example.com/'
        action = self.env.ref('stock_lot_tracking.stock_lot_exchange_export_epcis_action')
        export = self.env['stock.lot.exchange.export'].sudo(self.clerk).with_context(
            active_model='stock.lot.recall', active_id=recall.id, active_ids=recall.ids,
            **safe_eval(action.context)).create({})
        self.assertEqual(export.lot_ids, recall.affected_lot_ids)
        self.assertEqual(export.export_format, 'epcis')
        export.action_export()
        document = json.loads(base64.b64decode(export.attachment_id.datas).decode('utf-8'))
        self.assertEqual(len(document['epcisBody']['eventList']),
                         len(recall.affected_lot_ids.get_epcis_document()[
                             'epcisBody']['eventList']))

    def test_export_epcis_of_a_draft_recall_takes_its_lots(self):
        """Before it is traced, a recall's export holds the lots it recalls."""
        recall = self._recall(self.lot1)
        export = self.env['stock.lot.exchange.export'].with_context(
            active_model='stock.lot.recall', active_ids=recall.ids).create({})
        self.assertEqual(export.lot_ids, self.lot1)

    def test_fsma204_request_needs_a_trace(self):
        """A draft recall has no affected lots yet: the request is refused."""
        recall = self._recall(self.lot1)
        with self.assertRaisesRegex(UserError, 'Trace recall'):
            recall.action_fsma204_request()

    def test_fsma204_request_results_not_by_hand(self):
        """The request's results are written by the action only."""
        recall = self._traced(user=self.clerk)
        with self.assertRaises(AccessError):
            recall.sudo(self.clerk).write({'request_seconds': 1.0})
