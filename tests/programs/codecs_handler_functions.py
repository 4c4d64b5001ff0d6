# The standard error handlers called directly, with lone surrogates in play.
import codecs

enc = UnicodeEncodeError("ascii", "a\ud800\udfff\u20acb", 1, 4, "ouch")
for name in ["backslashreplace", "xmlcharrefreplace", "namereplace", "replace", "ignore"]:
    print(name, ascii(codecs.lookup_error(name)(enc)))
tr = UnicodeTranslateError("a\ud800b", 1, 2, "ouch")
print(ascii(codecs.backslashreplace_errors(tr)), ascii(codecs.replace_errors(tr)))

print(codecs.lookup_error("surrogateescape")(UnicodeEncodeError("utf-8", "a\udc80\udcffb", 1, 3, "ouch")))
print(ascii(codecs.lookup_error("surrogateescape")(UnicodeDecodeError("utf-8", b"a\x80\xff\xfe\xfd\xfcb", 1, 6, "ouch"))))
for e in [UnicodeEncodeError("utf-8", "a\ud800b", 1, 2, "ouch"), UnicodeEncodeError("ascii", "a\udc80b", 1, 2, "ouch"),
          UnicodeDecodeError("utf-8", b"a\x41", 1, 2, "ouch"), UnicodeTranslateError("\udc80", 0, 1, "ouch")]:
    try:
        print(ascii(codecs.lookup_error("surrogateescape")(e)))
    except (UnicodeError, TypeError) as x:
        print(type(x).__name__, x)

sp = codecs.lookup_error("surrogatepass")
for e in [UnicodeEncodeError("utf-8", "a\ud800\udfffb", 1, 3, "ouch"), UnicodeEncodeError("utf-16-le", "a\ud800b", 1, 2, "ouch"),
          UnicodeEncodeError("utf-32", "a\ud800b", 1, 2, "ouch"), UnicodeDecodeError("utf-8", b"a\xed\xa0\x80b", 1, 2, "ouch"),
          UnicodeDecodeError("utf-16-be", b"\xd8\x00", 0, 2, "ouch"), UnicodeEncodeError("latin-1", "a\ud800b", 1, 2, "ouch"),
          UnicodeEncodeError("utf-8", "a\u20acb", 1, 2, "ouch"), UnicodeDecodeError("utf-8", b"a\xc3", 1, 2, "ouch")]:
    try:
        print(ascii(sp(e)))
    except (UnicodeError, TypeError) as x:
        print(type(x).__name__, x)

class BadObject(UnicodeEncodeError):
    def __init__(self):
        UnicodeEncodeError.__init__(self, "ascii", "", 0, 1, "bad")
        self.object = 1

for f in [codecs.replace_errors, codecs.backslashreplace_errors, codecs.xmlcharrefreplace_errors]:
    try:
        f(BadObject())
    except TypeError as x:
        print("TypeError", x)

# A UTF encoder takes only ASCII text, and whole code units of bytes, from a handler.
def handle(exc):
    return (repl, exc.end)

codecs.register_error("t.repl", handle)
for enc, repl in [("utf-8", "\U0001f40d"), ("utf-16", "\u20ac"), ("utf-32-le", "\xe9"), ("utf-8", "ok"),
                  ("utf-16-le", b"a"), ("utf-16-be", b"ab"), ("utf-32-be", b"abc"), ("utf-32-le", b"abcd"),
                  ("latin-1", "\xbd"), ("latin-1", "\u20ac")]:
    try:
        print(enc, ascii(repl), "[\udc80]".encode(enc, "t.repl"))
    except UnicodeEncodeError as e:
        print(enc, ascii(repl), "error", e.start, e.end, ascii(e.object))
