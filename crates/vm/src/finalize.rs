//! Finalizers: what runs when an object's last reference goes, before it is
//! freed (`object.rs::free_one` calls [`finalize`] at most once per object).
//! Instances of classes with `__del__` get it called; suspended generators
//! and coroutines are closed. Errors are reported as CPython's unraisable
//! hook does ("Exception ignored in: ..." and the traceback on stderr) and
//! execution continues.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::Vm;

/// Makes `vm` the interpreter that finalizes objects freed on this thread.
pub fn install(vm: &Vm) {
    crate::object::set_callback_vm(vm);
    crate::object::set_finalizer(finalize);
}

fn finalize(vm: &Vm, obj: &PyRef) {
    if let Payload::Generator(_) = obj.payload {
        crate::eval::generator::finalize_generator(vm, obj);
        return;
    }
    let Some(del) = obj.class().payload.as_type().and_then(|t| t.slot(Slot::Del)) else { return };
    let this = Value::Obj(obj.clone());
    // As CPython's `slot_tp_finalize`: `__del__` is looked up on the type only;
    // a function is called unbound, any other descriptor is bound first (and
    // the bound result is what an error report names).
    let (del, r) = match del.payload() {
        Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
            let r = vm.call1(&del, &[this]);
            (del, r)
        }
        _ => match vm.descr_get(&del, Some(&this), obj.class()) {
            Ok(bound) => {
                let r = vm.call1(&bound, &[]);
                (bound, r)
            }
            Err(e) => (del, Err(e)),
        },
    };
    if let Err(e) = r {
        write_unraisable(vm, &e, None, Some(&del));
    }
}

/// Reports an exception that cannot be raised (in `__del__`, a weakref
/// callback, a generator closed when freed) as CPython's
/// `_PyErr_WriteUnraisableMsg`: `sys.unraisablehook` gets an
/// `UnraisableHookArgs`; when it is missing or None the default report is
/// written; when it fails, its own error is reported instead. An exception
/// without a traceback gets the running frame's line.
pub fn write_unraisable(vm: &Vm, exc: &PyRef, err_msg: Option<&str>, obj: Option<&Value>) {
    attach_current_frame(vm, exc);
    let exc_value = Value::Obj(exc.clone());
    let exc_type = Value::Obj(exc.class().clone());
    let tb = exc.payload.as_exception().and_then(|d| d.traceback.get()).unwrap_or(Value::None);
    let msg = err_msg.map_or(Value::None, |m| vm.new_str(m));
    let object = obj.cloned().unwrap_or(Value::None);
    let hook = crate::modules::sys::sys_attr(vm, "unraisablehook").filter(|h| !h.is_none());
    let args_type = vm.unraisable_hook_args.borrow().clone();
    let (Some(hook), Some(args_type)) = (hook, args_type) else {
        write_unraisable_default(vm, &exc_type, &exc_value, &tb, &msg, &object);
        return;
    };
    let fields = vm.new_tuple(vec![exc_type.clone(), exc_value.clone(), tb.clone(), msg.clone(), object.clone()]);
    let result = vm.call1(&Value::Obj(args_type), &[fields]).and_then(|args| vm.call1(&hook, &[args]));
    if let Err(e) = result {
        // The hook failed: its error is what gets reported, by the default hook.
        attach_current_frame(vm, &e);
        let tb = e.payload.as_exception().and_then(|d| d.traceback.get()).unwrap_or(Value::None);
        let msg = vm.new_str("Exception ignored in sys.unraisablehook");
        write_unraisable_default(vm, &Value::Obj(e.class().clone()), &Value::Obj(e.clone()), &tb, &msg, &hook);
    }
}

/// Gives an exception that has no traceback one entry for the running frame.
fn attach_current_frame(vm: &Vm, exc: &PyRef) {
    let Some(d) = exc.payload.as_exception() else { return };
    if !d.traceback.get().map_or(true, |t| t.is_none()) {
        return;
    }
    let Some(fo) = vm.frame_object_at(0) else { return };
    let Some(fr) = vm.live_frame_of(&fo) else { return };
    let (_, lineno, lasti) = vm.live_frame_state(fr);
    let tb = PyRef::new(
        vm.types.traceback.clone(),
        Payload::Traceback(Box::new(crate::payload::TracebackData {
            next: crate::object::ValueCell::new(None),
            frame: fo,
            lasti,
            lineno,
        })),
    );
    d.traceback.set(Some(Value::Obj(tb)));
}

/// The default `sys.unraisablehook` report, as CPython's
/// `write_unraisable_exc_file`: "Exception ignored in: <repr of object>" (or
/// "<err_msg>: <repr>"), the traceback, then "module.Qualname: str(exc)"
/// with the module left out for builtins and `__main__`, and ": " written
/// even when the message is empty. No chained exceptions, no notes.
pub fn write_unraisable_default(vm: &Vm, exc_type: &Value, exc_value: &Value, tb: &Value, err_msg: &Value, obj: &Value) {
    let mut out = String::new();
    let msg = if err_msg.is_none() {
        None
    } else {
        Some(vm.str_string(err_msg).unwrap_or_else(|_| "<object str() failed>".to_string()))
    };
    if !obj.is_none() {
        match &msg {
            Some(m) => {
                out.push_str(m);
                out.push_str(": ");
            }
            None => out.push_str("Exception ignored in: "),
        }
        out.push_str(&vm.repr_string(obj).unwrap_or_else(|_| "<object repr() failed>".to_string()));
        out.push('\n');
    } else if let Some(m) = &msg {
        out.push_str(m);
        out.push_str(":\n");
    }
    if !tb.is_none() {
        out.push_str("Traceback (most recent call last):\n");
        vm.format_traceback(tb, &mut out);
    }
    if exc_type.is_none() {
        vm.write_stderr(&out);
        return;
    }
    match vm.getattr_str(exc_type, "__module__").ok().and_then(|m| vm.as_str(&m).map(String::from)) {
        Some(m) if m == "builtins" || m == "__main__" => {}
        Some(m) => {
            out.push_str(&m);
            out.push('.');
        }
        None => out.push_str("<unknown>"),
    }
    match vm.getattr_str(exc_type, "__qualname__").ok().and_then(|q| vm.as_str(&q).map(String::from)) {
        Some(q) => out.push_str(&q),
        None => out.push_str("<unknown>"),
    }
    if !exc_value.is_none() {
        out.push_str(": ");
        out.push_str(&vm.str_string(exc_value).unwrap_or_else(|_| "<exception str() failed>".to_string()));
    }
    out.push('\n');
    vm.write_stderr(&out);
}

/// Shutdown (after atexit): the objects of `__main__` die. In CPython the
/// module's dict is cyclic garbage by then, and its collector finalizes the
/// garbage roughly in allocation order before freeing any of it; krait
/// approximates that order:
/// 1. a full collection (with `gc.callbacks`), for the cyclic garbage the
///    globals do not hold;
/// 2. every global in definition order, each followed (depth first) by the
///    instances its attributes hold, is finalized while all globals exist;
/// 3. then the items of the lists, tuples and dicts held by globals or by
///    their instances' attributes (lists and tuples last item first);
/// 4. the names are cleared (those starting with `_` first, as
///    `_PyModule_ClearDict`), releasing everything;
/// 5. a last collection without callbacks (`_PyGC_CollectNoFail`) for the
///    cycles the globals held.
pub fn clear_main_module(vm: &Vm) {
    vm.finalizing.set(true);
    crate::gc::collect_now(vm, 2);
    clear_main_globals(vm);
    let callbacks = vm.gc.callbacks.take();
    crate::gc::collect_now(vm, 2);
    vm.gc.callbacks.set(callbacks);
}

fn clear_main_globals(vm: &Vm) {
    let Ok(Some(main)) = vm.dict_get(&vm.modules, &vm.new_str("__main__")) else { return };
    let Some(Payload::Module(m)) = main.payload() else { return };
    let dict = m.dict.clone();
    let Some(table) = dict.payload.as_dict() else { return };
    let entries: Vec<(Value, Value)> = table.borrow().iter().map(|e| (e.key.clone(), e.value.clone())).collect();
    let mut seen = std::collections::HashSet::new();
    for (_, v) in &entries {
        if let Value::Obj(o) = v {
            finalize_with_attributes(o, &mut seen);
        }
    }
    // Containers nested in containers are left to the clearing below.
    let mut walked = std::collections::HashSet::new();
    for (_, v) in &entries {
        let mut containers = Vec::new();
        let mut stack = vec![v.clone()];
        while let Some(v) = stack.pop() {
            let Value::Obj(o) = &v else { continue };
            match &o.payload {
                Payload::List(_) | Payload::Tuple(_) | Payload::Dict(_) => containers.push(v.clone()),
                Payload::Instance(_) if walked.insert(o.id()) => {
                    let mut attrs = instance_attributes(o);
                    attrs.reverse();
                    stack.extend(attrs);
                }
                _ => {}
            }
        }
        for c in containers {
            if let Value::Obj(o) = &c {
                finalize_items(o);
            }
        }
    }
    drop(entries);
    for underscored in [true, false] {
        let keys: Vec<Value> = table.borrow().iter().map(|e| e.key.clone()).collect();
        for k in keys {
            let Some(name) = vm.as_str(&k).map(String::from) else { continue };
            if name == "__builtins__" || name.starts_with('_') != underscored {
                continue;
            }
            let _ = vm.dict_set(&dict, k, Value::None);
        }
    }
}

/// Finalizes the items of a list or tuple (last first) or the values of a
/// dict (in order) that still need it, without copying the container (a
/// two-million-item list must not double its memory at exit): each step
/// re-borrows it and re-checks the position, since a finalizer may change it.
fn finalize_items(c: &PyRef) {
    fn pending(v: Option<&Value>) -> Option<PyRef> {
        match v {
            Some(Value::Obj(o)) if needs_finalizing(o) => Some(o.clone()),
            _ => None,
        }
    }
    match &c.payload {
        Payload::List(l) => {
            let mut i = l.borrow().len();
            while i > 0 {
                i -= 1;
                let Some(o) = pending(l.borrow().get(i)) else { continue };
                crate::object::finalize_now(&o);
                drop(o);
                i = i.min(l.borrow().len());
            }
        }
        Payload::Tuple(t) => {
            for i in (0..t.len()).rev() {
                if let Some(o) = pending(t.get(i)) {
                    crate::object::finalize_now(&o);
                }
            }
        }
        Payload::Dict(d) => {
            let mut pos = 0;
            loop {
                let (next, o) = match d.borrow().next_entry(pos) {
                    Some((next, e)) => (next, pending(Some(&e.value))),
                    None => break,
                };
                pos = next;
                if let Some(o) = o {
                    crate::object::finalize_now(&o);
                }
            }
        }
        _ => {}
    }
}

/// Would freeing `o` now run its finalizer (`object.rs::wants_finalizer`)?
fn needs_finalizing(o: &PyRef) -> bool {
    !o.is_finalized()
        && o.class().payload.as_type().is_some_and(|t| t.has_flag(crate::types::typeobj::type_flags::HAS_FINALIZER))
}

/// Finalizes `obj`, then (depth first, each object once) the instances held
/// by its attributes: `__slots__` first, then `__dict__` in order.
fn finalize_with_attributes(obj: &PyRef, seen: &mut std::collections::HashSet<usize>) {
    let mut stack = vec![obj.clone()];
    while let Some(o) = stack.pop() {
        if !seen.insert(o.id()) {
            continue;
        }
        crate::object::finalize_now(&o);
        for a in instance_attributes(&o).into_iter().rev() {
            if let Value::Obj(ao) = a {
                if matches!(ao.payload, Payload::Instance(_)) {
                    stack.push(ao);
                }
            }
        }
    }
}

/// The values of an instance's `__slots__` then of its `__dict__`, in order
/// (nothing for other objects).
fn instance_attributes(o: &PyRef) -> Vec<Value> {
    let Payload::Instance(d) = &o.payload else { return Vec::new() };
    let mut attrs: Vec<Value> = d.slots.iter().filter_map(|s| s.get()).collect();
    if let Some(Value::Obj(dict)) = d.dict.get() {
        if let Some(t) = dict.payload.as_dict() {
            attrs.extend(t.borrow().iter().map(|e| e.value.clone()));
        }
    }
    attrs
}

/// Interpreter teardown, run when the `Vm` is dropped: frees what the
/// interpreter's objects keep alive among themselves (a module's dict holds
/// its functions and classes, which hold the dict: reference counting alone
/// never frees them), as CPython's `finalize_modules`:
/// 1. the dict of every module in `sys.modules` but `sys` and `builtins`,
///    last imported first, is cleared as `_PyModule_ClearDict` does (names
///    starting with one `_` set to None first, then the others;
///    `__builtins__` kept), then `sys.modules` itself is emptied;
/// 2. a full collection (`__del__` methods still find `sys.stdout`);
/// 3. the dicts of `sys` and `builtins` are emptied and the interpreter's own
///    references (the handled-exception stack, the unraisable hook's
///    argument type) dropped;
/// 4. a last full collection.
///
/// It runs while the interpreter is whole: `__del__` methods and weakref
/// callbacks run here (seeing what the clearing left), never after. The
/// collector's debug flags are switched off first (nothing is saved to
/// `gc.garbage` or reported), and frozen objects are unfrozen so their
/// cycles are freed too. Skipped when the interpreter is dropped while
/// Python code runs on it, or during a panic (nothing may run then).
pub(crate) fn teardown(vm: &Vm) {
    if std::thread::panicking() || vm.frames.try_borrow().map_or(true, |f| !f.is_empty()) {
        return;
    }
    vm.finalizing.set(true);
    vm.gc.unfreeze();
    // The modules, in reverse order of import; builtins and sys last.
    let modules = vm.dict_items(&vm.modules);
    for (_, m) in modules.iter().rev() {
        let Value::Obj(m) = m else { continue };
        if m.is(&vm.sys) || m.is(&vm.builtins) {
            continue;
        }
        if let Payload::Module(md) = &m.payload {
            clear_module_dict(vm, &md.dict.clone());
        }
    }
    for (k, _) in modules.iter().rev() {
        if vm.as_str(k).is_some() {
            let _ = vm.dict_remove(&vm.modules, k);
        }
    }
    drop(modules);
    teardown_collect(vm);
    let sys_dict = match &vm.sys.payload {
        Payload::Module(md) => Some(md.dict.clone()),
        _ => None,
    };
    for d in sys_dict.iter().chain(std::iter::once(&vm.builtins_dict)) {
        empty_str_keyed_dict(vm, d);
    }
    let exc_stack = std::mem::take(&mut *vm.exc_stack.borrow_mut());
    drop(exc_stack);
    let hook_args = vm.unraisable_hook_args.borrow_mut().take();
    drop(hook_args);
    teardown_collect(vm);
}

/// A full collection for `teardown`: no `gc.callbacks`, no debug output,
/// nothing kept in `gc.garbage`.
fn teardown_collect(vm: &Vm) {
    vm.gc.set_debug_flags(0);
    drop(vm.gc.callbacks.take());
    drop(vm.gc.garbage.take());
    crate::gc::collect_now(vm, 2);
    drop(vm.gc.garbage.take());
}

/// `_PyModule_ClearDict`: the values of `dict`'s str keys become None, those
/// of names starting with one underscore first; `__builtins__` stays.
fn clear_module_dict(vm: &Vm, dict: &PyRef) {
    if dict.payload.as_dict().is_none() {
        return;
    }
    for underscored in [true, false] {
        for k in vm.dict_keys(dict) {
            let Some(name) = vm.as_str(&k) else { continue };
            if name == "__builtins__" || (name.starts_with('_') && !name.starts_with("__")) != underscored {
                continue;
            }
            let _ = vm.dict_set(dict, k, Value::None);
        }
    }
}

/// Removes every str-keyed entry of `dict` (`sys.__dict__`, the builtins),
/// last first.
fn empty_str_keyed_dict(vm: &Vm, dict: &PyRef) {
    if dict.payload.as_dict().is_none() {
        return;
    }
    for k in vm.dict_keys(dict).iter().rev() {
        if vm.as_str(k).is_some() {
            let _ = vm.dict_remove(dict, k);
        }
    }
}

#[cfg(test)]
mod teardown_tests {
    use crate::Vm;

    /// Dropping an interpreter frees the cycles its modules and builtins
    /// hold, running their finalizers first.
    #[test]
    fn dropping_the_vm_frees_cycles() {
        let vm = Vm::new(Default::default());
        let src = "import builtins, sys\n\
                   class A:\n    def __del__(self):\n        sink.append(self.name)\n\
                   a = A(); a.name = 'builtins'; a.me = a; builtins.kept = a\n\
                   b = A(); b.name = 'module'; b.me = b\n\
                   m = type(sys)('m'); m.b = b; sys.modules['m'] = m\n\
                   del a, b, m\n";
        let code = krait_compiler::compile(src, "<test>", krait_compiler::Mode::Exec).expect("compiles");
        let code = vm.load_code(code);
        let g = vm.new_dict();
        let sink = vm.new_list(Vec::new());
        vm.dict_set(&g, vm.new_str("sink"), sink.clone()).unwrap();
        assert!(vm.run_module_code(&code, &g).is_ok());
        drop(vm);
        let Some(crate::payload::Payload::List(l)) = sink.payload() else { panic!("not a list") };
        let mut names: Vec<String> =
            l.borrow().iter().map(|v| v.payload().and_then(|p| p.as_str()).map(|s| s.as_str().to_string()).unwrap_or_default()).collect();
        names.sort();
        assert_eq!(names, ["builtins", "module"]);
    }
}

/// Objects that live as long as the process by design: the immortal objects
/// of every interpreter that was dropped (its builtin types and singletons:
/// objects made by it, kept past it by a `PyRef` or a per-thread cache, may
/// still point at them) and the per-thread immortal objects (the eval loop's
/// NULL sentinel, the private type of `__slots__` boxes: instances made on a
/// thread may outlive it). None of them is ever freed; their addresses are
/// kept here so that they stay reachable (memory checkers report them as
/// still reachable at exit, not as lost when their owner goes).
static PROCESS_LIFETIME: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());

/// Records immortal objects in [`PROCESS_LIFETIME`].
pub(crate) fn keep_for_process(objs: &[&PyRef]) {
    debug_assert!(objs.iter().all(|o| o.is_immortal()));
    let mut kept = PROCESS_LIFETIME.lock().unwrap_or_else(|e| e.into_inner());
    kept.extend(objs.iter().map(|o| o.id()));
}

/// The interpreter is being dropped: its immortal roots (everything else it
/// made immortal hangs off them) join [`PROCESS_LIFETIME`].
pub(crate) fn keep_immortals(vm: &Vm) {
    let mut roots = vm.types.all();
    roots.extend(vm.exc.all());
    roots.extend([&vm.types.object, &vm.types.type_, &vm.not_implemented, &vm.ellipsis, &vm.empty_tuple]
        .into_iter()
        .chain([&vm.builtins, &vm.builtins_dict, &vm.sys, &vm.modules])
        .cloned());
    let roots: Vec<&PyRef> = roots.iter().filter(|o| o.is_immortal()).collect();
    keep_for_process(&roots);
}
