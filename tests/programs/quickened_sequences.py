# Instruction sequences the VM runs as one (eval/quicken.rs): each must
# behave exactly as its plain instructions, including errors and tracebacks.
import sys, traceback

def arith(a, b):
    return (a + b, a - b, a * b, a % b, a // b, a / b,
            a + 1, a - 1, a * 2, a % 3, a // 3, a / 4)

def bits(a, b):
    return a & b, a | b, a ^ b, a & 1, a | 8, a ^ 5

for a, b in [(7, 3), (-7, 3), (7, -3), (2**62, 4), (-2**63, 1), (1.5, 0.25), (3, 2.0), (True, 1)]:
    print(arith(a, b))
    if type(a) is not float and type(b) is not float:
        print(bits(a, b))
try:
    bits(1.5, 1)
except TypeError as e:
    print("TypeError:", e)
try:
    arith(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(arith(2**63 - 1, 2**63 - 1)[:3])   # overflow goes to big ints

def second_unbound(flag):
    if flag:
        y = 1
    x = 2
    return x, y          # LOAD_FAST x; LOAD_FAST y with y unset

print(second_unbound(True))
try:
    second_unbound(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)

def first_unbound(flag):
    if flag:
        y = 1
    return y + 1

try:
    first_unbound(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)

def subscripts(seq):
    return seq[0], seq[-1], seq[1]

print(subscripts([1, 2, 3]), subscripts((4, 5)), subscripts("xyz"), subscripts({0: "a", -1: "b", 1: "c"}))
try:
    subscripts([9])
except IndexError as e:
    print("IndexError:", e)

class P:
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x

def attrs(p):
    q = p
    return q.x, q.get(), p.x + 1

print(attrs(P(5)))
try:
    attrs(object())
except AttributeError as e:
    print("AttributeError:", e)

def unpack(pairs):
    total = 0
    for a, b in pairs:     # STORE_FAST a; STORE_FAST b
        total += a * b
    x, y = y, x = 1, 2
    return total, x, y

print(unpack([(1, 2), (3, 4)]))

def loop_into_middle(n):
    # The loop's jumps land on instructions that follow a quickened one.
    i = 0
    acc = 0
    while i < n:
        acc = acc + i
        i = i + 1
    return acc, i

print(loop_into_middle(10))

def traced(p):
    return p.missing

try:
    traced(P(1))
except AttributeError:
    tb = traceback.format_exc().splitlines()
    print("\n".join(line for line in tb if "File" not in line))

class Cmp:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        print("Cmp.__lt__")
        return self.v < other

def compares(a, b):
    r = [a < b, a <= 2, a == b, a != 3, a > b, a >= 1.5]
    if a < b:
        r.append("lt")
    if not a < 2:
        r.append("ge2")
    while a < b:
        a += 1
    r.append(a)
    return r

for a, b in [(1, 2), (3, 2), (2.5, 3), (float("nan"), 1.0), (2, 2.0), (True, 2)]:
    print(compares(a, b))
print(compares("a", "b") if False else None)
def strcmp(s, t):
    return s < t, s == "x", s != t, "m" < s
print(strcmp("x", "y"), strcmp("é", "e"))
def objcmp(o):
    return o < 5
print(objcmp(Cmp(3)))
try:
    compares("a", 1)
except TypeError as e:
    print("TypeError:", e)
