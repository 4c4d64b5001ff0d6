# try/except/else/finally order, chaining, groups, with.
def f():
    try:
        print("try")
        return 1
    finally:
        print("finally")
print(f())
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e)
else:
    print("no")
try:
    try:
        {}["k"]
    except KeyError as e:
        raise ValueError("bad") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__)
class CM:
    def __enter__(self):
        print("enter"); return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None); return True
with CM() as cm:
    raise RuntimeError("swallowed")
print("after with")
try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
except* ValueError as eg:
    print("values", eg.exceptions)
except* TypeError as eg:
    print("types", eg.exceptions)
try:
    assert 1 == 2, "math"
except AssertionError as e:
    print("assert", e)
