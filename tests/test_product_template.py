# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase


@at_install(False)
@post_install(True)
class TestProductLotSettings(LotTrackingCase):
    """Lot settings of products: generation, sequence, pattern, day counts."""

    def test_auto_lot_code_from_sequence_created_on_demand(self):
        """An auto-numbered product gets its sequence on first use: LOT-YYYY-MM-001."""
        self.product.lot_generation = 'auto'
        self.assertFalse(self.product.lot_sequence_id)
        first = self.env['stock.production.lot'].create({'product_id': self.product.id})
        second = self.env['stock.production.lot'].create({'product_id': self.product.id})
        prefix = time.strftime('LOT-%Y-%m-')
        self.assertEqual(first.name, prefix + '001')
        self.assertEqual(second.name, prefix + '002')
        sequence = self.product.lot_sequence_id
        self.assertEqual(sequence.prefix, 'LOT-%(year)s-%(month)s-')
        self.assertEqual(sequence.padding, 3)

    def test_auto_sequences_are_per_product(self):
        """Two auto-numbered products count their lots separately."""
        other = self.product.copy({'name': 'Other Powder'})
        (self.product | other).write({'lot_generation': 'auto'})
        self._create_lot(False)
        lot = self._create_lot(False, product=other)
        self.assertTrue(lot.name.endswith('-001'))
        self.assertNotEqual(self.product.lot_sequence_id, other.lot_sequence_id)

    def test_manual_product_has_no_generated_code(self):
        """A manual product refuses to generate a code and names the product."""
        with self.assertRaisesRegex(UserError, 'Tracked Milk Powder'):
            self.product.product_tmpl_id._next_lot_code()

    def test_code_matching_pattern_is_accepted(self):
        """A code that matches the pattern in full is accepted."""
        self.product.lot_code_pattern = r'LOT-\d{4}-\d{2}-\d{3}'
        lot = self._create_lot('LOT-2026-11-001')
        self.assertEqual(lot.name, 'LOT-2026-11-001')

    def test_code_not_matching_pattern_is_refused(self):
        """A code that does not match is refused with the pattern and the code."""
        self.product.lot_code_pattern = r'LOT-\d{4}-\d{2}-\d{3}'
        with self.assertRaises(ValidationError) as error:
            self._create_lot('LOT-2026-11-001X')
        self.assertIn(r'LOT-\d{4}-\d{2}-\d{3}', error.exception.name)
        self.assertIn('LOT-2026-11-001X', error.exception.name)

    def test_refusal_gives_the_example(self):
        """A refused code names the product's example of a valid code."""
        self.product.write({'lot_code_pattern': r'LOT-\d{4}-\d{2}-\d{3}',
                            'lot_code_example': 'LOT-2026-11-001'})
        with self.assertRaises(ValidationError) as error:
            self._create_lot('LOT-2026-11')
        self.assertIn('A valid code looks like LOT-2026-11-001', error.exception.name)

    def test_example_must_match_the_pattern(self):
        """An example lot code that breaks the pattern is refused on the product."""
        self.product.lot_code_pattern = r'[A-Z]{2}\d{6}'
        with self.assertRaises(ValidationError) as error:
            self.product.lot_code_example = 'CA-240117'
        self.assertIn('CA-240117', error.exception.name)
        self.product.lot_code_example = 'CA240117'
        self.assertEqual(self.product.lot_code_example, 'CA240117')

    def test_pattern_is_a_full_match(self):
        """A code containing a matching part is still refused."""
        self.product.lot_code_pattern = r'\d{3}'
        with self.assertRaises(ValidationError):
            self._create_lot('A123')

    def test_renaming_a_lot_checks_the_pattern(self):
        """Renaming a lot to a code outside the pattern is refused."""
        self.product.lot_code_pattern = r'[A-Z]{2}\d{4}'
        lot = self._create_lot('AB1234')
        with self.assertRaises(ValidationError):
            lot.name = 'ab1234'

    def test_auto_codes_checked_against_pattern(self):
        """Generated codes must match the pattern like typed ones."""
        self.product.write({'lot_generation': 'auto', 'lot_code_pattern': r'BATCH\d+'})
        with self.assertRaises(ValidationError) as error:
            self._create_lot(False)
        self.assertIn(r'BATCH\d+', error.exception.name)

    def test_invalid_pattern_is_refused(self):
        """A pattern that is not a regular expression is refused on the product."""
        with self.assertRaisesRegex(ValidationError, 'not a valid regular expression'):
            self.product.lot_code_pattern = 'LOT-(['

    def test_negative_day_counts_are_refused(self):
        """Warning period and life time cannot be negative."""
        with self.assertRaises(ValidationError):
            self.product.expiry_warning_days = -1
        with self.assertRaises(ValidationError):
            self.product.life_time = -5

    def test_product_form_shows_lot_settings_for_lot_tracking(self):
        """The inventory tab shows the lot settings, only for lot-tracked products."""
        arch = self.env['product.template'].fields_view_get(
            view_id=self.env.ref('stock.view_template_property_form').id,
            view_type='form')['arch']
        root = etree.fromstring(arch)
        group = root.xpath("//group[@name='lot_tracking']")[0]
        names = [node.get('name') for node in group.iter('field')]
        for name in ('lot_generation', 'lot_sequence_id', 'lot_code_pattern',
                     'use_expiration_date', 'use_fefo'):
            self.assertIn(name, names)
        self.assertIn('["tracking", "!=", "lot"]', group.get('modifiers'))
        dates = root.xpath("//group[@name='expiry_and_lots']")[0]
        self.assertIn('["use_expiration_date", "=", false]', dates.get('modifiers'))
        self.assertTrue(dates.xpath(".//field[@name='expiry_warning_days']"))
