//! `Pickler.memo` and `Unpickler.memo`: views of the native memos with
//! `copy()` (as a dict), `clear()`, and pickling as that dict.

use crate::native::{native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};

struct Proxy {
    owner: Value,
}

impl NativeData for Proxy {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.owner);
    }
}

/// Marks a proxy of the Unpickler's memo (the Rust type is shared).
struct UnpicklerProxy(Proxy);

impl NativeData for UnpicklerProxy {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        self.0.traverse(visitor);
    }
}

pub(super) fn new_pickler_proxy(vm: &Vm, owner: &Value) -> Value {
    let t = native_type(vm, &PICKLER_PROXY);
    new_object(vm, &t, &t, Proxy { owner: owner.clone() })
}

pub(super) fn new_unpickler_proxy(vm: &Vm, owner: &Value) -> Value {
    let t = native_type(vm, &UNPICKLER_PROXY);
    new_object(vm, &t, &t, UnpicklerProxy(Proxy { owner: owner.clone() }))
}

pub(super) fn pickler_proxy_owner(v: &Value) -> Option<Value> {
    v.payload().and_then(|p| p.as_native::<Proxy>()).map(|p| p.owner.clone())
}

pub(super) fn unpickler_proxy_owner(v: &Value) -> Option<Value> {
    v.payload().and_then(|p| p.as_native::<UnpicklerProxy>()).map(|p| p.0.owner.clone())
}

fn owner_of(vm: &Vm, args: &Args, name: &str) -> PyResult<(Value, bool)> {
    vm.check_arity(name, Args { args: args.args, kwnames: args.kwnames }, 1, 1)?;
    let me = &args.args[0];
    if let Some(o) = pickler_proxy_owner(me) {
        return Ok((o, true));
    }
    match unpickler_proxy_owner(me) {
        Some(o) => Ok((o, false)),
        None => Err(vm.new_type_error(format!("descriptor '{name}' requires a memo proxy"))),
    }
}

/// The memo as a dict: {id(obj): (index, obj)} for a pickler, {index: obj}
/// for an unpickler.
fn memo_copy_of(vm: &Vm, owner: &Value, pickler: bool) -> PyResult {
    let d = vm.new_dict();
    if pickler {
        let p = super::pickler_type::state(vm, owner, "memo")?;
        let entries = p.memo.borrow().entries();
        for (idx, obj) in entries {
            let key = Value::Int(obj.id());
            vm.dict_set(&d, key, vm.new_tuple(vec![Value::Int(idx as i64), obj]))?;
        }
    } else {
        let u = super::unpickler::state(vm, owner, "memo")?;
        let entries = u.memo.borrow().entries();
        for (idx, obj) in entries {
            vm.dict_set(&d, Value::Int(idx as i64), obj)?;
        }
    }
    Ok(Value::Obj(d))
}

fn proxy_copy(vm: &Vm, args: Args) -> PyResult {
    let (owner, pickler) = owner_of(vm, &args, "copy")?;
    memo_copy_of(vm, &owner, pickler)
}

fn proxy_clear(vm: &Vm, args: Args) -> PyResult {
    let (owner, pickler) = owner_of(vm, &args, "clear")?;
    if pickler {
        let p = super::pickler_type::state(vm, &owner, "memo")?;
        let old = std::mem::take(&mut *p.memo.borrow_mut());
        drop(old);
    } else {
        let u = super::unpickler::state(vm, &owner, "memo")?;
        let old = std::mem::take(&mut *u.memo.borrow_mut());
        drop(old);
    }
    Ok(Value::None)
}

fn proxy_reduce(vm: &Vm, args: Args) -> PyResult {
    let (owner, pickler) = owner_of(vm, &args, "__reduce__")?;
    let copy = memo_copy_of(vm, &owner, pickler)?;
    Ok(vm.new_tuple(vec![Value::Obj(vm.types.dict.clone()), vm.new_tuple(vec![copy])]))
}

static METHODS: [NativeDef; 3] = [
    NativeDef::method("clear", proxy_clear).doc("clear($self, /)\n--\n\nEmpty the memo."),
    NativeDef::method("copy", proxy_copy).doc("copy($self, /)\n--\n\nThe memo's entries as a new dict."),
    NativeDef::method("__reduce__", proxy_reduce).doc("__reduce__($self, /)\n--\n\nPickled as a dict of the memo's entries."),
];

static PICKLER_PROXY: TypeSpec = TypeSpec {
    module: "_pickle",
    name: "PicklerMemoProxy",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

static UNPICKLER_PROXY: TypeSpec = TypeSpec {
    module: "_pickle",
    name: "UnpicklerMemoProxy",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};
