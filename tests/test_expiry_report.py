# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from datetime import datetime

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install
from odoo.tools.safe_eval import safe_eval

from .common import LotTrackingCase, days_from_now
from .test_report_coa import pdf_to_text, real_pdf_reports


class ExpiryReportCase(LotTrackingCase):
    """Lots of a product of its own category, in a warehouse with a quarantine."""

    @classmethod
    def setUpClass(cls):
        super(ExpiryReportCase, cls).setUpClass()
        cls.category = cls.env['product.category'].create({'name': 'Expiry Report Tests'})
        cls.product.categ_id = cls.category
        cls.warehouse = cls.env.ref('stock.warehouse0')
        cls.quarantine = cls._create_location('Quarantine (report)')
        cls.warehouse.quarantine_location_id = cls.quarantine
        cls.shelf = cls._create_location('Shelf R1')
        cls.Report = cls.env['stock.lot.expiry.report']

    @classmethod
    def _stocked(cls, name, days, quantity, location=None, **vals):
        lot = cls._create_lot(name, life_date=days_from_now(days, hour=12),
                              supplier_id=cls.supplier.id, **vals)
        cls._count_in(cls.product, location or cls.shelf, quantity, lot)
        return lot

    def _row(self, lot, location=None):
        self.Report.invalidate_cache()  # a database view: its rows change with the stock
        return self.Report.search([('lot_id', '=', lot.id),
                                   ('location_id', '=', (location or self.shelf).id)])


@at_install(False)
@post_install(True)
class TestExpiryReport(ExpiryReportCase):
    """One row per lot and internal location, with its value at risk."""

    def test_row_figures(self):
        """Quantity, days left, state, warehouse, supplier, week and value at risk
        (quantity x cost) of a lot in stock."""
        lot = self._stocked('R-5D', 5, 6)
        row = self._row(lot)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.quantity, 6)
        left = fields.Datetime.from_string(lot.life_date) - datetime.utcnow()
        self.assertEqual(row.days_to_expiry, math.floor(left.total_seconds() / 86400))
        self.assertEqual(row.days_to_expiry, lot.days_to_expiry)
        self.assertEqual(row.expiry_state, 'warning')
        self.assertEqual(row.warehouse_id, self.warehouse)
        self.assertEqual(row.supplier_id, self.supplier)
        self.assertEqual(row.categ_id, self.category)
        self.assertAlmostEqual(row.value_at_risk, 6 * 4.0)
        self.assertEqual(row.currency_id, self.env.user.company_id.currency_id)
        year, week, __ = fields.Datetime.from_string(lot.life_date).isocalendar()
        self.assertEqual(row.expiry_week, '%d-W%02d' % (year, week))
        self._count_in(self.product, self.shelf, 0, lot)
        self.assertFalse(self._row(lot))

    def test_value_follows_company_cost(self):
        """The value at risk follows the product's cost of the company, and the default
        cost of the field when the product has none."""
        lot = self._stocked('R-COST', 20, 3)
        self.product.standard_price = 7.5
        self.assertAlmostEqual(self._row(lot).value_at_risk, 3 * 7.5)
        Property = self.env['ir.property']
        Property.search([('name', '=', 'standard_price'),
                         ('res_id', '=', 'product.product,%d' % self.product.id)]).unlink()
        field = self.env['ir.model.fields']._get('product.product', 'standard_price')
        Property.search([('fields_id', '=', field.id), ('res_id', '=', False)]).unlink()
        Property.create({'name': 'standard_price', 'fields_id': field.id, 'type': 'float',
                         'value_float': 2.5, 'company_id': self.env.user.company_id.id})
        self.product.invalidate_cache()
        self.assertAlmostEqual(self.product.standard_price, 2.5)
        self.assertAlmostEqual(self._row(lot).value_at_risk, 3 * 2.5)

    def test_products_without_expiration(self):
        """Lots of products without expiration dates are listed with no expiry."""
        plain = self.env['product.product'].create({
            'name': 'Plain Lots', 'type': 'product', 'tracking': 'lot'})
        lot = self._create_lot('R-PLAIN', product=plain, life_date=days_from_now(-2))
        self._count_in(plain, self.shelf, 1, lot)
        row = self._row(lot)
        self.assertEqual(row.expiry_state, 'none')
        self.assertFalse(row.days_to_expiry)

    def test_retest_candidates(self):
        """Expiring lots of a product allowing retests are candidates until they had
        as many retests as the product allows."""
        self.product.max_retest_count = 1
        lot = self._stocked('R-RETEST', 3, 2)
        valid = self._stocked('R-VALID', 60, 2)
        self.assertTrue(self._row(lot).retest_candidate)
        self.assertFalse(self._row(valid).retest_candidate)
        lot.sudo(self.lot_manager).action_retest(days_from_now(6), 'Assay within spec')
        row = self._row(lot)
        self.assertEqual(row.retest_count, 1)
        self.assertFalse(row.retest_candidate)

    def test_quarantine_and_blocked_rows(self):
        """Stock in quarantine is marked so; blocked lots are marked blocked."""
        lot = self._stocked('R-QUAR', -1, 2, location=self.quarantine)
        blocked = self._stocked('R-BLOCK', 40, 1)
        blocked.action_block('Customer complaint')
        self.assertTrue(self._row(lot, self.quarantine).in_quarantine)
        self.assertEqual(self._row(lot, self.quarantine).expiry_state, 'expired')
        self.assertTrue(self._row(blocked).blocked)
        self.assertFalse(self._row(blocked).in_quarantine)

    def test_stock_user_reads_only(self):
        """A plain stock user reads the analysis and the counters but writes neither."""
        lot = self._stocked('R-READ', 5, 1)
        row = self._row(lot).sudo(self.clerk)
        self.assertEqual(row.lot_id, lot)
        self.assertTrue(self.env['stock.lot.expiry.dashboard'].sudo(self.clerk).search([]))
        with self.assertRaises(AccessError):
            row.write({'quantity': 5})


@at_install(False)
@post_install(True)
class TestExpiryDashboard(ExpiryReportCase):
    """The dashboard's counters are those of the filtered list."""

    def _counters(self):
        company = self.env.user.company_id
        self.env['stock.lot.expiry.dashboard'].invalidate_cache()
        return {counter.code: (counter.lot_count, counter.value_at_risk)
                for counter in self.env['stock.lot.expiry.dashboard'].search(
                    [('company_id', '=', company.id)])}

    def _filter_domain(self, name):
        arch = self.Report.fields_view_get(view_type='search')['arch']
        node = etree.fromstring(arch).xpath("//filter[@name='%s']" % name)[0]
        return safe_eval(node.get('domain'))

    def test_counters(self):
        """Lots expiring in 5 and 20 days, expired and blocked move each counter by
        their lots and value (quantity x cost)."""
        before = self._counters()
        self._stocked('D-5', 5, 2)
        self._stocked('D-20', 20, 3)
        self._stocked('D-EXP', -3, 4)
        self._stocked('D-BLK', 90, 5).action_block('Hold')
        after = self._counters()
        delta = {code: (after[code][0] - before[code][0],
                        round(after[code][1] - before[code][1], 2)) for code in after}
        self.assertEqual(delta, {'expiring_7': (1, 8.0), 'expiring_30': (2, 20.0),
                                 'expired': (1, 16.0), 'blocked': (1, 20.0)})

    def test_counter_opens_its_list(self):
        """Each counter opens the list with the filter whose rows it counts."""
        self._stocked('D-OPEN', 5, 2)
        company = self.env.user.company_id
        for counter in self.env['stock.lot.expiry.dashboard'].search(
                [('company_id', '=', company.id)]):
            action = counter.action_open_report()
            self.assertEqual(action['res_model'], 'stock.lot.expiry.report')
            filters = [key[len('search_default_'):] for key in action['context']
                       if key.startswith('search_default_filter_')]
            self.assertEqual(len(filters), 1, counter.code)
            rows = self.Report.search(action['domain'] + self._filter_domain(filters[0]))
            self.assertEqual(len(rows.mapped('lot_id')), counter.lot_count, counter.code)
            self.assertAlmostEqual(sum(rows.mapped('value_at_risk')), counter.value_at_risk)


@at_install(False)
@post_install(True)
class TestCustomerAllocation(ExpiryReportCase):
    """Lots in stock that a customer's rules accept today."""

    def test_shelf_life_grade_quarantine_and_block(self):
        """A customer wanting 30 days and grade A gets the long-lived grade A lot only:
        not the short one, the grade B one, the blocked one or the one in quarantine."""
        self.product.track_quality = True
        grade_a = self.env['stock.lot.quality.grade'].create({'name': 'AL-A', 'sequence': 1})
        grade_b = self.env['stock.lot.quality.grade'].create({'name': 'AL-B', 'sequence': 2})
        self.customer.write({'min_shelf_life_days': 30, 'min_quality_grade_id': grade_a.id})
        good = self._stocked('AL-GOOD', 60, 2, quality_grade_id=grade_a.id)
        self._stocked('AL-SHORT', 10, 2, quality_grade_id=grade_a.id)
        self._stocked('AL-GRADE-B', 60, 2, quality_grade_id=grade_b.id)
        self._stocked('AL-BLOCKED', 60, 2, quality_grade_id=grade_a.id).action_block('Hold')
        self._stocked('AL-QUAR', 60, 2, location=self.quarantine, quality_grade_id=grade_a.id)
        wizard = self.env['stock.lot.expiry.allocation'].sudo(self.clerk).create({
            'partner_id': self.customer.id, 'product_id': self.product.id})
        action = wizard.action_open_lots()
        rows = self.Report.search(action['domain'])
        self.assertEqual(rows.mapped('lot_id'), good)

    def test_customer_without_rules(self):
        """Without rules, every valid unblocked lot outside quarantine is suitable;
        expired lots are not."""
        valid = self._stocked('AL-ANY', 5, 1)
        self._stocked('AL-EXP', -1, 1)
        wizard = self.env['stock.lot.expiry.allocation'].create({
            'partner_id': self.customer.id, 'categ_id': self.category.id})
        rows = self.Report.search(wizard.action_open_lots()['domain'])
        self.assertEqual(rows.mapped('lot_id'), valid)


@at_install(False)
@post_install(True)
class TestExpiryReportPdf(ExpiryReportCase):
    """The Lot Expiration Report PDF."""

    def test_pdf_lists_lots_and_totals(self):
        """Lots expiring within the days and expired lots, with their values and the
        totals per product and warehouse; later lots are left out."""
        self._stocked('PDFSOON', 5, 2)
        self._stocked('PDFGONE', -2, 3, location=self.quarantine)
        self._stocked('PDFLATER', 80, 7)
        wizard = self.env['stock.lot.expiry.report.wizard'].create({
            'days': 30, 'warehouse_id': self.warehouse.id, 'categ_id': self.category.id})
        report = self.env.ref('stock_lot_tracking.report_lot_expiration_action')
        with real_pdf_reports():
            pdf, report_format = report.render_qweb_pdf(wizard.ids)
        self.assertEqual(report_format, 'pdf')
        text = pdf_to_text(pdf)
        self.assertIn('Lot Expiration Report', text)
        self.assertIn('PDFSOON', text)
        self.assertIn('PDFGONE', text)
        self.assertIn('EXPIRED', text)
        self.assertNotIn('PDFLATER', text)
        self.assertIn('Total Tracked Milk Powder', text)
        self.assertIn('Total warehouse %s' % self.warehouse.name, text)
        self.assertIn('20.00', text)  # 5 x 4.00 at the product and warehouse totals
        self.assertIn('8.00', text)
        self.assertIn('12.00', text)

    def test_wizard_groups(self):
        """The wizard's groups give the totals per product and warehouse."""
        self._stocked('PDF-G1', 5, 2)
        self._stocked('PDF-G2', 10, 1)
        wizard = self.env['stock.lot.expiry.report.wizard'].create({
            'days': 30, 'categ_id': self.category.id})
        groups = wizard._get_report_groups()
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]['warehouse'], self.warehouse)
        product = groups[0]['products'][0]
        self.assertEqual(product['quantity'], 3)
        self.assertAlmostEqual(product['value'], 12.0)
        self.assertAlmostEqual(groups[0]['value'], 12.0)
        action = wizard.action_print()
        self.assertEqual(action['report_name'], 'stock_lot_tracking.report_lot_expiration')
