# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FDA Food Traceability Rule (FSMA 204, 21 CFR part 1 subpart S) "electronic
sortable spreadsheet", shaped as the FDA's template
(FSMAFoodTraceability-ElectronicSortableSpreadsheet-June2024.xlsx): one tab per
Critical Tracking Event (CTE), one column per Key Data Element (KDE) of that event,
composite KDEs split into their parts (a location description into business name,
phone number, address, city, state, ZIP code and country; quantity and unit of
measure; reference document type and number).

Plain Python, no Odoo import. A row is a dict keyed by the column headers of its tab
(:data:`TAB_COLUMNS`) and :data:`EVENT`, the CTE, which says its tab. The writers give
one header row, no merged cells, quantities as numbers, dates in ISO 8601, so that the
FDA can sort and filter every tab on any column:

- :func:`to_xlsx`: a "Request" sheet (what was asked, by whom, when), then one tab per
  CTE, always all of :data:`EVENTS` (an empty tab keeps its header row); dates are date
  cells shown ``yyyy-mm-dd hh:mm:ss`` (sorted and filtered as dates, not as text);
- :func:`to_csv`: CSV holds one table only: :data:`EVENT` first, then the union of the
  tabs' columns (:data:`CSV_COLUMNS`), dates as ISO 8601 text.
"""
import csv
import io
import numbers
from datetime import date, datetime

import xlsxwriter

# Critical Tracking Events this addon records, named as the FDA workbook's tabs, in its
# order (21 CFR 1.1340, 1.1345, 1.1350)
SHIPPING = 'Shipping'
RECEIVING = 'Receiving'
TRANSFORMATION = 'Transformation'
EVENTS = (SHIPPING, RECEIVING, TRANSFORMATION)

# the key of every row: its CTE, that is its tab (the first column of the CSV)
EVENT = 'Critical Tracking Event (CTE)'

# a location description, 21 CFR 1.1310: business name, phone number, physical location
# address, city, state, ZIP code (and country for foreign locations)
LOCATION_PARTS = ('Business Name', 'Phone Number', 'Address', 'City', 'State', 'ZIP Code',
                  'Country')
# the locations the KDEs describe
PREVIOUS_SOURCE = 'Immediate Previous Source'
SUBSEQUENT_RECIPIENT = 'Immediate Subsequent Recipient'
SHIPPED_FROM = 'Shipped From Location'
RECEIVED_AT = 'Receiving Location'
LOT_CODE_SOURCE = 'Traceability Lot Code Source'


def location_columns(location):
    """The seven column headers of a location description: ``location`` followed by
    each of :data:`LOCATION_PARTS`, e.g. "Immediate Previous Source City"."""
    return tuple('%s %s' % (location, part) for part in LOCATION_PARTS)


def location_cells(location, values):
    """{column header: value} of a location description from the values of its
    :data:`LOCATION_PARTS`, in that order."""
    return dict(zip(location_columns(location), values))


LOT_CODE = 'Traceability Lot Code (TLC)'
QUANTITY = 'Quantity'
UNIT = 'Unit of Measure'
PRODUCT = 'Product Description'
LOT_CODE_SOURCE_REFERENCE = 'Traceability Lot Code Source Reference'
DOCUMENT_TYPE = 'Reference Document Type'
DOCUMENT_NUMBER = 'Reference Document Number'
DATE_SHIPPED = 'Date Shipped'
DATE_RECEIVED = 'Date Received'
DATE_TRANSFORMED = 'Date Transformation Completed'
# transformation: each lot of food used, and the new lot of the food produced
INPUT_LOT_CODE = 'Traceability Lot Code (TLC) of Food Used'
INPUT_PRODUCT = 'Product Description of Food Used'
INPUT_QUANTITY = 'Quantity of Food Used'
INPUT_UNIT = 'Unit of Measure of Food Used'
NEW_LOT_CODE = 'New Traceability Lot Code (TLC)'

SHIPPING_COLUMNS = (
    (LOT_CODE,)                                   # 21 CFR 1.1340(a)(1)
    + (QUANTITY, UNIT)                            # 1.1340(a)(2)
    + (PRODUCT,)                                  # 1.1340(a)(3)
    + location_columns(SUBSEQUENT_RECIPIENT)      # 1.1340(a)(4)
    + location_columns(SHIPPED_FROM)              # 1.1340(a)(5)
    + (DATE_SHIPPED,)                             # 1.1340(a)(6)
    + location_columns(LOT_CODE_SOURCE)           # 1.1340(a)(7)
    + (LOT_CODE_SOURCE_REFERENCE,)                # 1.1340(a)(7), or the reference
    + (DOCUMENT_TYPE, DOCUMENT_NUMBER)            # 1.1340(a)(8)
)
RECEIVING_COLUMNS = (
    (LOT_CODE,)                                   # 21 CFR 1.1345(a)(1)
    + (QUANTITY, UNIT)                            # 1.1345(a)(2)
    + (PRODUCT,)                                  # 1.1345(a)(3)
    + location_columns(PREVIOUS_SOURCE)           # 1.1345(a)(4)
    + location_columns(RECEIVED_AT)               # 1.1345(a)(5)
    + (DATE_RECEIVED,)                            # 1.1345(a)(6)
    + location_columns(LOT_CODE_SOURCE)           # 1.1345(a)(7)
    + (LOT_CODE_SOURCE_REFERENCE,)                # 1.1345(a)(7), or the reference
    + (DOCUMENT_TYPE, DOCUMENT_NUMBER)            # 1.1345(a)(8)
)
TRANSFORMATION_COLUMNS = (
    # 21 CFR 1.1350(a)(1): one row per lot of food used
    (INPUT_LOT_CODE, INPUT_PRODUCT, INPUT_QUANTITY, INPUT_UNIT)
    # 1.1350(a)(2): the food produced
    + (NEW_LOT_CODE,)                             # 1.1350(a)(2)(i)
    + location_columns(LOT_CODE_SOURCE)           # 1.1350(a)(2)(ii): where transformed
    + (LOT_CODE_SOURCE_REFERENCE,)                # 1.1350(a)(2)(ii), if applicable
    + (DATE_TRANSFORMED,)                         # 1.1350(a)(2)(iii)
    + (PRODUCT,)                                  # 1.1350(a)(2)(iv)
    + (QUANTITY, UNIT)                            # 1.1350(a)(2)(v)
    + (DOCUMENT_TYPE, DOCUMENT_NUMBER)            # 1.1350(a)(2)(vi)
)
TAB_COLUMNS = {
    SHIPPING: SHIPPING_COLUMNS,
    RECEIVING: RECEIVING_COLUMNS,
    TRANSFORMATION: TRANSFORMATION_COLUMNS,
}


def _union_columns():
    columns = [EVENT]
    for event in EVENTS:
        columns.extend(column for column in TAB_COLUMNS[event] if column not in columns)
    return tuple(columns)


# the CSV's columns: the event, then each tab's columns in the order of EVENTS, a column
# the tabs share (lot code, quantity, product, lot code source...) where it first comes
CSV_COLUMNS = _union_columns()
NUMERIC_COLUMNS = (QUANTITY, INPUT_QUANTITY)
DATE_COLUMNS = (DATE_SHIPPED, DATE_RECEIVED, DATE_TRANSFORMED)
ISO_FORMAT = '%Y-%m-%dT%H:%M:%SZ'

# the Request sheet: key the caller gives -> label, in this order
REQUEST_SHEET = 'Request'
REQUEST_FIELDS = (
    ('company', 'Company'),
    ('request', 'Request'),
    ('lots', 'Traceability Lot Codes Requested'),
    ('date_from', 'Period From'),
    ('date_to', 'Period To'),
    ('generated_at', 'Generated At'),
    ('generated_by', 'Generated By'),
)
REQUEST_EMPTY = {'date_from': 'the first event', 'date_to': 'the time generated'}


def _parse_date(value):
    """A datetime of a date cell: a datetime, a date, or ISO 8601 text (``Z`` or no
    offset: UTC); None when it is none of these."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = ('%s' % value).strip().replace(' ', 'T')
    if text.endswith('Z'):
        text = text[:-1]
    for pattern in ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M', '%Y-%m-%d'):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def check_rows(rows):
    """Refuse a row of an unknown event, with columns its tab does not have, a
    quantity that is no number or a date that is no ISO 8601 date."""
    for index, row in enumerate(rows, 1):
        event = row.get(EVENT)
        if event not in EVENTS:
            raise ValueError('row %d: %r is not one of the events %s'
                             % (index, event, ', '.join(EVENTS)))
        unknown = set(row) - set(TAB_COLUMNS[event]) - {EVENT}
        if unknown:
            raise ValueError('row %d has columns the %s tab does not have: %s'
                             % (index, event, ', '.join(sorted(unknown))))
        for column in NUMERIC_COLUMNS:
            value = row.get(column)
            if value not in (None, '', False) and (isinstance(value, bool) or not isinstance(
                    value, numbers.Number)):
                raise ValueError('row %d: %s %r is not a number' % (index, column, value))
        for column in DATE_COLUMNS:
            value = row.get(column)
            if value not in (None, '', False) and _parse_date(value) is None:
                raise ValueError('row %d: %s %r is not an ISO 8601 date'
                                 % (index, column, value))


def _cell(row, column):
    value = row.get(column)
    if value is None or value is False:
        return ''
    return value


def _csv_cell(row, column):
    value = _cell(row, column)
    if column in DATE_COLUMNS and value != '':
        return _parse_date(value).strftime(ISO_FORMAT)
    return value


def to_csv(rows):
    """The spreadsheet as one CSV table (UTF-8 with a byte order mark, for spreadsheet
    programs to read the accents), as bytes: the header row :data:`CSV_COLUMNS`, then
    the rows in their order, the cells of other tabs' columns empty."""
    check_rows(rows)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator='\r\n')
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row, column) for column in CSV_COLUMNS])
    return ('\ufeff' + output.getvalue()).encode('utf-8')


def _request_value(key, value):
    if value is None or value is False or value == '':
        return REQUEST_EMPTY.get(key, '')
    if isinstance(value, (list, tuple)):
        return '; '.join('%s' % item for item in value)
    return value


def _write_request(workbook, formats, request, rows):
    sheet = workbook.add_worksheet(REQUEST_SHEET)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 80)
    lines = [(label, _request_value(key, request.get(key))) for key, label in REQUEST_FIELDS]
    lines.append(('Dates and Times', 'UTC'))
    for event in EVENTS:
        lines.append(('%s Rows' % event, sum(1 for row in rows if row[EVENT] == event)))
    for index, (label, value) in enumerate(lines):
        sheet.write_string(index, 0, label, formats['bold'])
        if isinstance(value, (datetime, date)):
            sheet.write_datetime(index, 1, _parse_date(value), formats['date'])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(index, 1, value)
        else:
            sheet.write_string(index, 1, '%s' % value)


def _write_tab(workbook, formats, event, rows):
    columns = TAB_COLUMNS[event]
    sheet = workbook.add_worksheet(event)
    for column, header in enumerate(columns):
        sheet.write_string(0, column, header, formats['bold'])
        sheet.set_column(column, column, max(12, min(len(header), 40)))
    for index, row in enumerate(rows, 1):
        for column, header in enumerate(columns):
            value = _cell(row, header)
            if value == '':
                continue  # an empty cell, sorted last
            if header in NUMERIC_COLUMNS:
                sheet.write_number(index, column, float(value))
            elif header in DATE_COLUMNS:
                sheet.write_datetime(index, column, _parse_date(value), formats['date'])
            else:
                sheet.write_string(index, column, '%s' % value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)


def to_xlsx(rows, request=None):
    """The spreadsheet as an XLSX workbook, as bytes: the "Request" sheet, then one tab
    per CTE of :data:`EVENTS` (all of them, an empty one with its header row), each
    with one header row (frozen, with an autofilter), the event's rows in their
    order, no merged cells.

    :param request: dict of what the Request sheet says, keys of :data:`REQUEST_FIELDS`:
        ``company``, ``request`` (what the file answers), ``lots`` (lot codes asked for,
        a list or text), ``date_from`` and ``date_to`` (the period, None: not limited),
        ``generated_at`` (datetime, UTC), ``generated_by``
    """
    request = request or {}
    unknown = set(request) - {key for key, _label in REQUEST_FIELDS}
    if unknown:
        raise ValueError('the Request sheet has no field %s' % ', '.join(sorted(unknown)))
    check_rows(rows)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    formats = {'bold': workbook.add_format({'bold': True}),
               'date': workbook.add_format({'num_format': 'yyyy-mm-dd hh:mm:ss'})}
    _write_request(workbook, formats, request, rows)
    for event in EVENTS:
        _write_tab(workbook, formats, event, [row for row in rows if row[EVENT] == event])
    workbook.close()
    return output.getvalue()
