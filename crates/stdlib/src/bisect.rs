//! The `_bisect` module: binary search and insertion in sorted sequences,
//! with CPython's argument handling (`lo` must be non-negative, `hi=None` or
//! -1 means the length, `key` applies to the items but not to `x`).

use krait_vm::types::function::{NativeFn, NativeKind};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

struct Params {
    a: Value,
    x: Value,
    lo: i64,
    hi: i64,
    key: Option<Value>,
}

fn parse(vm: &Vm, name: &str, args: Args) -> PyResult<Params> {
    let n = args.positional().len();
    if n > 4 {
        return Err(vm.new_type_error(format!("{name}() takes at most 4 positional arguments ({n} given)")));
    }
    let a = vm.bind_native(name, args, &["a", "x", "lo", "hi", "key"], 0, 2, Some(4))?;
    let lo = match &a[2] {
        Some(v) => crate::native::ssize(vm, v)?,
        None => 0,
    };
    if lo < 0 {
        return Err(vm.new_value_error("lo must be non-negative"));
    }
    // CPython's optional-ssize converter: None (or -1) means "the length".
    let hi = match &a[3] {
        None | Some(Value::None) => -1,
        Some(v) => {
            if vm.special(v, krait_vm::types::typeobj::Slot::Index).is_none() && !matches!(v, Value::Int(_) | Value::Bool(_)) {
                return Err(vm.new_type_error(format!("argument should be integer or None, not '{}'", vm.type_name_of(v))));
            }
            crate::native::ssize(vm, v)?
        }
    };
    let key = match &a[4] {
        None | Some(Value::None) => None,
        Some(k) => Some(k.clone()),
    };
    Ok(Params { a: a[0].clone().unwrap(), x: a[1].clone().unwrap(), lo, hi, key })
}

/// The insertion point of `x` in `a[lo:hi]`: after equal items when `right`.
fn search(vm: &Vm, a: &Value, x: &Value, mut lo: i64, mut hi: i64, key: &Option<Value>, right: bool) -> PyResult<i64> {
    if hi == -1 {
        hi = vm.len(a)? as i64;
    }
    while lo < hi {
        // Both are non-negative here, so the sum cannot overflow a u64.
        let mid = ((lo as u64 + hi as u64) / 2) as i64;
        let mut item = vm.getitem(a, &Value::Int(mid))?;
        if let Some(k) = key {
            item = vm.call(k, Args::new(&[item]))?;
        }
        if right {
            if vm.lt_bool(x, &item)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        } else if vm.lt_bool(&item, x)? {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

fn bisect(vm: &Vm, args: Args, name: &str, right: bool) -> PyResult {
    let p = parse(vm, name, args)?;
    Ok(Value::Int(search(vm, &p.a, &p.x, p.lo, p.hi, &p.key, right)?))
}

fn insort(vm: &Vm, args: Args, name: &str, right: bool) -> PyResult {
    let p = parse(vm, name, args)?;
    let target = match &p.key {
        Some(k) => vm.call(k, Args::new(&[p.x.clone()]))?,
        None => p.x.clone(),
    };
    let i = search(vm, &p.a, &target, p.lo, p.hi, &p.key, right)?;
    // An exact list is inserted into directly; anything else through its
    // own insert method.
    if let Value::Obj(o) = &p.a {
        if o.class().is(&vm.types.list) {
            let l = o.payload.as_list().expect("an exact list");
            let mut v = l.borrow_mut();
            let at = (i.max(0) as usize).min(v.len());
            v.insert(at, p.x);
            return Ok(Value::None);
        }
    }
    let ins = vm.getattr_str(&p.a, "insert")?;
    vm.call(&ins, Args::new(&[Value::Int(i), p.x]))?;
    Ok(Value::None)
}

fn bisect_left(vm: &Vm, args: Args) -> PyResult {
    bisect(vm, args, "bisect_left", false)
}
fn bisect_right(vm: &Vm, args: Args) -> PyResult {
    bisect(vm, args, "bisect_right", true)
}
fn insort_left(vm: &Vm, args: Args) -> PyResult {
    insort(vm, args, "insort_left", false)
}
fn insort_right(vm: &Vm, args: Args) -> PyResult {
    insort(vm, args, "insort_right", true)
}

const fn f(name: &'static str, func: NativeFn, doc: &'static str) -> NativeDef {
    NativeDef { name, func, kind: NativeKind::Function, doc }
}

static FUNCS: [NativeDef; 4] = [
    f("bisect_left", bisect_left, "Return the index where to insert item x in list a, assuming a is sorted.\n\nThe return value i is such that all e in a[:i] have e < x, and all e in\na[i:] have e >= x.  So if x already appears in the list, a.insert(i, x) will\ninsert just before the leftmost x already there.\n\nOptional args lo (default 0) and hi (default len(a)) bound the\nslice of a to be searched."),
    f("bisect_right", bisect_right, "Return the index where to insert item x in list a, assuming a is sorted.\n\nThe return value i is such that all e in a[:i] have e <= x, and all e in\na[i:] have e > x.  So if x already appears in the list, a.insert(i, x) will\ninsert just after the rightmost x already there.\n\nOptional args lo (default 0) and hi (default len(a)) bound the\nslice of a to be searched."),
    f("insort_left", insort_left, "Insert item x in list a, and keep it sorted assuming a is sorted.\n\nIf x is already in a, insert it to the left of the leftmost x.\n\nOptional args lo (default 0) and hi (default len(a)) bound the\nslice of a to be searched."),
    f("insort_right", insort_right, "Insert item x in list a, and keep it sorted assuming a is sorted.\n\nIf x is already in a, insert it to the right of the rightmost x.\n\nOptional args lo (default 0) and hi (default len(a)) bound the\nslice of a to be searched."),
];

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(
        vm,
        "_bisect",
        "Bisection algorithms.\n\nThis module provides support for maintaining a list in sorted order without\nhaving to sort the list after each insertion. For long lists of items with\nexpensive comparison operations, this can be an improvement over the more\ncommon approach.\n",
        &FUNCS,
        Vec::new(),
    ))
}
