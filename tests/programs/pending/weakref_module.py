# CPython's weakref.py on krait's _weakref: WeakValueDictionary,
# WeakKeyDictionary, WeakSet, finalize, WeakMethod. Kept out of the collected
# programs until krait has what weakref.py needs besides _weakref (subclassable
# types.GenericAlias and memoryview for _collections_abc, atexit for finalize,
# types.MethodType(func, obj) for WeakMethod); then move it up one folder.
import weakref


def section(title):
    print("--", title)


class Obj:
    def __init__(self, name):
        self.name = name

    def method(self):
        return "method of " + self.name


def func():
    pass


section("weakref module")


class Thing:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return "Thing(%d)" % self.n


things = [Thing(i) for i in range(5)]
wvd = weakref.WeakValueDictionary()
for t in things:
    wvd[t.n] = t
print(len(wvd), sorted(wvd.keys()))
del things[1:3]
print(len(wvd), sorted(wvd.keys()), wvd.get(1), wvd.get(0))

wkd = weakref.WeakKeyDictionary()
keys = [Thing(i) for i in range(3)]
for kk in keys:
    wkd[kk] = kk.n * 10
print(len(wkd), sorted(wkd.values()))
del keys[0]
print(len(wkd), sorted(wkd.values()))

ws = weakref.WeakSet()
members = [Thing(i) for i in range(4)]
for m in members:
    ws.add(m)
print(len(ws), members[0] in ws)
members.pop()
print(len(ws), sorted(t.n for t in ws))

fin_target = Thing(99)
fin = weakref.finalize(fin_target, print, "finalized", 99)
print(fin.alive)
del fin_target
print(fin.alive)

bound_owner = Obj("wm")
wm = weakref.WeakMethod(bound_owner.method)
print(wm()())
del bound_owner
print(wm())

wr_func = weakref.ref(func)
print(weakref.getweakrefcount(func), wr_func() is func)
pp = weakref.proxy(Thing(7))
try:
    pp.n
except ReferenceError as exc:
    print("ReferenceError", exc)
print("done")
