# __slots__ with __getstate__, copy, deepcopy, pickle and copyreg.
import copy
import copyreg
import pickle


def show(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__, e)


class K:
    __slots__ = ("x", "y", "__weakref__")


k = K()
k.x = 1
show("copy", lambda: (copy.copy(k).x, hasattr(copy.copy(k), "y")))
show("deepcopy", lambda: (copy.deepcopy(k).x, hasattr(copy.deepcopy(k), "y")))
show("getstate", lambda: k.__getstate__())
show("object.__getstate__", lambda: object.__getstate__(k))
show("reduce_ex(2) state", lambda: k.__reduce_ex__(2)[2])
show("_slotnames", lambda: copyreg._slotnames(K))
show("__slotnames__ cached", lambda: K.__slotnames__)
show("pickle", lambda: pickle.loads(pickle.dumps(k)).x)
show("reduce_ex(1)", lambda: k.__reduce_ex__(1))
show("reduce", lambda: k.__reduce__())


class KD:
    __slots__ = ("x", "__dict__")


kd = KD()
kd.x = 1
kd.z = 2
show("getstate with dict", lambda: kd.__getstate__())
show("dict state is the dict", lambda: kd.__getstate__()[0] is kd.__dict__)
kd2 = copy.copy(kd)
show("copy with dict", lambda: (kd2.x, kd2.z, kd2.__dict__ is kd.__dict__))


class KE:
    __slots__ = ()


show("empty slots getstate", lambda: KE().__getstate__())
show("empty slots copy", lambda: type(copy.copy(KE())).__name__)


class KM:
    __slots__ = ("__p", "q")

    def __init__(self):
        self.__p = 1


km = KM()
show("mangled getstate", lambda: km.__getstate__())
show("mangled copy", lambda: copy.copy(km)._KM__p)
show("mangled pickle", lambda: pickle.loads(pickle.dumps(km))._KM__p)


class Q:
    __slots__ = ("b", "a")

    @property
    def c(self):
        return 5


class R(Q):
    __slots__ = ["__z", "c"]


r = R()
r.a, r.b, r._R__z = 1, 2, 3
show("subclass getstate order", lambda: r.__getstate__())
show("subclass slotnames", lambda: R.__dict__.get("__slotnames__"))
show("subclass copy", lambda: copy.copy(r).__getstate__())


class R2(Q):
    __slots__ = ("d",)
    __slotnames__ = ["a", "zzz"]


r2 = R2()
r2.a, r2.b, r2.d = 1, 2, 3
show("explicit __slotnames__", lambda: r2.__getstate__())
show("incomplete __slotnames__ pickled", lambda: copy.deepcopy(r2))


class R3(Q):
    __slots__ = ("d",)
    __slotnames__ = ("a",)


show("tuple __slotnames__", lambda: R3().__getstate__())


class R4:
    __slots__ = ("a",)
    __slotnames__ = ["a2"]

    @property
    def a2(self):
        raise ValueError("x")


show("getattr error propagates", lambda: R4().__getstate__())


class P:
    pass


p = P()
show("plain getstate", lambda: p.__getstate__())
p.x = 1
show("plain getstate is dict", lambda: p.__getstate__() is p.__dict__)
show("no __slotnames__ yet", lambda: "__slotnames__" in P.__dict__)
copy.copy(p)
show("__slotnames__ after copy", lambda: P.__dict__.get("__slotnames__"))


class Custom:
    __slots__ = ("a", "b")

    def __getstate__(self):
        return {"a": self.a}

    def __setstate__(self, st):
        self.a = st["a"] * 10


cu = Custom()
cu.a, cu.b = 1, 2
show("custom getstate copy", lambda: (copy.copy(cu).a, hasattr(copy.copy(cu), "b")))
show("custom getstate reduce_ex(1)", lambda: pickle.loads(pickle.dumps(cu, 1)).a)


class Lst(list):
    __slots__ = ("q",)


l = Lst([1, 2])
l.q = 3
show("list subclass copy", lambda: (copy.copy(l), copy.copy(l).q))


class Dct(dict):
    __slots__ = ("q",)


dct = Dct(a=1)
dct.q = 2
show("dict subclass copy", lambda: (copy.copy(dct), copy.copy(dct).q))
show("dict subclass deepcopy", lambda: (copy.deepcopy(dct), copy.deepcopy(dct).q))

show("vars slotted", lambda: vars(k))
show("vars slotted with dict", lambda: vars(kd))
show("dir has slots", lambda: [n for n in dir(k) if not n.startswith("__") or n == "__weakref__"])
