//! The global allocator: mimalloc, called the way its fast paths expect.
//!
//! The `mimalloc` crate's wrapper passes every request to `mi_malloc_aligned`.
//! In mimalloc 3 that call only takes the fast path while the current page of
//! the size class has a free block; when the page runs out it falls back to
//! over-allocating `size + align - 1` bytes for any size that is not a power
//! of two, and from then on that size lives in the next size class up (an
//! 80-byte object took 96 bytes, a 112-byte one 128). Every block mimalloc
//! hands out is at least 8-aligned (block sizes are multiples of 8), so
//! requests that need no more than that go to plain `mi_malloc`.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use libmimalloc_sys as mi;

/// The alignment every mimalloc block has without asking.
const NATURAL_ALIGN: usize = 8;

pub struct Mimalloc;

// SAFETY: each method forwards to the mimalloc function with the same
// contract (a block of at least `size` bytes with the requested alignment,
// freed by `mi_free`); plain `mi_malloc`/`mi_zalloc`/`mi_realloc` are used
// only where their guaranteed alignment satisfies the layout.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl comment.
        unsafe {
            if layout.align() <= NATURAL_ALIGN {
                mi::mi_malloc(layout.size()) as *mut u8
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl comment.
        unsafe {
            if layout.align() <= NATURAL_ALIGN {
                mi::mi_zalloc(layout.size()) as *mut u8
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator.
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe {
            if layout.align() <= NATURAL_ALIGN {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}
