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
