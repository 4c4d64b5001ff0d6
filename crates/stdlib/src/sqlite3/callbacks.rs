//! Python callables SQLite calls back: user-defined functions, aggregates,
//! window functions, collations, the authorizer, the progress handler and
//! the trace callback.
//!
//! The closures rusqlite stores must be `'static + Send`: they hold the
//! connection's `Callables` table and a slot number, and reach the
//! interpreter through `with_scoped_vm` (every SQLite call this module
//! makes runs inside `Vm::scoped`).

use super::connection::{split, Callables};
use super::errors::OrRaise;
use super::state;
use super::values::result_value;
use krait_vm::gil::with_scoped_vm;
use krait_vm::{Args, PyErr, PyResult, Value, Vm};
use rusqlite::functions::{Aggregate, Context, FunctionFlags, WindowAggregate};
use rusqlite::types::Value as SqlValue;
use std::panic::AssertUnwindSafe;

/// `sys.unraisablehook` for a callback's exception when tracebacks are on.
pub fn report(vm: &Vm, e: &PyErr, callable: Option<&Value>) {
    if state(vm).tracebacks.get() {
        krait_vm::finalize::write_unraisable(vm, e, None, callable);
    }
}

fn user_error(msg: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(1), Some(msg.to_string()))
}

/// How a callback's exception reaches SQLite: MemoryError as SQLITE_NOMEM,
/// OverflowError as SQLITE_TOOBIG (DataError), anything else as `msg`.
fn callback_error(vm: &Vm, e: &PyErr, msg: &str) -> rusqlite::Error {
    let code = if vm.exception_matches(e, &vm.exc.memory_error) {
        7
    } else if vm.exception_matches(e, &vm.exc.overflow_error) {
        18
    } else {
        return user_error(msg);
    };
    rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
}

/// The arguments SQLite passed, as Python values.
fn args_of(vm: &Vm, ctx: &Context<'_>) -> PyResult<Vec<Value>> {
    use rusqlite::types::ValueRef as R;
    let mut out = Vec::with_capacity(ctx.len());
    for i in 0..ctx.len() {
        out.push(match ctx.get_raw(i) {
            R::Null => Value::None,
            R::Integer(n) => Value::Int(n),
            R::Real(f) => Value::Float(f),
            R::Text(t) => match std::str::from_utf8(t) {
                Ok(s) => vm.new_str(s),
                Err(_) => return Err(vm.new_value_error("invalid UTF-8 text argument")),
            },
            R::Blob(b) => vm.new_bytes(b.to_vec()),
        });
    }
    Ok(out)
}

/// A result for SQLite, or the failure message CPython gives.
fn to_result(vm: &Vm, r: PyResult, callable: &Value, msg: &str) -> rusqlite::Result<SqlValue> {
    let v = match r {
        Ok(v) => v,
        Err(e) => {
            report(vm, &e, Some(callable));
            return Err(callback_error(vm, &e, msg));
        }
    };
    match result_value(vm, &v) {
        Ok(Some(x)) => Ok(x),
        Ok(None) => Err(user_error(msg)),
        Err(e) => {
            report(vm, &e, Some(callable));
            Err(callback_error(vm, &e, msg))
        }
    }
}

fn no_vm() -> rusqlite::Error {
    user_error("callback made outside the interpreter")
}

fn bool_kw(vm: &Vm, v: &Option<Value>) -> PyResult<bool> {
    match v {
        Some(v) => vm.truthy(v),
        None => Ok(false),
    }
}

/// `create_function(name, narg, func, *, deterministic=False)`.
pub fn create_function(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "create_function")?;
    let a = vm.bind_native("create_function", rest, &["name", "narg", "func", "deterministic"], 0, 3, Some(3))?;
    let name_v = a[0].clone().unwrap_or(Value::None);
    let name = super::values::str_arg(vm, &name_v, "create_function", "argument 'name'")?.to_string();
    let narg = crate::native::c_int(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    let func = a[2].clone().unwrap_or(Value::None);
    let mut flags = FunctionFlags::SQLITE_UTF8;
    if bool_kw(vm, &a[3])? {
        flags |= FunctionFlags::SQLITE_DETERMINISTIC;
    }
    c.check(vm)?;
    if func.is_none() {
        c.with_db(vm, |db| db.remove_function(name.as_str(), narg).or_raise(vm))?;
        return Ok(Value::None);
    }
    let table = c.callables.clone();
    let slot = table.add(func);
    c.with_db(vm, |db| {
        db.create_scalar_function(name.as_str(), narg, flags, move |ctx| scalar(&table, slot, ctx))
            .map_err(|_| super::errors::operational(vm, "Error creating function"))
    })?;
    Ok(Value::None)
}

fn scalar(table: &Callables, slot: usize, ctx: &Context<'_>) -> rusqlite::Result<SqlValue> {
    let f = table.get(slot).ok_or_else(no_vm)?;
    with_scoped_vm(|vm| {
        let r = args_of(vm, ctx).and_then(|a| vm.call1(&f, &a));
        to_result(vm, r, &f, "user-defined function raised exception")
    })
    .unwrap_or_else(|| Err(no_vm()))
}

/// An aggregate or window class's instances, one per group.
struct PyAggregate {
    table: Callables,
    slot: usize,
}

type AggState = AssertUnwindSafe<Option<Value>>;

impl PyAggregate {
    fn call_method(&self, inst: &Option<Value>, name: &str, ctx: Option<&Context<'_>>) -> rusqlite::Result<Value> {
        let Some(inst) = inst else { return Err(user_error("user-defined aggregate's '__init__' method raised error")) };
        // Tracebacks name the aggregate class, as CPython's do.
        let cls = self.table.get(self.slot);
        let cls = cls.as_ref();
        with_scoped_vm(|vm| {
            let msg = format!("user-defined aggregate's '{name}' method raised error");
            let f = match vm.getattr_str(inst, name) {
                Ok(f) => f,
                Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => {
                    report(vm, &e, cls);
                    return Err(user_error(&format!("user-defined aggregate's '{name}' method not defined")));
                }
                Err(e) => {
                    report(vm, &e, cls);
                    return Err(user_error(&msg));
                }
            };
            let r = match ctx {
                Some(ctx) => args_of(vm, ctx),
                None => Ok(Vec::new()),
            }
            .and_then(|a| vm.call1(&f, &a));
            r.map_err(|e| {
                report(vm, &e, cls);
                callback_error(vm, &e, &msg)
            })
        })
        .unwrap_or_else(|| Err(no_vm()))
    }

    fn finish(&self, inst: &Option<Value>, name: &str) -> rusqlite::Result<SqlValue> {
        let Some(_) = inst else { return Ok(SqlValue::Null) };
        let v = self.call_method(inst, name, None)?;
        with_scoped_vm(|vm| to_result(vm, Ok(v), &Value::None, &format!("user-defined aggregate's '{name}' method raised error")))
            .unwrap_or_else(|| Err(no_vm()))
    }
}

impl Aggregate<AggState, SqlValue> for PyAggregate {
    fn init(&self, _ctx: &mut Context<'_>) -> rusqlite::Result<AggState> {
        let cls = self.table.get(self.slot).ok_or_else(no_vm)?;
        with_scoped_vm(|vm| match vm.call1(&cls, &[]) {
            Ok(v) => Ok(AssertUnwindSafe(Some(v))),
            Err(e) => {
                report(vm, &e, Some(&cls));
                Err(user_error("user-defined aggregate's '__init__' method raised error"))
            }
        })
        .unwrap_or_else(|| Err(no_vm()))
    }

    fn step(&self, ctx: &mut Context<'_>, acc: &mut AggState) -> rusqlite::Result<()> {
        self.call_method(&acc.0, "step", Some(ctx)).map(|_| ())
    }

    fn finalize(&self, _ctx: &mut Context<'_>, acc: Option<AggState>) -> rusqlite::Result<SqlValue> {
        let inst = acc.and_then(|a| a.0);
        if inst.is_none() {
            return Ok(SqlValue::Null);
        }
        self.finish(&inst, "finalize")
    }
}

impl WindowAggregate<AggState, SqlValue> for PyAggregate {
    fn value(&self, acc: Option<&mut AggState>) -> rusqlite::Result<SqlValue> {
        match acc {
            Some(a) => self.finish(&a.0, "value"),
            None => Ok(SqlValue::Null),
        }
    }

    fn inverse(&self, ctx: &mut Context<'_>, acc: &mut AggState) -> rusqlite::Result<()> {
        self.call_method(&acc.0, "inverse", Some(ctx)).map(|_| ())
    }
}

/// `create_aggregate(name, n_arg, aggregate_class)`.
pub fn create_aggregate(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "create_aggregate")?;
    let a = vm.bind_native("create_aggregate", rest, &["name", "n_arg", "aggregate_class"], 0, 3, None)?;
    let name_v = a[0].clone().unwrap_or(Value::None);
    let name = super::values::str_arg(vm, &name_v, "create_aggregate", "argument 'name'")?.to_string();
    let narg = crate::native::c_int(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    let cls = a[2].clone().unwrap_or(Value::None);
    c.check(vm)?;
    if cls.is_none() {
        c.with_db(vm, |db| db.remove_function(name.as_str(), narg).or_raise(vm))?;
        return Ok(Value::None);
    }
    let agg = PyAggregate { table: c.callables.clone(), slot: c.callables.add(cls) };
    c.with_db(vm, |db| {
        db.create_aggregate_function(name.as_str(), narg, FunctionFlags::SQLITE_UTF8, agg)
            .map_err(|_| super::errors::operational(vm, "Error creating aggregate"))
    })?;
    Ok(Value::None)
}

/// `create_window_function(name, num_params, aggregate_class, /)`.
pub fn create_window_function(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "create_window_function")?;
    let a = crate::native::unpack(vm, "create_window_function", &rest, 3, 3)?;
    let name = super::values::str_arg(vm, &a[0], "create_window_function", "argument 1")?.to_string();
    let narg = crate::native::c_int(vm, &a[1])?;
    c.check(vm)?;
    if a[2].is_none() {
        c.with_db(vm, |db| db.remove_function(name.as_str(), narg).or_raise(vm))?;
        return Ok(Value::None);
    }
    let agg = PyAggregate { table: c.callables.clone(), slot: c.callables.add(a[2].clone()) };
    c.with_db(vm, |db| {
        db.create_window_function(name.as_str(), narg, FunctionFlags::SQLITE_UTF8, agg)
            .map_err(|_| super::errors::programming(vm, "Error creating window function"))
    })?;
    Ok(Value::None)
}

/// `create_collation(name, callable, /)`.
pub fn create_collation(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "create_collation")?;
    let a = crate::native::unpack(vm, "create_collation", &rest, 2, 2)?;
    super::values::str_arg(vm, &a[0], "create_collation", "argument 1")?;
    let name = super::values::utf8_text(vm, &a[0])?;
    c.check(vm)?;
    if a[1].is_none() {
        c.with_db(vm, |db| db.remove_collation(name.as_str()).or_raise(vm))?;
        return Ok(Value::None);
    }
    if !vm.is_callable(&a[1]) {
        return Err(vm.new_type_error("parameter must be callable"));
    }
    let table = c.callables.clone();
    let slot = table.add(a[1].clone());
    c.with_db(vm, |db| {
        db.create_collation(name.as_str(), move |x, y| {
            let Some(f) = table.get(slot) else { return std::cmp::Ordering::Equal };
            with_scoped_vm(|vm| {
                let r = vm.call1(&f, &[vm.new_str(x), vm.new_str(y)]);
                match r.and_then(|v| vm.to_index_i64(&v)) {
                    Ok(n) => n.cmp(&0),
                    Err(e) => {
                        report(vm, &e, Some(&f));
                        std::cmp::Ordering::Equal
                    }
                }
            })
            .unwrap_or(std::cmp::Ordering::Equal)
        })
        .or_raise(vm)
    })?;
    Ok(Value::None)
}

/// `set_progress_handler(progress_handler, n)`.
pub fn set_progress_handler(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "set_progress_handler")?;
    let a = vm.bind_native("set_progress_handler", rest, &["progress_handler", "n"], 0, 2, None)?;
    let f = a[0].clone().unwrap_or(Value::None);
    let n = crate::native::c_int(vm, a[1].as_ref().unwrap_or(&Value::None))?;
    c.check(vm)?;
    if f.is_none() {
        c.with_db(vm, |db| {
            db.progress_handler(0, None::<fn() -> bool>);
            Ok(())
        })?;
        return Ok(Value::None);
    }
    let table = c.callables.clone();
    let slot = table.add(f);
    c.with_db(vm, |db| {
        db.progress_handler(
            n,
            Some(move || {
                let Some(f) = table.get(slot) else { return true };
                with_scoped_vm(|vm| match vm.call1(&f, &[]).and_then(|r| vm.truthy(&r)) {
                    Ok(stop) => stop,
                    Err(e) => {
                        report(vm, &e, Some(&f));
                        true
                    }
                })
                .unwrap_or(true)
            }),
        );
        Ok(())
    })?;
    Ok(Value::None)
}

/// The authorizer's (action code, arg1, arg2) for an action rusqlite decoded.
fn auth_args(a: rusqlite::hooks::AuthAction<'_>) -> (i32, Option<String>, Option<String>) {
    use rusqlite::hooks::{AuthAction as A, TransactionOperation as T};
    let s = |x: &str| Some(x.to_string());
    let op = |o: T| match o {
        T::Begin => "BEGIN",
        T::Release => "RELEASE",
        T::Rollback => "ROLLBACK",
        _ => "COMMIT",
    };
    match a {
        A::CreateIndex { index_name, table_name } => (1, s(index_name), s(table_name)),
        A::CreateTable { table_name } => (2, s(table_name), None),
        A::CreateTempIndex { index_name, table_name } => (3, s(index_name), s(table_name)),
        A::CreateTempTable { table_name } => (4, s(table_name), None),
        A::CreateTempTrigger { trigger_name, table_name } => (5, s(trigger_name), s(table_name)),
        A::CreateTempView { view_name } => (6, s(view_name), None),
        A::CreateTrigger { trigger_name, table_name } => (7, s(trigger_name), s(table_name)),
        A::CreateView { view_name } => (8, s(view_name), None),
        A::Delete { table_name } => (9, s(table_name), None),
        A::DropIndex { index_name, table_name } => (10, s(index_name), s(table_name)),
        A::DropTable { table_name } => (11, s(table_name), None),
        A::DropTempIndex { index_name, table_name } => (12, s(index_name), s(table_name)),
        A::DropTempTable { table_name } => (13, s(table_name), None),
        A::DropTempTrigger { trigger_name, table_name } => (14, s(trigger_name), s(table_name)),
        A::DropTempView { view_name } => (15, s(view_name), None),
        A::DropTrigger { trigger_name, table_name } => (16, s(trigger_name), s(table_name)),
        A::DropView { view_name } => (17, s(view_name), None),
        A::Insert { table_name } => (18, s(table_name), None),
        A::Pragma { pragma_name, pragma_value } => (19, s(pragma_name), pragma_value.map(String::from)),
        A::Read { table_name, column_name } => (20, s(table_name), s(column_name)),
        A::Select => (21, None, None),
        A::Transaction { operation } => (22, s(op(operation)), None),
        A::Update { table_name, column_name } => (23, s(table_name), s(column_name)),
        A::Attach { filename } => (24, s(filename), None),
        A::Detach { database_name } => (25, s(database_name), None),
        A::AlterTable { database_name, table_name } => (26, s(database_name), s(table_name)),
        A::Reindex { index_name } => (27, s(index_name), None),
        A::Analyze { table_name } => (28, s(table_name), None),
        A::CreateVtable { table_name, module_name } => (29, s(table_name), s(module_name)),
        A::DropVtable { table_name, module_name } => (30, s(table_name), s(module_name)),
        A::Function { function_name } => (31, None, s(function_name)),
        A::Savepoint { operation, savepoint_name } => (32, s(op(operation)), s(savepoint_name)),
        A::Recursive => (33, None, None),
        A::Unknown { code, arg1, arg2 } => (code, arg1.map(String::from), arg2.map(String::from)),
        _ => (0, None, None),
    }
}

/// `set_authorizer(authorizer_callback)`.
pub fn set_authorizer(vm: &Vm, args: Args) -> PyResult {
    use rusqlite::hooks::{AuthContext, Authorization};
    let (_, c, rest) = split(vm, args, "set_authorizer")?;
    let a = vm.bind_native("set_authorizer", rest, &["authorizer_callback"], 0, 1, None)?;
    let f = a[0].clone().unwrap_or(Value::None);
    c.check(vm)?;
    if f.is_none() {
        c.with_db(vm, |db| {
            db.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
            Ok(())
        })?;
        return Ok(Value::None);
    }
    if !vm.is_callable(&f) {
        return Err(vm.new_type_error("parameter must be callable"));
    }
    let table = c.callables.clone();
    let slot = table.add(f);
    c.with_db(vm, |db| {
        db.authorizer(Some(move |ctx: AuthContext<'_>| {
            let Some(f) = table.get(slot) else { return Authorization::Deny };
            let (code, a1, a2) = auth_args(ctx.action);
            with_scoped_vm(|vm| {
                let opt = |s: Option<&str>| s.map_or(Value::None, |s| vm.new_str(s));
                let call_args = [
                    Value::Int(code as i64),
                    opt(a1.as_deref()),
                    opt(a2.as_deref()),
                    opt(ctx.database_name),
                    opt(ctx.accessor),
                ];
                match vm.call1(&f, &call_args) {
                    Ok(Value::Int(0)) => Authorization::Allow,
                    Ok(Value::Int(2)) => Authorization::Ignore,
                    Ok(_) => Authorization::Deny,
                    Err(e) => {
                        report(vm, &e, Some(&f));
                        Authorization::Deny
                    }
                }
            })
            .unwrap_or(Authorization::Deny)
        }));
        Ok(())
    })?;
    Ok(Value::None)
}

/// `set_trace_callback(trace_callback)`.
pub fn set_trace_callback(vm: &Vm, args: Args) -> PyResult {
    use rusqlite::trace::TraceEventCodes;
    let (_, c, rest) = split(vm, args, "set_trace_callback")?;
    let a = vm.bind_native("set_trace_callback", rest, &["trace_callback"], 0, 1, None)?;
    c.check(vm)?;
    let f = a[0].clone().unwrap_or(Value::None);
    let on = !f.is_none();
    let old = std::mem::replace(&mut c.refs.borrow_mut().trace, if on { Some(f) } else { None });
    drop(old);
    c.with_db(vm, |db| {
        if on {
            db.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(super::connection::trace_hook));
        } else {
            db.trace_v2(TraceEventCodes::empty(), None);
        }
        Ok(())
    })?;
    Ok(Value::None)
}
