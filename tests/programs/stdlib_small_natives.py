# types.SimpleNamespace, native _heapq and _bisect, code-object introspection
# and builtin functions' __module__, checked against CPython 3.11.
import _bisect
import _heapq
import bisect
import copy
import dis
import heapq
import io
import math
import operator
import random
import sys
import types

# ---- SimpleNamespace ----
S = types.SimpleNamespace
print(type(sys.implementation) is S, S.__module__, S.__name__, repr(S.__doc__))
n = S(b=1, a='x')
print(n, n.__dict__, n.a)
n.c = [n]
n.n = n
print(n)
del n.c, n.n
n.__dict__[1] = 2
n.__dict__[''] = 3
print(n)


class T(S):
    pass


t = T(x=1)
print(t, t == S(x=1), S(x=1) == t, S(x=1) != S(x=2), S() == 1, S().__eq__(1))
print(S.__hash__, copy.copy(S(a=1)), copy.deepcopy(t), n.__reduce__()[:2])
for bad in [lambda: S(1), lambda: S({'a': 1}), lambda: S(**{1: 2}), lambda: hash(S()),
            lambda: t.y, lambda: S().__init__(1)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
del t.x
print(t, sys.implementation.version == sys.version_info)

# ---- _heapq ----
for name in ['heappush', 'heappop', 'heapify', 'heapreplace', 'heappushpop', '_heappop_max',
             '_heapify_max', '_heapreplace_max']:
    f = getattr(_heapq, name)
    for args in [(1, 2), (1,), (), ([],), ([], 1), ([3, 1, 2], 0)]:
        try:
            print(name, args, f(*args), args)
        except Exception as e:
            print(name, args, type(e).__name__, e)
for bad in [lambda: _heapq.heappop(heap=[]), lambda: _heapq.heappush(heap=[], item=1),
            lambda: _heapq.heappush([1], 'a')]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)


class Shrinker:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        victim.clear()
        return self.v < other.v


for make, call in [(lambda: [Shrinker(1), Shrinker(2), Shrinker(0)], _heapq.heapify),
                   (lambda: [Shrinker(1), Shrinker(2)], lambda h: _heapq.heappush(h, Shrinker(0))),
                   (lambda: [Shrinker(1), Shrinker(2), Shrinker(3)], _heapq.heappop),
                   (lambda: [Shrinker(1)], lambda h: _heapq.heappushpop(h, Shrinker(3)))]:
    victim = make()
    try:
        print(call(victim))
    except Exception as e:
        print(type(e).__name__, e)

random.seed(5)
for size in [0, 1, 2, 5, 100, 3000]:
    data = [random.randrange(1000) for _ in range(size)]
    h, m = list(data), list(data)
    _heapq.heapify(h)
    _heapq._heapify_max(m)
    print(size, [_heapq.heappop(h) for _ in range(size)] == sorted(data),
          [_heapq._heappop_max(m) for _ in range(size)] == sorted(data, reverse=True))
count = [0]


class Counted:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        count[0] += 1
        return self.v < other.v


big = [Counted(random.random()) for _ in range(4000)]
_heapq.heapify(big)
print('comparisons', count[0])
print(heapq.nsmallest(3, [5, 1, 4, 2]), heapq.nlargest(2, [5, 1, 4, 2]), list(heapq.merge([1, 3], [2, 4])))
print(heapq.heappush is _heapq.heappush, bisect.bisect is _bisect.bisect_right)

# ---- _bisect ----
a = [1, 2, 2, 3]
for name in ['bisect_left', 'bisect_right']:
    f = getattr(_bisect, name)
    print(name, f(a, 2), f(a, 2, 1, 2), f(a, 2, hi=-1), f(a, 2, hi=None),
          f([(1, 'a'), (2, 'b')], 2, key=lambda p: p[0]))
for args, kw in [((), {}), (([1],), {}), (([1], 1, 0, 1, 2), {}), (([1], 1), {'lo': -1}),
                 (([1], 1), {'lo': 'x'}), (([1], 1), {'hi': 'x'}), (([1], 1), {'hi': 1.5}),
                 (([1, 2, 3], 2), {'hi': -2}), ((1, 1), {}), (([1], 1), {'foo': 1}),
                 (([1], 1, 1), {'lo': 1}), (('abc', 'b'), {}), (([1], 1, 2 ** 70), {}),
                 (([1], 1, 0, 5), {})]:
    for name in ['bisect_left', 'bisect_right', 'insort_left', 'insort_right']:
        try:
            print(name, args, kw, getattr(_bisect, name)(*args, **kw))
        except Exception as e:
            print(name, args, kw, type(e).__name__, e)
pairs = [(1, 'a'), (3, 'c')]
bisect.insort(pairs, (2, 'b'), key=lambda p: p[0])
print(pairs)


class Recorder(list):
    def insert(self, i, x):
        print('insert', i, x)
        list.insert(self, i, x)


r = Recorder([1, 3])
_bisect.insort_left(r, 2)
print(r)

# ---- code objects ----


def sample(x, y=2):
    try:
        return x / y + [v for v in x][0]
    except ZeroDivisionError:
        return None


c = sample.__code__
print(c.co_qualname, type(c.co_lnotab), type(c.co_linetable), type(c.co_exceptiontable))
lines = list(c.co_lines())
print(all(len(t) == 3 for t in lines), lines[0][0], lines[-1][1] == len(c.co_code))
print(len(list(c.co_positions())) * 2 == len(c.co_code), c._varname_from_oparg(0))
r = c.replace(co_name='renamed', co_qualname='q.renamed', co_firstlineno=5)
print(r.co_name, r.co_qualname, r.co_firstlineno, r.co_filename == c.co_filename)
for bad in [lambda: c.replace(1), lambda: c.replace(co_bogus=1), lambda: c.replace(co_name=1)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
out = io.StringIO()
dis.dis(sample, file=out)
print('dis ran', len(out.getvalue()) > 0)

# ---- builtin functions ----
print(len.__module__, operator.add.__module__, math.sin.__module__, sys.exit.__module__,
      heapq.heappush.__module__, bisect.bisect.__module__, [].append.__module__)
print(heapq.heappush.__doc__)
print(_bisect.insort_right.__doc__.splitlines()[0])
