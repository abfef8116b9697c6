"""Give the web client's template loader an ElementTree with ``getchildren()``.

``odoo.addons.web.controllers.main`` concatenates the QWeb templates of the web client
with ``xml.etree.ElementTree`` and calls ``Element.getchildren()``, removed in Python 3.9:
the template bundle fails and the browser shows an empty page. The C ``Element`` type
cannot take new methods, so that module alone gets a pure-Python ElementTree whose
``Element`` has them back. The interpreter-wide ElementTree stays the fast C one.
"""
import importlib
import sys

TARGETS = ('odoo.addons.web.controllers.main',)


def pure_python_elementtree():
    """Import a separate, pure-Python copy of ``xml.etree.ElementTree``."""
    saved = {name: sys.modules.pop(name) for name in ('xml.etree.ElementTree', '_elementtree')
             if name in sys.modules}
    sys.modules['_elementtree'] = None
    try:
        module = importlib.import_module('xml.etree.ElementTree')
    finally:
        sys.modules.pop('xml.etree.ElementTree', None)
        sys.modules.pop('_elementtree', None)
        sys.modules.update(saved)
    element = module.Element
    if not hasattr(element, 'getchildren'):
        element.getchildren = lambda self: list(self)
    if not hasattr(element, 'getiterator'):
        element.getiterator = element.iter
    return module


def patch(module):
    """Point the module's ``ElementTree`` at a copy that still has ``getchildren``."""
    if hasattr(module.ElementTree.Element, 'getchildren'):
        return
    module.ElementTree = pure_python_elementtree()
