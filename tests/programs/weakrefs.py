# Weak references: _weakref.ref/proxy semantics and CPython's weakref.py on top.
import _weakref
import sys


class Obj:
    def __init__(self, name):
        self.name = name

    def method(self):
        return "method of " + self.name


def section(title):
    print("--", title)


section("ref basics")
a = Obj("a")
r = _weakref.ref(a)
print(r() is a, r() is not None, _weakref.getweakrefcount(a))
print(_weakref.ref(a) is r, a.__weakref__ is r)
print(type(r).__name__, type(r).__module__, _weakref.ref is _weakref.ReferenceType)
print(r.__callback__)
before = sys.getrefcount(a)
r_again = _weakref.ref(a)
print("refcount unchanged by weakrefs:", sys.getrefcount(a) == before)
del a
print("dead after del:", r(), r_again())
print(Obj("tmp").__weakref__)

section("callbacks")
log = []
b = Obj("b")
r1 = _weakref.ref(b, lambda w: log.append(("first", w() is None)))
r2 = _weakref.ref(b, lambda w: log.append(("second", w is r2)))
r3 = _weakref.ref(b)
print(_weakref.getweakrefcount(b), [w is r3 for w in _weakref.getweakrefs(b)])
print(r1 is not r2, r1.__callback__ is not None)
del b
print(log)
print(r1(), r2(), r3(), r1.__callback__)

section("callback of a dead weakref is not called")
c = Obj("c")
called = []
rc = _weakref.ref(c, lambda w: called.append(1))
del rc
del c
print(called)

section("callback that raises")
d = Obj("d")


def bad_callback(w):
    raise ValueError("boom")


rd = _weakref.ref(d, bad_callback)
del d
print("continued after the failing callback", rd())

section("hash and equality")
e = Obj("e")
f = Obj("f")
re1 = _weakref.ref(e)
re2 = _weakref.ref(e, lambda w: None)
rf = _weakref.ref(f)
print(hash(re1) == hash(e), re1 == re2, re1 != rf, re1 == 5, re1.__eq__(5))
try:
    re1 < re2
except TypeError as exc:
    print("TypeError", exc)
h = hash(rf)
del f
print(hash(rf) == h, rf == rf, rf == _weakref.ref(e))
g = Obj("g")
rg = _weakref.ref(g)
del g
try:
    hash(rg)
except TypeError as exc:
    print("TypeError", exc)

section("calling a ref")
try:
    re1(1)
except TypeError as exc:
    print("TypeError", exc)
try:
    _weakref.ref()
except TypeError as exc:
    print("TypeError", exc)
try:
    _weakref.ref(e, None, 3)
except TypeError as exc:
    print("TypeError", exc)

section("what can be weakly referenced")


def func():
    pass


class Slotted:
    __slots__ = ("x",)


class SlottedWeak:
    __slots__ = ("x", "__weakref__")


class MyList(list):
    pass


class MyInt(int):
    pass


class MyExc(Exception):
    pass


def gen():
    yield 1


for obj in [func, Obj, set(), frozenset(), gen(), Obj("m").method, func.__code__, sys, len,
            SlottedWeak(), MyList(), MyExc()]:
    w = _weakref.ref(obj)
    print(type(obj).__name__, "ok", w() is obj)
for obj in [1, "s", (), [], {}, None, 1.5, b"", object(), Slotted(), MyInt(3), Exception(), range(3)]:
    try:
        _weakref.ref(obj)
        print(type(obj).__name__, "unexpectedly ok")
    except TypeError as exc:
        print(exc)
print(_weakref.getweakrefcount(1), _weakref.getweakrefs([]))

section("proxies")
p_target = Obj("p")
p = _weakref.proxy(p_target)
print(_weakref.proxy(p_target) is p, type(p).__name__)
print(p.name, p.method(), isinstance(p, Obj), p.__class__.__name__)
p.extra = 42
print(p_target.extra)
del p.extra
print(hasattr(p_target, "extra"))
print(str(p) == str(p_target), p == p_target, p_target == p)
try:
    hash(p)
except TypeError as exc:
    print("TypeError", exc)
nums = {1, 2, 3}
pn = _weakref.proxy(nums)
print(len(pn), 2 in pn, sorted(pn), pn | {4} == {1, 2, 3, 4}, {0} | pn == {0, 1, 2, 3})
cp = _weakref.proxy(func)
print(type(cp).__name__, cp())
print(_weakref.getweakrefcount(p_target), [type(w).__name__ for w in _weakref.getweakrefs(p_target)])
del p_target
for action in (lambda: p.name, lambda: str(p), lambda: p + 1, lambda: len(p), lambda: bool(p)):
    try:
        action()
    except ReferenceError as exc:
        print("ReferenceError", exc)


class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return Num(self.v + (other.v if isinstance(other, Num) else other))

    def __radd__(self, other):
        return Num(other + self.v)

    def __iadd__(self, other):
        self.v += other
        return self

    def __neg__(self):
        return Num(-self.v)

    def __getitem__(self, i):
        return self.v * i

    def __call__(self, x):
        return self.v * x


n = Num(10)
pn2 = _weakref.proxy(n)
print((pn2 + 1).v, (1 + pn2).v, (-pn2).v, pn2[3], pn2(5), type(pn2).__name__)
q = pn2
q += 5
print(n.v, type(q).__name__)

section("subclassing ref")


class KeyedRef(_weakref.ref):
    __slots__ = ("key",)

    def __new__(cls, ob, callback, key):
        self = super().__new__(cls, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


k = Obj("k")
kr = KeyedRef(k, lambda w: print("keyed callback", w.key), "the-key")
print(kr() is k, kr.key, isinstance(kr, _weakref.ref), _weakref.ref(k) is not kr)
del k
print("done")
