//! `_collections._tuplegetter(index, doc)`: the read-only field descriptor
//! namedtuple classes use (`p.x` is `p[0]`; assignment is refused).

use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;

struct TupleGetter {
    index: i64,
    doc: RefCell<Value>,
}

impl NativeData for TupleGetter {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(doc) = self.doc.try_borrow() {
            visitor.visit_value(&doc);
        }
    }
    fn clear(&self) {
        let old = match self.doc.try_borrow_mut() {
            Ok(mut doc) => std::mem::replace(&mut *doc, Value::None),
            Err(_) => return,
        };
        drop(old);
    }
}

fn getter_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a TupleGetter> {
    v.payload()
        .and_then(|p| p.as_native::<TupleGetter>())
        .ok_or_else(|| crate::native::descr_error(vm, name, "_collections._tuplegetter", v))
}

fn tg_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &TUPLEGETTER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let a = crate::native::unpack(vm, "_tuplegetter", &rest, 2, 2)?;
    let index = crate::native::ssize(vm, &a[0])?;
    Ok(new_object(vm, &cls, &t, TupleGetter { index, doc: RefCell::new(a[1].clone()) }))
}

fn tg_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    let g = getter_of(vm, &args.args[0], "__get__")?;
    let obj = &args.args[1];
    if obj.is_none() {
        return Ok(args.args[0].clone());
    }
    let Some(items) = obj.payload().and_then(|p| p.as_tuple()) else {
        return Err(vm.new_type_error(format!(
            "descriptor for index '{}' for tuple subclasses doesn't apply to '{}' object",
            g.index,
            vm.type_name_of(obj)
        )));
    };
    match usize::try_from(g.index).ok().and_then(|i| items.get(i)) {
        Some(v) => Ok(v.clone()),
        None => Err(vm.new_index_error("tuple index out of range")),
    }
}

fn tg_set(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__set__", args, 3, 3)?;
    getter_of(vm, &args.args[0], "__set__")?;
    Err(vm.new_attribute_error("can't set attribute"))
}

fn tg_delete(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__delete__", args, 2, 2)?;
    getter_of(vm, &args.args[0], "__delete__")?;
    Err(vm.new_attribute_error("can't delete attribute"))
}

fn tg_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let g = getter_of(vm, me, "__reduce__")?;
    let cls = Value::Obj(vm.class_of(me).clone());
    let doc = g.doc.borrow().clone();
    Ok(vm.new_tuple(vec![cls, vm.new_tuple(vec![Value::Int(g.index), doc])]))
}

fn tg_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let g = getter_of(vm, me, "__repr__")?;
    let doc = g.doc.borrow().clone();
    // The short type name, as CPython's _PyType_Name.
    let full = vm.type_name_of(me).to_string();
    let name = full.rsplit('.').next().unwrap_or("");
    Ok(vm.new_str(format!("{}({}, {})", name, g.index, vm.repr_string(&doc)?)))
}

fn tg_doc(vm: &Vm, v: &Value) -> PyResult {
    Ok(getter_of(vm, v, "__doc__")?.doc.borrow().clone())
}

fn tg_set_doc(vm: &Vm, v: &Value, new: Option<Value>) -> PyResult<()> {
    *getter_of(vm, v, "__doc__")?.doc.borrow_mut() = new.unwrap_or(Value::None);
    Ok(())
}

static METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", tg_new),
    NativeDef::method("__get__", tg_get),
    NativeDef::method("__set__", tg_set),
    NativeDef::method("__delete__", tg_delete),
    NativeDef::method("__reduce__", tg_reduce),
    NativeDef::method("__repr__", tg_repr),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "__doc__", get: tg_doc, set: Some(tg_set_doc), doc: "" }];

pub static TUPLEGETTER: TypeSpec = TypeSpec {
    module: "_collections",
    name: "_tuplegetter",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
