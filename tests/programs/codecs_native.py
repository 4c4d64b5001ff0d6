# The _codecs module through CPython's codecs.py and encodings package.
import codecs

text = "Grüße €5 ☃"
for enc in ["cp1252", "cp437", "koi8_r", "mac_roman", "iso8859_15", "iso8859-5", "utf-8-sig", "utf_7", "utf-16", "UTF-32-BE", "latin-1"]:
    try:
        data = text.encode(enc)
        print(enc, data, data.decode(enc) == text)
    except UnicodeEncodeError as e:
        print(enc, "UnicodeEncodeError:", e, e.start, e.end)
print("cp1252 replace:", "a☃b".encode("cp1252", "replace"), b"\x81\x80".decode("cp1252", "replace"))
try:
    b"\x81".decode("cp1252")
except UnicodeDecodeError as e:
    print("cp1252 decode:", e)
print("koi8_r:", "Привет".encode("koi8_r"), b"\xf0\xd2\xc9".decode("koi8-r"))
print("unicode_escape:", "a\té\u20ac\U0001F600\\".encode("unicode_escape"), b"a\\tb\\x41\\u20ac\\N{BULLET}\\101".decode("unicode_escape"))
print("raw_unicode_escape:", "aé€".encode("raw_unicode_escape"), b"\\u20ac\\x41".decode("raw_unicode_escape"))
print("escape:", codecs.escape_encode(b"a'\n\x00\xff"), codecs.escape_decode(b"a\\n\\x41\\'"))
try:
    codecs.escape_decode(b"\\x4")
except ValueError as e:
    print("escape_decode:", e)
try:
    b"\\x4".decode("unicode_escape")
except UnicodeDecodeError as e:
    print("unicode_escape error:", e)
print("utf-7:", "Hi Mom -☺-!".encode("utf-7"), b"Hi Mom -+Jjo--!".decode("utf-7"), "a+b".encode("utf-7"))
print("lookup:", codecs.lookup("UTF8").name, codecs.lookup("latin1").name, codecs.lookup("windows-1252").name)
try:
    codecs.lookup("no-such-codec")
except LookupError as e:
    print("LookupError:", e)
try:
    "x".encode("rot13")
except LookupError as e:
    print("LookupError:", e)
print("rot13:", codecs.encode("Hello", "rot13"), codecs.decode("Uryyb", encoding="rot_13"))
# Incremental decoders honour `final`.
dec = codecs.getincrementaldecoder("utf-8")()
parts = [dec.decode(bytes([b])) for b in "é€😀".encode()]
print("incremental utf-8:", parts, repr(dec.decode(b"", final=True)))
dec = codecs.getincrementaldecoder("utf-16")()
print("incremental utf-16:", [dec.decode(bytes([b])) for b in "hé".encode("utf-16")])
dec = codecs.getincrementaldecoder("utf-8")(errors="strict")
dec.decode(b"\xe2\x82")
try:
    dec.decode(b"", final=True)
except UnicodeDecodeError as e:
    print("final:", e)
enc = codecs.getincrementalencoder("utf-16")()
print("incremental encoder:", enc.encode("a"), enc.encode("b"))
print("utf_8_decode:", codecs.utf_8_decode(b"a\xe2\x82", "strict", False), codecs.utf_8_decode(b"a\xe2\x82\xff", "replace", False))
print("utf_16_ex_decode:", codecs.utf_16_ex_decode(b"\xfe\xff\x00a", "strict", 0, True), codecs.utf_16_ex_decode(b"\xfe", "strict", 0, False))
print("utf_16_encode:", codecs.utf_16_encode("a"), codecs.utf_16_encode("a", "strict", 1), codecs.utf_16_encode("a", "strict", -1))
print("charmap:", codecs.charmap_decode(b"\x00\x01\x02", "strict", "abc"), codecs.charmap_encode("ab", "strict", {97: 1, 98: b"xy"}))
print("small charmap_build:", codecs.charmap_build("abc"))
m = codecs.charmap_build("".join(map(chr, range(256))).replace("z", "\ufffe"))
print("charmap_build:", type(m).__name__, m.size(), codecs.charmap_encode("cab", "strict", m))
try:
    codecs.charmap_encode("abz", "strict", m)
except UnicodeEncodeError as e:
    print("charmap error:", e)
print("readbuffer:", codecs.readbuffer_encode(b"xyz"), codecs.latin_1_decode(b"\xe9"), codecs.ascii_encode("abc"))
# Error handlers: the standard ones and custom ones.
print("handlers:", codecs.lookup_error("strict").__name__, codecs.lookup_error("replace").__name__)
def myhandler(exc):
    return ("<%s>" % ascii(exc.object[exc.start:exc.end]), exc.end)
codecs.register_error("krait.test", myhandler)
print("custom encode:", "aé☃b".encode("ascii", "krait.test"), "x€y".encode("cp1252", "krait.test"))
def dechandler(exc):
    return ("[%d-%d]" % (exc.start, exc.end), exc.end)
codecs.register_error("krait.dec", dechandler)
print("custom decode:", b"a\xffb\xc3".decode("utf-8", "krait.dec"), b"\x81x".decode("cp1252", "krait.dec"))
try:
    codecs.lookup_error("nope")
except LookupError as e:
    print("LookupError:", e)
try:
    "é".encode("ascii", "nope")
except LookupError as e:
    print("LookupError:", e)
print("namereplace:", "a€é😀".encode("ascii", "namereplace"), "x\u20acy".encode("latin-1", "xmlcharrefreplace"))
print("replace_errors:", codecs.replace_errors(UnicodeEncodeError("ascii", "aéé", 1, 3, "r")))
print("backslashreplace_errors:", codecs.backslashreplace_errors(UnicodeDecodeError("utf-8", b"a\xff", 1, 2, "r")))
try:
    codecs.xmlcharrefreplace_errors(UnicodeDecodeError("utf-8", b"a\xff", 1, 2, "r"))
except TypeError as e:
    print("TypeError:", e)
# A search function of our own.
def search(name):
    if name == "krait_upper":
        return codecs.CodecInfo(lambda s, errors="strict": (s.upper().encode(), len(s)),
                                lambda b, errors="strict": (bytes(b).decode().lower(), len(b)), name="krait_upper")
codecs.register(search)
print("own codec:", "abc".encode("krait-upper"), b"XYZ".decode("Krait Upper"), codecs.lookup("krait_upper").name)
codecs.unregister(search)
# codecs.open and StreamReader/Writer.
import os, tempfile
path = os.path.join(tempfile.mkdtemp(), "t.txt")
with codecs.open(path, "w", encoding="cp1252") as f:
    f.write("café €\n")
with open(path, "rb") as f:
    print("codecs.open wrote:", f.read())
with codecs.open(path, "r", encoding="cp1252") as f:
    print("codecs.open read:", repr(f.read()))
with open(path, "w", encoding="koi8-r") as f:
    f.write("Мир\n")
with open(path, encoding="koi8-r") as f:
    print("TextIOWrapper koi8-r:", repr(f.read()))
with open(path, "rb") as f:
    print("raw:", f.read())
os.remove(path)
print("str(b, enc):", str(b"\xe9", "cp1252"), bytes("é", "cp437"), bytearray("é", "mac_roman"))
