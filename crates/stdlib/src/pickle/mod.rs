//! `_pickle`: the native Pickler and Unpickler that `pickle.py` uses when
//! present, with the C accelerator's opcodes, framing, memo and error
//! messages (which differ in places from the pure-Python classes).
//!
//! The module keeps what CPython's module state keeps: the error classes,
//! copyreg's dispatch and extension tables, `_compat_pickle`'s name maps,
//! and the few callables the pickler builds reductions from.

mod memo_proxy;
mod picklebuffer;
mod pickler;
mod pickler_type;
mod save_global;
mod unpickler;

use crate::native::native_type;
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub(crate) const HIGHEST_PROTOCOL: i64 = 5;
pub(crate) const DEFAULT_PROTOCOL: i64 = 4;

/// The opcodes (pickletools documents them).
#[allow(dead_code)]
pub(crate) mod op {
    pub const MARK: u8 = b'(';
    pub const STOP: u8 = b'.';
    pub const POP: u8 = b'0';
    pub const POP_MARK: u8 = b'1';
    pub const DUP: u8 = b'2';
    pub const FLOAT: u8 = b'F';
    pub const INT: u8 = b'I';
    pub const BININT: u8 = b'J';
    pub const BININT1: u8 = b'K';
    pub const LONG: u8 = b'L';
    pub const BININT2: u8 = b'M';
    pub const NONE: u8 = b'N';
    pub const PERSID: u8 = b'P';
    pub const BINPERSID: u8 = b'Q';
    pub const REDUCE: u8 = b'R';
    pub const STRING: u8 = b'S';
    pub const BINSTRING: u8 = b'T';
    pub const SHORT_BINSTRING: u8 = b'U';
    pub const UNICODE: u8 = b'V';
    pub const BINUNICODE: u8 = b'X';
    pub const APPEND: u8 = b'a';
    pub const BUILD: u8 = b'b';
    pub const GLOBAL: u8 = b'c';
    pub const DICT: u8 = b'd';
    pub const EMPTY_DICT: u8 = b'}';
    pub const APPENDS: u8 = b'e';
    pub const GET: u8 = b'g';
    pub const BINGET: u8 = b'h';
    pub const INST: u8 = b'i';
    pub const LONG_BINGET: u8 = b'j';
    pub const LIST: u8 = b'l';
    pub const EMPTY_LIST: u8 = b']';
    pub const OBJ: u8 = b'o';
    pub const PUT: u8 = b'p';
    pub const BINPUT: u8 = b'q';
    pub const LONG_BINPUT: u8 = b'r';
    pub const SETITEM: u8 = b's';
    pub const TUPLE: u8 = b't';
    pub const EMPTY_TUPLE: u8 = b')';
    pub const SETITEMS: u8 = b'u';
    pub const BINFLOAT: u8 = b'G';
    pub const PROTO: u8 = 0x80;
    pub const NEWOBJ: u8 = 0x81;
    pub const EXT1: u8 = 0x82;
    pub const EXT2: u8 = 0x83;
    pub const EXT4: u8 = 0x84;
    pub const TUPLE1: u8 = 0x85;
    pub const TUPLE2: u8 = 0x86;
    pub const TUPLE3: u8 = 0x87;
    pub const NEWTRUE: u8 = 0x88;
    pub const NEWFALSE: u8 = 0x89;
    pub const LONG1: u8 = 0x8a;
    pub const LONG4: u8 = 0x8b;
    pub const BINBYTES: u8 = b'B';
    pub const SHORT_BINBYTES: u8 = b'C';
    pub const SHORT_BINUNICODE: u8 = 0x8c;
    pub const BINUNICODE8: u8 = 0x8d;
    pub const BINBYTES8: u8 = 0x8e;
    pub const EMPTY_SET: u8 = 0x8f;
    pub const ADDITEMS: u8 = 0x90;
    pub const FROZENSET: u8 = 0x91;
    pub const NEWOBJ_EX: u8 = 0x92;
    pub const STACK_GLOBAL: u8 = 0x93;
    pub const MEMOIZE: u8 = 0x94;
    pub const FRAME: u8 = 0x95;
    pub const BYTEARRAY8: u8 = 0x96;
    pub const NEXT_BUFFER: u8 = 0x97;
    pub const READONLY_BUFFER: u8 = 0x98;
}

/// What the module looked up once at import, as CPython's `PickleState`.
pub(crate) struct Globals {
    pub pickle_error: PyRef,
    pub pickling_error: PyRef,
    pub unpickling_error: PyRef,
    pub dispatch_table: Value,
    pub extension_registry: Value,
    pub inverted_registry: Value,
    pub extension_cache: Value,
    pub name_mapping_2to3: Value,
    pub import_mapping_2to3: Value,
    pub name_mapping_3to2: Value,
    pub import_mapping_3to2: Value,
    pub codecs_encode: Value,
    pub getattr: Value,
    pub partial: Value,
    /// Attribute names looked up per object, interned once.
    pub names: Names,
}

pub(crate) struct Names {
    pub reduce_ex: PyRef,
    pub reduce: PyRef,
    pub name: PyRef,
    pub class: PyRef,
    pub new: PyRef,
    pub setstate: PyRef,
    pub dict: PyRef,
}

#[derive(Default)]
struct PickleModState {
    globals: RefCell<Option<std::rc::Rc<Globals>>>,
}

/// The module state (the module is imported before any pickler exists).
pub(crate) fn globals(vm: &Vm) -> PyResult<std::rc::Rc<Globals>> {
    if let Some(g) = &*vm.state::<PickleModState>().globals.borrow() {
        return Ok(g.clone());
    }
    vm.import_full("_pickle")?;
    match &*vm.state::<PickleModState>().globals.borrow() {
        Some(g) => Ok(g.clone()),
        None => Err(vm.new_system_error("_pickle state is not initialized")),
    }
}

fn module_error(vm: &Vm, class: fn(&Globals) -> &PyRef, msg: String) -> PyErr {
    match globals(vm) {
        Ok(g) => vm.new_exception_msg(class(&g), msg),
        Err(e) => e,
    }
}

pub(crate) fn pickling_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    module_error(vm, |g| &g.pickling_error, msg.into())
}

pub(crate) fn unpickling_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    module_error(vm, |g| &g.unpickling_error, msg.into())
}

/// A global renamed between Python 2 and 3 by `_compat_pickle`'s tables:
/// the (module, name) pair the name table gives, else the module the import
/// table gives. `prefix` is "REVERSE_" for the 3-to-2 tables (in errors).
pub(crate) fn rename_global(
    vm: &Vm,
    names: &Value,
    imports: &Value,
    prefix: &str,
    module: Value,
    name: Value,
) -> PyResult<(Value, Value)> {
    let key = vm.new_tuple(vec![module.clone(), name.clone()]);
    if let Some(item) = vm.dict_get(names.as_obj().expect("dict"), &key)? {
        let Some([m, n]) = item.payload().and_then(|p| p.as_tuple()) else {
            return Err(vm.new_runtime_error(format!(
                "_compat_pickle.{prefix}NAME_MAPPING values should be 2-tuples, not {}",
                vm.type_name_of(&item)
            )));
        };
        if vm.as_str(m).is_none() || vm.as_str(n).is_none() {
            return Err(vm.new_runtime_error(format!(
                "_compat_pickle.{prefix}NAME_MAPPING values should be pairs of str, not ({}, {})",
                vm.type_name_of(m),
                vm.type_name_of(n)
            )));
        }
        return Ok((m.clone(), n.clone()));
    }
    if let Some(m) = vm.dict_get(imports.as_obj().expect("dict"), &module)? {
        if vm.as_str(&m).is_none() {
            return Err(vm.new_runtime_error(format!(
                "_compat_pickle.{prefix}IMPORT_MAPPING values should be strings, not {}",
                vm.type_name_of(&m)
            )));
        }
        return Ok((m, name));
    }
    Ok((module, name))
}

fn make_error_class(vm: &Vm, name: &str, base: &PyRef, doc: Option<&str>) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("_pickle"));
    if let Some(doc) = doc {
        vm.dict_set_str(&ns, &vm.intern("__doc__"), vm.new_str(doc));
    }
    let args = [vm.new_str(name), vm.new_tuple(vec![Value::Obj(base.clone())]), Value::Obj(ns)];
    match vm.call1(&Value::Obj(vm.types.type_.clone()), &args)? {
        Value::Obj(t) => Ok(t),
        _ => Err(vm.new_system_error("type() did not return a class")),
    }
}

fn attr_of(vm: &Vm, module: &str, name: &str) -> PyResult {
    let m = vm.import_full(module)?;
    vm.getattr_str(&Value::Obj(m), name)
}

/// A dict the module needs from another module, checked as CPython does.
fn dict_attr(vm: &Vm, module: &str, name: &str) -> PyResult {
    let v = attr_of(vm, module, name)?;
    if v.payload().and_then(|p| p.as_dict()).is_none() {
        return Err(vm.new_runtime_error(format!(
            "{module}.{name} should be a dict, not {}",
            vm.type_name_of(&v)
        )));
    }
    Ok(v)
}

fn init_globals(vm: &Vm) -> PyResult<Globals> {
    let pickle_error = make_error_class(vm, "PickleError", &vm.exc.exception, None)?;
    let pickling_error = make_error_class(vm, "PicklingError", &pickle_error, None)?;
    let unpickling_error = make_error_class(vm, "UnpicklingError", &pickle_error, None)?;
    let builtins = vm.import_full("builtins")?;
    Ok(Globals {
        pickle_error,
        pickling_error,
        unpickling_error,
        dispatch_table: dict_attr(vm, "copyreg", "dispatch_table")?,
        extension_registry: dict_attr(vm, "copyreg", "_extension_registry")?,
        inverted_registry: dict_attr(vm, "copyreg", "_inverted_registry")?,
        extension_cache: dict_attr(vm, "copyreg", "_extension_cache")?,
        name_mapping_2to3: dict_attr(vm, "_compat_pickle", "NAME_MAPPING")?,
        import_mapping_2to3: dict_attr(vm, "_compat_pickle", "IMPORT_MAPPING")?,
        name_mapping_3to2: dict_attr(vm, "_compat_pickle", "REVERSE_NAME_MAPPING")?,
        import_mapping_3to2: dict_attr(vm, "_compat_pickle", "REVERSE_IMPORT_MAPPING")?,
        codecs_encode: attr_of(vm, "codecs", "encode")?,
        getattr: vm.getattr_str(&Value::Obj(builtins), "getattr")?,
        partial: attr_of(vm, "functools", "partial")?,
        names: Names {
            reduce_ex: vm.intern("__reduce_ex__"),
            reduce: vm.intern("__reduce__"),
            name: vm.intern("__name__"),
            class: vm.intern("__class__"),
            new: vm.intern("__new__"),
            setstate: vm.intern("__setstate__"),
            dict: vm.intern("__dict__"),
        },
    })
}

/// `dump(obj, file, protocol=None, *, fix_imports=True, buffer_callback=None)`.
fn pickle_dump(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("dump", args, &["obj", "file", "protocol", "fix_imports", "buffer_callback"], 0, 2, Some(3))?;
    let p = pickler::Pickler::new_detached();
    p.configure(vm, b[1].as_ref(), b[2].as_ref(), b[3].as_ref(), b[4].as_ref())?;
    let obj = b[0].clone().unwrap_or(Value::None);
    p.dump(vm, None, &obj)?;
    p.flush_to_file(vm)?;
    Ok(Value::None)
}

/// `dumps(obj, protocol=None, *, fix_imports=True, buffer_callback=None)`.
fn pickle_dumps(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("dumps", args, &["obj", "protocol", "fix_imports", "buffer_callback"], 0, 1, Some(2))?;
    let p = pickler::Pickler::new_detached();
    p.configure(vm, None, b[1].as_ref(), b[2].as_ref(), b[3].as_ref())?;
    let obj = b[0].clone().unwrap_or(Value::None);
    p.dump(vm, None, &obj)?;
    Ok(vm.new_bytes(p.take_output()))
}

/// `load(file, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
fn pickle_load(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("load", args, &["file", "fix_imports", "encoding", "errors", "buffers"], 0, 1, Some(1))?;
    let u = unpickler::Unpickler::new_detached();
    u.configure(vm, b[0].as_ref(), b[1].as_ref(), b[2].as_ref(), b[3].as_ref(), b[4].as_ref())?;
    u.load(vm, None)
}

/// `loads(data, /, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
fn pickle_loads(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("loads", args, &["data", "fix_imports", "encoding", "errors", "buffers"], 1, 1, Some(1))?;
    let data = b[0].clone().unwrap_or(Value::None);
    if vm.as_str(&data).is_some() {
        return Err(vm.new_type_error("a bytes-like object is required, not 'str'"));
    }
    let Some(bytes) = krait_vm::types::int::bytes_like(&data) else {
        return Err(vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&data))));
    };
    let u = unpickler::Unpickler::new_detached();
    u.configure_bytes(vm, bytes, b[1].as_ref(), b[2].as_ref(), b[3].as_ref(), b[4].as_ref())?;
    u.load(vm, None)
}

static FUNCTIONS: [NativeDef; 4] = [
    NativeDef::function("dump", pickle_dump).doc("dump($module, /, obj, file, protocol=None, *, fix_imports=True,\n     buffer_callback=None)\n--\n\nPickle obj and write the pickle to the binary file."),
    NativeDef::function("dumps", pickle_dumps).doc("dumps($module, /, obj, protocol=None, *, fix_imports=True,\n      buffer_callback=None)\n--\n\nPickle obj and return the pickle as bytes."),
    NativeDef::function("load", pickle_load).doc("load($module, /, file, *, fix_imports=True, encoding='ASCII',\n     errors='strict', buffers=())\n--\n\nRead one pickle from the binary file and return the object it holds."),
    NativeDef::function("loads", pickle_loads).doc("loads($module, data, /, *, fix_imports=True, encoding='ASCII',\n      errors='strict', buffers=())\n--\n\nReturn the object the pickle in data holds."),
];

/// Creates the `_pickle` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let g = init_globals(vm)?;
    let attrs = vec![
        ("PickleError", Value::Obj(g.pickle_error.clone())),
        ("PicklingError", Value::Obj(g.pickling_error.clone())),
        ("UnpicklingError", Value::Obj(g.unpickling_error.clone())),
        ("Pickler", Value::Obj(native_type(vm, &pickler_type::PICKLER))),
        ("Unpickler", Value::Obj(native_type(vm, &unpickler::UNPICKLER))),
        ("PickleBuffer", Value::Obj(native_type(vm, &picklebuffer::PICKLE_BUFFER))),
    ];
    *vm.state::<PickleModState>().globals.borrow_mut() = Some(std::rc::Rc::new(g));
    Ok(crate::native::make_module(vm, "_pickle", "The native pickler and unpickler that the pickle module uses.", &FUNCTIONS, attrs))
}
