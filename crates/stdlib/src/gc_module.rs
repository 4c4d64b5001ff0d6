//! The `gc` module: the interface to the cycle collector (`krait_vm::gc`).

use crate::native::bind;
use krait_vm::gc::{self, debug, NUM_GENERATIONS};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn no_args(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    vm.check_arity(name, *args, 0, 0)
}

fn c_int(vm: &Vm, v: &Value) -> PyResult<i64> {
    let i = crate::native::ssize(vm, v)?;
    if i > i32::MAX as i64 || i < i32::MIN as i64 {
        return Err(vm.new_overflow_error(if i > 0 {
            "signed integer is greater than maximum"
        } else {
            "signed integer is less than minimum"
        }));
    }
    Ok(i)
}

fn enable(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "enable", &args)?;
    vm.gc.set_enabled(true);
    Ok(Value::None)
}

fn disable(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "disable", &args)?;
    vm.gc.set_enabled(false);
    Ok(Value::None)
}

fn isenabled(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "isenabled", &args)?;
    Ok(Value::Bool(vm.gc.is_enabled()))
}

fn collect(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "collect", args, &["generation"], 0)?;
    let g = match &a[0] {
        Some(v) => c_int(vm, v)?,
        None => 2,
    };
    if !(0..NUM_GENERATIONS as i64).contains(&g) {
        return Err(vm.new_value_error("invalid generation"));
    }
    Ok(Value::Int(gc::collect_now(vm, g as usize) as i64))
}

fn get_count(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "get_count", &args)?;
    Ok(vm.new_tuple((0..NUM_GENERATIONS).map(|g| Value::Int(vm.gc.count(g) as i64)).collect()))
}

fn get_threshold(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "get_threshold", &args)?;
    Ok(vm.new_tuple((0..NUM_GENERATIONS).map(|g| Value::Int(vm.gc.threshold(g) as i64)).collect()))
}

fn set_threshold(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("set_threshold() takes no keyword arguments"));
    }
    let n = args.args.len();
    if n == 0 {
        return Err(vm.new_type_error("set_threshold() takes at least 1 argument (0 given)"));
    }
    if n > NUM_GENERATIONS {
        return Err(vm.new_type_error(format!("set_threshold() takes at most 3 arguments ({n} given)")));
    }
    let mut ts = Vec::with_capacity(n);
    for v in args.args {
        ts.push(c_int(vm, v)?);
    }
    for (g, t) in ts.into_iter().enumerate() {
        // CPython stores C ints; a negative threshold behaves as "never".
        vm.gc.set_threshold(g, if t < 0 { usize::MAX } else { t as usize });
    }
    Ok(Value::None)
}

fn get_debug(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "get_debug", &args)?;
    Ok(Value::Int(vm.gc.debug_flags() as i64))
}

fn set_debug(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "set_debug", args, &["flags"], 1)?;
    let f = c_int(vm, a[0].as_ref().unwrap_or(&Value::None))?;
    vm.gc.set_debug_flags(f as u32);
    Ok(Value::None)
}

fn get_objects(vm: &Vm, args: Args) -> PyResult {
    let a = bind(vm, "get_objects", args, &["generation"], 0)?;
    let g = match &a[0] {
        None | Some(Value::None) => None,
        Some(v) => {
            let g = c_int(vm, v)?;
            if g >= NUM_GENERATIONS as i64 {
                return Err(vm.new_value_error(format!(
                    "generation parameter must be less than the number of available generations ({NUM_GENERATIONS})"
                )));
            }
            if g < 0 {
                return Err(vm.new_value_error("generation parameter cannot be negative"));
            }
            Some(g as usize)
        }
    };
    let objs = vm.gc.objects(g);
    Ok(vm.new_list(objs.into_iter().map(Value::Obj).collect()))
}

fn get_stats(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "get_stats", &args)?;
    let mut out = Vec::new();
    for g in 0..NUM_GENERATIONS {
        let s = vm.gc.gen_stats(g);
        let d = vm.new_dict();
        for (k, n) in [("collections", s.collections), ("collected", s.collected), ("uncollectable", s.uncollectable)] {
            vm.dict_set_str(&d, &vm.intern(k), Value::Int(n as i64));
        }
        out.push(Value::Obj(d));
    }
    Ok(vm.new_list(out))
}

fn one_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    vm.check_arity(name, *args, 1, 1)?;
    Ok(&args.args[0])
}

fn is_tracked(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Bool(gc::is_tracked(one_arg(vm, "is_tracked", &args)?)))
}

fn is_finalized(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Bool(gc::is_finalized(one_arg(vm, "is_finalized", &args)?)))
}

fn get_referents(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("get_referents() takes no keyword arguments"));
    }
    let mut out = Vec::new();
    for v in args.args {
        out.extend(gc::referents(v));
    }
    Ok(vm.new_list(out))
}

fn get_referrers(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("get_referrers() takes no keyword arguments"));
    }
    let found: Vec<Value> =
        vm.gc.objects(None).into_iter().filter(|o| gc::refers_to_any(o, args.args)).map(Value::Obj).collect();
    Ok(vm.new_list(found))
}

fn freeze(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "freeze", &args)?;
    vm.gc.freeze();
    Ok(Value::None)
}

fn unfreeze(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "unfreeze", &args)?;
    vm.gc.unfreeze();
    Ok(Value::None)
}

fn get_freeze_count(vm: &Vm, args: Args) -> PyResult {
    no_args(vm, "get_freeze_count", &args)?;
    Ok(Value::Int(vm.gc.permanent_len() as i64))
}

static FUNCS: [NativeDef; 18] = [
    NativeDef { doc: "Enable automatic garbage collection.", ..NativeDef::function("enable", enable) },
    NativeDef { doc: "Disable automatic garbage collection.", ..NativeDef::function("disable", disable) },
    NativeDef { doc: "Returns true if automatic garbage collection is enabled.", ..NativeDef::function("isenabled", isenabled) },
    NativeDef {
        doc: "Run the garbage collector.\n\nWith no arguments, run a full collection.  The optional argument\nmay be an integer specifying which generation to collect.  A ValueError\nis raised if the generation number is invalid.\n\nThe number of unreachable objects is returned.",
        ..NativeDef::function("collect", collect)
    },
    NativeDef { doc: "Return a three-tuple of the current collection counts.", ..NativeDef::function("get_count", get_count) },
    NativeDef { doc: "Return the current collection thresholds.", ..NativeDef::function("get_threshold", get_threshold) },
    NativeDef {
        doc: "set_threshold(threshold0, [threshold1, threshold2]) -> None\n\nSets the collection thresholds.  Setting threshold0 to zero disables\ncollection.\n",
        ..NativeDef::function("set_threshold", set_threshold)
    },
    NativeDef { doc: "Get the garbage collection debugging flags.", ..NativeDef::function("get_debug", get_debug) },
    NativeDef { doc: "Set the garbage collection debugging flags.", ..NativeDef::function("set_debug", set_debug) },
    NativeDef { doc: "Return a list of objects tracked by the collector (excluding the list returned).", ..NativeDef::function("get_objects", get_objects) },
    NativeDef { doc: "Return a list of dictionaries containing per-generation statistics.", ..NativeDef::function("get_stats", get_stats) },
    NativeDef { doc: "Returns true if the object is tracked by the garbage collector.\n\nSimple atomic objects will return false.", ..NativeDef::function("is_tracked", is_tracked) },
    NativeDef { doc: "Returns true if the object has been already finalized by the GC.", ..NativeDef::function("is_finalized", is_finalized) },
    NativeDef { doc: "get_referents(*objs) -> list\nReturn the list of objects that are directly referred to by objs.", ..NativeDef::function("get_referents", get_referents) },
    NativeDef { doc: "get_referrers(*objs) -> list\nReturn the list of objects that directly refer to any of objs.", ..NativeDef::function("get_referrers", get_referrers) },
    NativeDef {
        doc: "Freeze all current tracked objects and ignore them for future collections.\n\nThis can be used before a POSIX fork() call to make the gc copy-on-write friendly.\nNote: collection before a POSIX fork() call may free pages for future allocation\nwhich can cause copy-on-write.",
        ..NativeDef::function("freeze", freeze)
    },
    NativeDef { doc: "Unfreeze all objects in the permanent generation.\n\nPut all objects in the permanent generation back into oldest generation.", ..NativeDef::function("unfreeze", unfreeze) },
    NativeDef { doc: "Return the number of objects in the permanent generation.", ..NativeDef::function("get_freeze_count", get_freeze_count) },
];

/// Creates the `gc` module. `gc.garbage` and `gc.callbacks` are the lists
/// the collector itself appends to and calls.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let garbage = match vm.gc.garbage.get() {
        Some(g) => g,
        None => {
            let g = vm.new_list(Vec::new());
            vm.gc.garbage.set(Some(g.clone()));
            g
        }
    };
    let callbacks = match vm.gc.callbacks.get() {
        Some(c) => c,
        None => {
            let c = vm.new_list(Vec::new());
            vm.gc.callbacks.set(Some(c.clone()));
            c
        }
    };
    let flag = |f: u32| Value::Int(f as i64);
    Ok(crate::native::make_module(
        vm,
        "gc",
        "This module provides access to the garbage collector for reference cycles.\n\nenable() -- Enable automatic garbage collection.\ndisable() -- Disable automatic garbage collection.\nisenabled() -- Returns true if automatic collection is enabled.\ncollect() -- Do a full collection right now.\nget_count() -- Return the current collection counts.\nget_stats() -- Return list of dictionaries containing per-generation stats.\nset_debug() -- Set debugging flags.\nget_debug() -- Get debugging flags.\nset_threshold() -- Set the collection thresholds.\nget_threshold() -- Return the current the collection thresholds.\nget_objects() -- Return a list of all objects tracked by the collector.\nis_tracked() -- Returns true if a given object is tracked.\nis_finalized() -- Returns true if a given object has been already finalized.\nget_referrers() -- Return the list of objects that refer to an object.\nget_referents() -- Return the list of objects that an object refers to.\nfreeze() -- Freeze all tracked objects and ignore them for future collections.\nunfreeze() -- Unfreeze all objects in the permanent generation.\nget_freeze_count() -- Return the number of objects in the permanent generation.\n",
        &FUNCS,
        vec![
            ("garbage", garbage),
            ("callbacks", callbacks),
            ("DEBUG_STATS", flag(debug::STATS)),
            ("DEBUG_COLLECTABLE", flag(debug::COLLECTABLE)),
            ("DEBUG_UNCOLLECTABLE", flag(debug::UNCOLLECTABLE)),
            ("DEBUG_SAVEALL", flag(debug::SAVEALL)),
            ("DEBUG_LEAK", flag(debug::LEAK)),
        ],
    ))
}
