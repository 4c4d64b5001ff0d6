//! The string being searched, as code units the engine can index: str
//! text that is ASCII and bytes objects are read in place; other str text is
//! decoded once into code points, other bytes-like objects copied.

use super::engine::{EngineError, State};
use super::program::Program;
use krait_vm::payload::Payload;
use krait_vm::{PyResult, Value, Vm};

enum Units {
    /// An ASCII str or a bytes object: read from `value` itself.
    InPlace,
    Bytes(Box<[u8]>),
    Wide(Box<[u32]>),
}

pub struct Subject {
    /// The object passed in (Match.string).
    pub value: Value,
    pub is_bytes: bool,
    pub len: usize,
    units: Units,
}

/// Visits the subject object for the cycle collector, but only when `rc` is
/// its only holder: a subject shared by a scanner and its matches is no one
/// holder's to visit (visiting it from each would count its reference twice).
pub fn visit_subject(rc: &std::rc::Rc<Subject>, visitor: &mut dyn krait_vm::gc::Visitor) {
    if std::rc::Rc::strong_count(rc) == 1 {
        visitor.visit_value(&rc.value);
    }
}

/// Borrowed code units.
pub enum Text<'a> {
    U8(&'a [u8]),
    U32(&'a [u32]),
}

impl Subject {
    /// CPython's `getstring`: str, or any bytes-like object.
    pub fn new(vm: &Vm, value: &Value) -> PyResult<Subject> {
        let p = value.payload();
        if let Some(s) = p.and_then(|p| p.as_str()) {
            let (len, units) = if s.is_ascii() {
                (s.char_len(), Units::InPlace)
            } else {
                let w: Box<[u32]> = s.as_str().chars().map(|c| c as u32).collect();
                (w.len(), Units::Wide(w))
            };
            return Ok(Subject { value: value.clone(), is_bytes: false, len, units });
        }
        if let Some(b) = p.and_then(|p| p.as_bytes()) {
            return Ok(Subject { value: value.clone(), is_bytes: true, len: b.len(), units: Units::InPlace });
        }
        let copied = match p.map(|p| p.base()) {
            Some(Payload::ByteArray(b)) => Some(b.borrow().clone()),
            _ => krait_vm::types::memoryview::memoryview_bytes_checked(vm, value)?,
        };
        match copied {
            Some(b) => {
                let len = b.len();
                Ok(Subject { value: value.clone(), is_bytes: true, len, units: Units::Bytes(b.into_boxed_slice()) })
            }
            None => {
                Err(vm
                    .new_type_error(format!("expected string or bytes-like object, got '{}'", vm.type_name_of(value))))
            }
        }
    }

    /// The text of an ASCII str subject (byte offsets are character offsets).
    fn ascii_str(&self) -> Option<&str> {
        match self.units {
            Units::InPlace => self.value.payload().and_then(|p| p.as_str()).map(|s| s.as_str()),
            _ => None,
        }
    }

    pub fn text(&self) -> Text<'_> {
        match &self.units {
            Units::Bytes(b) => Text::U8(b),
            Units::Wide(w) => Text::U32(w),
            Units::InPlace => match self.value.payload() {
                Some(p) => match p.as_str() {
                    Some(s) => Text::U8(s.as_str().as_bytes()),
                    None => Text::U8(p.as_bytes().unwrap_or(&[])),
                },
                None => Text::U8(&[]),
            },
        }
    }

    /// `string[a:b]` as a new str or bytes (bytes-like subjects give bytes).
    pub fn slice(&self, vm: &Vm, a: usize, b: usize) -> Value {
        let (a, b) = (a.min(self.len), b.min(self.len));
        let b = b.max(a);
        if let Some(s) = self.ascii_str() {
            return vm.new_str(&s[a..b]);
        }
        match self.text() {
            Text::U8(t) => {
                if self.is_bytes {
                    vm.new_bytes(&t[a..b])
                } else {
                    // ASCII text: bytes are characters.
                    vm.new_str(String::from_utf8_lossy(&t[a..b]).into_owned())
                }
            }
            Text::U32(t) => {
                let s: String = t[a..b].iter().map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}')).collect();
                vm.new_str(s)
            }
        }
    }

    /// Appends `string[a:b]` to a result being built.
    pub fn push_slice(&self, out: &mut Built, a: usize, b: usize) {
        if let (Some(s), Built::Str(o)) = (self.ascii_str(), &mut *out) {
            o.push_str(&s[a..b]);
            return;
        }
        match (self.text(), out) {
            (Text::U8(t), Built::Bytes(v)) => v.extend_from_slice(&t[a..b]),
            (Text::U8(t), Built::Str(s)) => s.push_str(&String::from_utf8_lossy(&t[a..b])),
            (Text::U32(t), Built::Str(s)) => s.extend(t[a..b].iter().map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))),
            (Text::U32(_), Built::Bytes(_)) => {}
        }
    }

    pub fn search(&self, st: &mut State, code: &Program) -> Result<bool, EngineError> {
        match self.text() {
            Text::U8(t) => st.search(code, t),
            Text::U32(t) => st.search(code, t),
        }
    }

    pub fn pmatch(&self, st: &mut State, code: &Program) -> Result<bool, EngineError> {
        match self.text() {
            Text::U8(t) => st.pmatch(code, t),
            Text::U32(t) => st.pmatch(code, t),
        }
    }
}

/// The result of sub() under construction.
pub enum Built {
    Str(String),
    Bytes(Vec<u8>),
}
