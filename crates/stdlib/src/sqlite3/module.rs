//! The module object: `connect`, `complete_statement`, the adapter and
//! converter registries, `enable_callback_tracebacks`, `PrepareProtocol`
//! and the constants.

use super::codes::{AUTH_CODES, ERROR_CODES, LIMIT_CODES};
use super::errors::exceptions;
use super::values::{adapt, prepare_protocol, str_arg};
use super::{state, PARSE_COLNAMES, PARSE_DECLTYPES};
use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::gc::NativeData;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

struct Protocol;
impl NativeData for Protocol {}

fn protocol_new(vm: &Vm, args: Args) -> PyResult {
    let t = prepare_protocol_type(vm);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, Protocol))
}

fn protocol_init(_vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::None)
}

static PROTOCOL_METHODS: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", protocol_new), NativeDef::method("__init__", protocol_init)];

static PROTOCOL_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "PrepareProtocol",
    doc: "PEP 246 style object adaption protocol type.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &PROTOCOL_METHODS,
    more_methods: &[],
    getsets: &[],
};

pub fn prepare_protocol_type(vm: &Vm) -> PyRef {
    native_type(vm, &PROTOCOL_SPEC)
}

/// `complete_statement(statement)`: does the text end a statement
/// (a semicolon outside strings, identifiers, comments and triggers)?
fn complete_statement(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::bind(vm, "complete_statement", args, &["statement"], 1)?;
    let v = a[0].clone().unwrap_or(Value::None);
    let s = str_arg(vm, &v, "complete_statement", "argument 'statement'")?;
    Ok(Value::Bool(super::sqltext::complete(s)))
}

/// `register_adapter(type, adapter, /)`.
fn register_adapter(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "register_adapter", &args, 2, 2)?;
    let st = state(vm);
    let t = &a[0];
    if let Value::Obj(o) = t {
        let ty = &vm.types;
        if o.is(&ty.int) || o.is(&ty.float) || o.is(&ty.str) || o.is(&ty.bytearray) {
            st.base_type_adapted.set(true);
        }
    }
    let key = vm.new_tuple(vec![t.clone(), prepare_protocol(vm)]);
    vm.dict_set(&st.adapters_in(vm), key, a[1].clone())?;
    Ok(Value::None)
}

/// `register_converter(typename, converter, /)`.
fn register_converter(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "register_converter", &args, 2, 2)?;
    let name = str_arg(vm, &a[0], "register_converter", "argument 1")?;
    let upper = vm.call_method(&a[0], "upper", &[])?;
    let _ = name;
    vm.dict_set(&state(vm).converters_in(vm), upper, a[1].clone())?;
    Ok(Value::None)
}

/// `adapt(obj, proto=PrepareProtocol, alt=<unrepresentable>, /)`.
fn adapt_fn(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "adapt", &args, 1, 3)?;
    let proto = a.get(1).cloned().unwrap_or_else(|| prepare_protocol(vm));
    adapt(vm, &a[0], &proto, a.get(2))
}

/// `enable_callback_tracebacks(enable, /)`.
fn enable_callback_tracebacks(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "enable_callback_tracebacks", &args, 1, 1)?;
    let on = crate::native::c_int(vm, &a[0])? != 0;
    state(vm).tracebacks.set(on);
    Ok(Value::None)
}

/// `enable_shared_cache(do_enable)`: deprecated; rusqlite's safe API has
/// no `sqlite3_enable_shared_cache`, so changing the flag fails here.
fn enable_shared_cache(vm: &Vm, args: Args) -> PyResult {
    crate::native::bind(vm, "enable_shared_cache", args, &["do_enable"], 1)?;
    let msg = "enable_shared_cache is deprecated and will be removed in Python 3.12. Shared cache is strongly discouraged by the SQLite 3 documentation. If shared cache must be used, open the database in URI mode usingthe cache=shared query parameter.";
    vm.warn(&vm.exc.deprecation_warning, msg)?;
    Err(super::errors::operational(vm, "Changing the shared_cache flag failed"))
}

static FUNCS: [NativeDef; 7] = [
    NativeDef::function("connect", super::connection::connect).doc("connect($module, /, database, timeout=5.0, detect_types=0,\n        isolation_level='', check_same_thread=True,\n        factory=ConnectionType, cached_statements=128, uri=False)\n--\n\nOpens a connection to the SQLite database file database.\n\nYou can use \":memory:\" to open a database connection to a database that resides\nin RAM instead of on disk."),
    NativeDef::function("complete_statement", complete_statement).doc("complete_statement($module, /, statement)\n--\n\nChecks if a string contains a complete SQL statement."),
    NativeDef::function("register_adapter", register_adapter).doc("register_adapter($module, type, adapter, /)\n--\n\nRegister a function to adapt Python objects to SQLite values."),
    NativeDef::function("register_converter", register_converter).doc("register_converter($module, typename, converter, /)\n--\n\nRegister a function to convert SQLite values to Python objects."),
    NativeDef::function("adapt", adapt_fn).doc("adapt($module, obj, proto=PrepareProtocolType, alt=<unrepresentable>, /)\n--\n\nAdapt given object to given protocol."),
    NativeDef::function("enable_callback_tracebacks", enable_callback_tracebacks).doc("enable_callback_tracebacks($module, enable, /)\n--\n\nEnable or disable callback functions throwing errors to stderr."),
    NativeDef::function("enable_shared_cache", enable_shared_cache),
];

/// Creates the `_sqlite3` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let exc = exceptions(vm);
    let st = state(vm);
    let mut attrs: Vec<(&str, Value)> = Vec::new();
    for (name, cls) in exc.named() {
        attrs.push((name, Value::Obj(cls)));
    }
    attrs.push(("Connection", Value::Obj(super::connection::connection_type(vm))));
    attrs.push(("Cursor", Value::Obj(super::cursor::cursor_type(vm))));
    attrs.push(("Row", Value::Obj(super::row::make_type(vm))));
    attrs.push(("Blob", Value::Obj(super::blob::blob_type(vm))));
    // Blobs are not sequences: `in` and iteration must not fall back to __getitem__.
    let blob = super::blob::blob_type(vm);
    krait_vm::types::add_attr(vm, &blob, "__iter__", Value::None);
    vm.refresh_slots(&blob);
    attrs.push(("PrepareProtocol", Value::Obj(prepare_protocol_type(vm))));
    attrs.push(("adapters", Value::Obj(st.adapters_in(vm))));
    attrs.push(("converters", Value::Obj(st.converters_in(vm))));
    attrs.push(("PARSE_DECLTYPES", Value::Int(PARSE_DECLTYPES as i64)));
    attrs.push(("PARSE_COLNAMES", Value::Int(PARSE_COLNAMES as i64)));
    for (name, code) in ERROR_CODES.iter().chain(AUTH_CODES).chain(LIMIT_CODES) {
        attrs.push((name, Value::Int(*code as i64)));
    }
    attrs.push(("sqlite_version", vm.new_str(rusqlite::version())));
    attrs.push(("version", vm.new_str("2.6.0")));
    // SQLITE_THREADSAFE=1 (serialized) maps to DB-API level 3.
    attrs.push(("threadsafety", Value::Int(3)));
    Ok(crate::native::make_module(vm, "_sqlite3", "", &FUNCS, attrs))
}
