//! The `atexit` module. Callbacks are kept per interpreter; `Vm::finalize`
//! runs them (through `atexit._run_exitfuncs`) before the standard streams
//! are flushed, last registered first. An exception in one is reported as
//! "Exception ignored in atexit callback: <func>" with its traceback.

use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

/// A callback: the function (None once unregistered), its positional
/// arguments, keyword names and values.
#[derive(Clone)]
struct Callback {
    func: Value,
    args: Vec<Value>,
    kwnames: Vec<Value>,
}

/// The interpreter's callbacks (`vm.state`).
#[derive(Default)]
struct AtexitState {
    callbacks: RefCell<Vec<Callback>>,
}

fn callbacks(vm: &Vm) -> std::rc::Rc<AtexitState> {
    vm.state::<AtexitState>()
}

fn register(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    let func = match pos.first() {
        Some(f) => f.clone(),
        None => return Err(vm.new_type_error(format!("register() takes at least 1 argument ({} given)", pos.len()))),
    };
    if !vm.is_callable(&func) {
        return Err(vm.new_type_error("the first argument must be callable"));
    }
    // Positional arguments then keyword values, as `Args::with_kw` wants them.
    let cargs: Vec<Value> = args.args[1..].to_vec();
    let kwnames = args.kwnames.to_vec();
    let cb = Callback { func: func.clone(), args: cargs, kwnames };
    callbacks(vm).callbacks.borrow_mut().push(cb);
    Ok(func)
}

fn unregister(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "unregister", &args, 1, 1);
    let a = match a {
        Ok(a) => a,
        Err(_) => {
            return Err(vm.new_type_error(format!("atexit.unregister() takes exactly one argument ({} given)", args.args.len())))
        }
    };
    let list: Vec<Callback> = callbacks(vm).callbacks.borrow().clone();
    let mut out = Vec::with_capacity(list.len());
    for cb in list {
        // Comparison may run Python code: the list is not borrowed meanwhile.
        // A removed callback leaves an empty slot that `_ncallbacks` still
        // counts, as in CPython.
        if !cb.func.is_none() && vm.eq_bool(&cb.func, &a[0])? {
            out.push(Callback { func: Value::None, args: Vec::new(), kwnames: Vec::new() });
        } else {
            out.push(cb);
        }
    }
    // The old list is dropped after the borrow ends (a `__del__` may register).
    let old = std::mem::replace(&mut *callbacks(vm).callbacks.borrow_mut(), out);
    drop(old);
    Ok(Value::None)
}

/// Runs and forgets every callback, last registered first.
pub fn run_exitfuncs(vm: &Vm) {
    let list: Vec<Callback> = std::mem::take(&mut *callbacks(vm).callbacks.borrow_mut());
    for cb in list.iter().rev().filter(|cb| !cb.func.is_none()) {
        if let Err(e) = vm.call(&cb.func, Args::with_kw(&cb.args, &cb.kwnames)) {
            let r = vm.repr_string(&cb.func).unwrap_or_else(|_| "<object repr() failed>".to_string());
            vm.write_stderr(&format!("Exception ignored in atexit callback: {r}\n"));
            vm.print_exception(&e);
        }
    }
}

fn run_exitfuncs_py(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_run_exitfuncs", args, 0, 0)?;
    run_exitfuncs(vm);
    Ok(Value::None)
}

fn clear(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_clear", args, 0, 0)?;
    let old = std::mem::take(&mut *callbacks(vm).callbacks.borrow_mut());
    drop(old);
    Ok(Value::None)
}

fn ncallbacks(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_ncallbacks", args, 0, 0)?;
    let n = callbacks(vm).callbacks.borrow().len();
    Ok(Value::Int(n as i64))
}

static FUNCS: [NativeDef; 5] = [
    NativeDef {
        doc: "register(func, *args, **kwargs) -> func\n\nRegister a function to be executed upon normal program termination\n\n    func - function to be called at exit\n    args - optional arguments to pass to func\n    kwargs - optional keyword arguments to pass to func\n\n    func is returned to facilitate usage as a decorator.",
        ..NativeDef::function("register", register)
    },
    NativeDef {
        doc: "unregister(func) -> None\n\nUnregister an exit function which was previously registered using\natexit.register\n\n    func - function to be unregistered",
        ..NativeDef::function("unregister", unregister)
    },
    NativeDef { doc: "_run_exitfuncs() -> None\n\nRun all registered exit functions.\n\nIf a callback raises an exception, it is logged with sys.unraisablehook.", ..NativeDef::function("_run_exitfuncs", run_exitfuncs_py) },
    NativeDef { doc: "_clear() -> None\n\nClear the list of previously registered exit functions.", ..NativeDef::function("_clear", clear) },
    NativeDef { doc: "_ncallbacks() -> int\n\nReturn the number of registered exit functions.", ..NativeDef::function("_ncallbacks", ncallbacks) },
];

/// Creates the `atexit` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(
        vm,
        "atexit",
        "allow programmer to define multiple exit functions to be executed\nupon normal program termination.\n\nTwo public functions, register and unregister, are defined.\n",
        &FUNCS,
        Vec::new(),
    ))
}
