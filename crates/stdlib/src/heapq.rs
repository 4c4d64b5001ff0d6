//! The `_heapq` module: heap operations on lists. Items are compared with
//! `<` only, and a comparison that changes the list's size is detected
//! ("list changed size during iteration") as in CPython; elements are
//! re-read after every comparison because `__lt__` may run arbitrary code.

use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

type List<'a> = &'a RefCell<krait_vm::types::list_storage::ListStorage>;

fn size_changed(vm: &Vm) -> krait_vm::PyErr {
    vm.new_runtime_error("list changed size during iteration")
}

fn out_of_range(vm: &Vm) -> krait_vm::PyErr {
    vm.new_index_error("index out of range")
}

/// `a < b` for the min-heap, `b < a` for the max-heap.
fn before(vm: &Vm, a: &Value, b: &Value, max: bool) -> PyResult<bool> {
    if max {
        vm.lt_bool(b, a)
    } else {
        vm.lt_bool(a, b)
    }
}

fn get(vm: &Vm, l: List, i: usize) -> PyResult<Value> {
    l.borrow().get(i).cloned().ok_or_else(|| out_of_range(vm))
}

fn swap(l: List, i: usize, j: usize) {
    let mut v = l.borrow_mut();
    if i < v.len() && j < v.len() {
        v.swap(i, j);
    }
}

/// Moves the item at `pos` up towards `start` while it sorts before its parent.
fn sift_down(vm: &Vm, l: List, start: usize, mut pos: usize, max: bool) -> PyResult<()> {
    let size = l.borrow().len();
    if pos >= size {
        return Err(out_of_range(vm));
    }
    while pos > start {
        let parent_pos = (pos - 1) >> 1;
        let item = get(vm, l, pos)?;
        let parent = get(vm, l, parent_pos)?;
        let lt = before(vm, &item, &parent, max)?;
        if l.borrow().len() != size {
            return Err(size_changed(vm));
        }
        if !lt {
            break;
        }
        swap(l, parent_pos, pos);
        pos = parent_pos;
    }
    Ok(())
}

/// Moves the smaller child up until a leaf is reached, then sifts the
/// original item back down (the "bottom-up" variant CPython uses).
fn sift_up(vm: &Vm, l: List, mut pos: usize, max: bool) -> PyResult<()> {
    let end = l.borrow().len();
    let start = pos;
    if pos >= end {
        return Err(out_of_range(vm));
    }
    let limit = end >> 1;
    while pos < limit {
        let mut child = 2 * pos + 1;
        if child + 1 < end {
            let a = get(vm, l, child)?;
            let b = get(vm, l, child + 1)?;
            if !before(vm, &a, &b, max)? {
                child += 1;
            }
            if l.borrow().len() != end {
                return Err(size_changed(vm));
            }
        }
        swap(l, child, pos);
        pos = child;
    }
    sift_down(vm, l, start, pos, max)
}

/// Keeps only the highest set bit of `n`.
fn top_bit(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        1 << (usize::BITS - 1 - n.leading_zeros())
    }
}

fn heapify_list(vm: &Vm, l: List, max: bool) -> PyResult<()> {
    let n = l.borrow().len();
    if n > 2500 {
        // Big heaps: CPython's cache-friendly order (finish each subtree
        // while it is still in cache); same result, different comparison order.
        let m = n >> 1;
        let leftmost = top_bit(m + 1) - 1;
        let mhalf = m >> 1;
        let run = |from: usize, to: usize| -> PyResult<()> {
            let mut i = from;
            while i > to {
                i -= 1;
                let mut j = i;
                loop {
                    sift_up(vm, l, j, max)?;
                    if j & 1 == 0 {
                        break;
                    }
                    j >>= 1;
                }
            }
            Ok(())
        };
        run(leftmost, mhalf)?;
        return run(m, leftmost);
    }
    for i in (0..n / 2).rev() {
        sift_up(vm, l, i, max)?;
    }
    Ok(())
}

/// The list argument of the two-argument functions ("heappush() argument 1
/// must be list, not int"), with their argument-count messages.
fn two_args<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<(&'a PyRef, Value)> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_heapq.{name}() takes no keyword arguments")));
    }
    if args.args.len() != 2 {
        return Err(vm.new_type_error(format!("{name} expected 2 arguments, got {}", args.args.len())));
    }
    match &args.args[0] {
        Value::Obj(o) if o.payload.as_list().is_some() => Ok((o, args.args[1].clone())),
        v => Err(vm.new_type_error(format!("{name}() argument 1 must be list, not {}", vm.type_name_of(v)))),
    }
}

fn one_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a PyRef> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_heapq.{name}() takes no keyword arguments")));
    }
    if args.args.len() != 1 {
        return Err(vm.new_type_error(format!("_heapq.{name}() takes exactly one argument ({} given)", args.args.len())));
    }
    match &args.args[0] {
        Value::Obj(o) if o.payload.as_list().is_some() => Ok(o),
        v => Err(vm.new_type_error(format!("{name}() argument must be list, not {}", vm.type_name_of(v)))),
    }
}

fn list(o: &PyRef) -> List<'_> {
    o.payload.as_list().expect("checked to be a list")
}

fn heappush(vm: &Vm, args: Args) -> PyResult {
    let (h, item) = two_args(vm, "heappush", &args)?;
    let l = list(h);
    let n = {
        let mut v = l.borrow_mut();
        v.push(item);
        v.len()
    };
    sift_down(vm, l, 0, n - 1, false)?;
    Ok(Value::None)
}

fn pop(vm: &Vm, args: Args, name: &str, max: bool) -> PyResult {
    let h = one_arg(vm, name, &args)?;
    let l = list(h);
    let last = l.borrow_mut().pop().ok_or_else(|| out_of_range(vm))?;
    let top = {
        let mut v = l.borrow_mut();
        match v.first_mut() {
            None => return Ok(last),
            Some(first) => std::mem::replace(first, last),
        }
    };
    sift_up(vm, l, 0, max)?;
    Ok(top)
}

fn heappop(vm: &Vm, args: Args) -> PyResult {
    pop(vm, args, "heappop", false)
}

fn heappop_max(vm: &Vm, args: Args) -> PyResult {
    pop(vm, args, "_heappop_max", true)
}

fn replace(vm: &Vm, args: Args, name: &str, max: bool) -> PyResult {
    let (h, item) = two_args(vm, name, &args)?;
    let l = list(h);
    let top = match l.borrow_mut().first_mut() {
        None => return Err(out_of_range(vm)),
        Some(first) => std::mem::replace(first, item),
    };
    sift_up(vm, l, 0, max)?;
    Ok(top)
}

fn heapreplace(vm: &Vm, args: Args) -> PyResult {
    replace(vm, args, "heapreplace", false)
}

fn heapreplace_max(vm: &Vm, args: Args) -> PyResult {
    replace(vm, args, "_heapreplace_max", true)
}

fn heappushpop(vm: &Vm, args: Args) -> PyResult {
    let (h, item) = two_args(vm, "heappushpop", &args)?;
    let l = list(h);
    let first = match l.borrow().first() {
        None => return Ok(item),
        Some(f) => f.clone(),
    };
    if !vm.lt_bool(&first, &item)? {
        return Ok(item);
    }
    // The comparison may have emptied the list.
    let top = match l.borrow_mut().first_mut() {
        None => return Err(out_of_range(vm)),
        Some(f) => std::mem::replace(f, item),
    };
    sift_up(vm, l, 0, false)?;
    Ok(top)
}

fn heapify(vm: &Vm, args: Args) -> PyResult {
    let h = one_arg(vm, "heapify", &args)?;
    heapify_list(vm, list(h), false)?;
    Ok(Value::None)
}

fn heapify_max(vm: &Vm, args: Args) -> PyResult {
    let h = one_arg(vm, "_heapify_max", &args)?;
    heapify_list(vm, list(h), true)?;
    Ok(Value::None)
}

const fn f(name: &'static str, func: krait_vm::types::function::NativeFn, doc: &'static str) -> NativeDef {
    NativeDef { name, func, kind: krait_vm::types::function::NativeKind::Function, doc }
}

static FUNCS: [NativeDef; 8] = [
    f("heappush", heappush, "Push item onto heap, maintaining the heap invariant."),
    f("heappop", heappop, "Pop the smallest item off the heap, maintaining the heap invariant."),
    f("heapify", heapify, "Transform list into a heap, in-place, in O(len(heap)) time."),
    f("heapreplace", heapreplace, "Pop and return the current smallest value, and add the new item.\n\nThis is more efficient than heappop() followed by heappush(), and can be\nmore appropriate when using a fixed-size heap.  Note that the value\nreturned may be larger than item!  That constrains reasonable uses of\nthis routine unless written as part of a conditional replacement:\n\n    if item > heap[0]:\n        item = heapreplace(heap, item)"),
    f("heappushpop", heappushpop, "Push item on the heap, then pop and return the smallest item from the heap.\n\nThe combined action runs more efficiently than heappush() followed by\na separate call to heappop()."),
    f("_heappop_max", heappop_max, "Maxheap variant of heappop."),
    f("_heapify_max", heapify_max, "Maxheap variant of heapify."),
    f("_heapreplace_max", heapreplace_max, "Maxheap variant of heapreplace."),
];

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(
        vm,
        "_heapq",
        "Heap queue algorithm (a.k.a. priority queue).\n\nHeaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for\nall k, counting elements from 0.  For the sake of comparison,\nnon-existing elements are considered to be infinite.  The interesting\nproperty of a heap is that a[0] is always its smallest element.\n\nUsage:\n\nheap = []            # creates an empty heap\nheappush(heap, item) # pushes a new item on the heap\nitem = heappop(heap) # pops the smallest item from the heap\nitem = heap[0]       # smallest item on the heap without popping it\nheapify(x)           # transforms list into a heap, in-place, in linear time\nitem = heapreplace(heap, item) # pops and returns smallest item, and adds\n                               # new item; the heap size is unchanged\n\nOur API differs from textbook heap algorithms as follows:\n\n- We use 0-based indexing.  This makes the relationship between the\n  index for a node and the indexes for its children slightly less\n  obvious, but is more suitable since Python uses 0-based indexing.\n\n- Our heappop() method returns the smallest item, not the largest.\n\nThese two make it possible to view the heap as a regular Python list\nwithout surprises: heap[0] is the smallest item, and heap.sort()\nmaintains the heap invariant!\n",
        &FUNCS,
        Vec::new(),
    ))
}
