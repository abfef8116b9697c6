"""The scenarios of the addon as a user plays them in the web client (issue 12, 1 to 9;
the trace exports, 10 and 11).

Each test builds its own records through XML-RPC as admin (conftest's ``data``), then
clicks and types in Chromium like a user; conftest keeps its last screen in e2e/results/.
Scenario 1 installs the addon from Apps on a database of its own, created at the start of
the session in the background (conftest's ``apps_database``).
"""
import datetime
import json
import os
import re

import openpyxl
import pytz


RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results')
STOCK_USER = 'stock.group_stock_user'
QUALITY = 'stock_lot_tracking.group_lot_quality'
# the Critical Tracking Events of the FSMA 204 spreadsheet, as its rows or tabs name them
FSMA204_EVENTS = ('Receiving', 'Shipping', 'Transformation')


def open_lot(web, page, lot_id):
    """The lot's form, as Inventory > Lots opens it."""
    return web.open_record(page, 'stock_lot_tracking.stock_production_lot_action',
                           'stock.production.lot', lot_id)


def exact(text):
    """A pattern matching an element whose whole text is ``text``."""
    return re.compile(r'^\s*%s\s*$' % re.escape(text))


def status_is(page, state):
    """Wait until the form's status bar shows ``state`` as the current one."""
    page.wait_for_selector('.o_form_view .o_statusbar_status .btn-primary:has-text("%s")'
                           % state)


def finish_validation(web, page, answers=('Apply', 'Create Backorder')):
    """Answer Odoo's validation dialogs (immediate transfer, backorder) until Done."""
    done = '.o_form_view .o_statusbar_status .btn-primary:has-text("Done")'
    dialog = '.modal-dialog:visible .modal-footer'
    while True:
        page.wait_for_selector('%s, %s' % (done, dialog))
        if page.locator(done).count():
            return
        footer = page.locator(dialog).last
        for answer in answers:
            button = footer.locator('button', has_text=exact(answer))
            if button.count():
                # the next dialog may take the place of this one: wait for this very
                # button to go, not for any dialog footer
                clicked = button.first.element_handle()
                clicked.click()
                clicked.wait_for_element_state('hidden')
                break
        else:
            raise AssertionError('unexpected dialog: %s' % page.locator(
                '.modal-dialog:visible').last.inner_text())


def commit_fill(field, value):
    """Type ``value`` in an input of an editable list row and commit it, as leaving
    the cell does: the web client applies what was typed on the change event, which a
    save clicked at once could overtake."""
    field.fill(value)
    field.dispatch_event('change')


def enter_lot_row(page, row, lot_name, quantity=None):
    """Type a lot (and a quantity) on a row of the Enter Lots dialog."""
    row.locator('td.o_data_cell').nth(1).click()
    page.fill('.modal .o_data_row.o_selected_row input[name="lot_name"]', lot_name)
    if quantity is not None:
        page.fill('.modal .o_data_row.o_selected_row input[name="quantity"]', str(quantity))


def sidebar_menu(page, menu, item):
    """Choose ``item`` in the ``menu`` (Print, Action) of the control panel's side bar."""
    page.locator('.o_cp_sidebar .o_dropdown_toggler_btn', has_text=menu).click()
    page.locator('.o_cp_sidebar .dropdown-menu a', has_text=item).click()


def start_recall(web, page, lot_name, reason):
    """From a lot's form, start its recall with ``reason`` and trace it: the recall's
    form, Open."""
    web.button(page, 'Recall').click()
    page.wait_for_selector('.o_form_view.o_form_editable')
    page.locator('.o_field_widget[name="lot_ids"]', has_text=lot_name).wait_for()
    page.fill('.o_field_widget[name="reason"]', reason)
    web.save(page)
    web.click_button(page, 'Trace')
    status_is(page, 'Open')


def fill_datetime(scope, field, text):
    """Type a date and time (``12/31/2030 00:00:00``) in a datetime field of the form
    being edited and commit it, the picker closed."""
    date_input = scope.locator('.o_field_widget[name="%s"] input, '
                               'input.o_field_widget[name="%s"]' % (field, field)).first
    commit_fill(date_input, text)
    date_input.press('Escape')


def received_and_delivered(data, name):
    """A lot of a product with a GTIN, received from a vendor (10) and delivered in part
    to a customer (4), over RPC: dict ``lot_id``, ``lot_name``, ``gtin``, ``supplier``
    and ``customer`` (their names)."""
    gtin = data.gtin()
    product_id = data.product(name, barcode=gtin)
    supplier = 'E2E Farm %s' % data.stamp
    customer = 'E2E Grocer %s' % data.stamp
    supplier_id = data.rpc('res.partner', 'create', {'name': supplier, 'supplier': True})
    customer_id = data.rpc('res.partner', 'create', {'name': customer, 'customer': True})
    lot_name = 'TLC-%s' % data.stamp
    lot_id = data.receive(data.purchase(supplier_id, product_id, 10)[1], lot_name)
    data.deliver(data.sale(customer_id, product_id, 4))
    return {'lot_id': lot_id, 'lot_name': lot_name, 'gtin': gtin, 'supplier': supplier,
            'customer': customer}


def fsma204_rows(path, lot_name):
    """The rows of the FSMA 204 workbook at ``path`` that name ``lot_name``, by event:
    {'Receiving': [row text, ...], ...}. Reads the rows under a header naming the
    Traceability Lot Code, in one sheet with an event column or in a sheet per event."""
    with open(path, 'rb') as handle:  # the download's file has no extension
        workbook = openpyxl.load_workbook(handle)
    found, headed = {}, False
    for sheet in workbook.worksheets:
        rows = [['' if value is None else '%s' % value for value in row]
                for row in sheet.iter_rows(values_only=True)]
        header = next((index for index, row in enumerate(rows)
                       if any('Traceability Lot Code' in cell for cell in row)), None)
        if header is None:
            continue
        headed = True
        for row in rows[header + 1:]:
            if not any(lot_name in cell for cell in row):
                continue
            named = {cell for cell in row if cell in FSMA204_EVENTS}
            if sheet.title in FSMA204_EVENTS:
                named.add(sheet.title)
            for event in named:
                found.setdefault(event, []).append(' | '.join(row))
    assert headed, 'no sheet of %s has a header naming the Traceability Lot Code' % path
    return found


def check_epcis_download(name, path, lot):
    """The downloaded EPCIS 2.0 document has the lot's receipt and delivery, named by
    its Digital Link, each event identified by its event hash."""
    assert name.endswith('.jsonld'), name
    with open(path, encoding='utf-8') as handle:
        document = json.load(handle)
    assert document['@context'], document
    assert document['type'] == 'EPCISDocument' and document['schemaVersion'] == '2.0'
    events = document['epcisBody']['eventList']
    assert all(event['eventID'].startswith('ni:///sha-256;') for event in events), events
    digital_link = 'https://id.gs1.org/01/%s/10/%s' % (lot['gtin'].zfill(14), lot['lot_name'])
    steps = [re.split('[-:/]', event.get('bizStep', ''))[-1] for event in events
             if event['type'] == 'ObjectEvent' and digital_link in [
                 element.get('epcClass') for element in event.get('quantityList', [])]]
    assert 'receiving' in steps and 'shipping' in steps, (steps, events)


def check_fsma204_download(name, path, lot):
    """The downloaded FSMA 204 workbook lists the lot's receipt from the vendor and its
    delivery to the customer."""
    assert name.endswith('.xlsx'), name
    rows = fsma204_rows(path, lot['lot_name'])
    assert set(rows) >= {'Receiving', 'Shipping'}, rows
    assert any(lot['supplier'] in row for row in rows['Receiving']), rows
    assert any(lot['customer'] in row for row in rows['Shipping']), rows


def date_of(rpc, value):
    """The date an ORM datetime shows to the user of ``rpc`` (in their time zone)."""
    zone = pytz.timezone(rpc.read('res.users', rpc.uid, ['tz'])['tz'] or 'UTC')
    moment = pytz.utc.localize(datetime.datetime.strptime(value, '%Y-%m-%d %H:%M:%S'))
    return moment.astimezone(zone).date()


def test_2_receipt_split_over_two_lots_with_a_gs1_scan(web, data):
    """Enter Lots splits a receipt over a scanned lot and a typed one: the scanned
    label's count of items is received from it, the rest waits for the typed lot; the
    lots carry supplier, purchase order and dates."""
    rpc = data.rpc
    gtin = data.gtin()
    product_id = data.product('E2E Yoghurt', barcode=gtin, use_expiration_date=True,
                              life_time=30)
    supplier_id = data.partner('E2E Dairy', supplier=True)
    order_id, picking_id = data.purchase(supplier_id, product_id, 10)
    order_name = rpc.read('purchase.order', order_id, ['name'])['name']
    typed, scanned = 'A-%s' % data.stamp, 'B-%s' % data.stamp
    expiry = datetime.date.today() + datetime.timedelta(days=45)

    page = web.login()
    web.open_record(page, 'purchase.purchase_form_action', 'purchase.order', order_id)
    web.click_button(page, 'Receive Products')
    page.wait_for_selector('.o_form_view .o_statusbar_status .btn-primary:has-text("Ready")')
    web.click_button(page, 'Enter Lots')
    dialog = web.modal(page)
    dialog.locator('.o_data_row').first.wait_for()
    # the operator scans the GS1-128 label of a pallet: lot, expiry and count of items
    dialog.locator('input[name="scan"]').click()
    dialog.locator('input[name="scan"]').fill(
        '(01)0%s(10)%s(17)%s(30)4' % (gtin, scanned, expiry.strftime('%y%m%d')))
    dialog.locator('input[name="scan"]').press('Tab')
    scanned_row = dialog.locator('.o_data_row', has_text=scanned)
    scanned_row.wait_for()
    assert '4.000' in scanned_row.inner_text()
    # the other 6 wait on a line without lot: the other pallet's lot is typed there
    rest_row = dialog.locator('.o_data_row').filter(has_not_text=scanned)
    assert '6.000' in rest_row.inner_text()
    enter_lot_row(page, rest_row, typed)
    dialog.locator('.modal-title').click()  # leaves the row: every unit has a lot
    dialog.locator('.alert-warning').wait_for(state='hidden')
    web.screenshot(page, 'receipt')
    dialog.locator('.modal-footer button', has_text=exact('Confirm')).click()
    dialog.wait_for(state='detached')
    status_is(page, 'Done')

    lines = rpc('stock.move.line', 'search_read', [('picking_id', '=', picking_id)],
                ['lot_id', 'qty_done'])
    assert sorted((line['lot_id'][1], line['qty_done']) for line in lines) == [
        (typed, 6.0), (scanned, 4.0)]
    lots = rpc('stock.production.lot', 'search_read', [('name', 'in', [typed, scanned])],
               ['name', 'supplier_id', 'purchase_order_id', 'life_date', 'production_date'])
    by_name = dict((lot['name'], lot) for lot in lots)
    for lot in lots:
        assert lot['supplier_id'][0] == supplier_id
        assert lot['purchase_order_id'][0] == order_id
        assert lot['production_date']
    # the label's date, as the user reads it
    assert date_of(rpc, by_name[scanned]['life_date']) == expiry
    assert date_of(rpc, by_name[typed]['life_date']) == (
        date_of(rpc, by_name[typed]['production_date']) + datetime.timedelta(days=30))
    # the lot's form shows where it came from
    open_lot(web, page, by_name[scanned]['id'])
    page.locator('.o_notebook a', has_text=exact('Origin')).click()
    assert order_name in page.locator('.o_form_view').inner_text()


def test_3_partial_receipt_creates_a_backorder(web, data):
    """6 of 10 received with a lot: Odoo's backorder dialog leaves 4 for later."""
    rpc = data.rpc
    product_id = data.product('E2E Flour')
    supplier_id = data.partner('E2E Mill', supplier=True)
    order_id, picking_id = data.purchase(supplier_id, product_id, 10)
    lot_name = 'P-%s' % data.stamp

    page = web.login()
    web.open_record(page, 'stock.action_picking_tree_all', 'stock.picking', picking_id)
    web.click_button(page, 'Enter Lots')
    dialog = web.modal(page)
    enter_lot_row(page, dialog.locator('.o_data_row').first, lot_name, 6)
    dialog.locator('.o_field_widget[name="coverage_summary"]').click()
    dialog.locator('.modal-footer button', has_text=exact('Confirm')).click()
    backorder = page.locator('.modal-dialog:visible', has_text='Create Backorder')
    backorder.wait_for()
    web.screenshot(page, 'partial_receipt_backorder_dialog')
    backorder.locator('button', has_text=exact('Create Backorder')).click()
    status_is(page, 'Done')

    backorders = rpc('stock.picking', 'search_read', [('backorder_id', '=', picking_id)],
                     ['name', 'state', 'move_lines'])
    assert len(backorders) == 1 and backorders[0]['state'] not in ('done', 'cancel')
    moves = rpc('stock.move', 'read', backorders[0]['move_lines'], ['product_uom_qty'])
    assert [move['product_uom_qty'] for move in moves] == [4.0]
    lines = rpc('stock.move.line', 'search_read', [('picking_id', '=', picking_id)],
                ['lot_id', 'qty_done'])
    assert [(line['lot_id'][1], line['qty_done']) for line in lines] == [(lot_name, 6.0)]
    # the receipt's form names its backorder
    web.open_record(page, 'stock.action_picking_tree_all', 'stock.picking', backorders[0]['id'])
    assert rpc.read('purchase.order', order_id, ['picking_count'])['picking_count'] == 2


def test_4_fefo_delivery_honours_the_shelf_life_rule(web, data):
    """A sale to a customer asking 30 days: the delivery skips the lot with 10 days and
    says why, and the delivery slip shows the lot and its expiration date."""
    rpc = data.rpc
    product_id = data.product('E2E Milk', use_expiration_date=True, use_fefo=True)
    short = data.lot(product_id, 'SHORT', life_date=data.date(10))
    longer = data.lot(product_id, 'LONG', life_date=data.date(90))
    data.stock_lots(product_id, {short: 10, longer: 5})
    customer_id = data.partner('E2E Picky Grocer', customer=True, min_shelf_life_days=30)
    order_id = data.sale(customer_id, product_id, 8, confirm=False)
    short_name = rpc.read('stock.production.lot', short, ['name'])['name']
    long_lot = rpc.read('stock.production.lot', longer, ['name', 'life_date'])

    page = web.login()
    web.open_record(page, 'sale.action_orders', 'sale.order', order_id)
    web.click_button(page, 'Confirm Sale')
    status_is(page, 'Sales Order')
    web.smart_button(page, 'Delivery').click()
    page.wait_for_selector('.o_form_view .o_field_widget[name="move_lines"]')
    if web.button(page, 'Check Availability').count():
        web.click_button(page, 'Check Availability')
    web.button(page, 'Why not this lot?').wait_for()
    picking_id = rpc.read('sale.order', order_id, ['picking_ids'])['picking_ids'][0]
    reserved = rpc('stock.move.line', 'search_read', [('picking_id', '=', picking_id)],
                   ['lot_id', 'product_uom_qty'])
    assert [(line['lot_id'][0], line['product_uom_qty']) for line in reserved] == [
        (longer, 5.0)]

    web.click_button(page, 'Why not this lot?')
    dialog = web.modal(page)
    skipped = dialog.locator('.o_data_row', has_text=short_name)
    skipped.wait_for()
    assert re.search(r'\d+ days left, customer requires 30', skipped.inner_text()), \
        skipped.inner_text()
    assert 'reserved for this move' in dialog.locator(
        '.o_data_row', has_text=long_lot['name']).inner_text()
    web.screenshot(page, 'fefo')
    dialog.locator('.modal-footer button', has_text=exact('Close')).click()
    dialog.wait_for(state='detached')

    web.click_button(page, 'Validate')
    finish_validation(web, page)
    pdf = web.download(page, lambda: sidebar_menu(page, 'Print', 'Delivery Slip'))
    assert long_lot['name'] in pdf
    life_date = date_of(rpc, long_lot['life_date'])
    assert life_date.strftime('%m/%d/%Y') in pdf, pdf
    assert short_name not in pdf


def test_5_history_trace_forward_and_recall(web, data):
    """A delivered lot's History and Trace Forward show the customer; its recall lists
    the customer, blocks the rest of the stock and the lot turns grey in the list."""
    rpc = data.rpc
    product_id = data.product('E2E Cream', use_expiration_date=True)
    lot_id = data.lot(product_id, 'RC', life_date=data.date(60))
    data.stock_lots(product_id, {lot_id: 10})
    customer = 'E2E Corner Shop %s' % data.stamp
    customer_id = rpc('res.partner', 'create', {'name': customer, 'customer': True})
    data.deliver(data.sale(customer_id, product_id, 3))
    lot_name = rpc.read('stock.production.lot', lot_id, ['name'])['name']

    page = web.login()
    open_lot(web, page, lot_id)
    web.button(page, 'History').click()
    page.locator('.o_list_view .o_data_row', has_text=customer).wait_for()
    web.screenshot(page, 'history')
    page.locator('.o_control_panel .breadcrumb a', has_text=lot_name).click()
    web.wait_form(page)
    web.button(page, 'Trace Forward').click()
    page.locator('.o_list_view .o_data_row', has_text=customer).wait_for()
    web.screenshot(page, 'trace')
    page.locator('.o_control_panel .breadcrumb a', has_text=lot_name).click()
    web.wait_form(page)

    # the same trace from the menu, for any lot
    web.menu(page, 'Inventory', 'Reporting', 'Lot Traceability')
    dialog = web.modal(page)
    web.many2one(page, dialog, 'lot_ids', lot_name)
    dialog.locator('.o_field_widget[name="direction"] label', has_text='Forward').click()
    dialog.locator('.modal-footer button', has_text=exact('View')).click()
    page.locator('.o_list_view .o_data_row', has_text=customer).wait_for()
    open_lot(web, page, lot_id)

    start_recall(web, page, lot_name, 'E2E supplier notice %s' % data.stamp)
    customers = page.locator('.o_field_widget[name="customer_line_ids"]')
    customers.locator('.o_data_row', has_text=customer).wait_for()
    assert '3.000' in customers.locator('.o_data_row', has_text=customer).inner_text()
    web.screenshot(page, 'recall')
    web.click_button(page, 'Block Lots')
    confirm = web.modal(page)
    confirm.locator('.modal-footer button', has_text=exact('Ok')).click()
    page.wait_for_selector('.o_form_view .o_field_widget[name="date_block"]:visible')
    assert rpc.read('stock.production.lot', lot_id, ['blocked'])['blocked']
    recall_id = rpc('stock.lot.recall', 'search', [('lot_ids', 'in', [lot_id])])[0]
    stock_lines = rpc('stock.lot.recall.stock', 'search_read',
                      [('recall_id', '=', recall_id)], ['lot_id', 'quantity'])
    assert [(line['lot_id'][0], line['quantity']) for line in stock_lines] == [(lot_id, 7.0)]
    web.menu(page, 'Inventory', 'Operations', 'Lot Recalls')
    recall = page.locator('.o_list_view .o_data_row', has_text='E2E supplier notice %s'
                          % data.stamp)
    recall.wait_for()
    assert 'Open' in recall.inner_text()

    web.menu(page, 'Inventory', 'Lots')
    page.wait_for_selector('.o_list_view')
    web.search(page, lot_name)
    group = page.locator('.o_list_view .o_group_header', has_text=data.stamp)
    group.first.wait_for()
    if not page.locator('.o_list_view .o_data_row', has_text=lot_name).count():
        group.first.click()
    row = page.locator('.o_list_view .o_data_row', has_text=lot_name)
    row.wait_for()
    assert 'text-muted' in row.get_attribute('class')


def test_6_expiry_dashboard_and_disposal(web, data):
    """The expiry dashboard counts expiring and expired stock with its value at risk; an
    expired lot is disposed of from its form."""
    rpc = data.rpc
    product_id = data.product('E2E Ham', use_expiration_date=True, standard_price=2.5)
    expired = data.lot(product_id, 'OLD', life_date=data.date(-2))
    expiring = data.lot(product_id, 'SOON', life_date=data.date(5))
    data.stock_lots(product_id, {expired: 4, expiring: 6})
    expired_name = rpc.read('stock.production.lot', expired, ['name'])['name']

    page = web.login()
    web.menu(page, 'Inventory', 'Expiry Dashboard')
    page.wait_for_selector('.o_kanban_view .oe_kanban_card')
    company = rpc.read('res.users', rpc.uid, ['company_id'])['company_id']
    counters = rpc('stock.lot.expiry.dashboard', 'search_read',
                   [('company_id', '=', company[0])], ['code', 'lot_count', 'value_at_risk'])
    by_code = dict((counter['code'], counter) for counter in counters)
    assert by_code['expired']['lot_count'] >= 1 and by_code['expiring_7']['lot_count'] >= 1
    assert by_code['expired']['value_at_risk'] >= 10.0
    for code, title in (('expired', 'Expired in Stock'), ('expiring_7', 'Expiring in 7 Days')):
        card = page.locator('.o_kanban_view .oe_kanban_card', has_text=title).filter(
            has_text=company[1])
        text = card.inner_text()
        assert '%d Lots' % by_code[code]['lot_count'] in text, text
        assert '{:,.2f}'.format(by_code[code]['value_at_risk']) in text, text
    web.screenshot(page, 'expiry')

    web.menu(page, 'Inventory', 'Reporting', 'Lot Expiration')
    page.wait_for_selector('.o_list_view, .o_pivot, .o_graph')
    if page.locator('.o_cp_switch_list').count():
        page.locator('.o_cp_switch_list').click()
    web.clear_search(page)
    web.search(page, expired_name, re.compile('Search Lot'))
    row = page.locator('.o_list_view .o_data_row', has_text=expired_name)
    row.wait_for()
    assert '10.00' in row.inner_text(), row.inner_text()

    open_lot(web, page, expired)
    web.click_button(page, 'Dispose')
    dialog = web.modal(page)
    dialog.locator('.o_field_widget[name="reason"]').fill('E2E expired, disposed')
    dialog.locator('.modal-footer button', has_text=exact('Dispose')).click()
    dialog.wait_for(state='detached')
    scraps = rpc('stock.scrap', 'search_read', [('lot_id', '=', expired)],
                 ['scrap_qty', 'state'])
    assert [(scrap['scrap_qty'], scrap['state']) for scrap in scraps] == [(4.0, 'done')]
    quants = rpc('stock.quant', 'search_read', [('lot_id', '=', expired),
                                                ('location_id.usage', '=', 'internal')],
                 ['quantity'])
    assert sum(quant['quantity'] for quant in quants) == 0


def test_7_quality_user_records_approves_and_prints_the_certificate(web, data):
    """A quality user records a lot's analysis, approves the lot and prints its
    Certificate of Analysis."""
    rpc = data.rpc
    attribute = 'pH %s' % data.stamp
    attribute_id = rpc('stock.lot.quality.attribute', 'create', {
        'name': attribute, 'min_value': 4.0, 'max_value': 5.0})
    product_id = data.product('E2E Kefir', track_quality=True,
                              quality_attribute_ids=[(6, 0, [attribute_id])])
    lot_id = data.lot(product_id, 'Q')
    lot_name = rpc.read('stock.production.lot', lot_id, ['name'])['name']
    login = data.user('e2e_quality', [STOCK_USER, QUALITY])

    page = web.login(login, login)
    open_lot(web, page, lot_id)
    page.locator('.o_form_button_edit').click()
    page.wait_for_selector('.o_form_view.o_form_editable')
    page.locator('.o_notebook a', has_text=exact('Quality')).click()
    values = page.locator('.o_field_widget[name="quality_value_ids"]')
    row = values.locator('.o_data_row', has_text=attribute)
    if not row.count():
        values.locator('.o_field_x2many_list_row_add a').click()
        web.many2one(page, values, 'attribute_id', attribute)
        row = values.locator('.o_data_row.o_selected_row')
        # the value typed once the attribute's onchange is back (its specification
        # shown): a later answer of the onchange would reset it
        row.filter(has_text='4 - 5').wait_for()
    else:
        row.locator('td.o_data_cell').nth(1).click()
    commit_fill(values.locator('.o_selected_row input[name="value"]'), '4.6')
    web.save(page)
    values.locator('.o_data_row', has_text=attribute).filter(has_text='4.6').wait_for()
    web.click_button(page, 'Approve')
    page.wait_for_selector('.o_form_view .label-success:visible:has-text("Quality Approved")')
    lot = rpc.read('stock.production.lot', lot_id, ['quality_state', 'quality_user_id'])
    assert lot['quality_state'] == 'approved' and lot['quality_user_id'][1].lower().startswith(
        'e2e quality')
    pdf = web.download(page, lambda: web.click_button(page, 'Certificate of Analysis'))
    assert lot_name in pdf and attribute in pdf and '4.6' in pdf, pdf


def test_8_change_lot_number_and_an_inventory_without_lot(web, data):
    """Change Lot Number from a location renumbers its stock; an inventory count of a
    lot-tracked product without lot is refused."""
    rpc = data.rpc
    product_id = data.product('E2E Butter')
    product_name = rpc.read('product.product', product_id, ['name'])['name']
    old = data.lot(product_id, 'WRONG')
    data.stock_lots(product_id, {old: 7})
    old_name = rpc.read('stock.production.lot', old, ['name'])['name']
    new_name = 'RIGHT-%s' % data.stamp

    page = web.login()
    web.open_record(page, 'stock.action_location_form', 'stock.location', data.stock)
    web.button(page, 'Change Lot Number').click()
    dialog = web.modal(page)
    web.many2one(page, dialog, 'product_id', product_name)
    web.many2one(page, dialog, 'lot_id', old_name)
    # the lot's onchange proposes the quantity in the location: wait for it, then type
    page.wait_for_function(
        'document.querySelector(\'.modal input[name="quantity"]\').value.startsWith("7")')
    dialog.locator('.o_field_widget[name="new_lot_name"]').fill(new_name)
    dialog.locator('.o_field_widget[name="quantity"]').fill('7')
    dialog.locator('.modal-footer button', has_text=exact('Change Lot')).click()
    dialog.wait_for(state='detached')
    quants = rpc('stock.quant', 'search_read', [('product_id', '=', product_id),
                                                ('location_id', '=', data.stock)],
                 ['lot_id', 'quantity'])
    assert [(quant['lot_id'][1], quant['quantity']) for quant in quants
            if quant['quantity']] == [(new_name, 7.0)]

    inventory_id = rpc('stock.inventory', 'create', {
        'name': 'E2E count %s' % data.stamp, 'filter': 'partial',
        'location_id': data.stock})
    rpc('stock.inventory', 'action_start', [inventory_id])
    web.open_record(page, 'stock.action_inventory_form', 'stock.inventory', inventory_id)
    page.locator('.o_form_button_edit').click()
    lines = page.locator('.o_field_widget[name="line_ids"]')
    lines.locator('.o_field_x2many_list_row_add a').click()
    web.many2one(page, lines, 'product_id', product_name)
    counted = lines.locator('.o_selected_row input[name="product_qty"]')
    # the product's onchanges (its unit, then the quantity in stock) may still come back
    # and reset the count: type it again until it stays
    for __ in range(5):
        commit_fill(counted, '3')
        page.wait_for_timeout(1000)
        if counted.input_value().startswith('3'):
            break
    page.locator('.o_form_button_save:visible').click()
    error = '.modal-dialog:visible:has-text("Enter the lot of every counted line")'
    page.wait_for_selector('%s, .o_form_view.o_form_readonly' % error)
    if not page.locator(error).count():
        counts = rpc('stock.inventory.line', 'search_read', [
            ('inventory_id', '=', inventory_id), ('product_qty', '>', 0)], ['product_qty'])
        assert [line['product_qty'] for line in counts] == [3.0], counts
        web.click_button(page, 'Validate Inventory')
        page.wait_for_selector(error)
    message = page.locator(error).inner_text()
    assert product_name in message and '3.0' in message, message
    assert rpc.read('stock.inventory', inventory_id, ['state'])['state'] != 'done'


def test_9_stock_user_cannot_retest_or_release(web, data):
    """A plain stock user sees no Retest / Release and gets a readable refusal when
    changing an expiration date through the form."""
    rpc = data.rpc
    product_id = data.product('E2E Cheese', use_expiration_date=True)
    lot_id = data.lot(product_id, 'HOLD', life_date=data.date(30))
    rpc('stock.production.lot', 'action_block', [lot_id], 'E2E hold')
    lot = rpc.read('stock.production.lot', lot_id, ['life_date', 'name'])
    life_date, lot_name = lot['life_date'], lot['name']
    login = data.user('e2e_clerk', [STOCK_USER])

    manager = web.login()
    open_lot(web, manager, lot_id)
    assert web.button(manager, 'Retest').count() and web.button(manager, 'Release').count()

    page = web.login(login, login)
    open_lot(web, page, lot_id)
    page.wait_for_selector('.o_form_view .o_form_statusbar')
    for name in ('Retest', 'Release', 'Approve', 'Dispose'):
        assert not web.button(page, name).count(), '%s is shown to a stock user' % name
    page.locator('.o_form_button_edit').click()
    page.locator('.o_notebook a', has_text=exact('Dates')).click()
    fill_datetime(page.locator('.o_form_view'), 'life_date', '12/31/2030 00:00:00')
    page.locator('.o_form_button_save:visible').click()
    dialog = web.modal(page)
    message = dialog.inner_text()
    assert 'only Lot Managers may change the dates' in message, message
    assert lot_name in message
    assert 'Traceback' not in message
    assert rpc.read('stock.production.lot', lot_id, ['life_date'])['life_date'] == life_date


def test_10_export_the_trace_of_a_lot_as_epcis_and_fsma204(web, data):
    """A stock user exports a received and delivered lot from its form's Action menu:
    the EPCIS 2.0 document and the FSMA 204 spreadsheet downloaded list its receipt and
    its delivery; an export without lot is refused in words."""
    lot = received_and_delivered(data, 'E2E Spinach')
    login = data.user('e2e_exporter', [STOCK_USER])
    export_button = '.modal-footer button:has-text("Export")'

    page = web.login(login, login)
    open_lot(web, page, lot['lot_id'])
    sidebar_menu(page, 'Action', exact('Export EPCIS'))
    wizard = page.locator('.modal-dialog:visible', has=page.locator(
        '.o_field_widget[name="export_format"]'))
    tags = wizard.locator('.o_field_widget[name="lot_ids"]')
    tags.locator('.badge', has_text=lot['lot_name']).wait_for()
    # the user takes the lot out and exports: refused, in words
    tags.locator('.badge .o_delete').click()
    tags.locator('.badge').wait_for(state='detached')
    wizard.locator(export_button).click()
    error = page.locator('.modal-dialog:visible', has_text='Select the lots to export.')
    error.wait_for()
    assert 'Traceback' not in error.inner_text()
    web.screenshot(page, 'export_without_lot')
    error.locator('.modal-footer button', has_text=exact('Ok')).click()
    error.wait_for(state='detached')
    web.many2one(page, wizard, 'lot_ids', lot['lot_name'])
    tags.locator('.badge', has_text=lot['lot_name']).wait_for()
    name, path = web.download_file(page, lambda: wizard.locator(export_button).click())

    check_epcis_download(name, path, lot)

    open_lot(web, page, lot['lot_id'])
    sidebar_menu(page, 'Action', exact('Export FSMA 204'))
    chosen = wizard.locator('.o_field_widget[name="export_format"] .o_radio_item').filter(
        has=page.locator('input:checked'))
    assert 'spreadsheet (XLSX)' in chosen.inner_text(), chosen.inner_text()
    name, path = web.download_file(page, lambda: wizard.locator(export_button).click())
    check_fsma204_download(name, path, lot)


def test_11_recall_answers_the_fda_24_hour_request(web, data):
    """From a traced recall, a stock user answers the FDA's 24-hour request over a
    period: the FSMA 204 spreadsheet is downloaded, attached to the recall, and its time
    shown on the form and in the history; the recall's EPCIS export downloads too."""
    rpc = data.rpc
    lot = received_and_delivered(data, 'E2E Lettuce')
    login = data.user('e2e_recaller', [STOCK_USER])
    user_name = rpc('res.users', 'search_read', [('login', '=', login)], ['name'])[0]['name']
    today = datetime.date.today()
    since, until = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)

    page = web.login(login, login)
    open_lot(web, page, lot['lot_id'])
    start_recall(web, page, lot['lot_name'], 'E2E FDA request %s' % data.stamp)
    page.locator('.o_form_button_edit').click()
    page.wait_for_selector('.o_form_view.o_form_editable')
    form = page.locator('.o_form_view')
    fill_datetime(form, 'request_date_from', since.strftime('%m/%d/%Y 00:00:00'))
    fill_datetime(form, 'request_date_to', until.strftime('%m/%d/%Y 00:00:00'))
    name, path = web.download_file(page, lambda: web.click_button(page, 'FSMA 204 Request'))
    check_fsma204_download(name, path, lot)

    recall_id = rpc('stock.lot.recall', 'search', [('lot_ids', 'in', [lot['lot_id']])])[0]
    recall = rpc.read('stock.lot.recall', recall_id, [
        'request_date_from', 'request_date_to', 'request_date', 'request_attachment_id'])
    assert date_of(rpc, recall['request_date_from']) == since, recall
    assert date_of(rpc, recall['request_date_to']) == until, recall
    assert recall['request_date'] and recall['request_attachment_id'][1] == name, recall
    attachment = rpc.read('ir.attachment', recall['request_attachment_id'][0],
                          ['res_model', 'res_id'])
    assert (attachment['res_model'], attachment['res_id']) == ('stock.lot.recall', recall_id)

    # what the user sees once the form is shown again
    web.open_record(page, 'stock_lot_tracking.stock_lot_recall_action', 'stock.lot.recall',
                    recall_id)
    assert form.locator('.o_field_widget[name="request_date"]').inner_text().strip()
    seconds = form.locator('.o_field_widget[name="request_seconds"]').inner_text()
    assert re.match(r'^\s*\d+\.\d{3}\s*$', seconds), seconds
    assert name in form.locator('.o_field_widget[name="request_attachment_id"]').inner_text()
    post = page.locator('.o_thread_message', has_text='FSMA 204 24-hour request answered')
    post.first.wait_for()
    text = post.first.inner_text()
    assert user_name in text and name in text, text
    web.screenshot(page, 'fda_request')

    # the recall's Export EPCIS: the export of its affected lots, for trading partners
    web.click_button(page, 'Export EPCIS')
    wizard = page.locator('.modal-dialog:visible', has=page.locator(
        '.o_field_widget[name="export_format"]'))
    tags = wizard.locator('.o_field_widget[name="lot_ids"] .badge')
    tags.filter(has_text=lot['lot_name']).first.wait_for()
    name, path = web.download_file(
        page, lambda: wizard.locator('.modal-footer button:has-text("Export")').click())
    check_epcis_download(name, path, lot)


def test_1_install_from_apps(web, apps_database):
    """On a database with only stock, purchase and sale, the addon is found in Apps
    without the "Apps" filter, installed, and its Lots menu appears."""
    web.server = apps_database
    page = web.login()
    web.menu(page, 'Apps', 'Apps')
    page.wait_for_selector('.o_kanban_view .o_kanban_record')
    page.locator('.o_searchview_facet', has_text='Apps').locator('.o_facet_remove').click()
    page.wait_for_selector('.o_searchview_facet', state='detached')
    web.search(page, 'Lot Tracking')
    card = page.locator('.o_kanban_view .o_kanban_record', has_text='Lot Tracking')
    card.first.wait_for()
    web.screenshot(page, 'apps')
    card.first.locator('button', has_text=exact('Install')).click()
    # the web client reloads once the module is installed, with the addon's menus
    page.wait_for_selector('a[data-menu-xmlid="stock_lot_tracking.stock_production_lot_menu"]',
                           state='attached', timeout=900000)
    page.wait_for_selector('.oe_application_menu_placeholder:visible')
    web.menu(page, 'Inventory', 'Lots')
    page.wait_for_selector('.o_list_view, .o_view_nocontent_smiling_face, .oe_view_nocontent')
    assert os.path.exists(RESULTS)
