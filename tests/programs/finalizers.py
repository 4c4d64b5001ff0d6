# Finalizers: __del__ runs the moment the last reference goes, in CPython's
# order; resurrection; errors in __del__; generators closed when dropped.
import io
import re
import sys
import weakref


class R:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  del", self.name)


print("del statement:")
r = R("a")
del r
print("rebinding:")
r = R("b")
r = R("c")
r = None
print("scope exit:")


def scope():
    x = R("local1")
    y = R("local2")
    print("  leaving")


scope()
print("temporary:", R("temp").name)
print("list (last item first):")
lst = [R("L0"), R("L1"), R("L2")]
del lst
print("list.clear:")
lst = [R("C0"), R("C1")]
lst.clear()
print("slice delete:")
lst = [R("S0"), R("S1"), R("S2"), R("S3")]
del lst[1:3]
print("  kept", [x.name for x in lst])
del lst
print("tuple:")
t = (R("T0"), R("T1"), R("T2"))
del t
print("dict (insertion order):")
d = {"z": R("D0"), "a": R("D1")}
d["m"] = R("D2")
del d
print("dict pop:")
d = {"k": R("K")}
d.pop("k")
print("  popped")


class Box:
    def __init__(self, *names):
        for i, n in enumerate(names):
            setattr(self, "f%d" % i, R(n))

    def __del__(self):
        print("  del Box (attributes still there:", hasattr(self, "f0"), ")")


print("instance: own __del__ before its attributes:")
b = Box("A0", "A1")
del b
print("chain:")
head = R("head")
head.next = R("mid")
head.next.next = R("tail")
del head


class Slotted:
    __slots__ = ("a", "b")

    def __del__(self):
        print("  del Slotted")


print("slots:")
s = Slotted()
s.a = R("slot a")
s.b = R("slot b")
del s

print("nested containers:")
x = [R("outer0"), (R("in0"), R("in1")), R("outer2")]
del x

print("__del__ freeing inside __del__:")


class Owner:
    def __del__(self):
        tmp = R("made in __del__")
        del tmp
        print("  Owner.__del__ done")


o = Owner()
del o

print("resurrection:")
saved = []


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  del Phoenix", self.name)
        saved.append(self)


p = Phoenix("p")
del p
print("  resurrected:", saved[0].name)
saved.clear()
print("  dropped again (no second __del__)")

print("weakref callback after __del__:")
w_obj = R("weak target")
w = weakref.ref(w_obj, lambda ref: print("  callback, referent gone:", ref() is None))
del w_obj
print("  weakref dead:", w() is None)

print("exception variable unbound after handler:")
try:
    raise ValueError(R("in exception"))
except ValueError as e:
    print("  handling")
print("  after handler")


def raiser():
    local = R("frame local")
    raise KeyError("k")


try:
    raiser()
except KeyError:
    print("  traceback keeps frame locals alive")
print("  handler done")

print("subclass of list with __del__:")


class MyList(list):
    def __del__(self):
        print("  del MyList", len(self))


m = MyList([R("ML0"), R("ML1")])
del m

print("generators:")


def gen(name):
    try:
        yield 1
        yield 2
    finally:
        print("  finally of", name)


g = gen("g1")
next(g)
del g
print("  after del g1")
g = gen("g2")
del g
print("  g2 never started: no finally")
g = gen("g3")
list(g)
del g


def gen_nested():
    try:
        yield from gen("inner")
    finally:
        print("  finally of outer")


g = gen_nested()
next(g)
del g


# Errors raised by finalizers are reported on stderr and ignored.
def capture(fn):
    old = sys.stderr
    sys.stderr = buf = io.StringIO()
    try:
        fn()
    finally:
        sys.stderr = old
    text = re.sub(r"0x[0-9a-fA-F]+", "0x...", buf.getvalue())
    text = re.sub(r'File ".*?([^/\\]+)"', r'File "\1"', text)
    for line in text.splitlines():
        if line.strip().startswith("^"):
            continue  # caret lines differ where CPython shows none
        print("  |", line)


class Bad:
    def __del__(self):
        raise RuntimeError("boom in __del__")


def drop_bad():
    b = Bad()
    del b
    print("  continues after error")


print("exception in __del__:")
capture(drop_bad)


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


def drop_stubborn():
    g = stubborn()
    next(g)
    del g


print("generator ignoring GeneratorExit:")
capture(drop_stubborn)


def raising_finally():
    try:
        yield 1
    finally:
        raise ValueError("from finally")


def drop_raising():
    g = raising_finally()
    next(g)
    del g


print("generator raising in finally:")
capture(drop_raising)

print("end of program")
last = R("module global")
