# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FDA Food Traceability Rule (FSMA 204, 21 CFR part 1 subpart S) "electronic
sortable spreadsheet": one row per Critical Tracking Event (CTE) with its Key Data
Elements (KDEs), as XLSX (xlsxwriter) or CSV.

Plain Python, no Odoo import. Rows are dicts keyed by :data:`COLUMNS`; the writers
give one header row, no merged cells, dates in ISO 8601, quantities as numbers, so
that the FDA can sort and filter the sheet on any column.
"""
import csv
import io

import xlsxwriter

# Critical Tracking Events this addon records (21 CFR 1.1340, 1.1345, 1.1350)
RECEIVING = 'Receiving'
SHIPPING = 'Shipping'
TRANSFORMATION = 'Transformation'
EVENTS = (RECEIVING, SHIPPING, TRANSFORMATION)

# The columns, named after the KDEs of the rule, in the order of the FDA's sortable
# spreadsheet: the event, what (lot, product, quantity), where and when, from whom or
# to whom, where the lot code comes from, and the reference document.
EVENT = 'Critical Tracking Event (CTE)'
LOT_CODE = 'Traceability Lot Code (TLC)'
PRODUCT = 'Product Description'
QUANTITY = 'Quantity'
UNIT = 'Unit of Measure'
LOCATION = 'Location Description'
DATE = 'Date'
PREVIOUS_SOURCE = 'Immediate Previous Source Location Description'
SUBSEQUENT_RECIPIENT = 'Immediate Subsequent Recipient Location Description'
LOT_CODE_SOURCE = 'Traceability Lot Code Source Location Description'
INPUT_LOT_CODES = 'Traceability Lot Codes of Food Used in Transformation'
DOCUMENT_TYPE = 'Reference Document Type'
DOCUMENT_NUMBER = 'Reference Document Number'
COLUMNS = (EVENT, LOT_CODE, PRODUCT, QUANTITY, UNIT, LOCATION, DATE, PREVIOUS_SOURCE,
           SUBSEQUENT_RECIPIENT, LOT_CODE_SOURCE, INPUT_LOT_CODES, DOCUMENT_TYPE,
           DOCUMENT_NUMBER)
NUMERIC_COLUMNS = (QUANTITY,)


def check_rows(rows):
    """Refuse rows with other keys than :data:`COLUMNS` or an unknown event."""
    for index, row in enumerate(rows, 1):
        unknown = set(row) - set(COLUMNS)
        if unknown:
            raise ValueError('row %d has columns the spreadsheet does not have: %s'
                             % (index, ', '.join(sorted(unknown))))
        if row.get(EVENT) not in EVENTS:
            raise ValueError('row %d: %r is not one of the events %s'
                             % (index, row.get(EVENT), ', '.join(EVENTS)))


def _cell(row, column):
    value = row.get(column)
    if value is None:
        return ''
    return value


def to_csv(rows):
    """The spreadsheet as CSV text (UTF-8 with a byte order mark, for spreadsheet
    programs to read the accents), as bytes."""
    check_rows(rows)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator='\r\n')
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row, column) for column in COLUMNS])
    return ('\ufeff' + output.getvalue()).encode('utf-8')


def to_xlsx(rows, sheet_name='FSMA 204'):
    """The spreadsheet as an XLSX workbook, as bytes: one sheet, one header row
    (frozen, with an autofilter), one row per event, no merged cells."""
    check_rows(rows)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet(sheet_name)
    bold = workbook.add_format({'bold': True})
    for column, header in enumerate(COLUMNS):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, max(12, min(len(header), 40)))
    for index, row in enumerate(rows, 1):
        for column, header in enumerate(COLUMNS):
            value = _cell(row, header)
            if header in NUMERIC_COLUMNS and value != '':
                sheet.write_number(index, column, float(value))
            else:
                sheet.write_string(index, column, '%s' % value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    workbook.close()
    return output.getvalue()
