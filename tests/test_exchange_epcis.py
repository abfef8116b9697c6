# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
from datetime import timedelta

import pytz

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from ..lib import epcis
from .epcis_oracle import context_losses, oracle_hashes
from .exchange_common import COMPANY_GLN, GTIN, PREFIX, WAREHOUSE_GLN, ExchangeCase

LOT_URI = 'https://id.gs1.org/01/%s/10/TRACE-1' % GTIN


@at_install(False)
@post_install(True)
class TestExchangeEpcis(ExchangeCase):
    """get_epcis_document: the EPCIS 2.0 events of a lot's real flow."""

    def setUp(self):
        super(TestExchangeEpcis, self).setUp()
        self._exchange_flow()
        self.document = self.lot.get_epcis_document()
        self.events = self.document['epcisBody']['eventList']

    def _events(self, step):
        return [event for event in self.events if event['bizStep'] == step]

    def test_document_is_epcis_2(self):
        """An EPCISDocument of EPCIS 2.0 with its context, one event per operation."""
        self.assertEqual(self.document['@context'], [epcis.CONTEXT])
        self.assertEqual(self.document['type'], 'EPCISDocument')
        self.assertEqual(self.document['schemaVersion'], '2.0')
        self.assertEqual([event['bizStep'] for event in self.events], [
            'receiving', 'storing', 'commissioning', 'shipping', 'destroying'])
        json.dumps(self.document)

    def test_receipt_is_receiving(self):
        """The receipt: OBSERVE, receiving, the lot's Digital Link, supplier to company,
        the purchase order and the receipt."""
        event, = self._events('receiving')
        self.assertEqual(event['type'], 'ObjectEvent')
        self.assertEqual(event['action'], 'OBSERVE')
        self.assertEqual(event['disposition'], 'in_progress')
        self.assertEqual(event['quantityList'], [{'epcClass': LOT_URI, 'quantity': 20.0}])
        receipt = self.order.picking_ids
        self.assertEqual(sorted(event['bizTransactionList'], key=lambda t: t['type']), [
            {'bizTransaction': '%sbt/po/%s' % (PREFIX, self.order.name), 'type': 'po'},
            {'bizTransaction': '%sbt/recadv/%s' % (PREFIX, receipt.name.replace('/', '%2F')),
             'type': 'recadv'}])
        self.assertEqual(event['sourceList'], [{
            'source': '%sparty/%d' % (PREFIX, self.supplier.id), 'type': 'owning_party'}])
        self.assertEqual(event['destinationList'], [{
            'destination': 'https://id.gs1.org/417/%s' % COMPANY_GLN,
            'type': 'owning_party'}])
        self.assertEqual(event['bizLocation'], {'id': 'https://id.gs1.org/414/%s/254/%d' % (
            WAREHOUSE_GLN, self.stock_location.id)})

    def test_transfer_is_storing_at_the_shelf(self):
        """The internal transfer: storing, read point and location the shelf."""
        event, = self._events('storing')
        shelf = 'https://id.gs1.org/414/%s/254/%d' % (WAREHOUSE_GLN, self.shelf.id)
        self.assertEqual((event['action'], event['readPoint']['id'],
                          event['bizLocation']['id']), ('OBSERVE', shelf, shelf))
        self.assertEqual(event['quantityList'][0]['quantity'], 5.0)

    def test_location_with_its_own_gln(self):
        """A location with a GLN of its own is named by it."""
        self.shelf.gln = '9501101530034'
        event, = [event for event in self.lot.get_epcis_document()['epcisBody']['eventList']
                  if event['bizStep'] == 'storing']
        self.assertEqual(event['readPoint']['id'], 'https://id.gs1.org/414/9501101530034')

    def test_production_is_a_transformation(self):
        """The production: a TransformationEvent from the consumed lot to the lot made,
        the drink (no GTIN) by the company's local URI, in litres."""
        event, = self._events('commissioning')
        self.assertEqual(event['type'], 'TransformationEvent')
        self.assertEqual(event['inputQuantityList'], [{'epcClass': LOT_URI, 'quantity': 4.0}])
        self.assertEqual(event['outputQuantityList'], [{
            'epcClass': '%sproduct/%d/lot/DRINK-1' % (PREFIX, self.drink.id),
            'quantity': 12.0, 'uom': 'LTR'}])
        self.assertNotIn('action', event)

    def test_repackaging_is_a_transformation(self):
        """A lot repacked from components and counted in: a repackaging transformation
        from the components (quantity not recorded) to the lot, hashed as the oracle
        does."""
        packed = self._create_lot('PACK-1', product=self.drink,
                                  component_lot_ids=[(6, 0, self.lot.ids)])
        self._count_in(self.drink, self.stock_location, 10, lot=packed)
        document = packed.get_epcis_document()
        event, = [event for event in document['epcisBody']['eventList']
                  if event['bizStep'] == 'repackaging']
        self.assertEqual(event['inputQuantityList'], [{'epcClass': LOT_URI}])
        self.assertEqual(event['outputQuantityList'], [{
            'epcClass': '%sproduct/%d/lot/PACK-1' % (PREFIX, self.drink.id),
            'quantity': 10.0, 'uom': 'LTR'}])
        self.assertEqual(oracle_hashes(document), [
            event['eventID'] for event in document['epcisBody']['eventList']])
        self.assertEqual(context_losses(document), [])

    def test_produced_lot_counted_later_is_no_repackaging(self):
        """A lot made by a production and later found in a count is a count, not a
        second making."""
        self._count_in(self.drink, self.shelf, 2, lot=self.drink_lot)
        steps = [event['bizStep'] for event in
                 self.drink_lot.get_epcis_document()['epcisBody']['eventList']]
        self.assertEqual(steps.count('commissioning'), 1)
        self.assertEqual(steps[-1], 'cycle_counting')
        self.assertNotIn('repackaging', steps)

    def test_delivery_is_shipping(self):
        """The delivery: shipping, in transit, company to customer, the delivery, the
        sales order and the invoice."""
        event, = self._events('shipping')
        self.assertEqual((event['action'], event['disposition']), ('OBSERVE', 'in_transit'))
        self.assertNotIn('bizLocation', event)
        types = sorted(transaction['type'] for transaction in event['bizTransactionList'])
        self.assertEqual(types, ['desadv', 'inv', 'po'])
        invoice = [t for t in event['bizTransactionList'] if t['type'] == 'inv'][0]
        self.assertTrue(invoice['bizTransaction'].endswith(
            self.invoice.number.replace('/', '%2F')))
        self.assertEqual(event['destinationList'][0]['destination'],
                         '%sparty/%d' % (PREFIX, self.customer.id))

    def test_scrap_is_destroying(self):
        """The scrap: DELETE, destroying, destroyed."""
        event, = self._events('destroying')
        self.assertEqual((event['action'], event['disposition']), ('DELETE', 'destroyed'))

    def test_inventory_loss_and_gain(self):
        """An inventory count below stock is a DELETE, one above an ADD, both
        cycle counting."""
        self._count_in(self.product, self.shelf, 2, lot=self.lot)
        self._count_in(self.product, self.shelf, 6, lot=self.lot)
        events = [event for event in self.lot.get_epcis_document()['epcisBody']['eventList']
                  if event['bizStep'] == 'cycle_counting']
        self.assertEqual([(event['action'], event['quantityList'][0]['quantity'])
                          for event in events], [('DELETE', 3.0), ('ADD', 4.0)])

    def test_event_time_in_the_warehouse_time_zone(self):
        """Event times are in the warehouse's time zone, with its offset."""
        event, = self._events('receiving')
        moment = fields.Datetime.from_string(self.order.picking_ids.move_line_ids.date)
        local = pytz.utc.localize(moment).astimezone(pytz.timezone('Europe/Brussels'))
        offset = local.strftime('%z')
        self.assertEqual(event['eventTimeZoneOffset'], offset[:3] + ':' + offset[3:])
        self.assertEqual(event['eventTime'],
                         local.strftime('%Y-%m-%dT%H:%M:%S.000') + event['eventTimeZoneOffset'])

    def test_event_ids_are_the_oracle_hashes(self):
        """Every eventID equals the hash of the reference implementation."""
        self.assertEqual(len(self.events), 5)
        self.assertEqual(oracle_hashes(self.document),
                         [event['eventID'] for event in self.events])

    def test_document_reads_in_the_epcis_context(self):
        """The EPCIS 2.0 JSON-LD context reads every field of the flow's events."""
        self.assertEqual(context_losses(self.document), [])

    def test_produced_lot_document_reaches_the_ingredient(self):
        """The drink lot's document goes back to the receipt of the ingredient."""
        events = self.drink_lot.get_epcis_document()['epcisBody']['eventList']
        self.assertEqual([event['bizStep'] for event in events][:3],
                         ['receiving', 'storing', 'commissioning'])

    def test_date_range(self):
        """Only the events between the dates."""
        receipt_date = fields.Datetime.from_string(
            self.order.picking_ids.move_line_ids.date)
        document = self.lot.get_epcis_document(
            date_from=receipt_date + timedelta(minutes=1),
            date_to=fields.Datetime.from_string(self.produced.date))
        self.assertEqual([event['bizStep'] for event in document['epcisBody']['eventList']],
                         ['storing', 'commissioning'])

    def test_no_lot_is_refused(self):
        """An export without lots is refused."""
        with self.assertRaisesRegex(UserError, 'Select the lots'):
            self.env['stock.production.lot'].get_epcis_document()
        with self.assertRaisesRegex(UserError, 'Select the lots'):
            self.env['stock.lot.exchange.export'].sudo(self.clerk).create(
                {'export_format': 'epcis'}).action_export()

    def test_product_without_gtin_without_local_scheme_is_refused(self):
        """Without the company's URI prefix, a product without GTIN is refused, named."""
        self.company.epcis_uri_prefix = False
        with self.assertRaisesRegex(UserError, 'Milk Drink.*no GTIN'):
            self.lot.get_epcis_document()
        self.drink_lot.product_id.barcode = '4006381333931'
        events = self.lot.get_epcis_document()['epcisBody']['eventList']
        self.assertNotIn('bizTransactionList', events[0])

    def test_clerk_exports_from_the_lots(self):
        """A stock user exports the lots' EPCIS file from the lots' action menu."""
        export = self.env['stock.lot.exchange.export'].sudo(self.clerk).with_context(
            active_model='stock.production.lot', active_ids=self.lot.ids).create(
                {'export_format': 'epcis'})
        action = export.action_export()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        self.assertIn('/web/content/%d' % export.attachment_id.id, action['url'])
        content = json.loads(base64.b64decode(export.attachment_id.datas).decode('utf-8'))
        self.assertEqual(len(content['epcisBody']['eventList']), 5)
        self.assertEqual(export.attachment_id.mimetype, 'application/ld+json')

    def test_export_for_other_models(self):
        """export_lots returns the attachment and the time taken, for a recall."""
        result = self.env['stock.lot.exchange.export'].export_lots(
            self.lot, export_format='fsma204_csv')
        self.assertGreater(result['attachment'].file_size, 0)
        self.assertGreaterEqual(result['duration'], 0.0)
        self.assertEqual(result['events'], 3)

    def test_trace_report_opens_the_export(self):
        """The traceability report's button opens the export of its lots."""
        report = self.env['stock.lot.trace.report'].create({'lot_ids': [(6, 0, self.lot.ids)]})
        action = report.action_export_fsma204()
        export = self.env[action['res_model']].browse(action['res_id'])
        self.assertEqual((export.lot_ids, export.export_format), (self.lot, 'fsma204_xlsx'))
        self.assertEqual(export.request_reference, report._get_title())

    def test_invalid_gln_is_refused(self):
        """A GLN with a wrong check digit is refused."""
        with self.assertRaisesRegex(ValidationError, 'not a Global Location Number'):
            self.warehouse.gln = '9501101530011'

    def test_prefix_must_be_a_web_address(self):
        """An EPCIS URI prefix that is no web address is refused."""
        with self.assertRaisesRegex(ValidationError, 'web address'):
            self.company.epcis_uri_prefix = 'trace.example.com'


@at_install(False)
@post_install(True)
class TestExchangePerformance(ExchangeCase):
    """Exports in a number of queries that does not grow with the lot's history."""

    def _cycles(self, lot, count):
        """``count`` round trips of 1 of ``lot`` between the stock and the shelf."""
        for _index in range(count):
            self._done_move(self.product, 1, self.stock_location, self.shelf, lot=lot)
            self._done_move(self.product, 1, self.shelf, self.stock_location, lot=lot)

    def _queries(self, lot, method):
        lot.invalidate_cache()
        self.env['stock.lot.history'].invalidate_cache()
        before = self.env.cr.sql_log_count
        getattr(lot, method)()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_history(self):
        """EPCIS and FSMA 204 exports of a lot with 3 and with 15 transfer cycles (and a
        receipt, a delivery) take the same number of queries."""
        order = self._purchase([(self.product, 20)])
        lot = self._receive(order, [('PERF-1', 20)])
        sale = self._sell([(self.product, 2)])
        self._process(sale.picking_ids, [(self.product, lot, 2)])
        self._cycles(lot, 3)
        short = {method: self._queries(lot, method)
                 for method in ('get_epcis_document', 'get_fsma204_rows')}
        self.assertEqual(len(lot.get_epcis_document()['epcisBody']['eventList']), 8)
        self._cycles(lot, 12)
        long_ = {method: self._queries(lot, method)
                 for method in ('get_epcis_document', 'get_fsma204_rows')}
        self.assertEqual(len(lot.get_epcis_document()['epcisBody']['eventList']), 32)
        self.assertEqual(long_, short)
