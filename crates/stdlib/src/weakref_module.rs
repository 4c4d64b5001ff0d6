//! The `_weakref` module: `ref`, `proxy`, the reference and proxy types,
//! `getweakrefcount`, `getweakrefs` and `_remove_dead_weakref`. The types and
//! their semantics live in the VM (`types/weakref.rs`); this is the front.

use krait_vm::payload::{ModuleData, Payload};
use krait_vm::types::weakref;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// The single argument of a METH_O function, with CPython's messages.
fn one_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_weakref.{name}() takes no keyword arguments")));
    }
    match args.args {
        [v] => Ok(v),
        a => Err(vm.new_type_error(format!("_weakref.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

fn getweakrefcount(vm: &Vm, args: Args) -> PyResult {
    let obj = one_arg(vm, "getweakrefcount", &args)?;
    Ok(Value::Int(weakref::weakrefs(obj).len() as i64))
}

fn getweakrefs(vm: &Vm, args: Args) -> PyResult {
    let obj = one_arg(vm, "getweakrefs", &args)?;
    Ok(vm.new_list(weakref::weakrefs(obj).into_iter().map(Value::Obj).collect()))
}

fn proxy(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("_weakref.proxy() takes no keyword arguments"));
    }
    match args.args.len() {
        0 => Err(vm.new_type_error("proxy expected at least 1 argument, got 0")),
        1 | 2 => weakref::new_proxy(vm, &args.args[0], args.args.get(1).cloned()),
        n => Err(vm.new_type_error(format!("proxy expected at most 2 arguments, got {n}"))),
    }
}

fn remove_dead_weakref(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("_remove_dead_weakref() takes no keyword arguments"));
    }
    if args.args.len() != 2 {
        return Err(vm.new_type_error(format!(
            "_remove_dead_weakref expected 2 arguments, got {}",
            args.args.len()
        )));
    }
    let (d, key) = (&args.args[0], &args.args[1]);
    let dict = match d {
        Value::Obj(o) if o.payload.as_dict().is_some() => o,
        _ => {
            return Err(vm.new_type_error(format!(
                "_remove_dead_weakref() argument 1 must be dict, not {}",
                vm.type_name_of(d)
            )))
        }
    };
    // A missing key is fine: the entry may already be gone.
    if let Some(v) = vm.dict_get(dict, key)? {
        if weakref::data(&v).is_none() {
            return Err(vm.new_type_error("not a weakref"));
        }
        if weakref::referent(&v).is_none() {
            vm.dict_remove(dict, key)?;
        }
    }
    Ok(Value::None)
}

static FUNCS: &[NativeDef] = &[
    NativeDef {
        doc: "Return the number of weak references to 'object'.",
        ..NativeDef::function("getweakrefcount", getweakrefcount)
    },
    NativeDef {
        doc: "Return a list of all weak reference objects pointing to 'object'.",
        ..NativeDef::function("getweakrefs", getweakrefs)
    },
    NativeDef {
        doc: "Create a proxy object that weakly references 'object'.\n\n'callback', if given, is called with a reference to the\nproxy when 'object' is about to be finalized.",
        ..NativeDef::function("proxy", proxy)
    },
    NativeDef {
        doc: "Atomically remove key from dict if it points to a dead weakref.",
        ..NativeDef::function("_remove_dead_weakref", remove_dead_weakref)
    },
];

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let dict = vm.new_dict();
    let set = |k: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(k), v);
    set("__name__", vm.new_str("_weakref"));
    set("__doc__", vm.new_str("Weak-reference support module."));
    for def in FUNCS {
        set(def.name, vm.new_native_function(def, None));
    }
    let r = Value::Obj(vm.types.weakref.clone());
    set("ref", r.clone());
    set("ReferenceType", r);
    set("ProxyType", Value::Obj(vm.types.weakproxy.clone()));
    set("CallableProxyType", Value::Obj(vm.types.weakcallableproxy.clone()));
    Ok(PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(ModuleData { dict }))))
}
