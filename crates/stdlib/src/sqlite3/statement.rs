//! `sqlite3.Statement`: what calling a connection with SQL returns (a
//! prepared statement CPython exposes but lets nobody create directly).

use super::connection::split;
use super::errors::OrRaise;
use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::gc::NativeData;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Vm};

/// The SQL text it was made from (the prepared form is not kept: rusqlite
/// statements borrow their connection).
struct Statement(#[allow(dead_code)] String);
impl NativeData for Statement {}

fn statement_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create 'sqlite3.Statement' instances"))
}

static METHODS: [NativeDef; 1] = [NativeDef::staticmethod("__new__", statement_new)];

static STATEMENT_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "Statement",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

fn statement_type(vm: &Vm) -> PyRef {
    native_type(vm, &STATEMENT_SPEC)
}

/// `Connection.__call__(sql, /)`: prepares `sql` (raising its errors).
pub fn conn_call(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "__call__")?;
    c.check(vm)?;
    let a = crate::native::unpack(vm, "__call__", &rest, 1, 1)?;
    if vm.as_str(&a[0]).is_none() {
        return Err(vm.new_type_error(format!("argument 1 must be str, not {}", vm.type_name_of(&a[0]))));
    }
    let sql = super::values::utf8_text(vm, &a[0])?;
    c.with_db(vm, |db| {
        super::execute::check_length(vm, db, &sql)?;
        db.prepare(&sql).map(drop).or_raise(vm)
    })?;
    let t = statement_type(vm);
    Ok(new_object(vm, &t, &t, Statement(sql)))
}
