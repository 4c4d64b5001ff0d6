//! Lone surrogates (U+D800..U+DFFF) in strs. UTF-8 cannot hold them, so a
//! str keeps U+FFFD in its text where one stands and a table of the real
//! code points beside it (`PyStr::surrogates`). They come from
//! `surrogateescape`/`surrogatepass` decoding, `chr()` and literals, and the
//! operations that matter for them keep the table: concatenation, join,
//! indexing, slicing, iteration, comparison, hashing, repr and encoding.
//! Anything else reads the text and sees U+FFFD (docs/differences.md).

use crate::payload::Payload;
use crate::types::str::PyStr;
use crate::value::Value;
use crate::Vm;

/// What stands in a str's text for each lone surrogate (three bytes in
/// UTF-8, as the surrogate would be).
pub const STAND_IN: char = '\u{FFFD}';

/// Text being built that may hold lone surrogates: the text (U+FFFD for
/// each) and the table of where they are, as `PyStr` keeps them.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct StrBuf {
    pub text: String,
    pub surrogates: Vec<(usize, u16)>,
}

impl StrBuf {
    pub fn with_capacity(n: usize) -> StrBuf {
        StrBuf { text: String::with_capacity(n), surrogates: Vec::new() }
    }

    /// Appends any code point; a lone surrogate goes in the table.
    #[inline]
    pub fn push_code_point(&mut self, cp: u32) {
        match char::from_u32(cp) {
            Some(c) => self.text.push(c),
            None if is_surrogate(cp) => {
                self.surrogates.push((self.text.len(), cp as u16));
                self.text.push(STAND_IN);
            }
            None => self.text.push(STAND_IN),
        }
    }

    #[inline]
    pub fn push(&mut self, c: char) {
        self.text.push(c);
    }

    #[inline]
    pub fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends the bytes `from..to` of a str's text with its surrogates there.
    pub fn push_pystr_range(&mut self, s: &PyStr, from: usize, to: usize) {
        let base = self.text.len();
        self.text.push_str(&s.as_str()[from..to]);
        let moved = s.surrogates().iter().filter(|&&(at, _)| at >= from && at < to);
        self.surrogates.extend(moved.map(|&(at, cp)| (at - from + base, cp)));
    }

    pub fn push_pystr(&mut self, s: &PyStr) {
        self.push_pystr_range(s, 0, s.byte_len());
    }

    /// Drops the text from byte `len` on (and its surrogates).
    pub fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.surrogates.retain(|&(at, _)| at < len);
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The finished str.
    pub fn into_value(self, vm: &Vm) -> Value {
        if self.surrogates.is_empty() {
            return vm.new_str(self.text);
        }
        Value::Obj(self.into_ref(vm))
    }

    /// The finished str, as an object (never an interned one when it holds
    /// surrogates: the table belongs to this str alone).
    pub fn into_ref(self, vm: &Vm) -> crate::object::PyRef {
        let r = vm.new_str_ref(&self.text);
        if let Payload::Str(s) = &r.payload {
            s.set_surrogates(self.surrogates);
        }
        r
    }
}

impl From<String> for StrBuf {
    fn from(text: String) -> StrBuf {
        StrBuf { text, surrogates: Vec::new() }
    }
}

impl FromIterator<char> for StrBuf {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> StrBuf {
        StrBuf::from(iter.into_iter().collect::<String>())
    }
}

impl Extend<char> for StrBuf {
    fn extend<I: IntoIterator<Item = char>>(&mut self, iter: I) {
        self.text.extend(iter);
    }
}

#[inline]
pub fn is_surrogate(cp: u32) -> bool {
    (0xD800..0xE000).contains(&cp)
}

/// `a + b` when either holds a lone surrogate.
pub fn concat_with_surrogates(vm: &Vm, parts: &[&PyStr]) -> Value {
    let mut b = StrBuf::with_capacity(parts.iter().map(|p| p.byte_len()).sum());
    for p in parts {
        b.push_pystr(p);
    }
    b.into_value(vm)
}

/// The compiler's constant for a str.
pub fn constant(s: &PyStr) -> krait_compiler::code::Constant {
    use krait_compiler::code::Constant;
    match s.has_surrogates() {
        true => Constant::SurrogateStr { text: s.as_str().to_string(), surrogates: s.surrogates().to_vec() },
        false => Constant::Str(s.as_str().to_string()),
    }
}

/// `BUILD_STRING`: the concatenation of the parts of an f-string.
pub fn build_string(vm: &Vm, parts: &[Value]) -> Value {
    let strs = || parts.iter().filter_map(|p| p.payload().and_then(|p| p.as_str()));
    let mut b = StrBuf::with_capacity(strs().map(|s| s.byte_len()).sum());
    for s in strs() {
        if s.has_surrogates() {
            b.push_pystr(s);
        } else {
            b.push_str(s.as_str());
        }
    }
    b.into_value(vm)
}

/// A str's bytes for the OS: UTF-8, lone surrogates back to the bytes
/// `surrogateescape` made of them (CPython's `os.fsencode`).
pub fn fs_encode(vm: &Vm, v: &Value, s: &str) -> crate::PyResult<Vec<u8>> {
    match surrogate_str(v) {
        Some(_) => crate::types::str_codecs::encode(vm, v, s, "utf-8", "surrogateescape"),
        None => Ok(s.as_bytes().to_vec()),
    }
}

/// The str payload of `v`, if it is a str holding lone surrogates.
pub fn surrogate_str(v: &Value) -> Option<&PyStr> {
    match v.payload() {
        Some(Payload::Str(s)) if s.has_surrogates() => Some(s),
        _ => None,
    }
}

/// The one-character str for any code point (`chr`), a lone surrogate too.
pub fn code_point_str(vm: &Vm, cp: u32) -> Value {
    match char::from_u32(cp) {
        Some(c) => Value::Obj(crate::types::str::char_str(vm, c)),
        None => Value::Obj(surrogate_char(vm, cp as u16)),
    }
}

/// A str of the one lone surrogate `cp`.
pub fn surrogate_char(vm: &Vm, cp: u16) -> crate::object::PyRef {
    let mut b = StrBuf::default();
    b.push_code_point(cp as u32);
    b.into_ref(vm)
}

/// `repr()`/`ascii()` of a str with lone surrogates.
pub fn repr(s: &PyStr, ascii_only: bool) -> String {
    let cps: Vec<u32> = s.code_points().collect();
    krait_text::unicode::repr_code_points(cps.into_iter(), krait_text::unicode::QuotePref::Auto, ascii_only)
}
