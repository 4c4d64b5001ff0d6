# zip and enumerate over builtin iterators (stepped directly) and over
# anything else (generators, user iterators, iterators that raise or stop
# early), with strict zip errors and StopIteration from a user __next__.


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n


class Boom:
    def __iter__(self):
        return self

    def __next__(self):
        raise KeyError("boom")


def gen(n):
    for i in range(n):
        yield i * i


print(list(zip([1, 2, 3], (4, 5, 6), "abc", range(3), gen(3), Countdown(3))))
print(list(zip([1, 2, 3], Countdown(2))))
print(list(zip(Countdown(5), gen(2))))
print(list(enumerate(Countdown(3), 10)), list(enumerate(gen(3), -1)))
print(list(enumerate({"a": 1, "b": 2}.items())))
print(list(zip({1: 2, 3: 4}, {5, 6} and [7, 8], reversed([9, 10]))))
for i, (a, b) in enumerate(zip("xy", gen(5))):
    print(i, a, b)
try:
    list(zip([1, 2], Boom()))
except KeyError as e:
    print("KeyError", e)
try:
    list(enumerate(Boom()))
except KeyError as e:
    print("KeyError", e)
try:
    list(zip([1, 2, 3], gen(2), strict=True))
except ValueError as e:
    print("ValueError:", e)
try:
    list(zip(Countdown(1), [1, 2], [3, 4], strict=True))
except ValueError as e:
    print("ValueError:", e)
print(list(zip(gen(2), Countdown(2), strict=True)))

# The list changes while zip walks it.
xs = [1, 2, 3]
out = []
for a, b in zip(xs, xs):
    if len(xs) < 6:
        xs.append(a * 10)
    out.append((a, b))
print(out, xs)

# A kept result tuple is not reused.
z = zip([1, 2], [3, 4])
first = next(z)
second = next(z)
print(first, second, first is second)
e = enumerate(gen(3))
kept = [next(e), next(e)]
print(kept, kept[0] is kept[1], next(e, None), next(e, None))
big = 2**63 - 2
print(list(enumerate("abc", big)))
