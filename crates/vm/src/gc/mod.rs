//! The cycle collector: CPython 3.11's design (`Modules/gcmodule.c`),
//! written for krait's object model.
//!
//! - Objects whose payload can hold references carry a [`list::GcHead`] and,
//!   while tracked, sit in one of three generations (thresholds 700/10/10).
//!   Allocating a GC object counts toward generation 0; past the threshold a
//!   collection is requested through the eval breaker and runs between two
//!   instructions (3.12 does the same), never inside an allocation where Rust
//!   code may hold borrows.
//! - A collection finds garbage by trial deletion: each collected object's
//!   count minus the references from other collected objects is what keeps
//!   it alive from outside; objects reachable from those survive.
//! - Garbage is finalized per PEP 442: weak references to it are cleared
//!   (callbacks of live weakrefs run), each `__del__` runs once, objects the
//!   finalizers resurrected are kept, and the rest are cleared
//!   (`traverse::clear`), after which reference counting frees them.

pub mod collect;
pub mod list;
pub mod traverse;
pub mod visit;

pub use traverse::{is_gc_payload, tracked_at_birth};
pub use visit::{NativeData, Visitor};

use crate::object::{PyObject, PyRef, ValueCell};
use crate::value::Value;
use list::{GcHead, GcList};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

pub const NUM_GENERATIONS: usize = 3;

/// The tag (`list.rs`) of generation `g`'s objects: 3, 2, 1 from the
/// youngest, so a collection of generation `g` takes exactly the objects
/// whose tag is at least `gen_tag(g)`; the permanent generation, temporary
/// lists and untracked objects have tag 0.
pub(crate) const fn gen_tag(g: usize) -> usize {
    NUM_GENERATIONS - g
}

/// `gc.DEBUG_*` flags.
pub mod debug {
    pub const STATS: u32 = 1;
    pub const COLLECTABLE: u32 = 2;
    pub const UNCOLLECTABLE: u32 = 4;
    pub const SAVEALL: u32 = 32;
    pub const LEAK: u32 = COLLECTABLE | UNCOLLECTABLE | SAVEALL;
}

/// Per-generation statistics (`gc.get_stats()`).
#[derive(Clone, Copy, Default)]
pub struct GenStats {
    pub collections: usize,
    pub collected: usize,
    pub uncollectable: usize,
}

/// The collector's state: one per interpreter.
pub struct GcState {
    pub(crate) gens: [GcList; NUM_GENERATIONS],
    /// `gc.freeze()`: objects the collector ignores.
    pub(crate) permanent: GcList,
    /// Generation 0: GC allocations minus deallocations since its last
    /// collection; older ones: collections of the next younger generation.
    pub(crate) counts: [Cell<usize>; NUM_GENERATIONS],
    pub(crate) thresholds: [Cell<usize>; NUM_GENERATIONS],
    pub(crate) enabled: Cell<bool>,
    pub(crate) collecting: Cell<bool>,
    pub(crate) debug: Cell<u32>,
    pub(crate) stats: [Cell<GenStats>; NUM_GENERATIONS],
    /// Objects in the oldest generation after its last collection, and those
    /// that entered it since: a full collection waits until the second is a
    /// quarter of the first (CPython's amortisation).
    pub(crate) long_lived_total: Cell<usize>,
    pub(crate) long_lived_pending: Cell<usize>,
    /// A collection was requested (generation 0 passed its threshold).
    pub(crate) pending: Cell<bool>,
    breaker: Cell<*const AtomicBool>,
    /// `gc.callbacks` and `gc.garbage` (lists made by the `gc` module).
    pub callbacks: ValueCell,
    pub garbage: ValueCell,
}

impl GcState {
    pub fn new() -> Box<GcState> {
        Box::new(GcState {
            gens: [GcList::with_tag(gen_tag(0)), GcList::with_tag(gen_tag(1)), GcList::with_tag(gen_tag(2))],
            permanent: GcList::new(),
            counts: Default::default(),
            thresholds: [Cell::new(700), Cell::new(10), Cell::new(10)],
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            debug: Cell::new(0),
            stats: Default::default(),
            long_lived_total: Cell::new(0),
            long_lived_pending: Cell::new(0),
            pending: Cell::new(false),
            breaker: Cell::new(std::ptr::null()),
            callbacks: ValueCell::new(None),
            garbage: ValueCell::new(None),
        })
    }

    #[cold]
    fn request_collection(&self) {
        if self.enabled.get() && self.thresholds[0].get() != 0 && !self.collecting.get() && !self.pending.get() {
            self.pending.set(true);
            let b = self.breaker.get();
            if !b.is_null() {
                // SAFETY: the breaker belongs to the interpreter that owns this
                // state and outlives it.
                unsafe { (*b).store(true, Ordering::Relaxed) };
            }
        }
    }

    /// Number of tracked objects in generation `g`.
    pub fn gen_len(&self, g: usize) -> usize {
        self.gens[g].len()
    }

    pub fn permanent_len(&self) -> usize {
        self.permanent.len()
    }
}

impl Drop for GcState {
    fn drop(&mut self) {
        // Objects may outlive their interpreter (unit tests, statics): they
        // become untracked rather than point into freed lists.
        for g in &self.gens {
            g.untrack_all();
        }
        self.permanent.untrack_all();
    }
}

thread_local! {
    /// The collector state of the interpreter running on this thread.
    static CURRENT: Cell<*const GcState> = const { Cell::new(std::ptr::null()) };
}

/// Makes `vm`'s collector the one that tracks objects made on this thread.
pub fn install(vm: &crate::Vm) {
    vm.gc.breaker.set(&vm.eval_breaker as *const AtomicBool);
    CURRENT.with(|c| c.set(&*vm.gc as *const GcState));
}

/// Forgets `vm`'s collector on this thread (the interpreter is being dropped).
pub fn uninstall(vm: &crate::Vm) {
    CURRENT.with(|c| {
        if std::ptr::eq(c.get(), &*vm.gc) {
            c.set(std::ptr::null());
        }
    });
}

/// A new GC object was allocated (header `h`): count it, and link it into
/// generation 0 if it is tracked from birth.
#[inline(always)]
pub(crate) fn on_alloc(h: *mut GcHead, track: bool) {
    let st = CURRENT.with(|c| c.get());
    if st.is_null() {
        return;
    }
    // SAFETY: the installed state lives as long as its interpreter, which
    // uninstalls it before dropping it.
    let st = unsafe { &*st };
    // Only objects tracked from birth count (CPython counts every GC
    // allocation, but its instances have no separate dict object: counting
    // ours, which start untracked, would double the collections).
    if !track {
        return;
    }
    // SAFETY: `h` is the fresh, untracked header of a live object.
    unsafe { st.gens[0].append(h) };
    let c = st.counts[0].get() + 1;
    st.counts[0].set(c);
    if c > st.thresholds[0].get() {
        st.request_collection();
    }
}

/// A GC object is being freed: untrack it and uncount it.
#[inline(always)]
pub(crate) fn on_free(h: *mut GcHead) {
    // SAFETY: `h` is the header of the object being freed.
    unsafe {
        if !(*h).is_tracked() {
            return;
        }
        list::unlink(h);
    }
    let st = CURRENT.with(|c| c.get());
    if !st.is_null() {
        // SAFETY: as in `on_alloc`.
        let st = unsafe { &*st };
        let c = st.counts[0].get();
        if c > 0 {
            st.counts[0].set(c - 1);
        }
    }
}

/// The header of `obj` if it is a GC object.
#[inline(always)]
pub(crate) fn head(obj: &PyObject) -> Option<*mut GcHead> {
    if is_gc_payload(&obj.payload) {
        // SAFETY: GC payloads are allocated in a GcBox (see `PyRef::new`).
        Some(unsafe { list::head_of(obj) })
    } else {
        None
    }
}

/// `gc.is_tracked(obj)`.
pub fn is_tracked(v: &Value) -> bool {
    match v {
        // SAFETY: a header returned by `head` is valid while the object lives.
        Value::Obj(o) => head(o).is_some_and(|h| unsafe { (*h).is_tracked() }),
        _ => false,
    }
}

/// Starts tracking a GC object (no-op if tracked, not a GC object, immortal,
/// or no collector is installed on this thread).
pub fn track(o: &PyRef) {
    let Some(h) = head(o) else { return };
    // SAFETY: `h` is a live object's header.
    if unsafe { (*h).is_tracked() } || o.is_immortal() {
        return;
    }
    let st = CURRENT.with(|c| c.get());
    if !st.is_null() {
        // SAFETY: as in `on_alloc`; `h` is untracked.
        unsafe { (*st).gens[0].append(h) };
    }
}

/// Stops tracking a GC object.
pub fn untrack(o: &PyRef) {
    if let Some(h) = head(o) {
        // SAFETY: `h` is a live object's header; tracked ones have valid links.
        unsafe {
            if (*h).is_tracked() {
                list::unlink(h);
            }
        }
    }
}

/// Could `v` be tracked now or later (CPython's `_PyObject_GC_MAY_BE_TRACKED`):
/// a GC object, and for a tuple a tracked one.
#[inline]
pub fn may_be_tracked(v: &Value) -> bool {
    match v {
        Value::Obj(o) => match head(o) {
            None => false,
            Some(h) => match o.payload {
                // SAFETY: valid header of a live object.
                crate::payload::Payload::Tuple(_) => unsafe { (*h).is_tracked() },
                _ => true,
            },
        },
        _ => false,
    }
}

/// A dict got `key: value`: an untracked dict becomes tracked when either may
/// be tracked (CPython's `MAINTAIN_TRACKING`).
#[inline]
pub fn dict_stored(dict: &PyRef, key: &Value, value: &Value) {
    if may_be_tracked(value) || may_be_tracked(key) {
        track(dict);
    }
}

/// Called from the eval breaker: runs a requested collection.
pub fn run_pending(vm: &crate::Vm) {
    if vm.gc.pending.get() {
        vm.gc.pending.set(false);
        collect::collect_generations(vm);
    }
}

// ---------------------------------------------------------------------------
// What the `gc` module reads and changes.

impl GcState {
    pub fn is_enabled(&self) -> bool {
        self.enabled.get()
    }
    pub fn set_enabled(&self, on: bool) {
        self.enabled.set(on);
    }
    pub fn count(&self, g: usize) -> usize {
        self.counts[g].get()
    }
    pub fn threshold(&self, g: usize) -> usize {
        self.thresholds[g].get()
    }
    pub fn set_threshold(&self, g: usize, t: usize) {
        self.thresholds[g].set(t);
    }
    pub fn debug_flags(&self) -> u32 {
        self.debug.get()
    }
    pub fn set_debug_flags(&self, f: u32) {
        self.debug.set(f);
    }
    pub fn gen_stats(&self, g: usize) -> GenStats {
        self.stats[g].get()
    }

    /// The tracked objects of generation `g`, or of all three (strong references).
    pub fn objects(&self, g: Option<usize>) -> Vec<PyRef> {
        let lists: Vec<&GcList> = match g {
            Some(g) => vec![&self.gens[g]],
            None => self.gens.iter().collect(),
        };
        let mut out = Vec::new();
        for l in lists {
            for h in l.to_vec() {
                // SAFETY: tracked objects are alive.
                let o = unsafe { &*list::object_of(h) };
                // Objects queued for freeing (count zero) are not handed out.
                if o.refcount_raw() > 0 {
                    // SAFETY: alive, as just checked.
                    out.push(unsafe { PyRef::from_borrowed(o) });
                }
            }
        }
        out
    }

    /// `gc.freeze()`: every tracked object moves to the permanent generation.
    pub fn freeze(&self) {
        for g in &self.gens {
            g.move_all_to(&self.permanent);
        }
        for c in &self.counts {
            c.set(0);
        }
    }

    /// `gc.unfreeze()`: the permanent generation goes back to the oldest.
    pub fn unfreeze(&self) {
        self.permanent.move_all_to(&self.gens[NUM_GENERATIONS - 1]);
    }
}

/// `gc.collect(generation)`.
pub fn collect_now(vm: &crate::Vm, g: usize) -> usize {
    collect::collect_with_callbacks(vm, g)
}

/// Every value `v` holds a reference to (`gc.get_referents`), unboxed values
/// included; nothing for objects the collector does not know.
pub fn referents(v: &Value) -> Vec<Value> {
    struct All(Vec<Value>);
    impl Visitor for All {
        fn visit(&mut self, o: &PyRef) {
            self.0.push(Value::Obj(o.clone()));
        }
        fn visit_value(&mut self, v: &Value) {
            self.0.push(v.clone());
        }
    }
    let Value::Obj(o) = v else { return Vec::new() };
    if head(o).is_none() {
        return Vec::new();
    }
    let mut all = All(Vec::new());
    traverse::traverse(o, &mut all);
    all.0
}

/// Does `holder` hold a reference to any of `targets` (`gc.get_referrers`)?
pub fn refers_to_any(holder: &PyRef, targets: &[Value]) -> bool {
    struct Find<'a>(&'a [Value], bool);
    impl Visitor for Find<'_> {
        fn visit(&mut self, o: &PyRef) {
            if self.0.iter().any(|t| matches!(t, Value::Obj(x) if x.is(o))) {
                self.1 = true;
            }
        }
        fn visit_value(&mut self, v: &Value) {
            if self.0.iter().any(|t| t.is(v)) {
                self.1 = true;
            }
        }
    }
    let mut f = Find(targets, false);
    traverse::traverse(holder, &mut f);
    f.1
}

/// `gc.is_finalized(obj)`.
pub fn is_finalized(v: &Value) -> bool {
    match v {
        Value::Obj(o) => o.is_finalized(),
        _ => false,
    }
}
