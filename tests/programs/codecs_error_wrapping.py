# A codec's own exception is wrapped with the operation and codec name when
# it carries nothing but a message; anything else passes through untouched.
import codecs

to_raise = None


def raiser(*args):
    raise to_raise


def search(name):
    if name == "wrap_test":
        return codecs.CodecInfo(raiser, raiser, name="wrap_test")


codecs.register(search)


class Sub(RuntimeError):
    pass


class Slotted(RuntimeError):
    __slots__ = ()


class WithSlot(RuntimeError):
    __slots__ = ("x",)


class CustomInit(RuntimeError):
    def __init__(self):
        pass


with_attr = RuntimeError("has attr")
with_attr.attr = 1

for exc in [RuntimeError, RuntimeError("msg"), Sub("sub"), Slotted("slotted"), KeyError("k"), ValueError(),
            WithSlot("ws"), CustomInit, with_attr, RuntimeError(1), RuntimeError("a", "b"),
            OSError("os"), StopIteration("si"), AttributeError("ae")]:
    to_raise = exc
    for call in [lambda: "x".encode("wrap_test"), lambda: codecs.encode("x", "wrap_test"),
                 lambda: b"x".decode("wrap_test"), lambda: codecs.decode(b"x", "wrap_test")]:
        try:
            call()
        except Exception as e:
            cause = e.__cause__
            print(type(e).__name__, repr(str(e)), type(cause).__name__ if cause else None,
                  cause is not None and cause.__traceback__ is not None, e.__suppress_context__)

try:
    "x".encode("no_such_codec_here")
except LookupError as e:
    print("LookupError", e, e.__cause__)

import binascii
try:
    codecs.decode(b"zz", "hex")
except binascii.Error as e:
    print(type(e).__name__, e, type(e.__cause__).__name__)
