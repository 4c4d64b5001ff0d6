//! `pyexpat`: CPython's interface to the expat XML parser, with an XML 1.0
//! parser of our own underneath (streaming: the text may arrive in pieces
//! split anywhere). `xml.etree.ElementTree`, `xml.dom.minidom`, `xml.sax`,
//! `plistlib` and `xmlrpc` are built on it.
//!
//! - `scan`, `content`, `prolog`: the tokenizers;
//! - `core`, `dtd`: the parser proper, turning text into `events`;
//! - `encoding`: bytes to UTF-8;
//! - `xmlparser`, `attrs`: the Python type; `errors`: expat's error table.

mod attrs;
mod content;
mod core;
mod decl;
mod dtd;
mod encoding;
mod errors;
mod events;
mod prolog;
mod scan;
mod xmlparser;

use crate::native::{make_module as new_module, native_type};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

#[derive(Default)]
struct ModState {
    error: RefCell<Option<PyRef>>,
}

/// `pyexpat.ExpatError`, made when the module is imported.
pub(crate) fn error_class(vm: &Vm) -> PyResult<PyRef> {
    if let Some(c) = &*vm.state::<ModState>().error.borrow() {
        return Ok(c.clone());
    }
    vm.import_full("pyexpat")?;
    vm.state::<ModState>().error.borrow().clone().ok_or_else(|| vm.new_system_error("pyexpat is not initialized"))
}

fn make_error_class(vm: &Vm) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("xml.parsers.expat"));
    let args = [vm.new_str("ExpatError"), vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]), Value::Obj(ns)];
    match vm.call1(&Value::Obj(vm.types.type_.clone()), &args)? {
        Value::Obj(t) => Ok(t),
        _ => Err(vm.new_system_error("type() did not return a class")),
    }
}

/// `ParserCreate(encoding=None, namespace_separator=None, intern=<new dict>)`.
fn parser_create(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("ParserCreate", args, &["encoding", "namespace_separator", "intern"], 0, 0, None)?;
    let text_arg = |i: usize, name: &str| -> PyResult<Option<String>> {
        match &b[i] {
            None | Some(Value::None) => Ok(None),
            Some(v) => match vm.as_str(v) {
                Some(s) => Ok(Some(s.to_string())),
                None => Err(vm.new_type_error(format!(
                    "ParserCreate() argument '{name}' must be str or None, not {}",
                    vm.type_name_of(v)
                ))),
            },
        }
    };
    let encoding = text_arg(0, "encoding")?;
    let sep = text_arg(1, "namespace_separator")?;
    if sep.as_ref().is_some_and(|s| s.chars().count() > 1) {
        return Err(vm.new_value_error("namespace_separator must be at most one character, omitted, or None"));
    }
    let intern = match &b[2] {
        None => Some(Value::Obj(vm.new_dict())),
        Some(Value::None) => None,
        Some(d) if d.payload().and_then(|p| p.as_dict()).is_some() => Some(d.clone()),
        Some(_) => return Err(vm.new_type_error("intern must be a dictionary")),
    };
    Ok(xmlparser::new_parser(vm, encoding, sep, intern))
}

/// `ErrorString(code)`: expat's message, None for unknown codes.
fn error_string(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("ErrorString", args, 1, 1)?;
    let code = crate::native::ssize(vm, &args.args[0])?;
    Ok(errors::message(code).map_or(Value::None, |m| vm.new_str(m)))
}

static FUNCS: [NativeDef; 2] = [
    NativeDef::function("ParserCreate", parser_create)
        .doc("ParserCreate($module, /, encoding=None, namespace_separator=None, intern=<unrepresentable>)\n--\n\nReturn a new XML parser object."),
    NativeDef::function("ErrorString", error_string)
        .doc("ErrorString($module, code, /)\n--\n\nReturns string error for given number."),
];

fn submodule(vm: &Vm, name: &str, doc: &'static str, attrs: Vec<(&str, Value)>) -> PyResult<Value> {
    let m = Value::Obj(new_module(vm, name, doc, &[], attrs));
    let sys = vm.import_full("sys")?;
    let modules = vm.getattr_str(&Value::Obj(sys), "modules")?;
    if let Value::Obj(d) = &modules {
        vm.dict_set(d, vm.new_str(name), m.clone())?;
    }
    Ok(m)
}

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let error = make_error_class(vm)?;
    *vm.state::<ModState>().error.borrow_mut() = Some(error.clone());
    let t = native_type(vm, &xmlparser::XMLPARSER);
    krait_vm::types::add_getsets(vm, &t, &attrs::ATTR_GETSETS);
    vm.refresh_slots(&t);

    let codes = vm.new_dict();
    let messages = vm.new_dict();
    let mut err_attrs: Vec<(&str, Value)> = Vec::new();
    for (i, (name, msg)) in errors::ERRORS.iter().enumerate() {
        let code = Value::Int(i as i64 + 1);
        vm.dict_set(&codes, vm.new_str(msg), code.clone())?;
        vm.dict_set(&messages, code, vm.new_str(msg))?;
        err_attrs.push((name, vm.new_str(msg)));
    }
    err_attrs.push(("codes", Value::Obj(codes)));
    err_attrs.push(("messages", Value::Obj(messages)));
    let errors_mod = submodule(vm, "pyexpat.errors", "Constants used to describe error conditions.", err_attrs)?;
    let model_attrs = errors::MODEL.iter().map(|(n, v)| (*n, Value::Int(*v))).collect();
    let model_mod = submodule(vm, "pyexpat.model", "Constants used to interpret content model information.", model_attrs)?;

    let features = vec![
        ("sizeof(XML_Char)", 1),
        ("sizeof(XML_LChar)", 1),
        ("XML_DTD", 0),
        ("XML_CONTEXT_BYTES", 1024),
        ("XML_NS", 0),
        ("XML_BLAP_MAX_AMP", 100),
        ("XML_BLAP_ACT_THRES", 8388608),
    ]
    .into_iter()
    .map(|(n, v)| vm.new_tuple(vec![vm.new_str(n), Value::Int(v)]))
    .collect();
    let attrs = vec![
        ("EXPAT_VERSION", vm.new_str("expat_2.5.0")),
        ("version_info", vm.new_tuple(vec![Value::Int(2), Value::Int(5), Value::Int(0)])),
        ("native_encoding", vm.new_str("UTF-8")),
        ("features", vm.new_list(features)),
        ("error", Value::Obj(error.clone())),
        ("ExpatError", Value::Obj(error)),
        ("XMLParserType", Value::Obj(t)),
        ("XML_PARAM_ENTITY_PARSING_NEVER", Value::Int(0)),
        ("XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE", Value::Int(1)),
        ("XML_PARAM_ENTITY_PARSING_ALWAYS", Value::Int(2)),
        ("errors", errors_mod),
        ("model", model_mod),
    ];
    Ok(new_module(vm, "pyexpat", "Python wrapper for Expat parser.", &FUNCS, attrs))
}
