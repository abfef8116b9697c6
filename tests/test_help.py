# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
import re
import struct

from werkzeug.test import Client
from werkzeug.wrappers import BaseResponse

from odoo import http
from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCRIPTION_DIR = os.path.join(ADDON_DIR, 'static', 'description')
CHARSET = re.compile(br'<meta\s+charset="utf-8"\s*/?>', re.IGNORECASE)


def read(*path):
    with open(os.path.join(ADDON_DIR, *path), 'rb') as handle:
        return handle.read()


def non_ascii_lines(content):
    """Numbers of the lines of ``content`` (bytes) that hold a byte outside ASCII."""
    return [number for number, line in enumerate(content.splitlines(), 1)
            if any(byte > 127 for byte in line)]


@at_install(False)
@post_install(True)
class TestHelpGuide(LotTrackingCase):
    """Inventory > Lot Tracking Help opens the addon's user guide, served by Odoo."""

    @classmethod
    def setUpClass(cls):
        super(TestHelpGuide, cls).setUpClass()
        cls.menu = cls.env.ref('stock_lot_tracking.stock_lot_tracking_help_menu')
        cls.action = cls.env.ref('stock_lot_tracking.stock_lot_tracking_help_action')
        cls.employee = cls._create_user('employee', [])

    def _get(self, url):
        """GET ``url`` from Odoo's own WSGI application, as a browser would."""
        return Client(http.root, BaseResponse).get(url)

    def _menu_items(self, user):
        """The Inventory menu items ``user`` sees in the web client, by id."""
        items = {}
        tree = self.env['ir.ui.menu'].sudo(user).load_menus(False)
        pending = list(tree['children'])
        while pending:
            item = pending.pop()
            items[item['id']] = item
            pending.extend(item['children'])
        return items

    def test_stock_user_sees_the_help_item_in_inventory(self):
        """A plain stock user has Lot Tracking Help in the Inventory menu."""
        items = self._menu_items(self.clerk)
        self.assertIn(self.menu.id, items)
        self.assertEqual(items[self.menu.id]['name'], 'Lot Tracking Help')
        self.assertEqual(self.menu.parent_id, self.env.ref('stock.menu_stock_root'))
        self.assertEqual(items[self.menu.id]['action'],
                         'ir.actions.act_url,%d' % self.action.id)

    def test_employee_without_inventory_rights_has_no_help_item(self):
        """An employee who may not use Inventory does not get the item."""
        self.assertNotIn(self.menu.id, self._menu_items(self.employee))

    def test_help_opens_the_guide_in_a_new_tab(self):
        """The item's action opens the addon's static guide in a new browser tab."""
        self.assertEqual(self.action.target, 'new')
        self.assertEqual(self.action.url, '/stock_lot_tracking/static/doc/index.html')
        action = self.action.sudo(self.clerk).read(['url', 'target'])[0]
        self.assertEqual(action['url'], self.action.url)

    def test_odoo_serves_the_guide_at_the_action_url(self):
        """Odoo answers the action's URL with the guide, which names its chapters."""
        response = self._get(self.action.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn('text/html', response.headers['Content-Type'])
        page = response.data
        self.assertEqual(page, read('static', 'doc', 'index.html'))
        self.assertIn(b'<title>Lot Tracking: User Guide</title>', page)
        for chapter in (b'id="setup"', b'id="receipts"', b'id="fefo"', b'id="quality"',
                        b'id="expiry"', b'id="traceability"', b'id="recall"',
                        b'id="troubleshooting"'):
            self.assertIn(chapter, page)

    def test_guide_answers_the_four_troubleshooting_questions(self):
        """The guide's troubleshooting answers the four questions of the specification,
        each followed by its answer."""
        page = read('static', 'doc', 'index.html').decode('ascii')
        troubleshooting = page[page.index('id="troubleshooting"'):]
        for question in ("Why can't I select a specific lot for a movement?",
                         'Why is the system not suggesting FEFO allocation?',
                         'How do I handle partial lot consumption?',
                         "Can I change a lot's expiration date after creation?"):
            answer = re.search(r'<dt>%s</dt>\s*<dd>(.*?)</dd>' % re.escape(question),
                               troubleshooting, re.DOTALL)
            self.assertTrue(answer, 'no answer to "%s"' % question)
            self.assertGreater(len(answer.group(1).split()), 30)

    def test_description_screenshots_read_without_the_image(self):
        """Each screenshot of the description page says in its alt text what it shows,
        so that the page reads well before the screenshots are taken."""
        page = read('static', 'description', 'index.html').decode('ascii')
        images = re.findall(r'<img\b[^>]*>', page)
        sources = sorted(re.search(r'src="([^"]+)"', image).group(1) for image in images)
        self.assertEqual(sources, ['screenshot_expiry.png', 'screenshot_fefo.png',
                                   'screenshot_recall.png', 'screenshot_receipt.png',
                                   'screenshot_trace.png'])
        for image in images:
            alt = re.search(r'alt="([^"]*)"', image)
            self.assertTrue(alt and len(alt.group(1).split()) >= 5, image)

    def test_a_missing_static_file_is_not_served(self):
        """A page the addon does not ship answers 404: the 200 above is the guide's own."""
        response = self._get('/stock_lot_tracking/static/doc/missing.html')
        self.assertEqual(response.status_code, 404)

    def test_html_pages_declare_utf8_and_are_ascii(self):
        """The description page and the guide declare UTF-8 and spell every non-ASCII
        character as an HTML entity, so that no browser or parser can garble them."""
        for path in (('static', 'description', 'index.html'), ('static', 'doc', 'index.html')):
            content = read(*path)
            self.assertTrue(CHARSET.search(content), '%s declares no charset' % '/'.join(path))
            self.assertEqual(non_ascii_lines(content), [],
                             '%s: bytes outside ASCII' % '/'.join(path))

    def test_apps_description_shows_the_dash_unmangled(self):
        """The Apps form shows the description's em dash as such, not as mojibake."""
        module = self.env['ir.module.module'].search([('name', '=', 'stock_lot_tracking')])
        description = module.description_html
        self.assertIn('Lot Tracking', description)
        self.assertIn('delivered \u2014 and when', description)
        self.assertNotIn('\u00e2', description)

    def test_icon_is_a_square_png(self):
        """The Apps icon is a square PNG of 128 or 256 pixels."""
        icon = read('static', 'description', 'icon.png')
        self.assertEqual(icon[:8], b'\x89PNG\r\n\x1a\n')
        width, height = struct.unpack('>II', icon[16:24])
        self.assertEqual(width, height)
        self.assertIn(width, (128, 256))
