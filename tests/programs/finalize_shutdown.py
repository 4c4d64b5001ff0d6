# At exit the objects of __main__ die: globals with __del__ in definition
# order, each followed by the instances its attributes hold; then the items
# of lists, tuples and dicts; weakref.finalize callbacks run first (atexit);
# cyclic garbage is collected.
# sys.is_finalizing() is True only after the atexit callbacks.
import atexit
import sys
import weakref


class O:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("del", self.n)


class P:
    pass


class Late:
    def __del__(self, sys=sys):
        print("del Late, finalizing:", sys.is_finalizing())


class Holder:
    def __init__(self):
        self.inner = O("inner")

    def __del__(self):
        print("del Holder")


class Target:
    pass


# Unreachable cycles still waiting for the collector die in the shutdown
# collection.
c1 = O("cycle 1")
c2 = O("cycle 2")
c1.other = c2
c2.other = c1
del c1, c2
lst = [O("lst0"), O("lst1")]
a = O("a")
h = Holder()
h2 = O("h2")
h2.attr = O("h2.attr")
t = (O("t0"), O("t1"))
p = P()
p.x = O("p.x")
p.inner = P()
p.inner.y = O("p.inner.y")
h3 = O("h3")
h3.items = [O("h3.i0"), O("h3.i1")]
h3.d = {"k": O("h3.dk")}
d = {"x": O("dx"), "y": O("dy")}
x = O("x")
y = O("y")
x.other = y
y.other = x
b = O("b")
selfref = P()
selfref.me = selfref
selfref.o = O("held by a self-referencing global")
_private = O("_private")
keep = Target()
weakref.finalize(keep, print, "weakref.finalize at exit")
atexit.register(lambda: print("atexit callback, finalizing:", sys.is_finalizing()))
late = Late()
print("finalizing:", sys.is_finalizing())
print("end of module")
