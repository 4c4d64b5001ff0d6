# Class attributes stored by type (`__doc__`, `__module__`) and dir() of a
# module whose class redefines `__dict__`.
import _io
import types


def attempt(label, fn):
    try:
        r = fn()
    except (AttributeError, TypeError) as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok", r)


class X:
    "elephant"


X.__doc__ = "banana"
print(X.__doc__)
doc = type(X).__dict__["__doc__"]
attempt("set list doc", lambda: doc.__set__(list, "blah"))
attempt("delete doc", lambda: doc.__delete__(X))
attempt("del doc", lambda: delattr(X, "__doc__"))
print(X.__doc__)
X.__module__ = "elsewhere"
attempt("del module", lambda: delattr(X, "__module__"))
print(X.__module__)
attempt("int module", lambda: setattr(int, "__module__", "x"))

for d in _io.FileIO.closed, _io.FileIO.mode, complex.real, complex.imag:
    print(type(d).__name__, d.__doc__)


class M(types.ModuleType):
    __dict__ = property(lambda self: "Not a dict!")


class M3(types.ModuleType):
    __dict__ = property(lambda self: {"b": 2, "a": 1})


m = M("m")
print(m.__dict__)
attempt("dir", lambda: dir(m))
print(dir(M3("m3")))
