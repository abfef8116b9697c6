"""The README's run command serves the web client: a user logs in and opens Inventory > Lots.

The server is conftest's: tools/run.sh on the test database and a free port. Drives
Debian's Chromium with Playwright, and keeps a screenshot in e2e/results/. These two
look at the demo data; the scenarios of test_scenarios.py build their own records.
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


def test_user_logs_in_and_opens_lots(web):
    """admin logs in, opens Inventory > Lots and sees the demo lots with their states."""
    page = web.login()
    web.menu(page, 'Inventory', 'Lots')
    page.wait_for_selector('.o_list_view')
    # grouped by product: open the yoghurt group
    page.locator('.o_group_header', has_text='Organic Yoghurt 500 g').first.click()
    page.wait_for_selector('.o_data_row:has-text("Expiring Soon")')
    page.screenshot(path=os.path.join(RESULTS, 'lots.png'), full_page=True)
    content = page.content()
    assert time.strftime('LOT-%Y-%m-0') in content
    assert 'Expired' in content and 'Expiring Soon' in content
