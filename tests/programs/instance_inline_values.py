# Instance attributes kept inline (no dict object until one is asked for):
# every way of reading and changing them must look like a dict would.
import copy, gc, pickle, weakref


class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def show(o):
    print(sorted(vars(o).items()) == sorted(o.__dict__.items()), list(o.__dict__.items()))


# Same order, other orders, extra names, deletes.
a, b, c = P(1, 2), P(3, 4), P(5, 6)
b.z = 7
c.w = 8            # not the next shared name: c needs a dict
show(a); show(b); show(c)
d = P(0, 0)
d.z = 1
d.w = 2
show(d)
e = P(9, 9)
del e.x
show(e)
e.x = 10           # re-added: last in order, as in a dict
show(e)
f = P(1, 1)
f.y = 5            # replacing keeps the order
show(f)

# Reads through every path: attribute, getattr with a built name, hasattr,
# a loop (the eval loop's cache), and missing names.
name = "".join(["x"])
print(getattr(a, name), hasattr(a, "z"), hasattr(b, "z"), getattr(b, "q", "none"))
total = 0
for o in [a, b, c, d, e, f] * 3:
    total += o.x + o.y
print(total)
try:
    a.nope
except AttributeError as ex:
    print("AttributeError:", ex)
try:
    del a.nope
except AttributeError as ex:
    print("AttributeError:", ex)
setattr(a, "x" + "", 100)
print(a.x, a.__dict__)


# A str subclass as a name.
class S(str):
    pass


g = P(1, 2)
setattr(g, S("k"), 3)
print(g.k, [type(k).__name__ for k in g.__dict__])

# __dict__ assignment and deletion.
h = P(1, 2)
h.__dict__ = {"q": 1}
print(h.__dict__, hasattr(h, "x"))
h2 = P(1, 2)
del h2.__dict__
print(h2.__dict__, hasattr(h2, "x"))
h2.x = 5
print(h2.__dict__)
try:
    h2.__dict__ = 3
except TypeError as ex:
    print("TypeError:", ex)

# vars() of an instance without attributes, and mutation through it.
class E:
    pass


i = E()
print(vars(i))
vars(i)["late"] = 1
print(i.late)
j = P(1, 2)
j.__dict__["x"] = 42
j.__dict__.pop("y")
print(j.x, hasattr(j, "y"), j.__dict__)


# Many attributes: beyond the cells and beyond the shared names.
class Many:
    def __init__(self, n):
        for k in range(n):
            setattr(self, "a%d" % k, k)


m1, m2 = Many(40), Many(3)
print(len(vars(m1)), list(vars(m1))[-1], sum(getattr(m1, "a%d" % k) for k in range(40)), vars(m2))


# Class attributes, methods and properties shadowed or not.
class C:
    kind = "class"

    def __init__(self):
        self.v = 1

    def meth(self):
        return "method"

    @property
    def prop(self):
        return "prop"


k = C()
print(k.kind, k.meth(), k.prop)
k.kind = "instance"
k.meth = lambda: "shadowed"
try:
    k.prop = 1
except AttributeError as ex:
    print("AttributeError:", ex)
print(k.kind, k.meth(), C.kind, list(vars(k)))


# Subclasses add names; __class__ assignment carries the attributes over.
class Q(P):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z


q = Q(1, 2, 3)
print(q.__dict__)
r = Q(4, 5, 6)
r.__class__ = P
print(type(r).__name__, r.x, r.z, r.__dict__)
s = P(7, 8)
s.__class__ = Q
s.z = 9
print(type(s).__name__, s.__dict__)


# __slots__ with __dict__: slots stay slots, the rest is inline.
class SD:
    __slots__ = ("a", "__dict__")

    def __init__(self):
        self.a = 1
        self.b = 2


sd = SD()
print(sd.a, sd.b, sd.__dict__)


# __getattr__ fallback and __setattr__ through object.
class G:
    def __init__(self):
        object.__setattr__(self, "real", 1)

    def __getattr__(self, name):
        return "fallback:" + name

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value * 2)


gg = G()
gg.other = 5
print(gg.real, gg.other, gg.missing, vars(gg))

# copy, deepcopy, pickle, weakref, equality of the dicts.
t = P([1], {"k": 2})
t2, t3 = copy.copy(t), copy.deepcopy(t)
t4 = pickle.loads(pickle.dumps(t))
print(t2.x is t.x, t3.x is t.x, t3.__dict__ == t.__dict__, t4.__dict__)
w = weakref.ref(t)
print(w() is t)


# Finalization: attributes go in insertion order when the instance dies.
class D:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del", self.n)


class Holder:
    def __init__(self):
        self.first = D(1)
        self.second = D(2)


hold = Holder()
hold.third = D(3)
del hold
print("after del")

# A cycle through an inline attribute is collected.
gc.collect()
x = P(None, None)
x.x = x
wx = weakref.ref(x)
del x
print("collected:", gc.collect() >= 1, wx() is None)

# gc.get_referents: the values (or the dict) before the type.
y = P([1], "s")
print(gc.get_referents(y))
vars(y)
print(gc.get_referents(y))

# A value whose __del__ reads the instance while it is being replaced.
class Peek:
    def __init__(self, owner):
        self.owner = owner

    def __del__(self):
        print("peek sees", self.owner.v)


class Owner:
    def __init__(self):
        self.v = None


o = Owner()
o.v = Peek(o)
o.v = "replaced"
print(o.v)

# A class whose __init__ comes after the class (as a dataclass's): later
# instances get cells as the shared names grow; all read the same.
from dataclasses import dataclass


@dataclass
class Pt:
    x: int
    y: int
    z: int = 0


pts = [Pt(i, -i) for i in range(6)]
print(pts[0], pts[5], pts[2] == Pt(2, -2), [p.x + p.y + p.z for p in pts])
print([sorted(vars(p)) for p in pts[::5]])


class Late:
    pass


def late_init(self, a, b):
    self.a = a
    self.b = b


Late.__init__ = late_init
ls = [Late(i, i * 2) for i in range(4)]
print([(l.a, l.b) for l in ls], vars(ls[3]))
