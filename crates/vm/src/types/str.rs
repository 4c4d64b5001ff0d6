//! `str`: immutable text that knows its length in code points, so ASCII text
//! indexes and slices in O(1); its hash is computed once.
//! (The Python-visible methods of str live in `str_methods.rs`.)

use std::cell::Cell;
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
    s: Box<str>,
    /// Length in code points; equals `s.len()` exactly when the text is ASCII.
    char_len: usize,
    /// Cached hash; -1 until computed.
    hash: Cell<i64>,
    /// For long non-ASCII text: the byte offset of every `INDEX_STEP`-th code
    /// point, built on the first indexing, so `s[i]` scans at most
    /// `INDEX_STEP - 1` characters instead of `i` (UTF-8 is not indexable).
    index: std::cell::OnceCell<Box<Vec<usize>>>,
}

/// Code points between two entries of `PyStr::index`.
const INDEX_STEP: usize = 64;

impl PyStr {
    pub fn new(s: impl Into<Box<str>>) -> PyStr {
        let s: Box<str> = s.into();
        let char_len = if s.is_ascii() { s.len() } else { s.chars().count() };
        PyStr { s, char_len, hash: Cell::new(-1), index: std::cell::OnceCell::new() }
    }
    #[inline(always)]
    pub fn as_str(&self) -> &str {
        &self.s
    }
    /// Length in code points (`len(s)`).
    #[inline(always)]
    pub fn char_len(&self) -> usize {
        self.char_len
    }
    #[inline(always)]
    pub fn is_ascii(&self) -> bool {
        self.char_len == self.s.len()
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
        let max = self.s.chars().map(|c| c as u32).max().unwrap_or(0);
        if max < 0x100 {
            if self.is_ascii() {
                return siphash_bytes(self.s.as_bytes());
            }
            let v: Vec<u8> = self.s.chars().map(|c| c as u8).collect();
            siphash_bytes(&v)
        } else if max < 0x10000 {
            let v: Vec<u8> = self.s.chars().flat_map(|c| (c as u16).to_le_bytes()).collect();
            siphash_bytes(&v)
        } else {
            let v: Vec<u8> = self.s.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
            siphash_bytes(&v)
        }
    }
    /// The byte offset of code point `i` (`i <= char_len`).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            return i;
        }
        if i >= self.char_len {
            return self.s.len();
        }
        let (mut byte, skip) = if self.char_len > INDEX_STEP {
            let index = self.index.get_or_init(|| {
                let mut v = Vec::with_capacity(self.char_len / INDEX_STEP + 1);
                for (n, (b, _)) in self.s.char_indices().enumerate() {
                    if n % INDEX_STEP == 0 {
                        v.push(b);
                    }
                }
                Box::new(v)
            });
            (index[i / INDEX_STEP], i % INDEX_STEP)
        } else {
            (0, i)
        };
        for c in self.s[byte..].chars().take(skip) {
            byte += c.len_utf8();
        }
        byte
    }
    /// Code point `i` (`i < char_len`).
    pub fn char_at(&self, i: usize) -> char {
        if self.is_ascii() {
            self.s.as_bytes()[i] as char
        } else {
            let b = self.byte_offset(i);
            self.s[b..].chars().next().unwrap_or('\0')
        }
    }
}
