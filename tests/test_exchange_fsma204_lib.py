# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FSMA 204 spreadsheet writers of lib/fsma204.py, without a database."""
import csv
import io

import openpyxl
import pytest

from ..lib import fsma204

ROWS = [
    {fsma204.EVENT: fsma204.RECEIVING, fsma204.LOT_CODE: 'LOT-1',
     fsma204.PRODUCT: 'Crème fraîche', fsma204.QUANTITY: 20.0, fsma204.UNIT: 'kg',
     fsma204.DATE: '2026-01-05T09:30:00Z', fsma204.PREVIOUS_SOURCE: 'Farm, Town'},
    {fsma204.EVENT: fsma204.SHIPPING, fsma204.LOT_CODE: 'LOT-1', fsma204.QUANTITY: 2.5,
     fsma204.DATE: '2026-01-06T10:00:00Z'},
]


def test_columns_are_the_kdes():
    """The columns: event, lot code, product, quantity and unit, location, date,
    source / recipient, lot code source, input lots, reference document."""
    assert fsma204.COLUMNS == (
        'Critical Tracking Event (CTE)', 'Traceability Lot Code (TLC)',
        'Product Description', 'Quantity', 'Unit of Measure', 'Location Description',
        'Date', 'Immediate Previous Source Location Description',
        'Immediate Subsequent Recipient Location Description',
        'Traceability Lot Code Source Location Description',
        'Traceability Lot Codes of Food Used in Transformation',
        'Reference Document Type', 'Reference Document Number')


def test_csv_has_one_header_row_and_one_row_per_event():
    """CSV: a byte order mark, the header row, then the rows with empty cells."""
    content = fsma204.to_csv(ROWS)
    assert content.startswith('\ufeff'.encode('utf-8'))
    table = list(csv.reader(io.StringIO(content.decode('utf-8-sig'))))
    assert table[0] == list(fsma204.COLUMNS)
    assert len(table) == 3
    assert table[1][:5] == ['Receiving', 'LOT-1', 'Crème fraîche', '20.0', 'kg']
    assert table[2][fsma204.COLUMNS.index(fsma204.PRODUCT)] == ''


def test_xlsx_is_sortable():
    """XLSX: one sheet, bold header row, numbers as numbers, no merged cell, an
    autofilter over the table."""
    sheet = openpyxl.load_workbook(io.BytesIO(fsma204.to_xlsx(ROWS))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == fsma204.COLUMNS
    assert rows[2][fsma204.COLUMNS.index(fsma204.QUANTITY)] == 2.5
    assert rows[1][fsma204.COLUMNS.index(fsma204.DATE)] == '2026-01-05T09:30:00Z'
    assert not sheet.merged_cells.ranges
    assert sheet.auto_filter.ref == 'A1:M3'
    assert sheet['A1'].font.bold


def test_unknown_columns_and_events_are_refused():
    """A row with a column or an event the spreadsheet does not have is refused."""
    with pytest.raises(ValueError, match='Colour'):
        fsma204.to_csv([dict(ROWS[0], Colour='red')])
    with pytest.raises(ValueError, match='Harvesting'):
        fsma204.to_xlsx([dict(ROWS[0], **{fsma204.EVENT: 'Harvesting'})])
