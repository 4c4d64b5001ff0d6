//! `sqlite3.Row`: a tuple with the cursor's column names, indexable by
//! position, slice or (case-insensitive) name.

use super::cursor::{cursor_state, cursor_type};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::Payload;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

pub struct RowRefs {
    /// The cursor's description (a tuple of 7-tuples) and the values.
    description: Value,
    data: Value,
}

pub struct Row(RefCell<RowRefs>);

impl Default for RowRefs {
    fn default() -> Self {
        RowRefs { description: Value::None, data: Value::None }
    }
}

impl NativeData for Row {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        crate::native::visit_refcell(&self.0, visitor, |r, v| {
            v.visit_value(&r.description);
            v.visit_value(&r.data);
        });
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.0);
    }
}

const ROW: &str = "sqlite3.Row";

fn row_type(vm: &Vm) -> PyRef {
    native_type(vm, &ROW_SPEC)
}

fn parts(vm: &Vm, v: &Value, name: &str) -> PyResult<(Value, Vec<Value>)> {
    let r = v.payload().and_then(|p| p.as_native::<Row>()).ok_or_else(|| descr_error(vm, name, ROW, v))?;
    let r = r.0.borrow();
    let data = r.data.payload().and_then(|p| p.as_tuple()).map(|t| t.to_vec()).unwrap_or_default();
    Ok((r.description.clone(), data))
}

/// The column names of a description.
fn names(vm: &Vm, description: &Value) -> Vec<Value> {
    let Some(cols) = description.payload().and_then(|p| p.as_tuple()) else { return Vec::new() };
    cols.iter()
        .map(|c| c.payload().and_then(|p| p.as_tuple()).and_then(|t| t.first().cloned()).unwrap_or(Value::None))
        .map(|n| if n.is_none() { vm.new_str("") } else { n })
        .collect()
}

/// `Row(cursor, data, /)`.
fn row_new(vm: &Vm, args: Args) -> PyResult {
    let t = row_type(vm);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("Row() takes no keyword arguments"));
    }
    let a = crate::native::unpack(vm, "Row", &rest, 2, 2)?;
    if !vm.isinstance_type(&a[0], &cursor_type(vm)) {
        return Err(vm.new_type_error(format!("Row() argument 1 must be sqlite3.Cursor, not {}", vm.type_name_of(&a[0]))));
    }
    if !vm.isinstance_type(&a[1], &vm.types.tuple) {
        return Err(vm.new_type_error(format!("Row() argument 2 must be tuple, not {}", vm.type_name_of(&a[1]))));
    }
    let description = cursor_state(&a[0]).and_then(|c| c.refs.borrow().description.clone()).unwrap_or(Value::None);
    Ok(new_object(vm, &cls, &t, Row(RefCell::new(RowRefs { description, data: a[1].clone() }))))
}

fn getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getitem__", args, 2, 2)?;
    let (desc, data) = parts(vm, &args.args[0], "__getitem__")?;
    let key = &args.args[1];
    if let Some(k) = vm.as_str(key) {
        for (i, n) in names(vm, &desc).iter().enumerate() {
            if vm.as_str(n).is_some_and(|n| n.eq_ignore_ascii_case(k)) {
                return Ok(data.get(i).cloned().unwrap_or(Value::None));
            }
        }
        return Err(vm.new_index_error("No item with that key"));
    }
    let is_index = matches!(key, Value::Int(_) | Value::Bool(_)) || vm.isinstance_type(key, &vm.types.int);
    let is_slice = matches!(key.payload(), Some(Payload::Slice(..)));
    if is_index || is_slice {
        let t = args.args[0].payload().and_then(|p| p.as_native::<Row>()).map(|r| r.0.borrow().data.clone()).unwrap_or(Value::None);
        return vm.getitem(&t, key);
    }
    Err(vm.new_index_error("Index must be int or string"))
}

fn len(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__len__", args, 1, 1)?;
    Ok(Value::Int(parts(vm, &args.args[0], "__len__")?.1.len() as i64))
}

fn iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__iter__", args, 1, 1)?;
    let (_, data) = parts(vm, &args.args[0], "__iter__")?;
    vm.iter(&vm.new_tuple(data))
}

fn keys(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("keys", args, 1, 1)?;
    let (desc, _) = parts(vm, &args.args[0], "keys")?;
    Ok(vm.new_list(names(vm, &desc)))
}

fn hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__hash__", args, 1, 1)?;
    let (desc, data) = parts(vm, &args.args[0], "__hash__")?;
    let h = vm.hash(&desc)? ^ vm.hash(&vm.new_tuple(data))?;
    Ok(Value::Int(if h == -1 { -2 } else { h }))
}

fn compare(vm: &Vm, args: Args, name: &str, eq: bool) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let (d1, a) = parts(vm, &args.args[0], name)?;
    let other = &args.args[1];
    if other.payload().and_then(|p| p.as_native::<Row>()).is_none() {
        return Ok(vm.not_implemented());
    }
    let (d2, b) = parts(vm, other, name)?;
    let same = vm.eq_bool(&d1, &d2)? && vm.eq_bool(&vm.new_tuple(a), &vm.new_tuple(b))?;
    Ok(Value::Bool(same == eq))
}

fn eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", true)
}
fn ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", false)
}

fn ordering(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__lt__", args, 2, 2)?;
    Ok(vm.not_implemented())
}

static METHODS: [NativeDef; 11] = [
    NativeDef::staticmethod("__new__", row_new),
    NativeDef::method("__getitem__", getitem),
    NativeDef::method("__len__", len),
    NativeDef::method("__iter__", iter),
    NativeDef::method("__hash__", hash),
    NativeDef::method("__eq__", eq),
    NativeDef::method("__ne__", ne),
    NativeDef::method("__lt__", ordering),
    NativeDef::method("__le__", ordering),
    NativeDef::method("__gt__", ordering),
    NativeDef::method("keys", keys).doc("keys($self, /)\n--\n\nReturns the keys of the row."),
];

pub static ROW_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "Row",
    doc: "",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

pub fn make_type(vm: &Vm) -> PyRef {
    row_type(vm)
}
