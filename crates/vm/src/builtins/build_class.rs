//! `builtins.__build_class__(func, name, *bases, metaclass=None, **kwds)`:
//! what a `class` statement runs. Resolves `__mro_entries__`, picks the
//! metaclass, asks it to `__prepare__` the namespace, runs the class body in
//! that namespace, calls the metaclass, and checks that the `__class__` cell
//! (used by zero-argument `super()`) ended up holding the new class.

use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::types::object::as_type_ref;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// Runs a class body function with `ns` as its locals; returns the
/// `__class__` cell (or None).
fn run_body(vm: &Vm, func: &Value, ns: &Value) -> PyResult {
    match func {
        Value::Obj(f) => crate::eval::call_with_locals(vm, f, ns.clone()),
        _ => Err(vm.new_type_error("__build_class__: func must be a function")),
    }
}

/// Replaces bases that are not classes but have `__mro_entries__`.
fn update_bases(vm: &Vm, bases: &[Value]) -> PyResult<Option<Vec<Value>>> {
    let mut out: Option<Vec<Value>> = None;
    let orig = vm.new_tuple(bases.to_vec());
    for (i, b) in bases.iter().enumerate() {
        if as_type_ref(b).is_some() {
            if let Some(o) = &mut out {
                o.push(b.clone());
            }
            continue;
        }
        let meth = match vm.getattr_opt(b, "__mro_entries__")? {
            Some(m) => m,
            None => {
                if let Some(o) = &mut out {
                    o.push(b.clone());
                }
                continue;
            }
        };
        let r = vm.call(&meth, Args::new(&[orig.clone()]))?;
        let items = match r.payload().and_then(|p| p.as_tuple()) {
            Some(t) => t.to_vec(),
            None => return Err(vm.new_type_error("__mro_entries__ must return a tuple")),
        };
        let o = out.get_or_insert_with(|| bases[..i].to_vec());
        o.extend(items);
    }
    Ok(out)
}

fn build_class(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    if pos.len() < 2 {
        return Err(vm.new_type_error("__build_class__: not enough arguments"));
    }
    let func = &pos[0];
    if !matches!(func.payload(), Some(Payload::Function(_))) {
        return Err(vm.new_type_error("__build_class__: func must be a function"));
    }
    let name = &pos[1];
    if vm.as_str(name).is_none() {
        return Err(vm.new_type_error("__build_class__: name is not a string"));
    }
    let orig_bases = &pos[2..];
    let new_bases = update_bases(vm, orig_bases)?;
    let bases: Vec<Value> = new_bases.clone().unwrap_or_else(|| orig_bases.to_vec());

    // Keywords, without `metaclass`.
    let mut meta: Option<Value> = None;
    let mut kw_names = Vec::new();
    let mut kw_vals = Vec::new();
    for (k, v) in args.keywords() {
        if vm.as_str(k) == Some("metaclass") {
            meta = Some(v.clone());
        } else {
            kw_names.push(k.clone());
            kw_vals.push(v.clone());
        }
    }
    let mut meta = match meta {
        Some(m) => m,
        None => match bases.first() {
            Some(b) => Value::Obj(vm.type_of(b)),
            None => Value::Obj(vm.types.type_.clone()),
        },
    };
    let is_class = as_type_ref(&meta).is_some();
    if let Some(m) = as_type_ref(&meta) {
        meta = Value::Obj(crate::types::type_new::calculate_metaclass(vm, m, &bases)?);
    }
    let bases_tuple = vm.new_tuple(bases.clone());

    // The namespace.
    let ns = match vm.getattr_opt(&meta, "__prepare__")? {
        Some(prep) => {
            let mut a = vec![name.clone(), bases_tuple.clone()];
            a.extend(kw_vals.iter().cloned());
            vm.call(&prep, Args::with_kw(&a, &kw_names))?
        }
        None => Value::Obj(vm.new_dict()),
    };
    if vm.special(&ns, crate::types::typeobj::Slot::GetItem).is_none() {
        let who = match as_type_ref(&meta) {
            Some(m) if is_class => vm.type_name(m),
            _ => "<metaclass>".to_string(),
        };
        return Err(vm.new_type_error(format!(
            "{who}.__prepare__() must return a mapping, not {}",
            vm.type_name_of(&ns)
        )));
    }

    let cell = run_body(vm, func, &ns)?;
    if new_bases.is_some() {
        vm.setitem(&ns, &vm.new_str("__orig_bases__"), vm.new_tuple(orig_bases.to_vec()))?;
    }
    let mut a = vec![name.clone(), bases_tuple, ns];
    a.extend(kw_vals);
    let cls = vm.call(&meta, Args::with_kw(&a, &kw_names))?;

    if let (Some(c), Some(Payload::Cell(cellv))) = (as_type_ref(&cls), cell.payload()) {
        let held = cellv.get();
        let same = matches!(&held, Some(Value::Obj(h)) if h.is(c));
        if !same {
            let name_r = vm.repr_string(name)?;
            let cls_r = vm.repr_string(&cls)?;
            return Err(match held {
                None => vm.new_runtime_error(format!(
                    "__class__ not set defining {name_r} as {cls_r}. Was __classcell__ propagated to type.__new__?"
                )),
                Some(h) => vm.new_type_error(format!(
                    "__class__ set to {} defining {name_r} as {cls_r}",
                    vm.repr_string(&h)?
                )),
            });
        }
    }
    Ok(cls)
}

static BUILD_CLASS: NativeDef = NativeDef::function("__build_class__", build_class);

/// Adds `__build_class__` to the builtins module.
pub fn register(vm: &Vm) {
    let d = &vm.builtins_dict;
    vm.dict_set_str(d, &vm.intern("__build_class__"), vm.new_native_function(&BUILD_CLASS, None));
}
