# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
import datetime
import re
import unittest

from biip import ParseError
from biip.gs1_messages import GS1Message
from hypothesis import HealthCheck, given, settings, strategies as st

from odoo.tests.common import at_install, post_install

from ..lib import gs1

GS = gs1.GROUP_SEPARATOR
FIXED_LENGTH = {ai for ai, pattern in gs1.APPLICATION_IDENTIFIERS.items()
                if pattern == gs1.DATE or re.match(r'\\d\{\d+\}$', pattern)}
SETTINGS = settings(max_examples=200, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def biip_elements(parse, value):
    """What the biip parser ``parse`` reads in ``value``: 'error', or
    [(ai, date or data)]."""
    try:
        message = parse(value)
    except ParseError:
        return 'error'
    if any(element.gtin_error for element in message.element_strings):
        return 'error'
    return [(element.ai.ai, element.date or element.value)
            for element in message.element_strings]


def biip_outcome(value):
    """What biip reads in the element string ``value``."""
    return biip_elements(GS1Message.parse, value)


def our_outcome(value):
    try:
        return gs1.parse(value).elements
    except gs1.GS1Error:
        return 'error'


def with_check_digit(digits):
    return digits + gs1.gtin_check_digit(digits)


element = st.sampled_from(sorted(gs1.APPLICATION_IDENTIFIERS)).flatmap(
    lambda ai: st.tuples(
        st.just(ai),
        # ASCII digits: biip reads other Unicode digits as digits, scanners send none
        st.from_regex(re.compile(r'\A(?:%s)\Z' % gs1.APPLICATION_IDENTIFIERS[ai],
                                 re.ASCII)),
        st.booleans()))
gtin = st.from_regex(re.compile(r'\A\d{13}\Z', re.ASCII)).map(with_check_digit)


def encode(elements):
    """A GS1 element string: FNC1 after each variable-length element but the last, and
    sometimes after a fixed-length one (allowed)."""
    parts = []
    for index, (ai, data, separator) in enumerate(elements):
        last = index == len(elements) - 1
        needed = ai not in FIXED_LENGTH
        parts.append(ai + data + (GS if not last and (needed or separator) else ''))
    return ''.join(parts)


@at_install(False)
@post_install(True)
class TestGS1Parser(unittest.TestCase):
    """The GS1 parser reads what a well-kept parser (biip) reads; plain Python, no
    database."""

    @SETTINGS
    @given(st.lists(element, min_size=1, max_size=6))
    def test_generated_messages_read_like_biip(self, elements):
        """Generated element strings, valid or not, give biip's result or an error
        where biip gives one."""
        value = encode(elements)
        self.assertEqual(our_outcome(value), biip_outcome(value), repr(value))

    @SETTINGS
    @given(gtin, st.from_regex(r'\A[!"%-?A-Z_a-z]{1,20}\Z'),
           st.dates(datetime.date(1980, 1, 1), datetime.date(2070, 12, 31)),
           st.booleans(), st.sampled_from(['', ']C1', ']d2', GS]))
    def test_label_of_a_lot(self, code, lot, expiry, end_of_month, prefix):
        """GTIN, lot and expiry in any order give the values a label encodes."""
        day = '00' if end_of_month else expiry.strftime('%d')
        expiry_data = expiry.strftime('%y%m') + day
        value = prefix + '01' + code + '17' + expiry_data + '10' + lot
        message = gs1.parse(value)
        self.assertEqual(message.gtin, code)
        self.assertEqual(message.lot, lot)
        if end_of_month:
            expiry = expiry.replace(day=calendar.monthrange(expiry.year, expiry.month)[1])
        self.assertEqual(message.expiration_date, expiry)
        self.assertEqual(biip_outcome(value.lstrip(GS)[len(prefix.lstrip(GS)):])[1][1], expiry)

    @SETTINGS
    @given(st.text(alphabet='0123456789ABab-./\x1d', max_size=40))
    def test_malformed_input(self, value):
        """Random input is read as biip reads it, or refused where biip refuses it or
        reads application identifiers this parser does not know."""
        ours, theirs = our_outcome(value), biip_outcome(value)
        if ours == 'error' and theirs != 'error':
            # nothing to read at all, or an identifier outside this parser's table
            self.assertTrue(not theirs or any(
                ai not in gs1.APPLICATION_IDENTIFIERS for ai, __ in theirs), repr(value))
        else:
            self.assertEqual(ours, theirs, repr(value))

    def test_day_00_is_the_end_of_the_month(self):
        """Day 00 of an expiry is the last day of the month, leap years included."""
        today = datetime.date(2026, 11, 22)
        self.assertEqual(gs1.parse('17260200', today=today).expiration_date,
                         datetime.date(2026, 2, 28))
        self.assertEqual(gs1.parse('17280200', today=today).expiration_date,
                         datetime.date(2028, 2, 29))
        self.assertEqual(gs1.parse('11261200', today=today).production_date,
                         datetime.date(2026, 12, 31))

    def test_century_window(self):
        """Two-digit years are read 49 years back to 50 years ahead."""
        today = datetime.date(2026, 11, 22)
        self.assertEqual(gs1.parse('17760101', today=today).expiration_date.year, 2076)
        self.assertEqual(gs1.parse('17770101', today=today).expiration_date.year, 1977)

    def test_full_label(self):
        """A DataMatrix label with FNC1 separators gives every value."""
        message = gs1.parse(']d2010590123412345715270331\x1d10AB-12/X\x1d1126010121S1')
        self.assertEqual(message.gtin, '05901234123457')
        self.assertEqual(message.best_before_date, datetime.date(2027, 3, 31))
        self.assertEqual(message.lot, 'AB-12/X')
        self.assertEqual(message.production_date, datetime.date(2026, 1, 1))
        self.assertEqual(message.serial, 'S1')

    def test_count_of_items(self):
        """A trade item's variable count (AI 30) and a pallet label's count of the
        trade items it contains (AI 02 and 37) give the GTIN and the count, the
        element strings as biip reads them."""
        for value, gtin, quantity in (
                ('0105901234123457300006\x1d10L1', '05901234123457', 6),
                ('001061414123456789080205901234123457' '3740\x1d10L1',
                 '05901234123457', 40),
                ('010590123412345710L1', '05901234123457', None)):
            message = gs1.parse(value)
            self.assertEqual((message.gtin, message.quantity, message.lot),
                             (gtin, quantity, 'L1'), value)
            self.assertEqual(message.elements, biip_outcome(value), value)

    def test_human_readable_form(self):
        """The human readable form with parentheses is read too."""
        message = gs1.parse('(01)05901234123457(17)261000(10)LOT 1'.replace(' ', ''))
        self.assertEqual(message.lot, 'LOT1')
        self.assertEqual(message.expiration_date, datetime.date(2026, 10, 31))

    def test_unreadable_scans_say_why(self):
        """Malformed scans are refused with the reason."""
        cases = {
            '': 'empty',
            '0105901234123458': 'wrong check digit',
            '17261301': 'not valid',
            '17260231': 'does not exist',
            '88ABC': 'unknown application identifier',
            '0159012341': 'not valid',
            '(01)0590': 'not valid',
            # Arabic-Indic digits: a check digit that Python's int() would accept
            '01\u0660\u0665\u0669\u0660\u0661\u0662\u0663\u0664\u0661\u0662\u0663'
            '\u0664\u0665\u0667': 'not valid',
            '(01)\u0660\u0665\u0669\u0660\u0661\u0662\u0663\u0664\u0661\u0662\u0663'
            '\u0664\u0665\u0667': 'not valid',
        }
        for value, reason in cases.items():
            with self.assertRaises(gs1.GS1Error) as error:
                gs1.parse(value)
            self.assertIn(reason, str(error.exception), value)

    def test_gtin_matches_shorter_barcodes(self):
        """A GTIN-14 matches the EAN-13, UPC-A and EAN-8 a product may carry."""
        self.assertEqual(gs1.gtin_candidates('05901234123457'),
                         ['05901234123457', '5901234123457'])
        self.assertEqual(gs1.gtin_candidates('00000096385074'),
                         ['00000096385074', '0000096385074', '000096385074', '96385074'])
