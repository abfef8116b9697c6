# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html as lxml_html

from odoo import fields
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase, days_from_now
from .flows import StockFlowsMixin
from .test_report_coa import pdf_to_text, real_pdf_reports


@at_install(False)
@post_install(True)
class TestReportDeliveryDocuments(StockFlowsMixin, LotTrackingCase):
    """Lots and expiration dates on delivery slips and customer invoices."""

    @classmethod
    def setUpClass(cls):
        super(TestReportDeliveryDocuments, cls).setUpClass()
        cls.product.write({'invoice_policy': 'delivery', 'list_price': 12.0})
        cls.lot_a = cls._create_lot('DOC-LOT-A', life_date=days_from_now(60, hour=12))
        cls.lot_b = cls._create_lot('DOC-LOT-B', life_date=days_from_now(90, hour=12))
        cls._count_in(cls.product, cls.stock_location, 10, lot=cls.lot_a)
        cls._count_in(cls.product, cls.stock_location, 10, lot=cls.lot_b)
        cls.delivery_report = cls.env.ref('stock.action_report_delivery')
        cls.invoice_report = cls.env.ref('account.account_invoices')

    # -- flows ---------------------------------------------------------------------

    def _delivered_lots(self, invoice_line):
        """``{lot name: quantity}`` of the lots delivered for ``invoice_line``."""
        lots = invoice_line._get_delivered_lot_quantities()[invoice_line.id]
        return dict((lot.name, quantity) for lot, quantity in lots)

    # -- rendering -----------------------------------------------------------------

    def _render_html(self, report, record):
        return report.render_qweb_html(record.ids)[0].decode('utf-8')

    def _render_text(self, report, record):
        """The visible text of the HTML rendering, on one line."""
        document = lxml_html.fromstring(self._render_html(report, record))
        return ' '.join(document.xpath('//body')[0].text_content().split())

    def _render_pdf_text(self, report, record):
        # one record per PDF: wkhtmltopdf here cannot join several documents
        with real_pdf_reports():
            pdf, report_format = report.render_qweb_pdf(record.ids)
        self.assertEqual(report_format, 'pdf')
        self.assertTrue(pdf.startswith(b'%PDF'))
        return pdf_to_text(pdf)

    def _invoice_lots_text(self, invoice, report=None):
        """The text of the lot blocks under the lines of the rendered ``invoice``."""
        document = lxml_html.fromstring(
            self._render_html(report or self.invoice_report, invoice))
        return [' '.join(block.text_content().split())
                for block in document.xpath("//div[@name='invoice_line_lots']")]

    @staticmethod
    def _date(lot):
        """The lot's expiration date as the report prints it for en_US."""
        return fields.Datetime.from_string(lot.life_date).strftime('%m/%d/%Y')

    # -- tests ---------------------------------------------------------------------

    def test_delivery_slip_html(self):
        """A done delivery slip prints each lot with its expiration date."""
        order = self._sell([(self.product, 8)])
        picking = self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        text = self._render_text(self.delivery_report, picking)
        for expected in ('Lot/Serial Number', 'Expiration Date', 'DOC-LOT-A', 'DOC-LOT-B',
                         self._date(self.lot_a), self._date(self.lot_b)):
            self.assertIn(expected, text)
        # the best-before title and raw datetimes of product_expiry are gone
        self.assertNotIn('Expiry Date', text)
        self.assertNotIn(self.lot_a.life_date[:10], text)

    def test_delivery_slip_pdf(self):
        """The delivery slip PDF contains lots and formatted expiration dates."""
        order = self._sell([(self.product, 8)])
        picking = self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        lines = self._render_pdf_text(self.delivery_report, picking).splitlines()
        for lot in self.lot_a | self.lot_b:
            found = [line for line in lines if lot.name in line]
            self.assertTrue(found, '%s missing from the delivery slip' % lot.name)
            self.assertIn(self._date(lot), found[0])

    def test_delivery_slip_not_done(self):
        """A slip printed before validation lists the products, as in Odoo, no lots."""
        order = self._sell([(self.product, 8)])
        picking = order.picking_ids
        self.assertEqual(picking.state, 'assigned')
        text = self._render_text(self.delivery_report, picking)
        self.assertIn('Tracked Milk Powder', text)
        self.assertNotIn('DOC-LOT-', text)
        self.assertNotIn('Expiration Date', text)

    def test_invoice_html(self):
        """Each invoice line lists its lots with quantity and expiration date."""
        order = self._sell([(self.product, 8)])
        self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        invoice = self._invoice(order)
        self.assertEqual(self._delivered_lots(invoice.invoice_line_ids),
                         {'DOC-LOT-A': 5.0, 'DOC-LOT-B': 3.0})
        self.assertEqual(self._invoice_lots_text(invoice), [
            'Lot DOC-LOT-A: 5.000, Expiration Date %s Lot DOC-LOT-B: 3.000, '
            'Expiration Date %s' % (self._date(self.lot_a), self._date(self.lot_b))])

    def test_invoice_pdf(self):
        """The invoice PDF contains lots and formatted expiration dates."""
        order = self._sell([(self.product, 8)])
        self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        invoice = self._invoice(order)
        text = ' '.join(self._render_pdf_text(self.invoice_report, invoice).split())
        self.assertIn('Lot DOC-LOT-A: 5.000, Expiration Date %s' % self._date(self.lot_a),
                      text)
        self.assertIn('Lot DOC-LOT-B: 3.000, Expiration Date %s' % self._date(self.lot_b),
                      text)

    def test_single_lot_without_quantity(self):
        """A line delivered from one lot prints the lot and date, not the quantity."""
        order = self._sell([(self.product, 4)])
        self._process(order.picking_ids, [(self.product, self.lot_b, 4)])
        invoice = self._invoice(order)
        self.assertEqual(self._invoice_lots_text(invoice), [
            'Lot DOC-LOT-B, Expiration Date %s' % self._date(self.lot_b)])

    def test_partial_deliveries_two_invoices(self):
        """Each invoice of a partly delivered order lists the lots delivered since."""
        order = self._sell([(self.product, 9)])
        first = self._process(order.picking_ids, [(self.product, self.lot_a, 4)])
        first_invoice = self._invoice(order)
        backorder = order.picking_ids - first
        self._process(backorder, [
            (self.product, self.lot_a, 2), (self.product, self.lot_b, 3)])
        second_invoice = self._invoice(order)
        self.assertEqual(second_invoice.invoice_line_ids.quantity, 5.0)
        self.assertEqual(self._delivered_lots(first_invoice.invoice_line_ids),
                         {'DOC-LOT-A': 4.0})
        self.assertEqual(self._delivered_lots(second_invoice.invoice_line_ids),
                         {'DOC-LOT-A': 2.0, 'DOC-LOT-B': 3.0})
        self.assertEqual(self._invoice_lots_text(first_invoice), [
            'Lot DOC-LOT-A, Expiration Date %s' % self._date(self.lot_a)])
        text = ' '.join(self._render_pdf_text(self.invoice_report, second_invoice).split())
        self.assertIn('Lot DOC-LOT-A: 2.000', text)
        self.assertIn('Lot DOC-LOT-B: 3.000', text)

    def test_return_before_invoicing(self):
        """Lots returned for refund before invoicing are deducted on the invoice."""
        order = self._sell([(self.product, 8)])
        picking = self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        self._return(picking, self.lot_b, 2)
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 6.0)
        self.assertEqual(self._delivered_lots(invoice.invoice_line_ids),
                         {'DOC-LOT-A': 5.0, 'DOC-LOT-B': 1.0})

    def test_return_after_invoicing(self):
        """A return after invoicing puts its lots on the credit note, not the invoice."""
        order = self._sell([(self.product, 8)])
        picking = self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        invoice = self._invoice(order)
        self._return(picking, self.lot_a, 2)
        refund = self._invoice(order, final=True)
        self.assertEqual(refund.type, 'out_refund')
        self.assertEqual(self._delivered_lots(refund.invoice_line_ids), {'DOC-LOT-A': 2.0})
        self.assertEqual(self._delivered_lots(invoice.invoice_line_ids),
                         {'DOC-LOT-A': 5.0, 'DOC-LOT-B': 3.0})
        text = ' '.join(self._render_pdf_text(self.invoice_report, refund).split())
        self.assertIn('Credit Note', text)
        self.assertIn('Lot DOC-LOT-A, Expiration Date %s' % self._date(self.lot_a), text)
        self.assertNotIn('DOC-LOT-B', text)

    def test_product_without_lots(self):
        """A product without lot tracking prints no lot on slip and invoice."""
        plain = self.env['product.product'].create({
            'name': 'Plain Sugar', 'type': 'product', 'invoice_policy': 'delivery'})
        self._count_in(plain, self.stock_location, 10)
        order = self._sell([(plain, 3)])
        picking = self._process(order.picking_ids, [(plain, None, 3)])
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids._get_delivered_lot_quantities(),
                         {invoice.invoice_line_ids.id: []})
        self.assertEqual(self._invoice_lots_text(invoice), [])
        html = self._render_text(self.delivery_report, picking)
        self.assertIn('Plain Sugar', html)
        self.assertNotIn('Lot/Serial Number', html)
        self.assertNotIn('Expiration Date', html)

    def test_lot_without_expiration(self):
        """Lots of a product without expiration dates print without a date."""
        product = self.env['product.product'].create({
            'name': 'Lot Salt', 'type': 'product', 'tracking': 'lot',
            'invoice_policy': 'delivery'})
        lot = self._create_lot('DOC-SALT-1', product=product)
        self.assertFalse(lot.life_date)
        self._count_in(product, self.stock_location, 10, lot=lot)
        order = self._sell([(product, 3), (self.product, 2)])
        picking = self._process(order.picking_ids, [
            (product, lot, 3), (self.product, self.lot_a, 2)])
        invoice = self._invoice(order)
        lots_text = self._invoice_lots_text(invoice)
        self.assertIn('Lot DOC-SALT-1', lots_text)
        self.assertIn('Lot DOC-LOT-A, Expiration Date %s' % self._date(self.lot_a),
                      lots_text)
        document = lxml_html.fromstring(self._render_html(self.delivery_report, picking))
        rows = [' '.join(row.text_content().split())
                for row in document.xpath("//tr[.//td[@name='lot_qty']]")]
        salt = [row for row in rows if 'DOC-SALT-1' in row]
        self.assertTrue(salt)
        self.assertNotIn('/', salt[0])
        self.assertTrue([row for row in rows if self._date(self.lot_a) in row])

    def test_expiration_product_lot_without_date(self):
        """A lot of an expiring product that has no expiration date prints no date."""
        lot = self._create_lot('DOC-LOT-NODATE')
        lot.write({'life_date': False})
        self._count_in(self.product, self.stock_location, 5, lot=lot)
        order = self._sell([(self.product, 2)])
        picking = self._process(order.picking_ids, [(self.product, lot, 2)])
        invoice = self._invoice(order)
        self.assertEqual(self._invoice_lots_text(invoice), ['Lot DOC-LOT-NODATE'])
        html = self._render_text(self.delivery_report, picking)
        self.assertIn('DOC-LOT-NODATE', html)
        self.assertNotIn('Expiration Date', html)

    def test_billing_user_without_stock_rights(self):
        """An invoicing user who cannot read stock still prints the invoice's lots."""
        billing = self._create_user('docbilling', ['account.group_account_invoice'])
        order = self._sell([(self.product, 8)])
        self._process(order.picking_ids, [
            (self.product, self.lot_a, 5), (self.product, self.lot_b, 3)])
        invoice = self._invoice(order)
        self.assertFalse(billing.has_group('stock.group_stock_user'))
        lots_text = self._invoice_lots_text(
            invoice.sudo(billing), self.invoice_report.sudo(billing))
        self.assertEqual(len(lots_text), 1)
        self.assertIn('DOC-LOT-A', lots_text[0])
        self.assertIn('DOC-LOT-B', lots_text[0])

    def test_invoice_with_sections(self):
        """Invoices printed with the sales order sections list the lots as well."""
        self.env.user.write({
            'groups_id': [(4, self.env.ref('sale.group_sale_layout').id)]})
        order = self._sell([(self.product, 3)])
        self._process(order.picking_ids, [(self.product, self.lot_b, 3)])
        invoice = self._invoice(order)
        document = lxml_html.fromstring(self._render_html(self.invoice_report, invoice))
        self.assertFalse(document.xpath("//table[@name='invoice_line_table']"))
        self.assertEqual(self._invoice_lots_text(invoice), [
            'Lot DOC-LOT-B, Expiration Date %s' % self._date(self.lot_b)])

    def test_set_based(self):
        """The lots of many invoice lines are found in a fixed number of queries."""
        order = self._sell([(self.product, 1)])
        self._process(order.picking_ids, [(self.product, self.lot_a, 1)])
        small = self._invoice(order).invoice_line_ids
        order = self._sell([(self.product, 1)] * 12)
        self._process(order.picking_ids, [
            (move, self.lot_a if index % 2 else self.lot_b, 1)
            for index, move in enumerate(order.picking_ids.move_lines)])
        large = self._invoice(order).invoice_line_ids
        self.assertEqual(len(large), 12)

        def count_queries(lines):
            lines.invalidate_cache()
            before = self.cr.sql_log_count
            result = lines._get_delivered_lot_quantities()
            return self.cr.sql_log_count - before, result

        small_count, _result = count_queries(small)
        large_count, result = count_queries(large)
        self.assertEqual(sorted(len(lots) for lots in result.values()), [1] * 12)
        self.assertLessEqual(large_count, small_count + 2)
