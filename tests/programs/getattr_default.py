# getattr(obj, name, default) and hasattr: the missing case makes no exception on
# default lookups, but AttributeError from properties and __getattr__ still counts
# as missing and other exceptions propagate.
class A:
    x = 1
    @property
    def p(self): raise AttributeError("inner")
    @property
    def q(self): raise KeyError("k")
class B:
    def __getattr__(self, n):
        if n == "dyn": return 5
        raise AttributeError(n)
import types, sys
a = A(); a.y = 2
print(getattr(a, "x", 0), getattr(a, "y", 0), getattr(a, "z", 0), getattr(a, "p", "dflt"))
print(hasattr(a, "x"), hasattr(a, "z"), hasattr(a, "p"))
try: getattr(a, "q", 1)
except KeyError as e: print("KeyError", e)
b = B()
print(getattr(b, "dyn", 0), getattr(b, "nope", 0), hasattr(b, "dyn"), hasattr(b, "nope"))
print(getattr(A, "x", 0), getattr(A, "nope", 0), getattr(sys, "nope", 0), getattr(sys, "argv", 0) is sys.argv)
print(getattr(1, "real"), getattr(1, "nope", "d"), hasattr([], "append"), hasattr((), "append"))
def f(): pass
f.attr = 3
print(getattr(f, "attr", 0), getattr(f, "nope", 0))
try: getattr(a, "z")
except AttributeError as e: print(e, e.name, e.obj is a)
class S:
    __slots__ = ("u",)
s = S()
print(getattr(s, "u", "unset"), hasattr(s, "u"))
