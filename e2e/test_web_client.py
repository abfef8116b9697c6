"""The README's run command serves the web client: a user logs in and opens Inventory > Lots.

The server is conftest's: tools/run.sh on the test database and a free port. Drives
Debian's Chromium with Playwright, and keeps a screenshot in e2e/results/.
"""
import os
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(REPO, 'e2e', 'results')


def test_run_command_prints_url_and_login(server):
    """The run command tells the user where to go and how to log in."""
    with open(os.path.join(RESULTS, 'run.log')) as handle:
        output = handle.read()
    assert 'http://127.0.0.1:' in output
    assert 'Login: admin' in output and 'Password: admin' in output


def test_user_logs_in_and_opens_lots(server, browser):
    """admin logs in, opens Inventory > Lots and sees the demo lots with their states."""
    context = browser.new_context(viewport={'width': 1400, 'height': 900})
    try:
        page = context.new_page()
        page.goto(server + '/web/login')
        page.fill('input[name="login"]', 'admin')
        page.fill('input[name="password"]', 'admin')
        page.click('button[type="submit"]')
        page.wait_for_selector('.o_main_navbar, .o_main', timeout=120000)
        page.goto('%s/web?e2e=%d#action=%s' % (
            server, time.time(), 'stock_lot_tracking.stock_production_lot_action'))
        page.wait_for_selector('.o_list_view', timeout=120000)
        # grouped by product: open the yoghurt group
        page.click('text=Organic Yoghurt 500 g')
        page.wait_for_selector('.o_data_row:has-text("Expiring Soon")', timeout=60000)
        page.screenshot(path=os.path.join(RESULTS, 'lots.png'), full_page=True)
        content = page.content()
        assert time.strftime('LOT-%Y-%m-0') in content
        assert 'Expired' in content and 'Expiring Soon' in content
    finally:
        context.close()


def rpc(server):
    """(execute, uid) calling the running server through XML-RPC as admin."""
    import xmlrpc.client
    db = os.environ['SLT_TEST_DB']
    common = xmlrpc.client.ServerProxy(server + '/xmlrpc/2/common', allow_none=True)
    uid = common.authenticate(db, 'admin', 'admin', {})
    models = xmlrpc.client.ServerProxy(server + '/xmlrpc/2/object', allow_none=True)

    def execute(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, 'admin', model, method, list(args), kwargs)
    return execute


def ref(execute, xmlid):
    return execute('ir.model.data', 'xmlid_to_res_id', xmlid, True)


def poll(check, timeout=120):
    """Wait until check() is truthy (server-side effects of a click), return its value."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(1)


def browse(server, steps, browser):
    """Log admin in with Chromium, then run steps(page)."""
    context = browser.new_context(viewport={'width': 1400, 'height': 900})
    try:
        page = context.new_page()
        page.set_default_timeout(120000)
        page.goto(server + '/web/login')
        page.fill('input[name="login"]', 'admin')
        page.fill('input[name="password"]', 'admin')
        page.click('button[type="submit"]')
        page.wait_for_selector('.o_main_navbar, .o_main')
        try:
            return steps(page)
        except Exception:
            page.screenshot(path=os.path.join(RESULTS, 'failure.png'))
            raise
    finally:
        context.close()


def open_form(page, server, model, res_id):
    # a new query string loads the web client anew: a mere hash change right after
    # login can lose the race against the home action (Discuss)
    page.goto(server + '/web?e2e=%d#id=%d&model=%s&view_type=form'
              % (time.time(), res_id, model))
    page.wait_for_selector('.o_form_view')


def test_receipt_lot_entry(server, browser):
    """A purchased cheese wheel's lot is typed in Enter Lots and the receipt is done with it."""
    execute = rpc(server)
    stamp = time.strftime('%Y%m%d%H%M%S')
    lot_code = 'E2E-%s' % stamp
    product_id = ref(execute, 'stock_lot_tracking.product_cheese_demo')
    uom_id = execute('product.product', 'read', [product_id], ['uom_po_id'])[0]['uom_po_id'][0]
    order_id = execute('purchase.order', 'create', {
        'partner_id': ref(execute, 'stock_lot_tracking.res_partner_supplier_demo'),
        'partner_ref': 'E2E %s' % stamp,
        'order_line': [(0, 0, {
            'product_id': product_id, 'name': 'Mountain Cheese Wheel 5 kg',
            'product_qty': 3, 'product_uom': uom_id, 'price_unit': 52.0,
            'date_planned': time.strftime('%Y-%m-%d %H:%M:%S')})],
    })
    execute('purchase.order', 'button_confirm', [order_id])
    order = execute('purchase.order', 'read', [order_id], ['picking_ids'])[0]
    picking_id = order['picking_ids'][0]

    def steps(page):
        open_form(page, server, 'stock.picking', picking_id)
        page.click('.o_statusbar_buttons button:visible:has-text("Enter Lots")')
        page.wait_for_selector('.modal .o_data_row')
        page.screenshot(path=os.path.join(RESULTS, 'receipt_enter_lots.png'))
        page.click('.modal .o_data_row .o_data_cell >> nth=1')
        page.fill('.modal .o_data_row input[name="lot_name"]', lot_code)
        page.screenshot(path=os.path.join(RESULTS, 'receipt_lot_typed.png'))
        page.click('.modal-footer button:has-text("Confirm")')
        page.wait_for_selector('.modal', state='detached')
        page.wait_for_selector('.o_statusbar_status .btn-primary:has-text("Done")')
        page.screenshot(path=os.path.join(RESULTS, 'receipt_done.png'))
    browse(server, steps, browser)

    state = poll(lambda: execute('stock.picking', 'read', [picking_id], ['state'])[0]['state']
                 == 'done')
    assert state, 'the receipt is not done'
    lines = execute('stock.move.line', 'search_read', [('picking_id', '=', picking_id)],
                    ['lot_id', 'qty_done'])
    assert [(line['lot_id'][1], line['qty_done']) for line in lines] == [(lot_code, 3.0)]


def test_why_not_this_lot(server, browser):
    """An over-stock cheese delivery's "Why not this lot?" says the blocked lot is blocked."""
    execute = rpc(server)
    product_id = ref(execute, 'stock_lot_tracking.product_cheese_demo')
    uom_id = execute('product.product', 'read', [product_id], ['uom_id'])[0]['uom_id'][0]
    source = ref(execute, 'stock.stock_location_stock')
    customers = ref(execute, 'stock.stock_location_customers')
    picking_id = execute('stock.picking', 'create', {
        'picking_type_id': ref(execute, 'stock.picking_type_out'),
        'location_id': source, 'location_dest_id': customers,
        'origin': 'E2E %s' % time.strftime('%Y%m%d%H%M%S'),
        'move_lines': [(0, 0, {
            'name': 'Mountain Cheese Wheel 5 kg', 'product_id': product_id,
            'product_uom_qty': 1000, 'product_uom': uom_id,
            'location_id': source, 'location_dest_id': customers})],
    })
    try:
        execute('stock.picking', 'action_confirm', [picking_id])
        execute('stock.picking', 'action_assign', [picking_id])

        def steps(page):
            open_form(page, server, 'stock.picking', picking_id)
            page.click('.o_statusbar_buttons button:visible:has-text("Why not this lot?")')
            page.wait_for_selector('.modal .o_data_row:has-text("CH-2026-0388")')
            page.screenshot(path=os.path.join(RESULTS, 'why_not_this_lot.png'))
            return page.inner_text('.modal')
        dialog = browse(server, steps, browser)
    finally:
        execute('stock.picking', 'action_cancel', [picking_id])
    assert 'Why not this lot?' in dialog
    blocked = [row for row in dialog.splitlines() if 'CH-2026-0388' in row]
    assert blocked and 'blocked' in blocked[0], dialog
