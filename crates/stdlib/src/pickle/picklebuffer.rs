//! `pickle.PickleBuffer`: a wrapper around a buffer that protocol 5 pickles
//! in-band (as bytes or bytearray) or hands to `buffer_callback` to travel
//! out-of-band. It holds a memoryview of the wrapped object, which
//! `memoryview(pb)` and bytes-like consumers read through.

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

const RELEASED: &str = "operation forbidden on released PickleBuffer object";

pub(super) struct PickleBuffer {
    /// Kept (released) after `release()`, so `memoryview(pb)` then fails
    /// with the released view's ValueError.
    view: RefCell<Option<Value>>,
    released: Cell<bool>,
}

impl NativeData for PickleBuffer {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(v) = self.view.try_borrow() {
            if let Some(v) = &*v {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.view.try_borrow_mut().map(|mut v| v.take());
        drop(old);
    }
    fn exported_view(&self) -> Option<Result<Value, &'static str>> {
        if self.released.get() {
            return Some(Err(RELEASED));
        }
        self.view.try_borrow().ok()?.clone().map(Ok)
    }
}

/// The memoryview of a PickleBuffer (ValueError once released); None if
/// `v` is not one.
pub(super) fn view_of(vm: &Vm, v: &Value) -> Option<PyResult<Value>> {
    let pb = v.payload()?.as_native::<PickleBuffer>()?;
    let view = pb.view.borrow().clone().filter(|_| !pb.released.get());
    Some(view.ok_or_else(|| vm.new_value_error(RELEASED)))
}

fn pb_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &PICKLE_BUFFER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let b = vm.bind_native("PickleBuffer", rest, &["buffer"], 1, 1, None)?;
    let obj = b[0].clone().unwrap_or(Value::None);
    let view = krait_vm::types::memoryview::new_memoryview(vm, &obj).map_err(|e| {
        if vm.exception_matches(&e, &vm.exc.type_error) {
            vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(&obj)))
        } else {
            e
        }
    })?;
    Ok(new_object(vm, &cls, &t, PickleBuffer { view: RefCell::new(Some(view)), released: Cell::new(false) }))
}

fn this_view(vm: &Vm, args: &Args, name: &str) -> PyResult<Value> {
    let me = args.args.first().cloned().unwrap_or(Value::None);
    match view_of(vm, &me) {
        Some(r) => r,
        None => Err(descr_error(vm, name, "pickle.PickleBuffer", &me)),
    }
}

/// `raw()`: a flat unsigned-byte memoryview of the wrapped memory.
fn pb_raw(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("raw", Args { args: args.args, kwnames: args.kwnames }, 1, 1)?;
    let view = this_view(vm, &args, "raw")?;
    let contiguous = vm.getattr_str(&view, "contiguous")?;
    if !vm.truthy(&contiguous)? {
        return Err(vm.new_exception_msg(&vm.exc.buffer_error, "cannot extract raw buffer from non-contiguous buffer"));
    }
    vm.call_method(&view, "cast", &[vm.new_str("B")])
}

fn pb_release(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("release", Args { args: args.args, kwnames: args.kwnames }, 1, 1)?;
    let me = &args.args[0];
    let Some(pb) = me.payload().and_then(|p| p.as_native::<PickleBuffer>()) else {
        return Err(descr_error(vm, "release", "pickle.PickleBuffer", me));
    };
    let view = pb.view.borrow().clone();
    if let Some(view) = view.filter(|_| !pb.released.get()) {
        vm.call_method(&view, "release", &[])?;
    }
    pb.released.set(true);
    Ok(Value::None)
}

static METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", pb_new),
    NativeDef::method("raw", pb_raw).doc("raw($self, /)\n--\n\nA flat memoryview of unsigned bytes over the wrapped memory\n(BufferError when that memory is not contiguous)."),
    NativeDef::method("release", pb_release).doc("release($self, /)\n--\n\nLet go of the wrapped buffer."),
];

pub(super) static PICKLE_BUFFER: TypeSpec = TypeSpec {
    module: "pickle",
    name: "PickleBuffer",
    doc: "A buffer that protocol 5 may pickle out-of-band.",
    layout: Layout::Other,
    flags: type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};
