//! Compiled code as bytes, for the import system's bytecode cache (krait's
//! `.pyc`): a module compiled once is loaded from its cache file on later
//! runs until its source changes.
//!
//! A file is a header (magic, the compiler's fingerprint, the source's size
//! and modification time, the body's length and checksum) and a body: the
//! module's `CodeObject`, nested code objects inline. The fingerprint is a
//! hash of this crate's sources and Cargo.lock made at build time
//! (build.rs), so a cache written by any other compiler, or for other
//! source, is never used. `decode` checks every length and tag and returns
//! None on anything it does not expect: a damaged file costs a recompile,
//! never a crash.

use crate::bytecode::Instr;
use crate::code::{CodeObject, Constant, ExceptionEntry, Position};
use dashu_int::ops::UnsignedAbs;
use dashu_int::{IBig, Sign, UBig};

const MAGIC: &[u8; 8] = b"krait\xc0\xde\x01";

/// The compiler's fingerprint (see the module comment).
pub const FINGERPRINT: &str = env!("KRAIT_COMPILER_FINGERPRINT");

/// What a cache file was made from: the source file's size and modification
/// time (nanoseconds since the epoch). A file is used only when both match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceStamp {
    pub size: u64,
    pub mtime_ns: u64,
}

/// Nested code objects and constant tuples deeper than this are refused on
/// decoding (the compiler's own nesting limit keeps real code far below it).
const MAX_DEPTH: u32 = 400;

/// The cache file's bytes for `code`.
pub fn encode(code: &CodeObject, stamp: SourceStamp) -> Vec<u8> {
    let mut body = Writer(Vec::with_capacity(4096));
    body.code(code);
    let mut out = Writer(Vec::with_capacity(body.0.len() + 64));
    out.0.extend_from_slice(MAGIC);
    out.str(FINGERPRINT);
    out.u64(stamp.size);
    out.u64(stamp.mtime_ns);
    out.u64(body.0.len() as u64);
    out.u64(checksum(&body.0));
    out.0.extend_from_slice(&body.0);
    out.0
}

/// The code in a cache file, when the file is whole, was written by this
/// compiler and matches `stamp`.
pub fn decode(data: &[u8], stamp: SourceStamp) -> Option<CodeObject> {
    let mut r = Reader { data, pos: 0 };
    if r.take(MAGIC.len())? != MAGIC || r.str()? != FINGERPRINT {
        return None;
    }
    if r.u64()? != stamp.size || r.u64()? != stamp.mtime_ns {
        return None;
    }
    let len = usize::try_from(r.u64()?).ok()?;
    let sum = r.u64()?;
    let body = r.take(len)?;
    if r.pos != data.len() || checksum(body) != sum {
        return None;
    }
    let mut r = Reader { data: body, pos: 0 };
    let code = r.code(0)?;
    (r.pos == body.len()).then_some(code)
}

/// A hash of the body, a word at a time: catches a truncated or damaged
/// file. Each step is a bijection of the running value, so changing any one
/// word always changes the result.
fn checksum(data: &[u8]) -> u64 {
    const K: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ data.len() as u64;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    for &b in words.remainder() {
        h = (h ^ b as u64).wrapping_mul(K).rotate_left(29);
    }
    h
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    /// Counts, indices and positions: LEB128 (most fit in a byte or two).
    fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn u32(&mut self, v: u32) {
        self.var(v as u64);
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.var(n as u64);
    }
    fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.0.extend_from_slice(v);
    }
    fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        v.iter().for_each(|s| self.str(s));
    }

    fn code(&mut self, c: &CodeObject) {
        self.len(c.code.len());
        for i in &c.code {
            self.u8(i.op_byte());
            self.u32(i.arg());
        }
        self.len(c.positions.len());
        for p in &c.positions {
            [p.line, p.end_line, p.col, p.end_col].into_iter().for_each(|v| self.u32(v));
        }
        self.len(c.consts.len());
        c.consts.iter().for_each(|k| self.constant(k));
        for names in [&c.names, &c.varnames, &c.cellvars, &c.freevars] {
            self.strs(names);
        }
        self.len(c.cell2arg.len());
        c.cell2arg.iter().for_each(|a| self.u32(a.map_or(u32::MAX, |a| a)));
        self.len(c.exception_table.len());
        for e in &c.exception_table {
            [e.start, e.end, e.handler, e.depth, e.lasti as u32].into_iter().for_each(|v| self.u32(v));
        }
        for v in [c.argcount, c.posonlyargcount, c.kwonlyargcount, c.flags, c.stacksize, c.firstlineno] {
            self.u32(v);
        }
        for s in [&c.name, &c.qualname, &c.filename] {
            self.str(s);
        }
        match &c.docstring {
            Some(d) => {
                self.u8(1);
                self.str(d);
            }
            None => self.u8(0),
        }
    }

    fn constant(&mut self, k: &Constant) {
        match k {
            Constant::None => self.u8(b'N'),
            Constant::Bool(b) => self.u8(if *b { b'T' } else { b'F' }),
            Constant::Int(i) => match i64::try_from(i) {
                Ok(small) => {
                    self.u8(b'i');
                    // Zigzag: small negative numbers stay short too.
                    self.var(((small << 1) ^ (small >> 63)) as u64);
                }
                Err(_) => {
                    self.u8(if i.sign() == Sign::Negative { b'-' } else { b'+' });
                    self.bytes(&i.unsigned_abs().to_le_bytes());
                }
            },
            Constant::Float(f) => {
                self.u8(b'f');
                self.u64(f.to_bits());
            }
            Constant::Complex { re, im } => {
                self.u8(b'c');
                self.u64(re.to_bits());
                self.u64(im.to_bits());
            }
            Constant::Str(s) => {
                self.u8(b's');
                self.str(s);
            }
            Constant::SurrogateStr { text, surrogates } => {
                self.u8(b'u');
                self.str(text);
                self.len(surrogates.len());
                for &(at, cp) in surrogates {
                    self.len(at);
                    self.u32(cp as u32);
                }
            }
            Constant::Bytes(b) => {
                self.u8(b'b');
                self.bytes(b);
            }
            Constant::Tuple(items) | Constant::FrozenSet(items) => {
                self.u8(if matches!(k, Constant::Tuple(_)) { b'(' } else { b'{' });
                self.len(items.len());
                items.iter().for_each(|k| self.constant(k));
            }
            Constant::Ellipsis => self.u8(b'.'),
            Constant::Code(c) => {
                self.u8(b'C');
                self.code(c);
            }
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn var(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return (shift < 63 || b <= 1).then_some(v);
            }
        }
        None
    }
    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.var()?).ok()
    }
    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// A count of items each at least `min_size` bytes long: refused when
    /// the rest of the data cannot hold them (no huge allocation from a
    /// damaged length).
    fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.len()?;
        (n.checked_mul(min_size)? <= self.data.len() - self.pos).then_some(n)
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.count(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    fn code(&mut self, depth: u32) -> Option<CodeObject> {
        if depth > MAX_DEPTH {
            return None;
        }
        let n = self.count(2)?;
        let code = (0..n)
            .map(|_| {
                let op = self.u8()?;
                let arg = self.u32().filter(|a| *a <= Instr::ARG_MAX)?;
                Some(Instr(op as u32 | arg << 8))
            })
            .collect::<Option<Vec<_>>>()?;
        let n = self.count(4)?;
        let positions = (0..n)
            .map(|_| Some(Position { line: self.u32()?, end_line: self.u32()?, col: self.u32()?, end_col: self.u32()? }))
            .collect::<Option<Vec<_>>>()?;
        let n = self.count(1)?;
        let consts = (0..n).map(|_| self.constant(depth)).collect::<Option<Vec<_>>>()?;
        let (names, varnames, cellvars, freevars) = (self.strs()?, self.strs()?, self.strs()?, self.strs()?);
        let n = self.count(1)?;
        let cell2arg = (0..n).map(|_| self.u32().map(|a| (a != u32::MAX).then_some(a))).collect::<Option<Vec<_>>>()?;
        let n = self.count(5)?;
        let exception_table = (0..n)
            .map(|_| {
                let (start, end, handler, depth) = (self.u32()?, self.u32()?, self.u32()?, self.u32()?);
                let lasti = match self.u32()? {
                    0 => false,
                    1 => true,
                    _ => return None,
                };
                Some(ExceptionEntry { start, end, handler, depth, lasti })
            })
            .collect::<Option<Vec<_>>>()?;
        let [argcount, posonlyargcount, kwonlyargcount, flags, stacksize, firstlineno] =
            [self.u32()?, self.u32()?, self.u32()?, self.u32()?, self.u32()?, self.u32()?];
        let (name, qualname, filename) = (self.string()?, self.string()?, self.string()?);
        let docstring = match self.u8()? {
            0 => None,
            1 => Some(self.string()?),
            _ => return None,
        };
        Some(CodeObject {
            code,
            positions,
            consts,
            names,
            varnames,
            cellvars,
            freevars,
            cell2arg,
            exception_table,
            argcount,
            posonlyargcount,
            kwonlyargcount,
            flags,
            stacksize,
            name,
            qualname,
            filename,
            firstlineno,
            docstring,
        })
    }

    fn constant(&mut self, depth: u32) -> Option<Constant> {
        Some(match self.u8()? {
            b'N' => Constant::None,
            b'T' => Constant::Bool(true),
            b'F' => Constant::Bool(false),
            b'i' => {
                let z = self.var()?;
                Constant::Int(IBig::from((z >> 1) as i64 ^ -((z & 1) as i64)))
            }
            tag @ (b'+' | b'-') => {
                let magnitude = IBig::from(UBig::from_le_bytes(self.bytes()?));
                Constant::Int(if tag == b'-' { -magnitude } else { magnitude })
            }
            b'f' => Constant::Float(f64::from_bits(self.u64()?)),
            b'c' => Constant::Complex { re: f64::from_bits(self.u64()?), im: f64::from_bits(self.u64()?) },
            b's' => Constant::Str(self.string()?),
            b'u' => {
                let text = self.string()?;
                let n = self.count(2)?;
                let surrogates = (0..n)
                    .map(|_| {
                        let at = self.len()?;
                        let cp = u16::try_from(self.u32()?).ok()?;
                        // The text holds U+FFFD (3 bytes) where each surrogate stands.
                        (text.get(at..at + 3) == Some("\u{fffd}")).then_some((at, cp))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Constant::SurrogateStr { text, surrogates }
            }
            b'b' => Constant::Bytes(self.bytes()?.to_vec()),
            tag @ (b'(' | b'{') => {
                if depth > MAX_DEPTH {
                    return None;
                }
                let n = self.count(1)?;
                let items = (0..n).map(|_| self.constant(depth + 1)).collect::<Option<Vec<_>>>()?;
                if tag == b'(' {
                    Constant::Tuple(items)
                } else {
                    Constant::FrozenSet(items)
                }
            }
            b'.' => Constant::Ellipsis,
            b'C' => Constant::Code(Box::new(self.code(depth + 1)?)),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, Mode};

    const STAMP: SourceStamp = SourceStamp { size: 10, mtime_ns: 20 };

    fn sample() -> CodeObject {
        let src = "import sys\nx = (1, 2.5, 3j, 'a\\ud800b', b'z', 10**30, -10**30, ..., None, True)\n\
                   def f(a, /, b=2, *c, d, **e):\n    '''doc'''\n    def g():\n        return a\n    \
                   try:\n        return g() in {1, 2}\n    except E as err:\n        raise\n\
                   class K:\n    pass\n";
        compile(src, "sample.py", Mode::Exec).unwrap()
    }

    #[test]
    fn round_trip_keeps_everything() {
        let code = sample();
        let bytes = encode(&code, STAMP);
        assert_eq!(decode(&bytes, STAMP), Some(code));
    }

    #[test]
    fn other_source_or_damage_is_refused() {
        let bytes = encode(&sample(), STAMP);
        assert_eq!(decode(&bytes, SourceStamp { size: 11, ..STAMP }), None);
        assert_eq!(decode(&bytes, SourceStamp { mtime_ns: 21, ..STAMP }), None);
        assert_eq!(decode(&bytes[..bytes.len() - 1], STAMP), None);
        for at in [0, 9, bytes.len() / 2, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x40;
            assert_eq!(decode(&bad, STAMP), None, "flipped byte {at}");
        }
        assert_eq!(decode(b"", STAMP), None);
    }

    #[test]
    fn damaged_body_with_matching_checksum_is_refused_not_panicking() {
        // A body of garbage under a valid header: decode must say None.
        let mut body = vec![0xffu8; 64];
        body[0] = 200;
        let mut out = Writer(Vec::new());
        out.0.extend_from_slice(MAGIC);
        out.str(FINGERPRINT);
        out.u64(STAMP.size);
        out.u64(STAMP.mtime_ns);
        out.u64(body.len() as u64);
        out.u64(checksum(&body));
        out.0.extend_from_slice(&body);
        assert_eq!(decode(&out.0, STAMP), None);
    }
}
