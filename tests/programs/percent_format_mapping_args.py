# Which right operands of % count as a mapping (so extra arguments are not
# an error), and the C int range of a '*' precision.
cases = [("abc", b"x"), ("abc", bytearray(b"x")), ("abc", "x"), (b"abc", "x"),
         (b"abc", bytearray(b"x")), (b"abc", b"x"), ("abc", [1]), (b"abc", [1]),
         (b"abc", memoryview(b"x")), ("abc", {"a": 1}), (b"%(a)d", {b"a": 5})]
for f, a in cases:
    try:
        print(repr(f % a))
    except TypeError as e:
        print("TypeError:", e)

for f, a in [("%.*d", (2**31, 1)), ("%.*d", (-2**31 - 1, 1)), (b"%.*d", (2**31, 1)),
             ("%.*d", (3, 1)), ("%.*f", (-3, 1.5)), ("%*d", (-4, 1))]:
    try:
        print(repr(f % a))
    except OverflowError as e:
        print("OverflowError:", e)
