# object.__reduce_ex__ finds __getnewargs_ex__/__getnewargs__ on the type
# (an instance __getattr__ is not asked) and checks what they return.
import copyreg


class Picky:
    def __getstate__(self):
        return {}

    def __getattr__(self, attr):
        if attr in ("__getnewargs__", "__getnewargs_ex__"):
            raise AssertionError(attr)
        return None


for proto in range(6):
    r = Picky().__reduce_ex__(proto)
    print(proto, r[0].__name__, r[1][0].__name__, r[2] if proto >= 2 else r[1][1:])


def make(ret):
    class C:
        def __getnewargs_ex__(self):
            return ret
    return C


for ret in [((), "bad dict"), ("bad tuple", {}), (), "bad args", ((1,), {"a": 2}, 3)]:
    try:
        print(make(ret)().__reduce_ex__(2)[:2])
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)


class Args:
    def __init__(self, *a, **k):
        self.a, self.k = a, k

    def __getnewargs_ex__(self):
        return (self.a, self.k)


r = Args(1, 2, x=3).__reduce_ex__(2)
print(r[0] is copyreg.__newobj_ex__, r[1][1:], r[2])
r = Args(1, 2).__reduce_ex__(4)
print(r[0] is copyreg.__newobj__, r[1][1:])


class OldArgs:
    def __getnewargs__(self):
        return [1]


try:
    OldArgs().__reduce_ex__(2)
except TypeError as e:
    print(e)
