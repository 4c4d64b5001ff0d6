# __slots__ errors at class creation, with CPython 3.11's exact messages.


def make(label, bases, ns, name="X"):
    try:
        cls = type(name, bases, ns)
        print(label, "-> ok", sorted(k for k in cls.__dict__ if k not in ("__module__", "__doc__", "__slots__")))
    except Exception as e:
        print(label, "!!", type(e).__name__, e)


make("duplicate", (), {"__slots__": ("a", "a")})
make("digit first", (), {"__slots__": ("1a",)})
make("space", (), {"__slots__": ("a b",)})
make("empty name", (), {"__slots__": ("",)})
make("nul", (), {"__slots__": ("a\x00",)})
make("non-ascii ok", (), {"__slots__": ("é",)})
make("int item", (), {"__slots__": (1,)})
make("int", (), {"__slots__": 1})
make("None", (), {"__slots__": None})
make("bytes", (), {"__slots__": b"ab"})
make("bad item after dict", (), {"__slots__": ["__dict__", 1]})
make("identifier checked before conflicts", (), {"__slots__": ("x", "1a"), "x": 1})
make("dict twice", (), {"__slots__": ("__dict__", "__dict__")})
make("weakref twice", (), {"__slots__": ("__weakref__", "__weakref__")})


class HasDict:
    pass


class HasSlots:
    __slots__ = ("a",)


make("dict on dict base", (HasDict,), {"__slots__": ("__dict__",)})
make("weakref on dict base", (HasDict,), {"__slots__": ("__weakref__",)})
make("dict on slotted base", (HasSlots,), {"__slots__": ("__dict__",)})
make("weakref on slotted base", (HasSlots,), {"__slots__": ("__weakref__",)})
make("class var", (), {"__slots__": ("x",), "x": 1})
make("class var mangled", (), {"__slots__": ("__x",), "_X__x": 1})
make("class var unmangled", (), {"__slots__": ("__x",), "__x": 1})
make("class var both", (), {"__slots__": ("__dict__", "x"), "x": 2})
make("class var dup", (), {"__slots__": ("x", "x"), "x": 2})
make("__qualname__", (), {"__slots__": ("__qualname__",), "__qualname__": "Q"})
make("__classcell__ name", (), {"__slots__": ("__classcell__",)})
make("__doc__", (), {"__slots__": ("__doc__",)})

for base in (int, bytes, tuple, type):
    for slots in (("a",), ("__dict__",), ("__weakref__",), ()):
        make(f"{base.__name__} {slots}", (base,), {"__slots__": slots})


class MyInt(int):
    pass


class MyTuple(tuple):
    __slots__ = ()


make("int subclass", (MyInt,), {"__slots__": ("a",)})
make("tuple subclass", (MyTuple,), {"__slots__": ("a",)})
make("bool", (bool,), {"__slots__": ("a",)})

for base in (float, complex, str, bytearray, list, dict, set, frozenset, Exception, OSError, property):
    res = []
    for slots in (("__weakref__",), ("__dict__",), ("a",)):
        try:
            type("C", (base,), {"__slots__": slots})
            res.append("ok")
        except TypeError as e:
            res.append(str(e))
    print(base.__name__, res)


class P1:
    __slots__ = ("a",)


class P2:
    __slots__ = ("b",)


class P3:
    __slots__ = ()


class P4:
    __slots__ = ("__dict__",)


class P5:
    __slots__ = ("__weakref__",)


make("two slotted bases", (P1, P2), {})
make("slotted + empty", (P1, P3), {})
make("empty + slotted", (P3, P1), {})
make("slotted + int", (P1, int), {})
make("int + str", (int, str), {})
make("empty + int", (P3, int), {})
make("slotted + dict-only", (P1, P4), {})
make("dict-only + plain", (P4, HasDict), {})
make("dict-only + weakref-only", (P4, P5), {})
make("slotted + plain", (HasSlots, HasDict), {})
make("plain + slotted", (HasDict, HasSlots), {})


class F1(float):
    pass


class F2(float):
    __slots__ = ("q",)


class S1(str):
    __slots__ = ("q",)


make("float + slotted float", (F1, F2), {})
make("str + float", (S1, F1), {})


class T1(tuple):
    pass


class T2(tuple):
    pass


class T3(tuple):
    __slots__ = ()


make("two tuple subclasses with dicts", (T1, T2), {})
make("tuple with dict + without", (T1, T3), {})


class I1(int):
    pass


class I2(int):
    pass


make("two int subclasses with dicts", (I1, I2), {})


class M1(type):
    pass


class M2(type):
    pass


make("two metaclasses", (M1, M2), {})


def bad():
    yield "a"
    raise RuntimeError("boom")


make("failing iterable", (), {"__slots__": bad()})

# The class statement form.
try:
    class Bad:
        __slots__ = ("x",)
        x = 1
except ValueError as e:
    print("class statement:", e)


class WithSuper:
    __slots__ = ("v",)

    def __init__(self):
        super().__init__()
        self.v = 1


print("super() with slots:", WithSuper().v)
