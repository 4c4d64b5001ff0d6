//! `_csv.Dialect`: the checked, immutable set of formatting parameters that
//! readers and writers copy. Built from a registered name, any object with
//! the attributes (csv.excel, an instance) and keyword overrides.

use super::{registered, QUOTE_MINIMAL, QUOTE_NONE};
use crate::native::{descr_error, native_type, new_object, split_new, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// The parameters in Rust form (CPython's `DialectObj` fields).
#[derive(Clone)]
pub(crate) struct Params {
    pub delimiter: char,
    pub quotechar: Option<char>,
    pub escapechar: Option<char>,
    pub doublequote: bool,
    pub skipinitialspace: bool,
    pub strict: bool,
    pub quoting: i32,
    pub lineterminator: String,
}

pub(crate) struct DialectObj {
    pub p: Params,
    /// The lineterminator object as given (a str, maybe of a subclass).
    lineterminator: Value,
}

impl krait_vm::gc::NativeData for DialectObj {}

const KWS: [&str; 9] = [
    "dialect",
    "delimiter",
    "doublequote",
    "escapechar",
    "lineterminator",
    "quotechar",
    "quoting",
    "skipinitialspace",
    "strict",
];

/// `PyArg_ParseTupleAndKeywords(args, kwargs, "|OOOOOOOOO", ...)` without
/// a function name: the messages say "function" and "this function".
fn bind(vm: &Vm, pos: &[Value], names: &[Value], vals: &[Value]) -> PyResult<Vec<Option<Value>>> {
    let given = pos.len() + names.len();
    if given > KWS.len() {
        return Err(vm.new_type_error(format!("function takes at most {} arguments ({given} given)", KWS.len())));
    }
    let mut out: Vec<Option<Value>> = pos.iter().cloned().map(Some).collect();
    out.resize(KWS.len(), None);
    let mut used = 0;
    for (i, kw) in KWS.iter().enumerate() {
        let found = names.iter().position(|n| vm.as_str(n) == Some(kw));
        if let Some(k) = found {
            if i < pos.len() {
                return Err(vm.new_type_error(format!(
                    "argument for function given by name ('{kw}') and position ({})",
                    i + 1
                )));
            }
            out[i] = Some(vals[k].clone());
            used += 1;
        }
    }
    if used < names.len() {
        for n in names {
            let s = vm.as_str(n).unwrap_or("");
            if !KWS.contains(&s) {
                return Err(vm.new_type_error(format!("'{s}' is an invalid keyword argument for this function")));
            }
        }
    }
    Ok(out)
}

fn set_char(vm: &Vm, name: &str, src: Option<&Value>, dflt: char) -> PyResult<char> {
    let Some(src) = src else { return Ok(dflt) };
    let Some(s) = vm.as_str(src) else {
        return Err(vm.new_type_error(format!("\"{name}\" must be string, not {}", vm.type_name_of(src))));
    };
    one_char(vm, name, s)
}

fn one_char(vm: &Vm, name: &str, s: &str) -> PyResult<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(vm.new_type_error(format!("\"{name}\" must be a 1-character string"))),
    }
}

fn set_char_or_none(vm: &Vm, name: &str, src: Option<&Value>, dflt: Option<char>) -> PyResult<Option<char>> {
    match src {
        None => Ok(dflt),
        Some(Value::None) => Ok(None),
        Some(v) => match vm.as_str(v) {
            Some(s) => one_char(vm, name, s).map(Some),
            None => Err(vm.new_type_error(format!("\"{name}\" must be string or None, not {}", vm.type_name_of(v)))),
        },
    }
}

fn set_bool(vm: &Vm, src: Option<&Value>, dflt: bool) -> PyResult<bool> {
    match src {
        None => Ok(dflt),
        Some(v) => vm.truthy(v),
    }
}

fn set_int(vm: &Vm, name: &str, src: Option<&Value>, dflt: i32) -> PyResult<i32> {
    let Some(v) = src else { return Ok(dflt) };
    if !vm.class_of(v).is(&vm.types.int) {
        return Err(vm.new_type_error(format!("\"{name}\" must be an integer")));
    }
    match v {
        Value::Int(i) => i32::try_from(*i).map_err(|_| vm.new_overflow_error("Python int too large to convert to C int")),
        _ => Err(vm.new_overflow_error("Python int too large to convert to C int")),
    }
}

/// Dialect(dialect=None, **overrides) for the class `cls`.
fn build(vm: &Vm, cls: &PyRef, mut a: Vec<Option<Value>>) -> PyResult {
    let t = native_type(vm, &DIALECT);
    let dialect = match a[0].take() {
        Some(d) if vm.as_str(&d).is_some() => Some(registered(vm, &d)?),
        other => other,
    };
    if let Some(d) = &dialect {
        // An existing Dialect with nothing overridden is used as it is.
        if vm.is_subtype(vm.class_of(d), &t) && a[1..].iter().all(|v| v.is_none()) {
            return Ok(d.clone());
        }
        for (i, slot) in a.iter_mut().enumerate().skip(1) {
            if slot.is_none() {
                // Any failure to read the attribute means "not given".
                *slot = vm.getattr_str(d, KWS[i]).ok();
            }
        }
    }
    let delimiter = set_char(vm, "delimiter", a[1].as_ref(), ',')?;
    let doublequote = set_bool(vm, a[2].as_ref(), true)?;
    let escapechar = set_char_or_none(vm, "escapechar", a[3].as_ref(), None)?;
    let lineterminator = match &a[4] {
        None => Some(vm.new_str("\r\n")),
        Some(Value::None) => None,
        Some(v) if vm.as_str(v).is_some() => Some(v.clone()),
        Some(_) => return Err(vm.new_type_error("\"lineterminator\" must be a string")),
    };
    let quotechar = set_char_or_none(vm, "quotechar", a[5].as_ref(), Some('"'))?;
    let mut quoting = set_int(vm, "quoting", a[6].as_ref(), QUOTE_MINIMAL)?;
    let skipinitialspace = set_bool(vm, a[7].as_ref(), false)?;
    let strict = set_bool(vm, a[8].as_ref(), false)?;
    if !(0..=QUOTE_NONE).contains(&quoting) {
        return Err(vm.new_type_error("bad \"quoting\" value"));
    }
    if matches!(a[5], Some(Value::None)) && a[6].is_none() {
        quoting = QUOTE_NONE;
    }
    if quoting != QUOTE_NONE && quotechar.is_none() {
        return Err(vm.new_type_error("quotechar must be set if quoting enabled"));
    }
    let Some(lineterminator) = lineterminator else {
        return Err(vm.new_type_error("lineterminator must be set"));
    };
    let p = Params {
        delimiter,
        quotechar,
        escapechar,
        doublequote,
        skipinitialspace,
        strict,
        quoting,
        lineterminator: vm.as_str(&lineterminator).unwrap_or("").to_string(),
    };
    Ok(new_object(vm, cls, &t, DialectObj { p, lineterminator }))
}

/// `_csv.Dialect(dialect, **kwargs)` as reader, writer and register_dialect
/// call it (CPython's `_call_dialect`).
pub(crate) fn call_dialect(vm: &Vm, dialect: Option<&Value>, names: &[Value], vals: &[Value]) -> PyResult {
    let t = native_type(vm, &DIALECT);
    let pos: Vec<Value> = dialect.into_iter().cloned().collect();
    let a = bind(vm, &pos, names, vals)?;
    build(vm, &t, a)
}

/// The parameters of a Dialect object (the result of `call_dialect`).
pub(crate) fn params(v: &Value) -> Params {
    match v.payload().and_then(|p| p.as_native::<DialectObj>()) {
        Some(d) => d.p.clone(),
        None => unreachable!("call_dialect returns Dialect objects"),
    }
}

fn dialect_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &DIALECT);
    let (cls, rest) = split_new(vm, args, &t)?;
    let start = rest.args.len() - rest.kwnames.len();
    let a = bind(vm, &rest.args[..start], rest.kwnames, &rest.args[start..])?;
    build(vm, &cls, a)
}

fn dialect_reduce(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__reduce__' needs an argument"))?;
    Err(vm.new_type_error(format!("cannot pickle '{}' instances", crate::native::short_type_name(vm, me))))
}

fn obj<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a DialectObj> {
    v.payload().and_then(|p| p.as_native::<DialectObj>()).ok_or_else(|| descr_error(vm, name, "_csv.Dialect", v))
}

fn char_or_none(vm: &Vm, c: Option<char>) -> Value {
    match c {
        Some(c) => vm.new_str(c.to_string()),
        None => Value::None,
    }
}

fn get_delimiter(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.new_str(obj(vm, v, "delimiter")?.p.delimiter.to_string()))
}
fn get_quotechar(vm: &Vm, v: &Value) -> PyResult {
    Ok(char_or_none(vm, obj(vm, v, "quotechar")?.p.quotechar))
}
fn get_escapechar(vm: &Vm, v: &Value) -> PyResult {
    Ok(char_or_none(vm, obj(vm, v, "escapechar")?.p.escapechar))
}
fn get_lineterminator(vm: &Vm, v: &Value) -> PyResult {
    Ok(obj(vm, v, "lineterminator")?.lineterminator.clone())
}
fn get_quoting(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(obj(vm, v, "quoting")?.p.quoting as i64))
}
fn get_doublequote(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(obj(vm, v, "doublequote")?.p.doublequote))
}
fn get_skipinitialspace(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(obj(vm, v, "skipinitialspace")?.p.skipinitialspace))
}
fn get_strict(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(obj(vm, v, "strict")?.p.strict))
}

static GETSETS: [GetSetDef; 8] = [
    GetSetDef { name: "delimiter", get: get_delimiter, set: None, doc: "" },
    GetSetDef { name: "doublequote", get: get_doublequote, set: None, doc: "" },
    GetSetDef { name: "escapechar", get: get_escapechar, set: None, doc: "" },
    GetSetDef { name: "lineterminator", get: get_lineterminator, set: None, doc: "" },
    GetSetDef { name: "quotechar", get: get_quotechar, set: None, doc: "" },
    GetSetDef { name: "quoting", get: get_quoting, set: None, doc: "" },
    GetSetDef { name: "skipinitialspace", get: get_skipinitialspace, set: None, doc: "" },
    GetSetDef { name: "strict", get: get_strict, set: None, doc: "" },
];

static METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", dialect_new),
    NativeDef::method("__reduce__", dialect_reduce),
    NativeDef::method("__reduce_ex__", dialect_reduce),
];

pub(crate) static DIALECT: TypeSpec = TypeSpec {
    module: "_csv",
    name: "Dialect",
    doc: "CSV dialect\n\nThe Dialect type records CSV parsing and generation options.\n",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
