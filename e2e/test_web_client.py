"""The README's run command serves the web client: a user logs in and opens Inventory > Lots.

Starts tools/run.sh on the test database and a free port, drives Debian's Chromium with
Playwright, and keeps a screenshot in e2e/results/.
"""
import os
import socket
import subprocess
import time
import urllib.request

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(REPO, 'e2e', 'results')
CHROMIUM = '/usr/bin/chromium'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError('tools/run.sh exited with %s' % process.returncode)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError('%s did not answer within %ss' % (url, timeout))


@pytest.fixture(scope='module')
def server():
    """tools/run.sh serving the test database on a free port."""
    port = free_port()
    env = dict(os.environ, SLT_DB=os.environ['SLT_TEST_DB'], SLT_HTTP_PORT=str(port))
    os.makedirs(RESULTS, exist_ok=True)
    log = open(os.path.join(RESULTS, 'run.log'), 'w')
    process = subprocess.Popen(
        ['bash', os.path.join(REPO, 'tools', 'run.sh'), '--workers=0', '--max-cron-threads=0'],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for('http://127.0.0.1:%d/web/login' % port, process)
        yield 'http://127.0.0.1:%d' % port
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def test_run_command_prints_url_and_login(server):
    """The run command tells the user where to go and how to log in."""
    with open(os.path.join(RESULTS, 'run.log')) as handle:
        output = handle.read()
    assert 'http://127.0.0.1:' in output
    assert 'Login: admin' in output and 'Password: admin' in output


def test_user_logs_in_and_opens_lots(server):
    """admin logs in, opens Inventory > Lots and sees the demo lots with their states."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                  '--disable-component-update', '--no-first-run', '--disable-sync'])
        try:
            page = browser.new_page(viewport={'width': 1400, 'height': 900})
            page.goto(server + '/web/login')
            page.fill('input[name="login"]', 'admin')
            page.fill('input[name="password"]', 'admin')
            page.click('button[type="submit"]')
            page.wait_for_selector('.o_main_navbar, .o_main', timeout=120000)
            page.goto(server + '/web#action=stock_lot_tracking.stock_production_lot_action')
            page.wait_for_selector('.o_list_view', timeout=120000)
            # grouped by product: open the yoghurt group
            page.click('text=Organic Yoghurt 500 g')
            page.wait_for_selector('.o_data_row:has-text("Expiring Soon")', timeout=60000)
            page.screenshot(path=os.path.join(RESULTS, 'lots.png'), full_page=True)
            content = page.content()
            assert time.strftime('LOT-%Y-%m-0') in content
            assert 'Expired' in content and 'Expiring Soon' in content
        finally:
            browser.close()
