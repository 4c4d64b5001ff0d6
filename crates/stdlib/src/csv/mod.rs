//! The `_csv` module that Lib/csv.py builds on: the Dialect type, reader
//! and writer objects, the dialect registry and the field size limit, with
//! CPython 3.11's behaviour and messages.

mod dialect;
mod reader;
mod writer;

use crate::native::native_type;
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

pub(crate) use dialect::{call_dialect, Params};

const QUOTE_MINIMAL: i32 = 0;
const QUOTE_ALL: i32 = 1;
const QUOTE_NONNUMERIC: i32 = 2;
const QUOTE_NONE: i32 = 3;

/// The module's state in one interpreter: made once, so a re-import keeps
/// the same `Error` class and registry.
struct CsvState {
    error: RefCell<Option<PyRef>>,
    dialects: RefCell<Option<PyRef>>,
    field_limit: Cell<i64>,
}

impl Default for CsvState {
    fn default() -> Self {
        CsvState { error: RefCell::new(None), dialects: RefCell::new(None), field_limit: Cell::new(128 * 1024) }
    }
}

fn state(vm: &Vm) -> std::rc::Rc<CsvState> {
    vm.state::<CsvState>()
}

/// The `_csv.Error` class.
fn error_class(vm: &Vm) -> PyRef {
    let st = state(vm);
    let existing = st.error.borrow().clone();
    match existing {
        Some(e) => e,
        None => vm.exc.exception.clone(),
    }
}

/// `_csv.Error(msg)`.
fn error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_exception_msg(&error_class(vm), msg)
}

/// The registry dict (`_csv._dialects`).
fn dialects(vm: &Vm) -> PyRef {
    let st = state(vm);
    let mut d = st.dialects.borrow_mut();
    d.get_or_insert_with(|| vm.new_dict()).clone()
}

fn field_limit(vm: &Vm) -> i64 {
    state(vm).field_limit.get()
}

/// The dialect registered under `name`, or `Error("unknown dialect")`.
fn registered(vm: &Vm, name: &Value) -> PyResult {
    match vm.dict_get(&dialects(vm), name)? {
        Some(d) => Ok(d),
        None => Err(error(vm, "unknown dialect")),
    }
}

/// `PyArg_UnpackTuple(args, "", min, max)`: positional arguments only,
/// keywords left for the caller; messages start with a space (empty name).
fn unpack_positional<'a>(vm: &Vm, args: &Args<'a>, min: usize, max: usize) -> PyResult<&'a [Value]> {
    let pos = args.positional();
    let n = pos.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if n < min {
        return Err(vm.new_type_error(format!(" expected at least {min} argument{}, got {n}", plural(min))));
    }
    if n > max {
        return Err(vm.new_type_error(format!(" expected at most {max} argument{}, got {n}", plural(max))));
    }
    Ok(pos)
}

/// The keyword part of `args` as separate name and value slices.
fn keywords<'a>(args: &Args<'a>) -> (&'a [Value], &'a [Value]) {
    let start = args.args.len() - args.kwnames.len();
    (args.kwnames, &args.args[start..])
}

fn csv_register_dialect(vm: &Vm, args: Args) -> PyResult {
    let pos = unpack_positional(vm, &args, 1, 2)?;
    if vm.as_str(&pos[0]).is_none() {
        return Err(vm.new_type_error("dialect name must be a string"));
    }
    let (names, vals) = keywords(&args);
    let d = call_dialect(vm, pos.get(1), names, vals)?;
    vm.dict_set(&dialects(vm), pos[0].clone(), d)?;
    Ok(Value::None)
}

fn csv_unregister_dialect(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("unregister_dialect", args, &["name"], 0, 1, None)?;
    let name = a[0].clone().unwrap_or(Value::None);
    match vm.dict_remove(&dialects(vm), &name)? {
        Some(_) => Ok(Value::None),
        None => Err(error(vm, "unknown dialect")),
    }
}

fn csv_get_dialect(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("get_dialect", args, &["name"], 0, 1, None)?;
    registered(vm, a[0].as_ref().unwrap_or(&Value::None))
}

fn csv_list_dialects(vm: &Vm, args: Args) -> PyResult {
    if !args.args.is_empty() {
        return Err(vm.new_type_error(format!(
            "_csv.list_dialects() takes no arguments ({} given)",
            args.args.len()
        )));
    }
    Ok(vm.new_list(vm.dict_keys(&dialects(vm))))
}

fn csv_field_size_limit(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::bind(vm, "field_size_limit", args, &["new_limit"], 0)?;
    let st = state(vm);
    let old = st.field_limit.get();
    if let Some(new) = &a[0] {
        if !vm.class_of(new).is(&vm.types.int) {
            return Err(vm.new_type_error("limit must be an integer"));
        }
        match new {
            Value::Int(i) => st.field_limit.set(*i),
            _ => return Err(vm.new_overflow_error("Python int too large to convert to C long")),
        }
    }
    Ok(Value::Int(old))
}

fn csv_reader(vm: &Vm, args: Args) -> PyResult {
    reader::new_reader(vm, args)
}

fn csv_writer(vm: &Vm, args: Args) -> PyResult {
    writer::new_writer(vm, args)
}

static FUNCS: [NativeDef; 7] = [
    NativeDef::function("reader", csv_reader).doc(READER_DOC),
    NativeDef::function("writer", csv_writer).doc(WRITER_DOC),
    NativeDef::function("register_dialect", csv_register_dialect)
        .doc("Create a mapping from a string name to a dialect class.\n    dialect = csv.register_dialect(name[, dialect[, **fmtparams]])"),
    NativeDef::function("unregister_dialect", csv_unregister_dialect)
        .doc("unregister_dialect($module, /, name)\n--\n\nDelete the name/dialect mapping associated with a string name.\n\n    csv.unregister_dialect(name)"),
    NativeDef::function("get_dialect", csv_get_dialect)
        .doc("get_dialect($module, /, name)\n--\n\nReturn the dialect instance associated with name.\n\n    dialect = csv.get_dialect(name)"),
    NativeDef::function("list_dialects", csv_list_dialects)
        .doc("list_dialects($module, /)\n--\n\nReturn a list of all known dialect names.\n\n    names = csv.list_dialects()"),
    NativeDef::function("field_size_limit", csv_field_size_limit)
        .doc("Sets an upper limit on parsed fields.\n\n    csv.field_size_limit([limit])\n\nReturns old limit. If limit is not given, no new limit is set and\nthe old limit is returned"),
];

const READER_DOC: &str = "    csv_reader = reader(iterable [, dialect='excel']\n                        [optional keyword args])\n    for row in csv_reader:\n        process(row)\n\nThe \"iterable\" argument can be any object that returns a line\nof input for each iteration, such as a file object or a list.  The\noptional \"dialect\" parameter is discussed below.  The function\nalso accepts optional keyword arguments which override settings\nprovided by the dialect.\n\nThe returned object is an iterator.  Each iteration returns a row\nof the CSV file (which can span multiple input lines).\n";

const WRITER_DOC: &str = "    csv_writer = csv.writer(fileobj [, dialect='excel']\n                            [optional keyword args])\n    for row in sequence:\n        csv_writer.writerow(row)\n\n    [or]\n\n    csv_writer = csv.writer(fileobj [, dialect='excel']\n                            [optional keyword args])\n    csv_writer.writerows(rows)\n\nThe \"fileobj\" argument can be any object that supports the file API.\n";

const MODULE_DOC: &str = "CSV parsing and writing.\n\nThis module provides classes that assist in the reading and writing\nof Comma Separated Value (CSV) files, and implements the interface\ndescribed by PEP 305.  Although many CSV files are simple to parse,\nthe format is not formally defined by a stable specification and\nis subtle enough that parsing lines of a CSV file with something\nlike line.split(\",\") is bound to fail.  The module supports three\nbasic APIs: reading, writing, and registration of dialects.\n\n\nDIALECT REGISTRATION:\n\nReaders and writers support a dialect argument, which is a convenient\nhandle on a group of settings.  When the dialect argument is a string,\nit identifies one of the dialects previously registered with the module.\nIf it is a class or instance, the attributes of the argument are used as\nthe settings for the reader or writer:\n\n    class excel:\n        delimiter = ','\n        quotechar = '\"'\n        escapechar = None\n        doublequote = True\n        skipinitialspace = False\n        lineterminator = '\\r\\n'\n        quoting = QUOTE_MINIMAL\n\nSETTINGS:\n\n    * quotechar - specifies a one-character string to use as the\n        quoting character.  It defaults to '\"'.\n    * delimiter - specifies a one-character string to use as the\n        field separator.  It defaults to ','.\n    * skipinitialspace - specifies how to interpret spaces which\n        immediately follow a delimiter.  It defaults to False, which\n        means that spaces immediately following a delimiter is part\n        of the following field.\n    * lineterminator -  specifies the character sequence which should\n        terminate rows.\n    * quoting - controls when quotes should be generated by the writer.\n        It can take on any of the following module constants:\n\n        csv.QUOTE_MINIMAL means only when required, for example, when a\n            field contains either the quotechar or the delimiter\n        csv.QUOTE_ALL means that quotes are always placed around fields.\n        csv.QUOTE_NONNUMERIC means that quotes are always placed around\n            fields which do not parse as integers or floating point\n            numbers.\n        csv.QUOTE_NONE means that quotes are never placed around fields.\n    * escapechar - specifies a one-character string used to escape\n        the delimiter when quoting is set to QUOTE_NONE.\n    * doublequote - controls the handling of quotes inside fields.  When\n        True, two consecutive quotes are interpreted as one during read,\n        and when writing, each quote character embedded in the data is\n        written as two quotes\n";

/// The exception class `_csv.Error`, made once per interpreter.
fn make_error_class(vm: &Vm) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("_csv"));
    let bases = vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]);
    match vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str("Error"), bases, Value::Obj(ns)])? {
        Value::Obj(t) => Ok(t),
        _ => Err(vm.new_system_error("type() did not return a class")),
    }
}

/// Creates the `_csv` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let st = state(vm);
    if st.error.borrow().is_none() {
        let e = make_error_class(vm)?;
        *st.error.borrow_mut() = Some(e);
    }
    let dialect_t = native_type(vm, &dialect::DIALECT);
    krait_vm::types::member::mark_members(vm, &dialect_t, &["doublequote", "skipinitialspace", "strict"]);
    let reader_t = native_type(vm, &reader::READER);
    krait_vm::types::member::mark_members(vm, &reader_t, &["dialect", "line_num"]);
    let writer_t = native_type(vm, &writer::WRITER);
    krait_vm::types::member::mark_members(vm, &writer_t, &["dialect"]);
    let attrs = vec![
        ("__version__", vm.new_str("1.0")),
        ("Error", Value::Obj(error_class(vm))),
        ("Dialect", Value::Obj(dialect_t)),
        ("Reader", Value::Obj(reader_t)),
        ("Writer", Value::Obj(writer_t)),
        ("_dialects", Value::Obj(dialects(vm))),
        ("QUOTE_MINIMAL", Value::Int(QUOTE_MINIMAL as i64)),
        ("QUOTE_ALL", Value::Int(QUOTE_ALL as i64)),
        ("QUOTE_NONNUMERIC", Value::Int(QUOTE_NONNUMERIC as i64)),
        ("QUOTE_NONE", Value::Int(QUOTE_NONE as i64)),
    ];
    Ok(crate::native::make_module(vm, "_csv", MODULE_DOC, &FUNCS, attrs))
}
