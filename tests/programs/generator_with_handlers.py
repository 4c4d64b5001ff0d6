# A generator whose body has `with` and try/except/break inside loops: the
# exception table's stack depths must hold in generator frames too (this is
# what os.walk does).
class CM:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, *exc):
        print("exit", self.name, exc[0].__name__ if exc[0] else None)
        return False

def walker():
    with CM("outer"):
        while True:
            try:
                try:
                    raise StopIteration
                except StopIteration:
                    break
            except OSError:
                return
    yield 1

def handled():
    with CM("h"):
        try:
            raise ValueError("x")
        except ValueError as e:
            yield str(e)
    yield "after"

def suppressing():
    class Suppress(CM):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            return True
    with Suppress("s"):
        yield "in"
        raise KeyError("gone")
    yield "suppressed"

print(list(walker()))
print(list(handled()))
print(list(suppressing()))
g = handled()
print(next(g))
g.close()
