# Callback ordering and interplay with __del__, containers and errors.
import weakref
import sys


def section(t):
    print("--", t)


class Obj:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Obj(%s)" % self.name


section("order: most recent first, refs and proxies mixed")
o = Obj("a")
log = []
r1 = weakref.ref(o, lambda w: log.append("ref1"))
p1 = weakref.proxy(o, lambda w: log.append("proxy1"))
plain = weakref.ref(o)
pplain = weakref.proxy(o)
r2 = weakref.ref(o, lambda w: log.append("ref2"))
p2 = weakref.proxy(o, lambda w: log.append("proxy2"))
print(weakref.getweakrefcount(o))
print([w is x for w, x in zip(weakref.getweakrefs(o), [plain, pplain, p2, r2, p1, r1])])
del o
print(log)

section("same callback several refs")
o = Obj("b")
hits = []


def cb(w):
    hits.append(w)


refs = [weakref.ref(o, cb) for _ in range(3)]
del o
print(len(hits), [h is r for h, r in zip(hits, reversed(refs))])

section("__del__ runs before the callbacks")


class WithDel:
    def __del__(self):
        print("__del__, weakref alive:", wr() is self)


x = WithDel()
wr = weakref.ref(x, lambda w: print("callback, dead:", w() is None))
del x

section("resurrection in __del__")
saved = []


class Phoenix:
    def __del__(self):
        print("resurrecting")
        saved.append(self)


ph = Phoenix()
wph = weakref.ref(ph, lambda w: print("phoenix callback"))
del ph
print("alive:", wph() is saved[0])
saved.clear()
print("after clear", wph())

section("callback creates weakref to another object")
a = Obj("a")
b = Obj("b")
made = []
ra = weakref.ref(a, lambda w: made.append(weakref.ref(b, lambda w2: print("b callback"))))
del a
print(len(made), made[0]() is b)
del b
print(made[0]())

section("callback raises; others still run")


def bad(w):
    raise RuntimeError("callback failure")


o = Obj("c")
order = []
w1 = weakref.ref(o, lambda w: order.append(1))
w2 = weakref.ref(o, bad)
w3 = weakref.ref(o, lambda w: order.append(3))
del o
print("continued", order)

section("objects dying in a container")
objs = [Obj(i) for i in range(3)]
logs = []
ws = [weakref.ref(x, lambda w, i=i: logs.append(i)) for i, x in enumerate(objs)]
del objs
print(logs)
objs = (Obj("t0"), Obj("t1"))
ws = [weakref.ref(x, lambda w, n=x.name: logs.append(n)) for x in objs]
logs.clear()
del objs
print(logs)
objs = {"k1": Obj("d0"), "k2": Obj("d1")}
ws = [weakref.ref(x, lambda w, n=x.name: logs.append(n)) for x in objs.values()]
logs.clear()
del objs
print(logs)


class Holder:
    pass


h = Holder()
h.a = Obj("h0")
h.b = Obj("h1")
ws = [weakref.ref(h.a, lambda w: logs.append("h.a")), weakref.ref(h.b, lambda w: logs.append("h.b")),
      weakref.ref(h, lambda w: logs.append("h"))]
logs.clear()
del h
print(logs)

section("callback sees a dead proxy")
o = Obj("p")


def pcb(p):
    try:
        p.name
    except ReferenceError as e:
        print("in callback:", e)


pp = weakref.proxy(o, pcb)
del o

section("weakref to a function and class")


def fn():
    pass


wf = weakref.ref(fn, lambda w: print("function died"))
del fn


class Temp:
    pass


wt = weakref.ref(Temp)
print(wt() is Temp)

section("callback deleting itself")
o = Obj("s")
holder = []


def selfdel(w):
    holder.clear()
    print("self-deleting callback ran")


holder.append(weakref.ref(o, selfdel))
del o
print(holder)

section("weakref dies inside the callback of another")
o = Obj("q")
box = {}


def first(w):
    print("first callback")
    box.clear()


box["second"] = weakref.ref(o, lambda w: print("second callback"))
keep = weakref.ref(o, first)
del o

section("del of dict values while referenced")
d = {"x": Obj("dx")}
wd = weakref.ref(d["x"], lambda w: print("dict value died"))
d["x"] = None
print("replaced")
d = {"y": Obj("dy")}
wd = weakref.ref(d["y"], lambda w: print("dict value popped"))
d.pop("y")
print("popped")

section("the last line")
o = Obj("end")
wend = weakref.ref(o, bad)
del o
print("done")
