//! The collector's bookkeeping header and its intrusive lists.
//!
//! An object whose payload can hold references (a "GC object", see
//! [`super::is_gc_payload`]) is allocated as a [`GcBox`]: a two-word
//! [`GcHead`] in front of the `PyObject`, as CPython's `PyGC_Head`. A tracked
//! object is linked into one circular doubly linked list (a generation, the
//! permanent generation, or a collection's working list); `next` is null while
//! it is untracked. During a collection's graph walk the objects being
//! collected are unlinked into a vector and `prev` holds scratch data instead
//! (their reference count minus internal references, and two flags); they
//! are linked into lists again before any Python code can run.

use crate::object::PyObject;
use std::cell::Cell;
use std::ptr;

#[repr(C)]
pub struct GcHead {
    /// The next object in the list (the list's sentinel after the last);
    /// null while untracked.
    pub(crate) next: Cell<*mut GcHead>,
    /// The previous object; the scratch word during a collection's walk.
    pub(crate) prev: Cell<usize>,
}

/// The allocation of a GC object: header, then the object. `PyRef`s point at
/// `obj`; the header sits right before it.
#[repr(C)]
pub(crate) struct GcBox {
    pub head: GcHead,
    pub obj: PyObject,
}

const _: () = assert!(std::mem::offset_of!(GcBox, obj) == std::mem::size_of::<GcHead>());

impl GcHead {
    pub const fn untracked() -> GcHead {
        GcHead { next: Cell::new(ptr::null_mut()), prev: Cell::new(0) }
    }

    #[inline(always)]
    pub fn is_tracked(&self) -> bool {
        !self.next.get().is_null()
    }

    #[inline(always)]
    fn prev_ptr(&self) -> *mut GcHead {
        self.prev.get() as *mut GcHead
    }
}

/// The header of a GC object.
///
/// # Safety
/// `obj` must be a GC object (allocated as a [`GcBox`]).
#[inline(always)]
pub(crate) unsafe fn head_of(obj: *const PyObject) -> *mut GcHead {
    // SAFETY: the object is the `obj` field of a GcBox, which starts with its
    // header (checked by the const assertion above).
    unsafe { (obj as *mut u8).sub(std::mem::size_of::<GcHead>()) as *mut GcHead }
}

/// The object behind a header.
///
/// # Safety
/// `h` must be the header of a GcBox (not a list sentinel).
#[inline(always)]
pub(crate) unsafe fn object_of(h: *mut GcHead) -> *const PyObject {
    // SAFETY: see `head_of`.
    unsafe { (h as *mut u8).add(std::mem::size_of::<GcHead>()) as *const PyObject }
}

/// A list: a sentinel header whose `next`/`prev` point to itself when empty.
/// Boxed so the sentinel's address stays put.
pub struct GcList {
    sentinel: Box<GcHead>,
}

impl GcList {
    pub fn new() -> GcList {
        let l = GcList { sentinel: Box::new(GcHead::untracked()) };
        let s = l.head();
        l.sentinel.next.set(s);
        l.sentinel.prev.set(s as usize);
        l
    }

    #[inline(always)]
    pub fn head(&self) -> *mut GcHead {
        &*self.sentinel as *const GcHead as *mut GcHead
    }

    pub fn is_empty(&self) -> bool {
        self.sentinel.next.get() == self.head()
    }

    /// Links the untracked object header `h` at the end.
    ///
    /// # Safety
    /// `h` must be a live, untracked GC object's header.
    #[inline(always)]
    pub unsafe fn append(&self, h: *mut GcHead) {
        let s = self.head();
        // SAFETY: the sentinel and the current last element are valid headers
        // (list invariant); `h` is valid per the caller.
        unsafe {
            let last = self.sentinel.prev_ptr();
            (*h).prev.set(last as usize);
            (*h).next.set(s);
            (*last).next.set(h);
        }
        self.sentinel.prev.set(h as usize);
    }

    /// Moves every element of `self` to the end of `to`.
    pub fn move_all_to(&self, to: &GcList) {
        if self.is_empty() {
            return;
        }
        let first = self.sentinel.next.get();
        let last = self.sentinel.prev_ptr();
        let t = to.head();
        // SAFETY: all pointers are valid headers of the two lists (invariant).
        unsafe {
            let to_last = (*t).prev_ptr();
            (*to_last).next.set(first);
            (*first).prev.set(to_last as usize);
            (*last).next.set(t);
            (*t).prev.set(last as usize);
        }
        let s = self.head();
        self.sentinel.next.set(s);
        self.sentinel.prev.set(s as usize);
    }

    /// The headers in list order.
    pub fn to_vec(&self) -> Vec<*mut GcHead> {
        let mut out = Vec::new();
        let s = self.head();
        let mut h = self.sentinel.next.get();
        while h != s {
            out.push(h);
            // SAFETY: every element is a valid header (list invariant).
            h = unsafe { (*h).next.get() };
        }
        out
    }

    pub fn len(&self) -> usize {
        let s = self.head();
        let mut n = 0;
        let mut h = self.sentinel.next.get();
        while h != s {
            n += 1;
            // SAFETY: as in `to_vec`.
            h = unsafe { (*h).next.get() };
        }
        n
    }

    /// Empties the list without touching the elements (whose links are then
    /// stale: the caller relinks every one of them).
    pub fn forget_all(&self) {
        let s = self.head();
        self.sentinel.next.set(s);
        self.sentinel.prev.set(s as usize);
    }

    /// Unlinks every element, leaving them untracked (an interpreter is going
    /// away while objects it tracked live on).
    pub fn untrack_all(&self) {
        for h in self.to_vec() {
            // SAFETY: elements are valid headers.
            unsafe {
                (*h).next.set(ptr::null_mut());
                (*h).prev.set(0);
            }
        }
        self.forget_all();
    }
}

impl Default for GcList {
    fn default() -> Self {
        GcList::new()
    }
}

/// Unlinks a tracked header from whatever list holds it.
///
/// # Safety
/// `h` must be a tracked GC object's header with valid links.
#[inline(always)]
pub unsafe fn unlink(h: *mut GcHead) {
    // SAFETY: neighbours of a linked element are valid headers.
    unsafe {
        let prev = (*h).prev_ptr();
        let next = (*h).next.get();
        (*prev).next.set(next);
        (*next).prev.set(prev as usize);
        (*h).next.set(ptr::null_mut());
        (*h).prev.set(0);
    }
}
