"""Each breakage of Odoo 11 on Python 3.8+ that odoo11_compat covers, tested on the real Odoo.

These tests run inside the pytest-odoo session, so Odoo is imported and a registry loaded.
"""
import ast
import base64
import collections
import collections.abc
import inspect
import sys
import types
import xml.etree.ElementTree

import pytest
import yaml
from lxml import etree

import odoo
import odoo11_compat
from odoo11_compat import etree as compat_etree
from odoo11_compat import qweb as compat_qweb
from odoo11_compat import safe_eval as compat_safe_eval
from odoo11_compat import stdlib
from odoo.tools.safe_eval import safe_eval


@pytest.fixture
def env():
    """An environment on the test database, rolled back afterwards."""
    registry = odoo.registry(odoo.tests.common.get_db_name())
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


def test_loaded_at_startup_by_pth():
    """The .pth file applied the layer before Odoo was imported."""
    assert 'hooks' in odoo11_compat.APPLIED


def test_collections_abc_aliases():
    """collections.Mapping and friends point to collections.abc (removed in 3.10)."""
    assert collections.Mapping is collections.abc.Mapping
    assert collections.Iterable is collections.abc.Iterable
    assert isinstance({}, collections.MutableMapping)


def test_getargspec():
    """inspect.getargspec answers as in Python 3.10 (removed in 3.11)."""
    def func(a, b=2, *args, **kwargs):
        return a, b, args, kwargs
    spec = inspect.getargspec(func)
    assert spec.args == ['a', 'b']
    assert spec.varargs == 'args'
    assert spec.keywords == 'kwargs'
    assert spec.defaults == (2,)


def test_formatargspec():
    """inspect.formatargspec formats like Python 3.10 (removed in 3.11)."""
    assert inspect.formatargspec(['a', 'b'], 'args', 'kw', (2,)) == '(a, b=2, *args, **kw)'
    assert inspect.formatargspec([]) == '()'


def test_base64_aliases():
    """base64.encodestring/decodestring exist again (removed in 3.9)."""
    assert base64.decodestring(base64.encodestring(b'lot')) == b'lot'


def test_yaml_load_without_loader():
    """yaml.load(stream) works as Odoo 11 calls it, Odoo's tags included."""
    assert yaml.load('a: 1') == {'a': 1}
    import odoo.tools.yaml_tag  # noqa: F401 - registers Odoo's tags
    record = yaml.load("!record {model: res.partner, id: p1}\n")
    assert type(record).__name__ == 'Record'


def test_yaml_load_builds_no_python_objects():
    """The default loader still refuses arbitrary Python objects."""
    with pytest.raises(yaml.YAMLError):
        yaml.load('!!python/object/apply:os.system ["true"]')


def test_safe_eval_accepts_new_opcodes():
    """Expressions compile to 3.11 opcodes (RESUME, CALL, BINARY_OP...) and evaluate."""
    assert safe_eval('[x * 2 for x in range(3)]') == [0, 2, 4]
    assert safe_eval("{'a': 1, **{'b': 2}}") == {'a': 1, 'b': 2}
    assert safe_eval("a if a in (1, 2) else None", {'a': 2}) == 2
    assert safe_eval("str(1) + 'x'") == '1x'


def test_safe_eval_still_refuses_dunders_and_imports():
    """The name checks and the opcode blacklist are untouched."""
    with pytest.raises(NameError):
        safe_eval('().__class__')
    with pytest.raises(ValueError):
        safe_eval('import os', mode='exec')


def test_xml_data_eval(env):
    """An eval= attribute of XML data (here an ir.rule domain) evaluates."""
    rule = env.ref('stock.stock_picking_rule')
    assert rule.domain_force
    assert isinstance(safe_eval(rule.domain_force, {'user': env.user}), list)


def test_qweb_ast_constructors():
    """QWeb's own ast builds constants and 3.7-style arguments that 3.11 compiles."""
    qweb_ast = compat_qweb.make_ast_module()
    node = qweb_ast.Name(id='None', ctx=ast.Load())
    assert isinstance(node, ast.Constant) and node.value is None
    assert isinstance(qweb_ast.Name(id='x', ctx=ast.Load()), qweb_ast.Name)
    args = qweb_ast.arguments(args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                              kwarg=None, defaults=[])
    assert args.posonlyargs == []


def test_qweb_compile_drops_bad_positions():
    """A tree whose copied positions end before they start still compiles."""
    tree = ast.parse('x = 1\ny = 2\n')
    tree.body[1].end_lineno = 1
    code = compat_qweb.compile_ast(tree, '<t>', 'exec')
    namespace = {}
    exec(code, namespace)
    assert namespace['y'] == 2


def test_qweb_renders_template(env):
    """QWeb renders t-if, t-foreach, t-esc and t-set to HTML."""
    template = etree.fromstring(
        '<t t-name="slt"><t t-set="total" t-value="0"/>'
        '<p t-foreach="lots" t-as="lot"><t t-esc="lot"/></p>'
        '<span t-if="None">never</span><b t-esc="len(lots)"/></t>')
    html = env['ir.qweb'].render(template, {'lots': ['L1', 'L2']})
    html = html.decode() if isinstance(html, bytes) else html
    assert '<p>L1</p><p>L2</p>' in html
    assert 'never' not in html
    assert '<b>2</b>' in html


def test_report_renders_html(env):
    """A core QWeb report (the picking operations) renders to HTML."""
    picking = env['stock.picking'].search([], limit=1)
    report = env.ref('stock.action_report_picking')
    html, _fmt = report.render_qweb_html(picking.ids)
    assert picking.name.encode() in html


def test_mail_template_renders(env):
    """Chatter messages render their QWeb templates (message_post with a view)."""
    partner = env['res.partner'].create({'name': 'Compat Test'})
    message = partner.message_post(body='hello compat')
    assert 'hello compat' in message.body


def test_web_template_bundle_uses_pure_python_etree():
    """The web client's template loader has getchildren(); the global ElementTree stays C."""
    from odoo.addons.web.controllers import main
    assert hasattr(main.ElementTree.Element, 'getchildren')
    assert main.ElementTree is not xml.etree.ElementTree
    assert xml.etree.ElementTree.Element is not main.ElementTree.Element
    assert sys.modules['xml.etree.ElementTree'] is xml.etree.ElementTree
    assert not hasattr(xml.etree.ElementTree.Element, 'getchildren')
    manifest = odoo.modules.module.load_information_from_description_file('web')
    files = [odoo.modules.module.get_resource_path('web', *path.split('/'))
             for path in manifest['qweb']]
    content, checksum = main.concat_xml(files)
    assert content.startswith(b'<templates') and checksum


def test_fixes_are_noops_where_python_has_what_odoo_expects(monkeypatch):
    """On Python 3.7 (Odoo 11's own), the module patches change nothing."""
    monkeypatch.setattr(sys, 'version_info', (3, 7, 9, 'final', 0))
    module = types.SimpleNamespace(
        ast=ast, compile=compile, arguments=ast.arguments,
        _CONST_OPCODES=set(), _EXPR_OPCODES=set(), _SAFE_OPCODES=set())
    compat_qweb.patch(module)
    compat_safe_eval.patch(module)
    assert module.ast is ast and module.compile is compile
    assert module._SAFE_OPCODES == set()
    element = types.SimpleNamespace(getchildren=list)
    module = types.SimpleNamespace(ElementTree=types.SimpleNamespace(Element=element))
    before = module.ElementTree
    compat_etree.patch(module)
    assert module.ElementTree is before
    # the standard-library fixes only fill what is missing: a second pass finds nothing
    assert stdlib.apply() == []
