# Pickling and copying builtin functions, builtin methods and method descriptors.
import copy
import math
import pickle

def show_reduce(label, obj):
    r = obj.__reduce__()
    if isinstance(r, str):
        print(label, 'reduce ->', repr(r))
    else:
        f, (target, name) = r
        print(label, 'reduce ->', f is getattr, type(target).__name__, repr(name))
    print(label, 'reduce_ex(2) same:', obj.__reduce_ex__(2) == r)

show_reduce('len', len)
show_reduce('math.sqrt', math.sqrt)
show_reduce('[].append', [1].append)
show_reduce('{}.get', {'a': 1}.get)
show_reduce("'x'.join", 'x'.join)
show_reduce('list.append', list.append)
show_reduce('dict.fromkeys', dict.fromkeys)
show_reduce('int.from_bytes', int.from_bytes)
show_reduce('int.__add__', int.__add__)
show_reduce('object.__init__', object.__init__)
show_reduce('(1).__add__', (1).__add__)
show_reduce('int.__new__', int.__new__)
show_reduce('str.maketrans', str.maketrans)

print('modules:', len.__module__, math.sqrt.__module__, [].append.__module__)
print('__self__ of math.sqrt is math:', math.sqrt.__self__ is math)
print('__self__ of len:', len.__self__.__name__)

for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    same = [pickle.loads(pickle.dumps(o, proto)) is o
            for o in (len, abs, getattr, math.sqrt, math.floor, list.append, dict.get, str.join, int.__add__)]
    print('protocol', proto, 'identity:', same)
    m = pickle.loads(pickle.dumps([3, 1, 2].index, proto))
    print('  bound list method:', m.__name__, m.__self__, m(2))
    m = pickle.loads(pickle.dumps({'k': 'v'}.get, proto))
    print('  bound dict method:', m('k'), m('missing', 0))
    m = pickle.loads(pickle.dumps('-'.join, proto))
    print('  bound str method:', m(['a', 'b']))
    m = pickle.loads(pickle.dumps(dict.fromkeys, proto))
    print('  classmethod:', m('ab'), m == dict.fromkeys)
    m = pickle.loads(pickle.dumps((5).__add__, proto))
    print('  method-wrapper:', m(1))
    d = pickle.loads(pickle.dumps({'f': len, 'g': [max, min], 'h': (sorted, list.sort)}, proto))
    print('  nested:', d['f'] is len, d['g'][0] is max, d['h'][1] is list.sort)

print('dumps(len, 0):', pickle.dumps(len, 0))
print('dumps(math.sqrt, 2):', pickle.dumps(math.sqrt, 2))
print('dumps(len, 4):', pickle.dumps(len, 4))

for o in (len, math.sqrt, list.append, int.__add__):
    print('copy:', copy.copy(o) is o, copy.deepcopy(o) is o, copy.deepcopy([o])[0] is o)
l = [1, 2]
c = copy.copy(l.append)
print('copy bound:', c.__self__ is l, c.__name__)
c = copy.deepcopy(l.append)
print('deepcopy bound:', c.__self__ == l, c.__self__ is l, c.__name__)

for bad in (lambda: len.__reduce__(1), lambda: list.append.__reduce__(1), lambda: [].append.__reduce__(None)):
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
try:
    pickle.dumps(len.__call__)
except Exception as e:
    print(type(e).__name__)

# Equality and hashing of builtin methods (identity of the bound object).
d = {'a': 1}
l = []
print('eq:', len == len, len != abs, d.get == d.get, {}.get == {}.get, l.append == l.append,
      l.append != l.append, dict.fromkeys == dict.fromkeys, (1).__add__ == (1).__add__, len == 'len')
print('hash:', hash(len) == hash(len), hash(l.append) == hash(l.append), hash(dict.fromkeys) == hash(dict.fromkeys))
print('as keys:', {len: 1, abs: 2, l.append: 3}[l.append], len({d.get, d.get, d.pop}))
