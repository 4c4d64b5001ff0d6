//! The methods and attributes of `Connection` (callback registration is in
//! `callbacks.rs`, backup and limits in `blob.rs`'s neighbour functions).

use super::connection::{conn, conn_init, conn_new, isolation_level_arg, split, Conn};
use super::errors::{exceptions, operational, OrRaise};
use crate::native::{bind, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};

fn no_args(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    if args.args.is_empty() {
        Ok(())
    } else {
        Err(vm.new_type_error(format!("{name}() takes no arguments ({} given)", args.args.len())))
    }
}

/// `cursor(factory=Cursor)`.
fn cursor(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "cursor")?;
    let a = bind(vm, "cursor", rest, &["factory"], 0)?;
    c.check(vm)?;
    let factory = a[0].clone().unwrap_or_else(|| Value::Obj(super::cursor::cursor_type(vm)));
    let cur = vm.call1(&factory, &[me.clone()])?;
    if !vm.isinstance_type(&cur, &super::cursor::cursor_type(vm)) {
        return Err(vm.new_type_error(format!(
            "factory must return a cursor, not {}",
            vm.type_name_of(&cur)
        )));
    }
    let rf = c.row_factory();
    if !rf.is_none() {
        if let Some(cs) = super::cursor::cursor_state(&cur) {
            cs.refs.borrow_mut().row_factory = Some(rf);
        }
    }
    Ok(cur)
}

/// `execute`/`executemany`/`executescript` on a new cursor.
fn via_cursor(vm: &Vm, args: Args, name: &str) -> PyResult {
    let (me, c, rest) = split(vm, args, name)?;
    c.check(vm)?;
    let cur = vm.call_method(me, "cursor", &[])?;
    let f = vm.getattr_str(&cur, name)?;
    vm.call(&f, rest)?;
    Ok(cur)
}

fn execute(vm: &Vm, args: Args) -> PyResult {
    via_cursor(vm, args, "execute")
}
fn executemany(vm: &Vm, args: Args) -> PyResult {
    via_cursor(vm, args, "executemany")
}
fn executescript(vm: &Vm, args: Args) -> PyResult {
    via_cursor(vm, args, "executescript")
}

/// COMMIT or ROLLBACK when a transaction is open.
fn end_transaction(vm: &Vm, c: &Conn, sql: &str) -> PyResult<()> {
    c.check(vm)?;
    let open = c.with_db(vm, |db| Ok(!db.is_autocommit()))?;
    if open {
        c.exec_simple(vm, sql)?;
    }
    Ok(())
}

fn commit(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "commit")?;
    no_args(vm, "commit", &rest)?;
    end_transaction(vm, c, "COMMIT")?;
    Ok(Value::None)
}

fn rollback(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "rollback")?;
    no_args(vm, "rollback", &rest)?;
    end_transaction(vm, c, "ROLLBACK")?;
    Ok(Value::None)
}

fn close(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "close")?;
    no_args(vm, "close", &rest)?;
    c.check_thread(vm)?;
    if !c.initialized.get() {
        return Err(super::errors::programming(vm, "Base Connection.__init__ not called."));
    }
    let Ok(mut slot) = c.db.try_borrow_mut() else {
        return Err(operational(vm, "unable to close due to unfinalized statements or unfinished backups"));
    };
    let old = slot.take();
    drop(slot);
    // Statements cursors still hold keep the database open until they go
    // (SQLite's close_v2); otherwise it closes now.
    if let Some(Ok(db)) = old.map(std::rc::Rc::try_unwrap) {
        if let Err((db, e)) = vm.scoped(|| db.close()) {
            *c.db.borrow_mut() = Some(std::rc::Rc::new(db));
            return Err(super::errors::from_rusqlite(vm, e));
        }
    }
    Ok(Value::None)
}

fn interrupt(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "interrupt")?;
    no_args(vm, "interrupt", &rest)?;
    c.check_open(vm)?;
    if let Some(db) = &*c.db.borrow() {
        db.get_interrupt_handle().interrupt();
    }
    Ok(Value::None)
}

fn enter(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "__enter__")?;
    no_args(vm, "__enter__", &rest)?;
    c.check(vm)?;
    Ok(me.clone())
}

/// `__exit__(type, value, traceback)`: COMMIT on success, else ROLLBACK; a
/// failed COMMIT is rolled back and its error raised.
fn exit(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "__exit__")?;
    let a = crate::native::unpack(vm, "__exit__", &rest, 3, 3)?;
    let ok = a.iter().all(|v| v.is_none());
    if ok {
        if let Err(e) = end_transaction(vm, c, "COMMIT") {
            let _ = end_transaction(vm, c, "ROLLBACK");
            return Err(e);
        }
    } else {
        end_transaction(vm, c, "ROLLBACK")?;
    }
    Ok(Value::Bool(false))
}

/// `iterdump()`: the pure-Python `sqlite3.dump._iterdump(self)`.
fn iterdump(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "iterdump")?;
    no_args(vm, "iterdump", &rest)?;
    c.check(vm)?;
    let m = vm.import_full("sqlite3.dump")?;
    let f = vm.getattr_str(&Value::Obj(m), "_iterdump")?;
    vm.call1(&f, &[me.clone()])
}

fn get_isolation_level(vm: &Vm, v: &Value) -> PyResult {
    let c = conn(vm, v, "isolation_level")?;
    c.check(vm)?;
    let level = c.isolation_level.borrow().clone();
    Ok(level.map_or(Value::None, |l| vm.new_str(l)))
}

fn set_isolation_level(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let c = conn(vm, v, "isolation_level")?;
    c.check(vm)?;
    let Some(value) = value else { return Err(vm.new_attribute_error("cannot delete attribute")) };
    let level = isolation_level_arg(vm, &value)?;
    if level.is_none() {
        end_transaction(vm, c, "COMMIT")?;
    }
    *c.isolation_level.borrow_mut() = level;
    Ok(())
}

fn get_in_transaction(vm: &Vm, v: &Value) -> PyResult {
    let c = conn(vm, v, "in_transaction")?;
    Ok(Value::Bool(c.with_db(vm, |db| Ok(!db.is_autocommit()))?))
}

fn get_total_changes(vm: &Vm, v: &Value) -> PyResult {
    let c = conn(vm, v, "total_changes")?;
    Ok(Value::Int(c.with_db(vm, |db| Ok(db.total_changes() as i64))?))
}

fn get_row_factory(vm: &Vm, v: &Value) -> PyResult {
    Ok(conn(vm, v, "row_factory")?.row_factory())
}

fn set_row_factory(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let c = conn(vm, v, "row_factory")?;
    let old = std::mem::replace(&mut c.refs.borrow_mut().row_factory, Some(value.unwrap_or(Value::None)));
    drop(old);
    Ok(())
}

fn get_text_factory(vm: &Vm, v: &Value) -> PyResult {
    Ok(conn(vm, v, "text_factory")?.text_factory(vm))
}

fn set_text_factory(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let c = conn(vm, v, "text_factory")?;
    let old = std::mem::replace(&mut c.refs.borrow_mut().text_factory, Some(value.unwrap_or(Value::None)));
    drop(old);
    Ok(())
}

macro_rules! exc_getter {
    ($name:ident, $field:ident) => {
        fn $name(vm: &Vm, v: &Value) -> PyResult {
            conn(vm, v, stringify!($field))?;
            Ok(Value::Obj(exceptions(vm).$field))
        }
    };
}
exc_getter!(get_warning, warning);
exc_getter!(get_error, error);
exc_getter!(get_interface_error, interface_error);
exc_getter!(get_database_error, database_error);
exc_getter!(get_internal_error, internal_error);
exc_getter!(get_operational_error, operational_error);
exc_getter!(get_programming_error, programming_error);
exc_getter!(get_integrity_error, integrity_error);
exc_getter!(get_data_error, data_error);
exc_getter!(get_not_supported_error, not_supported_error);

/// `getlimit(category, /)`.
fn getlimit(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "getlimit")?;
    let a = crate::native::unpack(vm, "getlimit", &rest, 1, 1)?;
    let cat = crate::native::c_int(vm, &a[0])?;
    limit(vm, c, cat, None)
}

/// `setlimit(category, limit, /)`: the old value.
fn setlimit(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "setlimit")?;
    let a = crate::native::unpack(vm, "setlimit", &rest, 2, 2)?;
    let cat = crate::native::c_int(vm, &a[0])?;
    let new = crate::native::c_int(vm, &a[1])?;
    limit(vm, c, cat, Some(new))
}

fn limit(vm: &Vm, c: &Conn, cat: i32, new: Option<i32>) -> PyResult {
    use rusqlite::limits::Limit as L;
    let which = match cat {
        0 => L::SQLITE_LIMIT_LENGTH,
        1 => L::SQLITE_LIMIT_SQL_LENGTH,
        2 => L::SQLITE_LIMIT_COLUMN,
        3 => L::SQLITE_LIMIT_EXPR_DEPTH,
        4 => L::SQLITE_LIMIT_COMPOUND_SELECT,
        5 => L::SQLITE_LIMIT_VDBE_OP,
        6 => L::SQLITE_LIMIT_FUNCTION_ARG,
        7 => L::SQLITE_LIMIT_ATTACHED,
        8 => L::SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
        9 => L::SQLITE_LIMIT_VARIABLE_NUMBER,
        10 => L::SQLITE_LIMIT_TRIGGER_DEPTH,
        11 => L::SQLITE_LIMIT_WORKER_THREADS,
        _ => {
            c.check(vm)?;
            return Err(super::errors::programming(vm, "'category' is out of bounds"));
        }
    };
    c.with_db(vm, |db| {
        let r = match new {
            // A negative limit leaves it unchanged.
            Some(n) if n >= 0 => db.set_limit(which, n),
            _ => db.limit(which),
        };
        Ok(Value::Int(r.or_raise(vm)? as i64))
    })
}

static METHODS: [NativeDef; 27] = [
    NativeDef::staticmethod("__new__", conn_new),
    NativeDef::method("__init__", conn_init),
    NativeDef::method("cursor", cursor).doc("cursor($self, /, factory=<unrepresentable>)\n--\n\nReturn a cursor for the connection."),
    NativeDef::method("execute", execute).doc("execute($self, sql, parameters=<unrepresentable>, /)\n--\n\nExecutes an SQL statement."),
    NativeDef::method("executemany", executemany).doc("executemany($self, sql, parameters, /)\n--\n\nRepeatedly executes an SQL statement."),
    NativeDef::method("executescript", executescript).doc("executescript($self, sql_script, /)\n--\n\nExecutes multiple SQL statements at once."),
    NativeDef::method("commit", commit).doc("commit($self, /)\n--\n\nCommit any pending transaction to the database.\n\nIf there is no open transaction, this method is a no-op."),
    NativeDef::method("rollback", rollback).doc("rollback($self, /)\n--\n\nRoll back to the start of any pending transaction.\n\nIf there is no open transaction, this method is a no-op."),
    NativeDef::method("close", close).doc("close($self, /)\n--\n\nClose the database connection.\n\nAny pending transaction is not committed implicitly."),
    NativeDef::method("interrupt", interrupt).doc("interrupt($self, /)\n--\n\nAbort any pending database operation."),
    NativeDef::method("__enter__", enter).doc("__enter__($self, /)\n--\n\nCalled when the connection is used as a context manager.\n\nReturns itself as a convenience to the caller."),
    NativeDef::method("__exit__", exit).doc("__exit__($self, type, value, traceback, /)\n--\n\nCalled when the connection is used as a context manager.\n\nIf there was any exception, a rollback takes place; otherwise we commit."),
    NativeDef::method("iterdump", iterdump).doc("iterdump($self, /)\n--\n\nReturns iterator to the dump of the database in an SQL text format."),
    NativeDef::method("getlimit", getlimit).doc("getlimit($self, category, /)\n--\n\nGet connection run-time limits."),
    NativeDef::method("setlimit", setlimit).doc("setlimit($self, category, limit, /)\n--\n\nSet connection run-time limits."),
    NativeDef::method("create_function", super::callbacks::create_function),
    NativeDef::method("create_aggregate", super::callbacks::create_aggregate),
    NativeDef::method("create_window_function", super::callbacks::create_window_function),
    NativeDef::method("create_collation", super::callbacks::create_collation),
    NativeDef::method("set_authorizer", super::callbacks::set_authorizer),
    NativeDef::method("set_progress_handler", super::callbacks::set_progress_handler),
    NativeDef::method("set_trace_callback", super::callbacks::set_trace_callback),
    NativeDef::method("backup", super::blob::backup),
    NativeDef::method("blobopen", super::blob::blobopen),
    NativeDef::method("__call__", super::statement::conn_call),
    NativeDef::method("serialize", super::serialize::serialize).doc("serialize($self, /, *, name='main')\n--\n\nSerialize a database into a byte string."),
    NativeDef::method("deserialize", super::serialize::deserialize).doc("deserialize($self, data, /, *, name='main')\n--\n\nLoad a serialized database."),
];

const fn ro(name: &'static str, get: fn(&Vm, &Value) -> PyResult) -> GetSetDef {
    GetSetDef { name, get, set: None, doc: "" }
}

static GETSETS: [GetSetDef; 15] = [
    GetSetDef { name: "isolation_level", get: get_isolation_level, set: Some(set_isolation_level), doc: "" },
    ro("in_transaction", get_in_transaction),
    ro("total_changes", get_total_changes),
    GetSetDef { name: "row_factory", get: get_row_factory, set: Some(set_row_factory), doc: "" },
    GetSetDef { name: "text_factory", get: get_text_factory, set: Some(set_text_factory), doc: "" },
    ro("Warning", get_warning),
    ro("Error", get_error),
    ro("InterfaceError", get_interface_error),
    ro("DatabaseError", get_database_error),
    ro("InternalError", get_internal_error),
    ro("OperationalError", get_operational_error),
    ro("ProgrammingError", get_programming_error),
    ro("IntegrityError", get_integrity_error),
    ro("DataError", get_data_error),
    ro("NotSupportedError", get_not_supported_error),
];

pub static CONNECTION_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "Connection",
    doc: "SQLite database connection object.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
