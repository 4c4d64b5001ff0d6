//! `list.sort()` and the sort `sorted()` uses: a stable merge sort whose
//! comparisons may fail (a `__lt__` can raise; Rust's `sort_by` cannot
//! propagate errors and must not be given an inconsistent order).
//!
//! As in CPython the list is emptied while it is sorted, so a key function or
//! `__lt__` that mutates it is detected afterwards ("list modified during
//! sort") and its changes are discarded. Sorting works on a permutation of
//! indices, so an exception leaves every item in the list.

use crate::types::function::Args;
use crate::value::Value;
use crate::{PyResult, Vm};

/// Below this length runs are sorted by binary insertion.
const SMALL: usize = 16;

/// Stable merge sort of `v` with a fallible less-than.
pub fn merge_sort<T: Clone, F: FnMut(&T, &T) -> PyResult<bool>>(v: &mut Vec<T>, lt: &mut F) -> PyResult<()> {
    let n = v.len();
    if n < 2 {
        return Ok(());
    }
    // Sort small runs by binary insertion, then merge runs bottom-up.
    let mut start = 0;
    while start < n {
        let end = (start + SMALL).min(n);
        for i in start + 1..end {
            let x = v[i].clone();
            // Find the first position in start..i whose item is greater than x.
            let (mut lo, mut hi) = (start, i);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if lt(&x, &v[mid])? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            v[lo..=i].rotate_right(1);
        }
        start = end;
    }
    let mut width = SMALL;
    let mut buf: Vec<T> = Vec::with_capacity(n);
    while width < n {
        let mut lo = 0;
        while lo + width < n {
            let mid = lo + width;
            let hi = (lo + 2 * width).min(n);
            // Already ordered? (common for presorted input)
            if !lt(&v[mid], &v[mid - 1])? {
                lo = hi;
                continue;
            }
            buf.clear();
            let (mut i, mut j) = (lo, mid);
            while i < mid && j < hi {
                // Take from the right only when strictly less: stability.
                if lt(&v[j], &v[i])? {
                    buf.push(v[j].clone());
                    j += 1;
                } else {
                    buf.push(v[i].clone());
                    i += 1;
                }
            }
            buf.extend_from_slice(&v[i..mid]);
            buf.extend_from_slice(&v[j..hi]);
            v[lo..hi].clone_from_slice(&buf);
            lo = hi;
        }
        width *= 2;
    }
    Ok(())
}

/// Sorts `items` in place by `key` (None = identity) with Python semantics.
/// On error `items` is left as it was.
pub fn sort_values(vm: &Vm, items: &mut Vec<Value>, key: Option<&Value>, reverse: bool) -> PyResult<()> {
    // CPython calls the key even for a single item (a bad key still raises).
    let trivial = key.is_none() || items.is_empty();
    if items.len() < 2 && trivial {
        return Ok(());
    }
    let keys: Vec<Value> = match key {
        Some(f) => {
            let mut ks = Vec::with_capacity(items.len());
            for x in items.iter() {
                ks.push(vm.call(f, Args::new(std::slice::from_ref(x)))?);
            }
            ks
        }
        None => items.clone(),
    };
    if items.len() < 2 {
        return Ok(());
    }
    // Reverse before and after a stable sort keeps equal items in their
    // original order under reverse=True, as CPython does.
    let mut perm: Vec<usize> = (0..items.len()).collect();
    if reverse {
        perm.reverse();
    }
    if keys.iter().all(|k| matches!(k, Value::Int(_))) {
        // Native fast path: no Python code can run.
        let ints: Vec<i64> = keys.iter().map(|k| if let Value::Int(i) = k { *i } else { 0 }).collect();
        perm.sort_by_key(|&i| ints[i]);
    } else if keys.iter().all(|k| matches!(k, Value::Obj(o) if o.class().is(&vm.types.str))) {
        let strs: Vec<&str> = keys.iter().map(|k| vm.as_str(k).unwrap_or("")).collect();
        perm.sort_by(|&a, &b| strs[a].cmp(strs[b]));
    } else {
        merge_sort(&mut perm, &mut |&a: &usize, &b: &usize| vm.lt_bool(&keys[a], &keys[b]))?;
    }
    if reverse {
        perm.reverse();
    }
    let old = std::mem::take(items);
    let mut slots: Vec<Option<Value>> = old.into_iter().map(Some).collect();
    items.extend(perm.into_iter().map(|i| slots[i].take().unwrap_or(Value::None)));
    Ok(())
}

impl Vm {
    /// `list.sort(key=key, reverse=reverse)` on a list value.
    pub fn list_sort(&self, list: &Value, key: Option<&Value>, reverse: bool) -> PyResult<()> {
        let cell = match list.payload().and_then(|p| p.as_list()) {
            Some(c) => c,
            None => return Err(self.new_type_error("list_sort on a non-list")),
        };
        // Empty the list while sorting (a fresh Vec has no capacity: any push
        // by Python code during the sort shows up as capacity).
        let mut items = std::mem::take(&mut *cell.borrow_mut());
        let r = sort_values(self, &mut items, key, reverse);
        let during = std::mem::replace(&mut *cell.borrow_mut(), items);
        let modified = during.capacity() != 0;
        drop(during);
        r?;
        if modified {
            return Err(self.new_value_error("list modified during sort"));
        }
        Ok(())
    }
}

/// `list.sort(*, key=None, reverse=False)`.
pub fn l_sort(vm: &Vm, args: Args) -> PyResult {
    let s = match args.args.first() {
        Some(s) => s,
        None => return Err(vm.new_type_error("unbound method list.sort() needs an argument")),
    };
    if args.positional().len() > 1 {
        return Err(vm.new_type_error("sort() takes no positional arguments"));
    }
    let mut key = None;
    let mut reverse = false;
    for (k, v) in args.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "key" => {
                if !v.is_none() {
                    key = Some(v.clone());
                }
            }
            "reverse" => {
                reverse = match v {
                    Value::Bool(b) => *b,
                    Value::Int(i) => *i != 0,
                    Value::Float(_) => {
                        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"))
                    }
                    _ => match vm.index(v)? {
                        Value::Int(i) => i != 0,
                        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
                    },
                };
            }
            other => {
                return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for sort()")));
            }
        }
    }
    vm.list_sort(s, key.as_ref(), reverse)?;
    Ok(Value::None)
}

#[cfg(test)]
mod tests {
    use super::merge_sort;

    #[test]
    fn stable_and_sorted() {
        let mut v: Vec<(i32, usize)> = (0..1000).map(|i| (((i * 7919) % 13) as i32, i)).collect();
        merge_sort(&mut v, &mut |a: &(i32, usize), b: &(i32, usize)| Ok(a.0 < b.0)).unwrap();
        for w in v.windows(2) {
            assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1));
        }
    }
}
