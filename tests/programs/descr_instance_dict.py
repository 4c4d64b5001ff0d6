# Where instances get a __dict__ from, and who may replace it.
import types


def attempt(label, fn):
    try:
        r = fn()
    except (AttributeError, TypeError) as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok", r)


# A dict (and weakref support) from any base, not only the layout base.
class A:
    __slots__ = ()
class B:
    pass
class C(A, B):
    __slots__ = ()
print(C.__base__.__name__, hasattr(C, "__dict__"), hasattr(C, "__weakref__"))
c = C()
c.x = 2
print(c.__dict__)

class W:
    __slots__ = ["__weakref__"]
class C1(W, B):
    __slots__ = []
a = C1()
a.foo = 42
print(hasattr(a, "__weakref__"), a.__dict__)


# A class's __dict__ stays type's read-only proxy when a metaclass also
# inherits the instance-dict attribute of a plain class.
class Base:
    pass
class Meta1(type, Base):
    pass
class Meta2(Base, type):
    pass
for meta in Meta1, Meta2:
    class E(metaclass=meta):
        pass
    print(type(E.__dict__).__name__)
    attempt("set", lambda: setattr(E, "__dict__", {}))
    attempt("del", lambda: delattr(E, "__dict__"))
    attempt("descr set", lambda: Base.__dict__["__dict__"].__set__(E, {}))
    attempt("item", lambda: E.__dict__.__setitem__("spam", 1))

class Module2(Base, types.ModuleType):
    pass
m = Module2("spam")
attempt("module set", lambda: setattr(m, "__dict__", {}))
attempt("module del", lambda: delattr(m, "__dict__"))
m.__dict__["spam"] = "eggs"
print(m.spam)

class Exception2(Base, Exception):
    pass
for e in ValueError(), Exception2():
    e.__dict__ = {"a": 1}
    print(e.a)
    attempt("exc del", lambda: delattr(e, "__dict__"))


# Functions' __dict__ may be replaced but not deleted.
def f():
    pass
f.__dict__ = {"a": 1}
print(f.a)
attempt("func del", lambda: delattr(f, "__dict__"))
attempt("func bad", lambda: setattr(f, "__dict__", 1))


# Builtin attributes that CPython defines as members.
for d in [complex.real, property.fget, property.__dict__["__doc__"], slice.start, range.stop,
          staticmethod.__func__, classmethod.__func__, super.__self__, vars(types.SimpleNamespace)["__dict__"]]:
    print(type(d).__name__, d.__name__, d.__objclass__.__name__)
p = property()
for attr in "fget", "fset", "fdel":
    attempt(attr, lambda: setattr(p, attr, 42))
p.__doc__ = "doc"
print(p.__doc__)
class Sub(B):
    pass
attempt("weakref", lambda: setattr(Sub(), "__weakref__", 1))
