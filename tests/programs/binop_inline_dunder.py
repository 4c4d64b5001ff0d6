# Binary operators on two instances of one class run the method as a frame
# of the eval loop (exec.rs inline_binop_target): results, NotImplemented, errors.
import traceback
class V:
    __slots__ = ("x",)
    def __init__(self, x): self.x = x
    def __add__(self, o): return V(self.x + o.x)
    def __sub__(self, o): return NotImplemented
    def __mul__(self, k): return V(self.x * k)
    def __repr__(self): return "V(%r)" % self.x
    def __truediv__(self, o): raise ValueError("no div")
    def __iadd__(self, o): self.x += o.x * 10; return self
    def __floordiv__(self, o, extra=1): return "floordiv"
a, b = V(1), V(2)
print(a + b, a * 3)
try:
    a - b
except TypeError as e:
    print("TypeError:", e)
try:
    a / b
except ValueError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(l for l in lines if "File" not in l))
c = V(5); c += V(1); print(c)
print(a // b)
class W(V):
    def __radd__(self, o): return "W.radd"
print(a + W(3), W(3) + a)
class P:
    def __pow__(self, o): return NotImplemented
try:
    P() ** P()
except TypeError as e:
    print("TypeError:", e)
class Rec:
    def __add__(self, o): return self + o
try:
    Rec() + Rec()
except RecursionError as e:
    print("RecursionError")
class S:
    def __add__(self, o):
        return sum([1, 2])
print(S() + S())
def gen_in_add():
    class G:
        def __add__(self, o):
            yield 1
    return list(G() + G())
print(gen_in_add())
