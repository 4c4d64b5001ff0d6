//! The `Cursor` type: state, construction, fetching and attributes;
//! statement execution is in `execute.rs`.

use super::connection::{connection_type, Conn};
use super::errors::programming;
use super::values::{to_python, Raw};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

/// Python references a cursor holds.
#[derive(Default)]
pub struct CurRefs {
    pub connection: Option<Value>,
    pub row_factory: Option<Value>,
    pub description: Option<Value>,
    /// Per column: the converter that applies (detect_types).
    pub converters: Vec<Option<Value>>,
}

pub struct Cur {
    pub refs: RefCell<CurRefs>,
    /// The statement being stepped through and the row it stands on.
    pub stmt: RefCell<Option<super::execute::Live>>,
    pub pending: RefCell<Option<Vec<Raw>>>,
    pub columns: RefCell<Vec<String>>,
    pub rowcount: Cell<i64>,
    pub lastrowid: RefCell<Option<i64>>,
    pub arraysize: Cell<i64>,
    pub closed: Cell<bool>,
    pub initialized: Cell<bool>,
    /// A statement is running (a callback must not use the cursor).
    pub locked: Cell<bool>,
    /// The statement in progress is INSERT/UPDATE/DELETE/REPLACE (its
    /// changes count in `rowcount` once it is done).
    pub dml: Cell<bool>,
}

impl NativeData for Cur {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(r) = self.refs.try_borrow() {
            for v in [&r.connection, &r.row_factory, &r.description].into_iter().flatten() {
                visitor.visit_value(v);
            }
            for v in r.converters.iter().flatten() {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.refs);
    }
}

pub const CURSOR: &str = "sqlite3.Cursor";

pub fn cursor_type(vm: &Vm) -> PyRef {
    native_type(vm, &CURSOR_SPEC)
}

pub fn cursor_state(v: &Value) -> Option<&Cur> {
    v.payload().and_then(|p| p.as_native::<Cur>())
}

pub fn cur<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Cur> {
    cursor_state(v).ok_or_else(|| descr_error(vm, name, CURSOR, v))
}

pub fn split<'a>(vm: &Vm, args: Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Cur, Args<'a>)> {
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '{CURSOR}' object needs an argument")));
    };
    let c = cur(vm, me, name)?;
    Ok((me, c, Args { args: &args.args[1..], kwnames: args.kwnames }))
}

impl Cur {
    /// The connection object (set by `__init__`).
    pub fn connection(&self, vm: &Vm) -> PyResult<Value> {
        if !self.initialized.get() {
            return Err(programming(vm, "Base Cursor.__init__ not called."));
        }
        self.refs.borrow().connection.clone().ok_or_else(|| programming(vm, "Base Cursor.__init__ not called."))
    }

    /// CPython's `check_cursor`: initialized, not closed, not in use, and
    /// its connection usable. Returns the connection object.
    pub fn check(&self, vm: &Vm) -> PyResult<Value> {
        let conn_v = self.connection(vm)?;
        if self.closed.get() {
            return Err(programming(vm, "Cannot operate on a closed cursor."));
        }
        if self.locked.get() {
            return Err(programming(vm, "Recursive use of cursors not allowed."));
        }
        conn_state(vm, &conn_v)?.check(vm)?;
        Ok(conn_v)
    }

    /// Drops the statement in progress (which resets it) and its row.
    pub fn reset(&self) {
        let old = (self.stmt.try_borrow_mut().ok().and_then(|mut s| s.take()), self.pending.borrow_mut().take());
        drop(old);
    }

    /// Steps the statement in progress to its next row (dropping it at the end).
    fn advance(&self, vm: &Vm) -> PyResult<()> {
        let Ok(mut slot) = self.stmt.try_borrow_mut() else {
            return Err(programming(vm, "Recursive use of cursors not allowed."));
        };
        let Some(live) = slot.as_mut() else { return Ok(()) };
        let conn_v = self.connection(vm)?;
        let c = conn_state(vm, &conn_v)?;
        let r = c.scoped(vm, || super::execute::step(live));
        match r {
            Ok(Some(row)) => {
                *self.pending.borrow_mut() = Some(row);
                Ok(())
            }
            Ok(None) => {
                let old = slot.take();
                drop(slot);
                drop(old);
                if self.dml.get() {
                    let changes = c.with_db(vm, |db| Ok(db.changes() as i64))?;
                    self.rowcount.set(self.rowcount.get() + changes);
                }
                Ok(())
            }
            Err(e) => {
                let old = slot.take();
                drop(slot);
                drop(old);
                Err(super::errors::from_rusqlite(vm, e))
            }
        }
    }

    /// The next row as Python sees it (converters, text_factory,
    /// row_factory applied), None at the end.
    pub fn next_row(&self, vm: &Vm, me: &Value) -> PyResult<Option<Value>> {
        let conn_v = self.check(vm)?;
        let Some(raw) = self.pending.borrow_mut().take() else { return Ok(None) };
        self.locked.set(true);
        let r = self.convert_and_advance(vm, &conn_v, raw);
        self.locked.set(false);
        let (row, rf) = r?;
        if rf.is_none() {
            return Ok(Some(row));
        }
        vm.call1(&rf, &[me.clone(), row]).map(Some)
    }

    /// The Python row of `raw` (with the row factory to apply), after
    /// stepping to the next one, as CPython's fetch does.
    fn convert_and_advance(&self, vm: &Vm, conn_v: &Value, raw: Vec<Raw>) -> PyResult<(Value, Value)> {
        let c = conn_state(vm, conn_v)?;
        let tf = c.text_factory(vm);
        let (convs, rf) = {
            let r = self.refs.borrow();
            (r.converters.clone(), r.row_factory.clone().unwrap_or(Value::None))
        };
        let names = self.columns.borrow().clone();
        let mut items = Vec::with_capacity(raw.len());
        for (i, v) in raw.iter().enumerate() {
            let conv = convs.get(i).and_then(|c| c.as_ref());
            let name = names.get(i).map_or("", |s| s.as_str());
            items.push(to_python(vm, v, conv, &tf, name)?);
        }
        let row = vm.new_tuple(items);
        self.advance(vm)?;
        Ok((row, rf))
    }
}

/// The connection state behind a connection object.
pub fn conn_state<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a Conn> {
    v.payload().and_then(|p| p.as_native::<Conn>()).ok_or_else(|| programming(vm, "Base Cursor.__init__ not called."))
}

fn cursor_new(vm: &Vm, args: Args) -> PyResult {
    let t = cursor_type(vm);
    let (cls, _) = crate::native::split_new(vm, args, &t)?;
    let st = Cur {
        refs: RefCell::new(CurRefs::default()),
        stmt: RefCell::new(None),
        pending: RefCell::new(None),
        columns: RefCell::new(Vec::new()),
        rowcount: Cell::new(-1),
        lastrowid: RefCell::new(None),
        arraysize: Cell::new(1),
        closed: Cell::new(false),
        initialized: Cell::new(false),
        locked: Cell::new(false),
        dml: Cell::new(false),
    };
    Ok(new_object(vm, &cls, &t, st))
}

/// `Cursor(connection, /)`.
fn cursor_init(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "__init__")?;
    let a = crate::native::unpack(vm, "Cursor", &rest, 1, 1)?;
    if c.locked.get() {
        return Err(programming(vm, "Recursive use of cursors not allowed."));
    }
    if !vm.isinstance_type(&a[0], &connection_type(vm)) {
        return Err(vm.new_type_error(format!(
            "Cursor() argument 1 must be sqlite3.Connection, not {}",
            vm.type_name_of(&a[0])
        )));
    }
    let old = std::mem::replace(
        &mut *c.refs.borrow_mut(),
        CurRefs { connection: Some(a[0].clone()), row_factory: Some(Value::None), ..Default::default() },
    );
    drop(old);
    c.reset();
    c.arraysize.set(1);
    c.rowcount.set(-1);
    *c.lastrowid.borrow_mut() = None;
    c.closed.set(false);
    c.initialized.set(true);
    Ok(Value::None)
}

fn fetchone(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "fetchone")?;
    crate::native::unpack(vm, "fetchone", &rest, 0, 0)?;
    Ok(c.next_row(vm, me)?.unwrap_or(Value::None))
}

/// `fetchmany(size=cursor.arraysize)`.
fn fetchmany(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "fetchmany")?;
    let a = bind(vm, "fetchmany", rest, &["size"], 0)?;
    let n = match &a[0] {
        Some(v) => crate::native::c_int(vm, v)? as i64,
        None => c.arraysize.get(),
    };
    let mut out = Vec::new();
    while (out.len() as i64) < n {
        match c.next_row(vm, me)? {
            Some(r) => out.push(r),
            None => break,
        }
    }
    if out.is_empty() {
        c.check(vm)?;
    }
    Ok(vm.new_list(out))
}

fn fetchall(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "fetchall")?;
    crate::native::unpack(vm, "fetchall", &rest, 0, 0)?;
    let mut out = Vec::new();
    while let Some(r) = c.next_row(vm, me)? {
        out.push(r);
    }
    if out.is_empty() {
        c.check(vm)?;
    }
    Ok(vm.new_list(out))
}

use crate::native::bind;

fn iter(vm: &Vm, args: Args) -> PyResult {
    let (me, _, _) = split(vm, args, "__iter__")?;
    Ok(me.clone())
}

fn next(vm: &Vm, args: Args) -> PyResult {
    let (me, c, _) = split(vm, args, "__next__")?;
    match c.next_row(vm, me)? {
        Some(r) => Ok(r),
        None => Err(vm.new_stop_iteration(None)),
    }
}

fn close(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "close")?;
    crate::native::unpack(vm, "close", &rest, 0, 0)?;
    let conn_v = c.connection(vm)?;
    if c.locked.get() {
        return Err(programming(vm, "Recursive use of cursors not allowed."));
    }
    let cs = conn_state(vm, &conn_v)?;
    cs.check_thread(vm)?;
    cs.check_open(vm)?;
    c.reset();
    c.closed.set(true);
    Ok(Value::None)
}

fn setinputsizes(vm: &Vm, args: Args) -> PyResult {
    let (_, _, rest) = split(vm, args, "setinputsizes")?;
    crate::native::unpack(vm, "setinputsizes", &rest, 1, 1)?;
    Ok(Value::None)
}

fn setoutputsize(vm: &Vm, args: Args) -> PyResult {
    let (_, _, rest) = split(vm, args, "setoutputsize")?;
    crate::native::unpack(vm, "setoutputsize", &rest, 1, 2)?;
    Ok(Value::None)
}

fn get_connection(vm: &Vm, v: &Value) -> PyResult {
    Ok(cur(vm, v, "connection")?.refs.borrow().connection.clone().unwrap_or(Value::None))
}
fn get_description(vm: &Vm, v: &Value) -> PyResult {
    Ok(cur(vm, v, "description")?.refs.borrow().description.clone().unwrap_or(Value::None))
}
fn get_rowcount(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(cur(vm, v, "rowcount")?.rowcount.get()))
}
fn get_lastrowid(vm: &Vm, v: &Value) -> PyResult {
    Ok(cur(vm, v, "lastrowid")?.lastrowid.borrow().map_or(Value::None, Value::Int))
}
fn get_arraysize(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(cur(vm, v, "arraysize")?.arraysize.get()))
}
fn set_arraysize(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let c = cur(vm, v, "arraysize")?;
    let Some(value) = value else { return Err(vm.new_type_error("can't delete numeric/char attribute")) };
    c.arraysize.set(crate::native::c_int(vm, &value)? as i64);
    Ok(())
}
fn get_row_factory(vm: &Vm, v: &Value) -> PyResult {
    Ok(cur(vm, v, "row_factory")?.refs.borrow().row_factory.clone().unwrap_or(Value::None))
}
fn set_row_factory(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let c = cur(vm, v, "row_factory")?;
    let old = std::mem::replace(&mut c.refs.borrow_mut().row_factory, Some(value.unwrap_or(Value::None)));
    drop(old);
    Ok(())
}

static METHODS: [NativeDef; 13] = [
    NativeDef::staticmethod("__new__", cursor_new),
    NativeDef::method("__init__", cursor_init),
    NativeDef::method("execute", super::execute::execute).doc("execute($self, sql, parameters=(), /)\n--\n\nExecutes an SQL statement."),
    NativeDef::method("executemany", super::execute::executemany).doc("executemany($self, sql, seq_of_parameters, /)\n--\n\nRepeatedly executes an SQL statement."),
    NativeDef::method("executescript", super::execute::executescript).doc("executescript($self, sql_script, /)\n--\n\nExecutes multiple SQL statements at once."),
    NativeDef::method("fetchone", fetchone).doc("fetchone($self, /)\n--\n\nFetches one row from the resultset."),
    NativeDef::method("fetchmany", fetchmany).doc("fetchmany($self, /, size=1)\n--\n\nFetches several rows from the resultset.\n\n  size\n    The default value is set by the Cursor.arraysize attribute."),
    NativeDef::method("fetchall", fetchall).doc("fetchall($self, /)\n--\n\nFetches all rows from the resultset."),
    NativeDef::method("close", close).doc("close($self, /)\n--\n\nCloses the cursor."),
    NativeDef::method("setinputsizes", setinputsizes).doc("setinputsizes($self, sizes, /)\n--\n\nRequired by DB-API. Does nothing in sqlite3."),
    NativeDef::method("setoutputsize", setoutputsize).doc("setoutputsize($self, size, column=None, /)\n--\n\nRequired by DB-API. Does nothing in sqlite3."),
    NativeDef::method("__iter__", iter),
    NativeDef::method("__next__", next),
];

static GETSETS: [GetSetDef; 6] = [
    GetSetDef { name: "connection", get: get_connection, set: None, doc: "" },
    GetSetDef { name: "description", get: get_description, set: None, doc: "" },
    GetSetDef { name: "rowcount", get: get_rowcount, set: None, doc: "" },
    GetSetDef { name: "lastrowid", get: get_lastrowid, set: None, doc: "" },
    GetSetDef { name: "arraysize", get: get_arraysize, set: Some(set_arraysize), doc: "" },
    GetSetDef { name: "row_factory", get: get_row_factory, set: Some(set_row_factory), doc: "" },
];

pub static CURSOR_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "Cursor",
    doc: "SQLite database cursor class.",
    layout: Layout::Other,
    flags: type_flags::BASETYPE | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
