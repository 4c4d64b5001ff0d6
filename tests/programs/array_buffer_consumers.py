# array.array exports its raw bytes to bytes-like consumers.
import struct
from array import array

a = array("B", b"100")
print(int(a), float(array("B", b" 3.14 ")), bytes(a), bytearray(a))
try:
    int(a, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    float(array("B", b"A" * 16))
except ValueError as e:
    print("ValueError:", e)

h = array("H", [1, 2])
print(struct.unpack("<HH", h), struct.unpack_from("<H", h, 2), b"x" + h, int.from_bytes(h, "little"))

buf = array("b", b" " * 10)
struct.pack_into("5s", buf, 0, b"abcde")
struct.Struct("<h").pack_into(buf, 8, -2)
print(buf.tobytes())
for off in (9, -11):
    try:
        struct.pack_into("<h", buf, off, 1)
    except struct.error as e:
        print("struct.error:", e)
try:
    struct.pack_into("<i", bytearray(10), 2**63 - 1, 1)
except struct.error as e:
    print("struct.error:", e)
try:
    struct.unpack_from("<i", bytearray(10), 2**63 - 1)
except struct.error as e:
    print("struct.error:", e)

# memoryview of an array: the array's format, writable, and it pins the
# array's size until released.
a = array("i", [1, 2, 3])
m = memoryview(a)
print(m.format, m.itemsize, m.nbytes, m.readonly, m.tolist(), m[1], m == array("i", [1, 2, 3]), m == [1, 2, 3])
m[0] = 7
m[1:3] = array("i", [8, 9])
print(a, bytes(m[::2]) == array("i", [7, 9]).tobytes())
try:
    m[0:1] = array("h", [1])
except ValueError as e:
    print("ValueError:", e)
for op in (lambda: a.append(4), lambda: a.extend([4]), lambda: a.pop(), lambda: a.remove(7),
           lambda: a.insert(0, 1), lambda: a.fromlist([1]), lambda: a.frombytes(b"\0" * 4),
           lambda: a.__imul__(2), lambda: a.__iadd__(array("i")), lambda: a.__delitem__(0),
           lambda: a.__setitem__(slice(0, 0), array("i", [5]))):
    try:
        op()
    except BufferError as e:
        print("BufferError:", e)
a[0] = 1
a[0:2] = array("i", [5, 6])
print(a, m.tolist())
m.release()
a.append(4)
print(a)
print(memoryview(array("d", [0.5])).tolist(), memoryview(array("B", b"ab")).tobytes())

# Operations that leave the size alone are allowed while a view exists.
a = array("i", [1, 2])
m = memoryview(a)
a.extend([]); a += array("i"); a.fromlist([]); a.frombytes(b""); a *= 1; a[0:1] = array("i", [3])
for op in (lambda: a.remove(99), lambda: a.__imul__(0)):
    try:
        op()
    except (BufferError, ValueError) as e:
        print(type(e).__name__, e)
print(a, m.tolist())

import collections.abc
print(isinstance(array("B"), collections.abc.MutableSequence), issubclass(array, collections.abc.Sequence))
