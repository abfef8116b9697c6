"""Run a function right after Python has imported a given module."""
import importlib.abc
import importlib.machinery
import sys

_PATCHES = {}


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Finds registered modules through the normal path finder, then patches them."""

    def find_spec(self, fullname, path=None, target=None):
        patches = _PATCHES.get(fullname)
        if not patches:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        original_exec = spec.loader.exec_module

        def exec_module(module):
            original_exec(module)
            for patch in patches:
                patch(module)

        spec.loader.exec_module = exec_module
        return spec


_FINDER = _PostImportFinder()


def install():
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def register(module_name, patch):
    """Call ``patch(module)`` once ``module_name`` is imported (now if it already is)."""
    _PATCHES.setdefault(module_name, []).append(patch)
    module = sys.modules.get(module_name)
    if module is not None:
        patch(module)
