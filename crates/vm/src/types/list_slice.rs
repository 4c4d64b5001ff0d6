//! Slicing a list: `l[a:b:c]`, `l[a:b:c] = items` and `del l[a:b:c]`.
//!
//! The order of events is CPython's: the slice bounds are read first (their
//! `__index__` may run code), then clamped to the list's length at that
//! moment, and only then is the assigned value iterated; for a simple slice
//! the bounds are clamped again to the length after that iteration.
//!
//! These functions are also the fast path the subscript protocol uses for an
//! exact list (no method lookup or argument packing).

use crate::payload::Payload;
use crate::types::list_storage::ListStorage;
use crate::types::slice::adjust_indices;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::RefCell;

type ListCell = RefCell<ListStorage>;

/// `l[key]` for a slice `key`: a new list of the selected items.
pub fn get_slice(vm: &Vm, l: &ListCell, key: &Value) -> PyResult {
    let (start, stop, step) = vm.slice_unpack(key)?;
    let v = l.borrow();
    let (start, _, n) = adjust_indices(start, stop, step, v.len() as i64);
    let (start, n) = (start as usize, n as usize);
    // n never exceeds the list's length, so this allocation is no larger than the list's own.
    let mut out = Vec::with_capacity(n);
    if n > 0 {
        if step == 1 {
            out.extend_from_slice(&v[start..start + n]);
        } else if step == -1 {
            // `l[i::-1]`, the usual reversal: a plain reversed copy.
            out.extend(v[start + 1 - n..=start].iter().rev().cloned());
        } else if step > 0 {
            out.extend(v[start..].iter().step_by(step as usize).take(n).cloned());
        } else {
            // -step cannot overflow: slice_unpack bounds step below by -i64::MAX.
            out.extend(v[..=start].iter().rev().step_by(step.unsigned_abs() as usize).take(n).cloned());
        }
    }
    drop(v);
    Ok(vm.new_list(out))
}

/// `l[key] = value` (`value` Some) or `del l[key]` (None) for a slice `key`;
/// `s` is the list object itself (`l[:] = l` copies first).
pub fn assign_slice(vm: &Vm, s: &Value, l: &ListCell, key: &Value, value: Option<&Value>) -> PyResult<()> {
    let (start, stop, step) = vm.slice_unpack(key)?;
    let (start, _, n) = adjust_indices(start, stop, step, l.borrow().len() as i64);
    if step == 1 {
        let stop = start + n;
        return assign_simple(vm, s, l, start, stop, value);
    }
    match value {
        None => {
            let removed = delete_extended(l, start, step, n as usize);
            drop(removed);
            Ok(())
        }
        Some(v) => {
            let items = if v.is(s) {
                l.borrow().to_vec()
            } else {
                items_of(vm, v, "must assign iterable to extended slice")?
            };
            if items.len() != n as usize {
                return Err(vm.new_value_error(format!(
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    items.len(),
                    n
                )));
            }
            let removed = {
                let mut v = l.borrow_mut();
                let mut old = Vec::with_capacity(items.len());
                for (k, x) in items.into_iter().enumerate() {
                    let idx = start + k as i64 * step;
                    // Iterating the value may have shrunk the list: skip what is gone.
                    if let Some(slot) = usize::try_from(idx).ok().and_then(|i| v.get_mut(i)) {
                        old.push(std::mem::replace(slot, x));
                    }
                }
                old
            };
            // Released in slice order, as CPython does.
            drop(removed);
            Ok(())
        }
    }
}

/// The items `value` yields (lists and tuples copied directly, anything else
/// iterated); `err` is the TypeError message for a non-iterable.
pub fn items_of(vm: &Vm, value: &Value, err: &str) -> PyResult<Vec<Value>> {
    if let Some(items) = vm.exact_seq_items(value) {
        return Ok(items);
    }
    if vm.special(value, crate::types::typeobj::Slot::Iter).is_none()
        && vm.special(value, crate::types::typeobj::Slot::GetItem).is_none()
    {
        return Err(vm.new_type_error(err.to_string()));
    }
    vm.collect_iter(value)
}

/// `l[lo:hi] = value` / `del l[lo:hi]` with step 1 (`lo <= hi`, both already
/// clamped to the length before `value` is iterated).
fn assign_simple(vm: &Vm, s: &Value, l: &ListCell, lo: i64, hi: i64, value: Option<&Value>) -> PyResult<()> {
    if let Some(v) = value.filter(|v| !v.is(s)) {
        if let Some(garbage) = assign_same_length(l, lo, hi, v) {
            drop(garbage);
            return Ok(());
        }
    }
    let items = match value {
        None => Vec::new(),
        Some(v) if v.is(s) => l.borrow().to_vec(),
        Some(v) => items_of(vm, v, "can only assign an iterable")?,
    };
    let mut removed = {
        let mut v = l.borrow_mut();
        let len = v.len() as i64;
        let lo = lo.clamp(0, len);
        let hi = hi.clamp(lo, len);
        v.replace_range(lo as usize, hi as usize, items)
    };
    // CPython releases a replaced slice last item first.
    removed.reverse();
    drop(removed);
    Ok(())
}

/// The common case `l[a:b] = other` where `other` is an exact list or tuple
/// as long as the range: items are swapped in place with no temporary Vec.
/// Returns the replaced objects (last first, to be dropped once the list is
/// released), or None when this case does not apply.
fn assign_same_length(l: &ListCell, lo: i64, hi: i64, value: &Value) -> Option<Vec<Value>> {
    let o = value.as_obj()?;
    // Builtin types are immortal: this excludes subclasses, whose items are read by iterating.
    if !o.class().is_immortal() {
        return None;
    }
    let src_list;
    let src: &[Value] = match &o.payload {
        Payload::List(src) => {
            src_list = src.try_borrow().ok()?;
            &src_list
        }
        Payload::Tuple(t) => t,
        _ => return None,
    };
    let mut v = l.try_borrow_mut().ok()?;
    if (hi - lo) as usize != src.len() || hi as usize > v.len() {
        return None;
    }
    let mut garbage = Vec::new();
    for (slot, x) in v[lo as usize..hi as usize].iter_mut().rev().zip(src.iter().rev()) {
        let old = std::mem::replace(slot, x.clone());
        // Only objects can run code when released; the rest own nothing.
        if let Value::Obj(_) = old {
            garbage.push(old);
        }
    }
    Some(garbage)
}

/// Removes the `n` items at `start`, `start + step`, ... (step != 1) and
/// returns them in ascending index order.
fn delete_extended(l: &ListCell, start: i64, step: i64, n: usize) -> Vec<Value> {
    if n == 0 {
        return Vec::new();
    }
    // Normalised to an ascending walk from the lowest index.
    let (low, step) = if step < 0 { (start + step * (n as i64 - 1), -step) } else { (start, step) };
    let (low, step) = (low as usize, step as usize);
    let mut v = l.borrow_mut();
    v.remove_where(|i| i >= low && (i - low) % step == 0 && (i - low) / step < n)
}
