# __slots__ and inheritance: layouts, __class__ and __bases__ assignment.
import weakref


def show(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__, e)


class A:
    __slots__ = ("a", "b")


class B(A):
    __slots__ = ("c",)


class C(A):
    __slots__ = ()


class D(B, C):
    __slots__ = ("d",)


d = D()
d.a, d.b, d.c, d.d = 1, 2, 3, 4
show("diamond values", lambda: (d.a, d.b, d.c, d.d))
show("diamond mro", lambda: [k.__name__ for k in D.__mro__])
show("__base__", lambda: (D.__base__.__name__, C.__base__.__name__, B.__base__.__name__))
show("diamond no dict", lambda: hasattr(d, "__dict__"))


class E(B, C):
    pass


e = E()
e.z = 1
show("no __slots__ adds dict", lambda: (e.__dict__, weakref.ref(e)() is e))
show("E adds", lambda: sorted(k for k in E.__dict__ if k.startswith("__w") or k.startswith("__d")))


class F(A):
    __slots__ = ("x",)


show("sibling slotted bases", lambda: type("G", (B, F), {}))


class H:
    pass


class I(H):
    __slots__ = ("s",)


i = I()
i.s = 1
i.other = 2
show("slots under a dict base", lambda: (i.s, i.__dict__, weakref.ref(i)() is i))


def e_set():
    x = B()
    x.q = 1


show("subclass slots: no dict", e_set)
show("inherited descriptor", lambda: B.a is A.a)
show("subclass descriptor on base instance", lambda: B.c.__set__(A(), 3))
show("base descriptor on subclass instance", lambda: (A.a.__set__(D(), 3)))


class Shadow(A):
    __slots__ = ("a",)


sh = Shadow()
sh.a = "new"
show("shadowed slot", lambda: (sh.a, A.a.__get__(sh, A) if hasattr(A.a, "__get__") else None))


class Prop(A):
    @property
    def a(self):
        return "prop"


show("property over slot", lambda: Prop().a)


class Ls(list):
    __slots__ = ("q",)


l = Ls([1, 2])
l.q = 5
show("list subclass slot", lambda: (l, l.q, hasattr(l, "__dict__")))


def l_set():
    l.w = 1


show("list subclass no dict", l_set)
show("list subclass no weakref", lambda: weakref.ref(l))


class Dw(dict):
    __slots__ = ("q", "__weakref__")


dw = Dw(a=1)
dw.q = 2
show("dict subclass", lambda: (dw, dw.q, weakref.ref(dw)() is dw))


class St(set):
    __slots__ = ("q",)


st = St([1])
st.q = 2
show("set subclass weakref", lambda: (weakref.ref(st)() is st, "__weakref__" in St.__dict__))


class Sn(set):
    pass


show("set subclass no __weakref__ attr", lambda: ("__weakref__" in Sn.__dict__, hasattr(Sn(), "__weakref__")))


class In(int):
    __slots__ = ()


def in_set():
    In(1).x = 2


show("int subclass empty slots", in_set)
show("int subclass no weakref", lambda: weakref.ref(In(1)))
show("int subclass arith", lambda: In(5) + 1)


class Ex(Exception):
    __slots__ = ("code", "extra")

    def __init__(self, code):
        super().__init__(code)
        self.code = code


ex = Ex(5)
show("exception slot", lambda: (ex.code, ex.args, ex.__dict__))
show("exception unset slot", lambda: ex.extra)
ex.other = 1
show("exception keeps dict", lambda: ex.__dict__)
show("exception slot no weakref", lambda: weakref.ref(ex))
try:
    raise Ex(3)
except Ex as caught:
    print("raised:", caught.code, caught)


class OE(OSError):
    __slots__ = ("z",)


oe = OE(2, "no such")
oe.z = 3
show("OSError subclass", lambda: (oe.errno, oe.strerror, oe.z, str(oe)))


# __class__ assignment.
def assign(o, k):
    def f():
        o.__class__ = k
        return type(o).__name__

    return f


class P:
    __slots__ = ("a", "b")


class Q:
    __slots__ = ("a", "b")


class R:
    __slots__ = ("a",)


class S:
    __slots__ = ("b", "a")


class T:
    pass


class U:
    pass


class V:
    __slots__ = ("a", "b", "__dict__")


class W:
    __slots__ = ("__weakref__", "a", "b")


class P2(P):
    pass


class P3(P):
    __slots__ = ()


p = P()
p.a = 1
show("same slots", assign(p, Q))
show("value kept", lambda: p.a)
show("fewer slots", assign(p, R))
show("same slots, other order", assign(p, S))
show("to plain", assign(p, T))
show("to slots+dict", assign(p, V))
show("to slots+weakref", assign(p, W))
show("to subclass with dict", assign(p, P2))
show("to empty-slots subclass", assign(p, P3))
show("plain to plain", assign(T(), U))
show("plain to slotted", assign(T(), P))
show("plain to slots+dict", assign(T(), V))
show("slots+dict to plain", assign(V(), T))
show("to builtin", assign(P(), int))
show("from builtin", assign(1, P))


class A1:
    __slots__ = ("a",)


class B1(A1):
    __slots__ = ("b",)


class C1:
    __slots__ = ("a", "b")


class C2(A1):
    __slots__ = ("b",)


class D1(A1):
    __slots__ = ("c",)


show("same names, other bases", assign(B1(), C1))
show("same base, same added", assign(B1(), C2))
show("same base, other added", assign(B1(), D1))


class Ow:
    __slots__ = ("__weakref__",)


class Od:
    __slots__ = ("__dict__",)


class Owd:
    __slots__ = ("__dict__", "__weakref__")


class Oe:
    __slots__ = ()


class Oe2:
    __slots__ = ()


show("weakref-only to dict-only", assign(Ow(), Od))
show("dict+weakref to plain", assign(Owd(), T))
show("plain to dict+weakref", assign(T(), Owd))
show("dict-only to plain", assign(Od(), T))
show("weakref-only to plain", assign(Ow(), T))
show("empty to plain", assign(Oe(), T))
show("empty to empty", assign(Oe(), Oe2))


class AA(A1):
    pass


class AB(A1):
    __slots__ = ("__dict__",)


class AC(A1):
    __slots__ = ("__dict__", "__weakref__")


show("dict+weak added both ways", assign(AA(), AC))
show("dict only vs dict+weak", assign(AA(), AB))


class Tu1(tuple):
    pass


class Tu2(tuple):
    pass


class Tu3(tuple):
    __slots__ = ()


show("tuple subclasses with dicts", assign(Tu1(), Tu2))
show("tuple subclass dict vs none", assign(Tu1(), Tu3))


class L1(list):
    pass


class L2(list):
    pass


class L3(list):
    __slots__ = ("x",)


show("list subclasses", assign(L1(), L2))
show("list subclass to slotted", assign(L1(), L3))


class Ex1(Exception):
    pass


class Ex2(ValueError):
    pass


class Ex3(Exception):
    pass


show("exception siblings", assign(Ex1(), Ex3))
show("exception other base", assign(Ex1(), Ex2))
show("exception to builtin", assign(Ex1(), Exception))


# __bases__ assignment.
def setb(c, b):
    def f():
        c.__bases__ = b
        return [k.__name__ for k in c.__bases__]

    return f


class Ba:
    pass


class Bb:
    pass


class Bc(Ba):
    pass


class Sl1:
    __slots__ = ("a",)


class Sl2:
    __slots__ = ("a",)


class Sl3:
    __slots__ = ("b",)


class Bd(Sl1):
    pass


show("bases plain", setb(Bc, (Bb,)))
show("bases same slots", setb(Bd, (Sl2,)))
class Be(Ba):
    pass


show("bases to object", setb(Be, (object,)))


class Lx(list):
    pass


class Ly(list):
    pass


class Lz(Lx):
    pass


show("bases list", setb(Lz, (list,)))
show("bases list sibling", setb(Lz, (Ly,)))


class Ix(int):
    pass


class Iy(Ix):
    pass


show("bases int", setb(Iy, (int,)))


class Kx(Exception):
    pass


class Ky(Kx):
    pass


show("bases exception", setb(Ky, (Exception,)))


class Oa:
    __slots__ = ()


class Ob(Oa):
    __slots__ = ()


show("bases empty slots to object", setb(Ob, (object,)))
