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

use crate::payload::Payload;
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};
use std::ptr::NonNull;

/// Reference count given to objects that must never be freed (builtin types,
/// singletons). Decrements never reach zero from here in practice.
const IMMORTAL: usize = usize::MAX / 2;

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
    pub fn new(typ: PyRef, payload: Payload) -> PyRef {
        let obj = Box::new(PyObject { refcnt: Cell::new(1), typ: UnsafeCell::new(typ), payload });
        // SAFETY: Box::into_raw never returns null.
        PyRef { ptr: unsafe { NonNull::new_unchecked(Box::into_raw(obj)) } }
    }

    /// Allocates an object that is never freed (builtin types and singletons).
    pub fn new_immortal(typ: PyRef, payload: Payload) -> PyRef {
        let r = PyRef::new(typ, payload);
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

    #[inline(always)]
    pub fn refcount(&self) -> usize {
        self.refcnt.get()
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
        r.refcnt.set(r.refcnt.get() + 1);
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
        rc.set(rc.get() + 1);
    }
}

impl Clone for PyRef {
    #[inline(always)]
    fn clone(&self) -> PyRef {
        let rc = &self.refcnt;
        rc.set(rc.get() + 1);
        PyRef { ptr: self.ptr }
    }
}

impl Drop for PyRef {
    #[inline(always)]
    fn drop(&mut self) {
        let rc = &self.refcnt;
        let n = rc.get() - 1;
        rc.set(n);
        if n == 0 {
            dealloc(self.ptr);
        }
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

thread_local! {
    /// True while an object is being freed on this thread.
    static FREEING: Cell<bool> = const { Cell::new(false) };
    /// Objects whose count reached zero while another was being freed.
    static PENDING: UnsafeCell<Vec<NonNull<PyObject>>> = const { UnsafeCell::new(Vec::new()) };
    /// Finalizer hook installed by the VM (runs `__del__`); None until the VM starts.
    static FINALIZER: Cell<Option<fn(&PyRef) -> bool>> = const { Cell::new(None) };
}

/// Installs the function that runs `__del__` before an object is freed. It gets a
/// temporary reference (count 1) and returns false if the object was resurrected.
pub fn set_finalizer(f: fn(&PyRef) -> bool) {
    FINALIZER.with(|c| c.set(Some(f)));
}

#[cold]
fn dealloc(ptr: NonNull<PyObject>) {
    if FREEING.with(|f| f.replace(true)) {
        // SAFETY: PENDING is only touched on this thread, never re-entrantly
        // (pushing and popping do not run Python code).
        PENDING.with(|p| unsafe { (*p.get()).push(ptr) });
        return;
    }
    free_one(ptr);
    loop {
        // SAFETY: as above.
        let next = PENDING.with(|p| unsafe { (*p.get()).pop() });
        match next {
            Some(p) => free_one(p),
            None => break,
        }
    }
    FREEING.with(|f| f.set(false));
}

fn free_one(ptr: NonNull<PyObject>) {
    if let Some(fin) = FINALIZER.with(|c| c.get()) {
        // SAFETY: the object is alive (count 0, not yet freed). We lend it a
        // count of 1 for the finalizer; if it comes back above 1 the object was
        // resurrected and must not be freed.
        let obj = unsafe { ptr.as_ref() };
        if obj.payload.may_have_finalizer() {
            obj.refcnt.set(1);
            let tmp = PyRef { ptr };
            let keep_freeing = fin(&tmp);
            let rc = tmp.refcnt.get();
            std::mem::forget(tmp);
            if !keep_freeing || rc > 1 {
                obj.refcnt.set(rc - 1);
                return;
            }
            obj.refcnt.set(0);
        }
    }
    // SAFETY: the count reached zero and the finalizer did not resurrect the
    // object, so this is the last reference; the memory came from Box::new.
    // Dropping the payload may release children: those are queued (FREEING is
    // set), not freed recursively.
    unsafe { drop(Box::from_raw(ptr.as_ptr())) };
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
            head = PyRef::new(placeholder.clone(), Payload::Tuple(vec![head].into_boxed_slice())).into_value();
        }
        drop(head);
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
