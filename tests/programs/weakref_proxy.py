# weakref.proxy and callable proxies: every operation forwards to the referent.
import weakref
import operator


def section(t):
    print("--", t)


class Obj:
    def __init__(self, name="o"):
        self.name = name

    def method(self, x):
        return (self.name, x)

    def __repr__(self):
        return "Obj(%s)" % self.name


section("types")
o = Obj("a")
p = weakref.proxy(o)
print(type(p) is weakref.ProxyType, type(p).__name__, p.__class__ is Obj, isinstance(p, Obj))
print(isinstance(p, weakref.ProxyType), issubclass(type(p), Obj))


def f(x=1):
    return x * 2


pf = weakref.proxy(f)
print(type(pf) is weakref.CallableProxyType, type(pf).__name__, pf(), pf(4), pf(x=5))
print(weakref.proxy(o) is p, weakref.proxy(o, None) is p)
pc = weakref.proxy(o, lambda w: None)
print(pc is not p, weakref.getweakrefcount(o))
r = weakref.ref(o)
print(weakref.getweakrefs(o)[0] is r, weakref.getweakrefs(o)[1] is p, weakref.getweakrefs(o)[2] is pc)
print(o.__weakref__ is r)
try:
    weakref.ProxyType(o)
except TypeError as e:
    print("TypeError", e)
try:
    class Sub(weakref.ProxyType):
        pass
except TypeError as e:
    print("TypeError", e)

section("attributes")
print(p.name, p.method(3))
p.name = "b"
print(o.name)
p.new = 1
print(o.new)
del p.new
print(hasattr(o, "new"), hasattr(p, "new"))
try:
    p.missing
except AttributeError as e:
    print("AttributeError", e)
try:
    del p.missing
except AttributeError as e:
    print("AttributeError", e)
print(getattr(p, "name"), p.__dict__ is o.__dict__)
setattr(p, "z", 9)
print(o.z, "z" in dir(p))

section("repr and str")
print(repr(p) == "<weakproxy at %#x to Obj at %#x>" % (id(p), id(o)))
print(str(p), format(p), "%s" % p)
print(repr(pf) == "<weakproxy at %#x to function at %#x>" % (id(pf), id(f)))

section("hash and bool")
try:
    hash(p)
except TypeError as e:
    print("TypeError", e)
print(bool(p), type(p).__hash__)


class Falsy:
    def __bool__(self):
        return False


fo = Falsy()
print(bool(weakref.proxy(fo)), not weakref.proxy(fo))


class Sized:
    def __len__(self):
        return 0


so = Sized()
print(bool(weakref.proxy(so)), len(weakref.proxy(so)))

section("arithmetic")


class Num:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return "Num(%r)" % (self.v,)


def _mk(name):
    def op(self, other, *mod):
        ov = other.v if isinstance(other, Num) else other
        return Num((name, self.v, ov) + mod)

    def rop(self, other):
        ov = other.v if isinstance(other, Num) else other
        return Num(("r" + name, self.v, ov))

    def iop(self, other):
        ov = other.v if isinstance(other, Num) else other
        self.v = ("i" + name, self.v, ov)
        return self

    return op, rop, iop


names = ["add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift",
         "and", "or", "xor", "divmod"]
for nm in names:
    op, rop, iop = _mk(nm)
    setattr(Num, "__%s__" % nm, op)
    setattr(Num, "__r%s__" % nm, rop)
    if nm != "divmod":
        setattr(Num, "__i%s__" % nm, iop)
Num.__neg__ = lambda self: Num(("neg", self.v))
Num.__pos__ = lambda self: Num(("pos", self.v))
Num.__invert__ = lambda self: Num(("invert", self.v))
Num.__abs__ = lambda self: Num(("abs", self.v))
Num.__int__ = lambda self: 7
Num.__float__ = lambda self: 7.5
Num.__index__ = lambda self: 3
Num.__complex__ = lambda self: 1j
Num.__round__ = lambda self, n=None: ("round", n)
Num.__trunc__ = lambda self: "trunc"
Num.__floor__ = lambda self: "floor"
Num.__ceil__ = lambda self: "ceil"

n = Num(1)
pn = weakref.proxy(n)
binops = [operator.add, operator.sub, operator.mul, operator.matmul, operator.truediv, operator.floordiv,
          operator.mod, operator.pow, operator.lshift, operator.rshift, operator.and_, operator.or_,
          operator.xor, divmod]
for fn in binops:
    print(fn.__name__, fn(pn, 2), fn(2, pn), fn(pn, pn))
print(pow(pn, 2, 5))
print(-pn, +pn, ~pn, abs(pn))
print(int(pn), float(pn), operator.index(pn), [10, 20, 30, 40][pn], hex(pn), bin(pn))
try:
    print(complex(pn))
except TypeError as e:
    print("TypeError", e)
for fn in (round, __import__("math").trunc, __import__("math").floor, __import__("math").ceil):
    try:
        print(fn(pn))
    except TypeError as e:
        print("TypeError", e)

section("in-place")
inplace = [operator.iadd, operator.isub, operator.imul, operator.imatmul, operator.itruediv,
           operator.ifloordiv, operator.imod, operator.ipow, operator.ilshift, operator.irshift,
           operator.iand, operator.ior, operator.ixor]
for fn in inplace:
    n.v = 0
    res = fn(pn, 5)
    print(fn.__name__, n.v, type(res).__name__, res is pn, res is n)
q = pn
q += 1
print(type(q) is weakref.ProxyType, q is pn)
lst = [1]
pl = weakref.proxy(lst) if False else None


class LL(list):
    pass


ll = LL([1, 2])
pll = weakref.proxy(ll)
pll += [3]
print(ll, type(pll).__name__)
pll *= 2
print(ll)

section("int/str referents")


class MyFloat(float):
    pass


class MyStr(str):
    pass


mi = MyFloat(6)
pmi = weakref.proxy(mi)
print(pmi + 1, 1 + pmi, pmi * pmi, pmi // 4, pmi % 4, -pmi, pmi ** 2, divmod(pmi, 4), pmi / 4, 2 ** pmi)
print(pmi == 6, pmi < 7, pmi >= 6, 6 == pmi, 7 > pmi, int(pmi), float(pmi), str(pmi), round(mi))
ms = MyStr("abc")
pms = weakref.proxy(ms)
print(pms + "d", "x" + pms, pms * 2, pms[1], pms[::-1], len(pms), "b" in pms, list(pms), pms.upper())
print(pms == "abc", "abc" == pms, pms < "b", hash(ms) == hash("abc"))
print("%s-%d" % (pms, pmi), f"{pms}{pmi}")

section("comparisons")


class Cmp:
    def __init__(self, v):
        self.v = v

    def __eq__(self, o):
        return ("eq", self.v, getattr(o, "v", o))

    def __ne__(self, o):
        return ("ne", self.v, getattr(o, "v", o))

    def __lt__(self, o):
        return ("lt", self.v, getattr(o, "v", o))

    def __le__(self, o):
        return ("le", self.v, getattr(o, "v", o))

    def __gt__(self, o):
        return ("gt", self.v, getattr(o, "v", o))

    def __ge__(self, o):
        return ("ge", self.v, getattr(o, "v", o))

    __hash__ = object.__hash__


c1, c2 = Cmp(1), Cmp(2)
p1, p2 = weakref.proxy(c1), weakref.proxy(c2)
print(p1 == p2, p1 != p2, p1 < p2, p1 <= p2, p1 > p2, p1 >= p2)
print(p1 == 5, 5 == p1, p1 < 5, 5 < p1)
print(p1 == c1, c1 == p1)
a = Obj()
pa = weakref.proxy(a)
print(pa == a, a == pa, pa != a, pa == pa, pa == weakref.proxy(a, lambda w: None))
try:
    pa < a
except TypeError as e:
    print("TypeError", e)

section("containers")


class Bag:
    def __init__(self):
        self.d = {}

    def __getitem__(self, k):
        return self.d[k]

    def __setitem__(self, k, v):
        self.d[k] = v

    def __delitem__(self, k):
        del self.d[k]

    def __contains__(self, k):
        return k in self.d

    def __len__(self):
        return len(self.d)

    def __iter__(self):
        return iter(sorted(self.d))

    def __reversed__(self):
        return iter(sorted(self.d, reverse=True))


bag = Bag()
pb = weakref.proxy(bag)
pb["x"] = 1
pb["y"] = 2
print(pb["x"], "x" in pb, "z" in pb, len(pb), list(pb), list(reversed(pb)))
del pb["x"]
print(bag.d)
try:
    pb["nope"]
except KeyError as e:
    print("KeyError", e)
dd = LL([3, 1, 2])
pd = weakref.proxy(dd)
print(pd[0], pd[-1], pd[1:], sorted(pd), list(reversed(pd)), 1 in pd, len(pd), max(pd), sum(pd))
pd[0] = 9
del pd[1]
pd.append(5)
print(dd, pd.index(5))
print([x * 2 for x in pd], tuple(pd), set(pd) == {9, 2, 5})
a, b, c = pd
print(a, b, c)

section("iteration")


class It:
    def __init__(self):
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i


it = It()
pit = weakref.proxy(it)
print(next(pit), list(pit))
print(iter(pit) is it)
plain = Obj()
pp = weakref.proxy(plain)
try:
    next(pp)
except TypeError as e:
    print("TypeError", e)
try:
    iter(pp)
except TypeError as e:
    print("TypeError", e)
try:
    len(pp)
except TypeError as e:
    print("TypeError", e)
try:
    pp + 1
except TypeError as e:
    print("TypeError", e)
try:
    pp[0]
except TypeError as e:
    print("TypeError", e)
try:
    pp()
except TypeError as e:
    print("TypeError", e)


def g():
    yield 1
    yield 2


gen = g()
pg = weakref.proxy(gen)
print(type(pg).__name__, next(pg), list(pg))

section("calling")


class Callable:
    def __call__(self, *a, **k):
        return ("called", a, sorted(k.items()))


cc = Callable()
pcc = weakref.proxy(cc)
print(type(pcc).__name__, pcc(1, 2, k=3), pcc())
print(callable(pcc), callable(p))
pm = weakref.proxy(Obj)
print(type(pm).__name__, pm("made"), pm.__name__)
bound = Obj("bm").method
pbound = weakref.proxy(bound)
print(type(pbound).__name__, pbound(1))

section("bytes and misc")


class B:
    def __bytes__(self):
        return b"bytes!"

    def __format__(self, spec):
        return "fmt:" + spec

    def __str__(self):
        return "strB"

    def __dir__(self):
        return ["b", "a"]

    def __enter__(self):
        return "entered"

    def __exit__(self, *a):
        print("exited")


bo = B()
pbo = weakref.proxy(bo)
print(bytes(pbo), format(pbo), f"{pbo}", str(pbo), dir(pbo))
try:
    format(pbo, "x")
except TypeError as e:
    print("TypeError", e)
try:
    with pbo as v:
        print(v)
except TypeError as e:
    print("TypeError", e)
print(reversed(weakref.proxy(LL([1, 2]))).__class__.__name__ if False else "skip")

section("proxy to proxy target gone")
t = Obj("t")
pt = weakref.proxy(t)
ptc = weakref.proxy(t, lambda w: print("proxy callback", type(w).__name__))
del t
for action in [lambda: pt.name, lambda: setattr(pt, "x", 1), lambda: delattr(pt, "name"), lambda: str(pt),
               lambda: pt + 1, lambda: 1 + pt, lambda: len(pt), lambda: bool(pt), lambda: pt == 1,
               lambda: pt[0], lambda: iter(pt), lambda: hash(pt), lambda: format(pt), lambda: bytes(pt),
               lambda: -pt, lambda: 1 in pt, lambda: pt < 1, lambda: int(pt), lambda: abs(pt),
               lambda: pt.__class__, lambda: isinstance(pt, Obj)]:
    try:
        print("ok", action())
    except ReferenceError as e:
        print("ReferenceError", e)
    except TypeError as e:
        print("TypeError", e)
print(repr(pt) == "<weakproxy at %#x to NoneType at %#x>" % (id(pt), id(None)))


def tmpf():
    pass


ptf = weakref.proxy(tmpf)
del tmpf
try:
    ptf()
except ReferenceError as e:
    print("ReferenceError", e)
print(type(ptf).__name__)
try:
    pt += 1
except ReferenceError as e:
    print("ReferenceError", e)
