# Copyright 2026 stock_lot_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import collections
import os

from lxml import etree

from odoo.tests.common import at_install, post_install

from .common import LotTrackingCase

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_file_ids():
    """{xml id: [files]} of every view (record of ir.ui.view or QWeb template) that
    the addon's data and demo files define."""
    with open(os.path.join(ADDON_DIR, '__manifest__.py')) as handle:
        manifest = ast.literal_eval(handle.read())
    ids = collections.defaultdict(list)
    for path in manifest['data'] + manifest.get('demo', []):
        if not path.endswith('.xml'):
            continue
        tree = etree.parse(os.path.join(ADDON_DIR, path))
        for node in tree.xpath("//record[@model='ir.ui.view']|//template"):
            if node.get('id'):
                ids[node.get('id')].append(path)
    return ids


@at_install(False)
@post_install(True)
class TestViews(LotTrackingCase):
    """Every view of the addon has an id of its own and shows what it adds."""

    def _own_views(self):
        data = self.env['ir.model.data'].search([
            ('module', '=', 'stock_lot_tracking'), ('model', '=', 'ir.ui.view')])
        return {item.name: self.env['ir.ui.view'].browse(item.res_id) for item in data}

    def test_data_files_define_each_id_once(self):
        """No view id is defined twice in the addon's data files (one would overwrite
        the other)."""
        twice = {xml_id: files for xml_id, files in data_file_ids().items()
                 if len(files) > 1}
        self.assertEqual(twice, {})

    def test_inherited_views_do_not_take_the_core_id(self):
        """An inherited view is named after its own purpose, never after the view it
        extends."""
        borrowed = []
        for name, view in self._own_views().items():
            parent = view.inherit_id
            if parent and parent.get_external_id()[parent.id].split('.')[-1] == name:
                borrowed.append(name)
        self.assertEqual(borrowed, [])

    def test_every_view_record_of_the_files_is_installed(self):
        """Each view of the data files is in the database under its own id, and no
        view of an older name is left behind."""
        declared = {xml_id for xml_id in data_file_ids() if '.' not in xml_id}
        self.assertEqual(set(self._own_views()), declared)

    def test_location_form_shows_lot_buttons_and_single_lot(self):
        """The location form of a stock user has both lot buttons and the single-lot
        field."""
        arch = self.env['stock.location'].sudo(self.clerk).fields_view_get(
            view_type='form')['arch']
        form = etree.fromstring(arch)
        buttons = {button.get('name') for button in form.xpath(
            "//div[@name='button_box']/button")}
        for xml_id in ('stock_lot_tracking.stock_quant_without_lot_action',
                       'stock_lot_tracking.stock_lot_renumber_action'):
            self.assertIn(str(self.env.ref(xml_id).id), buttons)
        self.assertTrue(form.xpath("//field[@name='single_lot']"))
        self.assertTrue(form.xpath("//button[@string='Stock without Lot']"))
        self.assertTrue(form.xpath("//button[@string='Change Lot Number']"))

    def test_quant_form_shows_change_lot_number(self):
        """The stock form has the Change Lot Number button."""
        arch = self.env['stock.quant'].sudo(self.clerk).fields_view_get(
            view_type='form')['arch']
        action_id = str(self.env.ref('stock_lot_tracking.stock_lot_renumber_action').id)
        self.assertTrue(etree.fromstring(arch).xpath("//header/button[@name='%s']" % action_id))
