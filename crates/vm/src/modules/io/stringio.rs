//! `_io.StringIO`: an in-memory text stream. The text is kept as code points
//! so positions (which count characters) index it directly; seeking past the
//! end and writing pads with NULs, as in CPython.
//!
//! Newlines follow CPython's rules: `newline=None` translates "\r\n" and "\r"
//! to "\n" as text is written (and records which kinds were seen, for
//! `newlines`); `newline=""` keeps them but splits lines at any of the three;
//! "\r" and "\r\n" replace every "\n" written.

use super::{is_empty_line, new_io_object, size_arg, split_self, IoData};
use crate::payload::GetSetDef;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use std::cell::RefCell;

pub const SEEN_CR: u8 = 1;
pub const SEEN_LF: u8 = 2;
pub const SEEN_CRLF: u8 = 4;

pub struct StringIOState {
    buf: Vec<char>,
    pos: usize,
    closed: bool,
    /// The `newline` argument (None: universal newlines with translation).
    readnl: Option<String>,
    /// Kinds of newline seen; None when newlines are not tracked.
    seen: Option<u8>,
}

impl StringIOState {
    fn new() -> StringIOState {
        StringIOState { buf: Vec::new(), pos: 0, closed: false, readnl: Some("\n".into()), seen: None }
    }
}

fn state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a RefCell<StringIOState>> {
    match super::io_data(v) {
        Some(IoData::StringIO(s)) => Ok(s),
        _ => Err(vm.new_type_error(format!(
            "descriptor requires a '_io.StringIO' object but received '{}'",
            vm.type_name_of(v)
        ))),
    }
}

/// The state, checked open (StringIO's message has no final period).
fn open_state<'a>(vm: &Vm, v: &'a Value) -> PyResult<std::cell::RefMut<'a, StringIOState>> {
    let s = state(vm, v)?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside StringIO"))?;
    if s.closed {
        return Err(vm.new_value_error("I/O operation on closed file"));
    }
    Ok(s)
}

/// The newline kinds seen, as the `newlines` attribute shows them.
pub fn seen_value(vm: &Vm, seen: u8) -> Value {
    let mut kinds = Vec::new();
    for (bit, s) in [(SEEN_CR, "\r"), (SEEN_LF, "\n"), (SEEN_CRLF, "\r\n")] {
        if seen & bit != 0 {
            kinds.push(vm.new_str(s));
        }
    }
    match kinds.len() {
        0 => Value::None,
        1 => kinds.pop().unwrap(),
        _ => vm.new_tuple(kinds),
    }
}

/// Records the newline kinds in `text`; returns it with them translated to
/// "\n" when `translate`.
pub fn scan_newlines(text: &str, seen: &mut u8, translate: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' if it.peek() == Some(&'\n') => {
                it.next();
                *seen |= SEEN_CRLF;
                out.push_str(if translate { "\n" } else { "\r\n" });
            }
            '\r' => {
                *seen |= SEEN_CR;
                out.push(if translate { '\n' } else { '\r' });
            }
            '\n' => {
                *seen |= SEEN_LF;
                out.push('\n');
            }
            c => out.push(c),
        }
    }
    out
}

fn write_str(s: &mut StringIOState, text: &str) -> usize {
    let n = text.chars().count();
    let translated;
    let mut text = text;
    if let Some(seen) = s.seen.as_mut() {
        translated = scan_newlines(text, seen, s.readnl.is_none());
        text = &translated;
    }
    let replaced;
    if let Some(nl @ ("\r" | "\r\n")) = s.readnl.as_deref() {
        replaced = text.replace('\n', nl);
        text = &replaced;
    }
    if text.is_empty() {
        return n;
    }
    if s.pos > s.buf.len() {
        s.buf.resize(s.pos, '\0');
    }
    if s.pos == s.buf.len() {
        // Appending (the usual case): no temporary vector, no splice.
        s.buf.extend(text.chars());
        s.pos = s.buf.len();
        return n;
    }
    let chars: Vec<char> = text.chars().collect();
    let end = s.pos + chars.len();
    let overlap = end.min(s.buf.len());
    s.buf.splice(s.pos..overlap, chars);
    s.pos = end;
    n
}

/// Where the line starting at `start` ends (exclusive), given the mode.
fn line_end(s: &StringIOState, start: usize, limit: i64) -> usize {
    let buf = &s.buf;
    let max = if limit >= 0 { (start + limit as usize).min(buf.len()) } else { buf.len() };
    let mut i = start;
    match s.readnl.as_deref() {
        // Universal without translation: "\r", "\n" or "\r\n".
        Some("") => {
            while i < max {
                match buf[i] {
                    '\n' => return i + 1,
                    '\r' if i + 1 < buf.len() && buf[i + 1] == '\n' => return (i + 2).min(max),
                    '\r' => return i + 1,
                    _ => i += 1,
                }
            }
            max
        }
        None | Some("\n") => match buf[start.min(max)..max].iter().position(|&c| c == '\n') {
            Some(p) => start + p + 1,
            None => max,
        },
        Some(nl) => {
            let nl: Vec<char> = nl.chars().collect();
            while i < max {
                if buf[i..].starts_with(&nl) {
                    return (i + nl.len()).min(max);
                }
                i += 1;
            }
            max
        }
    }
}

fn take(s: &mut StringIOState, end: usize) -> String {
    // Reading past the end returns nothing and leaves the position alone.
    if s.pos >= s.buf.len() {
        return String::new();
    }
    let start = s.pos;
    let end = end.max(start);
    let out: String = s.buf[start..end].iter().collect();
    s.pos = end;
    out
}

fn sio_new(vm: &Vm, args: Args) -> PyResult {
    let cls = crate::types::object::new_target(vm, "StringIO", &args, &vm.types.string_io)?;
    Ok(new_io_object(&cls, IoData::StringIO(RefCell::new(StringIOState::new()))))
}

fn sio_init(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("StringIO", rest, &["initial_value", "newline"], 0, 0, None)?;
    let newline = match &b[1] {
        None => Some("\n".to_string()),
        Some(Value::None) => None,
        Some(n) => match vm.as_str(n) {
            Some(s) => Some(s.to_string()),
            None => {
                return Err(vm.new_type_error(format!("newline must be str or None, not {}", vm.type_name_of(n))))
            }
        },
    };
    if let Some(nl) = &newline {
        if !["", "\n", "\r", "\r\n"].contains(&nl.as_str()) {
            return Err(vm.new_value_error(format!("illegal newline value: {}", vm.repr_string(&vm.new_str(nl.as_str()))?)));
        }
    }
    let initial = match &b[0] {
        None | Some(Value::None) => None,
        Some(iv) => match vm.as_str(iv) {
            Some(s) => Some(s.to_string()),
            None => {
                return Err(vm.new_type_error(format!(
                    "initial_value must be str or None, not {}",
                    vm.type_name_of(iv)
                )))
            }
        },
    };
    let cell = state(vm, v)?;
    let mut s = cell.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call inside StringIO"))?;
    *s = StringIOState::new();
    s.seen = if newline.as_deref().map_or(true, |n| n.is_empty()) { Some(0) } else { None };
    s.readnl = newline;
    if let Some(text) = initial {
        write_str(&mut s, &text);
        s.pos = 0;
    }
    Ok(Value::None)
}

fn sio_write(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("write", args, 2, 2)?;
    let (v, arg) = (&args.args[0], &args.args[1]);
    let text = match vm.as_str(arg) {
        Some(t) => t,
        None => return Err(vm.new_type_error(format!("string argument expected, got '{}'", vm.type_name_of(arg)))),
    };
    let mut s = open_state(vm, v)?;
    Ok(Value::Int(write_str(&mut s, text) as i64))
}

fn sio_read(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("read", rest, &["size"], 1, 0, None)?;
    let mut s = open_state(vm, v)?;
    let n = size_arg(vm, b[0].as_ref())?;
    let end = if n < 0 { s.buf.len() } else { (s.pos + n as usize).min(s.buf.len()) };
    Ok(vm.new_str(take(&mut s, end)))
}

fn sio_readline(vm: &Vm, args: Args) -> PyResult {
    let (v, rest) = split_self(vm, args)?;
    let b = vm.bind_native("readline", rest, &["size"], 1, 0, None)?;
    let mut s = open_state(vm, v)?;
    let limit = size_arg(vm, b[0].as_ref())?;
    Ok(vm.new_str(native_readline(&mut s, limit)))
}

fn native_readline(s: &mut StringIOState, limit: i64) -> String {
    if s.pos >= s.buf.len() {
        return String::new();
    }
    let end = line_end(s, s.pos, limit);
    take(s, end)
}

fn sio_next(vm: &Vm, args: Args) -> PyResult {
    let v = args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))?;
    let line = if vm.class_of(v).is(&vm.types.string_io) {
        let mut s = open_state(vm, v)?;
        vm.new_str(native_readline(&mut s, -1))
    } else {
        open_state(vm, v)?;
        let line = vm.call_method(v, "readline", &[])?;
        if vm.as_str(&line).is_none() {
            return Err(vm.new_os_error(format!(
                "readline() should have returned a str object, not '{}'",
                vm.type_name_of(&line)
            )));
        }
        line
    };
    if is_empty_line(&line) {
        return Err(vm.new_stop_iteration(None));
    }
    Ok(line)
}

fn sio_getvalue(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getvalue", args, 1, 1)?;
    let s = open_state(vm, &args.args[0])?;
    Ok(vm.new_str(s.buf.iter().collect::<String>()))
}

fn sio_tell(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("tell", args, 1, 1)?;
    let s = open_state(vm, &args.args[0])?;
    Ok(Value::Int(s.pos as i64))
}

fn sio_seek(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("seek", args, 2, 3)?;
    let v = &args.args[0];
    let pos = vm.to_index_i64(&args.args[1])?;
    let whence = match args.args.get(2) {
        Some(w) => vm.to_index_i64(w)?,
        None => 0,
    };
    let mut s = open_state(vm, v)?;
    if !(0..=2).contains(&whence) {
        return Err(vm.new_value_error(format!("Invalid whence ({whence}, should be 0, 1 or 2)")));
    }
    if pos < 0 && whence == 0 {
        return Err(vm.new_value_error(format!("Negative seek position {pos}")));
    }
    if whence != 0 && pos != 0 {
        return Err(vm.new_os_error("Can't do nonzero cur-relative seeks"));
    }
    s.pos = match whence {
        0 => pos as usize,
        1 => s.pos,
        _ => s.buf.len(),
    };
    Ok(Value::Int(s.pos as i64))
}

fn sio_truncate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("truncate", args, 1, 2)?;
    let mut s = open_state(vm, &args.args[0])?;
    let size = match args.args.get(1) {
        None | Some(Value::None) => s.pos as i64,
        Some(n) => vm.to_index_i64(n)?,
    };
    if size < 0 {
        return Err(vm.new_value_error(format!("Negative size value {size}")));
    }
    if (size as usize) < s.buf.len() {
        s.buf.truncate(size as usize);
    }
    Ok(Value::Int(size))
}

fn sio_true(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("readable", args, 1, 1)?;
    open_state(vm, &args.args[0])?;
    Ok(Value::Bool(true))
}

fn sio_close(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("close", args, 1, 1)?;
    let mut s = state(vm, &args.args[0])?.try_borrow_mut().map_err(|_| vm.new_runtime_error("reentrant call"))?;
    s.closed = true;
    s.buf = Vec::new();
    Ok(Value::None)
}

fn sio_getstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getstate__", args, 1, 1)?;
    let v = &args.args[0];
    let (text, nl, pos) = {
        let s = open_state(vm, v)?;
        (s.buf.iter().collect::<String>(), s.readnl.clone(), s.pos)
    };
    let dict = match vm.instance_dict(v, false) {
        Some(d) => vm.call(&Value::Obj(vm.types.dict.clone()), Args::new(&[Value::Obj(d)]))?,
        None => Value::None,
    };
    let nl = nl.map_or(Value::None, |n| vm.new_str(n));
    Ok(vm.new_tuple(vec![vm.new_str(text), nl, Value::Int(pos as i64), dict]))
}

fn sio_setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setstate__", args, 2, 2)?;
    let v = &args.args[0];
    let st = &args.args[1];
    let items = match st.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() >= 4 => t.to_vec(),
        _ => {
            return Err(vm.new_type_error(format!(
                "{}.__setstate__ argument should be 4-tuple, got {}",
                vm.type_name_of(v),
                vm.type_name_of(st)
            )))
        }
    };
    sio_init(vm, Args::new(&[v.clone(), Value::None, items[1].clone()]))?;
    {
        let mut s = open_state(vm, v)?;
        let text = vm.as_str(&items[0]).ok_or_else(|| vm.new_type_error("initial value must be str"))?;
        s.buf = text.chars().collect();
        let pos = vm.to_index_i64(&items[2])?;
        if pos < 0 {
            return Err(vm.new_value_error("position value cannot be negative"));
        }
        s.pos = pos as usize;
    }
    if !items[3].is_none() {
        if let Some(d) = vm.instance_dict(v, true) {
            vm.call_method(&Value::Obj(d), "update", &[items[3].clone()])?;
        }
    }
    Ok(Value::None)
}

fn g_closed(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(state(vm, v)?.borrow().closed))
}
fn g_line_buffering(vm: &Vm, v: &Value) -> PyResult {
    open_state(vm, v)?;
    Ok(Value::Bool(false))
}
fn g_newlines(vm: &Vm, v: &Value) -> PyResult {
    let s = open_state(vm, v)?;
    Ok(s.seen.map_or(Value::None, |seen| seen_value(vm, seen)))
}

static METHODS: [NativeDef; 16] = [
    NativeDef::staticmethod("__new__", sio_new),
    NativeDef::method("__init__", sio_init),
    NativeDef::method("write", sio_write),
    NativeDef::method("read", sio_read),
    NativeDef::method("readline", sio_readline),
    NativeDef::method("__next__", sio_next),
    NativeDef::method("getvalue", sio_getvalue),
    NativeDef::method("tell", sio_tell),
    NativeDef::method("seek", sio_seek),
    NativeDef::method("truncate", sio_truncate),
    NativeDef::method("readable", sio_true),
    NativeDef::method("writable", sio_true),
    NativeDef::method("seekable", sio_true),
    NativeDef::method("close", sio_close),
    NativeDef::method("__getstate__", sio_getstate),
    NativeDef::method("__setstate__", sio_setstate),
];

static GETSETS: [GetSetDef; 3] = [
    GetSetDef { name: "closed", get: g_closed, set: None, doc: "" },
    GetSetDef { name: "line_buffering", get: g_line_buffering, set: None, doc: "" },
    GetSetDef { name: "newlines", get: g_newlines, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    crate::types::add_methods(vm, &vm.types.string_io, &METHODS);
    crate::types::add_getsets(vm, &vm.types.string_io, &GETSETS);
}
