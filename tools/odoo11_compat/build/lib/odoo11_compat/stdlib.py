"""Standard-library names that Odoo 11 uses and later Pythons removed."""
import base64
import collections
import collections.abc
import inspect

_ABC_NAMES = (
    'Callable', 'Container', 'Hashable', 'ItemsView', 'Iterable', 'Iterator',
    'KeysView', 'Mapping', 'MappingView', 'MutableMapping', 'MutableSequence',
    'MutableSet', 'Sequence', 'Set', 'Sized', 'ValuesView',
)

ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


def getargspec(func):
    """Python 3.0-3.10's ``inspect.getargspec`` on top of ``getfullargspec``."""
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def formatargspec(args, varargs=None, varkw=None, defaults=None, *unused_args, **unused_kwargs):
    """Format an argument spec the way Python 3.10's ``inspect.formatargspec`` did."""
    defaults = defaults or ()
    first_default = len(args) - len(defaults)
    params = []
    for index, arg in enumerate(args):
        if index >= first_default:
            params.append('%s=%r' % (arg, defaults[index - first_default]))
        else:
            params.append(arg)
    if varargs:
        params.append('*' + varargs)
    if varkw:
        params.append('**' + varkw)
    return '(' + ', '.join(params) + ')'


def _collections():
    missing = [name for name in _ABC_NAMES if not hasattr(collections, name)]
    for name in missing:
        setattr(collections, name, getattr(collections.abc, name))
    return missing


def _inspect():
    fixed = []
    if not hasattr(inspect, 'getargspec'):
        inspect.getargspec = getargspec
        fixed.append('getargspec')
    if not hasattr(inspect, 'formatargspec'):
        inspect.formatargspec = formatargspec
        fixed.append('formatargspec')
    return fixed


def _base64():
    if hasattr(base64, 'encodestring'):
        return []
    base64.encodestring = base64.encodebytes
    base64.decodestring = base64.decodebytes
    return ['encodestring', 'decodestring']


def _yaml():
    """PyYAML >= 6 requires a Loader; Odoo 11 calls ``yaml.load(stream)``.

    FullLoader knows the tags Odoo registers (``!record``...) but builds no arbitrary
    Python objects.
    """
    try:
        import yaml
    except ImportError:
        return []
    if getattr(yaml.load, '_odoo11_compat', False):
        return []
    try:
        yaml.load('a: 1')
        return []
    except TypeError:
        pass
    original = yaml.load

    def load(stream, Loader=None, **kwargs):
        return original(stream, Loader=Loader or yaml.FullLoader, **kwargs)

    load._odoo11_compat = True
    yaml.load = load
    return ['yaml.load']


def apply():
    """Apply the standard-library fixes; return what was missing."""
    fixed = []
    if _collections():
        fixed.append('collections')
    fixed.extend(_inspect())
    fixed.extend(_base64())
    fixed.extend(_yaml())
    return fixed
