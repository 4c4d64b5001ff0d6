# Generators: yield, send, yield from, return values, expressions.
def gen(n):
    for i in range(n):
        x = yield i
        if x:
            print("got", x)
    return "done"
g = gen(3)
print(next(g), g.send("hello"), next(g))
try:
    next(g)
except StopIteration as e:
    print("stop", e.value)
def outer():
    r = yield from gen(2)
    print("inner returned", r)
    yield 99
print(list(outer()))
print(sum(x * x for x in range(10)), list(i for i in "abc"))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
it = fib()
print([next(it) for _ in range(10)])
def closer():
    try:
        yield 1
    finally:
        print("closed")
c = closer()
next(c)
c.close()
