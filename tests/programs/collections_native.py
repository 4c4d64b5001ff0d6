# _collections used directly: deque, defaultdict, _count_elements.
import _collections
from _collections import deque, defaultdict

def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, '!!', type(e).__name__, e)

d = deque([1, 2, 3])
d.append(4); d.appendleft(0)
show('basic', lambda: (d, len(d), d[0], d[-1], 3 in d, 9 in d))
show('pop', lambda: (d.pop(), d.popleft(), d))
show('pop empty', lambda: deque().pop())
show('popleft empty', lambda: deque().popleft())
m = deque(range(10), maxlen=3)
show('maxlen', lambda: (m, m.maxlen, deque().maxlen))
m.appendleft('a'); show('maxlen appendleft', lambda: m)
m.extend('xyz'); show('maxlen extend', lambda: m)
m.extendleft([1, 2]); show('maxlen extendleft', lambda: m)
show('maxlen 0', lambda: (deque([1, 2], 0), deque([], maxlen=0).maxlen))
show('bad maxlen', lambda: deque([], -1))
show('bad maxlen type', lambda: deque([], 1.5))
show('maxlen readonly', lambda: setattr(deque(), 'maxlen', 3))
r = deque(range(6)); r.rotate(2); show('rotate', lambda: r)
r.rotate(-3); show('rotate neg', lambda: r)
r.rotate(100); show('rotate big', lambda: r)
show('rotate bad', lambda: deque([1]).rotate('x'))
show('index', lambda: (deque('abcb').index('b'), deque('abcb').index('b', 2), deque('abcb').index('b', -1)))
show('index missing', lambda: deque('abc').index('z'))
show('index range', lambda: deque('abc').index('c', 0, 2))
show('count', lambda: deque([1, 2, 1, 1]).count(1))
x = deque('abc'); x.insert(1, 'X'); x.insert(-1, 'Y'); x.insert(99, 'Z'); show('insert', lambda: x)
show('insert full', lambda: deque([1], 1).insert(0, 2))
x.remove('X'); show('remove', lambda: x)
show('remove missing', lambda: x.remove('nope'))
x.reverse(); show('reverse', lambda: x)
x[0] = 'first'; del x[1]; show('setitem/delitem', lambda: x)
show('index errors', lambda: deque([1])[5])
show('index type', lambda: deque([1])['a'])
show('slice', lambda: deque([1])[0:1])
show('compare', lambda: (deque([1, 2]) == deque([1, 2]), deque([1]) < deque([2]), deque([1]) == [1], deque([1, 2]) >= deque([1])))
show('compare list', lambda: deque([1]) < [1])
show('add', lambda: deque([1]) + deque([2, 3]))
show('add list', lambda: deque([1]) + [2])
show('mul', lambda: (deque([1, 2]) * 2, 2 * deque('ab'), deque([1, 2], 3) * 3, deque([1]) * 0))
show('mul str', lambda: deque([1]) * 'a')
i = deque([1]); i += 'ab'; i *= 2; show('inplace', lambda: i)
show('hash', lambda: hash(deque()))
show('copy', lambda: (deque([1, 2], 5).copy(), deque([3]).__copy__()))
rec = deque([1]); rec.append(rec); show('recursive repr', lambda: repr(rec))
show('reversed', lambda: list(reversed(deque([1, 2, 3]))))
show('iter types', lambda: (type(iter(deque())).__name__, type(reversed(deque())).__name__))
show('length_hint', lambda: iter(deque([1, 2, 3])).__length_hint__())
def mutate():
    q = deque([1, 2, 3])
    for v in q:
        q.append(v)
show('mutate', mutate)
def mutate_same_size():
    q = deque([1, 2, 3])
    it = iter(q); next(it)
    q.append(9); q.popleft()
    return next(it)
show('mutate same size', mutate_same_size)
def setitem_ok():
    q = deque([1, 2, 3])
    it = iter(q); next(it)
    q[1] = 'new'
    return list(it)
show('setitem during iteration', setitem_ok)
class Evil:
    def __eq__(self, other):
        victim.clear()
        return False
victim = deque([1, Evil(), 3])
show('evil count', lambda: victim.count(5))
victim = deque([1, Evil(), 3])
show('evil remove', lambda: victim.remove(5))
class D(deque):
    pass
show('subclass', lambda: (D([1, 2]), D('ab', 1), type(D([1]).copy()).__name__, type(D([1]) + D([2])).__name__, isinstance(D(), deque)))
show('extend self', lambda: (lambda q: (q.extend(q), q)[1])(deque([1, 2])))
show('generic', lambda: deque[int])
show('names', lambda: (deque.__name__, deque.__module__, repr(deque), defaultdict.__module__))
show('arg errors', lambda: deque([1], 2, 3))
show('append arity', lambda: deque().append())
show('not iterable', lambda: deque(5))

dd = defaultdict(list)
dd['a'].append(1); dd['b']
show('defaultdict', lambda: (dd, dd.default_factory, dict(dd), isinstance(dd, dict)))
show('defaultdict none', lambda: defaultdict()[1])
show('defaultdict bad', lambda: defaultdict(1))
show('defaultdict kwargs', lambda: defaultdict(int, {'x': 1}, y=2))
show('missing', lambda: (defaultdict(int).__missing__('k'), defaultdict(lambda: 'v').get('k')))
c = defaultdict(int)
for ch in 'hello': c[ch] += 1
show('counting', lambda: sorted(c.items()))
r2 = defaultdict(list); r2[1] = r2
show('recursive', lambda: repr(r2))
show('copy', lambda: (defaultdict(list, a=[1]).copy(), type(defaultdict(set).copy()).__name__))
show('or', lambda: (defaultdict(int, a=1) | {'b': 2}, {'b': 2} | defaultdict(int, a=1)))
f = defaultdict(list); f.default_factory = int; show('set factory', lambda: (f['q'], f.default_factory))
del f.default_factory; show('del factory', lambda: f.default_factory)
class DD(defaultdict):
    pass
show('dd subclass', lambda: (repr(DD(list, {1: 2})), DD(int)[3]))
show('fromkeys', lambda: defaultdict.fromkeys('ab'))
show('eq', lambda: defaultdict(int, a=1) == {'a': 1})

cnt = {}
_collections._count_elements(cnt, 'abracadabra')
show('count_elements', lambda: cnt)
show('count_elements bad', lambda: _collections._count_elements(1, 'a'))
