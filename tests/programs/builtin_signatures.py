# __text_signature__, __doc__ and inspect.signature of builtin functions,
# methods and types.
import builtins
import re
import inspect

names = ['abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'callable', 'chr', 'compile', 'delattr', 'dir',
         'divmod', 'eval', 'exec', 'format', 'getattr', 'globals', 'hasattr', 'hash', 'hex', 'id', 'input',
         'isinstance', 'issubclass', 'iter', 'len', 'locals', 'max', 'min', 'next', 'oct', 'open', 'ord', 'pow',
         'print', 'repr', 'round', 'setattr', 'sorted', 'sum', 'vars', '__import__']

def sig(obj):
    try:
        return str(inspect.signature(obj))
    except ValueError as e:
        return 'ValueError: ' + re.sub(' at 0x[0-9a-f]+', '', str(e))

for n in names:
    f = getattr(builtins, n)
    print(n, repr(f.__text_signature__), sig(f), type(f.__doc__).__name__)

methods = [
    list.append, list.insert, list.pop, list.index, list.sort, list.copy, list.__getitem__,
    dict.get, dict.pop, dict.setdefault, dict.update, dict.keys, dict.fromkeys, dict.__contains__, dict.__getitem__,
    str.join, str.split, str.replace, str.strip, str.encode, str.count, str.find, str.format, str.startswith,
    str.maketrans, str.center, str.splitlines, str.zfill,
    tuple.count, tuple.index,
    set.add, set.union, set.__contains__, frozenset.issubset,
    int.to_bytes, int.from_bytes, int.bit_length, int.__round__, int.conjugate,
    bytes.decode, bytes.hex, bytes.fromhex, bytes.split, bytes.translate, bytes.find,
    float.hex, float.fromhex, float.__round__,
    object.__reduce_ex__, object.__format__, object.__dir__, object.__init_subclass__,
]
for m in methods:
    print(m.__qualname__, repr(m.__text_signature__), sig(m))

# Special methods: CPython's slot wrappers all have signatures.
for m in [int.__add__, int.__radd__, list.__len__, object.__init__, object.__repr__, object.__setattr__,
          object.__lt__, int.__pow__, float.__rpow__, int.__neg__, int.__bool__, dict.__setitem__,
          list.__iadd__, set.__ior__, int.__new__, list.__new__, type.__call__, str.__iter__, str.__getitem__]:
    print(m.__qualname__, repr(m.__text_signature__), sig(m), repr(m.__doc__))

# Bound methods drop $self / $type.
print(sig([].append), sig({}.get), sig(''.join), sig(dict.fromkeys), sig((1).__add__), sig(int.from_bytes))

# Docs: the signature header is not part of __doc__.
print(repr(len.__doc__))
print(divmod.__doc__.startswith('Return the '))
print(repr(list.append.__doc__))
print([].append.__doc__ == list.append.__doc__)
print(getattr.__doc__.startswith('getattr(object, name[, default]) -> value'))
print(dict.keys.__doc__.startswith('D.keys()'))
print(inspect.getdoc(abs))

# Types.
for t in [object, list, tuple, float, int, str, dict, range, bool, set, property, enumerate, reversed, complex]:
    print(t.__name__, repr(t.__text_signature__), sig(t))
class Plain:
    pass
class MyList(list):
    pass
print(sig(Plain), sig(MyList))
print(repr(object.__doc__))
print(list.__doc__.startswith('Built-in mutable sequence.'))

# Parameters of a builtin's signature.
s = inspect.signature(sorted)
print([(p.name, p.kind.name, p.default) for p in s.parameters.values()])
print(inspect.signature(pow).bind(2, 3).arguments)
try:
    inspect.signature(divmod).bind(1)
except TypeError as e:
    print('TypeError:', e)
print(str(inspect.signature(print)), str(inspect.signature(compile)))

# Read-only attributes and odd receivers.
for target, attr in [(len, '__text_signature__'), (len, '__doc__'), (list.append, '__text_signature__')]:
    try:
        setattr(target, attr, 'x')
    except AttributeError as e:
        print('AttributeError:', e)
print(inspect.signature(len).parameters['obj'].kind.name)
print(callable(len.__reduce__), len.__call__.__text_signature__)
