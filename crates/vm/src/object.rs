//! The heap object model: every Python object that is not an unboxed value
//! (see `value.rs`) is a `PyObject` on the heap, reached through a counted
//! reference, `PyRef`.
//!
//! Reference counts are plain (non-atomic) cells: only the thread holding the
//! GIL touches Python objects, exactly as in CPython. An object is freed the
//! moment its count drops to zero. Freeing is iterative: an object whose last
//! reference goes while another object is being freed is queued, not freed
//! recursively, so dropping a ten-million-long chain cannot overflow the Rust
//! stack (CPython's "trashcan").
//!
//! Weak references: the count is kept in steps of two and bit 0 of `refcnt`
//! marks objects that have weak references, listed in a side table keyed by
//! address (`WEAKLISTS`). Increments and decrements cost what they did before
//! (add/sub a constant, compare with a constant); only objects with the bit
//! set look at the table when they are freed. Bit 1 marks objects whose
//! finalizer (`__del__`, a generator's close) has already run.

use crate::gc::list::{GcBox, GcHead};
use crate::object_slots::{SlotArray, SlotCell};
use crate::payload::Payload;
use crate::types::str::StrWriter;
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};
use std::ptr::NonNull;

/// One reference, in `refcnt` units (bits 0 and 1 are flags).
const ONE: usize = 4;
/// Bit 0 of `refcnt`: the object is a key of `WEAKLISTS`.
const WEAK_FLAG: usize = 1;
/// Bit 1 of `refcnt`: the finalizer has run (PEP 442: `__del__` runs at most
/// once per object, even if it resurrects the object).
const FINALIZED_FLAG: usize = 2;
const FLAGS: usize = WEAK_FLAG | FINALIZED_FLAG;
/// Raw `refcnt` given to objects that must never be freed (builtin types,
/// singletons). Decrements never reach zero from here in practice.
const IMMORTAL: usize = (usize::MAX / 2) & !FLAGS;

/// A heap object: header (reference count, type) and the type-specific payload.
#[repr(C)]
pub struct PyObject {
    refcnt: Cell<usize>,
    /// The object's type: a strong reference. Mutable for `__class__` assignment.
    typ: UnsafeCell<PyRef>,
    pub payload: Payload,
}

/// A strong, counted reference to a heap object.
#[repr(transparent)]
pub struct PyRef {
    ptr: NonNull<PyObject>,
}

// SAFETY: Python objects are only touched by the thread holding the GIL; the
// GIL serialises every access, as in CPython. Sending a reference to another
// thread is how `threading` hands objects over.
unsafe impl Send for PyRef {}
// SAFETY: as above: all access is serialised by the GIL.
unsafe impl Sync for PyRef {}

impl PyRef {
    /// Allocates a new object with reference count 1.
    /// Objects whose payload can hold references get the cycle collector's
    /// header in front (`gc/list.rs`) and are tracked from birth, as CPython's
    /// `PyObject_GC_New` plus `PyObject_GC_Track`.
    #[inline]
    pub fn new(typ: PyRef, payload: Payload) -> PyRef {
        if crate::gc::is_gc_payload(&payload) {
            let track = crate::gc::tracked_at_birth(&payload);
            let obj = PyObject { refcnt: Cell::new(ONE), typ: UnsafeCell::new(typ), payload };
            let raw = Box::into_raw(Box::new(GcBox { head: GcHead::untracked(), obj }));
            // SAFETY: `raw` is a fresh, valid allocation; the field pointers
            // are in bounds and never null.
            unsafe {
                crate::gc::on_alloc(std::ptr::addr_of_mut!((*raw).head), track);
                PyRef { ptr: NonNull::new_unchecked(std::ptr::addr_of_mut!((*raw).obj)) }
            }
        } else {
            let obj = Box::new(PyObject { refcnt: Cell::new(ONE), typ: UnsafeCell::new(typ), payload });
            // SAFETY: Box::into_raw never returns null.
            PyRef { ptr: unsafe { NonNull::new_unchecked(Box::into_raw(obj)) } }
        }
    }

    /// A new instance of the user class `typ` (an `Instance` payload, with
    /// `base` the payload of a builtin base if any). Its `__slots__` cells
    /// live in the same allocation, after the object, followed by the cells
    /// of its inline attributes (`instance_values.rs`).
    pub fn new_instance(typ: PyRef, base: Option<Box<Payload>>) -> PyRef {
        let n = typ.payload.as_type().map_or(0, |t| {
            t.slot_names.len() + t.shared_keys.as_deref().map_or(0, |k| k.instance_cells(t))
        });
        PyRef::new_instance_with_slots(typ, base, n)
    }

    /// An instance with `n` slot cells whatever its type says (native record
    /// types keep their fields in slots).
    pub fn new_instance_with_slots(typ: PyRef, base: Option<Box<Payload>>, n: usize) -> PyRef {
        let data = |slots| crate::payload::InstanceData { dict: ValueCell::new(None), slots, base };
        if n == 0 {
            return PyRef::new(typ, Payload::Instance(data(SlotArray::empty())));
        }
        // SAFETY: the cells are initialised before the SlotArray that owns
        // them is made; they sit after the GcBox, 8-aligned like a SlotCell.
        unsafe {
            PyRef::new_with_trailing(typ, crate::object_slots::trailing_size(n), true, |at| {
                let cells = at as *mut SlotCell;
                SlotArray::init_cells(cells, n);
                Payload::Instance(data(SlotArray::from_raw(NonNull::new_unchecked(cells), n)))
            })
        }
    }

    /// A tuple of `items`, which move into the object's own allocation right
    /// after it (one allocation per tuple; see `tuple_items.rs`).
    pub fn new_tuple(typ: PyRef, mut items: Vec<Value>) -> PyRef {
        PyRef::new_tuple_from_tail(typ, &mut items, 0)
    }

    /// A tuple of `v[at..]`, moved out of `v` (which is cut to `at`): the
    /// eval loop builds tuples straight from its value stack.
    pub fn new_tuple_from_tail(typ: PyRef, v: &mut Vec<Value>, at: usize) -> PyRef {
        let at_index = at.min(v.len());
        let n = v.len() - at_index;
        // SAFETY: the items are moved bitwise into the space after the
        // GcBox (8-aligned like `Value`) and `v` forgets them (its length is
        // cut first), so each is owned once, by the payload.
        unsafe {
            PyRef::new_with_trailing(typ, n * std::mem::size_of::<Value>(), n > 0, |at| {
                let cells = at as *mut Value;
                let src = v.as_ptr().add(at_index);
                v.set_len(at_index);
                for k in 0..n {
                    cells.add(k).write(src.add(k).read());
                }
                Payload::Tuple(crate::tuple_items::TupleItems::inline(NonNull::new_unchecked(cells), n))
            })
        }
    }

    /// A tuple of the values in `items`, moved out of it (each slot is left
    /// `None`): built in place without an intermediate Vec.
    pub fn new_tuple_taking(typ: PyRef, items: &mut [Value]) -> PyRef {
        let n = items.len();
        // SAFETY: as in `new_tuple_from_tail`: each value is moved into the
        // space after the GcBox and replaced by None in `items`, so each is
        // owned once.
        unsafe {
            PyRef::new_with_trailing(typ, n * std::mem::size_of::<Value>(), n > 0, |at| {
                let cells = at as *mut Value;
                for (k, v) in items.iter_mut().enumerate() {
                    cells.add(k).write(std::mem::replace(v, Value::None));
                }
                Payload::Tuple(crate::tuple_items::TupleItems::inline(NonNull::new_unchecked(cells), n))
            })
        }
    }

    /// Recycles a result tuple nothing else holds (count 1, CPython's zip and
    /// enumerate trick): swaps `items` in, so `items` then holds the old
    /// values, for the caller to drop once it no longer borrows anything.
    /// The tuple is whole at every moment (only whole values move; nothing
    /// runs meanwhile), and it is tracked again if a collection had
    /// untracked it as a tuple of atoms, so the collector sees it as a new
    /// tuple. False (nothing changed) if the tuple is shared or its length
    /// differs.
    pub(crate) fn recycle_tuple(&self, items: &mut [Value]) -> bool {
        if self.refcount() != 1 {
            return false;
        }
        let Payload::Tuple(t) = &self.payload else { return false };
        if t.len() != items.len() {
            return false;
        }
        let cells = t.cells();
        for (k, v) in items.iter_mut().enumerate() {
            // SAFETY: count 1 means the caller's reference is the only one, so
            // no other code can be reading the items; the cells were written
            // through a pointer to the object's own allocation (inline items)
            // or a box the payload owns, both writable, and `k < len`.
            unsafe { std::ptr::swap(cells.add(k), v) };
        }
        crate::gc::track(self);
        true
    }

    /// An exact str of `text` (`char_len` code points), its bytes in the
    /// object's own allocation right after it: one allocation per str, and a
    /// key comparison reads the text from the line the header is on.
    #[inline]
    pub fn new_str(typ: PyRef, text: &str, char_len: usize) -> PyRef {
        PyRef::new_str_from_parts(typ, &[text], char_len)
    }

    /// An exact str of the concatenation of `parts` (`char_len` code points
    /// in all), written straight into the new object.
    pub fn new_str_from_parts(typ: PyRef, parts: &[&str], char_len: usize) -> PyRef {
        let len = parts.iter().fold(0usize, |n, p| n.saturating_add(p.len()));
        PyRef::new_str_with(typ, len, char_len, |w| {
            for p in parts {
                w.push(p);
            }
        })
    }

    /// An exact str of `len` bytes and `char_len` code points that `fill`
    /// writes straight into the new object (no intermediate String). What
    /// `fill` leaves unwritten stays NUL characters (see `StrWriter`), so the
    /// text is valid UTF-8 whatever it does.
    pub fn new_str_with(typ: PyRef, len: usize, char_len: usize, fill: impl FnOnce(&mut StrWriter)) -> PyRef {
        let layout = str_layout(len);
        // SAFETY: the layout has a non-zero size (the header). The text
        // right after the PyObject (u8 needs no alignment) is written only
        // through `StrWriter`, which keeps it valid UTF-8 and initialises all
        // of it (`finish`), before the PyStr that describes it is made;
        // `free_one` recomputes the same layout from the payload
        // (`trailing_bytes`).
        unsafe {
            let raw = std::alloc::alloc(layout) as *mut PyObject;
            if raw.is_null() {
                std::alloc::handle_alloc_error(layout);
            }
            let text = (raw as *mut u8).add(std::mem::size_of::<PyObject>());
            let mut w = StrWriter::new(std::slice::from_raw_parts_mut(text as *mut std::mem::MaybeUninit<u8>, len));
            fill(&mut w);
            w.finish();
            let s = crate::types::str::PyStr::inline(NonNull::new_unchecked(text), len, char_len);
            raw.write(PyObject { refcnt: Cell::new(ONE), typ: UnsafeCell::new(typ), payload: Payload::Str(s) });
            PyRef { ptr: NonNull::new_unchecked(raw) }
        }
    }

    /// A GC object with `trailing` bytes of storage right after it in the
    /// same allocation; `fill` initialises that storage (given its address)
    /// and returns the payload that owns it. Tracked if `track`.
    ///
    /// # Safety
    /// The payload must own exactly the trailing storage it is given, and
    /// `free_one` must find its size again (`trailing_bytes`).
    unsafe fn new_with_trailing(typ: PyRef, trailing: usize, track: bool, fill: impl FnOnce(*mut u8) -> Payload) -> PyRef {
        let layout = trailing_layout(trailing);
        // SAFETY: the layout has a non-zero size; the GcBox is written at the
        // start, the storage `fill` initialised follows it.
        unsafe {
            let raw = std::alloc::alloc(layout) as *mut GcBox;
            if raw.is_null() {
                std::alloc::handle_alloc_error(layout);
            }
            let payload = fill((raw as *mut u8).add(std::mem::size_of::<GcBox>()));
            raw.write(GcBox {
                head: GcHead::untracked(),
                obj: PyObject { refcnt: Cell::new(ONE), typ: UnsafeCell::new(typ), payload },
            });
            crate::gc::on_alloc(std::ptr::addr_of_mut!((*raw).head), track);
            PyRef { ptr: NonNull::new_unchecked(std::ptr::addr_of_mut!((*raw).obj)) }
        }
    }

    /// Allocates an object that is never freed (builtin types and singletons);
    /// the collector never looks at it.
    pub fn new_immortal(typ: PyRef, payload: Payload) -> PyRef {
        let r = PyRef::new(typ, payload);
        crate::gc::untrack(&r);
        r.refcnt.set(IMMORTAL);
        r
    }

    #[inline(always)]
    pub fn as_ptr(&self) -> *const PyObject {
        self.ptr.as_ptr()
    }

    /// The object's identity (what `id()` returns).
    #[inline(always)]
    pub fn id(&self) -> usize {
        self.ptr.as_ptr() as usize
    }

    #[inline(always)]
    pub fn is(&self, other: &PyRef) -> bool {
        self.ptr == other.ptr
    }

    /// Counts `n` more references at once (their owners are made by
    /// bitwise copies: see `frame::fill_unset`).
    #[inline(always)]
    pub(crate) fn add_refs(&self, n: usize) {
        let rc = &self.refcnt;
        rc.set(rc.get() + n * ONE);
    }

    /// The object's type.
    #[inline(always)]
    pub fn class(&self) -> &PyRef {
        // SAFETY: `typ` is only replaced by `set_class`, which keeps the old type
        // alive forever (see there), so the returned reference never dangles.
        unsafe { &*(*self.ptr.as_ptr()).typ.get() }
    }

    /// `obj.__class__ = cls`. The previous type is retired, never freed, so
    /// references handed out by `class()` earlier stay valid. Class assignment is
    /// rare enough that this costs nothing that matters.
    pub fn set_class(&self, cls: PyRef) {
        // SAFETY: single-threaded under the GIL; the old value is moved out and
        // leaked rather than dropped, so outstanding `&PyRef`s remain valid.
        let old = unsafe { std::ptr::replace((*self.ptr.as_ptr()).typ.get(), cls) };
        std::mem::forget(old);
    }

    /// Bootstrap: sets the type of an object made before `type` existed.
    pub(crate) fn init_class(&self, cls: PyRef) {
        self.set_class(cls);
    }

    /// The true reference count (what `sys.getrefcount` reports).
    #[inline(always)]
    pub fn refcount(&self) -> usize {
        self.refcnt.get() / ONE
    }

    /// Does the object have weak references registered?
    #[inline(always)]
    pub fn has_weakrefs(&self) -> bool {
        self.refcnt.get() & WEAK_FLAG != 0
    }

    /// Has the object's finalizer run (`gc.is_finalized`)?
    pub fn is_finalized(&self) -> bool {
        self.refcnt.get() & FINALIZED_FLAG != 0
    }

    pub fn is_immortal(&self) -> bool {
        self.refcnt.get() >= IMMORTAL / 2
    }

    /// Turns a reference into a raw pointer without dropping it (for FFI-like
    /// storage such as the subclass lists of types).
    pub fn into_raw(self) -> *const PyObject {
        let p = self.ptr.as_ptr();
        std::mem::forget(self);
        p
    }

    /// # Safety
    /// `p` must come from [`PyRef::into_raw`] and be consumed once.
    pub unsafe fn from_raw(p: *const PyObject) -> PyRef {
        // SAFETY: guaranteed by the caller.
        PyRef { ptr: unsafe { NonNull::new_unchecked(p as *mut PyObject) } }
    }

    /// A new strong reference from a borrowed pointer.
    ///
    /// # Safety
    /// `p` must point to a live object.
    pub unsafe fn from_borrowed(p: *const PyObject) -> PyRef {
        // SAFETY: the object is alive per the caller; we add our own count.
        let r = unsafe { PyRef { ptr: NonNull::new_unchecked(p as *mut PyObject) } };
        r.refcnt.set(r.refcnt.get() + ONE);
        r
    }

    /// Wraps this reference as a value.
    #[inline(always)]
    pub fn into_value(self) -> Value {
        Value::Obj(self)
    }
}

impl std::ops::Deref for PyRef {
    type Target = PyObject;
    #[inline(always)]
    fn deref(&self) -> &PyObject {
        // SAFETY: a PyRef holds a count, so the object is alive.
        unsafe { self.ptr.as_ref() }
    }
}

impl PyRef {
    /// Adds one reference without making a `PyRef` (for bitwise value copies).
    #[inline(always)]
    pub(crate) fn incref(&self) {
        let rc = &self.refcnt;
        rc.set(rc.get() + ONE);
    }
}

impl Clone for PyRef {
    #[inline(always)]
    fn clone(&self) -> PyRef {
        let rc = &self.refcnt;
        rc.set(rc.get() + ONE);
        PyRef { ptr: self.ptr }
    }
}

impl Drop for PyRef {
    #[inline(always)]
    fn drop(&mut self) {
        let rc = &self.refcnt;
        let n = rc.get() - ONE;
        rc.set(n);
        // Zero references left, whatever the weak flag says.
        if n < ONE {
            dealloc(self.ptr);
        }
    }
}

impl PyObject {
    /// The object's type (see `PyRef::class`).
    #[inline(always)]
    pub fn class_ref(&self) -> &PyRef {
        // SAFETY: as in `PyRef::class`.
        unsafe { &*self.typ.get() }
    }

    /// The true reference count.
    #[inline(always)]
    pub fn refcount_raw(&self) -> usize {
        self.refcnt.get() / ONE
    }
}

impl PartialEq for PyRef {
    fn eq(&self, other: &PyRef) -> bool {
        self.ptr == other.ptr
    }
}
impl Eq for PyRef {}

impl std::hash::Hash for PyRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.ptr.hash(state)
    }
}

impl std::fmt::Debug for PyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} object at {:#x}>", self.payload.kind_name(), self.id())
    }
}

/// How deep frees may nest before further ones are queued: deep enough that
/// ordinary structures are released depth-first in CPython's order (a
/// container's items are released, and their `__del__` run, in the middle of
/// the container's own release), shallow enough for any stack (CPython's
/// trashcan uses the same limit).
const MAX_FREE_DEPTH: u32 = 50;

thread_local! {
    /// How many frees are in progress on this thread (nested).
    static FREE_DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Objects whose count reached zero at the maximum nesting depth; freed
    /// once the outermost free finishes.
    static PENDING: UnsafeCell<Vec<NonNull<PyObject>>> = const { UnsafeCell::new(Vec::new()) };
    /// Finalizer hook installed by the VM (runs `__del__`, closes generators).
    static FINALIZER: Cell<Option<fn(&crate::Vm, &PyRef)>> = const { Cell::new(None) };
}

/// Installs the function that finalizes an object before it is freed (runs on
/// the interpreter set by [`set_callback_vm`]). It gets a temporary reference
/// (count 1); if the count is higher when it returns, the object was
/// resurrected and is not freed. It runs at most once per object.
pub fn set_finalizer(f: fn(&crate::Vm, &PyRef)) {
    FINALIZER.with(|c| c.set(Some(f)));
}

#[cold]
fn dealloc(ptr: NonNull<PyObject>) {
    let depth = FREE_DEPTH.with(|d| d.get());
    if depth >= MAX_FREE_DEPTH {
        // SAFETY: PENDING is only touched on this thread, never re-entrantly
        // (pushing and popping do not run Python code).
        PENDING.with(|p| unsafe { (*p.get()).push(ptr) });
        return;
    }
    FREE_DEPTH.with(|d| d.set(depth + 1));
    free_one(ptr);
    if depth == 0 {
        loop {
            // SAFETY: as above.
            let next = PENDING.with(|p| unsafe { (*p.get()).pop() });
            match next {
                Some(p) => free_one(p),
                None => break,
            }
        }
    }
    FREE_DEPTH.with(|d| d.set(depth));
}

/// Does freeing `obj` call the finalizer first (its type defines `__del__`, or
/// it is a generator or coroutine, which is closed)?
#[inline(always)]
fn wants_finalizer(obj: &PyObject) -> bool {
    // SAFETY: the type is alive while its instance is (the instance holds it).
    let typ = unsafe { &*obj.typ.get() };
    match &typ.payload {
        // The generator types have the flag too (see `refresh_slots_of`).
        Payload::Type(t) => {
            t.flags.get() & crate::types::typeobj::type_flags::HAS_FINALIZER != 0
                && obj.refcnt.get() & FINALIZED_FLAG == 0
        }
        _ => false,
    }
}

#[inline(always)]
fn free_one(ptr: NonNull<PyObject>) {
    // SAFETY: the object is alive (count 0, not yet freed).
    let obj = unsafe { ptr.as_ref() };
    if wants_finalizer(obj) && finalize_dying(ptr) {
        return;
    }
    // Untracked first: releasing the contents can run Python code, and the
    // collector must not find a half-freed object in its lists.
    let gc_head = crate::gc::head(obj);
    if let Some(h) = gc_head {
        crate::gc::on_free(h);
    }
    if obj.refcnt.get() & WEAK_FLAG != 0 {
        clear_weakrefs(obj);
    }
    // Dropping the contents may release children: they are freed depth-first
    // (nested `dealloc`), or queued past `MAX_FREE_DEPTH`.
    // Objects with storage after them in the same allocation.
    let trailing = trailing_bytes(&obj.payload);
    match gc_head {
        Some(h) if trailing.is_some() => {
            let raw = h as *mut GcBox;
            // SAFETY: as below; the object was allocated by `new_instance` or
            // `new_tuple` with this layout; its contents are dropped in place
            // (slot cells by the SlotArray, tuple items by TupleItems) before
            // the memory goes.
            unsafe {
                release_in_order(&mut (*raw).obj.payload);
                std::ptr::drop_in_place(raw);
                std::alloc::dealloc(raw as *mut u8, trailing_layout(trailing.unwrap_unchecked()));
            }
        }
        Some(h) => {
            // SAFETY: the count reached zero and the finalizer did not
            // resurrect the object, so this is the last reference; GC objects
            // were allocated as a Box<GcBox> whose first field is the header.
            let mut boxed = unsafe { Box::from_raw(h as *mut GcBox) };
            release_in_order(&mut boxed.obj.payload);
            // Small dict and set tables are kept for new ones.
            if let Payload::Dict(_) | Payload::Set(_) | Payload::FrozenSet(_) = boxed.obj.payload {
                match std::mem::replace(&mut boxed.obj.payload, Payload::None_) {
                    Payload::Dict(table) => crate::types::dict_table::recycle_table(table),
                    Payload::Set(table) | Payload::FrozenSet(table) => crate::types::set::recycle_table(table),
                    _ => {}
                }
            }
            drop(boxed);
        }
        None if trailing.is_some() => {
            // SAFETY: as above; an exact str allocated by `new_str_from_parts`
            // with this layout. Its payload owns no heap memory besides the
            // index cache, dropped in place.
            unsafe {
                let layout = str_layout(trailing.unwrap_unchecked());
                std::ptr::drop_in_place(ptr.as_ptr());
                std::alloc::dealloc(ptr.as_ptr() as *mut u8, layout);
            }
        }
        None => {
            // SAFETY: as above; other objects were allocated as a Box<PyObject>.
            let mut boxed = unsafe { Box::from_raw(ptr.as_ptr()) };
            release_in_order(&mut boxed.payload);
            drop(boxed);
        }
    }
}

/// Runs the finalizer of an object whose count reached zero; true if it
/// resurrected the object (which must then not be freed). Out of line: the
/// free path of objects without finalizers stays small.
#[cold]
#[inline(never)]
fn finalize_dying(ptr: NonNull<PyObject>) -> bool {
    // SAFETY: the object is alive (count 0, not yet freed).
    let obj = unsafe { ptr.as_ref() };
    let fin = FINALIZER.with(|c| c.get());
    let vm = CALLBACK_VM.with(|c| c.get());
    let (Some(fin), false) = (fin, vm.is_null()) else { return false };
    // Lend the finalizer a count of 1; if it comes back above 1 the object
    // was resurrected. The weak flag is re-read afterwards: `__del__` may
    // create weak references.
    obj.refcnt.set(ONE | FINALIZED_FLAG | (obj.refcnt.get() & WEAK_FLAG));
    let tmp = PyRef { ptr };
    // SAFETY: the pointer is set by a live VM and reset when it drops.
    fin(unsafe { &*vm }, &tmp);
    let rc = tmp.refcnt.get();
    std::mem::forget(tmp);
    obj.refcnt.set(rc - ONE);
    rc >= 2 * ONE
}

/// Runs the finalizer of a live object now, unless it already ran (it will
/// not run again when the object is freed). For interpreter shutdown, which
/// finalizes the main module's objects while its globals are still intact.
pub fn finalize_now(obj: &PyRef) {
    if !wants_finalizer(obj) {
        return;
    }
    let fin = FINALIZER.with(|c| c.get());
    let vm = CALLBACK_VM.with(|c| c.get());
    if let (Some(fin), false) = (fin, vm.is_null()) {
        obj.refcnt.set(obj.refcnt.get() | FINALIZED_FLAG);
        // SAFETY: the pointer is set by a live VM and reset when it drops.
        fin(unsafe { &*vm }, obj);
    }
}

/// The storage a payload keeps after its object in the same allocation
/// (`new_with_trailing`), if any.
fn trailing_bytes(p: &Payload) -> Option<usize> {
    match p {
        Payload::Instance(d) if d.slots.len() > 0 => Some(crate::object_slots::trailing_size(d.slots.len())),
        Payload::Tuple(t) if t.is_inline() => Some(t.len() * std::mem::size_of::<Value>()),
        Payload::Str(s) if s.is_inline() => Some(s.byte_len()),
        _ => None,
    }
}

/// The allocation of an exact str (never a GC object) with `len` bytes of text.
#[inline(always)]
fn str_layout(len: usize) -> std::alloc::Layout {
    let size = std::mem::size_of::<PyObject>().saturating_add(len);
    std::alloc::Layout::from_size_align(size, std::mem::align_of::<PyObject>()).expect("str size")
}

/// The allocation of a GC object with `trailing` bytes after it.
fn trailing_layout(trailing: usize) -> std::alloc::Layout {
    let size = std::mem::size_of::<GcBox>() + trailing;
    std::alloc::Layout::from_size_align(size, std::mem::align_of::<GcBox>()).expect("object size")
}

/// Releases the references of a dying payload whose Rust drop order differs
/// from CPython's: list and tuple items go last index first; an instance
/// releases its `__slots__`, then its `__dict__`, then its builtin base.
#[inline(always)]
fn release_in_order(payload: &mut Payload) {
    match payload {
        Payload::List(l) => release_reversed(l.get_mut()),
        Payload::Tuple(t) => release_reversed(t),
        Payload::Instance(d) => {
            // Field drop order already releases the dict first otherwise.
            if !d.slots.is_empty() {
                for s in d.slots.iter() {
                    s.set(None);
                }
            }
            if let Some(b) = &mut d.base {
                d.dict.set(None);
                release_in_order(b);
            }
        }
        _ => {}
    }
}

/// Releases the heap items last first, in place (the rest of the drop then
/// only sees unboxed values).
#[inline(always)]
fn release_reversed(items: &mut [Value]) {
    if items.len() > 1 {
        for v in items.iter_mut().rev() {
            if let Value::Obj(_) = v {
                drop(std::mem::replace(v, Value::None));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Weak references.

/// One registered weak reference: the weakref object and its `WeakPtr`
/// (inside that object's payload), as addresses.
#[derive(Clone, Copy)]
struct WeakEntry {
    owner: usize,
    slot: usize,
}

/// Referent address -> its weak references, in CPython's list order. A mutex
/// although the GIL serialises Python code: unit tests run interpreters on
/// parallel threads. Never held while Python code runs or a `PyRef` drops.
static WEAKLISTS: std::sync::Mutex<std::collections::BTreeMap<usize, Vec<WeakEntry>>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

fn weaklists() -> std::sync::MutexGuard<'static, std::collections::BTreeMap<usize, Vec<WeakEntry>>> {
    // A poisoned lock only means a panic elsewhere; the map itself is intact.
    WEAKLISTS.lock().unwrap_or_else(|e| e.into_inner())
}

thread_local! {
    /// The interpreter that runs weakref callbacks on this thread.
    static CALLBACK_VM: Cell<*const crate::Vm> = const { Cell::new(std::ptr::null()) };
}

/// Makes `vm` the interpreter that runs weakref callbacks on this thread.
/// Every thread that runs Python code must call this.
pub fn set_callback_vm(vm: &crate::Vm) {
    CALLBACK_VM.with(|c| c.set(vm as *const crate::Vm));
}

/// Forgets `vm` (it is being dropped): later callbacks on this thread are skipped.
pub fn unset_callback_vm(vm: &crate::Vm) {
    CALLBACK_VM.with(|c| {
        if std::ptr::eq(c.get(), vm) {
            c.set(std::ptr::null());
        }
    });
}

/// The weak pointer inside a weakref object: the referent's address, or 0
/// once the referent is gone. Invariant: while non-zero it is registered in
/// `WEAKLISTS` under that address, and `clear_weakrefs` zeroes it before the
/// referent's memory is released.
pub struct WeakPtr {
    target: Cell<usize>,
}

impl WeakPtr {
    pub const fn dead() -> WeakPtr {
        WeakPtr { target: Cell::new(0) }
    }

    /// Points this (dead) weak pointer at `referent` and registers it at
    /// position `index` of the referent's list (clamped). `self` must live in
    /// the payload of `owner`, at its final address.
    pub fn attach(&self, referent: &PyRef, owner: &PyRef, index: usize) {
        debug_assert_eq!(self.target.get(), 0);
        let entry = WeakEntry { owner: owner.id(), slot: self as *const WeakPtr as usize };
        {
            let mut map = weaklists();
            let list = map.entry(referent.id()).or_default();
            let i = index.min(list.len());
            list.insert(i, entry);
        }
        self.target.set(referent.id());
        referent.refcnt.set(referent.refcnt.get() | WEAK_FLAG);
    }

    /// A strong reference to the referent, if it is still alive.
    pub fn upgrade(&self) -> Option<PyRef> {
        let t = self.target.get();
        if t == 0 {
            return None;
        }
        // SAFETY: a non-zero target is registered and not yet freed (see the
        // type's invariant), so the memory is a valid object.
        let obj = unsafe { &*(t as *const PyObject) };
        if obj.refcnt.get() < ONE {
            // Count zero: queued for freeing; it must not come back.
            return None;
        }
        // SAFETY: the object is alive (count > 0).
        Some(unsafe { PyRef::from_borrowed(t as *const PyObject) })
    }

    /// The referent's address (its `id()`), 0 once dead.
    pub fn target_id(&self) -> usize {
        self.target.get()
    }
}

impl Drop for WeakPtr {
    fn drop(&mut self) {
        let t = self.target.get();
        if t == 0 {
            return;
        }
        let me = self as *const WeakPtr as usize;
        let mut map = weaklists();
        let mut now_empty = false;
        if let Some(list) = map.get_mut(&t) {
            list.retain(|e| e.slot != me);
            now_empty = list.is_empty();
        }
        if now_empty {
            map.remove(&t);
            // SAFETY: the target is registered, hence not freed (invariant).
            let obj = unsafe { &*(t as *const PyObject) };
            obj.refcnt.set(obj.refcnt.get() & !WEAK_FLAG);
        }
    }
}

/// The live weak references to `obj`, in list order (weakref objects whose
/// count already reached zero are skipped).
pub fn weakrefs_of(obj: &PyRef) -> Vec<PyRef> {
    if !obj.has_weakrefs() {
        return Vec::new();
    }
    let entries: Vec<WeakEntry> = weaklists().get(&obj.id()).cloned().unwrap_or_default();
    entries.iter().filter_map(|e| live_owner(e.owner)).collect()
}

/// A strong reference to a registered weakref object unless it is being freed.
fn live_owner(addr: usize) -> Option<PyRef> {
    // SAFETY: registered owners are allocated: their `WeakPtr` unregisters
    // itself when their payload is dropped.
    let o = unsafe { &*(addr as *const PyObject) };
    if o.refcnt.get() < ONE {
        return None;
    }
    // SAFETY: alive, as just checked.
    Some(unsafe { PyRef::from_borrowed(addr as *const PyObject) })
}

/// The cycle collector found `obj` unreachable: kill its weak references and
/// return those (alive and not garbage themselves, per `garbage` ids) whose
/// callbacks must run, in the order `run_callbacks` wants.
pub(crate) fn clear_weakrefs_of_garbage(obj: &PyRef, garbage: &std::collections::HashSet<usize>) -> Vec<PyRef> {
    let entries = weaklists().remove(&obj.id()).unwrap_or_default();
    obj.refcnt.set(obj.refcnt.get() & !WEAK_FLAG);
    let mut live = Vec::with_capacity(entries.len());
    for e in &entries {
        // SAFETY: the slot belongs to an allocated owner (see `live_owner`).
        unsafe { (*(e.slot as *const WeakPtr)).target.set(0) };
        if garbage.contains(&e.owner) {
            continue;
        }
        if let Some(w) = live_owner(e.owner) {
            live.push(w);
        }
    }
    live
}

/// The referent `obj` is being freed: kill its weak references, then run the
/// callbacks of those still alive (most recently created first).
fn clear_weakrefs(obj: &PyObject) {
    let entries = weaklists().remove(&(obj as *const PyObject as usize)).unwrap_or_default();
    obj.refcnt.set(obj.refcnt.get() & !WEAK_FLAG);
    let mut live = Vec::with_capacity(entries.len());
    for e in &entries {
        // SAFETY: the slot belongs to an allocated owner (see `live_owner`).
        unsafe { (*(e.slot as *const WeakPtr)).target.set(0) };
        if let Some(w) = live_owner(e.owner) {
            live.push(w);
        }
    }
    if live.is_empty() {
        return;
    }
    let vm = CALLBACK_VM.with(|c| c.get());
    if !vm.is_null() {
        // SAFETY: the pointer is set by a live VM and reset when it drops.
        crate::types::weakref::run_callbacks(unsafe { &*vm }, live);
    }
}

/// A reference that can be replaced while borrowed, for rarely changed fields
/// read on hot paths (a function's `__code__`). Reads are plain loads; a
/// replaced reference is retired into the cell, not dropped, so a `&PyRef`
/// obtained earlier still points at a live object for as long as the cell
/// lives (the `set_class` discipline).
pub struct SwapRef {
    cur: UnsafeCell<PyRef>,
    retired: std::cell::RefCell<Vec<PyRef>>,
}

impl SwapRef {
    pub fn new(r: PyRef) -> SwapRef {
        SwapRef { cur: UnsafeCell::new(r), retired: std::cell::RefCell::new(Vec::new()) }
    }

    /// Installs `r`; the previous reference is kept until the cell is dropped.
    pub fn replace(&self, r: PyRef) {
        // SAFETY: single-threaded under the GIL; the old reference is moved
        // into `retired` (never dropped while the cell lives), so an earlier
        // `&PyRef` from `deref` reads a still-valid reference.
        let old = unsafe { std::ptr::replace(self.cur.get(), r) };
        self.retired.borrow_mut().push(old);
    }
}

impl std::ops::Deref for SwapRef {
    type Target = PyRef;
    #[inline(always)]
    fn deref(&self) -> &PyRef {
        // SAFETY: see `replace`: the cell always holds a valid reference.
        unsafe { &*self.cur.get() }
    }
}

/// A mutable slot holding an optional value without a borrow flag: reads clone
/// the value out, writes swap it and drop the old value only after the slot is
/// consistent (a `__del__` run by that drop may read the slot again).
pub struct ValueCell(UnsafeCell<Option<Value>>);

impl ValueCell {
    pub const fn new(v: Option<Value>) -> ValueCell {
        ValueCell(UnsafeCell::new(v))
    }
    #[inline(always)]
    pub fn get(&self) -> Option<Value> {
        // SAFETY: single-threaded (GIL); cloning a Value only bumps a count and
        // cannot re-enter Python, so no write can interleave with this read.
        unsafe { (*self.0.get()).clone() }
    }
    #[inline(always)]
    pub fn is_set(&self) -> bool {
        // SAFETY: as in `get`.
        unsafe { (*self.0.get()).is_some() }
    }
    #[inline(always)]
    pub fn set(&self, v: Option<Value>) {
        // SAFETY: as in `get`; the old value is dropped after the swap completes.
        let old = unsafe { std::ptr::replace(self.0.get(), v) };
        drop(old);
    }
    #[inline(always)]
    pub fn replace(&self, v: Option<Value>) -> Option<Value> {
        // SAFETY: as in `get`.
        unsafe { std::ptr::replace(self.0.get(), v) }
    }
    pub fn take(&self) -> Option<Value> {
        self.replace(None)
    }
    /// The value, borrowed. Only for code that runs no Python code and drops
    /// no reference while it holds the borrow (the cycle collector's walk).
    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<&Value> {
        // SAFETY: as in `get`; the caller writes nothing while borrowing.
        unsafe { (*self.0.get()).as_ref() }
    }
}

impl Default for ValueCell {
    fn default() -> ValueCell {
        ValueCell::new(None)
    }
}

impl Clone for ValueCell {
    fn clone(&self) -> ValueCell {
        ValueCell::new(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_chain_frees_iteratively() {
        // A 1,000,000-deep chain of tuples; dropping the head must not overflow.
        let placeholder = PyRef::new_immortal_self_typed();
        let mut head = Value::None;
        for _ in 0..1_000_000 {
            head = PyRef::new(placeholder.clone(), Payload::Tuple(crate::tuple_items::TupleItems::boxed(vec![head].into_boxed_slice()))).into_value();
        }
        drop(head);
    }

    #[test]
    fn long_list_and_pair_chains_free_without_overflow() {
        // Nested frees recurse up to MAX_FREE_DEPTH, then queue: neither a
        // list chain nor a chain of pairs (reversed release) may overflow.
        let placeholder = PyRef::new_immortal_self_typed();
        let mut head = Value::None;
        for i in 0..500_000 {
            head = if i % 2 == 0 {
                PyRef::new(placeholder.clone(), Payload::List(std::cell::RefCell::new(vec![Value::Int(1), head].into())))
                    .into_value()
            } else {
                PyRef::new(placeholder.clone(), Payload::Tuple(crate::tuple_items::TupleItems::boxed(vec![head, Value::Int(2)].into_boxed_slice()))).into_value()
            };
        }
        drop(head);
        assert_eq!(FREE_DEPTH.with(|d| d.get()), 0);
        // SAFETY: test thread only; reading the length.
        assert!(PENDING.with(|p| unsafe { (*p.get()).is_empty() }));
    }

    #[test]
    fn finalized_flag_does_not_change_the_count() {
        let t = PyRef::new_immortal_self_typed();
        let obj = PyRef::new(t.clone(), Payload::None_);
        obj.refcnt.set(obj.refcnt.get() | FINALIZED_FLAG);
        assert_eq!(obj.refcount(), 1);
        let c = obj.clone();
        assert_eq!(obj.refcount(), 2);
        drop(c);
        assert_eq!(obj.refcount(), 1);
        // No VM on this thread: finalizing is a no-op, freeing still works.
        finalize_now(&obj);
        drop(obj);
    }

    #[test]
    fn weak_flag_keeps_true_count_and_clears_on_free() {
        let t = PyRef::new_immortal_self_typed();
        let obj = PyRef::new(t.clone(), Payload::None_);
        let owner = PyRef::new(t.clone(), Payload::None_);
        let wp = Box::new(WeakPtr::dead());
        wp.attach(&obj, &owner, 0);
        assert!(obj.has_weakrefs());
        assert_eq!(obj.refcount(), 1);
        let c = obj.clone();
        assert_eq!(obj.refcount(), 2);
        drop(c);
        assert_eq!(wp.upgrade().map(|r| r.id()), Some(obj.id()));
        assert_eq!(weakrefs_of(&obj).len(), 1);
        drop(obj);
        assert!(wp.upgrade().is_none());
        assert_eq!(wp.target_id(), 0);
    }

    #[test]
    fn dropping_the_weak_pointer_clears_the_flag() {
        let t = PyRef::new_immortal_self_typed();
        let obj = PyRef::new(t.clone(), Payload::None_);
        let owner = PyRef::new(t.clone(), Payload::None_);
        let wp = Box::new(WeakPtr::dead());
        wp.attach(&obj, &owner, 0);
        drop(wp);
        assert!(!obj.has_weakrefs());
        assert!(weakrefs_of(&obj).is_empty());
    }
}

impl PyRef {
    /// An immortal data-less object that is its own type: the bootstrap
    /// placeholder before `type` exists, and a stand-in type in unit tests.
    pub(crate) fn new_immortal_self_typed() -> PyRef {
        let r = Box::new(PyObject {
            refcnt: Cell::new(IMMORTAL),
            // SAFETY: immediately overwritten below before any use.
            typ: UnsafeCell::new(unsafe { std::mem::transmute::<usize, PyRef>(8usize) }),
            payload: Payload::None_,
        });
        let p = PyRef { ptr: NonNull::from(Box::leak(r)) };
        // SAFETY: replace the dangling placeholder with a self reference, leaking the old bits.
        unsafe { std::ptr::write((*p.ptr.as_ptr()).typ.get(), p.clone()) };
        p
    }
}
