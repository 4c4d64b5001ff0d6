# dict.copy() and f(**d) copy the table whole (hashes and order kept): deletions, subclasses, GC tracking, errors.
import gc
def f(**kw): return kw
d = {'a': 1, 'b': [2]}
del d['a']; d['c'] = 3
k = f(**d)
print(k, k is d, list(k), gc.is_tracked(k), gc.is_tracked(f(**{'x': 1})))
print(gc.is_tracked({'x': 1}.copy()), gc.is_tracked({'x': []}.copy()))
class D(dict): pass
dd = D(p=1, q=2)
print(f(**dd), dd.copy(), type(dd.copy()))
big = {str(i): i for i in range(100)}
c = big.copy(); print(len(c), c == big, list(c)[:3], list(c)[-1])
for i in range(50): del c[str(i)]
print(f(**c) == {str(i): i for i in range(50, 100)})
def g(a, **kw): return a, kw
try: g(**{'a': 1}, **{'a': 2})
except TypeError as e: print(e)
print(g(**{'a': 1, 'z': 2}))
e = {}
e2 = e.copy(); e2['x'] = 1; print(e, e2)
m = {1: 'x'}
try: f(**m)
except TypeError as ex: print(ex)
n = {float('nan'): 1}; print(len(n.copy()))
