# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The FSMA 204 spreadsheet writers of lib/fsma204.py, without a database."""
import csv
import io
from datetime import datetime

import openpyxl
import pytest

from ..lib import fsma204

FARM = ('Green Farm', '+1 555 0100', '1 Farm Road', 'Greenfield', 'Iowa', '50001',
        'United States')
ROWS = [
    dict({fsma204.EVENT: fsma204.RECEIVING, fsma204.LOT_CODE: 'LOT-1',
          fsma204.PRODUCT: 'Crème fraîche', fsma204.QUANTITY: 20.0, fsma204.UNIT: 'kg',
          fsma204.DATE_RECEIVED: '2026-01-05T09:30:00Z'},
         **fsma204.location_cells(fsma204.PREVIOUS_SOURCE, FARM)),
    {fsma204.EVENT: fsma204.SHIPPING, fsma204.LOT_CODE: 'LOT-1', fsma204.QUANTITY: 2.5,
     fsma204.DATE_SHIPPED: '2026-01-06T10:00:00Z'},
    {fsma204.EVENT: fsma204.TRANSFORMATION, fsma204.INPUT_LOT_CODE: 'LOT-1',
     fsma204.INPUT_QUANTITY: 4, fsma204.INPUT_UNIT: 'kg', fsma204.NEW_LOT_CODE: 'NEW-1',
     fsma204.QUANTITY: 12.0, fsma204.DATE_TRANSFORMED: '2026-01-05T15:00:00Z'},
    {fsma204.EVENT: fsma204.RECEIVING, fsma204.LOT_CODE: 'LOT-0', fsma204.QUANTITY: 3.0,
     fsma204.DATE_RECEIVED: '2026-01-04T08:00:00Z'},
]
REQUEST = {'company': 'Our Dairy', 'request': 'FDA request 42', 'lots': ['LOT-1', 'LOT-0'],
           'date_from': datetime(2026, 1, 1), 'date_to': None,
           'generated_at': datetime(2026, 1, 7, 12, 0), 'generated_by': 'Clerk'}


def _workbook(rows=None):
    return openpyxl.load_workbook(io.BytesIO(fsma204.to_xlsx(
        ROWS if rows is None else rows, REQUEST)))


def _table(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_a_location_description_is_seven_columns():
    """A location description: business name, phone, address, city, state, ZIP code,
    country, each in a column named after the location."""
    assert fsma204.location_columns(fsma204.PREVIOUS_SOURCE) == (
        'Immediate Previous Source Business Name', 'Immediate Previous Source Phone Number',
        'Immediate Previous Source Address', 'Immediate Previous Source City',
        'Immediate Previous Source State', 'Immediate Previous Source ZIP Code',
        'Immediate Previous Source Country')


def test_shipping_columns_are_the_kdes_of_1_1340():
    """Shipping: lot code, quantity and unit, product, recipient, shipped from, date,
    lot code source, reference document, in the order of 21 CFR 1.1340(a)."""
    assert fsma204.SHIPPING_COLUMNS == (
        ('Traceability Lot Code (TLC)', 'Quantity', 'Unit of Measure', 'Product Description')
        + fsma204.location_columns('Immediate Subsequent Recipient')
        + fsma204.location_columns('Shipped From Location') + ('Date Shipped',)
        + fsma204.location_columns('Traceability Lot Code Source')
        + ('Traceability Lot Code Source Reference', 'Reference Document Type',
           'Reference Document Number'))


def test_receiving_columns_are_the_kdes_of_1_1345():
    """Receiving: lot code, quantity and unit, product, previous source, receiving
    location, date, lot code source, reference document (21 CFR 1.1345(a))."""
    assert fsma204.RECEIVING_COLUMNS == (
        ('Traceability Lot Code (TLC)', 'Quantity', 'Unit of Measure', 'Product Description')
        + fsma204.location_columns('Immediate Previous Source')
        + fsma204.location_columns('Receiving Location') + ('Date Received',)
        + fsma204.location_columns('Traceability Lot Code Source')
        + ('Traceability Lot Code Source Reference', 'Reference Document Type',
           'Reference Document Number'))


def test_transformation_columns_are_the_kdes_of_1_1350():
    """Transformation: the lot used (code, product, quantity, unit), then the new lot
    code, where transformed, date, product, quantity, unit, document (1.1350(a))."""
    assert fsma204.TRANSFORMATION_COLUMNS == (
        ('Traceability Lot Code (TLC) of Food Used', 'Product Description of Food Used',
         'Quantity of Food Used', 'Unit of Measure of Food Used',
         'New Traceability Lot Code (TLC)')
        + fsma204.location_columns('Traceability Lot Code Source')
        + ('Traceability Lot Code Source Reference', 'Date Transformation Completed',
           'Product Description', 'Quantity', 'Unit of Measure', 'Reference Document Type',
           'Reference Document Number'))


def test_xlsx_has_the_request_sheet_then_one_tab_per_event():
    """XLSX: the Request sheet, then the Shipping, Receiving, Transformation tabs of
    the FDA workbook, each with its header row and its rows in their order."""
    workbook = _workbook()
    assert workbook.sheetnames == ['Request', 'Shipping', 'Receiving', 'Transformation']
    receiving = _table(workbook['Receiving'])
    assert receiving[0] == fsma204.RECEIVING_COLUMNS
    assert [line[0] for line in receiving[1:]] == ['LOT-1', 'LOT-0']
    assert receiving[1][:4] == ('LOT-1', 20.0, 'kg', 'Crème fraîche')
    assert receiving[1][4:11] == FARM
    transformation = _table(workbook['Transformation'])
    assert transformation[1][:5] == ('LOT-1', None, 4, 'kg', 'NEW-1')


def test_xlsx_tabs_are_sortable():
    """Every tab: bold frozen header row, an autofilter over the table, no merged cell,
    quantities as numbers, dates as date cells, empty cells left empty."""
    workbook = _workbook()
    for name in fsma204.EVENTS:
        sheet = workbook[name]
        assert sheet.freeze_panes == 'A2'
        assert not sheet.merged_cells.ranges
        assert sheet['A1'].font.bold
    sheet = workbook['Receiving']
    assert sheet.auto_filter.ref == 'A1:AC3'
    date_column = fsma204.RECEIVING_COLUMNS.index(fsma204.DATE_RECEIVED) + 1
    assert sheet.cell(2, date_column).value == datetime(2026, 1, 5, 9, 30)
    assert sheet.cell(2, date_column).number_format == 'yyyy-mm-dd hh:mm:ss'
    by_date = sorted(_table(sheet)[1:], key=lambda line: line[date_column - 1])
    assert [line[0] for line in by_date] == ['LOT-0', 'LOT-1']
    assert sheet.cell(3, 2).value == 3 and sheet.cell(3, 2).data_type == 'n'
    assert sheet.cell(3, 4).value is None  # no product description given


def test_empty_tab_keeps_its_header():
    """A tab without rows is there with its header row and its autofilter."""
    workbook = _workbook([ROWS[0]])
    sheet = workbook['Transformation']
    assert _table(sheet) == [fsma204.TRANSFORMATION_COLUMNS]
    assert sheet.auto_filter.ref == 'A1:S1'
    assert _table(workbook['Shipping']) == [fsma204.SHIPPING_COLUMNS]


def test_request_sheet_says_what_was_asked():
    """The Request sheet: company, request, lots, period (open ends said), when and by
    whom, times in UTC, then the number of rows of each tab."""
    table = dict(_table(_workbook()['Request']))
    assert table['Company'] == 'Our Dairy'
    assert table['Request'] == 'FDA request 42'
    assert table['Traceability Lot Codes Requested'] == 'LOT-1; LOT-0'
    assert table['Period From'] == datetime(2026, 1, 1)
    assert table['Period To'] == 'the time generated'
    assert table['Generated At'] == datetime(2026, 1, 7, 12, 0)
    assert table['Generated By'] == 'Clerk'
    assert table['Dates and Times'] == 'UTC'
    assert (table['Shipping Rows'], table['Receiving Rows'],
            table['Transformation Rows']) == (1, 2, 1)


def test_request_sheet_refuses_unknown_fields():
    """A Request sheet field the writer does not know is refused."""
    with pytest.raises(ValueError, match='Colour'):
        fsma204.to_xlsx(ROWS, {'Colour': 'red'})


def test_csv_is_one_table_of_the_tabs_columns():
    """CSV: a byte order mark, the event then the union of the tabs' columns (each
    once, where it first comes), one line per row, ISO 8601 dates."""
    content = fsma204.to_csv(ROWS)
    assert content.startswith('\ufeff'.encode('utf-8'))
    table = list(csv.reader(io.StringIO(content.decode('utf-8-sig'))))
    header = table[0]
    assert header[0] == fsma204.EVENT
    assert tuple(header) == fsma204.CSV_COLUMNS
    assert len(header) == len(set(header))
    for columns in fsma204.TAB_COLUMNS.values():
        assert set(columns) <= set(header)
    assert header[1:len(fsma204.SHIPPING_COLUMNS) + 1] == list(fsma204.SHIPPING_COLUMNS)
    assert len(table) == 5
    line = dict(zip(header, table[1]))
    assert [line[column] for column in (
        fsma204.EVENT, fsma204.LOT_CODE, fsma204.QUANTITY, fsma204.DATE_RECEIVED)] == [
        'Receiving', 'LOT-1', '20.0', '2026-01-05T09:30:00Z']
    assert line['Immediate Previous Source ZIP Code'] == '50001'
    assert line[fsma204.DATE_SHIPPED] == ''
    line = dict(zip(header, table[3]))
    assert (line[fsma204.INPUT_LOT_CODE], line[fsma204.NEW_LOT_CODE]) == ('LOT-1', 'NEW-1')


def test_unknown_columns_and_events_are_refused():
    """A row with a column its tab does not have, or an event the spreadsheet does
    not have, is refused."""
    with pytest.raises(ValueError, match='Colour'):
        fsma204.to_csv([dict(ROWS[0], Colour='red')])
    with pytest.raises(ValueError, match='Receiving tab .* Date Shipped'):
        fsma204.to_xlsx([dict(ROWS[0], **{fsma204.DATE_SHIPPED: '2026-01-05'})])
    with pytest.raises(ValueError, match='Harvesting'):
        fsma204.to_xlsx([dict(ROWS[0], **{fsma204.EVENT: 'Harvesting'})])


def test_text_quantities_and_dates_are_refused():
    """A quantity that is no number, a date that is no ISO 8601 date, are refused."""
    with pytest.raises(ValueError, match='Quantity .* not a number'):
        fsma204.to_csv([dict(ROWS[0], **{fsma204.QUANTITY: '20 kg'})])
    with pytest.raises(ValueError, match='Date Received .* not an ISO 8601 date'):
        fsma204.to_xlsx([dict(ROWS[0], **{fsma204.DATE_RECEIVED: '5 January'})])
