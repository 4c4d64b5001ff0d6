# Removing objects from containers releases them at once; a dying container
# releases list and tuple items last first, dict entries and instance
# attributes in insertion order, after its own __del__; iterators release
# their container when exhausted.
import collections
import itertools


class O:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del", self.n)

    def __repr__(self):
        return "O(%s)" % self.n


class H(O):
    def __init__(self, n, h=None):
        super().__init__(n)
        self.h = n if h is None else h

    def __hash__(self):
        return self.h

    def __eq__(self, o):
        return self is o


print("list operations:")
l = [O(i) for i in range(6)]
l.pop()
print("  pop done")
l.pop(0)
print("  pop(0) done")
l.remove(l[0])
print("  remove done")
del l[0]
print("  del item done")
l[0:1] = [O("new")]
print("  slice assignment done")
l.append(O("x"))
l.append(O("y"))
l[1] = O("rep")
print("  item assignment done")
print(" ", l)
l.clear()
print("  clear done")
l = [O(i) for i in range(3)]
l *= 0
print("  *= 0 done")
l = [O(i) for i in range(4)]
del l[::2]
print("  extended slice delete done")
l[:] = []
print("  l[:] = [] done")

print("dict operations:")
d = {k: O(k) for k in "abcd"}
d.pop("b")
print("  pop done")
del d["a"]
print("  del done")
d.popitem()
print("  popitem done")
d["c"] = O("c2")
print("  replace done")
d.update({"c": O("c3")})
print("  update done")
d.setdefault("e", O("e"))
print("  setdefault done")
d.setdefault("e", O("e2"))
print("  setdefault (existing) done")
d.clear()
print("  clear done")

print("set operations:")
s = {H(1), H(2), H(3)}
s.discard(next(x for x in s if x.n == 1))
print("  discard done")
s.remove(next(x for x in s if x.n == 2))
print("  remove done")
s.pop()
print("  pop done")
s = {H(1)}
s.clear()
print("  clear done")

print("deallocation order:")
x = [O("a"), (O("b0"), [O("b1a"), O("b1b")], O("b2")), {"k": O("c"), "j": [O("d0"), O("d1")]}, O("e")]
del x
print("sets (table order, fixed hashes):")
s = {H(5), H(1), H(3), H(9), H(2)}
print("  iter", [x.n for x in s])
del s
s = set()
for n, h in [("a", 1), ("b", 9), ("c", 17), ("d", 2)]:
    s.add(H(n, h))
print("  iter", [x.n for x in s])
del s
s = frozenset(H(i * 7 % 20) for i in range(20))
del s
print("dict keys and values:")
d = {O("k1"): O("v1"), O("k2"): O("v2")}
del d
d = {i: O(i) for i in range(5)}
del d[1]
del d[3]
d[1] = O("1b")
del d

print("instance attributes in insertion order, after the instance's __del__:")


class Box:
    def __init__(self, *kids):
        for i, k in enumerate(kids):
            setattr(self, "k%d" % i, k)

    def __del__(self):
        print("  del Box, attributes still there:", hasattr(self, "k0"))


b = Box(O("k0"), Box(O("k1.0"), O("k1.1")), O("k2"))
b.k0 = O("k0 replaced")
del b

print("containers with __del__ run it before releasing their items:")


class L(list):
    def __del__(self):
        print("  del L", [x.n for x in self])


class D(dict):
    def __del__(self):
        print("  del D", list(self))


class T(tuple):
    def __del__(self):
        print("  del T", len(self))


l = L([O("l0"), O("l1")])
del l
d = D(a=O("da"), b=O("db"))
del d
t = T((O("t0"), O("t1")))
del t

print("closures, defaults, bound methods:")


def mk():
    v = O("cell")

    def inner():
        return v

    return inner


fn = mk()
print("  made")
del fn
print("  deleted")


def dfl(x=O("default")):
    pass


del dfl
print("  deleted function with default")
o = O("bm")
m = o.__repr__
del o
print("  del o (bound method keeps it)")
del m
print("  del m")

print("collections:")
q = collections.deque([O("q0"), O("q1"), O("q2")])
del q
q = collections.deque([O("q0"), O("q1"), O("q2")])
q.pop()
q.popleft()
print("  popped")
del q
od = collections.OrderedDict(a=O("oa"), b=O("ob"))
del od
dd = collections.defaultdict(list, a=O("da"), b=O("db"))
del dd

print("iterators release their container when exhausted:")


class LC(list):
    def __del__(self):
        print("  del container", type(self).__name__)


class DC(dict):
    def __del__(self):
        print("  del container DC")


class SC(set):
    def __del__(self):
        print("  del container SC")


class TC(tuple):
    def __del__(self):
        print("  del container TC")


class StrC(str):
    def __del__(self):
        print("  del container StrC")


class Seq:
    def __getitem__(self, i):
        if i < 2:
            return i
        raise IndexError

    def __del__(self):
        print("  del container Seq")


class Fn:
    def __init__(self):
        self.i = 0

    def __call__(self):
        self.i += 1
        return self.i

    def __del__(self):
        print("  del callable Fn")


def drain(name, it):
    print(name)
    for _ in it:
        pass
    print("  exhausted")


drain("list", iter(LC([1])))
drain("reversed list", reversed(LC([1])))
drain("tuple", iter(TC((1,))))
drain("dict keys", iter(DC(a=1)))
drain("dict values", iter(DC(a=1).values()))
drain("dict items", iter(DC(a=1).items()))
drain("reversed dict", reversed(DC(a=1)))
drain("set", iter(SC([1])))
drain("str", iter(StrC("ab")))
drain("sequence protocol", iter(Seq()))
drain("callable with sentinel", iter(Fn(), 3))
drain("enumerate", enumerate(LC([1])))
drain("zip", zip(LC([1]), LC([1, 2])))
drain("map", map(str, LC([1])))
drain("deque", iter(collections.deque([1])))
drain("islice", itertools.islice(LC([1, 2]), 1))


def loop():
    for o in [O("i0"), O("i1")]:
        print("  body", o.n)
    print("  after loop")


print("for loop in a function:")
loop()


def for_else():
    for x in LC([O("fe")]):
        pass
    else:
        print("  else clause")
    print("  after")


print("for/else:")
for_else()
print("end")
