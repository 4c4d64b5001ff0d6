# Unbounded recursion raises RecursionError; nesting and huge sizes are errors, not crashes.
import sys
def r(n):
    return r(n + 1)
try:
    r(0)
except RecursionError as e:
    print("RecursionError", e)
print(sys.getrecursionlimit())
try:
    [0] * 10 ** 12
except (MemoryError, OverflowError) as e:
    print(type(e).__name__)
try:
    eval("(" * 1000 + ")" * 1000)
except SyntaxError as e:
    print("SyntaxError", e.msg)
l = []
l.append(l)
print(l)

# Native recursion through containers counts against the limit, as CPython's
# Py_EnterRecursiveCall: comparing self-referential or deeply nested
# containers raises RecursionError instead of exhausting the Rust stack.
def _nested(make, depth):
    x = make(None)
    for _ in range(depth):
        x = make(x)
    return x

selfref = {}
selfref["me"] = selfref
import copy
twin = copy.deepcopy(selfref)
print(twin["me"] is twin, twin == twin)
for label, a, b in [
    ("dict", twin, selfref),
    ("list", _nested(lambda x: [x], 100000), _nested(lambda x: [x], 100000)),
    ("tuple<", _nested(lambda x: (x,), 100000), _nested(lambda x: (x,), 100000)),
]:
    try:
        print(label, a == b if label != "tuple<" else a < b)
    except RecursionError as e:
        print(label, "RecursionError:", e)
print(_nested(lambda x: [x], 50) == _nested(lambda x: [x], 50))
