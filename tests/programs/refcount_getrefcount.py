# sys.getrefcount differences (never absolute counts) as CPython reports them.
import functools
import sys
import weakref

rc = sys.getrefcount


class Obj:
    def m(self):
        pass


o = Obj()
b = rc(o)


def show(label):
    print(label, rc(o) - b)


a1 = o
show("alias")
del a1
show("del alias")
l = []
l.append(o)
show("list append")
l.append(o)
show("list append 2")
l.extend([o, o])
show("extend")
l *= 2
show("*= 2")
l.pop()
show("pop")
l.remove(o)
show("remove")
l[0] = 5
show("item replaced")
del l[0]
show("del item")
l.insert(0, o)
show("insert")
l2 = l[:]
show("slice copy")
l3 = l * 2
show("repeat")
l4 = l + l
show("concatenate")
del l, l2, l3, l4
show("del lists")
t = (o,) * 3
show("tuple")
del t
show("del tuple")
holder = Obj()
holder.x = o
show("attribute")
holder.y = o
show("second attribute")
del holder.x
show("del attribute")
del holder
show("del holder")
d = {"v": o}
show("dict value")
d[o] = 1
show("dict key")
d2 = dict(d)
show("dict copy")
del d, d2
show("del dicts")
s = {o}
show("set")
fs = frozenset(s)
show("frozenset")
del s, fs
show("del sets")


def mk():
    c = o
    return lambda: c


f = mk()
show("closure cell")
del f
show("del closure")


def dflt(x=o):
    pass


show("default argument")


def kwd(*, x=o):
    pass


show("keyword-only default")
del dflt, kwd
show("del functions")
bm = o.m
show("bound method")
bm2 = o.m
show("second bound method")
print("__self__ is o:", bm.__self__ is o)
del bm, bm2
show("del bound methods")
it = iter([o])
show("iterator over list")
next(it)
show("after next")
next(it, None)
show("after exhaustion")
del it
g = (x for x in [o])
show("generator expression")
del g
show("del generator expression")


def gen(x):
    yield x


g = gen(o)
show("generator created")
next(g)
show("generator suspended")
list(g)
show("generator finished")
del g
z = zip([o], [o])
show("zip")
del z
e = enumerate([o])
show("enumerate")
del e
m = map(id, [o])
show("map")
del m
p = functools.partial(print, o)
show("partial")
del p


class K:
    attr = o


show("class attribute")
K.attr = None
show("class attribute cleared")


def inside(x, y):
    return rc(o) - b


print("during a call with two arguments:", inside(o, o))


def frame_local():
    q = o
    return rc(o) - b


print("frame local:", frame_local())
show("after calls")
lst = [o for _ in range(3)]
show("list comprehension of 3")
del lst
try:
    raise ValueError(o)
except ValueError as ex:
    show("exception argument")
show("after except")
w = weakref.ref(o)
show("weakref")
del w
pr = weakref.proxy(o)
show("proxy")
del pr
sl = slice(o, o)
show("slice")
del sl
c0 = rc(Obj)
insts = [Obj() for _ in range(5)]
print("5 instances hold their class:", rc(Obj) - c0)
del insts
print("released:", rc(Obj) - c0)
print("end")
