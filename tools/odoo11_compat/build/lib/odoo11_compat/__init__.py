"""Run Odoo 11.0 on Python 3.8-3.11.

Odoo 11.0 was written for Python 3.5-3.7. This package fills the gaps that later
Pythons opened, each in a module of its own, and does nothing on the Pythons Odoo 11
was made for: every fix first checks that what Odoo expects is really missing.

It is loaded at interpreter start-up by ``odoo11_compat.pth`` (installed next to it in
site-packages), so it is in place before anything imports Odoo. Fixes to Odoo's own
modules are applied right after Python imports them (see :mod:`odoo11_compat.hooks`),
so Odoo's files stay untouched.
"""
from . import stdlib, hooks, safe_eval, qweb, etree

APPLIED = []


def apply():
    """Apply every fix once; return the names of the fixes that were needed."""
    if APPLIED:
        return APPLIED
    APPLIED.extend(stdlib.apply())
    hooks.install()
    for module in (safe_eval, qweb, etree):
        for target in module.TARGETS:
            hooks.register(target, module.patch)
    APPLIED.append('hooks')
    return APPLIED
