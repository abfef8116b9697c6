"""Let ``odoo.tools.safe_eval`` accept the bytecode of Python 3.8-3.11.

Odoo 11 whitelists opcodes by name, as Python <= 3.7 emitted them; later Pythons compile
the same expressions to new opcodes (``RESUME``, ``CALL``, ``BINARY_OP``...), so every
``eval`` in XML data is refused. The opcodes below are the ones that do what already
whitelisted opcodes did; the name checks (no ``__``) and the opcode blacklist stay as they are.
"""
import sys
from opcode import opmap

TARGETS = ('odoo.tools.safe_eval',)

# Opcodes that build or move constants: allowed everywhere.
CONST = ('RESUME', 'CACHE', 'NOP', 'PRECALL', 'PUSH_NULL', 'COPY', 'SWAP',
         'RETURN_CONST', 'LIST_TO_TUPLE', 'LIST_EXTEND', 'SET_UPDATE',
         'DICT_UPDATE', 'DICT_MERGE', 'BUILD_CONST_KEY_MAP')
# Opcodes of operations on values: allowed in expressions.
EXPR = ('BINARY_OP', 'CONTAINS_OP', 'IS_OP', 'FORMAT_VALUE', 'BUILD_STRING',
        'BINARY_SUBSCR', 'STORE_SUBSCR', 'BUILD_SLICE', 'LIST_APPEND', 'SET_ADD',
        'MAP_ADD', 'UNARY_NEGATIVE', 'UNARY_NOT', 'UNARY_INVERT')
# Control flow, calls and comprehensions: allowed in safe_eval's statements.
SAFE = ('CALL', 'KW_NAMES', 'CALL_FUNCTION_EX', 'LOAD_METHOD', 'GET_ITER', 'FOR_ITER',
        'JUMP_FORWARD', 'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT',
        'POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_FORWARD_IF_TRUE',
        'POP_JUMP_BACKWARD_IF_FALSE', 'POP_JUMP_BACKWARD_IF_TRUE',
        'POP_JUMP_FORWARD_IF_NONE', 'POP_JUMP_FORWARD_IF_NOT_NONE',
        'POP_JUMP_BACKWARD_IF_NONE', 'POP_JUMP_BACKWARD_IF_NOT_NONE',
        'POP_JUMP_IF_NONE', 'POP_JUMP_IF_NOT_NONE', 'JUMP_IF_NOT_EXC_MATCH',
        'CHECK_EXC_MATCH', 'PUSH_EXC_INFO', 'POP_EXCEPT', 'RERAISE',
        'RETURN_GENERATOR', 'COPY_FREE_VARS', 'MAKE_CELL', 'LOAD_CLOSURE',
        'LOAD_DEREF', 'STORE_DEREF', 'UNPACK_SEQUENCE', 'UNPACK_EX', 'BEFORE_WITH')


def _codes(names):
    return {opmap[name] for name in names if name in opmap}


def patch(module):
    """Add the new opcodes to the whitelists of ``odoo.tools.safe_eval``, in place."""
    if sys.version_info < (3, 8):
        return
    const, expr, safe = _codes(CONST), _codes(EXPR), _codes(SAFE)
    blacklisted = {opmap[name] for name in getattr(module, '_BLACKLIST', ()) if name in opmap}
    module._CONST_OPCODES.update(const - blacklisted)
    module._EXPR_OPCODES.update((const | expr) - blacklisted)
    module._SAFE_OPCODES.update((const | expr | safe) - blacklisted)
