# Classes are freed by the cycle collector like any other object: a class
# keeps itself alive through its __mro__ (and its methods' __class__ cells),
# so only gc.collect() frees it. Attribute caches must not keep classes or
# their attributes alive.
import gc
import weakref


def collect():
    gc.collect()


# -- A class made in a function dies with its cycle.
def make_plain():
    class A:
        x = 10

        def m(self):
            return self.x + 1

        def __repr__(self):
            return "A()"

    a = A()
    for _ in range(5):
        a.m()
        A.m(a)
        a.x
    repr(a)
    return weakref.ref(A)


r = make_plain()
print("plain class alive before collect:", r() is not None)
collect()
print("plain class collected:", r() is None)


# -- Classes whose methods reference them (super(), __class__ cells).
def make_super():
    class B:
        def who(self):
            return __class__.__name__

    class C(B):
        def who(self):
            return "C<" + super().who()

    c = C()
    print("super call:", c.who(), c.who())
    return weakref.ref(B), weakref.ref(C)


rb, rc = make_super()
collect()
print("super pair collected:", rb() is None, rc() is None)


# -- A class with a metaclass, and the metaclass, both die.
def make_meta():
    class Meta(type):
        def __call__(cls, *args):
            inst = super().__call__(*args)
            inst.made_by = "Meta"
            return inst

        def describe(cls):
            return "class " + cls.__name__

    class K(metaclass=Meta):
        def __init__(self, v):
            self.v = v

    k = K(3)
    print("metaclass:", K.describe(), k.v, k.made_by, type(K).__name__)
    return weakref.ref(Meta), weakref.ref(K)


rm, rk = make_meta()
collect()
print("metaclass and class collected:", rm() is None, rk() is None)


# -- A metaclass with __del__: the class itself is finalized when collected.
def make_meta_del():
    class MetaDel(type):
        def __del__(cls):
            print("MetaDel.__del__ for", cls.__name__)

    class X(metaclass=MetaDel):
        pass

    X()
    return weakref.ref(X)


rx = make_meta_del()
print("collecting a class whose metaclass has __del__")
collect()
print("class with finalizing metaclass collected:", rx() is None)


# -- __slots__ classes, instances in a cycle through a slot.
def make_slots():
    class S:
        __slots__ = ("a", "b")

        def __init__(self):
            self.a = 1
            self.b = self

    class S2(S):
        __slots__ = ("c",)

    s = S()
    s2 = S2()
    s2.c = s
    print("slots:", s.a, s.b is s, s2.c.a)
    return weakref.ref(S), weakref.ref(S2)


rs, rs2 = make_slots()
collect()
print("slots classes collected:", rs() is None, rs2() is None)


# -- Instances and their class die in the same collection.
def make_with_instances():
    class D:
        def __init__(self, n):
            self.me = self
            self.n = n

        def __del__(self):
            print("D.__del__", self.n)

    keep = [D(i) for i in range(3)]
    keep.append(keep)
    return weakref.ref(D)


rd = make_with_instances()
print("collecting instances and their class")
collect()
print("class of finalized instances collected:", rd() is None)


# -- Subclass/superclass pairs and __subclasses__().
class Base:
    tag = "base"

    def hello(self):
        return "hello from " + type(self).__name__


def make_subs():
    class Sub(Base):
        pass

    class SubSub(Sub):
        tag = "subsub"

    class Other(Base):
        pass

    print("subclass calls:", Sub().hello(), SubSub().hello(), SubSub.tag, Other.tag)
    return weakref.ref(Sub), weakref.ref(SubSub), Other


w_sub, w_subsub, Other = make_subs()
print("before collect:", sorted(c.__name__ for c in Base.__subclasses__()))
collect()
print("sub/subsub collected:", w_sub() is None, w_subsub() is None)
print("after collect:", [c.__name__ for c in Base.__subclasses__()])
print("no dead classes under object:", [c for c in object.__subclasses__() if c.__name__ in ("Sub", "SubSub", "A", "K")])
# Changing the base walks its (now shorter) subclass list.
Base.tag = "changed"
print("base changed:", Base.tag, Other.tag, Other().hello())
del Other
collect()
print("after Other died:", Base.__subclasses__())


# -- A superclass referenced only by a dead subclass goes with it.
def make_chain():
    class Top:
        pass

    class Mid(Top):
        pass

    class Bottom(Mid):
        pass

    return weakref.ref(Top), weakref.ref(Bottom)


wt, wb = make_chain()
collect()
print("chain collected:", wt() is None, wb() is None)


# -- __bases__ assignment, then the class dies: both bases' lists are right.
class Left:
    pass


class Right:
    pass


def make_moved():
    class Moved(Left):
        pass

    Moved.__bases__ = (Right,)
    print("moved:", Left.__subclasses__(), [c.__name__ for c in Right.__subclasses__()])
    return weakref.ref(Moved)


wmv = make_moved()
collect()
print("moved class collected:", wmv() is None, Left.__subclasses__(), Right.__subclasses__())


# -- Many short-lived classes; the caches keep answering correctly.
class Root:
    x = 1


def churn(n):
    total = 0
    for i in range(n):
        class K(Root):
            val = i

            def get(self):
                return self.val + self.x

        k = K()
        total += k.get() + k.get()
    return total


print("churn:", churn(200))
collect()
print("root subclasses after churn:", len(Root.__subclasses__()))
Root.x = 2
print("churn again:", churn(200))
collect()
print("root subclasses after churn:", len(Root.__subclasses__()))

made = [type("T%d" % i, (Root,), {"f": lambda self, i=i: i * self.x}) for i in range(50)]
print("dynamic:", sum(t().f() for t in made), len(Root.__subclasses__()))
del made
collect()
print("dynamic collected:", len(Root.__subclasses__()))


# -- del C.meth frees the function at once (no cache keeps it).
class C:
    def meth(self):
        return 42


c = C()
for _ in range(10):
    c.meth()
    C.meth(c)
    getattr(c, "meth")()
wm = weakref.WeakMethod(c.meth)
wf = weakref.ref(C.__dict__["meth"], lambda r: print("  meth function freed"))
print("before del:", wm()(), wf() is not None)
del C.meth
print("after del:", wm() is None, wf() is None)
try:
    c.meth()
except AttributeError as e:
    print("AttributeError:", e)


# Replacing a method frees the old one at once, and calls see the new one.
class R:
    def f(self):
        return "old"


rr = R()
for _ in range(5):
    rr.f()
wold = weakref.ref(R.__dict__["f"], lambda r: print("  old f freed"))
R.f = lambda self: "new"
print("replaced:", wold() is None, rr.f(), R().f())


# A released class attribute whose __del__ looks the same attribute up
# (through the caches) must not crash; the class dict has the new state.
class Holder:
    pass


class Val:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        getattr(Holder, "attr", None)
        getattr(Holder(), "attr", None)
        now = Holder.__dict__.get("attr")
        print("  Val.__del__", self.name, "dict has", now.name if now is not None else "nothing")


Holder.attr = Val("first")
print("Holder.attr:", Holder.attr.name, Holder().attr.name)
Holder.attr = Val("second")
print("Holder.attr:", Holder.attr.name)
del Holder.attr
print("Holder.attr deleted")


# -- A __del__ set as a class attribute runs at collection.
class Node:
    pass


def make_cycle(name):
    n = Node()
    n.name = name
    n.self = n


Node.__del__ = lambda self: print("Node.__del__", self.name)
make_cycle("first")
print("collecting node cycle")
collect()
print("done")


def make_class_with_del():
    class Local:
        pass

    Local.__del__ = lambda self: print("Local.__del__", self.name)
    x = Local()
    x.name = "in-function"
    x.cycle = x
    return weakref.ref(Local)


wl = make_class_with_del()
print("collecting class and instance with assigned __del__")
collect()
print("local class collected:", wl() is None)


# -- Weakref callbacks on classes run when they are collected.
def make_with_callback():
    class CB:
        pass

    return weakref.ref(CB, lambda r: print("  CB callback, dead:", r() is None))


wcb = make_with_callback()
print("collecting CB")
collect()
print("CB collected:", wcb() is None)
print("end")
