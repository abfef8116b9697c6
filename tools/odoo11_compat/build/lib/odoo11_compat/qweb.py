"""Let QWeb compile its templates on Python 3.8-3.11.

QWeb turns templates into Python ASTs built the Python 3.7 way:

* ``ast.arguments(args=..., ...)`` without ``posonlyargs`` (required since 3.8);
* ``ast.Name(id='None')`` for constants, which 3.8+ refuses to compile;
* source positions copied between nodes so that some end before they start, which
  3.11 refuses (``AST node line range (3, 1) is not valid``).

Without these fixes no report, mail or chatter message renders. The fixes are local:
the QWeb modules get an ``ast`` of their own and a ``compile`` that drops end positions;
the rest of the interpreter keeps the real ``ast``.
"""
import ast
import builtins
import sys
import types

TARGETS = ('odoo.addons.base.ir.ir_qweb.qweb', 'odoo.addons.base.ir.ir_qweb.ir_qweb')

_CONSTANTS = {'None': None, 'True': True, 'False': False}


class _NameMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, ast.Name)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, ast.Name)


class Name(ast.Name, metaclass=_NameMeta):
    """``ast.Name`` that turns the names of constants into ``ast.Constant``."""

    _fields = ast.Name._fields

    def __new__(cls, *args, **kwargs):
        ident = kwargs.get('id', args[0] if args else None)
        if ident in _CONSTANTS:
            return ast.Constant(value=_CONSTANTS[ident])
        return ast.Name(*args, **kwargs)


class _ArgumentsMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, ast.arguments)


class arguments(ast.arguments, metaclass=_ArgumentsMeta):
    """``ast.arguments`` that defaults ``posonlyargs`` to an empty list."""

    _fields = ast.arguments._fields

    def __new__(cls, *args, **kwargs):
        if not args:
            kwargs.setdefault('posonlyargs', [])
        return ast.arguments(*args, **kwargs)


def strip_end_positions(tree):
    """Drop ``end_lineno``/``end_col_offset`` so the compiler derives consistent ones."""
    for node in ast.walk(tree):
        for attr in ('end_lineno', 'end_col_offset'):
            if getattr(node, attr, None) is not None:
                setattr(node, attr, None)
    return tree


def compile_ast(source, *args, **kwargs):
    """``compile`` that accepts the ASTs QWeb builds."""
    if isinstance(source, ast.AST):
        source = strip_end_positions(source)
    return builtins.compile(source, *args, **kwargs)


def make_ast_module():
    """A copy of the ``ast`` module namespace with the 3.7-style constructors."""
    module = types.ModuleType('ast', ast.__doc__)
    module.__dict__.update({k: v for k, v in vars(ast).items() if not k.startswith('__')})
    module.Name = Name
    if 'posonlyargs' in ast.arguments._fields:
        module.arguments = arguments
    return module


def patch(module):
    """Give a QWeb module its compatible ``ast`` and ``compile``."""
    if sys.version_info < (3, 8):
        return
    module.ast = make_ast_module()
    module.compile = compile_ast
    if getattr(module, 'arguments', None) is ast.arguments:
        # qweb.py binds ``arguments = ast.arguments`` at import time
        module.arguments = module.ast.arguments
