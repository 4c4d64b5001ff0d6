# __slots__: what instances have, member descriptors, the forms __slots__ takes.
import weakref


def show(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__, e)


class A:
    __slots__ = ("a", "b")

    def m(self):
        return "m"

    cv = 3


a = A()
show("no __dict__", lambda: a.__dict__)
show("no __weakref__", lambda: a.__weakref__)
show("weakref.ref", lambda: weakref.ref(a))
show("vars()", lambda: vars(a))
show("hasattr __dict__", lambda: hasattr(a, "__dict__"))


def set_c():
    a.c = 1


def del_c():
    del a.c


def set_m():
    a.m = 1


def del_cv():
    del a.cv


show("set undeclared", set_c)
show("del undeclared", del_c)
show("set method name", set_m)
show("del class var", del_cv)
show("read unset", lambda: a.a)
show("hasattr unset", lambda: hasattr(a, "a"))
show("getattr default", lambda: getattr(a, "a", "dflt"))


def del_a():
    del a.a


show("del unset", del_a)
a.a = 5
show("read set", lambda: a.a)
show("del set", del_a)
show("read after del", lambda: a.a)
a.a, a.b = [1], None
show("values", lambda: (a.a, a.b))

# AttributeError context: set on attribute reads, not on set/del.
for label, f in [("read", lambda: a.zz), ("read slot", lambda: A().a), ("set", set_c), ("del", del_a)]:
    try:
        a.a = None
        del a.a
        f()
    except AttributeError as e:
        print(label, "name/obj:", e.name, type(e.obj).__name__)

# The member descriptor.
d = A.a
show("repr", lambda: d)
show("type", lambda: type(d))
show("names", lambda: (d.__name__, d.__qualname__, d.__objclass__, d.__doc__))
show("get None", lambda: d.__get__(None, A) is d)
show("get None None", lambda: d.__get__(None, None))
show("get None", lambda: d.__get__(None))
show("get unset", lambda: d.__get__(A()))
b = A()
show("set", lambda: (d.__set__(b, 7), b.a))
show("get", lambda: d.__get__(b, A))
show("delete", lambda: (d.__delete__(b), hasattr(b, "a")))
show("delete unset", lambda: d.__delete__(b))
show("get wrong", lambda: d.__get__(1))
show("set wrong", lambda: d.__set__("s", 1))
show("delete wrong", lambda: d.__delete__(None))
try:
    d.__get__(A())
except AttributeError as e:
    print("explicit __get__ name/obj:", e.name, e.obj)


# A member of another class put in a class dict.
class Y:
    __slots__ = ("a", "b")


class X:
    pass


X.a = Y.a


class Z:
    __slots__ = ("q", "r")
    a = Y.a


def x_set():
    x = X()
    x.a = 1


def z_set():
    z = Z()
    z.a = 1


show("foreign member get", lambda: X().a)
show("foreign member set", x_set)
show("foreign member set (slotted)", z_set)
show("foreign member get (slotted)", lambda: Z().a)

# The forms of __slots__.
class S:
    __slots__ = "abc"


class L:
    __slots__ = ["x", "y"]


class G:
    __slots__ = (n for n in ["p", "q"])


class Dd:
    __slots__ = {"a": "doc of a", "b": None, "c": 3}


show("str", lambda: (S.__slots__, S.abc))
show("list", lambda: (L.__slots__, L.x, L.y))
show("generator", lambda: (type(G.__slots__).__name__, G.p, G.q))
show("dict", lambda: (Dd.__slots__, Dd.a, Dd.c))
show("dict docs", lambda: (Dd.a.__doc__, Dd.b.__doc__, Dd.c.__doc__))
import inspect

show("inspect.getdoc", lambda: (inspect.getdoc(Dd.a), inspect.getdoc(Dd.b)))
show("ismemberdescriptor", lambda: (inspect.ismemberdescriptor(Dd.a), inspect.isdatadescriptor(Dd.a)))
import types

show("MemberDescriptorType", lambda: type(A.a) is types.MemberDescriptorType)
show("function members", lambda: [type(types.FunctionType.__dict__[n]).__name__ for n in ("__globals__", "__code__")])


def f():
    pass


def set_globals():
    f.__globals__ = {}


show("readonly member", set_globals)
show("class dict order", lambda: list(type("K", (), {"__slots__": ("b", "__weakref__", "a", "__dict__")}).__dict__))
show("dict slots order", lambda: list(type("K", (), {"__slots__": {"b": 1, "a": 2}}).__dict__))


# Name mangling.
class M:
    __slots__ = ("__priv", "__dunder__", "_x", "__a_")

    def __init__(self):
        self.__priv = "p"


show("mangled", lambda: sorted(k for k in M.__dict__ if k not in ("__module__", "__slots__", "__doc__", "__init__")))
show("mangled value", lambda: (M()._M__priv, M._M__priv))


class _Under:
    __slots__ = ("__p",)


class ___:
    __slots__ = ("__p",)


show("leading underscores", lambda: [k for k in _Under.__dict__ if k.endswith("p")])
show("all underscores", lambda: [k for k in ___.__dict__ if k.endswith("p")])

# Duplicate names are accepted.
Dup = type("Dup", (), {"__slots__": ("a", "a")})
dup = Dup()
dup.a = 1
show("duplicates", lambda: (dup.a, Dup.a))

# Slots with a __dict__ and/or __weakref__.
class B:
    __slots__ = ("x", "__dict__")


bb = B()
bb.y = 3
show("with __dict__", lambda: (bb.__dict__, vars(bb)))
show("with __dict__ no weakref", lambda: weakref.ref(bb))
bb.x = 1
show("slot not in dict", lambda: bb.__dict__)


class C:
    __slots__ = ("x", "__weakref__")


c = C()
show("weakref slot", lambda: weakref.ref(c)() is c)
show("__weakref__ empty", lambda: c.__weakref__)
r = weakref.ref(c)
show("__weakref__ set", lambda: c.__weakref__ is r)


def c_set():
    c.y = 1


show("weakref slot no dict", c_set)

# Class variables shadowing: a `__dict__` given as a class variable is kept.
K = type("K", (), {"__slots__": ("__dict__",), "__dict__": 1})
show("__dict__ class var kept", lambda: K.__dict__["__dict__"])
Q = type("Q", (), {"__slots__": ("__qualname__",), "__qualname__": "QQ"})
show("__qualname__ slot", lambda: (Q.__qualname__, type(Q.__dict__["__qualname__"]).__name__))
Mo = type("Mo", (), {"__slots__": ("__module__",)})
show("__module__ slot", lambda: (Mo.__module__, "__module__" in Mo.__dict__))


class WithGetattr:
    __slots__ = ("a",)

    def __getattr__(self, n):
        return "ga:" + n


w = WithGetattr()
show("__getattr__ on unset slot", lambda: w.a)
w.a = 1
show("__getattr__ not needed", lambda: w.a)
