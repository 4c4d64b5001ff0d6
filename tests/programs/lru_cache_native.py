# functools.lru_cache is _functools._lru_cache_wrapper, native as CPython's: keys,
# bounded LRU order, typed keys, cache_info/clear, method binding, pickling by
# name, reentrant recursion, GC of cycles through the cache, no wrapper frame.
import functools, pickle, copy, sys, gc, weakref

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info())
print(type(fib).__name__, type(fib).__module__, fib.__name__, fib.__wrapped__.__name__, fib.cache_parameters())

@functools.lru_cache(maxsize=3)
def sq(x, *, k=1):
    calls.append(x)
    return x * x * k
calls = []
for x in [1, 2, 3, 1, 4, 2, 5, 1]:
    sq(x)
print(calls, sq.cache_info())
print(sq(2, k=3), sq(2, k=3), sq.cache_info())
sq.cache_clear()
print(sq.cache_info())

@functools.lru_cache(maxsize=0)
def z(x): return x
z(1); z(1)
print(z.cache_info())

@functools.lru_cache(typed=True)
def t(x): return type(x).__name__
print(t(3), t(3.0), t(3), t.cache_info())

@functools.lru_cache
def plain(a, b=2): return a + b
print(plain(1), plain(1, 2), plain(1, b=2), plain(a=1, b=2), plain.cache_info())

class C:
    @functools.lru_cache(maxsize=16)
    def m(self, x):
        return (id(self) == id(self), x)
    def __hash__(self): return 7
    def __eq__(self, o): return isinstance(o, C)
c = C()
print(c.m(5), c.m(5), C.m.cache_info(), C.m(c, 5))

# unhashable args
try:
    sq([1])
except TypeError as e:
    print("TypeError", e)
# exceptions are not cached
@functools.lru_cache(maxsize=2)
def boom(x):
    raise ValueError(x)
for _ in range(2):
    try: boom(1)
    except ValueError as e: print("ValueError", e, boom.cache_info())
print(pickle.loads(pickle.dumps(fib)) is fib, copy.copy(fib) is fib, copy.deepcopy(fib) is fib)
try:
    functools._lru_cache_wrapper(1, 2, False, None)
except TypeError as e:
    print("TypeError", e)
try:
    functools._lru_cache_wrapper(len, "x", False, None)
except TypeError as e:
    print("TypeError", e)
# reentrancy with a bounded cache and recursion
@functools.lru_cache(maxsize=2)
def rec(n): return n if n < 2 else rec(n - 1) + rec(n - 2)
print(rec(25), rec.cache_info().currsize)
# a cycle through the cache is collected
class Node: pass
n = Node()
@functools.lru_cache(maxsize=None)
def keep(x): return n
keep(1)
n.f = keep
r = weakref.ref(n)
del n, keep
gc.collect()
print("collected", r() is None)
# a traceback through a cached function has no wrapper frame
@functools.lru_cache
def bad(x): return 1 / x
try: bad(0)
except ZeroDivisionError:
    import traceback
    print([f.name for f in traceback.extract_tb(sys.exc_info()[2])])
