//! The `_codecs` module: the codec search-function registry and cache,
//! the error-handler registry, `encode`/`decode`, and (in `codecs_funcs.rs`)
//! the codec functions CPython's `encodings` package calls. The codecs
//! themselves are in `krait_vm::types::str_codecs`.

use crate::native::make_module as new_module;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::collections::HashMap;

/// Per-interpreter registry state.
#[derive(Default)]
struct Registry {
    search: Vec<Value>,
    cache: HashMap<String, Value>,
    errors: HashMap<String, Value>,
    /// `encodings` is imported on the first look-up (as CPython does).
    initialised: bool,
}

#[derive(Default)]
struct CodecState {
    registry: RefCell<Registry>,
}

/// Runs `f` on the interpreter's registry. `f` must not call Python code nor
/// drop Python objects (a `__del__` could come back here): return them instead.
fn with_reg<R>(vm: &Vm, f: impl FnOnce(&mut Registry) -> R) -> R {
    f(&mut vm.state::<CodecState>().registry.borrow_mut())
}

/// CPython's `normalizestring`: ASCII letters lowered, each run of other
/// characters (except '.') becomes one '_' between words.
pub fn normalize_encoding(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            punct = false;
        } else {
            punct = true;
        }
    }
    out
}

pub(crate) fn str_arg<'a>(vm: &Vm, fname: &str, n: usize, v: &'a Value) -> PyResult<&'a str> {
    vm.as_str(v).ok_or_else(|| {
        vm.new_type_error(format!("{fname}() argument {n} must be str, not {}", vm.type_name_of(v)))
    })
}

fn register(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "register", &args, 1, 1)?;
    if !vm.is_callable(&a[0]) {
        return Err(vm.new_type_error("argument must be callable"));
    }
    with_reg(vm, |r| r.search.push(a[0].clone()));
    Ok(Value::None)
}

fn unregister(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "unregister", &args, 1, 1)?;
    let list = with_reg(vm, |r| r.search.clone());
    for (i, f) in list.iter().enumerate() {
        if f.is(&a[0]) {
            // Dropped after the registry's borrow ends.
            let _gone = with_reg(vm, |r| (r.search.remove(i), std::mem::take(&mut r.cache)));
            break;
        }
    }
    Ok(Value::None)
}

/// `codecs.lookup`: cache, then the search functions in registration order.
pub fn lookup_codec(vm: &Vm, name: &str) -> PyResult {
    if name.contains('\0') {
        return Err(vm.new_value_error("embedded null character"));
    }
    if !with_reg(vm, |r| std::mem::replace(&mut r.initialised, true)) {
        vm.import_full("encodings")?;
    }
    let norm = normalize_encoding(name);
    if let Some(v) = with_reg(vm, |r| r.cache.get(&norm).cloned()) {
        return Ok(v);
    }
    let funcs = with_reg(vm, |r| r.search.clone());
    for f in funcs {
        let res = vm.call1(&f, &[vm.new_str(norm.as_str())])?;
        if res.is_none() {
            continue;
        }
        if res.payload().and_then(|p| p.as_tuple()).map_or(true, |t| t.len() != 4) {
            return Err(vm.new_type_error("codec search functions must return 4-tuples"));
        }
        with_reg(vm, |r| r.cache.insert(norm, res.clone()));
        return Ok(res);
    }
    Err(vm.new_exception_msg(&vm.exc.lookup_error, format!("unknown encoding: {name}")))
}

fn lookup(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "lookup", &args, 1, 1)?;
    let name = vm
        .as_str(&a[0])
        .ok_or_else(|| vm.new_type_error(format!("lookup() argument must be str, not {}", vm.type_name_of(&a[0]))))?;
    lookup_codec(vm, name)
}

fn forget_codec(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "_forget_codec", &args, 1, 1)?;
    let name = normalize_encoding(str_arg(vm, "_forget_codec", 1, &a[0])?);
    with_reg(vm, |r| r.cache.remove(&name));
    Ok(Value::None)
}

/// `codecs.encode`/`decode(obj, encoding='utf-8', errors='strict')`.
fn run_codec(vm: &Vm, args: Args, fname: &str, index: usize) -> PyResult {
    let b = vm.bind_native(fname, args, &["obj", "encoding", "errors"], 0, 1, None)?;
    let obj = b[0].clone().unwrap_or(Value::None);
    let enc = match &b[1] {
        Some(v) => str_arg(vm, fname, 2, v)?.to_string(),
        None => "utf-8".to_string(),
    };
    let errors = match &b[2] {
        Some(v) => str_arg(vm, fname, 3, v)?.to_string(),
        None => "strict".to_string(),
    };
    let info = lookup_codec(vm, &enc)?;
    let f = vm.getitem(&info, &Value::Int(index as i64))?;
    let operation = if index == 0 { "encoding" } else { "decoding" };
    let res = vm
        .call1(&f, &[obj, vm.new_str(errors)])
        .map_err(|e| krait_vm::types::str_codecs::wrap_codec_error(vm, e, operation, &enc))?;
    match res.payload().and_then(|p| p.as_tuple()) {
        Some(t) if t.len() == 2 => Ok(t[0].clone()),
        _ => Err(vm.new_type_error(format!(
            "{} must return a tuple (object, integer)",
            if index == 0 { "encoder" } else { "decoder" }
        ))),
    }
}

fn encode(vm: &Vm, args: Args) -> PyResult {
    run_codec(vm, args, "encode", 0)
}

fn decode(vm: &Vm, args: Args) -> PyResult {
    run_codec(vm, args, "decode", 1)
}

fn register_error(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "register_error", &args, 2, 2)?;
    let name = str_arg(vm, "register_error", 1, &a[0])?.to_string();
    if !vm.is_callable(&a[1]) {
        return Err(vm.new_type_error("handler must be callable"));
    }
    with_reg(vm, |r| r.errors.insert(name, a[1].clone()));
    Ok(Value::None)
}

fn lookup_error(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "lookup_error", &args, 1, 1)?;
    let name = str_arg(vm, "lookup_error", 1, &a[0])?;
    if let Some(h) = with_reg(vm, |r| r.errors.get(name).cloned()) {
        return Ok(h);
    }
    if let Some(def) = crate::codecs_funcs::builtin_handler(name) {
        let f = vm.new_native_function(def, None);
        with_reg(vm, |r| r.errors.insert(name.to_string(), f.clone()));
        return Ok(f);
    }
    Err(vm.new_exception_msg(&vm.exc.lookup_error, format!("unknown error handler name '{name}'")))
}

static FUNCS: [NativeDef; 8] = [
    NativeDef::function("register", register),
    NativeDef::function("unregister", unregister),
    NativeDef::function("lookup", lookup),
    NativeDef::function("_forget_codec", forget_codec),
    NativeDef::function("encode", encode),
    NativeDef::function("decode", decode),
    NativeDef::function("register_error", register_error),
    NativeDef::function("lookup_error", lookup_error),
];

/// Creates the `_codecs` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let m = new_module(vm, "_codecs", "", &FUNCS, Vec::new());
    let dict = match &m.payload {
        krait_vm::payload::Payload::Module(md) => md.dict.clone(),
        _ => return Ok(m),
    };
    for def in crate::codecs_funcs::CODEC_FUNCS.iter() {
        vm.dict_set_str(&dict, &vm.intern(def.name), vm.new_native_function(def, None));
    }
    Ok(m)
}
