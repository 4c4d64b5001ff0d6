# BaseException.__setstate__, ExceptionGroup[...] generic aliases, split()
# copying only sequence notes, and the recursion limit in split/subgroup.

x = Exception("a")
print(x.__setstate__(None), x.__setstate__({"b": 1, "c": [2]}), x.b, x.c)
for bad in [1, [("a", 1)]]:
    try:
        x.__setstate__(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    x.__setstate__({1: 2})
except TypeError as e:
    print("TypeError:", e)
print(Exception.__reduce__(x))
k = KeyError("k")
k.__setstate__({"note": "n"})
print(k.note, k.__reduce__())

print(ExceptionGroup[int], BaseExceptionGroup[ValueError, int])
print(ExceptionGroup[int].__origin__ is ExceptionGroup)

eg = ExceptionGroup("eg", [ValueError(1), TypeError(2)])
eg.__notes__ = 123
match, rest = eg.split(TypeError)
print(hasattr(match, "__notes__"), hasattr(rest, "__notes__"))
eg.__notes__ = ("n1", "n2")
match, rest = eg.split(TypeError)
print(match.__notes__, rest.__notes__, match.__notes__ is rest.__notes__)
eg.__notes__ = {"a": 1}
print(hasattr(eg.subgroup(TypeError), "__notes__"))

e = TypeError(1)
for i in range(3000):
    e = ExceptionGroup("eg", [e])
for meth in ("split", "subgroup"):
    try:
        getattr(e, meth)(TypeError)
    except RecursionError as r:
        print(meth, "RecursionError:", r)
e = TypeError(1)
for i in range(50):
    e = ExceptionGroup("eg", [e])
print(type(e.split(TypeError)[0]).__name__)
