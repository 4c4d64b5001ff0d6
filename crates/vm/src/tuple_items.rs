//! A tuple's items. A tuple made by the interpreter keeps its items in the
//! same allocation as the object, right after it (as CPython's `ob_item`),
//! so making and freeing a tuple is one allocator call each, not two. A
//! tuple payload made elsewhere (the builtin base of a tuple subclass, which
//! lives in its own box) owns a separate boxed slice instead.

use crate::value::Value;
use std::ptr::NonNull;

pub struct TupleItems {
    ptr: NonNull<Value>,
    len: usize,
    /// The items live after the object, in its allocation (freed with it).
    inline: bool,
}

impl TupleItems {
    /// Items in their own boxed slice.
    pub fn boxed(items: Box<[Value]>) -> TupleItems {
        let len = items.len();
        // SAFETY: Box::into_raw never returns null.
        let ptr = unsafe { NonNull::new_unchecked(Box::into_raw(items) as *mut Value) };
        TupleItems { ptr, len, inline: false }
    }

    /// Items already written at `ptr` (inside the object's allocation).
    ///
    /// # Safety
    /// `ptr` must point at `len` initialised values that live exactly as long
    /// as the object whose payload this becomes, in its allocation.
    pub(crate) unsafe fn inline(ptr: NonNull<Value>, len: usize) -> TupleItems {
        TupleItems { ptr, len, inline: true }
    }

    /// The items' storage, with the write permission it was made with (for
    /// `PyRef::recycle_tuple`, which alone may write through it).
    #[inline(always)]
    pub(crate) fn cells(&self) -> *mut Value {
        self.ptr.as_ptr()
    }

    /// Do the items live in the object's allocation?
    #[inline(always)]
    pub(crate) fn is_inline(&self) -> bool {
        self.inline
    }
}

impl std::ops::Deref for TupleItems {
    type Target = [Value];
    #[inline(always)]
    fn deref(&self) -> &[Value] {
        // SAFETY: `ptr` points at `len` initialised values owned by us.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl std::ops::DerefMut for TupleItems {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Value] {
        // SAFETY: as in `deref`; `&mut self` makes the access unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for TupleItems {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len);
        // SAFETY: the values are ours. Boxed items go with their box; inline
        // ones are dropped in place and their memory goes with the object
        // (`object::free_one`).
        unsafe {
            if self.inline {
                std::ptr::drop_in_place(slice);
            } else {
                drop(Box::from_raw(slice));
            }
        }
    }
}
