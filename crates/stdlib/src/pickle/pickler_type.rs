//! The `_pickle.Pickler` type: construction, `dump`, `clear_memo`, and
//! the attributes CPython exposes (`persistent_id`, `dispatch_table`,
//! `bin`, `fast`, `memo`).

use super::pickler::{Memo, Pickler};
use super::pickling_error;
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn pickler_type(vm: &Vm) -> PyRef {
    native_type(vm, &PICKLER)
}

pub(super) fn state<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Pickler> {
    v.payload()
        .and_then(|p| p.as_native::<Pickler>())
        .ok_or_else(|| descr_error(vm, name, "_pickle.Pickler", v))
}

fn pickler_new(vm: &Vm, args: Args) -> PyResult {
    let t = pickler_type(vm);
    let (cls, _rest) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, Pickler::new_detached()))
}

/// `persistent_id` / `persistent_load`: the callable, kept unbound when it
/// is a method of the (un)pickler's own class, so that the object does not
/// hold a reference to itself (then called with the object first).
#[derive(Default, Clone)]
pub(super) struct PersFunc {
    pub(super) func: Option<Value>,
    with_self: bool,
}

impl PersFunc {
    /// What `__init__` finds as attribute `name` of the object.
    pub(super) fn lookup(vm: &Vm, this: &Value, name: &str) -> PyResult<PersFunc> {
        let Some(f) = vm.getattr_opt(this, name)? else { return Ok(PersFunc::default()) };
        if let Some(Payload::BoundMethod((func, slf))) = f.payload() {
            if slf.is(this) {
                return Ok(PersFunc { func: Some(func.clone()), with_self: true });
            }
        }
        Ok(PersFunc { func: Some(f), with_self: false })
    }

    /// A value assigned to the attribute.
    pub(super) fn assigned(vm: &Vm, value: Option<Value>, name: &str) -> PyResult<PersFunc> {
        let Some(f) = value else { return Err(vm.new_type_error("attribute deletion is not supported")) };
        if !vm.is_callable(&f) {
            return Err(vm.new_type_error(format!("{name} must be a callable taking one argument")));
        }
        Ok(PersFunc { func: Some(f), with_self: false })
    }

    /// The attribute's value: a method bound again, or what was assigned.
    pub(super) fn attr(&self, vm: &Vm, this: &Value, name: &str) -> PyResult {
        match &self.func {
            Some(f) if self.with_self => Ok(vm.new_bound_method(f.clone(), this.clone())),
            Some(f) => Ok(f.clone()),
            None => Err(vm.new_attribute_error(name)),
        }
    }

    pub(super) fn call(&self, vm: &Vm, this: Option<&Value>, arg: Value) -> PyResult<Option<Value>> {
        let Some(f) = &self.func else { return Ok(None) };
        match (self.with_self, this) {
            (true, Some(me)) => vm.call1(f, &[me.clone(), arg]).map(Some),
            _ => vm.call1(f, &[arg]).map(Some),
        }
    }
}

fn pickler_init(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__init__' needs an argument"))?;
    let p = state(vm, me, "__init__")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let b = vm.bind_native("Pickler", rest, &["file", "protocol", "fix_imports", "buffer_callback"], 0, 1, None)?;
    // A second __init__ starts over.
    let old = std::mem::take(&mut *p.memo.borrow_mut());
    drop(old);
    p.configure(vm, b[0].as_ref(), b[1].as_ref(), b[2].as_ref(), b[3].as_ref())?;
    p.out.borrow_mut().clear();
    p.fast.set(false);
    p.fast_nesting.set(0);
    p.fast_memo.borrow_mut().clear();
    let pers = PersFunc::lookup(vm, me, "persistent_id")?;
    let old = std::mem::replace(&mut p.refs.borrow_mut().pers, pers);
    drop(old);
    if p.refs.borrow().dispatch_table.is_none() {
        let dt = vm.getattr_opt(me, "dispatch_table")?;
        p.refs.borrow_mut().dispatch_table = dt;
    }
    Ok(Value::None)
}

fn pickler_dump(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("dump", args, 2, 2)?;
    let me = &args.args[0];
    let p = state(vm, me, "dump")?;
    if p.refs.borrow().write.is_none() {
        return Err(pickling_error(
            vm,
            format!("Pickler.__init__() was not called by {}.__init__()", vm.type_name_of(me)),
        ));
    }
    p.out.borrow_mut().clear();
    p.frame_start.set(None);
    p.dump(vm, Some(me), &args.args[1])?;
    p.flush_to_file(vm)?;
    Ok(Value::None)
}

fn pickler_clear_memo(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("clear_memo", args, 1, 1)?;
    let p = state(vm, &args.args[0], "clear_memo")?;
    let old = std::mem::take(&mut *p.memo.borrow_mut());
    drop(old);
    Ok(Value::None)
}

fn pickler_sizeof(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__sizeof__", args, 1, 1)?;
    let p = state(vm, &args.args[0], "__sizeof__")?;
    let n = std::mem::size_of::<Pickler>() + p.out.borrow().capacity() + p.memo.borrow().heap_bytes();
    Ok(Value::Int(n as i64))
}

fn get_persistent_id(vm: &Vm, v: &Value) -> PyResult {
    let pers = state(vm, v, "persistent_id")?.refs.borrow().pers.clone();
    pers.attr(vm, v, "persistent_id")
}

fn set_persistent_id(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "persistent_id")?;
    let pers = PersFunc::assigned(vm, value, "persistent_id")?;
    let old = std::mem::replace(&mut p.refs.borrow_mut().pers, pers);
    drop(old);
    Ok(())
}

fn get_dispatch_table(vm: &Vm, v: &Value) -> PyResult {
    let p = state(vm, v, "dispatch_table")?;
    let dt = p.refs.borrow().dispatch_table.clone();
    dt.ok_or_else(|| vm.new_attribute_error("dispatch_table"))
}

fn set_dispatch_table(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "dispatch_table")?;
    let old = std::mem::replace(&mut p.refs.borrow_mut().dispatch_table, value);
    drop(old);
    Ok(())
}

fn get_bin(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state(vm, v, "bin")?.bin.get() as i64))
}

fn set_bin(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "bin")?;
    let Some(value) = value else { return Err(vm.new_type_error("can't delete numeric/char attribute")) };
    p.bin.set(crate::native::ssize(vm, &value)? != 0);
    Ok(())
}

fn get_fast(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(state(vm, v, "fast")?.fast.get() as i64))
}

fn set_fast(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "fast")?;
    let Some(value) = value else { return Err(vm.new_type_error("can't delete numeric/char attribute")) };
    p.fast.set(crate::native::ssize(vm, &value)? != 0);
    Ok(())
}

fn get_memo(vm: &Vm, v: &Value) -> PyResult {
    state(vm, v, "memo")?;
    Ok(super::memo_proxy::new_pickler_proxy(vm, v))
}

fn set_memo(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let p = state(vm, v, "memo")?;
    let Some(value) = value else { return Err(vm.new_type_error("attribute deletion is not supported")) };
    let new_memo = if let Some(owner) = super::memo_proxy::pickler_proxy_owner(&value) {
        let src = state(vm, &owner, "memo")?;
        let copy = src.memo.borrow().clone();
        copy
    } else if let Some(d) = value.as_obj().filter(|d| d.payload.as_dict().is_some()) {
        let mut memo = Memo::default();
        for (_, entry) in vm.dict_items(d) {
            let Some([idx, obj]) = entry.payload().and_then(|p| p.as_tuple()) else {
                return Err(vm.new_type_error("'memo' values must be 2-item tuples"));
            };
            let idx = crate::native::ssize(vm, idx)?;
            if let Value::Obj(o) = obj {
                memo.insert(o, idx as u32);
            }
        }
        memo
    } else {
        return Err(vm.new_type_error(format!(
            "'memo' attribute must be a PicklerMemoProxy object or dict, not {}",
            vm.type_name_of(&value)
        )));
    };
    let old = std::mem::replace(&mut *p.memo.borrow_mut(), new_memo);
    drop(old);
    Ok(())
}

static METHODS: [NativeDef; 5] = [
    NativeDef::staticmethod("__new__", pickler_new),
    NativeDef::method("__init__", pickler_init),
    NativeDef::method("dump", pickler_dump).doc("dump($self, obj, /)\n--\n\nPickle obj to the pickler's file."),
    NativeDef::method("clear_memo", pickler_clear_memo).doc("clear_memo($self, /)\n--\n\nForget the objects pickled so far."),
    NativeDef::method("__sizeof__", pickler_sizeof),
];

static GETSETS: [GetSetDef; 5] = [
    GetSetDef { name: "persistent_id", get: get_persistent_id, set: Some(set_persistent_id), doc: "" },
    GetSetDef { name: "dispatch_table", get: get_dispatch_table, set: Some(set_dispatch_table), doc: "" },
    GetSetDef { name: "bin", get: get_bin, set: Some(set_bin), doc: "" },
    GetSetDef { name: "fast", get: get_fast, set: Some(set_fast), doc: "" },
    GetSetDef { name: "memo", get: get_memo, set: Some(set_memo), doc: "" },
];

pub(super) static PICKLER: TypeSpec = TypeSpec {
    module: "_pickle",
    name: "Pickler",
    doc: "Writes pickles to a binary file: Pickler(file, protocol=None, fix_imports=True, buffer_callback=None).",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
