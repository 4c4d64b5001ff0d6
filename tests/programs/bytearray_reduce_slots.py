# bytearray pickling carries __getstate__(): the __dict__ and slot values of a subclass.
import copy
import pickle


class B(bytearray):
    __slots__ = ("x", "y", "__dict__")


class D(bytearray):
    pass


b = B(b"ab")
b.x = 10
b.z = 3
print(b.__reduce_ex__(2), b.__reduce_ex__(4), b.__reduce__())
print(bytearray(b"a").__reduce_ex__(2), bytearray().__reduce_ex__(3), bytearray(b"q").__reduce__())
d = D(b"xy")
d.k = 1
print(d.__reduce_ex__(3))
c = copy.copy(b)
print(c, c.x, c.z, hasattr(c, "y"))
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    e = pickle.loads(pickle.dumps(b, proto))
    print(proto, type(e).__name__, e, e.x, e.z)
