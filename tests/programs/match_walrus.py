# match statements, walrus, star unpacking, chained comparisons, del.
def describe(x):
    match x:
        case 0: return "zero"
        case int(n) if n < 0: return "negative"
        case [a, b]: return f"pair {a} {b}"
        case {"k": v}: return f"dict {v}"
        case str() | bytes(): return "text"
        case _: return "other"
print([describe(v) for v in (0, -5, [1, 2], {"k": 3}, "s", 3.5)])
data = [1, 2, 3, 4]
if (n := len(data)) > 3:
    print("long", n)
print([y for x in data if (y := x * 2) > 4], y)
a, *b, c = range(5)
print(a, b, c)
x = 5
print(1 < x < 10, x if x > 3 else -x)
del x
try:
    x
except NameError as e:
    print(e)
