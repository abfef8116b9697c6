# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read the GS1 element strings of a GS1-128 or GS1 DataMatrix scan.

Plain Python, no Odoo import: ``parse(scan)`` returns a :class:`GS1Message` with the
GTIN (AI 01, or 02 on a logistic unit's label), the batch/lot (AI 10), the expiration
(17), best before (15) and production (11) dates, the count of items (30 or 37), and
every element string found; it raises :class:`GS1Error`
with a readable reason on anything it cannot read.

Rules followed (GS1 General Specifications):
- an optional symbology identifier (``]C1``, ``]d2``, ``]Q3``, ``]e0``, ``]J1``) and
  leading FNC1 separators are skipped;
- variable-length elements end at a separator (FNC1, transmitted as ASCII 29 "GS")
  or at their maximum length; a separator after a fixed-length element is accepted;
- dates are YYMMDD, the century chosen by the sliding window of section 7.12
  (49 years back, 50 years ahead), and day ``00`` means the last day of the month;
- a GTIN must carry a valid check digit;
- digits are ASCII digits (a pasted string with other Unicode digits is refused);
- the human readable form ``(01)09501101530003(10)ABC`` is accepted too;
- a GS1 Digital Link URI (``https://id.gs1.org/01/09501101530003/10/ABC?17=271231``,
  any domain and path prefix, qualifiers in the path, data attributes in the query,
  values percent-encoded) is read into the same element strings, and
  :func:`digital_link` writes one.
"""
import calendar
import datetime
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

GROUP_SEPARATOR = '\x1d'
SYMBOLOGY_IDENTIFIERS = (']C1', ']e0', ']d2', ']Q3', ']J1')

# GS1 AI encodable character set 82, as a regex character class
CSET82 = '[!"%-?A-Z_a-z]'
DATE = r'\d{2}(?:0\d|1[0-2])(?:[0-2]\d|3[01])'


def _variable(maximum):
    return '%s{1,%d}' % (CSET82, maximum)


# application identifier -> regular expression of its data
APPLICATION_IDENTIFIERS = {
    '00': r'\d{18}',
    '01': r'\d{14}',
    '02': r'\d{14}',
    '10': _variable(20),
    '11': DATE,
    '12': DATE,
    '13': DATE,
    '15': DATE,
    '16': DATE,
    '17': DATE,
    '20': r'\d{2}',
    '21': _variable(20),
    '22': _variable(20),
    '240': _variable(30),
    '241': _variable(30),
    '250': _variable(30),
    '251': _variable(30),
    '254': _variable(20),
    '30': r'\d{0,8}',
    '37': r'\d{1,8}',
    '400': _variable(30),
    '401': _variable(30),
    '403': _variable(30),
    '420': _variable(20),
    '422': r'\d{3}',
    '8005': r'\d{6}',
    '90': _variable(30),
}
APPLICATION_IDENTIFIERS.update(('%d' % ai, r'\d{13}') for ai in range(410, 418))
APPLICATION_IDENTIFIERS.update(('%d' % ai, _variable(90)) for ai in range(91, 100))
# trade measures (net weight, length, area, volume...): AI 31nd-36nd, d = decimals
for _prefix in list(range(310, 317)) + list(range(320, 338)) + list(range(340, 358)) \
        + list(range(360, 370)):
    APPLICATION_IDENTIFIERS.update(('%d%d' % (_prefix, d), r'\d{6}') for d in range(6))
APPLICATION_IDENTIFIERS.update(('390%d' % d, r'\d{1,15}') for d in range(10))
APPLICATION_IDENTIFIERS.update(('392%d' % d, r'\d{1,15}') for d in range(10))
APPLICATION_IDENTIFIERS.update(('391%d' % d, r'\d{3}\d{1,15}') for d in range(10))
APPLICATION_IDENTIFIERS.update(('393%d' % d, r'\d{3}\d{1,15}') for d in range(10))

DATE_AIS = ('11', '12', '13', '15', '16', '17')
# Digital Link: primary keys the URI path starts with, and the qualifiers of a GTIN
DIGITAL_LINK_KEYS = ('01', '00', '414', '417', '8003', '8004', '8006', '8010', '8017',
                     '8018', '253', '255', '401', '402')
DIGITAL_LINK_DOMAIN = 'https://id.gs1.org'
# GS1 Digital Link 1.2, table 7-1: characters of AI data written as they are
URI_SAFE = "-._~'&;=$"
HRI_ELEMENT = re.compile(r'\((\d{2,4})\)([^(]*)', re.ASCII)


class GS1Error(ValueError):
    """A scan that is not a readable GS1 message; ``str(error)`` says why."""


class GS1Message(object):
    """The element strings of one scan, with the values the lot entry needs."""

    def __init__(self, elements):
        #: list of (application identifier, data) in scan order
        self.elements = elements
        self._values = dict(elements)

    def get(self, ai, default=None):
        return self._values.get(ai, default)

    @property
    def gtin(self):
        """The GTIN of the trade items: AI 01, or on the label of a logistic unit (a
        pallet's SSCC label) AI 02, the GTIN of the trade items it contains."""
        return self._values.get('01') or self._values.get('02')

    @property
    def quantity(self):
        """The count of trade items, as an integer: AI 30 (variable count of items)
        or AI 37 (count of trade items in a logistic unit); None when the scan carries
        none."""
        value = self._values.get('30') or self._values.get('37')
        return int(value) if value else None

    @property
    def lot(self):
        return self._values.get('10')

    @property
    def serial(self):
        return self._values.get('21')

    @property
    def expiration_date(self):
        return self._values.get('17')

    @property
    def best_before_date(self):
        return self._values.get('15')

    @property
    def production_date(self):
        return self._values.get('11')


def gtin_check_digit(digits):
    """GS1 modulo-10 check digit of ``digits`` (the GTIN without its check digit)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1)
                for index, digit in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def gtin_candidates(gtin):
    """Barcodes a product may carry for a GTIN-14: itself, GTIN-13, UPC-A and EAN-8."""
    candidates = [gtin]
    for length in (13, 12, 8):
        if gtin[:len(gtin) - length].strip('0') == '':
            candidates.append(gtin[-length:])
    return candidates


def parse_date(value, today=None):
    """The date of a GS1 YYMMDD value (sliding century window, day 00 = month end)."""
    today = today or datetime.date.today()
    year, month, day = int(value[0:2]), int(value[2:4]), int(value[4:6])
    current_century = today.year - today.year % 100
    difference = year - today.year % 100
    if 51 <= difference <= 99:
        year += current_century - 100
    elif -99 <= difference <= -50:
        year += current_century + 100
    else:
        year += current_century
    if not 1 <= month <= 12:
        raise GS1Error('month %s of date %s does not exist' % (value[2:4], value))
    if day == 0:
        day = calendar.monthrange(year, month)[1]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise GS1Error('date %s does not exist' % value)


def _extract_ai(rest):
    for length in (2, 3, 4):
        if rest[:length] in APPLICATION_IDENTIFIERS:
            return rest[:length]
    raise GS1Error('unknown application identifier at "%s"' % rest[:20])


def _convert(ai, data, today):
    if ai in DATE_AIS:
        return parse_date(data, today)
    if ai in ('01', '02') and gtin_check_digit(data[:-1]) != data[-1]:
        raise GS1Error('GTIN %s has a wrong check digit (expected %s)'
                       % (data, gtin_check_digit(data[:-1])))
    return data


def _strip_prefix(value, separators):
    for identifier in SYMBOLOGY_IDENTIFIERS:
        if value.startswith(identifier):
            value = value[len(identifier):]
            break
    return value.lstrip(''.join(separators))


def normalise_gtin(barcode):
    """The GTIN-14 of a product barcode (GTIN-8, UPC-A, EAN-13 or GTIN-14 with a valid
    check digit), or None if the barcode is no GTIN."""
    value = (barcode or '').strip()
    if not re.match(r'^(?:\d{8}|\d{12}|\d{13}|\d{14})$', value):
        return None
    if gtin_check_digit(value[:-1]) != value[-1]:
        return None
    return value.zfill(14)


def is_gln(value):
    """Whether ``value`` is a Global Location Number: 13 digits, valid check digit."""
    return bool(re.match(r'^\d{13}$', value or '')) \
        and gtin_check_digit(value[:-1]) == value[-1]


def quote_key(value):
    """``value`` as one path segment of a URI, percent-encoded as Digital Link does."""
    return quote('%s' % value, safe=URI_SAFE)


def digital_link(gtin, lot=None, expiration_date=None, domain=DIGITAL_LINK_DOMAIN):
    """The GS1 Digital Link URI of a GTIN, with its batch/lot and expiration date:
    ``https://id.gs1.org/01/{GTIN-14}/10/{lot}?17=YYMMDD`` (lot percent-encoded)."""
    uri = '%s/01/%s' % (domain.rstrip('/'), gtin.zfill(14))
    if lot:
        uri += '/10/%s' % quote_key(lot)
    if expiration_date:
        uri += '?17=%s' % expiration_date.strftime('%y%m%d')
    return uri


def is_digital_link(scan):
    """Whether ``scan`` looks like a Digital Link URI (http(s) with a GS1 key path)."""
    value = (scan or '').strip()
    return bool(re.match(r'^https?://', value, re.IGNORECASE))


def parse_digital_link(uri, today=None):
    """Read a GS1 Digital Link URI into a :class:`GS1Message`; raise GS1Error."""
    parts = urlsplit(uri.strip())
    segments = [unquote(segment) for segment in parts.path.split('/') if segment]
    start = next((index for index, segment in enumerate(segments)
                  if segment in DIGITAL_LINK_KEYS and index + 1 < len(segments)), None)
    if start is None:
        raise GS1Error('the address %s carries no GS1 key (such as /01/ and a GTIN)'
                       % uri[:80])
    pairs = segments[start:]
    if len(pairs) % 2:
        raise GS1Error('the path of %s does not alternate application identifiers and '
                       'values' % uri[:80])
    elements = list(zip(pairs[0::2], pairs[1::2]))
    elements.extend((ai, value) for ai, value in parse_qsl(parts.query)
                    if re.match(r'^\d{2,4}$', ai))
    result = []
    for ai, data in elements:
        if ai not in APPLICATION_IDENTIFIERS:
            raise GS1Error('unknown application identifier (%s)' % ai)
        if ai in ('01', '02') and re.match(r'^(?:\d{8}|\d{12}|\d{13})$', data):
            data = data.zfill(14)
        if not re.match('(?:%s)$' % APPLICATION_IDENTIFIERS[ai], data):
            raise GS1Error('the data "%s" of application identifier %s is not valid'
                           % (data[:30], ai))
        result.append((ai, _convert(ai, data, today)))
    return GS1Message(result)


def parse(scan, separators=(GROUP_SEPARATOR,), today=None):
    """Parse a scanned GS1 string into a :class:`GS1Message`; raise GS1Error if unreadable.

    ``separators`` are the characters standing for FNC1 (ASCII 29 by default);
    ``today`` fixes the reference date of the century window (default: today).
    """
    if is_digital_link(scan):
        return parse_digital_link(scan, today)
    value = _strip_prefix((scan or '').strip(), separators)
    if not value:
        raise GS1Error('the scan is empty')
    if value.startswith('('):
        return _parse_hri(value, today)
    elements = []
    rest = value
    while rest:
        ai = _extract_ai(rest)
        data = rest[len(ai):]
        for separator in separators:
            data = data.split(separator, 1)[0]
        match = re.match(APPLICATION_IDENTIFIERS[ai], data, re.ASCII)
        if not match or (not match.group(0) and ai != '30'):
            raise GS1Error('the data "%s" of application identifier %s is not valid'
                           % (data[:30], ai))
        elements.append((ai, _convert(ai, match.group(0), today)))
        rest = rest[len(ai) + len(match.group(0)):].lstrip(''.join(separators))
    return GS1Message(elements)


def _parse_hri(value, today):
    """Parse the human readable form: each AI in parentheses, followed by its data."""
    position = 0
    elements = []
    while position < len(value):
        match = HRI_ELEMENT.match(value, position)
        if not match:
            raise GS1Error('cannot read "%s" as (AI)data' % value[position:position + 20])
        ai, data = match.group(1), match.group(2)
        if ai not in APPLICATION_IDENTIFIERS:
            raise GS1Error('unknown application identifier (%s)' % ai)
        if not re.match('(?:%s)$' % APPLICATION_IDENTIFIERS[ai], data, re.ASCII):
            raise GS1Error('the data "%s" of application identifier %s is not valid'
                           % (data[:30], ai))
        elements.append((ai, _convert(ai, data, today)))
        position = match.end()
    return GS1Message(elements)
