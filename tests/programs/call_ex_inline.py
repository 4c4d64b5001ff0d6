# f(*args, **kwargs) into Python functions and their bound methods runs as a frame of the calling loop: binding, errors, tracebacks, recursion limit.
import functools, traceback, sys
def f(a, b=2, *rest, k=1, **kw): return (a, b, rest, k, sorted(kw.items()))
print(f(*(1,)), f(*[1, 2, 3], **{'k': 5, 'z': 6}))
class C:
    def m(self, *a, **k): return (type(self).__name__, a, k)
c = C()
print(c.m(*(1, 2), **{'x': 1}))
g = c.m
print(g(*(), **{}))
def gen(*a):
    yield from a
print(list(gen(*range(3))))
def bad(a): pass
for args, kwargs in [((1, 2), {}), ((), {}), ((1,), {'a': 2}), ((1,), {'zz': 2})]:
    try: bad(*args, **kwargs)
    except TypeError as e: print(e)
try: bad(*5)
except TypeError as e: print(e)
try: bad(**5)
except TypeError as e: print(e)
try: bad(**{1: 2})
except TypeError as e: print(e)
def boom(*a): raise ValueError('x')
def outer(*a, **k): return boom(*a, **k)
try: outer(1)
except ValueError:
    tb = traceback.extract_tb(sys.exc_info()[2])
    print([fr.name for fr in tb])
def rec(n, *a):
    return n if n == 0 else rec(n - 1, *a)
print(rec(500))
sys.setrecursionlimit(100)
try: rec(1000)
except RecursionError as e: print('RecursionError', e)
