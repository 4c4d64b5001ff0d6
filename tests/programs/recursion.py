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
