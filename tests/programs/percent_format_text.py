# printf-style formatting walked over non-ASCII formats, the plain %d / %s
# conversions (and everything that is not plain: flags, widths, bools, big
# ints, str subclasses, objects with __str__), mapping keys and bytes.


class S(str):
    def __str__(self):
        return "S-str"


class Obj:
    def __str__(self):
        return "obj!"

    def __index__(self):
        return 7


print("%d distinct, %d total" % (1290, 840000))
print("é%dü%s€%%x" % (-42, "naïve"), "%s" % "", "%d" % 0, "%i|%u" % (-9223372036854775808, 9223372036854775807))
print("%d %d %d" % (True, 10**30, -(10**19)), "%d" % 3.99, "%s %s" % (S("x"), Obj()), "%s" % [1, "a"])
print("%5d|%-5d|%05d|%+d|% d|%.3d|%x|%#o" % (42, 42, -42, 42, 42, 7, 255, 8))
print("%5s|%-5s|%.2s|%s" % ("ab", "ab", "abc", "日本語"), "%r %a" % ("é", "é"))
print("%(name)s is %(age)d; %(name)s again, 100%%" % {"name": "Zoë", "age": 7})
print("%(ключ)s" % {"ключ": "значение"}, "%c%c" % ("ж", 0x263A), "%(a)s%%" % {"a": 1})
print("%s" % (("tuple",),), "%s" % ({"a": 1},), "%.1f|%e|%g" % (2.25, 12345.678, 0.0001))
print(b"%d %s %b" % (5, b"x", b"y"), b"\xff%d\xfe" % (1,), b"%(k)s" % {b"k": b"v"})
for bad in [("%d", "x"), ("%s %s", (1,)), ("%s", (1, 2)), ("é%", ()), ("ab%ü", (1,)), ("%(a", {"a": 1}), ("%d", Obj())]:
    try:
        print(bad[0] % bad[1])
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    print(b"%\xe9" % (1,))
except (ValueError, OverflowError) as e:
    print(type(e).__name__, e)
try:
    print(b"ab%\x7f" % (1,))
except ValueError as e:
    print("ValueError", e)
for f in ["%\x1f", "%\x1e", "%\x7f", "%~", b"%\x1f", b"%\x01", b"%\x7f"]:
    try:
        f % 1
    except ValueError as e:
        print(repr(str(e)))
