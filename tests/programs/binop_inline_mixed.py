# Binary operators between an instance and an int or float run the instance method as a frame of the loop: results, NotImplemented errors, in-place forms, subclasses.
class V:
    def __init__(s, x): s.x = x
    def __add__(s, o): return V(s.x + (o.x if isinstance(o, V) else o))
    def __mul__(s, k): return V(s.x * k) if isinstance(k, (int, float)) else NotImplemented
    def __rmul__(s, k): return V(k * s.x) if isinstance(k, (int, float)) else NotImplemented
    def __sub__(s, o): return NotImplemented
    def __rsub__(s, o): return NotImplemented
    def __pow__(s, o, m=None): return V(s.x ** o)
    def __truediv__(s, o): raise ValueError("div %r" % (o,))
    def __repr__(s): return 'V(%r)' % s.x
v = V(3)
print(v * 2, v * 2.5, 2 * v, 1.5 * v, v + 1, v + 0.5, v + v, v ** 2)
w = v; w *= 2; print(w, v)
x = 2.0; x *= v; print(x)
for expr in ['v - 1', '1 - v', 'v - 1.0', '2.0 - v', 'v - v', '1 + v', 'v / 2', 'True * v', 'v * True', 'v @ 2', '2 @ v', "v * 'a'", 'v % 2', '2 % v']:
    try: print(expr, eval(expr))
    except Exception as e: print(expr, type(e).__name__, e)
i = 5
try:
    i -= v
except TypeError as e: print(e)
class W(V):
    def __rmul__(s, k): return 'W.rmul'
print(v * W(1), W(1) * 2, 2 * W(1))
import traceback
try: v / 3
except ValueError:
    print([f.name for f in traceback.extract_tb(__import__('sys').exc_info()[2])])
