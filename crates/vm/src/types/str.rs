//! `str`: immutable text that knows its length in code points, so ASCII text
//! indexes and slices in O(1); its hash is computed once.
//! (The Python-visible methods of str live in `str_methods.rs`.)

use std::cell::Cell;
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::OnceLock;

/// The SipHash key for str/bytes hashes (from PYTHONHASHSEED, see `set_hash_key`).
static HASH_KEY: OnceLock<(u64, u64)> = OnceLock::new();

/// Fixes the hash key; called once at VM start. Later calls are ignored.
pub fn set_hash_key(k0: u64, k1: u64) {
    let _ = HASH_KEY.set((k0, k1));
}

/// SipHash-1-3 of a byte string as CPython computes `hash()` of str and bytes.
pub fn siphash_bytes(data: &[u8]) -> i64 {
    use std::hash::Hasher;
    let (k0, k1) = *HASH_KEY.get_or_init(|| (0, 0));
    if data.is_empty() {
        return 0;
    }
    let mut h = siphasher::sip::SipHasher13::new_with_keys(k0, k1);
    h.write(data);
    let v = h.finish() as i64;
    if v == -1 { -2 } else { v }
}

pub struct PyStr {
    /// The UTF-8 text: right after the object in its own allocation (exact
    /// strs, see `PyRef::new_str`), or a `Box<str>` this payload owns
    /// (the builtin base of str subclass instances).
    ptr: NonNull<u8>,
    /// Length in bytes, with `INLINE` set when the text lives after the object.
    len_bits: usize,
    /// Length in code points; equals the byte length exactly when the text is ASCII.
    char_len: usize,
    /// Cached hash; -1 until computed.
    hash: Cell<i64>,
    /// Rarely needed parts, boxed: the index of long non-ASCII text and the
    /// lone surrogates (see `StrExtra`).
    extra: std::cell::OnceCell<Box<StrExtra>>,
}

/// What most strs never need.
#[derive(Default)]
struct StrExtra {
    /// For long non-ASCII text, built on the first indexing (UTF-8 is not
    /// indexable): see `CharIndex`.
    index: std::cell::OnceCell<CharIndex>,
    /// The lone surrogates (U+D800..U+DFFF) of the str, which UTF-8 cannot
    /// hold: (byte offset, code point), in order. The text has U+FFFD at
    /// each of those offsets, which takes three bytes as a surrogate would,
    /// so byte offsets and code point counts are the true ones; code that
    /// reads only `as_str()` sees U+FFFD there (docs/differences.md).
    surrogates: Box<[(usize, u16)]>,
}

/// Bit of `PyStr::len_bits`: the text is inline (allocations never reach
/// `isize::MAX` bytes, so the top bit of a length is free).
const INLINE: usize = 1 << (usize::BITS - 1);

/// Where the code points of a long non-ASCII str are: the byte offset of
/// every `INDEX_STEP`-th one, so `s[i]` scans at most `INDEX_STEP - 1`
/// characters instead of `i`, and the last position looked up, so a scan
/// over the text by index (`s[pos]`, `s[pos + 1]`, ...) steps one character
/// at a time.
struct CharIndex {
    offsets: Vec<usize>,
    /// (code point index, byte offset) of the last lookup.
    cursor: Cell<(usize, usize)>,
}

/// Code points between two entries of `CharIndex::offsets`.
const INDEX_STEP: usize = 64;

impl PyStr {
    /// A str owning its text in a separate box.
    pub fn new(s: impl Into<Box<str>>) -> PyStr {
        let s: Box<str> = s.into();
        let char_len = count_chars(&s);
        let len = s.len();
        // SAFETY: Box::into_raw never returns null; `Drop` rebuilds the box
        // from the same pointer and length.
        let ptr = unsafe { NonNull::new_unchecked(Box::into_raw(s) as *mut u8) };
        PyStr { ptr, len_bits: len, char_len, hash: Cell::new(-1), extra: std::cell::OnceCell::new() }
    }

    /// A str over `len` bytes of text already written at `ptr`, inside the
    /// allocation of the object whose payload this becomes.
    ///
    /// # Safety
    /// `ptr` must point at `len` bytes of valid UTF-8 holding `char_len` code
    /// points, living exactly as long as that object, in its allocation.
    pub(crate) unsafe fn inline(ptr: NonNull<u8>, len: usize, char_len: usize) -> PyStr {
        PyStr { ptr, len_bits: len | INLINE, char_len, hash: Cell::new(-1), extra: std::cell::OnceCell::new() }
    }

    /// Does the text live in the object's allocation (freed with it)?
    #[inline(always)]
    pub(crate) fn is_inline(&self) -> bool {
        self.len_bits & INLINE != 0
    }

    /// Length in bytes of the UTF-8 text.
    #[inline(always)]
    pub fn byte_len(&self) -> usize {
        self.len_bits & !INLINE
    }

    #[inline(always)]
    pub fn as_str(&self) -> &str {
        // SAFETY: `ptr` points at `byte_len` bytes of UTF-8 that live as long
        // as this payload (see the constructors).
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr.as_ptr(), self.byte_len())) }
    }
    /// Length in code points (`len(s)`).
    #[inline(always)]
    pub fn char_len(&self) -> usize {
        self.char_len
    }
    #[inline(always)]
    pub fn is_ascii(&self) -> bool {
        self.char_len == self.byte_len()
    }
    /// `hash(s)`: CPython's algorithm over its internal representation (1, 2
    /// or 4 bytes per code point by the widest character), so that hashes equal
    /// CPython's under the same PYTHONHASHSEED.
    #[inline]
    pub fn hash(&self) -> i64 {
        let h = self.hash.get();
        if h != -1 {
            return h;
        }
        let h = self.compute_hash();
        self.hash.set(h);
        h
    }
    fn compute_hash(&self) -> i64 {
        if self.is_ascii() {
            return siphash_bytes(self.as_str().as_bytes());
        }
        if self.has_surrogates() {
            // CPython holds such a str two bytes per code point (or four
            // with astral characters).
            let max = self.code_points().max().unwrap_or(0);
            let v: Vec<u8> = if max < 0x10000 {
                self.code_points().flat_map(|c| (c as u16).to_le_bytes()).collect()
            } else {
                self.code_points().flat_map(|c| c.to_le_bytes()).collect()
            };
            return siphash_bytes(&v);
        }
        let max = self.as_str().chars().map(|c| c as u32).max().unwrap_or(0);
        if max < 0x100 {
            if self.is_ascii() {
                return siphash_bytes(self.as_str().as_bytes());
            }
            let v: Vec<u8> = self.as_str().chars().map(|c| c as u8).collect();
            siphash_bytes(&v)
        } else if max < 0x10000 {
            let v: Vec<u8> = self.as_str().chars().flat_map(|c| (c as u16).to_le_bytes()).collect();
            siphash_bytes(&v)
        } else {
            let v: Vec<u8> = self.as_str().chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
            siphash_bytes(&v)
        }
    }
    /// The byte offset of code point `i` (`i <= char_len`).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            return i;
        }
        if i >= self.char_len {
            return self.as_str().len();
        }
        let bytes = self.as_str().as_bytes();
        if self.char_len <= INDEX_STEP {
            return advance_chars(bytes, 0, i);
        }
        let extra = self.extra.get_or_init(Box::default);
        let index = extra.index.get_or_init(|| {
            let mut offsets = Vec::with_capacity(self.char_len / INDEX_STEP + 1);
            for (n, (b, _)) in self.as_str().char_indices().enumerate() {
                if n % INDEX_STEP == 0 {
                    offsets.push(b);
                }
            }
            CharIndex { offsets, cursor: Cell::new((0, 0)) }
        });
        // Start from the indexed position at or before `i`, or from the last
        // lookup if that is nearer.
        let k = i / INDEX_STEP;
        let (mut from_char, mut from_byte) = (k * INDEX_STEP, index.offsets.get(k).copied().unwrap_or(0));
        let (cursor_char, cursor_byte) = index.cursor.get();
        if cursor_char <= i && cursor_char > from_char {
            (from_char, from_byte) = (cursor_char, cursor_byte);
        }
        let byte = advance_chars(bytes, from_byte, i - from_char);
        index.cursor.set((i, byte));
        byte
    }
    /// The lone surrogates: (byte offset, code point) in order; empty for
    /// almost every str.
    #[inline]
    pub fn surrogates(&self) -> &[(usize, u16)] {
        match self.extra.get() {
            Some(e) => &e.surrogates,
            None => &[],
        }
    }

    #[inline]
    pub fn has_surrogates(&self) -> bool {
        !self.surrogates().is_empty()
    }

    /// Records the lone surrogates of a str just made (before anyone else
    /// sees it); `table` as `surrogates` describes it.
    pub(crate) fn set_surrogates(&self, table: Vec<(usize, u16)>) {
        if table.is_empty() {
            return;
        }
        // A new str has no index yet, so the cell is empty.
        let _ = self.extra.set(Box::new(StrExtra { index: Default::default(), surrogates: table.into_boxed_slice() }));
    }

    /// The code points, lone surrogates included.
    pub fn code_points(&self) -> impl Iterator<Item = u32> + '_ {
        let table = self.surrogates();
        let mut next = 0;
        self.as_str().char_indices().map(move |(b, c)| match table.get(next) {
            Some(&(at, cp)) if at == b => {
                next += 1;
                cp as u32
            }
            _ => c as u32,
        })
    }

    /// The lone surrogate at byte offset `b`, if the character there is one.
    pub fn surrogate_at(&self, b: usize) -> Option<u16> {
        let table = self.surrogates();
        table.binary_search_by_key(&b, |&(at, _)| at).ok().map(|k| table[k].1)
    }

    /// Same text, surrogates included (the texts being equal already).
    #[inline]
    pub fn same_surrogates(&self, other: &PyStr) -> bool {
        self.surrogates() == other.surrogates()
    }

    /// Code-point order; UTF-8 byte order unless a lone surrogate is involved.
    pub fn cmp_text(&self, other: &PyStr) -> std::cmp::Ordering {
        if !self.has_surrogates() && !other.has_surrogates() {
            return self.as_str().cmp(other.as_str());
        }
        self.code_points().cmp(other.code_points())
    }

    /// The one-character str at code point `i` (`i < char_len`): shared
    /// for latin-1 characters, a lone surrogate kept.
    pub fn item(&self, vm: &crate::Vm, i: usize) -> crate::object::PyRef {
        if self.has_surrogates() {
            if let Some(cp) = self.surrogate_at(self.byte_offset(i)) {
                return crate::types::str_surrogates::surrogate_char(vm, cp);
            }
        }
        char_str(vm, self.char_at(i))
    }

    /// Code point `i` (`i < char_len`).
    pub fn char_at(&self, i: usize) -> char {
        if self.is_ascii() {
            self.as_str().as_bytes()[i] as char
        } else {
            let b = self.byte_offset(i);
            self.as_str()[b..].chars().next().unwrap_or('\0')
        }
    }
}

impl Drop for PyStr {
    fn drop(&mut self) {
        if !self.is_inline() {
            let text = std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.byte_len());
            // SAFETY: a non-inline text is the box made by `new`, owned by us.
            drop(unsafe { Box::from_raw(text as *mut str) });
        }
        // Inline text is plain bytes; its memory goes with the object.
    }
}

/// The text of `v` if it is an exact str (whose comparisons and hash no
/// subclass can override).
#[inline]
pub fn exact_str<'a>(vm: &crate::Vm, v: &'a crate::value::Value) -> Option<&'a str> {
    match v {
        crate::value::Value::Obj(o) if o.class().is(&vm.types.str) => match &o.payload {
            crate::payload::Payload::Str(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The str of the one character `c`: shared for U+0000..=U+00FF (so `s[0]`
/// and iterating over a str allocate nothing, and `'ab'[0] is 'ba'[1]` as in
/// CPython, whose latin-1 singletons these are), new otherwise. The shared
/// ones are the interpreter's (`Vm::latin1`), made on first use, immortal.
pub fn char_str(vm: &crate::Vm, c: char) -> crate::object::PyRef {
    use crate::object::PyRef;
    let cp = c as usize;
    let mut buf = [0u8; 4];
    let text: &str = c.encode_utf8(&mut buf);
    let make = || PyRef::new_str(vm.types.str.clone(), text, 1);
    if cp >= 256 {
        return make();
    }
    let Ok(mut cache) = vm.latin1.try_borrow_mut() else { return make() };
    if cache.len() != 256 {
        *cache = vec![None; 256];
    }
    if let Some(r) = &cache[cp] {
        return r.clone();
    }
    let r = PyRef::new_immortal(vm.types.str.clone(), crate::payload::Payload::Str(PyStr::new(text)));
    // Reachable for memory checkers after this interpreter goes.
    crate::finalize::keep_for_process(&[&r]);
    cache[cp] = Some(r.clone());
    r
}

/// The byte offset `n` code points after the character starting at `byte`
/// of valid UTF-8 `bytes`: every byte that is not a continuation byte starts
/// a character.
#[inline]
fn advance_chars(bytes: &[u8], mut byte: usize, mut n: usize) -> usize {
    while n > 0 && byte < bytes.len() {
        byte += 1;
        while byte < bytes.len() && bytes[byte] & 0xC0 == 0x80 {
            byte += 1;
        }
        n -= 1;
    }
    byte
}

/// Length of `s` in code points (a plain length for ASCII text).
#[inline]
pub fn count_chars(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

/// Writes the text of a new str into its object (`PyRef::new_str_with`).
/// Only whole UTF-8 pieces and ASCII bytes go in, and nothing past the end;
/// `finish` zeroes whatever was left unwritten, so the buffer then holds
/// valid UTF-8 whatever the filler did.
pub struct StrWriter<'a> {
    buf: &'a mut [MaybeUninit<u8>],
    at: usize,
}

impl<'a> StrWriter<'a> {
    pub(crate) fn new(buf: &'a mut [MaybeUninit<u8>]) -> StrWriter<'a> {
        StrWriter { buf, at: 0 }
    }

    /// Appends `s` if it fits whole (it always does when the caller measured
    /// the text right).
    #[inline]
    pub fn push(&mut self, s: &str) {
        if let Some(dst) = self.buf.get_mut(self.at..self.at + s.len()) {
            dst.write_copy_of_slice(s.as_bytes());
            self.at += s.len();
        }
    }

    /// Appends one ASCII byte (a non-ASCII one becomes `?`).
    #[inline]
    pub fn push_ascii(&mut self, b: u8) {
        if let Some(dst) = self.buf.get_mut(self.at) {
            dst.write(if b.is_ascii() { b } else { b'?' });
            self.at += 1;
        }
    }

    /// Appends `s` with each (ASCII) byte mapped by `f`, which must map
    /// ASCII to ASCII (anything else becomes `?`).
    #[inline]
    pub fn push_ascii_mapped(&mut self, s: &str, f: impl Fn(u8) -> u8) {
        debug_assert!(s.is_ascii());
        if let Some(dst) = self.buf.get_mut(self.at..self.at + s.len()) {
            for (d, b) in dst.iter_mut().zip(s.bytes()) {
                let m = f(b);
                d.write(if m.is_ascii() && b.is_ascii() { m } else { b'?' });
            }
            self.at += s.len();
        }
    }

    /// Zeroes what is left (nothing, when the caller measured right); the
    /// whole buffer is initialised afterwards.
    pub(crate) fn finish(self) {
        debug_assert_eq!(self.at, self.buf.len(), "str filled short");
        for b in &mut self.buf[self.at..] {
            b.write(0);
        }
    }
}
