# A custom decode error handler that replaces exc.object: decoding goes on in the new bytes (it used to loop forever).
import codecs
def replacing(exc):
    if isinstance(exc, UnicodeDecodeError):
        exc.object = 42
        return ("\u4242", 0)
    else:
        raise TypeError("don't know how to handle %r" % exc)
codecs.register_error("test.replacing", replacing)
for (encoding, data) in [("ascii", b"\xff"), ("utf-8", b"\xff"), ("utf-16","\xff"), ("utf-32", b"\xff")]:
    try:
        print(repr(data.decode(encoding, "test.replacing") if isinstance(data, bytes) else data.encode().decode(encoding, "test.replacing")))
    except Exception as e:
        print(type(e).__name__, e)

def mutating(exc):
    if isinstance(exc, UnicodeDecodeError):
        exc.object = b""
        return ("\u4242", 0)
    else:
        raise TypeError("don't know how to handle %r" % exc)
codecs.register_error("test.mutating", mutating)
for (encoding, data) in [("ascii", b"\xff"), ("utf-8", b"\xff"), ("utf-16", b"\xff"), ("utf-32", b"\xff"), ("latin-1", b"a"), ("unicode-escape", b"\\x"), ("raw-unicode-escape", b"\\u12"), ("utf-7", b"+\xff"), ("charmap", b"\xff")]:
    try:
        print(encoding, repr(data.decode(encoding, "test.mutating")))
    except Exception as e:
        print(encoding, type(e).__name__, e)
