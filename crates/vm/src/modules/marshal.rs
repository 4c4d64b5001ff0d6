//! The `marshal` module: CPython 3.11's serialisation of data values, in
//! its wire format (versions 0 to 4), so that data written by either
//! interpreter loads in the other.
//!
//! A record is a type byte, maybe with `FLAG_REF` (version >= 3: the object
//! gets the next index in the reader's reference table, and a later
//! `TYPE_REF` record names it by index), then the payload: little-endian
//! 32-bit sizes and ints, ints past 32 bits as base-2**15 digits, floats as
//! 8 raw bytes (version >= 2) or as `%.17g` text, str as UTF-8 (or, in
//! version 4, ASCII with a one-byte size when short), containers as their
//! items (a dict as key/value pairs ended by `TYPE_NULL`).
//!
//! CPython flags an object when its reference count is above one (it may be
//! shared) or when it is an interned str. krait does the same with its own
//! counts for heap objects; its unboxed ints and floats have no count, so
//! they are flagged the way CPython's usually are: small ints (-5..=256,
//! shared singletons in CPython) always, others only as the value given to
//! `dumps` or as set members (CPython holds those twice while it sorts them).
//!
//! krait's code objects are not CPython's: dumping one is "unmarshallable
//! object", loading a `TYPE_CODE` record a ValueError. Nesting is limited
//! to 2000 levels each way, as in CPython, and sizes read from the data
//! never allocate more than the data can fill.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use dashu_int::{IBig, Sign, UBig};
use std::collections::HashMap;

/// `marshal.version`: the format `dumps` writes by default.
pub const VERSION: i64 = 4;
/// CPython's MAX_MARSHAL_STACK_DEPTH.
const MAX_DEPTH: usize = 2000;
const FLAG_REF: u8 = 0x80;
/// Largest size CPython writes or reads (SIZE32_MAX).
const SIZE32_MAX: usize = i32::MAX as usize;
/// Bytes asked of a file's `readinto` at a time for one long string.
const FILE_CHUNK: usize = 1 << 20;

pub static FUNCS: &[NativeDef] = &[
    NativeDef::function("dump", marshal_dump),
    NativeDef::function("dumps", marshal_dumps),
    NativeDef::function("load", marshal_load),
    NativeDef::function("loads", marshal_loads),
];

fn no_keywords(vm: &Vm, name: &str, args: Args) -> PyResult<()> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("marshal.{name}() takes no keyword arguments")));
    }
    Ok(())
}

/// The `version` argument: an int that fits a C int (any value is
/// accepted; 4 and above all mean version 4).
fn version_arg(vm: &Vm, v: Option<&Value>) -> PyResult<i32> {
    let Some(v) = v else { return Ok(VERSION as i32) };
    let i = vm.index(v)?;
    vm.as_ibig(&i)
        .and_then(|b| i32::try_from(&b).ok())
        .ok_or_else(|| vm.new_overflow_error("Python int too large to convert to C int"))
}

/// `dumps(value, version=4, /)`.
fn marshal_dumps(vm: &Vm, args: Args) -> PyResult {
    no_keywords(vm, "dumps", args)?;
    vm.check_arity("dumps", args, 1, 2)?;
    let version = version_arg(vm, args.args.get(1))?;
    Ok(vm.new_bytes(dumps(vm, &args.args[0], version)?))
}

/// `dump(value, file, version=4, /)`: one `file.write` of the whole record,
/// whose result it returns (as CPython).
fn marshal_dump(vm: &Vm, args: Args) -> PyResult {
    no_keywords(vm, "dump", args)?;
    vm.check_arity("dump", args, 2, 3)?;
    let version = version_arg(vm, args.args.get(2))?;
    let data = dumps(vm, &args.args[0], version)?;
    vm.call_method(&args.args[1], "write", &[vm.new_bytes(data)])
}

/// `loads(bytes, /)`: the first value in a bytes-like object (the rest is ignored).
fn marshal_loads(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("marshal.loads", args, 1, 1)?;
    let data = crate::types::int::bytes_like(&args.args[0]).ok_or_else(|| {
        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&args.args[0])))
    })?;
    Reader::new(vm, Source::Bytes { data: &data, pos: 0 }).read_top()
}

/// `load(file, /)`: reads exactly one value's bytes with `file.readinto`,
/// after checking (as CPython) that `file.read(0)` gives bytes.
fn marshal_load(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("marshal.load", args, 1, 1)?;
    let file = args.args[0].clone();
    let probe = vm.call_method(&file, "read", &[Value::Int(0)])?;
    if probe.payload().and_then(|p| p.as_bytes()).is_none() {
        return Err(vm.new_type_error(format!("file.read() returned not bytes but {}", vm.type_name_of(&probe))));
    }
    Reader::new(vm, Source::File(file)).read_top()
}

// ---------------------------------------------------------------- writing

/// Why writing stopped: the ValueError's message.
type WResult = Result<(), &'static str>;
const UNMARSHALLABLE: &str = "unmarshallable object";

/// The marshal record of `v` (`PyMarshal_WriteObjectToString`).
pub fn dumps(vm: &Vm, v: &Value, version: i32) -> PyResult<Vec<u8>> {
    let mut w = Writer::new(vm, version, 0, true);
    w.write(v, 0, false).map_err(|msg| vm.new_value_error(msg))?;
    Ok(w.out)
}

struct Writer<'a> {
    vm: &'a Vm,
    out: Vec<u8>,
    version: i32,
    depth: usize,
    /// Whether an unboxed int or float given as the top value is flagged.
    flag_top: bool,
    /// Indices of the flagged heap objects, by identity.
    ids: HashMap<usize, u32>,
    /// Indices of the flagged small ints, by value (CPython's are singletons).
    small_ints: HashMap<i64, u32>,
    next_index: u32,
    /// The flagged objects, alive until the writer is done (their
    /// addresses are the keys of `ids`).
    keep: Vec<PyRef>,
}

impl<'a> Writer<'a> {
    fn new(vm: &'a Vm, version: i32, depth: usize, flag_top: bool) -> Writer<'a> {
        Writer {
            vm,
            out: Vec::new(),
            version,
            depth,
            flag_top,
            ids: HashMap::new(),
            small_ints: HashMap::new(),
            next_index: 0,
            keep: Vec::new(),
        }
    }

    fn u32(&mut self, x: u32) {
        self.out.extend_from_slice(&x.to_le_bytes());
    }

    /// A 32-bit size (`W_SIZE`): larger ones are unmarshallable.
    fn size(&mut self, n: usize) -> WResult {
        if n > SIZE32_MAX {
            return Err(UNMARSHALLABLE);
        }
        self.u32(n as u32);
        Ok(())
    }

    /// Writes `v`. `extra` counts references to it that this writer holds
    /// itself (a snapshot of a list's items), `force` flags it regardless.
    fn write(&mut self, v: &Value, extra: usize, force: bool) -> WResult {
        if self.depth >= MAX_DEPTH {
            return Err("object too deeply nested to marshal");
        }
        self.depth += 1;
        let r = self.write_value(v, extra, force);
        self.depth -= 1;
        r
    }

    fn write_value(&mut self, v: &Value, extra: usize, force: bool) -> WResult {
        match v {
            Value::None => self.out.push(b'N'),
            Value::Bool(b) => self.out.push(if *b { b'T' } else { b'F' }),
            Value::Int(i) => {
                let flag = if self.version >= 3 && (-5..=256).contains(i) {
                    match self.small_ints.get(i) {
                        Some(&idx) => return Ok(self.write_ref(idx)),
                        None => {
                            let idx = self.new_index();
                            self.small_ints.insert(*i, idx);
                            FLAG_REF
                        }
                    }
                } else {
                    self.flag_unboxed(force)
                };
                self.write_int(*i, flag);
            }
            Value::Float(x) => {
                let flag = self.flag_unboxed(force);
                self.write_float(*x, flag);
            }
            Value::Obj(o) if o.is(&self.vm.ellipsis) => self.out.push(b'.'),
            Value::Obj(o) if o.is(&self.vm.exc.stop_iteration) => self.out.push(b'S'),
            Value::Obj(o) => {
                let interned = self.interned(o, v, extra);
                if self.version >= 3 && (force || interned || o.refcount() > 1 + extra) {
                    if let Some(&idx) = self.ids.get(&o.id()) {
                        return Ok(self.write_ref(idx));
                    }
                    let idx = self.new_index();
                    self.ids.insert(o.id(), idx);
                    self.keep.push(o.clone());
                    return self.write_object(o, v, FLAG_REF, interned);
                }
                return self.write_object(o, v, 0, interned);
            }
        }
        Ok(())
    }

    fn write_ref(&mut self, idx: u32) {
        self.out.push(b'r');
        self.u32(idx);
    }

    fn flag_unboxed(&mut self, force: bool) -> u8 {
        if self.version >= 3 && (force || (self.depth == 1 && self.flag_top)) {
            self.new_index();
            return FLAG_REF;
        }
        0
    }

    fn new_index(&mut self) -> u32 {
        let i = self.next_index;
        self.next_index += 1;
        i
    }

    /// Would CPython hold this str interned? The empty str always; names
    /// (what krait interns among constants, as CPython does) when shared.
    fn interned(&self, o: &PyRef, v: &Value, extra: usize) -> bool {
        match crate::types::str::exact_str(self.vm, v) {
            Some("") => true,
            Some(s) => o.refcount() > 1 + extra && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            None => false,
        }
    }

    fn write_int(&mut self, i: i64, flag: u8) {
        match i32::try_from(i) {
            Ok(small) => {
                self.out.push(b'i' | flag);
                self.u32(small as u32);
            }
            Err(_) => self.write_long(i < 0, &i.unsigned_abs().to_le_bytes(), flag),
        }
    }

    /// `TYPE_LONG`: the signed count of base-2**15 digits, then the digits
    /// of the magnitude (given as little-endian bytes), lowest first.
    fn write_long(&mut self, negative: bool, magnitude: &[u8], flag: u8) {
        let mut digits: Vec<u16> = Vec::with_capacity(magnitude.len() * 8 / 15 + 1);
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in magnitude {
            acc |= (b as u32) << bits;
            bits += 8;
            while bits >= 15 {
                digits.push((acc & 0x7fff) as u16);
                acc >>= 15;
                bits -= 15;
            }
        }
        digits.push(acc as u16);
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let n = digits.len() as i32;
        self.out.push(b'l' | flag);
        self.u32(if negative { -n } else { n } as u32);
        for d in digits {
            self.out.extend_from_slice(&d.to_le_bytes());
        }
    }

    fn write_float(&mut self, x: f64, flag: u8) {
        if self.version > 1 {
            self.out.push(b'g' | flag);
            self.out.extend_from_slice(&x.to_le_bytes());
        } else {
            self.out.push(b'f' | flag);
            self.float_text(x);
        }
    }

    /// A float as CPython's version 0/1 text: `%.17g`, after a length byte.
    fn float_text(&mut self, x: f64) {
        let spec = krait_text::format::PercentSpec { prec: Some(17), ..Default::default() };
        let s = krait_text::format::percent_format_float(x, &spec, 'g').unwrap_or_default();
        self.out.push(s.len() as u8);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A type byte, a 32-bit size and the data.
    fn blob(&mut self, code: u8, data: &[u8]) -> WResult {
        self.out.push(code);
        self.size(data.len())?;
        self.out.extend_from_slice(data);
        Ok(())
    }

    /// Everything past the singletons, by exact type (CPython marshals
    /// subclasses only when they are bytes-like).
    fn write_object(&mut self, o: &PyRef, v: &Value, flag: u8, interned: bool) -> WResult {
        let vm = self.vm;
        let t = o.class();
        let types = &vm.types;
        match &o.payload {
            Payload::Int(i) if t.is(&types.int) => {
                let (sign, words) = i.as_sign_words();
                let mag: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
                self.write_long(sign == Sign::Negative, &mag, flag);
            }
            Payload::Float(x) if t.is(&types.float) => self.write_float(*x, flag),
            Payload::Complex((re, im)) if t.is(&types.complex) => {
                if self.version > 1 {
                    self.out.push(b'y' | flag);
                    self.out.extend_from_slice(&re.to_le_bytes());
                    self.out.extend_from_slice(&im.to_le_bytes());
                } else {
                    self.out.push(b'x' | flag);
                    self.float_text(*re);
                    self.float_text(*im);
                }
            }
            Payload::Str(s) if t.is(&types.str) => self.write_str(s, flag, interned)?,
            Payload::Tuple(items) if t.is(&types.tuple) => {
                if self.version >= 4 && items.len() < 256 {
                    self.out.push(b')' | flag);
                    self.out.push(items.len() as u8);
                } else {
                    self.out.push(b'(' | flag);
                    self.size(items.len())?;
                }
                for item in items.iter() {
                    self.write(item, 0, false)?;
                }
            }
            Payload::List(l) if t.is(&types.list) => {
                let items = l.borrow().to_vec();
                self.out.push(b'[' | flag);
                self.size(items.len())?;
                for item in &items {
                    self.write(item, 1, false)?;
                }
            }
            Payload::Dict(_) if t.is(&types.dict) => {
                self.out.push(b'{' | flag);
                for (k, val) in vm.dict_items(o) {
                    self.write(&k, 1, false)?;
                    self.write(&val, 1, false)?;
                }
                self.out.push(b'0');
            }
            Payload::Set(s) | Payload::FrozenSet(s) if t.is(&types.set) || t.is(&types.frozenset) => {
                let items = s.borrow().keys();
                self.out.push(if t.is(&types.set) { b'<' } else { b'>' } | flag);
                self.size(items.len())?;
                self.write_set_items(items)?;
            }
            _ => match crate::types::int::bytes_like(v) {
                Some(data) if !matches!(o.payload, Payload::Code(_)) => self.blob(b's' | flag, &data)?,
                _ => return Err(UNMARSHALLABLE),
            },
        }
        Ok(())
    }

    fn write_str(&mut self, s: &crate::types::str::PyStr, flag: u8, interned: bool) -> WResult {
        let text = s.as_str().as_bytes();
        if self.version >= 4 && s.is_ascii() && text.len() < 256 {
            self.out.push(if interned { b'Z' } else { b'z' } | flag);
            self.out.push(text.len() as u8);
            self.out.extend_from_slice(text);
            Ok(())
        } else if self.version >= 4 && s.is_ascii() {
            self.blob(if interned { b'A' } else { b'a' } | flag, text)
        } else {
            self.blob(if self.version >= 3 && interned { b't' } else { b'u' } | flag, &surrogatepass_utf8(s))
        }
    }

    /// Set members in a fixed order, whatever the hash seed (as CPython
    /// 3.11: sorted by each member's own marshal record), each flagged.
    fn write_set_items(&mut self, items: Vec<Value>) -> WResult {
        if items.len() == 1 {
            // Nothing to sort (and nested one-member sets would otherwise
            // cost time exponential in their depth).
            return self.write(&items[0], 1, true);
        }
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let mut sub = Writer::new(self.vm, self.version, self.depth, false);
            sub.write(&item, 1, false)?;
            keyed.push((sub.out, item));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, item) in &keyed {
            self.write(item, 1, true)?;
        }
        Ok(())
    }
}

/// A str's UTF-8 with its lone surrogates written as UTF-8 would any code
/// point (CPython's "surrogatepass").
pub fn surrogatepass_utf8(s: &crate::types::str::PyStr) -> Vec<u8> {
    if !s.has_surrogates() {
        return s.as_str().as_bytes().to_vec();
    }
    let mut out = Vec::with_capacity(s.byte_len());
    for cp in s.code_points() {
        match char::from_u32(cp) {
            Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            None => out.extend_from_slice(&[0xE0 | (cp >> 12) as u8, 0x80 | ((cp >> 6) & 0x3F) as u8, 0x80 | (cp & 0x3F) as u8]),
        }
    }
    out
}

// ---------------------------------------------------------------- reading

enum Source<'d> {
    Bytes { data: &'d [u8], pos: usize },
    /// A file read with `readinto`, piece by piece, so that it is left
    /// right after the value.
    File(Value),
}

struct Reader<'a, 'd> {
    vm: &'a Vm,
    src: Source<'d>,
    depth: usize,
    /// The flagged objects, by index.
    refs: Vec<Slot>,
    /// Set by a list or dict before reading an item or value: a reference
    /// to a tuple still being read is allowed there (it is patched in).
    allow_pending: bool,
    /// The index of the unfinished tuple the item just read refers to.
    last_pending: Option<usize>,
}

enum Slot {
    Done(Value),
    /// A tuple or frozenset being read (its items come first); the lists and
    /// dicts that already refer to it, with the index or key to patch.
    Pending(Vec<(Value, Value)>),
}

fn eof_error(vm: &Vm, msg: &str) -> PyErr {
    vm.new_exception_msg(&vm.exc.eof_error, msg)
}

fn bad_data(vm: &Vm, what: &str) -> PyErr {
    vm.new_value_error(format!("bad marshal data ({what})"))
}

fn null_in(vm: &Vm, what: &str) -> PyErr {
    vm.new_type_error(format!("NULL object in marshal data for {what}"))
}

impl<'a, 'd> Reader<'a, 'd> {
    fn new(vm: &'a Vm, src: Source<'d>) -> Reader<'a, 'd> {
        Reader { vm, src, depth: 0, refs: Vec::new(), allow_pending: false, last_pending: None }
    }

    fn read_top(&mut self) -> PyResult {
        self.object()?.ok_or_else(|| null_in(self.vm, "object"))
    }

    /// Exactly `n` bytes (CPython's `r_string`).
    fn take(&mut self, n: usize) -> PyResult<Vec<u8>> {
        let vm = self.vm;
        let file = match &mut self.src {
            Source::Bytes { data, pos } => {
                if data.len() - *pos < n {
                    return Err(eof_error(vm, "marshal data too short"));
                }
                *pos += n;
                return Ok(data[*pos - n..*pos].to_vec());
            }
            Source::File(f) => f.clone(),
        };
        let mut out = Vec::with_capacity(n.min(FILE_CHUNK));
        while out.len() < n {
            let want = (n - out.len()).min(FILE_CHUNK);
            let buf = crate::types::bytes::new_bytearray(vm, vec![0; want]);
            let got = vm.call_method(&file, "readinto", &[buf.clone()])?;
            let got = vm.index(&got)?;
            let got = match vm.as_ibig(&got).map(|g| usize::try_from(&g)) {
                Some(Ok(g)) if g > want => {
                    return Err(vm.new_value_error(format!(
                        "read() returned too much data: {want} bytes requested, {g} returned"
                    )))
                }
                Some(Ok(g)) => g,
                _ => 0,
            };
            let filled = match buf.payload().map(|p| p.base()) {
                Some(Payload::ByteArray(b)) => b.borrow().get(..got).map(|s| out.extend_from_slice(s)).is_some(),
                _ => false,
            };
            if got < want || !filled {
                return Err(eof_error(vm, "EOF read where not expected"));
            }
        }
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> PyResult<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(&self.take(N)?);
        Ok(a)
    }

    /// One byte, None at the end of the data (CPython's `r_byte`; a file's
    /// error is dropped as CPython's callers replace it).
    fn byte(&mut self) -> Option<u8> {
        match &mut self.src {
            Source::Bytes { data, pos } => data.get(*pos).inspect(|_| *pos += 1).copied(),
            Source::File(_) => self.take(1).ok().map(|b| b[0]),
        }
    }

    /// A length byte that must be there.
    fn length_byte(&mut self) -> PyResult<usize> {
        self.byte().map(usize::from).ok_or_else(|| eof_error(self.vm, "EOF read where not expected"))
    }

    fn long(&mut self) -> PyResult<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    /// A 32-bit size, which must not be negative.
    fn size(&mut self, what: &str) -> PyResult<usize> {
        let n = self.long()?;
        usize::try_from(n).map_err(|_| bad_data(self.vm, &format!("{what} size out of range")))
    }

    /// How many items to make room for: no more than the data can hold.
    fn capacity(&self, n: usize) -> usize {
        match &self.src {
            Source::Bytes { data, pos } => n.min(data.len() - pos),
            Source::File(_) => n.min(4096),
        }
    }

    fn register(&mut self, flag: bool, v: Value) -> Value {
        if flag {
            self.refs.push(Slot::Done(v.clone()));
        }
        v
    }

    fn reserve(&mut self, flag: bool) -> Option<usize> {
        flag.then(|| {
            self.refs.push(Slot::Pending(Vec::new()));
            self.refs.len() - 1
        })
    }

    /// Completes a reserved slot, patching the references made meanwhile.
    fn fill(&mut self, slot: Option<usize>, v: Value) -> PyResult {
        let Some(i) = slot else { return Ok(v) };
        if let Slot::Pending(patches) = std::mem::replace(&mut self.refs[i], Slot::Done(v.clone())) {
            for (container, at) in patches {
                match (container.payload().and_then(|p| p.as_list()), &at, &container) {
                    (Some(l), Value::Int(k), _) => {
                        if let Some(cell) = l.borrow_mut().get_mut(*k as usize) {
                            *cell = v.clone();
                        }
                    }
                    (None, _, Value::Obj(d)) => self.vm.dict_set(d, at.clone(), v.clone())?,
                    _ => {}
                }
            }
        }
        Ok(v)
    }

    /// Reads a list item or dict value: Ok(None) for `TYPE_NULL`; a
    /// reference to an unfinished tuple is noted for `fill` to patch.
    fn patchable(&mut self, container: &Value, at: impl FnOnce() -> Value) -> PyResult<Option<Value>> {
        self.allow_pending = true;
        let v = self.object()?;
        if let Some(i) = self.last_pending.take() {
            if let Slot::Pending(patches) = &mut self.refs[i] {
                patches.push((container.clone(), at()));
            }
        }
        Ok(v)
    }

    /// One record; None for `TYPE_NULL` (a dict's end).
    fn object(&mut self) -> PyResult<Option<Value>> {
        let allow_pending = std::mem::take(&mut self.allow_pending);
        self.last_pending = None;
        let Some(code) = self.byte() else {
            return Err(eof_error(self.vm, "EOF read where object expected"));
        };
        if self.depth >= MAX_DEPTH {
            return Err(self.vm.new_value_error("recursion limit exceeded"));
        }
        self.depth += 1;
        let r = self.record(code & !FLAG_REF, code & FLAG_REF != 0, allow_pending);
        self.depth -= 1;
        r
    }

    /// An item of a container, which may not be `TYPE_NULL`.
    fn item(&mut self, container: &str) -> PyResult {
        self.object()?.ok_or_else(|| null_in(self.vm, container))
    }

    fn record(&mut self, t: u8, flag: bool, allow_pending: bool) -> PyResult<Option<Value>> {
        let vm = self.vm;
        let v = match t {
            b'0' => return Ok(None),
            b'N' => Value::None,
            b'F' => Value::Bool(false),
            b'T' => Value::Bool(true),
            b'.' => Value::Obj(vm.ellipsis.clone()),
            b'S' => Value::Obj(vm.exc.stop_iteration.clone()),
            b'i' => Value::Int(self.long()? as i64),
            b'I' => Value::Int(i64::from_le_bytes(self.array()?)),
            b'l' => self.read_long()?,
            b'g' => Value::Float(f64::from_le_bytes(self.array()?)),
            b'f' => Value::Float(self.float_text()?),
            b'y' => {
                let re = f64::from_le_bytes(self.array()?);
                vm.new_complex(re, f64::from_le_bytes(self.array()?))
            }
            b'x' => {
                let re = self.float_text()?;
                vm.new_complex(re, self.float_text()?)
            }
            b's' => {
                let n = self.size("bytes object")?;
                vm.new_bytes(self.take(n)?)
            }
            b'a' | b'A' | b'z' | b'Z' => {
                let n = if t == b'z' || t == b'Z' { self.length_byte()? } else { self.size("string")? };
                let text: String = self.take(n)?.iter().map(|&b| b as char).collect();
                if t == b'A' || t == b'Z' {
                    Value::Obj(vm.intern(&text))
                } else {
                    vm.new_str(text)
                }
            }
            b'u' | b't' => {
                let n = self.size("string")?;
                let data = self.take(n)?;
                match std::str::from_utf8(&data) {
                    Ok(s) if t == b't' => Value::Obj(vm.intern(s)),
                    Ok(s) => vm.new_str(s),
                    Err(_) => crate::types::str_codecs::utf::decode_utf8(vm, &data, "surrogatepass", true)?.0.into_value(vm),
                }
            }
            b'(' | b')' => {
                let n = if t == b'(' { self.size("tuple")? } else { self.length_byte()? };
                let slot = self.reserve(flag);
                let mut items = Vec::with_capacity(self.capacity(n));
                for _ in 0..n {
                    items.push(self.item("tuple")?);
                }
                return self.fill(slot, vm.new_tuple(items)).map(Some);
            }
            b'[' => {
                let n = self.size("list")?;
                let list = self.register(flag, vm.new_list(Vec::with_capacity(self.capacity(n))));
                for k in 0..n {
                    let item = self.patchable(&list, || Value::Int(k as i64))?.ok_or_else(|| null_in(vm, "list"))?;
                    if let Some(l) = list.payload().and_then(|p| p.as_list()) {
                        l.borrow_mut().push(item);
                    }
                }
                return Ok(Some(list));
            }
            b'{' => {
                let d = vm.new_dict();
                let dv = self.register(flag, Value::Obj(d.clone()));
                while let Some(key) = self.object()? {
                    let Some(value) = self.patchable(&dv, || key.clone())? else { break };
                    vm.dict_set(&d, key, value)?;
                }
                return Ok(Some(dv));
            }
            b'<' | b'>' => return self.read_set(t == b'>', flag).map(Some),
            b'c' => return Err(vm.new_value_error("bad marshal data (code objects are not supported: krait's bytecode is not CPython's)")),
            b'r' => {
                let n = self.long()?;
                let i = usize::try_from(n).unwrap_or(usize::MAX);
                return match self.refs.get(i) {
                    Some(Slot::Done(v)) => Ok(Some(v.clone())),
                    Some(Slot::Pending(_)) if allow_pending => {
                        self.last_pending = Some(i);
                        Ok(Some(Value::None))
                    }
                    _ => Err(bad_data(vm, "invalid reference")),
                };
            }
            _ => return Err(bad_data(vm, "unknown type code")),
        };
        Ok(Some(self.register(flag, v)))
    }

    fn read_set(&mut self, frozen: bool, flag: bool) -> PyResult {
        let vm = self.vm;
        let n = self.size("set")?;
        let set = if frozen { vm.new_frozenset(Vec::new())? } else { vm.new_set(Vec::new())? };
        // A frozenset is complete before anything may refer to it.
        let slot = if frozen {
            self.reserve(flag)
        } else {
            self.register(flag, set.clone());
            None
        };
        for _ in 0..n {
            let item = self.item("set")?;
            vm.set_add(&set, item)?;
        }
        self.fill(slot, set)
    }

    /// `TYPE_LONG`: a signed count of base-2**15 digits, lowest first, the
    /// top one not zero.
    fn read_long(&mut self) -> PyResult {
        let vm = self.vm;
        let n = self.long()?;
        let count = n.unsigned_abs() as usize;
        if count > SIZE32_MAX {
            return Err(bad_data(vm, "long size out of range"));
        }
        let mut bytes = Vec::with_capacity(self.capacity(count * 2));
        let (mut acc, mut bits) = (0u32, 0u32);
        for k in 0..count {
            let d = i16::from_le_bytes(self.array()?);
            if d < 0 {
                return Err(bad_data(vm, "digit out of range in long"));
            }
            if d == 0 && k == count - 1 {
                return Err(bad_data(vm, "unnormalized long data"));
            }
            acc |= (d as u32) << bits;
            bits += 15;
            while bits >= 8 {
                bytes.push(acc as u8);
                acc >>= 8;
                bits -= 8;
            }
        }
        bytes.push(acc as u8);
        let magnitude = IBig::from(UBig::from_le_bytes(&bytes));
        Ok(vm.new_int(if n < 0 { -magnitude } else { magnitude }))
    }

    /// A float as text (versions 0 and 1): a length byte, then what
    /// CPython's `PyOS_string_to_double` accepts.
    fn float_text(&mut self) -> PyResult<f64> {
        let n = self.length_byte()?;
        let data = self.take(n)?;
        let text = String::from_utf8_lossy(&data);
        let plain = text.trim() == text && !text.contains('_');
        match krait_text::format::parse_float(&text).filter(|_| plain) {
            Some(x) => Ok(x),
            None => {
                let shown: String = text.chars().take(200).collect();
                Err(self.vm.new_value_error(format!("could not convert string to float: '{shown}'")))
            }
        }
    }
}
