//! The collector's bookkeeping header and its intrusive lists.
//!
//! An object whose payload can hold references (a "GC object", see
//! [`super::is_gc_payload`]) is allocated as a [`GcBox`]: a two-word
//! [`GcHead`] in front of the `PyObject`, as CPython's `PyGC_Head`. A tracked
//! object is linked into one circular doubly linked list (a generation, the
//! permanent generation, or a collection's temporary list); `next` is 0 while
//! it is untracked.
//!
//! The low two bits of `next` say which list holds the object (the list's
//! tag: see [`GcList::with_tag`]); every `next` word of a list, the
//! sentinel's included, carries the same tag, so linking and unlinking copy
//! it along. A collection reads it to tell the objects it collects from the
//! others without a pass that marks them first. During a collection's graph
//! walk `prev` holds scratch data instead of the back link (the object's
//! reference count minus internal references, and flags; see `collect.rs`);
//! every object is linked into a list again before any Python code can run.

use crate::object::PyObject;
use std::cell::Cell;

/// The low bits of `next` that hold the list's tag.
pub(crate) const TAG_MASK: usize = 3;

#[repr(C)]
pub struct GcHead {
    /// The next header in the list (the list's sentinel after the last) with
    /// the list's tag in the low bits; 0 while untracked.
    pub(crate) next: Cell<usize>,
    /// The previous header; the scratch word during a collection's walk.
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
// Headers are aligned past the tag bits.
const _: () = assert!(std::mem::align_of::<GcHead>() > TAG_MASK);

impl GcHead {
    pub const fn untracked() -> GcHead {
        GcHead { next: Cell::new(0), prev: Cell::new(0) }
    }

    #[inline(always)]
    pub fn is_tracked(&self) -> bool {
        self.next.get() != 0
    }

    /// The next header, tag removed.
    #[inline(always)]
    pub(crate) fn next_ptr(&self) -> *mut GcHead {
        (self.next.get() & !TAG_MASK) as *mut GcHead
    }

    /// The tag of the list holding the object (0 if untracked).
    #[inline(always)]
    pub(crate) fn tag(&self) -> usize {
        self.next.get() & TAG_MASK
    }

    #[inline(always)]
    fn prev_ptr(&self) -> *mut GcHead {
        self.prev.get() as *mut GcHead
    }

    #[inline(always)]
    pub(crate) fn set_untracked(&self) {
        self.next.set(0);
        self.prev.set(0);
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

/// Asks the CPU to start loading the cache line at `p` (a hint: never
/// faults, whatever the address).
#[inline(always)]
pub(crate) fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it reads nothing the program can
    // observe and does not fault on any address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A list: a sentinel header whose `next`/`prev` point to itself when empty.
/// Boxed so the sentinel's address stays put.
pub struct GcList {
    sentinel: Box<GcHead>,
    tag: usize,
}

impl GcList {
    /// A list whose elements carry tag 0 (temporary lists, the permanent
    /// generation).
    pub fn new() -> GcList {
        GcList::with_tag(0)
    }

    /// A list whose elements carry `tag` (below 4) in their `next` word.
    pub fn with_tag(tag: usize) -> GcList {
        let l = GcList { sentinel: Box::new(GcHead::untracked()), tag: tag & TAG_MASK };
        l.forget_all();
        l
    }

    #[inline(always)]
    pub fn head(&self) -> *mut GcHead {
        &*self.sentinel as *const GcHead as *mut GcHead
    }

    #[inline(always)]
    pub fn first(&self) -> *mut GcHead {
        self.sentinel.next_ptr()
    }

    pub fn is_empty(&self) -> bool {
        self.first() == self.head()
    }

    /// Links the untracked (or relinked by a collection) object header `h`
    /// at the end.
    ///
    /// # Safety
    /// `h` must be a live GC object's header that no list reaches any more.
    #[inline(always)]
    pub unsafe fn append(&self, h: *mut GcHead) {
        let s = self.head();
        // SAFETY: the sentinel and the current last element are valid headers
        // (list invariant); `h` is valid per the caller. The last element's
        // `next` carries this list's tag, as `h`'s will.
        unsafe {
            let last = self.sentinel.prev_ptr();
            (*h).prev.set(last as usize);
            (*h).next.set(s as usize | self.tag);
            (*last).next.set(h as usize | self.tag);
        }
        self.sentinel.prev.set(h as usize);
    }

    /// Moves every element of `self` to the end of `to`, giving them `to`'s
    /// tag (a walk over `self`).
    pub fn move_all_to(&self, to: &GcList) {
        if self.tag != to.tag {
            let s = self.head();
            let mut h = self.first();
            while h != s {
                // SAFETY: every element is a valid header (list invariant).
                unsafe {
                    let next = (*h).next_ptr();
                    (*h).next.set(next as usize | to.tag);
                    h = next;
                }
            }
            self.sentinel.next.set(self.sentinel.next_ptr() as usize | to.tag);
        }
        self.splice_into(to);
    }

    /// Moves every element of `self` to the end of `to` keeping their tags
    /// (a collection's working list, whose elements come from several
    /// generations; O(1)).
    pub fn splice_into(&self, to: &GcList) {
        if self.is_empty() {
            return;
        }
        let first = self.first();
        let last = self.sentinel.prev_ptr();
        let t = to.head();
        // SAFETY: all pointers are valid headers of the two lists (invariant).
        unsafe {
            let to_last = (*t).prev_ptr();
            (*to_last).next.set(first as usize | (*to_last).tag());
            (*first).prev.set(to_last as usize);
            (*last).next.set(t as usize | (*last).tag());
            (*t).prev.set(last as usize);
        }
        self.forget_all();
    }

    /// The headers in list order.
    pub fn to_vec(&self) -> Vec<*mut GcHead> {
        let mut out = Vec::new();
        let s = self.head();
        let mut h = self.first();
        while h != s {
            out.push(h);
            // SAFETY: every element is a valid header (list invariant).
            h = unsafe { (*h).next_ptr() };
        }
        out
    }

    pub fn len(&self) -> usize {
        let s = self.head();
        let mut n = 0;
        let mut h = self.first();
        while h != s {
            n += 1;
            // SAFETY: as in `to_vec`.
            h = unsafe { (*h).next_ptr() };
        }
        n
    }

    /// Empties the list without touching the elements (whose links are then
    /// stale: the caller relinks every one of them).
    pub fn forget_all(&self) {
        let s = self.head();
        self.sentinel.next.set(s as usize | self.tag);
        self.sentinel.prev.set(s as usize);
    }

    /// Unlinks every element, leaving them untracked (an interpreter is going
    /// away while objects it tracked live on).
    pub fn untrack_all(&self) {
        for h in self.to_vec() {
            // SAFETY: elements are valid headers.
            unsafe { (*h).set_untracked() };
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
    // SAFETY: neighbours of a linked element are valid headers. The previous
    // element is in the same list, so `h`'s tagged `next` word is what its
    // own must become.
    unsafe {
        let prev = (*h).prev_ptr();
        let next = (*h).next_ptr();
        (*prev).next.set((*h).next.get());
        (*next).prev.set(prev as usize);
        (*h).set_untracked();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::{PyRef, ValueCell};
    use crate::payload::Payload;

    /// GC objects made with no collector installed (so untracked).
    fn objects(n: usize) -> Vec<PyRef> {
        let t = PyRef::new_immortal_self_typed();
        // Immortal, so never freed: kept reachable for leak checkers.
        crate::finalize::keep_for_process(&[&t]);
        (0..n).map(|_| PyRef::new(t.clone(), Payload::Cell(ValueCell::new(None)))).collect()
    }

    fn heads(objs: &[PyRef]) -> Vec<*mut GcHead> {
        // SAFETY: cells are GC objects.
        objs.iter().map(|o| unsafe { head_of(o.as_ptr()) }).collect()
    }

    /// The list's elements, checking its invariants: back links, and the
    /// list's tag on every `next` word (the sentinel's too).
    fn check(l: &GcList) -> Vec<*mut GcHead> {
        let s = l.head();
        let mut prev = s;
        let mut h = l.first();
        let mut out = Vec::new();
        // SAFETY: the test's lists hold live headers.
        unsafe {
            assert_eq!((*s).tag(), l.tag);
            while h != s {
                assert_eq!((*h).prev.get(), prev as usize);
                assert_eq!((*h).tag(), l.tag);
                out.push(h);
                prev = h;
                h = (*h).next_ptr();
            }
            assert_eq!((*s).prev.get(), prev as usize);
        }
        assert_eq!(out.len(), l.len());
        out
    }

    #[test]
    fn tags_follow_links_and_moves() {
        let objs = objects(6);
        let hs = heads(&objs);
        let a = GcList::with_tag(3);
        let b = GcList::with_tag(1);
        let c = GcList::new();
        // SAFETY (all blocks): live, untracked headers, linked once each.
        unsafe {
            for &h in &hs[..4] {
                assert!(!(*h).is_tracked());
                a.append(h);
            }
            b.append(hs[4]);
            b.append(hs[5]);
        }
        assert_eq!(check(&a), hs[..4].to_vec());
        // Unlinking the first, a middle and the last element.
        unsafe {
            unlink(hs[0]);
            unlink(hs[2]);
            unlink(hs[3]);
            assert!(!(*hs[2]).is_tracked());
            assert_eq!((*hs[2]).tag(), 0);
        }
        assert_eq!(check(&a), vec![hs[1]]);
        unsafe {
            a.append(hs[0]);
            a.append(hs[2]);
        }
        // A move retags; a splice keeps each element's own tag.
        a.move_all_to(&b);
        assert!(a.is_empty());
        check(&a);
        assert_eq!(check(&b), vec![hs[4], hs[5], hs[1], hs[0], hs[2]]);
        b.splice_into(&c);
        unsafe {
            assert!(hs.iter().filter(|&&h| h != hs[3]).all(|&h| (*h).tag() == 1));
            assert_eq!((*c.head()).tag(), 0);
        }
        assert_eq!(c.len(), 5);
        c.untrack_all();
        unsafe { assert!(hs.iter().all(|&h| !(*h).is_tracked())) };
        assert!(c.is_empty());
    }
}
