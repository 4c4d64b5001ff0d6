//! One collection: trial deletion over a generation, then PEP 442
//! finalization of what it found unreachable.
//!
//! The graph walk makes two passes over the objects collected, where
//! CPython makes three (update_refs, subtract_refs, move_unreachable) and
//! then more to untrack tuples and dicts:
//! 1. `subtract_lazy`: every reference found inside the set is subtracted
//!    from its target's count, kept in the header's scratch word. The word
//!    is set from the reference count at the object's first touch (when the
//!    pass reaches it, or an earlier object refers to it); the generation tag
//!    in `next` says which objects belong to the set.
//! 2. `scan`: objects with a count left are referenced from outside, so they
//!    and everything they reach survive; each is linked into the next
//!    generation (or untracked) as the scan passes it. The others are
//!    unreachable unless something the scan meets later reaches them.

use super::list::{head_of, object_of, prefetch, GcHead, GcList};
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
/// The scan has passed the object.
const SCANNED: usize = 4;
const REFS_SHIFT: u32 = 3;
const ONE_REF: usize = 1 << REFS_SHIFT;

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

/// The scratch word of a header about to be walked: its count (less
/// `own_refs` the collector holds itself) and the COLLECTING flag.
///
/// # Safety
/// `h` must be a live GC object's header.
#[inline(always)]
unsafe fn scratch(h: *mut GcHead, own_refs: usize) -> usize {
    // SAFETY: guaranteed by the caller.
    let refs = unsafe { (*object_of(h)).refcount_raw() }.saturating_sub(own_refs);
    refs.min(usize::MAX >> REFS_SHIFT) << REFS_SHIFT | COLLECTING
}

/// Subtracts one count from each object of the set that a traversed object
/// refers to. With `LAZY`, the set is the objects whose generation tag is at
/// least `min_tag`, and a scratch word is set at the first touch (so no pass
/// is needed to set them all first); otherwise the set is the objects whose
/// scratch word is already set (COLLECTING).
struct Subtract<const LAZY: bool> {
    min_tag: usize,
}

impl<const LAZY: bool> Visitor for Subtract<LAZY> {
    #[inline(always)]
    fn visit(&mut self, o: &PyRef) {
        if let Some(h) = head(o) {
            // SAFETY: `h` is a live object's header. Only objects of the set
            // get scratch words (their back links are not used again: the
            // walk goes forward and the scan relinks every object); objects
            // outside it have a pointer or 0 there, without COLLECTING.
            unsafe {
                let mut w = (*h).prev.get();
                if LAZY {
                    if (*h).tag() < self.min_tag {
                        return;
                    }
                    if w & COLLECTING == 0 {
                        w = scratch(h, 0);
                    }
                } else if w & COLLECTING == 0 {
                    return;
                }
                if w >= ONE_REF {
                    w -= ONE_REF;
                }
                (*h).prev.set(w);
            }
        }
    }
}

/// Marks what a reachable object refers to. Objects the scan has not
/// reached yet are only flagged (the scan traverses them when it gets
/// there), and only when no count is left (with one, the scan finds them
/// reachable anyway, and their line stays clean); those it has passed go on
/// the stack. With the set ordered oldest first, most references point
/// forward and the stack stays small. Objects already relinked by the scan
/// have a pointer in `prev` (no COLLECTING) and are skipped: they were
/// traversed when they were relinked.
struct Mark<'a>(&'a mut Vec<*mut GcHead>);

impl Visitor for Mark<'_> {
    #[inline(always)]
    fn visit(&mut self, o: &PyRef) {
        if let Some(h) = head(o) {
            // SAFETY: as in `Subtract`.
            unsafe {
                let w = (*h).prev.get();
                // In the set, no count left, not flagged yet (a scanned
                // object with a count left was relinked).
                if w & !SCANNED == COLLECTING {
                    (*h).prev.set(w | REACHABLE);
                    if w & SCANNED != 0 {
                        self.0.push(h);
                    }
                }
            }
        }
    }
}

/// Traverses a reachable object and, through the stack, the objects behind
/// it that the scan had passed.
#[inline(always)]
fn mark_from(o: &PyObject, stack: &mut Vec<*mut GcHead>) {
    traverse(o, &mut Mark(stack));
    while let Some(x) = stack.pop() {
        // SAFETY: headers on the stack belong to live objects of the set.
        traverse(unsafe { &*object_of(x) }, &mut Mark(stack));
    }
}

/// Does what the scan found say that `h` (scratch word `w`, SCANNED set) is
/// referenced from outside the set? Objects whose count already reached zero
/// wait in the free queue (`object.rs`): not garbage of ours, and what they
/// hold is still referenced.
#[inline(always)]
fn directly_reachable(w: usize, o: &PyObject) -> bool {
    w & REACHABLE != 0 || w >= ONE_REF || o.refcount_raw() == 0
}

/// Calls `f` on each element of `list` in order. The next link is read
/// before `f` runs (so `f` may relink its element, and only it), and the
/// object after it is asked for, so that the walk's loads overlap.
#[inline(always)]
fn walk(list: &GcList, mut f: impl FnMut(*mut GcHead)) {
    let s = list.head();
    let mut h = list.first();
    while h != s {
        // SAFETY: the list's elements are live objects' headers (the next
        // element's line was asked for one step earlier).
        let next = unsafe { (*h).next_ptr() };
        if next != s {
            // SAFETY: as above.
            let nn = unsafe { (*next).next_ptr() } as *const u8;
            prefetch(nn);
            prefetch(nn.wrapping_add(64));
        }
        f(h);
        h = next;
    }
}

/// The first pass over a generation (`work`, ordered oldest first):
/// subtraction with scratch words set at the first touch.
fn subtract_lazy(work: &GcList, min_tag: usize) {
    let mut sub = Subtract::<true> { min_tag };
    // SAFETY: the list's elements are live objects' headers, in the set
    // (their tags are at least `min_tag`).
    walk(work, |h| unsafe {
        if (*h).prev.get() & COLLECTING == 0 {
            (*h).prev.set(scratch(h, 0));
        }
        if !traverse(&*object_of(h), &mut sub) {
            // Part of it could not be looked at: keep it (and what it holds).
            (*h).prev.set((*h).prev.get() + ONE_REF);
        }
    });
}

/// The reachable object `h` leaves the set: tuples (and in full collections
/// dicts) holding nothing that may be tracked stop being tracked, as
/// CPython's untrack_tuples/untrack_dicts; the rest go to the end of `old`.
/// Returns whether it went to `old`.
///
/// # Safety
/// `h` must be a live object's header of the set, not reached by any list.
#[inline(always)]
unsafe fn survive(h: *mut GcHead, o: &PyObject, old: &GcList, untrack_dicts: bool) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if untrackable_tuple(o) || (untrack_dicts && untrackable_dict(o)) {
            (*h).set_untracked();
            false
        } else {
            old.append(h);
            true
        }
    }
}

/// The last pass (CPython's move_unreachable): objects referenced from
/// outside the set, and everything they reach, survive into `old` as the
/// scan passes them; the others wait on a chain (linked through `next`)
/// until the scan is over, then go to `unreachable` unless something reached
/// them meanwhile. Returns the number of objects moved to `old`.
fn scan(work: &GcList, old: &GcList, unreachable: &GcList, untrack_dicts: bool) -> usize {
    let mut stack = Vec::new();
    let mut moved = 0;
    // The chain ends at the unreachable list's sentinel (a non-null address:
    // objects on the chain still count as tracked).
    let end = unreachable.head();
    let mut chain_first = end;
    let mut chain_last = end;
    // SAFETY: the list's elements are live objects' headers with scratch
    // words; only the element `f` gets is relinked.
    walk(work, |h| unsafe {
        let o = &*object_of(h);
        let w = (*h).prev.get() | SCANNED;
        if directly_reachable(w, o) {
            moved += usize::from(survive(h, o, old, untrack_dicts));
            mark_from(o, &mut stack);
        } else {
            (*h).prev.set(w);
            (*h).next.set(end as usize);
            if chain_last == end {
                chain_first = h;
            } else {
                (*chain_last).next.set(h as usize);
            }
            chain_last = h;
        }
    });
    work.forget_all();
    let mut h = chain_first;
    while h != end {
        // SAFETY: the chain's elements are live objects' headers of the set.
        unsafe {
            let next = (*h).next_ptr();
            if is_marked(h) {
                moved += usize::from(survive(h, &*object_of(h), old, untrack_dicts));
            } else {
                unreachable.append(h);
            }
            h = next;
        }
    }
    moved
}

/// Trial deletion over a few objects no list holds (the garbage after its
/// finalizers ran; each also held once by the collector): after it, those
/// reachable from outside have the REACHABLE flag.
fn mark_reachable_heads(heads: &[*mut GcHead]) {
    for &h in heads {
        // SAFETY: the headers belong to live objects, held by the caller.
        unsafe { (*h).prev.set(scratch(h, 1)) };
    }
    for &h in heads {
        // SAFETY: as above.
        let o = unsafe { &*object_of(h) };
        if !traverse(o, &mut Subtract::<false> { min_tag: 0 }) {
            // SAFETY: as above.
            unsafe { (*h).prev.set((*h).prev.get() + ONE_REF) };
        }
    }
    let mut stack = Vec::new();
    for &h in heads {
        // SAFETY: as above.
        let (o, mut w) = unsafe { (&*object_of(h), (*h).prev.get() | SCANNED) };
        if directly_reachable(w, o) {
            w |= REACHABLE;
        }
        // SAFETY: as above.
        unsafe { (*h).prev.set(w) };
        if w & REACHABLE != 0 {
            mark_from(o, &mut stack);
        }
    }
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
    if st.debug.get() & debug::STATS != 0 {
        let sizes: Vec<String> = (0..NUM_GENERATIONS).map(|i| st.gen_len(i).to_string()).collect();
        eprintln!("gc: collecting generation {g}...");
        eprintln!("gc: objects in each generation: {}", sizes.join(" "));
        eprintln!("gc: objects in permanent generation: {}", st.permanent_len());
    }
    // Timed from here, as CPython (counting the generations is not).
    let t0 = std::time::Instant::now();
    let old_index = if g + 1 < NUM_GENERATIONS { g + 1 } else { g };
    // The set under collection, in one list, oldest first (so the common
    // old-to-young references point forward). The objects keep their
    // generations' tags, which tell the walk what belongs to the set.
    let work = GcList::new();
    for i in (0..=g).rev() {
        st.gens[i].splice_into(&work);
    }
    subtract_lazy(&work, super::gen_tag(g));
    let old = &st.gens[old_index];
    let unreachable_list = GcList::new();
    let moved_old = scan(&work, old, &unreachable_list, g == NUM_GENERATIONS - 1);
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
    let mut callbacks = Vec::new();
    if garbage.iter().any(|o| o.has_weakrefs()) {
        let ids: std::collections::HashSet<usize> = garbage.iter().map(|o| o.id()).collect();
        for o in &garbage {
            if o.has_weakrefs() {
                callbacks.extend(crate::object::clear_weakrefs_of_garbage(o, &ids));
            }
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
    // SAFETY: the garbage is made of GC objects (they were tracked).
    let heads: Vec<*mut GcHead> = garbage.iter().map(|o| unsafe { head_of(o.as_ptr()) }).collect();
    // Live (held by `garbage`), unlinked here; the one reference `garbage`
    // holds is not the program's.
    unreachable_list.forget_all();
    mark_reachable_heads(&heads);
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
