# Pickling and copying itertools objects (CPython 3.11's __reduce__/__setstate__ shapes),
# keyword arguments in subclasses, and functools.partial's state.
import copy
import operator
import pickle
import weakref
from functools import partial
from itertools import *


def small(x):
    return x < 3


def roundtrip(it, take=1):
    for _ in range(take):
        next(it, None)
    r = it.__reduce__()
    shape = (r[0].__name__, len(r[1]), len(r))
    out = []
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        out.append(list(islice(pickle.loads(pickle.dumps(it, proto)), 12)))
    out.append(list(islice(copy.deepcopy(it), 12)))
    assert all(o == out[0] for o in out), out
    print(shape, out[0])


roundtrip(count(5), 2)
roundtrip(count(1.5, 0.5))
roundtrip(count(2**70))
print(repr(count(True)), count(True).__reduce__()[1])
roundtrip(cycle('abc'), 2)
roundtrip(cycle('abc'), 4)
roundtrip(repeat('x', 3))
roundtrip(repeat('x'), 0)
roundtrip(accumulate([1, 2, 3, 4]))
roundtrip(accumulate([1, 2, 3], initial=10), 0)
roundtrip(accumulate([None, None, None], operator.is_))
roundtrip(chain('ab', 'cd'), 1)
roundtrip(chain('ab'), 5)
roundtrip(compress('abcdef', [1, 0, 1, 1]))
roundtrip(dropwhile(small, [1, 2, 3, 1]), 1)
roundtrip(takewhile(small, [1, 2, 3, 1]), 3)
roundtrip(filterfalse(None, [0, 1, 0, 2]))
roundtrip(starmap(pow, [(2, 3), (3, 2), (4, 2)]))
roundtrip(islice(range(20), 2, 15, 3))
roundtrip(islice('abc', 1), 2)
roundtrip(product('ab', range(3)), 2)
roundtrip(product('ab', repeat=2), 10)
roundtrip(permutations('abcd', 2), 3)
roundtrip(combinations(range(5), 3), 4)
roundtrip(combinations_with_replacement('abc', 2), 2)
roundtrip(zip_longest('abc', 'd', fillvalue='-'), 2)

g = groupby('aabbbc')
key, grp = next(g)
g2, grp2 = pickle.loads(pickle.dumps((g, grp)))
print(key, list(grp2), [(k, list(v)) for k, v in g2])
next(g)
print(grp.__reduce__()[0] is iter, list(grp))

a, b = tee('abcdef')
next(a)
a2, b2 = pickle.loads(pickle.dumps((a, b)))
print(list(a2), list(b2))
print(list(copy.deepcopy(b)), list(a), list(b))
print(weakref.ref(a)() is a)

c = cycle('defg')
c.__setstate__((list('abc'), 0))
print(''.join(islice(c, 12)))
for bad in [[list('abc'), 0], (tuple('abc'), 0), (list('abc'), 'x'), ([],)]:
    try:
        cycle('a').__setstate__(bad)
    except TypeError as e:
        print('TypeError:', e)
for bad in [(), 0, ([],), (iter([]), [])]:
    try:
        chain().__setstate__(bad)
    except TypeError as e:
        print('TypeError:', e)
ch = chain()
ch.__setstate__((iter(['abc', 'def']), iter(['ghi'])))
print(list(ch))

for cls, args in [(chain, ('ab',)), (cycle, ('ab',)), (islice, ('abc', 2)), (filterfalse, (None, [0])),
                  (starmap, (pow, [(2, 2)])), (takewhile, (bool, [1])), (map, (abs, [-1])), (filter, (None, [1]))]:
    class Sub(cls):
        pass

    class WithInit(cls):
        def __init__(self, *args, newarg=None):
            self.newarg = newarg

    try:
        Sub(*args, newarg=3)
    except TypeError as e:
        print('TypeError:', e)
    w = WithInit(*args, newarg=3)
    print(type(w).__name__, w.newarg, list(islice(w, 3)))

f = partial(max, [1], key=len)
f.attr = []
g = copy.copy(f)
print(g.args is f.args, g.keywords is f.keywords, g.attr is f.attr, f.__reduce__()[2][2])
f.__setstate__((min, (1,), None, None))
print(f.args, f.keywords, f.__dict__, f(0))
