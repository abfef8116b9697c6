# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

from odoo import fields
from odoo.tests.common import at_install, post_install
from odoo.tools import config

from .common import LotTrackingCase, days_from_now


@contextmanager
def real_pdf_reports():
    """Let render_qweb_pdf call wkhtmltopdf although tests are enabled.

    Odoo returns HTML instead of a PDF in test mode unless a report directory is set.
    """
    directory = tempfile.mkdtemp(prefix='slt_coa_')
    previous = config['test_report_directory']
    config['test_report_directory'] = directory
    try:
        yield
    finally:
        config['test_report_directory'] = previous
        shutil.rmtree(directory, ignore_errors=True)


def pdf_to_text(pdf):
    """The text of a PDF document, through poppler's pdftotext."""
    handle, path = tempfile.mkstemp(suffix='.pdf', prefix='slt_coa_')
    try:
        with os.fdopen(handle, 'wb') as pdf_file:
            pdf_file.write(pdf)
        return subprocess.check_output(['pdftotext', '-layout', path, '-']).decode('utf-8')
    finally:
        os.unlink(path)


@at_install(False)
@post_install(True)
class TestReportCertificateOfAnalysis(LotTrackingCase):
    """The Certificate of Analysis PDF of a lot."""

    @classmethod
    def setUpClass(cls):
        super(TestReportCertificateOfAnalysis, cls).setUpClass()
        Attribute = cls.env['stock.lot.quality.attribute']
        cls.purity = Attribute.create({
            'name': 'CoA Purity', 'uom_name': '%', 'min_value': 98.0, 'max_value': 100.0,
            'sequence': 1})
        cls.moisture = Attribute.create({
            'name': 'CoA Moisture', 'uom_name': '%', 'max_value': 0.5, 'sequence': 2})
        cls.appearance = Attribute.create({
            'name': 'CoA Appearance', 'value_type': 'text', 'target': 'Conforms',
            'sequence': 3})
        cls.product.write({
            'track_quality': True,
            'quality_attribute_ids': [(6, 0, (cls.purity | cls.moisture | cls.appearance).ids)],
        })
        cls.lot = cls._create_lot(
            'COA-0815', supplier_id=cls.supplier.id, supplier_lot_code='SUP-4711',
            production_date=days_from_now(-3, hour=12), life_date=days_from_now(90, hour=12))
        cls.lot._set_quality_values({cls.purity.id: 99.3, cls.appearance.id: 'Lumpy'})
        cls.env['stock.lot.certificate'].create({
            'lot_id': cls.lot.id, 'name': 'CERT-COA-77', 'issuer': 'Eurofins Lab',
            'valid_to': days_from_now(200)[:10]})
        cls.report = cls.env.ref('stock_lot_tracking.report_certificate_of_analysis_action')

    def _render_text(self, lots):
        with real_pdf_reports():
            pdf, report_format = self.report.render_qweb_pdf(lots.ids)
        self.assertEqual(report_format, 'pdf')
        self.assertTrue(pdf.startswith(b'%PDF'))
        return pdf_to_text(pdf)

    def test_pdf_contains_lot_data(self):
        """The PDF names product, lot, dates, supplier and its lot, and the certificates."""
        text = self._render_text(self.lot)
        expiry = fields.Datetime.from_string(self.lot.life_date).strftime('%m/%d/%Y')
        for expected in ('Certificate of Analysis', 'Tracked Milk Powder', 'COA-0815',
                         expiry, 'Test Supplier', 'SUP-4711', 'CERT-COA-77', 'Eurofins Lab',
                         'Pending'):
            self.assertIn(expected, text)

    def test_pdf_contains_results_and_verdicts(self):
        """Each attribute prints with its specification, value and pass or fail."""
        lines = self._render_text(self.lot).splitlines()

        def line_of(name):
            found = [line for line in lines if name in line]
            self.assertTrue(found, '%s missing from the certificate' % name)
            return ' '.join(found[0].split())

        purity = line_of('CoA Purity')
        self.assertIn('98 - 100 %', purity)
        self.assertIn('99.3 %', purity)
        self.assertIn('PASS', purity)
        appearance = line_of('CoA Appearance')
        self.assertIn('= Conforms', appearance)
        self.assertIn('Lumpy', appearance)
        self.assertIn('FAIL', appearance)
        moisture = line_of('CoA Moisture')
        self.assertIn('<= 0.5 %', moisture)
        self.assertIn('not recorded', moisture)
        self.assertIn('FAIL', moisture)

    def test_several_lots(self):
        """Printing several lots gives one certificate page per lot."""
        # Rendered as HTML: Debian's wkhtmltopdf (unpatched Qt) cannot join several
        # pages into one PDF, which Odoo asks of it for multi-record reports.
        other = self._create_lot('COA-0816')
        other._set_quality_values({self.purity.id: 97.0})
        html = self.report.render_qweb_html((self.lot | other).ids)[0].decode('utf-8')
        self.assertEqual(html.count('<div class="page">'), 2)
        self.assertIn('COA-0815', html)
        self.assertIn('COA-0816', html)
        self.assertIn('97 %', html)

    def test_printable_from_the_lot(self):
        """The lot form's button and Print menu open the Certificate of Analysis."""
        action = self.lot.action_print_certificate_of_analysis()
        self.assertEqual(action['type'], 'ir.actions.report')
        self.assertEqual(action['report_name'],
                         'stock_lot_tracking.report_certificate_of_analysis')
        self.assertEqual(self.report.binding_model_id.model, 'stock.production.lot')
        self.assertEqual(self.report.sudo(self.clerk).read(['report_name'])[0]['report_name'],
                         'stock_lot_tracking.report_certificate_of_analysis')
