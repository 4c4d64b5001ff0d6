# types.MethodType, _collections._tuplegetter, BytesIO.getbuffer, weak references to io objects.
from _collections import _tuplegetter as t
g=t(1,'doc'); print(g.__doc__, g.__reduce__(), repr(g)[:30], type(g))
class P(tuple): x=t(0,'X')
p=P((5,6)); print(p.x, P.x)
try: p.x=3
except Exception as e: print(type(e).__name__, e)
try: del p.x
except Exception as e: print(type(e).__name__, e)
try: print(t(5,'').__get__((1,), tuple))
except Exception as e: print(type(e).__name__, e)
try: print(t(0,'').__get__([1], list))
except Exception as e: print(type(e).__name__, e)
try: t('a', 'b')
except Exception as e: print(type(e).__name__, e)
try: t(1)
except Exception as e: print(type(e).__name__, e)
g.__doc__='new'; print(g.__doc__)
print(t(0,'d').__get__(None, tuple))
import collections
Pt = collections.namedtuple('Pt', 'x y')
print(Pt(1,2).y, Pt.x.__doc__, Pt._make([3,4]))
import types
class A:
    def f(self, x): return (self, x)
m = types.MethodType(A.f, 5); print(m(1), m.__self__, m.__func__ is A.f)
for bad in [lambda: types.MethodType(1, 2), lambda: types.MethodType(A.f, None), lambda: types.MethodType(A.f), lambda: types.MethodType(func=A.f, obj=1)]:
    try: bad()
    except TypeError as e: print(e)
import io
b = io.BytesIO(b'abc123')
v = b.getbuffer()
v[0] = ord('X')
print(b.getvalue(), len(v), v.readonly, b.read(2))
for op in [lambda: b.write(b'x'), lambda: b.truncate(1), lambda: b.close(), lambda: b.seek(0), lambda: b.read(), lambda: b.writelines([b'a']), lambda: b.__setstate__((b'',0,None))]:
    try: print(op())
    except Exception as e: print(type(e).__name__, e)
v2 = b.getbuffer(); v2[1] = ord('Y'); print(b.getvalue(), bytes(v))
v.release()
try: b.write(b'z')
except BufferError as e: print('still', e)
v2.release()
b.seek(0, 2); print(b.write(b'!'), b.getvalue())
w = b.getbuffer(); del w
print(b.write(b'?'), b.getvalue())
b.close()
try: b.getbuffer()
except ValueError as e: print(e)
import io, weakref, sys
for f in [open(__file__), open(__file__, 'rb'), open(__file__, 'rb', buffering=0), io.StringIO(), io.BytesIO(), sys.stdout, open(__file__, 'rb')]:
    r = weakref.ref(f); print(type(f).__name__, r() is f)
class S(io.StringIO): pass
print(weakref.ref(S())() is None)
