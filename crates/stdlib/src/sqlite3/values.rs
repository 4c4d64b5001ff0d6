//! Values crossing between Python and SQLite: parameter binding (with the
//! adapter registry of `register_adapter`), result values (with
//! `text_factory` and the converters of `register_converter`), and the
//! `adapt()` protocol.

use super::errors::programming;
use super::state;
use krait_vm::payload::Payload;
use krait_vm::types::int::bytes_like;
use krait_vm::{PyResult, Value, Vm};
use rusqlite::types::Value as SqlValue;

/// A value SQLite handed back, kept raw until it is fetched: text stays
/// bytes (SQLite does not promise UTF-8) until `text_factory` sees it.
#[derive(Clone, Debug)]
pub enum Raw {
    Null,
    Int(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Raw {
    pub fn from_ref(v: rusqlite::types::ValueRef<'_>) -> Raw {
        use rusqlite::types::ValueRef as R;
        match v {
            R::Null => Raw::Null,
            R::Integer(i) => Raw::Int(i),
            R::Real(f) => Raw::Real(f),
            R::Text(t) => Raw::Text(t.to_vec()),
            R::Blob(b) => Raw::Blob(b.to_vec()),
        }
    }

    /// The bytes `sqlite3_column_blob` gives for the value (what converters get).
    fn as_bytes(&self) -> Vec<u8> {
        match self {
            Raw::Null => Vec::new(),
            Raw::Int(i) => i.to_string().into_bytes(),
            Raw::Real(f) => format_real(*f).into_bytes(),
            Raw::Text(b) | Raw::Blob(b) => b.clone(),
        }
    }
}

/// SQLite's text form of a REAL ("%!.15g": 1.0, 2.5, 1e+100).
fn format_real(f: f64) -> String {
    if f.is_nan() {
        return String::new();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    let s = format!("{:.14e}", f);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mant = mant.trim_end_matches('0').trim_end_matches('.');
    if (-5..15).contains(&exp) {
        let v: f64 = format!("{mant}e{exp}").parse().unwrap_or(f);
        let mut t = format!("{}", v);
        if !t.contains('.') {
            t.push_str(".0");
        }
        t
    } else {
        let mant = if mant.contains('.') { mant.to_string() } else { format!("{mant}.0") };
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// Text as `text_factory` turns it into a Python object; `column` names
/// the column for the decoding error of the default factory.
pub fn text_value(vm: &Vm, bytes: &[u8], text_factory: &Value, column: &str) -> PyResult {
    let is_str = matches!(text_factory, Value::Obj(o) if o.is(&vm.types.str));
    if is_str {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(vm.new_str(s)),
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                Err(super::errors::operational(
                    vm,
                    format!("Could not decode to UTF-8 column '{column}' with text '{text}'"),
                ))
            }
        };
    }
    if matches!(text_factory, Value::Obj(o) if o.is(&vm.types.bytes)) {
        return Ok(vm.new_bytes(bytes.to_vec()));
    }
    vm.call1(text_factory, &[vm.new_bytes(bytes.to_vec())])
}

/// A fetched value as Python sees it: the converter's result when one
/// applies (NULL is never converted), else the natural mapping.
pub fn to_python(vm: &Vm, raw: &Raw, converter: Option<&Value>, text_factory: &Value, column: &str) -> PyResult {
    if let Some(conv) = converter {
        // SQLite gives no bytes (a NULL pointer) for NULL and empty values.
        let b = raw.as_bytes();
        if b.is_empty() {
            return Ok(Value::None);
        }
        return vm.call1(conv, &[vm.new_bytes(b)]);
    }
    Ok(match raw {
        Raw::Null => Value::None,
        Raw::Int(i) => Value::Int(*i),
        Raw::Real(f) => Value::Float(*f),
        Raw::Text(b) => return text_value(vm, b, text_factory, column),
        Raw::Blob(b) => vm.new_bytes(b.clone()),
    })
}

/// A value for SQLite from the result of a user-defined function (or an
/// aggregate's finalize): None, int, float, str or a buffer; None for
/// anything else (CPython then reports the callback as failed).
pub fn result_value(vm: &Vm, v: &Value) -> PyResult<Option<SqlValue>> {
    match v {
        Value::None => Ok(Some(SqlValue::Null)),
        Value::Bool(b) => Ok(Some(SqlValue::Integer(*b as i64))),
        Value::Int(i) => Ok(Some(SqlValue::Integer(*i))),
        Value::Float(f) => Ok(Some(SqlValue::Real(*f))),
        _ => plain_value(vm, v),
    }
}

/// The text of a str for SQLite: UTF-8, refusing lone surrogates with
/// the UnicodeEncodeError CPython raises.
pub fn utf8_text(vm: &Vm, v: &Value) -> PyResult<String> {
    if let Some(p) = v.payload().and_then(|p| p.as_str()) {
        if p.has_surrogates() {
            vm.call_method(v, "encode", &[vm.new_str("utf-8")])?;
        }
    }
    match vm.as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => vm.str_string(v),
    }
}

/// str, int/float subclasses and buffers (the shared part of binding).
fn plain_value(vm: &Vm, v: &Value) -> PyResult<Option<SqlValue>> {
    if vm.as_str(v).is_some() {
        return Ok(Some(SqlValue::Text(utf8_text(vm, v)?)));
    }
    if vm.isinstance_type(v, &vm.types.str) {
        let s = vm.str_string(v)?;
        return Ok(Some(SqlValue::Text(s)));
    }
    if vm.isinstance_type(v, &vm.types.int) {
        return match vm.index(v)? {
            Value::Int(i) => Ok(Some(SqlValue::Integer(i))),
            Value::Bool(b) => Ok(Some(SqlValue::Integer(b as i64))),
            _ => Err(vm.new_overflow_error("Python int too large to convert to SQLite INTEGER")),
        };
    }
    if vm.isinstance_type(v, &vm.types.float) {
        if let Some(f) = krait_vm::types::float::float_of(v) {
            return Ok(Some(SqlValue::Real(f)));
        }
    }
    if let Some(b) = buffer_bytes(vm, v)? {
        return Ok(Some(SqlValue::Blob(b)));
    }
    Ok(None)
}

/// The bytes of a buffer object (None: not one); a memoryview that is not
/// C-contiguous is refused with CPython's BufferError.
pub fn buffer_bytes(vm: &Vm, v: &Value) -> PyResult<Option<Vec<u8>>> {
    if vm.as_str(v).is_some() {
        return Ok(None);
    }
    let Some(b) = bytes_like(v) else { return Ok(None) };
    if vm.isinstance_type(v, &vm.types.memoryview) && !vm.truthy(&vm.getattr_str(v, "c_contiguous")?)? {
        let cls = vm.exc.buffer_error.clone();
        return Err(vm.new_exception_msg(&cls, "underlying buffer is not C-contiguous"));
    }
    Ok(Some(b))
}

/// A `Py_buffer` argument: any bytes-like object, else TypeError.
pub fn buffer_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    buffer_bytes(vm, v)?
        .ok_or_else(|| vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))))
}

/// Does a parameter go through the adapters? Exact int/float/str/bytearray
/// do not, unless an adapter was ever registered for one of those types.
fn needs_adapt(vm: &Vm, v: &Value) -> bool {
    if state(vm).base_type_adapted.get() {
        return true;
    }
    match v {
        Value::Int(_) | Value::Float(_) => false,
        Value::Obj(o) => {
            let c = o.class();
            !(c.is(&vm.types.str) || c.is(&vm.types.int) || c.is(&vm.types.float) || c.is(&vm.types.bytearray))
        }
        _ => true,
    }
}

/// The `PrepareProtocol` type object.
pub fn prepare_protocol(vm: &Vm) -> Value {
    Value::Obj(super::module::prepare_protocol_type(vm))
}

/// CPython's `pysqlite_microprotocols_adapt(obj, proto, alt)`: the
/// registered adapter for (type(obj), proto), else `proto.__adapt__(obj)`,
/// else `obj.__conform__(proto)`, else `alt` (None: "can't adapt").
pub fn adapt(vm: &Vm, obj: &Value, proto: &Value, alt: Option<&Value>) -> PyResult {
    let key = vm.new_tuple(vec![Value::Obj(vm.type_of(obj)), proto.clone()]);
    let adapters = state(vm).adapters_in(vm);
    if let Some(f) = vm.dict_get(&adapters, &key)? {
        return vm.call1(&f, &[obj.clone()]);
    }
    // A TypeError from `__adapt__`/`__conform__` means "cannot adapt".
    let attempt = |r: PyResult| -> PyResult<Option<Value>> {
        match r {
            Ok(v) if v.is_none() => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) if vm.exception_matches(&e, &vm.exc.type_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    if let Some(f) = vm.getattr_opt(proto, "__adapt__")? {
        if let Some(r) = attempt(vm.call1(&f, &[obj.clone()]))? {
            return Ok(r);
        }
    }
    if let Some(f) = vm.getattr_opt(obj, "__conform__")? {
        if let Some(r) = attempt(vm.call1(&f, &[proto.clone()]))? {
            return Ok(r);
        }
    }
    match alt {
        Some(a) => Ok(a.clone()),
        None => Err(programming(vm, "can't adapt")),
    }
}

/// A statement parameter (1-based `index`) as SQLite gets it.
pub fn bind_value(vm: &Vm, v: &Value, index: usize) -> PyResult<SqlValue> {
    let adapted;
    let v = if needs_adapt(vm, v) {
        adapted = adapt(vm, v, &prepare_protocol(vm), Some(v))?;
        &adapted
    } else {
        v
    };
    let r = match v {
        Value::None => Some(SqlValue::Null),
        Value::Bool(b) => Some(SqlValue::Integer(*b as i64)),
        Value::Int(i) => Some(SqlValue::Integer(*i)),
        Value::Float(f) => Some(SqlValue::Real(*f)),
        _ => plain_value(vm, v)?,
    };
    match r {
        Some(SqlValue::Text(s)) if s.len() > i32::MAX as usize => Err(vm.new_overflow_error("string longer than INT_MAX bytes")),
        Some(SqlValue::Blob(b)) if b.len() > i32::MAX as usize => Err(vm.new_overflow_error("BLOB longer than INT_MAX bytes")),
        Some(x) => Ok(x),
        None => Err(programming(
            vm,
            format!("Error binding parameter {index}: type '{}' is not supported", vm.type_name_of(v)),
        )),
    }
}

/// A str argument, checked the way the clinic's `str` converter words it.
pub fn str_arg<'a>(vm: &Vm, v: &'a Value, func: &str, argn: &str) -> PyResult<&'a str> {
    vm.as_str(v).ok_or_else(|| vm.new_type_error(format!("{func}() {argn} must be str, not {}", vm.type_name_of(v))))
}

/// Whether `v` is a dict (or a dict subclass).
pub fn is_dict(v: &Value) -> bool {
    matches!(v.payload().map(|p| p.base()), Some(Payload::Dict(_)))
}

