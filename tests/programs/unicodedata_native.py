# unicodedata (Unicode 14.0.0) as CPython 3.11 gives it.
import unicodedata as ud

print(ud.unidata_version, ud.ucd_3_2_0.unidata_version, type(ud.ucd_3_2_0).__name__)
for c in "aÅé\u0301€😀日\uac01\uf900\U00018b00 ½²\u2028\u05d0(":
    print(hex(ord(c)), ud.name(c, "?"), ud.category(c), ud.bidirectional(c), ud.combining(c),
          ud.east_asian_width(c), ud.mirrored(c), repr(ud.decomposition(c)))
print(ud.name("\x00", "no name"), ud.name("\U00017000", None))
for n in ["LATIN SMALL LETTER A", "latin small letter e with acute", "CJK UNIFIED IDEOGRAPH-4E00",
          "HANGUL SYLLABLE GAG", "LATIN CAPITAL LETTER GHA", "BYTE ORDER MARK", "SNOWMAN",
          "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE", "KHITAN SMALL SCRIPT CHARACTER-18B00"]:
    print(n, "->", ascii(ud.lookup(n)))
for n in ["NOT A NAME", "CJK UNIFIED IDEOGRAPH-4e00", "x" * 300]:
    try:
        ud.lookup(n)
    except KeyError as e:
        print("KeyError:", e)
print("\N{BULLET} \N{LATIN SMALL LETTER SHARP S}")
print(ud.decimal("7"), ud.decimal("٣"), ud.digit("²"), ud.numeric("½"), ud.numeric("Ⅻ"), ud.numeric("万"))
print(ud.decimal("x", -1), ud.digit("x", None), ud.numeric("x", 0.0))
for f, arg in [(ud.decimal, "x"), (ud.digit, "½"), (ud.numeric, "x"), (ud.name, "\x01")]:
    try:
        f(arg)
    except ValueError as e:
        print("ValueError:", e)
for bad in ["ab", "", 5]:
    try:
        ud.category(bad)
    except TypeError as e:
        print("TypeError:", e)
    try:
        ud.name(bad)
    except TypeError as e:
        print("TypeError:", e)
s = "Åffine ﬁ ① Ｈ \u1e9b\u0323 한국어 e\u0301 \u0958 ǅ"
for form in ["NFC", "NFD", "NFKC", "NFKD"]:
    n = ud.normalize(form, s)
    print(form, ascii(n), len(n), ud.is_normalized(form, s), ud.is_normalized(form, n))
try:
    ud.normalize("nfc", "x")
except ValueError as e:
    print("ValueError:", e)
print(ud.ucd_3_2_0.category("a"), ud.ucd_3_2_0.normalize("NFC", "e\u0301"), ud.ucd_3_2_0.name("a"))
# Every assigned BMP letter has a name that looks itself up.
bad = [c for c in map(chr, range(0x20, 0x3000)) if ud.name(c, None) and ud.lookup(ud.name(c)) != c]
print("round trip failures:", bad)
print(sum(1 for c in map(chr, [*range(0xD800), *range(0xE000, 0x110000)]) if ud.name(c, None)))
print(sum(ud.combining(chr(c)) for c in [*range(0xD800), *range(0xE000, 0x110000)]), sum(ud.mirrored(chr(c)) for c in [*range(0xD800), *range(0xE000, 0x110000)]))
