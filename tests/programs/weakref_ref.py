# weakref.ref: creation, callbacks, __callback__, hash/eq, repr, subclassing.
import weakref
import sys


class Obj:
    def __init__(self, name="o"):
        self.name = name

    def __repr__(self):
        return "Obj(%s)" % self.name


def section(t):
    print("--", t)


section("names")
print(weakref.ref is weakref.ReferenceType)
print(weakref.ReferenceType.__name__, weakref.ReferenceType.__module__, weakref.ReferenceType.__qualname__)
print(weakref.ProxyType.__name__, weakref.ProxyType.__module__, weakref.ProxyType.__qualname__)
print(weakref.CallableProxyType.__name__, weakref.CallableProxyType.__module__)
print(weakref.ProxyTypes == (weakref.ProxyType, weakref.CallableProxyType))
print(repr(weakref.ref), repr(weakref.ProxyType), repr(weakref.CallableProxyType))
print(weakref.ref.__bases__, weakref.ProxyType.__bases__)
print(weakref.getweakrefcount.__name__, weakref.getweakrefs.__name__)

section("basic")
o = Obj("a")
r = weakref.ref(o)
print(r() is o, type(r) is weakref.ref, r.__callback__)
print(weakref.ref(o) is r, weakref.ref(o, None) is r)
print(weakref.getweakrefcount(o), weakref.getweakrefs(o) == [r])
r2 = weakref.ref(o, lambda w: None)
print(r2 is not r, weakref.getweakrefcount(o))
print(weakref.getweakrefs(o)[0] is r, weakref.getweakrefs(o)[1] is r2)
print(o.__weakref__ is r)
del o
print(r(), r2(), weakref.getweakrefcount(Obj()))
print(r.__callback__, r2.__callback__)

section("__callback__")
o = Obj("b")


def cb(w):
    print("cb called, dead:", w() is None, "same:", w is rb)


rb = weakref.ref(o, cb)
print(rb.__callback__ is cb)
try:
    rb.__callback__ = None
except AttributeError as e:
    print("AttributeError", e)
try:
    del rb.__callback__
except AttributeError as e:
    print("AttributeError", e)
del o
print("after del", rb.__callback__)

section("callback order")
o = Obj("c")
log = []
refs = [weakref.ref(o, lambda w, i=i: log.append(i)) for i in range(5)]
plain = weakref.ref(o)
del refs[2]
del o
print(log, plain())

section("callback receives the ref; ref is dead")
o = Obj("d")
seen = []
rr = weakref.ref(o, lambda w: seen.append((w is rr, w())))
del o
print(seen)

section("callbacks not called for dead weakrefs")
o = Obj("e")
calls = []
w1 = weakref.ref(o, lambda w: calls.append("w1"))
w2 = weakref.ref(o, lambda w: calls.append("w2"))
del w1
del o
print(calls)

section("callback that deletes other refs")
o = Obj("f")
calls = []
holder = {}


def killer(w):
    calls.append("killer")
    holder.clear()


holder["x"] = weakref.ref(o, lambda w: calls.append("x"))
k = weakref.ref(o, killer)
del o
print(calls)

section("hash")
o = Obj("g")
r = weakref.ref(o)
print(hash(r) == hash(o))
h = hash(r)
del o
print(hash(r) == h)
o = Obj("h")
r = weakref.ref(o)
del o
try:
    hash(r)
except TypeError as e:
    print("TypeError", e)


class Unhashable:
    __hash__ = None


u = Unhashable()
ru = weakref.ref(u)
try:
    hash(ru)
except TypeError as e:
    print("TypeError", e)

section("equality")


class Eq:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        print("Eq.__eq__ called")
        return isinstance(other, Eq) and self.v == other.v

    __hash__ = object.__hash__


a, b, c = Eq(1), Eq(1), Eq(2)
ra, rb_, rc = weakref.ref(a), weakref.ref(b), weakref.ref(c)
print(ra == rb_)
print(ra == rc)
print(ra != rc)
print(ra == a, ra != a)
print(ra.__eq__(a), ra.__lt__(rb_))
for op in ("<", "<=", ">", ">="):
    try:
        eval("ra %s rb_" % op)
    except TypeError as e:
        print("TypeError", e)
del a
print(ra == rb_, ra == ra, ra != rb_, ra != ra)
del b
print(ra == rb_)
d1 = Obj()
rd = weakref.ref(d1)
rd2 = weakref.ref(d1, lambda w: None)
print(rd == rd2, rd != rd2)
del d1
print(rd == rd2, rd != rd2, rd == rd, rd2 == rd2)
print({rc: 1}.get(rc))

section("repr")
o = Obj("i")
r = weakref.ref(o)
print(repr(r) == "<weakref at %#x; to 'Obj' at %#x>" % (id(r), id(o)))


def named():
    pass


rf = weakref.ref(named)
print(repr(rf) == "<weakref at %#x; to 'function' at %#x (named)>" % (id(rf), id(named)))
rt = weakref.ref(Obj)
print(repr(rt) == "<weakref at %#x; to 'type' at %#x (Obj)>" % (id(rt), id(Obj)))


class WithName:
    __name__ = 42


wn = WithName()
rwn = weakref.ref(wn)
print(repr(rwn) == "<weakref at %#x; to 'WithName' at %#x>" % (id(rwn), id(wn)))


del o
print(repr(r) == "<weakref at %#x; dead>" % id(r))
print(str(r) == repr(r))

section("argument errors")
for args in [(), (Obj(), None, 3)]:
    try:
        weakref.ref(*args)
    except TypeError as e:
        print("TypeError", e)
try:
    weakref.ref(Obj(), callback=None)
except TypeError as e:
    print("TypeError", e)
o = Obj()
r = weakref.ref(o)
try:
    r(1)
except TypeError as e:
    print("TypeError", e)
try:
    r(x=1)
except TypeError as e:
    print("TypeError", e)
for f, a in [(weakref.getweakrefcount, ()), (weakref.getweakrefs, ()), (weakref.getweakrefcount, (1, 2))]:
    try:
        f(*a)
    except TypeError as e:
        print("TypeError", e)
print(weakref.getweakrefcount(1), weakref.getweakrefs("x"))
try:
    weakref.ref(o, 1)
    print("non-callable callback accepted")
except TypeError as e:
    print("TypeError", e)

section("subclassing")


class MyRef(weakref.ref):
    def __init__(self, ob, callback=None, **annotations):
        super().__init__(ob, callback)
        self.__dict__.update(annotations)


o = Obj("j")
m = MyRef(o, None, tag="T", n=3)
print(type(m).__name__, m() is o, m.tag, m.n, isinstance(m, weakref.ref))
print(weakref.ref(o) is not m, MyRef(o) is not m)
print(weakref.getweakrefcount(o))
print(m == weakref.ref(o), hash(m) == hash(o))
print(m.__callback__)
m.extra = [1]
print(sorted(m.__dict__))
print(repr(m) == "<MyRef at %#x; to 'Obj' at %#x>" % (id(m), id(o)), repr(m)[:7])


class SlotRef(weakref.ref):
    __slots__ = ("key",)

    def __new__(cls, ob, callback, key):
        self = super().__new__(cls, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


fired = []
sr = SlotRef(o, lambda w: fired.append(w.key), "K")
print(sr.key, sr() is o)
try:
    sr.other = 1
except AttributeError as e:
    print("AttributeError", e)


class CallRef(weakref.ref):
    def __call__(self):
        v = super().__call__()
        return ("wrapped", v is not None)


cr = CallRef(o)
print(cr())
del o
print(m(), sr(), fired, cr())
print(weakref.ref.__init__ is not object.__init__)

section("generic alias")
print(weakref.ref[int])

section("what can be weakly referenced")


def func():
    pass


def gen():
    yield 1


async def coro():
    pass


class Slotted:
    __slots__ = ("x",)


class SlottedWeak:
    __slots__ = ("x", "__weakref__")


class SlottedChild(Slotted):
    pass


class SlottedChildNoWeak(Slotted):
    __slots__ = ()


class MyList(list):
    pass


class MyDict(dict):
    pass


class MyTuple(tuple):
    pass


class MyInt(int):
    pass


class MyStr(str):
    pass


class MyObj(object):
    pass


co = coro()
ok = [func, Obj, set(), frozenset(), gen(), co, Obj("m").__init__, func.__code__, sys, len,
      SlottedWeak(), SlottedChild(), MyList(), MyDict(), MyObj(), Exception, type, int,
      open(__file__), (lambda: 0), [].append, {}.fromkeys, memoryview(b"x")]
for obj in ok:
    w = weakref.ref(obj)
    print(type(obj).__name__, w() is obj)
co.close()
ok[18].close()
bad = [1, "s", (), [], {}, None, 1.5, b"", bytearray(), object(), Slotted(), SlottedChildNoWeak(),
       MyInt(3), MyStr("x"), MyTuple(), True, 1j, range(3), slice(1), Ellipsis, NotImplemented,
       iter([]), 10**30, str.join, classmethod(func), staticmethod(func), property(), ValueError("v"),
       zip(), map(len, []), enumerate([]), filter(None, []), {}.keys(), type.__dict__, super(Obj, Obj())]
for obj in bad:
    try:
        weakref.ref(obj)
        print(type(obj).__name__, "unexpectedly ok")
    except TypeError as e:
        print(e)
for obj in bad[:4]:
    try:
        weakref.proxy(obj)
    except TypeError as e:
        print(e)
print(hasattr(Slotted(), "__weakref__"), hasattr(SlottedWeak(), "__weakref__"), hasattr(Obj(), "__weakref__"))
print("__weakref__" in Obj.__dict__, "__weakref__" in MyObj.__dict__, "__weakref__" in SlottedChild.__dict__)
try:
    class BadSlots(SlottedWeak):
        __slots__ = ("__weakref__",)
except TypeError as e:
    print("TypeError", e)
try:
    class BadSlots2(Obj):
        __slots__ = ("__weakref__",)
except TypeError as e:
    print("TypeError", e)
try:
    class BadSlots3(int):
        __slots__ = ("__weakref__",)
except TypeError as e:
    print("TypeError", e)
print(Obj.__weakref__.__name__, Obj.__weakref__.__objclass__ is Obj)
print(Obj.__dict__["__weakref__"].__doc__)
x = Obj()
try:
    x.__weakref__ = 1
except AttributeError as e:
    print("AttributeError", e)

section("native types")
import functools
import collections
import _thread
import _struct
import contextvars
natives = [functools.partial(len), collections.deque(), _thread.allocate_lock(), _thread.RLock(), _thread._local(),
           _struct.Struct("i"), contextvars.copy_context(), collections.OrderedDict()]
for obj in natives:
    w = weakref.ref(obj)
    print(type(obj).__name__, w() is obj)
for obj in [collections.defaultdict(), contextvars.ContextVar("v"), iter(collections.deque())]:
    try:
        weakref.ref(obj)
    except TypeError as e:
        print(e)

section("repr uses the type's __name__")


class InstName:
    pass


inst = InstName()
inst.__name__ = "instance attribute"
ri = weakref.ref(inst)
print(repr(ri) == "<weakref at %#x; to 'InstName' at %#x>" % (id(ri), id(inst)))


class DynName:
    def __getattr__(self, name):
        return self[name]


dyn = DynName()
rdyn = weakref.ref(dyn)
print(repr(rdyn) == "<weakref at %#x; to 'DynName' at %#x>" % (id(rdyn), id(dyn)))


class PropName:
    @property
    def __name__(self):
        return "from property"


pn = PropName()
rpn = weakref.ref(pn)
print(repr(rpn) == "<weakref at %#x; to 'PropName' at %#x (from property)>" % (id(rpn), id(pn)))
rsys = weakref.ref(sys)
print(repr(rsys) == "<weakref at %#x; to 'module' at %#x>" % (id(rsys), id(sys)))

section("descriptor errors")
tests = [
    lambda: weakref.ref.__new__(int, pn),
    lambda: weakref.ref.__call__(1),
    lambda: weakref.ref.__hash__(1),
    lambda: weakref.ref.__eq__(1, 2),
    lambda: weakref.ref.__repr__(1),
    lambda: weakref.ProxyType.__add__(1, 2),
    lambda: weakref.ProxyType.__getattribute__(weakref.proxy(pn), 1),
    lambda: weakref.ProxyType(pn),
    lambda: weakref.CallableProxyType(len),
    lambda: weakref.proxy(),
    lambda: weakref.proxy(pn, None, 1),
    lambda: weakref.proxy(pn, callback=None),
    lambda: weakref.getweakrefcount(x=1),
    lambda: setattr(weakref.proxy(pn), 1, 2),
    lambda: weakref.ref(pn).nope,
    lambda: setattr(weakref.ref(pn), "x", 1),
]
for t in tests:
    try:
        print(repr(t()))
    except Exception as e:
        print(type(e).__name__, e)
print(weakref.getweakrefcount.__doc__)
print(weakref.getweakrefs.__doc__)
print(weakref.proxy.__doc__)
print("__module__" in weakref.ref.__dict__, "__module__" in weakref.ProxyType.__dict__)
