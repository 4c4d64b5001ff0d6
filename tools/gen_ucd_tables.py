#!/usr/bin/env python3
"""Generate the `unicodedata` tables (names, bidi, combining class, east
asian width, mirrored, decompositions, compositions, aliases and named
sequences) from CPython 3.11's own ``unicodedata`` (Unicode 14.0.0).

Usage (from the repository root):

    python3 tools/gen_ucd_tables.py          # rewrite the generated files
    python3 tools/gen_ucd_tables.py --check  # exit 1 if they are stale

Writes:
  crates/text/src/unicode/ucd_tables.rs  -- property tables (Rust source)
  crates/text/src/unicode/names.bin      -- compressed character names

Name aliases and named sequences cannot be listed through ``unicodedata``;
candidates are read from the Unicode data files found on this machine
(NameAliases.txt, NamedSequences.txt) and each is kept only if CPython's
``unicodedata.lookup`` resolves it to the same text, so the result is exactly
what CPython 3.11 accepts.

Names: CJK unified ideographs and Hangul syllables are computed (as CPython
does); every other name is a sequence of words.  Words are numbered by
falling frequency; a word number below 0xC0 takes one byte, others two.
Names whose last word ends in "-<own code point in hex>" (CJK compatibility,
Khitan, Nushu ...) store only the prefix and a flag.
"""

import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_unicode_tables import splitbins, rust_ty, fmt_array, HEADER  # noqa: E402

assert sys.version_info[:2] == (3, 11), "run with CPython 3.11"
assert unicodedata.unidata_version == "14.0.0"

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT_DIR = os.path.join(ROOT, "crates", "text", "src", "unicode")
TABLES = os.path.join(OUT_DIR, "ucd_tables.rs")
NAMES = os.path.join(OUT_DIR, "names.bin")

ALIAS_FILES = [
    "/usr/share/unicode/NameAliases.txt",
    "/usr/share/unicode-data/NameAliases.txt",
    *sorted(os.path.join(r, f) for r, _, fs in os.walk("/root/.cargo/registry/src")
            for f in fs if f == "NameAliases.txt"),
]
SEQ_FILES = [
    "/usr/share/unicode/NamedSequences.txt",
    "/usr/share/unicode-data/NamedSequences.txt",
    *sorted(os.path.join(r, f) for r, _, fs in os.walk("/usr/share/perl")
            for f in fs if f == "NamedSequences.txt"),
]

BIDI = ["", "L", "R", "AL", "EN", "ES", "ET", "AN", "CS", "NSM", "BN", "B", "S", "WS",
        "ON", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"]
EAW = ["N", "A", "H", "W", "F", "Na"]
TAGS = ["", "<font>", "<noBreak>", "<initial>", "<medial>", "<final>", "<isolated>",
        "<circle>", "<super>", "<sub>", "<vertical>", "<wide>", "<narrow>", "<small>",
        "<square>", "<fraction>", "<compat>"]
ONE_BYTE = 0xC0


def is_algorithmic(cp, name):
    return name.startswith("CJK UNIFIED IDEOGRAPH-") or name.startswith("HANGUL SYLLABLE ")


def ranges_of(cps):
    out = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def collect_names():
    names = {}
    cjk = []
    for cp in range(0x110000):
        n = unicodedata.name(chr(cp), None) if not 0xD800 <= cp <= 0xDFFF else None
        if n is None:
            continue
        if n.startswith("CJK UNIFIED IDEOGRAPH-"):
            assert n == "CJK UNIFIED IDEOGRAPH-%X" % cp
            cjk.append(cp)
        elif n.startswith("HANGUL SYLLABLE "):
            assert 0xAC00 <= cp <= 0xD7A3
        else:
            names[cp] = n
    return names, ranges_of(cjk)


def encode_names(names):
    entries = []
    freq = {}
    for cp, n in sorted(names.items()):
        suffix = "-%04X" % cp
        selfhex = n.endswith(suffix)
        if selfhex:
            n = n[: -len(suffix) + 1]  # keep the '-'
        words = n.split(" ")
        assert all(words) and len(words) < 0x80
        entries.append((cp, selfhex, words))
        for w in words:
            freq[w] = freq.get(w, 0) + 1
    lex = sorted(freq, key=lambda w: (-freq[w], w))
    assert len(lex) < ONE_BYTE + (0x100 - ONE_BYTE) * 0x100
    index = {w: i for i, w in enumerate(lex)}
    lexicon = bytearray()
    word_offs = []
    for w in lex:
        word_offs.append(len(lexicon))
        lexicon += w.encode("ascii")
    word_offs.append(len(lexicon))
    phrases = bytearray()
    cps = []
    offs = []
    for k, (cp, selfhex, words) in enumerate(entries):
        if k % 16 == 0:
            offs.append(len(phrases))
        cps.append(cp)
        phrases.append(len(words) | (0x80 if selfhex else 0))
        for w in words:
            i = index[w]
            if i < ONE_BYTE:
                phrases.append(i)
            else:
                i -= ONE_BYTE
                phrases.append(ONE_BYTE + (i >> 8))
                phrases.append(i & 0xFF)
    return cps, offs, lexicon, word_offs, phrases


def read_aliases():
    for path in ALIAS_FILES:
        if os.path.exists(path):
            break
    else:
        sys.exit("NameAliases.txt not found")
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if not line:
            continue
        cp, alias, _kind = line.split(";")
        cp = int(cp, 16)
        try:
            ok = unicodedata.lookup(alias) == chr(cp)
        except KeyError:
            ok = False
        if ok and unicodedata.name(chr(cp), None) != alias:
            out.append((alias, cp))
    return sorted(out)


def read_sequences():
    for path in SEQ_FILES:
        if os.path.exists(path):
            break
    else:
        sys.exit("NamedSequences.txt not found")
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if not line:
            continue
        name, seq = line.split(";")
        seq = "".join(chr(int(x, 16)) for x in seq.split())
        try:
            ok = unicodedata.lookup(name) == seq
        except KeyError:
            ok = False
        if ok:
            out.append((name, seq))
    return sorted(out)


def collect_props():
    recs = {(0, 0, 0, 0): 0}
    rec_list = [(0, 0, 0, 0)]
    rec_idx = []
    decomp_list = [()]
    decomp_map = {(): 0}
    decomp_idx = []
    for cp in range(0x110000):
        c = chr(cp)
        r = (BIDI.index(unicodedata.bidirectional(c)), unicodedata.combining(c),
             EAW.index(unicodedata.east_asian_width(c)), unicodedata.mirrored(c))
        if r not in recs:
            recs[r] = len(rec_list)
            rec_list.append(r)
        rec_idx.append(recs[r])
        d = unicodedata.decomposition(c)
        if d:
            parts = d.split()
            tag = 0
            if parts[0].startswith("<"):
                tag = TAGS.index(parts[0])
                parts = parts[1:]
            key = (tag, *(int(p, 16) for p in parts))
        else:
            key = ()
        if key not in decomp_map:
            decomp_map[key] = len(decomp_list)
            decomp_list.append(key)
        decomp_idx.append(decomp_map[key])
    return rec_list, rec_idx, decomp_list, decomp_idx


def collect_compositions(decomp_list, decomp_idx):
    """Primary composites: canonical pairs that NFC recomposes."""
    out = []
    for cp in range(0x110000):
        key = decomp_list[decomp_idx[cp]]
        if len(key) == 3 and key[0] == 0:
            pair = chr(key[1]) + chr(key[2])
            if unicodedata.normalize("NFC", pair) == chr(cp):
                out.append((key[1], key[2], cp))
    return sorted(out)


def rust_str(s):
    return '"' + "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "\\u{%x}" % ord(c)
                         for c in s) + '"'


def emit(names_data, cjk, aliases, seqs, props, comps):
    cps, offs, lexicon, word_offs, phrases = names_data
    rec_list, rec_idx, decomp_list, decomp_idx = props
    pyver = "%d.%d.%d" % sys.version_info[:3]
    o = [HEADER.format(pyver=pyver, ucd=unicodedata.unidata_version).replace(
        "gen_unicode_tables.py", "gen_ucd_tables.py")]
    o.append("\n#![allow(clippy::unreadable_literal)]\n\n")
    o.append("pub(super) static BIDI_NAMES: [&str; %d] = [%s];\n" % (
        len(BIDI), ", ".join('"%s"' % b for b in BIDI)))
    o.append("pub(super) static EAW_NAMES: [&str; %d] = [%s];\n" % (
        len(EAW), ", ".join('"%s"' % b for b in EAW)))
    o.append("pub(super) static DECOMP_TAGS: [&str; %d] = [%s];\n\n" % (
        len(TAGS), ", ".join('"%s"' % b for b in TAGS)))
    o.append("/// (bidirectional index, combining class, east asian width index, mirrored).\n")
    o.append("pub(super) static UCD_RECORDS: [(u8, u8, u8, u8); %d] = [\n" % len(rec_list))
    for i in range(0, len(rec_list), 8):
        o.append("    " + ",".join("(%d,%d,%d,%d)" % r for r in rec_list[i:i + 8]) + ",\n")
    o.append("];\n")
    t1, t2, shift = splitbins(rec_idx)
    o.append("pub(super) const UCD_SHIFT: u32 = %d;\n" % shift)
    o.append(fmt_array("UCD_INDEX1", rust_ty(t1), t1))
    o.append(fmt_array("UCD_INDEX2", rust_ty(t2), t2))
    o.append("\n/// Decompositions: at `DECOMP_START[i]`, a header `tag | (len << 8)`\n")
    o.append("/// (tag indexes `DECOMP_TAGS`, 0 = canonical), then `len` code points.\n")
    flat = []
    starts = []
    for key in decomp_list:
        starts.append(len(flat))
        if key:
            flat.append(key[0] | ((len(key) - 1) << 8))
            flat.extend(key[1:])
        else:
            flat.append(0)
    o.append(fmt_array("DECOMP_DATA", "u32", flat, per_line=12))
    o.append(fmt_array("DECOMP_START", rust_ty(starts), starts))
    d1, d2, dshift = splitbins(decomp_idx)
    o.append("pub(super) const DECOMP_SHIFT: u32 = %d;\n" % dshift)
    o.append(fmt_array("DECOMP_INDEX1", rust_ty(d1), d1))
    o.append(fmt_array("DECOMP_INDEX2", rust_ty(d2), d2))
    o.append("\n/// Primary composites (first, second, composed), sorted.\n")
    o.append("pub(super) static COMPOSITIONS: [(u32, u32, u32); %d] = [\n" % len(comps))
    for i in range(0, len(comps), 6):
        o.append("    " + ",".join("(0x%x,0x%x,0x%x)" % c for c in comps[i:i + 6]) + ",\n")
    o.append("];\n\n")
    o.append("/// Inclusive ranges named \"CJK UNIFIED IDEOGRAPH-<hex>\".\n")
    o.append("pub(super) static CJK_RANGES: [(u32, u32); %d] = [%s];\n\n" % (
        len(cjk), ", ".join("(0x%x, 0x%x)" % tuple(r) for r in cjk)))
    o.append("/// Name aliases accepted by `lookup` (sorted by alias).\n")
    o.append("pub(super) static ALIASES: [(&str, u32); %d] = [\n" % len(aliases))
    for a, cp in aliases:
        o.append("    (%s, 0x%x),\n" % (rust_str(a), cp))
    o.append("];\n\n")
    o.append("/// Named sequences accepted by `lookup` (sorted by name).\n")
    o.append("pub(super) static NAMED_SEQUENCES: [(&str, &str); %d] = [\n" % len(seqs))
    for n, s in seqs:
        o.append("    (%s, %s),\n" % (rust_str(n), rust_str(s)))
    o.append("];\n\n")
    o.append("// Layout of names.bin: the byte offsets of its parts.\n")
    blob_parts = [("NAME_CPS", len(cps) * 4), ("NAME_OFFS", len(offs) * 4),
                  ("WORD_OFFS", len(word_offs) * 4), ("LEXICON", len(lexicon)),
                  ("PHRASES", len(phrases))]
    pos = 0
    for name, size in blob_parts:
        o.append("pub(super) const %s: (usize, usize) = (%d, %d);\n" % (name, pos, pos + size))
        pos += size
    o.append("pub(super) const NAME_COUNT: usize = %d;\n" % len(cps))
    o.append("pub(super) const ONE_BYTE_WORDS: u8 = 0x%x;\n" % ONE_BYTE)
    blob = bytearray()
    for seq in (cps, offs, word_offs):
        for x in seq:
            blob += x.to_bytes(4, "little")
    blob += lexicon
    blob += phrases
    return "".join(o), bytes(blob)


def main():
    check = "--check" in sys.argv
    names, cjk = collect_names()
    names_data = encode_names(names)
    props = collect_props()
    comps = collect_compositions(props[2], props[3])
    src, blob = emit(names_data, cjk, read_aliases(), read_sequences(), props, comps)
    if check:
        stale = open(TABLES).read() != src or open(NAMES, "rb").read() != blob
        sys.exit(1 if stale else 0)
    with open(TABLES, "w") as f:
        f.write(src)
    with open(NAMES, "wb") as f:
        f.write(blob)
    print("wrote %s (%d bytes), %s (%d bytes)" % (TABLES, len(src), NAMES, len(blob)))


if __name__ == "__main__":
    main()
