# str/bytes operations that return their operand, and constructor corner cases.
a = "123abc1@"
print(a * 1 is a, 1 * a is a, a * 2 is a, a * 0 is a, "".join([a]) is a)
b = b"123abc1@"
print(b * 1 is b, 1 * b is b, b * 2 is b)

class S(str):
    def __str__(self):
        return "__str__ overridden"

s = S("xxx")
print("{}".format(s), "%s" % s, format(s), f"{s}", "{:>5}".format(s))
j = "".join([s])
print(j is s, type(j).__name__, j)

class SB(bytes):
    pass

print(type(SB(b"x") * 1).__name__, type(bytearray(b"x") * 1).__name__)

# surrogates survive repetition; a lone surrogate is not printable
r = "a\ud800" * 3
print(ascii(r), len(r), "\ud800".isprintable(), "a\udfffb".isprintable(), "\ufffd".isprintable())

try:
    ("{%d:.6f}" % 2**63).format(2.34)
except ValueError as e:
    print("ValueError", e)

# __bytes__ wins over the str path; bytes() returns its result as is
class StrWithBytes(str):
    def __new__(cls, value):
        self = str.__new__(cls, "\u20ac")
        self.value = value
        return self

    def __bytes__(self):
        return self.value

print(bytes(StrWithBytes(b"abc")), bytes(StrWithBytes(b"abc"), "iso8859-15"))
print(type(bytes(StrWithBytes(SB(b"abc")))).__name__, type(SB(StrWithBytes(b"abc"))).__name__)

class Bad:
    def __bytes__(self):
        return "no"

try:
    bytes(Bad())
except TypeError as e:
    print("TypeError", e)

# an item's __index__ changing the list being read
class X:
    def __index__(self):
        a.clear()
        return 42

a = [X(), X()]
print(bytes(a), bytearray(a))

class Y:
    def __index__(self):
        if len(a) < 10:
            a.append(self)
        return 42

a = [Y()]
print(bytes(a))
