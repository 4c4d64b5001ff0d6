# The attribute instructions' per-name caches (eval/attr_cache.rs): every
# fact a cache entry relies on, changed while a site is warm. Each function
# runs its attribute instructions in a loop so the caches are filled first.


def show(label, f, *args):
    try:
        print(label, f(*args))
    except Exception as e:
        print(label, type(e).__name__, e)


def read_x(o):
    return o.x


def read_m(o):
    return o.m()


def read_m_attr(o):
    return o.m


def write_x(o, v):
    o.x = v


# 1. A class-level default, then an instance value shadowing it, then the
#    class value changed, then deleted.
class D:
    x = 1


d = D()
for _ in range(3):
    show("default", read_x, d)
d.x = 2
for _ in range(3):
    show("shadowed", read_x, d)
del d.x
show("default again", read_x, d)
D.x = 10
show("class changed", read_x, d)
del D.x
show("class deleted", read_x, d)
D.x = (1, 2)
show("tuple default", read_x, d)


# 2. A data descriptor added to the class after the instance dict has the name.
class E:
    pass


e = E()
e.x = "dict"
for _ in range(3):
    show("plain", read_x, e)
E.x = property(lambda self: "property")
show("property wins", read_x, e)
show("store to property", write_x, e, 5)
del E.x
show("dict again", read_x, e)


# 3. A non-data descriptor on the class loses to the instance dict; a
#    set-only data descriptor loses on load but wins on store.
class NonData:
    def __get__(self, obj, typ):
        return "nondata"


class SetOnly:
    def __set__(self, obj, value):
        print("SetOnly.__set__", value)


class F:
    x = NonData()


f = F()
for _ in range(3):
    show("nondata", read_x, f)
f.__dict__["x"] = "dict"
show("dict beats nondata", read_x, f)
F.x = SetOnly()
show("set-only load", read_x, f)
write_x(f, 7)
show("after set-only store", read_x, f)


# 4. A class value whose class later gains __get__: a user class instance is
#    not cached as a plain value.
class Later:
    pass


class G:
    x = Later()


g = G()
for _ in range(3):
    print("before __get__", type(read_x(g)).__name__)
Later.__get__ = lambda self, obj, typ: "now a descriptor"
show("after __get__", read_x, g)


# 5. Methods: shadowed by the instance dict, replaced on the class, bound as
#    an attribute.
class M:
    def m(self):
        return "M.m"


mo = M()
for _ in range(3):
    show("method", read_m, mo)
    show("bound", lambda o: read_m_attr(o)(), mo)
mo.m = lambda: "instance m"
show("instance shadows", read_m, mo)
del mo.m
show("method again", read_m, mo)
M.m = lambda self: "replaced"
show("class replaced", read_m, mo)
M.m = staticmethod(lambda: "static")
show("static", read_m, mo)
M.m = classmethod(lambda cls: "classmethod " + cls.__name__)
show("classmethod", read_m, mo)
del M.m
show("deleted", read_m, mo)


# 6. A base class changed: subclasses see it.
class Base:
    def m(self):
        return "Base.m"

    y = 1


class Sub(Base):
    pass


s = Sub()
for _ in range(3):
    show("inherited", read_m, s)
Base.m = lambda self: "Base.m v2"
show("base changed", read_m, s)
Sub.m = lambda self: "Sub.m"
show("sub overrides", read_m, s)


# 7. __class__ assignment between compatible classes.
class A1:
    kind = "A1"

    def m(self):
        return "A1.m"


class A2:
    kind = "A2"

    def m(self):
        return "A2.m"


a = A1()
a.x = "ax"
for _ in range(3):
    show("A1", read_m, a)
    print(a.kind)
a.__class__ = A2
show("A2", read_m, a)
print(a.kind, a.x)


# 8. __dict__ replaced (with a different key order) and cleared.
class H:
    pass


h = H()
h.a = 1
h.x = 2
for _ in range(3):
    show("x", read_x, h)
h.__dict__ = {"x": "new dict", "a": 0}
show("new dict", read_x, h)
h.__dict__.clear()
show("cleared", read_x, h)
write_x(h, "stored")
print(h.__dict__)


# 9. __slots__: unset, set, deleted; a slot shadowed by a subclass
#    property; slots together with __dict__.
class S:
    __slots__ = ("x", "__dict__")


sl = S()
show("unset slot", read_x, sl)
for i in range(3):
    write_x(sl, i)
    show("slot", read_x, sl)
del sl.x
show("deleted slot", read_x, sl)
sl.other = 1
print(sl.__dict__)


class SP(S):
    @property
    def x(self):
        return "SP property"


show("subclass property", read_x, SP())


# 10. __getattr__ and __getattribute__ added and removed.
class GA:
    pass


ga = GA()
ga.x = 1
for _ in range(3):
    show("no hooks", read_x, ga)
GA.__getattr__ = lambda self, name: "getattr " + name
show("getattr present, found", read_x, ga)
del ga.x
show("getattr fallback", read_x, ga)
GA.__getattribute__ = lambda self, name: "getattribute " + name
show("getattribute", read_x, ga)
del GA.__getattribute__
del GA.__getattr__
show("hooks gone", read_x, ga)


# 11. __setattr__ added: stores go through it.
class SA:
    pass


sa = SA()
for i in range(3):
    write_x(sa, i)
print(sa.x)
SA.__setattr__ = lambda self, name, value: print("setattr", name, value)
write_x(sa, 99)
print(sa.x)
del SA.__setattr__
write_x(sa, 100)
print(sa.x)


# 12. One site, many classes (the cache keeps a few type states).
class P0:
    def __init__(self):
        self.x = "P0"

    def m(self):
        return "P0.m"


class P1(P0):
    def m(self):
        return "P1.m"


class P2(P0):
    x = "class P2"

    def __init__(self):
        pass


class P3:
    __slots__ = ("x",)

    def __init__(self):
        self.x = "P3 slot"

    def m(self):
        return "P3.m"


class P4:
    @property
    def x(self):
        return "P4 property"

    def m(self):
        return "P4.m"


objs = [P0(), P1(), P2(), P3(), P4(), P0()]
for _ in range(3):
    print([read_x(o) for o in objs], [read_m(o) for o in objs])
P1.m = lambda self: "P1.m v2"
P2.x = "class P2 v2"
print([read_x(o) for o in objs], [read_m(o) for o in objs])


# 13. Builtin methods through LOAD_METHOD, and a list subclass instance.
class L(list):
    pass


for seq in ([1], L([2]), [3], L([4])):
    seq.append(0)
    print(seq, seq.count(0))
ll = L()
ll.append = lambda v: print("instance append", v)
ll.append(5)
print(ll)


# 14. A str-subclass key in the instance dict (its __eq__ must run).
class K(str):
    def __eq__(self, other):
        return str.__eq__(self, other)

    def __hash__(self):
        return str.__hash__(self)


class KD:
    pass


kd = KD()
kd.__dict__[K("x")] = "str subclass key"
for _ in range(3):
    show("subclass key", read_x, kd)
write_x(kd, "replaced")
print(kd.__dict__)


# 15. Attribute errors keep their messages and context.
class Empty:
    __slots__ = ()


for o in (Empty(), D(), object()):
    show("missing", lambda o: o.nope, o)
try:
    Empty().x = 1
except AttributeError as err:
    print("store error:", err)


# 16. Many instances of one class built alike, read through one site.
class Pt:
    def __init__(self, i):
        self.a = i
        self.b = i * 2
        self.c = i * 3


pts = [Pt(i) for i in range(100)]
pts[50].__dict__.pop("a")
pts[50].a = "moved"
print(sum(p.c for p in pts), [p.a for p in pts[48:53]])


# 17. A __del__ triggered by an attribute store that replaces the value.
class Dying:
    def __init__(self, holder):
        self.holder = holder

    def __del__(self):
        print("dying sees", self.holder.x == "next")


class Holder:
    pass


hd = Holder()
for i in range(3):
    write_x(hd, Dying(hd) if i == 2 else i)
write_x(hd, "next")
print("done")
