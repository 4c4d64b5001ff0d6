//! `Cursor.execute`, `executemany` and `executescript`: preparing, binding
//! (sequences and mappings), the implicit BEGIN before DML of Python 3.11,
//! running the statement to completion and noting what the cursor reports.

use super::connection::Conn;
use super::cursor::{conn_state, split, Cur};
use super::errors::{programming, OrRaise};
use super::values::{bind_value, is_dict, Raw};
use super::sqltext::{is_blank, lstrip_sql};
use super::{state, PARSE_COLNAMES, PARSE_DECLTYPES};
use krait_vm::payload::Payload;
use krait_vm::{Args, PyResult, Value, Vm};
use rusqlite::types::Value as SqlValue;
use std::rc::Rc;

/// INSERT, UPDATE, DELETE or REPLACE first (after blanks and comments),
/// as CPython 3.11 decides.
fn is_dml(sql: &str) -> bool {
    let s = lstrip_sql(sql);
    let starts = |w: &str| s.len() >= w.len() && s.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    starts("insert") || starts("update") || starts("delete") || starts("replace")
}

/// The first statement of `sql`, or the ProgrammingError for more text
/// after it than blanks and comments.
fn single_statement<'a>(vm: &Vm, sql: &'a str) -> PyResult<&'a str> {
    let Some(end) = super::sqltext::first_statement_end(sql) else { return Ok(sql) };
    if lstrip_sql(&sql[end..]).is_empty() {
        Ok(&sql[..end])
    } else {
        Err(programming(vm, "You can only execute one statement at a time."))
    }
}

/// CPython's check of the text against SQLITE_LIMIT_SQL_LENGTH.
pub fn check_length(vm: &Vm, db: &rusqlite::Connection, sql: &str) -> PyResult<()> {
    let max = db.limit(rusqlite::limits::Limit::SQLITE_LIMIT_SQL_LENGTH).or_raise(vm)?;
    if sql.len() as i64 > max as i64 {
        return Err(super::errors::data_error(vm, "query string is too large"));
    }
    Ok(())
}

/// The parameter values of one execution, for a statement with `n` of them.
fn bind_params(vm: &Vm, stmt: &rusqlite::Statement<'_>, params: &Value) -> PyResult<Vec<SqlValue>> {
    let n = stmt.parameter_count();
    let exact_seq = matches!(params.payload().map(|p| (p, vm.class_of(params))), Some((Payload::Tuple(_) | Payload::List(_), c)) if c.is(&vm.types.tuple) || c.is(&vm.types.list));
    let is_seq = exact_seq || (!is_dict(params) && vm.getattr_opt(&Value::Obj(vm.type_of(params)), "__getitem__")?.is_some() && vm.getattr_opt(&Value::Obj(vm.type_of(params)), "__len__")?.is_some());
    let mut out = Vec::with_capacity(n);
    if is_seq {
        let given = vm.len(params)?;
        if given != n {
            return Err(programming(
                vm,
                format!("Incorrect number of bindings supplied. The current statement uses {n}, and there are {given} supplied."),
            ));
        }
        for i in 0..n {
            let item = vm.getitem(params, &Value::Int(i as i64))?;
            out.push(bind_value(vm, &item, i + 1)?);
        }
    } else if is_dict(params) {
        for i in 1..=n {
            let Some(name) = stmt.parameter_name(i).filter(|s| !s.starts_with('?')) else {
                return Err(programming(
                    vm,
                    format!("Binding {i} has no name, but you supplied a dictionary (which has only names)."),
                ));
            };
            let key = vm.new_str(&name[1..]);
            let item = match vm.getitem(params, &key) {
                Ok(v) => v,
                Err(e) if vm.exception_matches(&e, &vm.exc.key_error) => {
                    return Err(programming(vm, format!("You did not supply a value for binding parameter {name}.")))
                }
                Err(e) => return Err(e),
            };
            out.push(bind_value(vm, &item, i)?);
        }
    } else {
        return Err(programming(vm, "parameters are of unsupported type"));
    }
    Ok(out)
}

/// The converter registered under `name` (case-insensitively).
fn converter(vm: &Vm, name: &str) -> PyResult<Option<Value>> {
    let d = state(vm).converters_in(vm);
    vm.dict_get(&d, &vm.new_str(name.to_uppercase()))
}

/// The per-column converters and the names the description shows.
fn columns(vm: &Vm, stmt: &rusqlite::Statement<'_>, detect: i32) -> PyResult<(Vec<String>, Vec<Option<Value>>)> {
    let mut names = Vec::new();
    let mut convs = Vec::new();
    for col in stmt.columns() {
        let full = col.name();
        let mut conv = None;
        let mut shown = full;
        if detect & PARSE_COLNAMES != 0 {
            if let Some(open) = full.find('[') {
                if let Some(close) = full[open + 1..].find(']') {
                    conv = converter(vm, &full[open + 1..open + 1 + close])?;
                }
                shown = full[..open].strip_suffix(' ').unwrap_or(&full[..open]);
            }
        }
        if conv.is_none() && detect & PARSE_DECLTYPES != 0 {
            if let Some(decl) = col.decl_type() {
                let end = decl.find([' ', '(']).unwrap_or(decl.len());
                conv = converter(vm, &decl[..end])?;
            }
        }
        names.push(shown.to_string());
        convs.push(conv);
    }
    Ok((names, convs))
}

type CachedStmt<'a> = rusqlite::CachedStatement<'a>;

self_cell::self_cell!(
    /// A prepared statement kept by a cursor between fetches, with the
    /// connection it borrows (shared: closing the connection object does
    /// not free the database while a statement is still alive).
    pub struct LiveStmt {
        owner: Rc<rusqlite::Connection>,
        #[covariant]
        dependent: CachedStmt,
    }
);

/// A `LiveStmt` that is reset when dropped: a cached statement goes back
/// to rusqlite's cache as it is, and one left mid-way would keep its
/// table locked.
pub struct Live(LiveStmt);

impl Drop for Live {
    fn drop(&mut self) {
        // A `Rows` dropped without stepping resets its statement.
        self.0.with_dependent_mut(|_, stmt| drop(stmt.raw_query()));
    }
}

/// Steps the statement once: the row's values, or None when it is done.
/// The `Rows` helper is forgotten, not dropped, so the statement is not
/// reset and the next step continues where this one stopped.
pub fn step(live: &mut Live) -> rusqlite::Result<Option<Vec<Raw>>> {
    live.0.with_dependent_mut(|_, stmt| {
        let mut rows = stmt.raw_query();
        let out = match rows.next()? {
            Some(row) => {
                let n = row.as_ref().column_count();
                let mut vals = Vec::with_capacity(n);
                for i in 0..n {
                    vals.push(Raw::from_ref(row.get_ref(i)?));
                }
                Some(vals)
            }
            None => None,
        };
        std::mem::forget(rows);
        Ok(out)
    })
}

/// One statement with each parameter set of `param_sets` (empty for
/// `execute` without parameters): the first row of the last run is
/// stepped to, later rows come with the fetches.
fn run(vm: &Vm, me: &Cur, c: &Conn, sql: &str, params: Option<&Value>, multiple: bool) -> PyResult<()> {
    {
        let mut r = me.refs.borrow_mut();
        let old = (r.description.take(), std::mem::take(&mut r.converters));
        drop(r);
        drop(old);
    }
    me.reset();
    me.rowcount.set(-1);
    if sql.contains('\0') {
        return Err(programming(vm, "the query contains a null character"));
    }
    let level = c.isolation_level.borrow().clone();
    c.with_db(vm, |db| check_length(vm, db, sql))?;
    let sql = single_statement(vm, sql)?;
    if is_blank(sql) {
        return Ok(());
    }
    let dml = is_dml(sql);
    if multiple && !dml {
        return Err(programming(vm, "executemany() can only execute DML statements."));
    }
    let rc = c.rc(vm)?;
    let mut live = Live(c.scoped(vm, || LiveStmt::try_new(rc, |db| db.prepare_cached(sql))).or_raise(vm)?);
    if let Some(level) = &level {
        if dml {
            c.with_db(vm, |db| {
                if db.is_autocommit() {
                    db.execute_batch(&format!("BEGIN {level}")).or_raise(vm)?;
                }
                Ok(())
            })?;
        }
    }
    if dml {
        me.rowcount.set(0);
    }
    // executemany's parameter sets come from an iterator, read as they are used.
    let iter = if multiple { Some(vm.iter(params.unwrap_or(&Value::None))?) } else { None };
    let mut single = Some(params.cloned().unwrap_or_else(|| vm.new_tuple(vec![])));
    let mut pending = None;
    loop {
        let params = match &iter {
            Some(it) => match vm.next(it)? {
                Some(p) => p,
                None => break,
            },
            None => match single.take() {
                Some(p) => p,
                None => break,
            },
        };
        let params = &params;
        let values = live.0.with_dependent(|_, stmt| bind_params(vm, stmt, params))?;
        live.0.with_dependent_mut(|_, stmt| {
            stmt.clear_bindings();
            for (i, v) in values.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            Ok(())
        })
        .or_raise(vm)?;
        c.check(vm)?;
        pending = c.scoped(vm, || step(&mut live)).or_raise(vm)?;
        if pending.is_some() && multiple {
            return Err(programming(vm, "executemany() can only execute DML statements."));
        }
        if dml && pending.is_none() {
            let changes = c.with_db(vm, |db| Ok(db.changes() as i64))?;
            me.rowcount.set(me.rowcount.get() + changes);
        }
    }
    // After stepping: a cached statement re-prepared for a changed schema
    // reports its new columns.
    let (names, convs) = live.0.with_dependent(|_, stmt| columns(vm, stmt, c.detect_types.get()))?;
    if !names.is_empty() {
        let none = || Value::None;
        let desc: Vec<Value> = names
            .iter()
            .map(|n| vm.new_tuple(vec![vm.new_str(n), none(), none(), none(), none(), none(), none()]))
            .collect();
        let mut r = me.refs.borrow_mut();
        r.description = Some(vm.new_tuple(desc));
        r.converters = convs;
    }
    *me.columns.borrow_mut() = names;
    if !multiple {
        let id = c.with_db(vm, |db| Ok(db.last_insert_rowid()))?;
        *me.lastrowid.borrow_mut() = Some(id);
    }
    if pending.is_some() {
        me.dml.set(dml);
        *me.pending.borrow_mut() = pending;
        *me.stmt.borrow_mut() = Some(live);
    }
    Ok(())
}

/// Runs `f` with the cursor marked busy (a callback using it is refused).
fn locked<R>(me: &Cur, f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    me.locked.set(true);
    let r = f();
    me.locked.set(false);
    r
}

/// `execute(sql, parameters=(), /)`.
pub fn execute(vm: &Vm, args: Args) -> PyResult {
    let (me_v, me, rest) = split(vm, args, "execute")?;
    let a = crate::native::unpack(vm, "execute", &rest, 1, 2)?;
    let conn_v = me.check(vm)?;
    let Some(sql) = vm.as_str(&a[0]) else {
        return Err(vm.new_type_error(format!("execute() argument 1 must be str, not {}", vm.type_name_of(&a[0]))));
    };
    super::values::utf8_text(vm, &a[0])?;
    let c = conn_state(vm, &conn_v)?;
    locked(me, || run(vm, me, c, sql, a.get(1), false))?;
    Ok(me_v.clone())
}

/// `executemany(sql, seq_of_parameters, /)`.
pub fn executemany(vm: &Vm, args: Args) -> PyResult {
    let (me_v, me, rest) = split(vm, args, "executemany")?;
    let a = crate::native::unpack(vm, "executemany", &rest, 2, 2)?;
    let conn_v = me.check(vm)?;
    let Some(sql) = vm.as_str(&a[0]) else {
        return Err(vm.new_type_error(format!("executemany() argument 1 must be str, not {}", vm.type_name_of(&a[0]))));
    };
    super::values::utf8_text(vm, &a[0])?;
    let c = conn_state(vm, &conn_v)?;
    locked(me, || run(vm, me, c, sql, Some(&a[1]), true))?;
    Ok(me_v.clone())
}

/// `executescript(sql_script, /)`: COMMIT first, then every statement.
pub fn executescript(vm: &Vm, args: Args) -> PyResult {
    let (me_v, me, rest) = split(vm, args, "executescript")?;
    let a = crate::native::unpack(vm, "executescript", &rest, 1, 1)?;
    let conn_v = me.check(vm)?;
    let Some(sql) = vm.as_str(&a[0]) else {
        return Err(vm.new_type_error(format!("executescript() argument must be str, not {}", vm.type_name_of(&a[0]))));
    };
    if sql.contains('\0') {
        return Err(vm.new_value_error("embedded null character"));
    }
    super::values::utf8_text(vm, &a[0])?;
    let c = conn_state(vm, &conn_v)?;
    locked(me, || {
        c.with_db(vm, |db| {
            check_length(vm, db, sql)?;
            if !db.is_autocommit() {
                db.execute_batch("COMMIT").or_raise(vm)?;
            }
            let mut rest = sql;
            loop {
                let end = super::sqltext::first_statement_end(rest).unwrap_or(rest.len());
                let one = &rest[..end];
                if !is_blank(one) {
                    let mut stmt = db.prepare(one).or_raise(vm)?;
                    let mut rows = stmt.raw_query();
                    while rows.next().or_raise(vm)?.is_some() {}
                }
                if end >= rest.len() {
                    return Ok(());
                }
                rest = &rest[end..];
            }
        })
    })?;
    Ok(me_v.clone())
}
