# weakref.WeakMethod and weakref.finalize.
import weakref
import sys


def section(t):
    print("--", t)


class Obj:
    def __init__(self, name):
        self.name = name

    def meth(self, x=0):
        return (self.name, x)

    def __repr__(self):
        return "Obj(%s)" % self.name


section("WeakMethod")
o = Obj("a")
wm = weakref.WeakMethod(o.meth)
m = wm()
print(type(wm).__name__, isinstance(wm, weakref.ref), m(), m.__self__ is o, m.__func__ is Obj.meth)
print(wm() == o.meth, wm() is not wm(), wm == weakref.WeakMethod(o.meth), wm != weakref.WeakMethod(o.meth))
print(hash(wm) == hash(weakref.WeakMethod(o.meth)))
o2 = Obj("b")
print(wm == weakref.WeakMethod(o2.meth), wm == weakref.ref(o))
try:
    weakref.WeakMethod(len)
except TypeError as e:
    print("TypeError", e)
try:
    weakref.WeakMethod(Obj.meth)
except TypeError as e:
    print("TypeError", e)
calls = []
wm2 = weakref.WeakMethod(o.meth, lambda r: calls.append(r is wm2))
del m
del o
print(wm(), wm2(), calls)

Obj.meth = lambda self, x=0: ("new", x)


class WM(weakref.WeakMethod):
    pass


o4 = Obj("d")
sub = WM(o4.meth)
print(type(sub).__name__, sub()(5))
print(WM.__slots__ if hasattr(WM, "__slots__") else "no slots", weakref.WeakMethod.__slots__)

section("finalize basics")
o = Obj("f")


def done(*args, **kw):
    print("finalizer called", args, sorted(kw.items()))
    return "result"


f = weakref.finalize(o, done, 1, 2, k=3)
print(f.alive, type(f).__name__)
print(f.peek()[0] is o, f.peek()[1] is done, f.peek()[2:], f.atexit)
del o
print(f.alive, f.peek(), f())

section("calling finalize explicitly")
o = Obj("g")
f = weakref.finalize(o, done, "x")
print(f())
print(f(), f.alive)
del o
print("after del")

section("detach")
o = Obj("h")
f = weakref.finalize(o, done, "y")
info = f.detach()
print(info[0] is o, info[1] is done, info[2:], f.alive, f.detach(), f.peek())
del o, info
print("after detach del")

section("order of several finalizers")
o = Obj("i")
for i in range(4):
    weakref.finalize(o, print, "finalizer", i)
del o
o = Obj("j")
fs = [weakref.finalize(o, print, "explicit", i) for i in range(3)]
fs[1]()
del o

section("finalizer on a method and a lambda")
o = Obj("k")
weakref.finalize(o, lambda: print("lambda finalizer"))
weakref.finalize(o, Obj("bound").meth, 5)
del o

section("atexit attribute")
o = Obj("l")
f = weakref.finalize(o, done)
f.atexit = False
print(f.atexit)
f.atexit = True

section("finalize errors")
try:
    weakref.finalize(1, done)
except TypeError as e:
    print("TypeError", e)
try:
    weakref.finalize()
except TypeError as e:
    print("TypeError", e)
try:
    weakref.finalize(Obj("m"))
except TypeError as e:
    print("TypeError", e)


def bad():
    raise ValueError("finalizer failed")


o = Obj("n")
fb = weakref.finalize(o, bad)
del o
print("after failing finalizer", fb.alive)

section("repr")
o = Obj("o")
f = weakref.finalize(o, done)
r = repr(f)
print(r.startswith("<finalize object at 0x"), "; for 'Obj' at 0x" in r)
f.detach()
print(repr(f).endswith("; dead>"))

