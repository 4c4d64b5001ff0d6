# WeakValueDictionary, WeakKeyDictionary and WeakSet.
import weakref
import copy


def section(t):
    print("--", t)


class Obj:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Obj(%s)" % self.name


class Key:
    def __init__(self, k):
        self.k = k

    def __hash__(self):
        return hash(self.k)

    def __eq__(self, other):
        return isinstance(other, Key) and self.k == other.k

    def __repr__(self):
        return "Key(%r)" % (self.k,)


section("WeakValueDictionary")
objs = {n: Obj(n) for n in "abcde"}
d = weakref.WeakValueDictionary()
for n, o in objs.items():
    d[n] = o
print(len(d), sorted(d), sorted(d.keys()), d["a"], d.get("b"), d.get("zz", "dflt"), "c" in d, "zz" in d)
print(sorted(d.values(), key=lambda o: o.name), sorted(d.items()))
del objs["a"]
print(len(d), "a" in d, d.get("a"))
try:
    d["a"]
except KeyError as e:
    print("KeyError", e)
del d["b"]
print(sorted(d), "b" in objs)
print(d.pop("c") is objs["c"], d.pop("c", "gone"))
try:
    d.pop("c")
except KeyError as e:
    print("KeyError", e)
print(d.setdefault("d", Obj("other")) is objs["d"])
extra = Obj("x")
print(d.setdefault("x", extra) is extra, sorted(d))
k, v = d.popitem()
print(k in "dex", v.name == k)
d.update({"y": objs["e"]}, z=objs["d"])
print(sorted(d))
d2 = d.copy()
print(type(d2).__name__, sorted(d2) == sorted(d))
d3 = copy.copy(d)
d4 = copy.deepcopy(d)
print(sorted(d3) == sorted(d), type(d4).__name__)
print(repr(d).startswith("<WeakValueDictionary at 0x"))
vr = list(d.valuerefs())
print(all(isinstance(r, weakref.KeyedRef) for r in vr), sorted(r.key for r in vr))
print(sorted(d.itervaluerefs(), key=lambda r: r.key)[0]() is d[sorted(d)[0]])
d.clear()
print(len(d), list(d))
print(weakref.WeakValueDictionary({1: extra})[1] is extra, weakref.WeakValueDictionary([(1, extra)], two=extra)["two"] is extra)
try:
    d[1] = 5
except TypeError as e:
    print("TypeError", e)

section("WeakValueDictionary during iteration")
objs = [Obj(i) for i in range(6)]
d = weakref.WeakValueDictionary(enumerate(objs))
seen = []
for k in d:
    seen.append(k)
    if k == 1:
        del objs[3]
print(sorted(seen), sorted(d))
for k, v in d.items():
    objs.clear()
    break
print(len(d), list(d))
objs = [Obj(i) for i in range(3)]
d = weakref.WeakValueDictionary(enumerate(objs))
it = iter(d.values())
next(it)
del objs
print(len(list(it)) <= 2, len(d))

section("WeakValueDictionary comparisons and union")
a, b = Obj("a"), Obj("b")
d1 = weakref.WeakValueDictionary(x=a)
d2 = weakref.WeakValueDictionary(y=b)
u = d1 | d2
print(type(u).__name__, sorted(u))
u2 = d1 | {"z": b}
print(sorted(u2))
u3 = {"w": a} | d1
print(type(u3).__name__, sorted(u3))
d1 |= {"q": b}
print(sorted(d1))
print(d1 == d1.copy(), d1 == {"x": a, "q": b})

section("KeyedRef")
o = Obj("k")
kr = weakref.KeyedRef(o, None, "key1")
print(kr.key, kr() is o, type(kr).__name__, isinstance(kr, weakref.ref))

section("WeakKeyDictionary")
keys = [Obj(i) for i in range(4)]
wk = weakref.WeakKeyDictionary()
for i, k in enumerate(keys):
    wk[k] = i * 10
print(len(wk), wk[keys[1]], keys[2] in wk, Obj(9) in wk, 5 in wk, sorted(wk.values()))
print(sorted(wk.items(), key=lambda kv: kv[1])[0][0] is keys[0])
del keys[0]
print(len(wk), sorted(wk.values()))
del wk[keys[0]]
print(sorted(wk.values()))
print(wk.get(keys[1]), wk.get(Obj(8), "none"), wk.pop(keys[1]), wk.pop(keys[1], "gone"))
print(wk.setdefault(keys[2], 99), wk.setdefault(keys[1], 77))
print(sorted(wk.values()))
kk, vv = wk.popitem()
print(kk in keys, vv in (30, 77))
wk.update({keys[0]: "u"})
print(wk[keys[0]])
print(repr(wk).startswith("<WeakKeyDictionary at 0x"))
try:
    wk[1] = 2
except TypeError as e:
    print("TypeError", e)
kr2 = list(wk.keyrefs())
print(all(type(r) is weakref.ref for r in kr2), len(kr2))
wk2 = wk.copy()
print(type(wk2).__name__, len(wk2) == len(wk))
wk.clear()
print(len(wk))

section("WeakKeyDictionary with equal keys")
k1 = Key(1)
k1b = Key(1)
wk = weakref.WeakKeyDictionary()
wk[k1] = "first"
wk[k1b] = "second"
print(len(wk), wk[k1], wk[Key(1)] if False else wk[k1b])
del k1b
print(len(wk), wk[k1])
del k1
print(len(wk))

section("WeakKeyDictionary union")
x, y = Obj("x"), Obj("y")
w1 = weakref.WeakKeyDictionary({x: 1})
w2 = w1 | {y: 2}
print(type(w2).__name__, sorted(w2.values()))
w1 |= {y: 3}
print(sorted(w1.values()))
print(type({y: 0} | w1).__name__)

section("WeakSet")
items = [Obj(i) for i in range(5)]
ws = weakref.WeakSet(items)
print(len(ws), items[0] in ws, Obj(0) in ws, 3 in ws, sorted(o.name for o in ws))
del items[0]
print(len(ws))
ws.add(items[0])
print(len(ws))
ws.discard(items[0])
print(len(ws), items[0] in ws)
ws.remove(items[1])
try:
    ws.remove(items[1])
except KeyError as e:
    print("KeyError", e is not None)
p = ws.pop()
print(p in items, len(ws))
ws2 = ws.copy()
print(type(ws2).__name__, len(ws2) == len(ws))
ws.clear()
print(len(ws), bool(ws))
try:
    ws.pop()
except KeyError as e:
    print("KeyError", e)
try:
    ws.add(1)
except TypeError as e:
    print("TypeError", e)
print(repr(weakref.WeakSet()) if False else "skip")

section("WeakSet operations")
objs = [Obj(i) for i in range(6)]
s1 = weakref.WeakSet(objs[:4])
s2 = weakref.WeakSet(objs[2:])
names = lambda s: sorted(o.name for o in s)
print(names(s1 | s2), names(s1 & s2), names(s1 - s2), names(s1 ^ s2))
print(names(s1.union(objs[5:])), names(s1.intersection(objs[:2])), names(s1.difference(objs[:1])),
      names(s1.symmetric_difference(objs[3:5])))
print(s1 <= s2, s1 & s2 <= s1, s1.issubset(objs), s1.issuperset(objs[:2]), s1 < s1, s1 > weakref.WeakSet(objs[:1]))
print(s1 == weakref.WeakSet(objs[:4]), s1 == set(objs[:4]), s1 != s2, s1.isdisjoint(objs[4:]))
s3 = weakref.WeakSet(objs[:3])
s3 |= s2
print(names(s3))
s3 &= weakref.WeakSet(objs[1:5])
print(names(s3))
s3 -= weakref.WeakSet(objs[:2])
print(names(s3))
s3 ^= weakref.WeakSet(objs[:4])
print(names(s3))
s3.update(objs[5:])
s3.difference_update(objs[:1])
s3.intersection_update(objs[1:])
s3.symmetric_difference_update(objs[4:5])
print(names(s3))
del objs[5]
print(names(s3), names(s2))

section("WeakSet during iteration")
objs = [Obj(i) for i in range(5)]
ws = weakref.WeakSet(objs)
count = 0
for o in ws:
    count += 1
    if count == 1:
        objs.clear()
del o
print(count, len(ws))

section("class_getitem")
print(weakref.WeakSet[int], weakref.WeakKeyDictionary[int, str], weakref.WeakValueDictionary[int, str])

section("cascading deletes while comparing keys")


def cascade(d, mutate_flag):
    class C:
        def __init__(self, i):
            self.value = i

        def __hash__(self):
            return hash(self.value)

        def __eq__(self, other):
            if mutate_flag[0]:
                del objs[-1]
            return self.value == other.value

    objs = [C(i) for i in range(4)]
    for o in objs:
        d[o] = o.value
    del o
    objs = list(d.keys())
    objs.reverse()
    mutate_flag[0] = True
    count = 0
    for o in objs:
        count += 1
        del d[o]
    return len(d), count


print(cascade(weakref.WeakKeyDictionary(), [False]))
calls = []
plain = {}


class K:
    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return hash(self.v)

    def __eq__(self, other):
        calls.append(1)
        plain.pop("other", None)
        return self.v == other.v


plain[K(1)] = 1
plain["other"] = 2
del plain[K(1)]
print(len(calls), plain)
