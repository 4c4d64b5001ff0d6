//! The DB-API exception hierarchy (`sqlite3.Error` and its subclasses) and
//! the translation of SQLite failures into them, as CPython's
//! `_pysqlite_seterror` does (with `sqlite_errorcode`/`sqlite_errorname`).

use super::codes::error_name;
use super::state;
use krait_vm::{PyErr, PyRef, Value, Vm};

/// The exception classes, in the order they are created.
#[derive(Clone)]
pub struct Exceptions {
    pub warning: PyRef,
    pub error: PyRef,
    pub interface_error: PyRef,
    pub database_error: PyRef,
    pub internal_error: PyRef,
    pub operational_error: PyRef,
    pub programming_error: PyRef,
    pub integrity_error: PyRef,
    pub data_error: PyRef,
    pub not_supported_error: PyRef,
}

fn new_class(vm: &Vm, name: &str, base: &PyRef) -> krait_vm::PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("sqlite3"));
    let bases = vm.new_tuple(vec![Value::Obj(base.clone())]);
    match vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str(name), bases, Value::Obj(ns)])? {
        Value::Obj(c) => Ok(c),
        _ => Err(vm.new_type_error("type() did not return a class")),
    }
}

impl Exceptions {
    pub fn create(vm: &Vm) -> krait_vm::PyResult<Exceptions> {
        let exc = vm.exc.exception.clone();
        let warning = new_class(vm, "Warning", &exc)?;
        let error = new_class(vm, "Error", &exc)?;
        let interface_error = new_class(vm, "InterfaceError", &error)?;
        let database_error = new_class(vm, "DatabaseError", &error)?;
        Ok(Exceptions {
            warning,
            internal_error: new_class(vm, "InternalError", &database_error)?,
            operational_error: new_class(vm, "OperationalError", &database_error)?,
            programming_error: new_class(vm, "ProgrammingError", &database_error)?,
            integrity_error: new_class(vm, "IntegrityError", &database_error)?,
            data_error: new_class(vm, "DataError", &database_error)?,
            not_supported_error: new_class(vm, "NotSupportedError", &database_error)?,
            error,
            interface_error,
            database_error,
        })
    }

    /// (attribute name, class) pairs, as the module and `Connection` expose them.
    pub fn named(&self) -> Vec<(&'static str, PyRef)> {
        vec![
            ("Warning", self.warning.clone()),
            ("Error", self.error.clone()),
            ("InterfaceError", self.interface_error.clone()),
            ("DatabaseError", self.database_error.clone()),
            ("InternalError", self.internal_error.clone()),
            ("OperationalError", self.operational_error.clone()),
            ("ProgrammingError", self.programming_error.clone()),
            ("IntegrityError", self.integrity_error.clone()),
            ("DataError", self.data_error.clone()),
            ("NotSupportedError", self.not_supported_error.clone()),
        ]
    }
}

/// The classes of this interpreter (made with the module, or on first use).
pub fn exceptions(vm: &Vm) -> Exceptions {
    let st = state(vm);
    if let Some(e) = &*st.exceptions.borrow() {
        return e.clone();
    }
    let made = Exceptions::create(vm).unwrap_or_else(|_| {
        let exc = vm.exc.exception.clone();
        Exceptions {
            warning: exc.clone(),
            error: exc.clone(),
            interface_error: exc.clone(),
            database_error: exc.clone(),
            internal_error: exc.clone(),
            operational_error: exc.clone(),
            programming_error: exc.clone(),
            integrity_error: exc.clone(),
            data_error: exc.clone(),
            not_supported_error: exc,
        }
    });
    *st.exceptions.borrow_mut() = Some(made.clone());
    made
}

fn raise(vm: &Vm, cls: &PyRef, msg: impl Into<String>) -> PyErr {
    vm.new_exception_msg(cls, msg)
}

pub fn programming(vm: &Vm, msg: impl Into<String>) -> PyErr {
    raise(vm, &exceptions(vm).programming_error, msg)
}
pub fn operational(vm: &Vm, msg: impl Into<String>) -> PyErr {
    raise(vm, &exceptions(vm).operational_error, msg)
}
pub fn data_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    raise(vm, &exceptions(vm).data_error, msg)
}

/// An exception for SQLite's (extended) result code `code` with `msg`.
pub fn from_code(vm: &Vm, code: i32, msg: &str) -> PyErr {
    let ex = exceptions(vm);
    let cls = match code & 0xff {
        2 | 12 => &ex.internal_error,
        7 => return vm.new_memory_error(),
        1 | 3 | 4 | 5 | 6 | 8 | 9 | 10 | 13 | 14 | 15 | 16 | 17 => &ex.operational_error,
        11 => &ex.database_error,
        18 => &ex.data_error,
        19 | 20 => &ex.integrity_error,
        21 | 25 => &ex.interface_error,
        _ => &ex.database_error,
    };
    let e = raise(vm, cls, msg);
    let v = Value::Obj(e.clone());
    let _ = vm.setattr_str(&v, "sqlite_errorcode", Value::Int(code as i64));
    let _ = vm.setattr_str(&v, "sqlite_errorname", vm.new_str(error_name(code)));
    e
}

/// SQLite's English text for a result code (`sqlite3_errstr`), for
/// failures that came without a message.
fn errstr(code: i32) -> String {
    rusqlite::ffi::code_to_str(code).to_string()
}

/// The Python exception for a rusqlite failure.
pub fn from_rusqlite(vm: &Vm, e: rusqlite::Error) -> PyErr {
    use rusqlite::Error as E;
    match e {
        E::SqliteFailure(f, msg) => {
            let text = msg.unwrap_or_else(|| errstr(f.extended_code));
            from_code(vm, f.extended_code, &text)
        }
        E::SqlInputError { error, msg, .. } => from_code(vm, error.extended_code, &msg),
        E::MultipleStatement => programming(vm, "You can only execute one statement at a time."),
        E::NulError(_) => programming(vm, "the query contains a null character"),
        E::InvalidParameterCount(given, needed) => programming(
            vm,
            format!("Incorrect number of bindings supplied. The current statement uses {needed}, and there are {given} supplied."),
        ),
        other => operational(vm, other.to_string()),
    }
}

/// `Result` adapter: rusqlite errors become Python exceptions.
pub trait OrRaise<T> {
    fn or_raise(self, vm: &Vm) -> krait_vm::PyResult<T>;
}

impl<T> OrRaise<T> for rusqlite::Result<T> {
    fn or_raise(self, vm: &Vm) -> krait_vm::PyResult<T> {
        self.map_err(|e| from_rusqlite(vm, e))
    }
}
