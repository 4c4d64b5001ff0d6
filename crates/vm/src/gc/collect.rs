//! One collection: trial deletion over a generation, then PEP 442
//! finalization of what it found unreachable.

use super::list::{head_of, object_of, GcHead, GcList};
use super::traverse::{clear, traverse};
use super::{debug, head, GcState, Visitor, NUM_GENERATIONS};
use crate::object::{PyObject, PyRef};
use crate::payload::Payload;
use crate::value::Value;
use crate::Vm;

/// Scratch flags in `GcHead::prev` during the graph walk; the rest of the
/// word is the object's count minus the references found inside the set.
const COLLECTING: usize = 1;
const REACHABLE: usize = 2;
/// The marking scan has passed the object.
const SCANNED: usize = 4;
const REFS_SHIFT: u32 = 3;

/// The objects of one walk: a list (walked through `next`, which stays
/// valid while `prev` holds scratch data) or a vector of headers.
enum Set<'a> {
    List(&'a GcList),
    Heads(&'a [*mut GcHead]),
}

impl Set<'_> {
    #[inline(always)]
    fn each(&self, mut f: impl FnMut(*mut GcHead)) {
        match self {
            Set::List(l) => {
                let s = l.head();
                // SAFETY: the list's elements are live objects' headers; the
                // next link is read before `f` may relink the element.
                unsafe {
                    let mut h = (*s).next.get();
                    while h != s {
                        let next = (*h).next.get();
                        f(h);
                        h = next;
                    }
                }
            }
            Set::Heads(v) => v.iter().for_each(|&h| f(h)),
        }
    }
}

/// The automatic collection: the oldest generation whose count passed its
/// threshold (the oldest only when enough objects entered it since its last
/// collection).
pub fn collect_generations(vm: &Vm) {
    let st = &vm.gc;
    for g in (0..NUM_GENERATIONS).rev() {
        if st.counts[g].get() > st.thresholds[g].get() {
            if g == NUM_GENERATIONS - 1 && st.long_lived_pending.get() < st.long_lived_total.get() / 4 {
                continue;
            }
            collect_with_callbacks(vm, g);
            break;
        }
    }
}

/// A collection of generation `g` and the younger ones, with `gc.callbacks`
/// told before and after; returns the number of unreachable objects found
/// (`gc.collect()`'s result). 0 if a collection is already running.
pub fn collect_with_callbacks(vm: &Vm, g: usize) -> usize {
    let st = &vm.gc;
    if st.collecting.get() {
        return 0;
    }
    st.collecting.set(true);
    st.pending.set(false);
    run_callbacks(vm, "start", g, 0, 0);
    let (collected, uncollectable) = collect(vm, g);
    run_callbacks(vm, "stop", g, collected, uncollectable);
    st.collecting.set(false);
    collected + uncollectable
}

fn run_callbacks(vm: &Vm, phase: &str, g: usize, collected: usize, uncollectable: usize) {
    let Some(list) = vm.gc.callbacks.get() else { return };
    let cbs: Vec<Value> = match list.payload().and_then(|p| p.as_list()) {
        Some(l) if !l.borrow().is_empty() => l.borrow().to_vec(),
        _ => return,
    };
    let info = vm.new_dict();
    for (k, n) in [("generation", g), ("collected", collected), ("uncollectable", uncollectable)] {
        vm.dict_set_str(&info, &vm.intern(k), Value::Int(n as i64));
    }
    let phase = vm.new_str(phase);
    for cb in cbs {
        if let Err(e) = vm.call1(&cb, &[phase.clone(), Value::Obj(info.clone())]) {
            crate::types::weakref::write_unraisable(vm, &e, &cb);
        }
    }
}

/// Sets the scratch word of a header about to be collected: its count (less
/// `own_refs` the collector holds itself) and the COLLECTING flag.
///
/// # Safety
/// `h` must be a live GC object's header, unlinked for the walk.
#[inline(always)]
unsafe fn init_scratch(h: *mut GcHead, own_refs: usize) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let refs = (*object_of(h)).refcount_raw().saturating_sub(own_refs);
        (*h).prev.set(refs << REFS_SHIFT | COLLECTING);
    }
}

/// Trial deletion over `young` (scratch words set by `init_scratch`): after
/// it, the objects reachable from outside the set have the REACHABLE flag.
/// No Python code runs and no reference is dropped meanwhile.
fn mark_reachable(young: Set) {
    struct Subtract;
    impl Visitor for Subtract {
        #[inline(always)]
        fn visit(&mut self, o: &PyRef) {
            if let Some(h) = head(o) {
                // SAFETY: `h` is a live object's header; only scratch words of
                // objects in the set have COLLECTING (others hold pointers).
                unsafe {
                    let w = (*h).prev.get();
                    if w & COLLECTING != 0 && w >> REFS_SHIFT > 0 {
                        (*h).prev.set(w - (1 << REFS_SHIFT));
                    }
                }
            }
        }
    }
    /// Marks what a reachable object refers to. Objects the scan has not
    /// reached yet are only flagged (the scan traverses them when it gets
    /// there); those it has passed go on the stack. With the set ordered
    /// oldest first, most references point forward and the stack stays small.
    struct Mark<'a>(&'a mut Vec<*mut GcHead>);
    impl Visitor for Mark<'_> {
        #[inline(always)]
        fn visit(&mut self, o: &PyRef) {
            if let Some(h) = head(o) {
                // SAFETY: as above.
                unsafe {
                    let w = (*h).prev.get();
                    if w & COLLECTING != 0 && w & REACHABLE == 0 {
                        (*h).prev.set(w | REACHABLE);
                        if w & SCANNED != 0 {
                            self.0.push(h);
                        }
                    }
                }
            }
        }
    }
    // SAFETY (all blocks below): the headers belong to live objects.
    young.each(|h| {
        let o = unsafe { &*object_of(h) };
        if !traverse(o, &mut Subtract) {
            // Part of it could not be looked at: keep it (and what it holds).
            unsafe { (*h).prev.set((*h).prev.get() + (1 << REFS_SHIFT)) };
        }
    });
    let mut stack: Vec<*mut GcHead> = Vec::new();
    young.each(|h| {
        let o = unsafe { &*object_of(h) };
        let mut w = unsafe { (*h).prev.get() } | SCANNED;
        // A count left over means a reference from outside. Objects whose
        // count already reached zero wait in the free queue (`object.rs`):
        // not garbage of ours, and what they hold is still referenced.
        if w >> REFS_SHIFT > 0 || o.refcount_raw() == 0 {
            w |= REACHABLE;
        }
        unsafe { (*h).prev.set(w) };
        if w & REACHABLE != 0 {
            traverse(o, &mut Mark(&mut stack));
            while let Some(x) = stack.pop() {
                traverse(unsafe { &*object_of(x) }, &mut Mark(&mut stack));
            }
        }
    });
}

#[inline(always)]
fn is_marked(h: *mut GcHead) -> bool {
    // SAFETY: a header of the set under collection (scratch word).
    unsafe { (*h).prev.get() & REACHABLE != 0 }
}

/// May a reachable tuple stop being tracked (it holds nothing that may be
/// tracked: CPython's `_PyTuple_MaybeUntrack`)?
fn untrackable_tuple(o: &PyObject) -> bool {
    match &o.payload {
        Payload::Tuple(items) => items.iter().all(|v| !super::may_be_tracked(v)),
        _ => false,
    }
}

/// A dict in a full collection holding nothing that may be tracked.
fn untrackable_dict(o: &PyObject) -> bool {
    match &o.payload {
        Payload::Dict(d) => match d.try_borrow() {
            Ok(t) => t.iter().all(|e| !super::may_be_tracked(&e.key) && !super::may_be_tracked(&e.value)),
            Err(_) => false,
        },
        _ => false,
    }
}

/// Collects generation `g` (with the younger ones merged in): returns
/// (unreachable objects freed, uncollectable objects).
fn collect(vm: &Vm, g: usize) -> (usize, usize) {
    let st: &GcState = &vm.gc;
    let t0 = std::time::Instant::now();
    if st.debug.get() & debug::STATS != 0 {
        let sizes: Vec<String> = (0..NUM_GENERATIONS).map(|i| st.gen_len(i).to_string()).collect();
        eprintln!("gc: collecting generation {g}...");
        eprintln!("gc: objects in each generation: {}", sizes.join(" "));
        eprintln!("gc: objects in permanent generation: {}", st.permanent_len());
    }
    let old_index = if g + 1 < NUM_GENERATIONS { g + 1 } else { g };
    // The set under collection, in one list, oldest first (so the common
    // old-to-young references point forward).
    let work = GcList::new();
    for i in (0..=g).rev() {
        st.gens[i].move_all_to(&work);
    }
    // SAFETY: the list's elements are live objects' headers.
    Set::List(&work).each(|h| unsafe { init_scratch(h, 0) });
    mark_reachable(Set::List(&work));
    let old = &st.gens[old_index];
    let unreachable_list = GcList::new();
    let mut moved_old = 0;
    Set::List(&work).each(|h| {
        // SAFETY: live objects' headers; each is relinked exactly once (the
        // walk read its next link already).
        unsafe {
            if is_marked(h) {
                let o = &*object_of(h);
                if untrackable_tuple(o) || (g == NUM_GENERATIONS - 1 && untrackable_dict(o)) {
                    (*h).next.set(std::ptr::null_mut());
                    (*h).prev.set(0);
                } else {
                    old.append(h);
                    moved_old += 1;
                }
            } else {
                unreachable_list.append(h);
            }
        }
    });
    work.forget_all();
    // Counts: this generation and the younger ones start again.
    if g + 1 < NUM_GENERATIONS {
        st.counts[g + 1].set(st.counts[g + 1].get() + 1);
    }
    for i in 0..=g {
        st.counts[i].set(0);
    }
    if g == NUM_GENERATIONS - 1 {
        // Everything that survived is the whole oldest generation now.
        st.long_lived_pending.set(0);
        st.long_lived_total.set(moved_old);
    } else if g == NUM_GENERATIONS - 2 {
        st.long_lived_pending.set(st.long_lived_pending.get() + moved_old);
    }

    // From here Python code may run: every object is linked in some list.
    // SAFETY: the listed objects are alive (they are tracked).
    let garbage: Vec<PyRef> =
        unreachable_list.to_vec().into_iter().map(|h| unsafe { PyRef::from_borrowed(object_of(h)) }).collect();
    if garbage.is_empty() {
        finish_stats(st, g, 0, 0, t0);
        return (0, 0);
    }
    if st.debug.get() & debug::COLLECTABLE != 0 {
        for o in &garbage {
            eprintln!("gc: collectable <{} {:#x}>", type_name(o), o.id());
        }
    }
    // PEP 442: weak references first (callbacks see the referent gone), then
    // the finalizers.
    let ids: std::collections::HashSet<usize> = garbage.iter().map(|o| o.id()).collect();
    let mut callbacks = Vec::new();
    for o in &garbage {
        if o.has_weakrefs() {
            callbacks.extend(crate::object::clear_weakrefs_of_garbage(o, &ids));
        }
    }
    if !callbacks.is_empty() {
        crate::types::weakref::run_callbacks(vm, callbacks);
    }
    for o in &garbage {
        crate::object::finalize_now(o);
    }
    // Finalizers may have made some of it reachable again: those objects,
    // and everything they reach, survive into the old generation.
    let heads: Vec<*mut GcHead> = garbage.iter().map(|o| unsafe { head_of(o.as_ptr()) }).collect();
    unreachable_list.forget_all();
    for &h in &heads {
        // SAFETY: live (held by `garbage`), unlinked just above; the one
        // reference `garbage` holds is not the program's.
        unsafe { init_scratch(h, 1) };
    }
    mark_reachable(Set::Heads(&heads));
    let mut final_garbage = Vec::new();
    for (&h, o) in heads.iter().zip(garbage) {
        // SAFETY: headers of objects kept alive by `garbage`'s references.
        unsafe {
            if is_marked(h) {
                old.append(h);
            } else {
                unreachable_list.append(h);
                final_garbage.push(o);
            }
        }
    }
    let collected = final_garbage.len();
    if st.debug.get() & debug::SAVEALL != 0 {
        if let Some(list) = st.garbage.get() {
            if let Some(l) = list.payload().and_then(|p| p.as_list()) {
                l.borrow_mut().extend(final_garbage.iter().map(|o| Value::Obj(o.clone())));
            }
        }
    } else {
        for o in &final_garbage {
            clear(o);
        }
    }
    drop(final_garbage);
    // Whatever clearing did not free lives on.
    unreachable_list.move_all_to(old);
    finish_stats(st, g, collected, 0, t0);
    (collected, 0)
}

fn finish_stats(st: &GcState, g: usize, collected: usize, uncollectable: usize, t0: std::time::Instant) {
    let mut s = st.stats[g].get();
    s.collections += 1;
    s.collected += collected;
    s.uncollectable += uncollectable;
    st.stats[g].set(s);
    if st.debug.get() & debug::STATS != 0 {
        eprintln!(
            "gc: done, {collected} unreachable, {uncollectable} uncollectable, {:.4}s elapsed",
            t0.elapsed().as_secs_f64()
        );
    }
}

fn type_name(o: &PyRef) -> String {
    o.class().payload.as_type().map(|t| t.name()).unwrap_or_default()
}
