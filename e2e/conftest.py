"""Fixtures of the browser scenarios: one server for the session, Chromium, RPC as admin.

The server is the README's run command (tools/run.sh) on the test database and a free
port. Each test builds its own records through XML-RPC, then drives the web client as a
user does; its page is kept as a screenshot in e2e/results/ (``<test>.png`` at the end,
``<test>_failure.png`` when it failed).
"""
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

# the checkout itself, not the addons link pytest imports it through: tools/run.sh
# keys its Odoo work folder (configuration, file store) on the path it runs from, and
# the server must share the file store of the tests' Odoo (report and web assets)
REPO = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RESULTS = os.path.join(REPO, 'e2e', 'results')
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--no-first-run', '--disable-sync']
VIEWPORT = {'width': 1400, 'height': 900}
# the time zone of the users of the scenarios (that of Odoo's demo administrator) and of
# their browser: Odoo 11's web client shows datetimes in the browser's zone, its reports
# in the user's
TIME_ZONE = 'Europe/Brussels'
TIMEOUT = 45000  # ms, of every wait
LOAD_TIMEOUT = 180000  # ms: the first page of a web client compiles its assets


def exact(text):
    """A pattern matching an element whose whole text is ``text``."""
    return re.compile(r'^\s*%s\s*$' % re.escape(text))


def base36(number):
    digits = '0123456789abcdefghijklmnopqrstuvwxyz'
    text = ''
    while number:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
    return text or '0'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=600):
    """Wait until url answers 200 (polling a server that starts), or fail."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError('the server exited with %s' % process.returncode)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError('%s did not answer within %ss' % (url, timeout))


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, for the failure screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, 'report_' + report.when, report)


APPS_TEST = 'test_1_install_from_apps'
APPS_MODULES = 'stock,purchase,sale_management'


def apps_db_name():
    """The database of the install from Apps: SLT_APPS_DB, else <test database>_apps."""
    return os.environ.get('SLT_APPS_DB') or os.environ['SLT_TEST_DB'] + '_apps'


def odoo_command(*args):
    """Odoo's command line on the harness's config file (tools/test.sh exports it)."""
    return [sys.executable, '-c', 'import odoo.cli; odoo.cli.main()',
            '-c', os.environ['SLT_CONF']] + list(args)


@pytest.hookimpl(trylast=True)  # after -k / -m deselected theirs
def pytest_collection_modifyitems(session, config, items):
    """The install from Apps runs last: its database is created in the background
    meanwhile (see :func:`server`)."""
    apps = [item for item in items if item.name == APPS_TEST]
    items[:] = [item for item in items if item.name != APPS_TEST] + apps
    config.slt_apps_selected = bool(apps)


def create_apps_database():
    """Start creating a fresh database with stock, purchase and sale (no demo data, as
    a company's would be) in the background; return the process."""
    name = apps_db_name()
    with open(os.path.join(RESULTS, 'apps_create.log'), 'w') as log:
        # a failure here fails the install from Apps only (its fixture reads the log)
        return subprocess.Popen(
            ['bash', '-c', 'dropdb --if-exists "$0" && exec "$@"', name] + odoo_command(
                '-d', name, '-i', APPS_MODULES, '--without-demo=all', '--stop-after-init',
                '--log-level=warn'),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture(scope='session')
def server(request):
    """tools/run.sh serving the test database on a free port, for every scenario."""
    os.makedirs(RESULTS, exist_ok=True)
    if getattr(request.config, 'slt_apps_selected', False):
        request.config.slt_apps_process = create_apps_database()
        request.addfinalizer(lambda: stop(request.config.slt_apps_process))
    port = free_port()
    env = dict(os.environ, SLT_DB=os.environ['SLT_TEST_DB'], SLT_HTTP_PORT=str(port))
    with open(os.path.join(RESULTS, 'run.log'), 'w') as log:
        process = subprocess.Popen(
            ['bash', os.path.join(REPO, 'tools', 'run.sh'), '--workers=0',
             '--max-cron-threads=0'],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for('http://127.0.0.1:%d/web/login' % port, process)
            yield 'http://127.0.0.1:%d' % port
        finally:
            stop(process)


@pytest.fixture(scope='session')
def apps_database(request, server):
    """URL of a server on the fresh database of the install from Apps, once created."""
    creation = getattr(request.config, 'slt_apps_process', None) or create_apps_database()
    assert creation.wait(timeout=1200) == 0, 'creating %s failed: see %s' % (
        apps_db_name(), os.path.join(RESULTS, 'apps_create.log'))
    name, port = apps_db_name(), free_port()
    with open(os.path.join(RESULTS, 'apps_server.log'), 'w') as log:
        process = subprocess.Popen(
            odoo_command('-d', name, '--db-filter=^%s$' % name, '--http-port=%d' % port,
                         '--workers=0', '--max-cron-threads=0'),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for('http://127.0.0.1:%d/web/login' % port, process)
            yield 'http://127.0.0.1:%d' % port
        finally:
            stop(process)


class Rpc(object):
    """JSON-RPC to a server as one user: ``rpc('model', 'method', *args, **kwargs)``."""

    def __init__(self, url, db, login='admin', password='admin'):
        self.url, self.db, self.password = url, db, password
        self.uid = self.call('common', 'login', db, login, password)
        assert self.uid, 'cannot log in %s to %s' % (login, db)

    def call(self, service, method, *args):
        body = json.dumps({'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
            'service': service, 'method': method, 'args': args}}).encode()
        request = urllib.request.Request(self.url + '/jsonrpc', body,
                                         {'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.loads(response.read().decode())
        if answer.get('error'):
            raise AssertionError(answer['error']['data'].get('message')
                                 or answer['error']['message'])
        return answer.get('result')  # Odoo leaves out a None result

    def __call__(self, model, method, *args, **kwargs):
        return self.call('object', 'execute_kw', self.db, self.uid, self.password, model,
                         method, list(args), kwargs)

    def ref(self, xmlid):
        return self('ir.model.data', 'xmlid_to_res_id', xmlid, True)

    def read(self, model, res_id, fields):
        return self(model, 'read', [res_id], fields)[0]


class Data(object):
    """Records of one scenario, built through RPC as admin, with unique names."""

    def __init__(self, rpc):
        self.rpc = rpc
        self.millis = int(time.time() * 1000)
        self.stamp = base36(self.millis)[-6:].upper()  # unique for weeks, short to read
        self.stock = rpc.ref('stock.stock_location_stock')

    @staticmethod
    def date(days=0):
        """Noon UTC ``days`` from today, as the ORM writes it: the same day in every time
        zone a user may have (UTC-11 to UTC+11), so what a page or a PDF shows in the
        user's zone can be compared with its date."""
        moment = datetime.datetime.utcnow().replace(hour=12, minute=0, second=0) \
            + datetime.timedelta(days=days)
        return moment.strftime('%Y-%m-%d %H:%M:%S')

    def gtin(self):
        """A valid GTIN-13 of this run (check digit computed)."""
        body = '20' + str(self.millis)[-10:]
        total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
        return body + str((10 - total % 10) % 10)

    def product(self, name, **vals):
        vals = dict({'name': '%s %s' % (name, self.stamp), 'type': 'product',
                     'tracking': 'lot', 'standard_price': 2.5, 'list_price': 5.0}, **vals)
        return self.rpc('product.product', 'create', vals)

    def partner(self, name, **vals):
        return self.rpc('res.partner', 'create',
                        dict({'name': '%s %s' % (name, self.stamp)}, **vals))

    def lot(self, product_id, name, **vals):
        return self.rpc('stock.production.lot', 'create', dict(
            {'product_id': product_id, 'name': '%s-%s' % (name, self.stamp)}, **vals))

    def stock_lots(self, product_id, quantities, location_id=None):
        """Put {lot_id: quantity} in stock by a done inventory."""
        location_id = location_id or self.stock
        inventory_id = self.rpc('stock.inventory', 'create', {
            'name': 'E2E stock %s' % self.stamp, 'filter': 'partial',
            'location_id': location_id})
        self.rpc('stock.inventory', 'action_start', [inventory_id])
        self.rpc('stock.inventory', 'write', [inventory_id], {'line_ids': [
            (0, 0, {'product_id': product_id, 'location_id': location_id,
                    'prod_lot_id': lot_id, 'product_qty': quantity})
            for lot_id, quantity in quantities.items()]})
        self.rpc('stock.inventory', 'action_done', [inventory_id])

    def purchase(self, partner_id, product_id, quantity, price=1.5):
        order_id = self.rpc('purchase.order', 'create', {
            'partner_id': partner_id, 'partner_ref': 'E2E %s' % self.stamp,
            'order_line': [(0, 0, {
                'product_id': product_id, 'name': 'E2E %s' % self.stamp,
                'product_qty': quantity, 'price_unit': price,
                'product_uom': self.rpc.ref('product.product_uom_unit'),
                'date_planned': self.date()})]})
        self.rpc('purchase.order', 'button_confirm', [order_id])
        picking_ids = self.rpc.read('purchase.order', order_id, ['picking_ids'])['picking_ids']
        return order_id, picking_ids[0]

    def receive(self, picking_id, lot_name):
        """Validate a receipt of one lot-tracked product: everything received under the
        new lot ``lot_name``; return the lot's id."""
        self.rpc('stock.picking', 'action_assign', [picking_id])
        lines = self.rpc('stock.move.line', 'search_read', [('picking_id', '=', picking_id)],
                         ['product_uom_qty'])
        assert len(lines) == 1, 'a receipt of one line was expected: %s' % lines
        self.rpc('stock.move.line', 'write', [lines[0]['id']], {
            'lot_name': lot_name, 'qty_done': lines[0]['product_uom_qty']})
        self.rpc('stock.picking', 'button_validate', [picking_id])
        assert self.rpc.read('stock.picking', picking_id, ['state'])['state'] == 'done'
        return self.rpc.read('stock.move.line', lines[0]['id'], ['lot_id'])['lot_id'][0]

    def sale(self, partner_id, product_id, quantity, confirm=True):
        order_id = self.rpc('sale.order', 'create', {
            'partner_id': partner_id,
            'order_line': [(0, 0, {'product_id': product_id, 'product_uom_qty': quantity,
                                   'price_unit': 5.0})]})
        if confirm:
            self.rpc('sale.order', 'action_confirm', [order_id])
        return order_id

    def deliver(self, order_id):
        """Validate the sale's delivery with what was reserved; return the picking id."""
        picking_id = self.rpc.read('sale.order', order_id, ['picking_ids'])['picking_ids'][0]
        self.rpc('stock.picking', 'action_assign', [picking_id])
        for line in self.rpc('stock.move.line', 'search_read',
                             [('picking_id', '=', picking_id)], ['product_uom_qty']):
            self.rpc('stock.move.line', 'write', [line['id']],
                     {'qty_done': line['product_uom_qty']})
        self.rpc('stock.picking', 'button_validate', [picking_id])
        assert self.rpc.read('stock.picking', picking_id, ['state'])['state'] == 'done'
        return picking_id

    def user(self, login, groups):
        """A user of the given group xmlids; the password is the login."""
        login = '%s_%s' % (login, self.stamp)
        self.rpc('res.users', 'create', {
            'name': login.replace('_', ' ').title(), 'login': login, 'password': login,
            'email': '%s@example.com' % login, 'tz': TIME_ZONE,
            'groups_id': [(6, 0, [self.rpc.ref(group) for group in groups])]})
        return login


@pytest.fixture(scope='session')
def rpc(server):
    return Rpc(server, os.environ['SLT_TEST_DB'])


@pytest.fixture
def data(rpc):
    return Data(rpc)


@pytest.fixture(scope='session')
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Web(object):
    """The web client of one server, as the users of one test see it."""

    def __init__(self, browser, server, node):
        self.browser, self.server, self.node = browser, server, node
        self.pages = []

    def login(self, login='admin', password='admin', db=None):
        """A new browser page with ``login`` logged in, on the web client's home."""
        context = self.browser.new_context(viewport=VIEWPORT, accept_downloads=True,
                                           timezone_id=TIME_ZONE)
        context.set_default_timeout(TIMEOUT)
        page = context.new_page()
        self.pages.append(page)
        page.goto(self.server + '/web/login' + ('?db=%s' % db if db else ''),
                  timeout=LOAD_TIMEOUT)
        page.fill('input[name="login"]', login)
        page.fill('input[name="password"]', password)
        page.click('button[type="submit"]')
        page.wait_for_selector('.oe_application_menu_placeholder:visible',
                               timeout=LOAD_TIMEOUT)
        return page

    def screenshot(self, page, name):
        """Keep the page in e2e/results/<name>.png once Odoo's Loading badge is gone."""
        try:
            page.locator('.o_loading').first.wait_for(state='hidden', timeout=10000)
        except Exception:  # pylint: disable=broad-except
            pass  # a failed page: keep it as it is
        page.screenshot(path=os.path.join(RESULTS, name + '.png'))

    def close(self):
        failed = any(getattr(getattr(self.node, 'report_' + when, None), 'failed', False)
                     for when in ('setup', 'call'))
        for index, page in enumerate(self.pages):
            name = self.node.name + ('_%d' % index if index else '')
            try:
                self.screenshot(page, name + ('_failure' if failed else ''))
            finally:
                page.context.close()

    # navigation --------------------------------------------------------------
    def open_record(self, page, action, model, res_id):
        """Open a record's form in the window action of its menu (xmlid ``action``),
        as its link in that menu's list does."""
        page.goto('%s/web?e2e=%d#id=%d&model=%s&view_type=form&action=%s'
                  % (self.server, time.time() * 1000, res_id, model, action))
        return self.wait_form(page)

    @staticmethod
    def wait_form(page):
        page.wait_for_selector('.o_form_view .o_form_sheet, .o_form_view.o_form_readonly')
        return page

    @staticmethod
    def menu(page, app, section, leaf=None):
        """Click an app of the top menu bar, then a menu of its side bar: ``section``
        (a menu of its own) or ``leaf`` under the ``section`` heading."""
        page.locator('.oe_application_menu_placeholder a:visible',
                     has_text=exact(app)).first.click()
        side = page.locator('.o_sub_menu .oe_secondary_menu:visible')
        if leaf is None:
            side.locator('.oe_secondary_menu_section', has_text=exact(section)).locator(
                'a.oe_menu_leaf').first.click()
        else:
            heading = side.locator('.oe_secondary_menu_section', has_text=exact(section))
            heading.locator('xpath=following-sibling::ul[1]').locator(
                'a.oe_menu_leaf', has_text=exact(leaf)).first.click()
        page.wait_for_selector('.o_control_panel .breadcrumb:visible')
        return page

    @staticmethod
    def button(page, text, scope='.o_form_view .o_form_statusbar, .o_form_view .oe_button_box'):
        """The visible button of the current form named ``text``."""
        return page.locator(scope).locator('button:visible', has_text=exact(text)).first

    @staticmethod
    def smart_button(page, text):
        """The visible smart button of the form whose label is ``text`` ("2 Receipts")."""
        return page.locator('.o_form_view .oe_button_box button:visible').filter(
            has=page.locator('.o_stat_text', has_text=text)).first

    @staticmethod
    def clear_search(page):
        """Remove the facets of the search view (default filters included)."""
        facets = page.locator('.o_searchview_facet')
        while facets.count():
            count = facets.count()
            facets.first.locator('.o_facet_remove').click()
            page.wait_for_function(
                'count => document.querySelectorAll(".o_searchview_facet").length < count',
                arg=count)

    @staticmethod
    def search(page, text, choice=None):
        """Type ``text`` in the search view and choose the autocomplete's ``choice``
        (a pattern; default the first, searching the view's main field)."""
        field = page.locator('.o_searchview_input')
        field.click()
        field.type(text)
        items = page.locator('.o_searchview_autocomplete li:visible')
        items.first.wait_for()
        if choice is None:
            field.press('Enter')
        else:
            items.filter(has_text=choice).first.click()
        page.wait_for_selector('.o_searchview_facet:has-text("%s")' % text)

    def click_button(self, page, text, **kwargs):
        self.button(page, text, **kwargs).click()

    @staticmethod
    def modal(page):
        page.wait_for_selector('.modal-dialog:visible')
        return page.locator('.modal-dialog:visible').last

    @staticmethod
    def many2one(page, scope, field, text):
        """Type ``text`` in a many2one of ``scope`` and pick the first match."""
        field_input = scope.locator('.o_field_widget[name="%s"] input' % field).first
        # typed without a click first: a click lists the first records at once, and
        # that list, when it holds the match, could be picked before the search of the
        # text opens its own over the next field
        field_input.fill(text)
        page.locator('ul.ui-autocomplete:visible li a', has_text=text).first.click()
        page.locator('ul.ui-autocomplete:visible').first.wait_for(state='hidden')

    @staticmethod
    def save(page):
        page.locator('.o_form_button_save:visible').click()
        page.wait_for_selector('.o_form_view.o_form_readonly')

    @staticmethod
    def download_file(page, click):
        """The file that ``click()`` makes the browser download: (its name, its path)."""
        with page.expect_download(timeout=TIMEOUT) as download:
            click()
        return download.value.suggested_filename, download.value.path()

    def download(self, page, click):
        """The text of the PDF that ``click()`` downloads (Odoo's report download)."""
        path = self.download_file(page, click)[1]
        with open(path, 'rb') as handle:
            assert handle.read(5) == b'%PDF-', 'the download is not a PDF'
        return subprocess.run(['pdftotext', '-layout', path, '-'], check=True,
                              stdout=subprocess.PIPE, universal_newlines=True).stdout


@pytest.fixture
def web(request, browser, server):
    client = Web(browser, server, request.node)
    try:
        yield client
    finally:
        client.close()


def poll(check, timeout=120):
    """Wait until check() is truthy (a server-side effect of a click); return its value."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.5)


@pytest.fixture(scope='session')
def wait_until():
    return poll
