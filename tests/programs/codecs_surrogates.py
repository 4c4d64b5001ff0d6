# Lone surrogates through the _codecs functions, the escape codecs and UTF-7.
import codecs

s = "abc\ud800def"
for enc in ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32-be"]:
    print(enc, s.encode(enc, "surrogatepass"))
    try:
        s.encode(enc)
    except UnicodeEncodeError as e:
        print(" ", e.start, e.end, e.reason)
print(codecs.utf_8_encode("x\udcff", "surrogateescape"))
print(codecs.latin_1_encode("x\udcff\u20ac", "replace"))

# surrogateescape escapes what it can and reports the rest of the run
for enc in ["utf-8", "latin-1", "ascii"]:
    try:
        "[\udc80\ud800\udfff]".encode(enc, "surrogateescape")
    except UnicodeEncodeError as e:
        print(enc, e.start, e.end, ascii(e.object[e.start:e.end]))

for enc in ["unicode-escape", "raw-unicode-escape", "utf-7"]:
    b = "a\ud901b\udc02\U00010400".encode(enc)
    print(enc, b, ascii(b.decode(enc)))
print(ascii(b"a+2AE-b".decode("utf-7")), ascii(b"a+IKzYAQ-b".decode("utf-7")))
print("\ud801\udca0".encode("utf-7"))
print(ascii(b"\\ud800\\U0000dfff".decode("unicode-escape")))

# An incremental decoder waits for the rest of a split surrogate.
for enc in ["utf-8", "utf-8-sig", "unicode-escape", "raw-unicode-escape", "utf-7", "utf-16-le"]:
    data = "\ud901".encode(enc, "surrogatepass")
    for i in range(1, len(data)):
        dec = codecs.getincrementaldecoder(enc)("surrogatepass")
        print(enc, i, ascii(dec.decode(data[:i])), ascii(dec.decode(data[i:], True)))

# Invalid escapes decode as they are, with a DeprecationWarning for the first.
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(codecs.escape_decode(b"\\\xfa\\q"), codecs.escape_decode(rb"\777\8"))
    print(codecs.unicode_escape_decode(rb"\8\9"), codecs.unicode_escape_decode(rb"[\777]"))
    print(codecs.raw_unicode_escape_decode(rb"\q"), b"\\z".decode("unicode-escape"))
    print(codecs.unicode_escape_decode(r"\u20ac\t"), codecs.raw_unicode_escape_decode("\\u20ac"))
for x in w:
    print(x.category.__name__, x.message)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        codecs.escape_decode(rb"\d")
    except DeprecationWarning as e:
        print("raised", e)

# Table codecs (charmap) take lone surrogates to the error handler too.
print("foo\udca5bar".encode("iso-8859-3", "surrogateescape"), "\udca5".encode("cp1252", "surrogateescape"))
for errors in ["strict", "surrogateescape", "replace", "backslashreplace", "xmlcharrefreplace", "namereplace", "ignore"]:
    try:
        print(errors, "a\ud800\u20ac\udc80b".encode("iso-8859-3", errors), "x\udcff".encode("latin-1", errors))
    except UnicodeEncodeError as e:
        print(errors, e.encoding, e.start, e.end, e.reason)
codecs.register_error("t.cp", lambda e: ("\udcc3" if e.start == 1 else "?", e.end))
for s in ["a\u20acb\u0100", "ab\u0100"]:
    try:
        print(s.encode("latin-1", "t.cp"))
    except UnicodeEncodeError as e:
        print(e.start, e.end, e.reason)
