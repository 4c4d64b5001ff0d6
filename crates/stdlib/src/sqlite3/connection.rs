//! The `Connection` object's state, construction (`__init__`, `connect`)
//! and the checks every method makes first; the methods themselves are in
//! `conn_methods.rs`.

use super::errors::{programming, OrRaise};
use crate::native::{descr_error, native_type, new_object};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::{Args, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard};

/// Python callables that SQLite callbacks (user functions, collations,
/// hooks) call, by slot. The callbacks hold the table and a slot number,
/// never the callables, so the cycle collector sees every reference
/// through the connection's `traverse`.
#[derive(Default, Clone)]
pub struct Callables(pub Arc<Mutex<Vec<Option<Value>>>>);

impl Callables {
    pub fn lock(&self) -> MutexGuard<'_, Vec<Option<Value>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `v` and returns its slot.
    pub fn add(&self, v: Value) -> usize {
        let mut t = self.lock();
        t.push(Some(v));
        t.len() - 1
    }

    pub fn get(&self, slot: usize) -> Option<Value> {
        self.lock().get(slot).cloned().flatten()
    }
}

/// Python references a connection holds directly.
#[derive(Default)]
pub struct ConnRefs {
    pub row_factory: Option<Value>,
    pub text_factory: Option<Value>,
    pub trace: Option<Value>,
}

pub struct Conn {
    pub db: RefCell<Option<Rc<rusqlite::Connection>>>,
    /// `__init__` ran (and succeeded) at least once.
    pub initialized: Cell<bool>,
    pub thread: Cell<i64>,
    pub check_same_thread: Cell<bool>,
    pub detect_types: Cell<i32>,
    /// None: autocommit mode; else what follows `BEGIN `.
    pub isolation_level: RefCell<Option<String>>,
    pub refs: RefCell<ConnRefs>,
    pub callables: Callables,
}

impl NativeData for Conn {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(r) = self.refs.try_borrow() {
            for v in [&r.row_factory, &r.text_factory, &r.trace].into_iter().flatten() {
                visitor.visit_value(v);
            }
        }
        if let Ok(t) = self.callables.0.try_lock() {
            for v in t.iter().flatten() {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.refs.try_borrow_mut().map(|mut r| std::mem::take(&mut *r));
        let old_calls = self.callables.0.try_lock().map(|mut t| std::mem::take(&mut *t));
        drop((old, old_calls));
    }
}

impl Conn {
    fn new() -> Conn {
        Conn {
            db: RefCell::new(None),
            initialized: Cell::new(false),
            thread: Cell::new(crate::thread::ident()),
            check_same_thread: Cell::new(true),
            detect_types: Cell::new(0),
            isolation_level: RefCell::new(Some(String::new())),
            refs: RefCell::new(ConnRefs::default()),
            callables: Callables::default(),
        }
    }

    /// CPython's `pysqlite_check_thread`.
    pub fn check_thread(&self, vm: &Vm) -> PyResult<()> {
        let me = crate::thread::ident();
        if self.check_same_thread.get() && me != self.thread.get() {
            return Err(programming(
                vm,
                format!(
                    "SQLite objects created in a thread can only be used in that same thread. The object was created in thread id {} and this is thread id {}.",
                    self.thread.get() as u64,
                    me as u64
                ),
            ));
        }
        Ok(())
    }

    /// CPython's `pysqlite_check_connection`: initialized and not closed.
    pub fn check_open(&self, vm: &Vm) -> PyResult<()> {
        if !self.initialized.get() {
            return Err(programming(vm, "Base Connection.__init__ not called."));
        }
        if self.db.borrow().is_none() {
            return Err(programming(vm, "Cannot operate on a closed database."));
        }
        Ok(())
    }

    /// Both checks, in CPython's order.
    pub fn check(&self, vm: &Vm) -> PyResult<()> {
        self.check_thread(vm)?;
        self.check_open(vm)
    }

    /// Runs `f` on the open database, with the interpreter reachable by the
    /// callbacks SQLite may make meanwhile.
    pub fn with_db<R>(&self, vm: &Vm, f: impl FnOnce(&rusqlite::Connection) -> PyResult<R>) -> PyResult<R> {
        self.check(vm)?;
        let db: Ref<'_, Option<Rc<rusqlite::Connection>>> = self.db.borrow();
        match &*db {
            Some(c) => self.scoped(vm, || f(c)),
            None => Err(programming(vm, "Cannot operate on a closed database.")),
        }
    }

    /// Runs `f` (which calls into SQLite) with the interpreter lent to the
    /// callbacks and this connection's trace callback the current one.
    pub fn scoped<R>(&self, vm: &Vm, f: impl FnOnce() -> R) -> R {
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                let old = TRACE_STACK.with(|s| s.borrow_mut().pop());
                drop(old);
            }
        }
        let t = self.refs.borrow().trace.clone();
        TRACE_STACK.with(|s| s.borrow_mut().push(t));
        let _pop = Pop;
        vm.scoped(f)
    }

    /// The open database, shared (for statements that outlive the call).
    pub fn rc(&self, vm: &Vm) -> PyResult<Rc<rusqlite::Connection>> {
        self.check(vm)?;
        self.db.borrow().clone().ok_or_else(|| programming(vm, "Cannot operate on a closed database."))
    }

    pub fn text_factory(&self, vm: &Vm) -> Value {
        self.refs.borrow().text_factory.clone().unwrap_or_else(|| Value::Obj(vm.types.str.clone()))
    }

    pub fn row_factory(&self) -> Value {
        self.refs.borrow().row_factory.clone().unwrap_or(Value::None)
    }

    /// Executes `sql` (no parameters, no rows wanted): BEGIN, COMMIT, ...
    pub fn exec_simple(&self, vm: &Vm, sql: &str) -> PyResult<()> {
        self.with_db(vm, |c| c.execute_batch(sql).or_raise(vm))
    }
}

thread_local! {
    /// The trace callbacks of the connections whose SQLite calls are in
    /// progress on this thread, innermost last (rusqlite's trace hook is a
    /// plain function without per-connection data).
    static TRACE_STACK: RefCell<Vec<Option<Value>>> = const { RefCell::new(Vec::new()) };
}

/// The trace hook: the statement's SQL (expanded with its parameters when
/// SQLite can) to the current connection's callback.
pub fn trace_hook(ev: rusqlite::trace::TraceEvent<'_>) {
    let rusqlite::trace::TraceEvent::Stmt(stmt, sql) = ev else { return };
    let Some(Some(f)) = TRACE_STACK.with(|s| s.borrow().last().cloned()) else { return };
    let expanded = if sql.starts_with("--") { None } else { stmt.expanded_sql() };
    let too_long = expanded.is_none() && !sql.starts_with("--");
    let text = expanded.unwrap_or_else(|| sql.to_string());
    krait_vm::gil::with_scoped_vm(|vm| {
        if too_long {
            let e = super::errors::data_error(vm, "Expanded SQL string exceeds the maximum string length");
            super::callbacks::report(vm, &e, None);
        }
        if let Err(e) = vm.call1(&f, &[vm.new_str(&text)]) {
            super::callbacks::report(vm, &e, Some(&f));
        }
    });
}

pub const CONNECTION: &str = "sqlite3.Connection";

pub fn connection_type(vm: &Vm) -> PyRef {
    native_type(vm, &super::conn_methods::CONNECTION_SPEC)
}

/// The connection state of `v`, or the descriptor error for method `name`.
pub fn conn<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Conn> {
    v.payload().and_then(|p| p.as_native::<Conn>()).ok_or_else(|| descr_error(vm, name, CONNECTION, v))
}

/// `self` and the other arguments of a method.
pub fn split<'a>(vm: &Vm, args: Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Conn, Args<'a>)> {
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '{CONNECTION}' object needs an argument")));
    };
    let c = conn(vm, me, name)?;
    Ok((me, c, Args { args: &args.args[1..], kwnames: args.kwnames }))
}

pub fn conn_new(vm: &Vm, args: Args) -> PyResult {
    let t = connection_type(vm);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, Conn::new()))
}

/// The isolation level a value stands for (None: autocommit), with
/// CPython's checks.
pub fn isolation_level_arg(vm: &Vm, v: &Value) -> PyResult<Option<String>> {
    if v.is_none() {
        return Ok(None);
    }
    let Some(s) = vm.as_str(v) else {
        return Err(vm.new_type_error("isolation_level must be str or None"));
    };
    let ok = ["", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"].iter().any(|l| l.eq_ignore_ascii_case(s));
    if !ok {
        return Err(vm.new_value_error("isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'"));
    }
    Ok(Some(s.to_string()))
}

/// A database argument: str, bytes or a path-like object, as the bytes
/// `os.fsencode` gives.
fn database_arg(vm: &Vm, v: &Value) -> PyResult<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let os = vm.import_full("os")?;
    let b = vm.call_method(&Value::Obj(os), "fsencode", &[v.clone()])?;
    let bytes = b.payload().and_then(|p| p.as_bytes()).map(|b| b.to_vec()).unwrap_or_default();
    if bytes.contains(&0) {
        return Err(vm.new_value_error("embedded null byte"));
    }
    Ok(std::path::Path::new(std::ffi::OsStr::from_bytes(&bytes)).to_path_buf())
}

const INIT_NAMES: [&str; 8] =
    ["database", "timeout", "detect_types", "isolation_level", "check_same_thread", "factory", "cached_statements", "uri"];

/// `Connection.__init__(database, timeout=5.0, detect_types=0,
/// isolation_level='', check_same_thread=True, factory=Connection,
/// cached_statements=128, uri=False)`.
pub fn conn_init(vm: &Vm, args: Args) -> PyResult {
    let (_me, c, rest) = split(vm, args, "__init__")?;
    let a = vm.bind_native("Connection", rest, &INIT_NAMES, 0, 1, None)?;
    // A second __init__ starts over: until it succeeds the object is unusable.
    c.initialized.set(false);
    let old = c.db.try_borrow_mut().ok().and_then(|mut d| d.take());
    drop(old);
    let database = database_arg(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    let timeout = match &a[1] {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Bool(b)) => *b as i64 as f64,
        Some(v) => krait_vm::types::float::float_of(v)
            .ok_or_else(|| vm.new_type_error(format!("must be real number, not {}", vm.type_name_of(v))))?,
        None => 5.0,
    };
    let detect_types = match &a[2] {
        Some(v) => crate::native::c_int(vm, v)?,
        None => 0,
    };
    let isolation_level = match &a[3] {
        Some(v) => isolation_level_arg(vm, v)?,
        None => Some(String::new()),
    };
    let check_same_thread = match &a[4] {
        Some(v) => vm.truthy(v)?,
        None => true,
    };
    let cached = match &a[6] {
        Some(v) => crate::native::c_int(vm, v)?,
        None => 128,
    };
    let uri = match &a[7] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    use rusqlite::OpenFlags as F;
    let mut flags = F::SQLITE_OPEN_READ_WRITE | F::SQLITE_OPEN_CREATE | F::SQLITE_OPEN_NO_MUTEX;
    if uri {
        flags |= F::SQLITE_OPEN_URI;
    }
    let db = vm.allow_threads(|| rusqlite::Connection::open_with_flags(&database, flags)).or_raise(vm)?;
    let ms = (timeout * 1000.0).clamp(0.0, i32::MAX as f64);
    db.busy_timeout(std::time::Duration::from_millis(ms as u64)).or_raise(vm)?;
    db.set_prepared_statement_cache_capacity(cached.max(0) as usize);
    let Ok(mut slot) = c.db.try_borrow_mut() else {
        return Err(super::errors::operational(vm, "the connection is in use"));
    };
    let old = slot.replace(Rc::new(db));
    drop(slot);
    drop(old);
    c.thread.set(crate::thread::ident());
    c.check_same_thread.set(check_same_thread);
    c.detect_types.set(detect_types);
    *c.isolation_level.borrow_mut() = isolation_level;
    let old = std::mem::take(&mut *c.refs.borrow_mut());
    drop(old);
    c.initialized.set(true);
    Ok(Value::None)
}

/// `connect(database, ...)`: `factory(database, ...)` (Connection by default).
pub fn connect(vm: &Vm, args: Args) -> PyResult {
    let mut factory = None;
    for (k, v) in args.keywords() {
        if vm.as_str(k) == Some("factory") {
            factory = Some(v.clone());
        }
    }
    let factory = factory
        .or_else(|| args.positional().get(5).cloned())
        .unwrap_or_else(|| Value::Obj(connection_type(vm)));
    vm.call(&factory, args)
}
