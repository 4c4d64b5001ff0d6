//! `__slots__` storage: one 8-byte cell per slot, stored inline after the
//! instance object in the same allocation (see `PyRef::new_instance`).
//!
//! A cell holds a value NaN-boxed into one word (values elsewhere take two):
//!
//! | bits 63..48       | meaning                                            |
//! |-------------------|----------------------------------------------------|
//! | below `0xFFF9`    | a float, its IEEE bits as they are                 |
//! | `0xFFF9`          | an object pointer (48 bits), owning one reference  |
//! | `0xFFFA`          | an int in [-2**47, 2**47), two's complement        |
//! | `0xFFFB`          | unset (0), None (1), False (2), True (3)           |
//! | `0xFFFC`          | a private box owning an int or float that does not |
//! |                   | fit the forms above (wide ints, some NaNs)         |
//!
//! User-space addresses fit in 48 bits on the 64-bit targets krait supports.

use crate::object::{PyObject, PyRef};
use crate::payload::Payload;
use crate::value::Value;
use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

const TAG_SHIFT: u32 = 48;
const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;
const TAG_PTR: u64 = 0xFFF9;
const TAG_INT: u64 = 0xFFFA;
const TAG_SPECIAL: u64 = 0xFFFB;
const TAG_BOX: u64 = 0xFFFC;
const UNSET: u64 = TAG_SPECIAL << TAG_SHIFT;
const NONE: u64 = UNSET | 1;
const FALSE: u64 = UNSET | 2;
const TRUE: u64 = UNSET | 3;
const INT_MIN: i64 = -(1 << 47);
const INT_MAX: i64 = (1 << 47) - 1;

thread_local! {
    /// The type of the private boxes: never seen by Python code, so any
    /// immortal object does.
    static BOX_TYPE: PyRef = PyRef::new_immortal_self_typed();
}

#[inline(always)]
fn tag(bits: u64) -> u64 {
    bits >> TAG_SHIFT
}

fn boxed(payload: Payload) -> u64 {
    let o = BOX_TYPE.with(|t| PyRef::new(t.clone(), payload));
    TAG_BOX << TAG_SHIFT | o.into_raw() as u64
}

/// Packs a value, taking over its reference.
#[inline]
fn encode(v: Option<Value>) -> u64 {
    match v {
        None => UNSET,
        Some(Value::None) => NONE,
        Some(Value::Bool(false)) => FALSE,
        Some(Value::Bool(true)) => TRUE,
        Some(Value::Int(i)) if (INT_MIN..=INT_MAX).contains(&i) => TAG_INT << TAG_SHIFT | (i as u64 & PAYLOAD_MASK),
        Some(Value::Int(i)) => boxed(Payload::Int(i.into())),
        Some(Value::Float(f)) => {
            let b = f.to_bits();
            if tag(b) < TAG_PTR {
                b
            } else {
                boxed(Payload::Float(f))
            }
        }
        Some(Value::Obj(o)) => {
            let p = o.into_raw() as u64;
            debug_assert_eq!(p >> TAG_SHIFT, 0, "object address beyond 48 bits");
            TAG_PTR << TAG_SHIFT | p
        }
    }
}

#[inline(always)]
fn ptr_of(bits: u64) -> *const PyObject {
    (bits & PAYLOAD_MASK) as *const PyObject
}

/// A borrowed view of the object a pointer-tagged word owns.
#[inline(always)]
fn borrow_obj(bits: u64) -> ManuallyDrop<PyRef> {
    // SAFETY: a pointer-tagged word owns a reference to a live object; the
    // ManuallyDrop view does not give it back.
    ManuallyDrop::new(unsafe { PyRef::from_raw(ptr_of(bits)) })
}

/// Unpacks a value, adding a reference (the cell keeps its own).
#[inline]
fn decode(bits: u64) -> Option<Value> {
    match tag(bits) {
        TAG_PTR => Some(Value::Obj((*borrow_obj(bits)).clone())),
        TAG_INT => Some(Value::Int(((bits << 16) as i64) >> 16)),
        TAG_SPECIAL => match bits {
            NONE => Some(Value::None),
            FALSE => Some(Value::Bool(false)),
            TRUE => Some(Value::Bool(true)),
            _ => None,
        },
        TAG_BOX => {
            let b = borrow_obj(bits);
            match &b.payload {
                Payload::Int(i) => Some(Value::Int(i64::try_from(i).unwrap_or(0))),
                Payload::Float(f) => Some(Value::Float(*f)),
                _ => None,
            }
        }
        _ => Some(Value::Float(f64::from_bits(bits))),
    }
}

/// Gives back the reference a word owns (if any).
#[inline]
fn release(bits: u64) {
    if matches!(tag(bits), TAG_PTR | TAG_BOX) {
        // SAFETY: the word owned this reference; it is dropped exactly once.
        drop(unsafe { PyRef::from_raw(ptr_of(bits)) });
    }
}

/// One slot.
#[repr(transparent)]
pub struct SlotCell(Cell<u64>);

impl SlotCell {
    #[inline]
    pub fn get(&self) -> Option<Value> {
        decode(self.0.get())
    }

    #[inline]
    pub fn is_set(&self) -> bool {
        self.0.get() != UNSET
    }

    /// Stores `v`, returning the old value (dropped by the caller after the
    /// store is complete: its drop may run `__del__`, which may read the slot).
    #[inline]
    pub fn replace(&self, v: Option<Value>) -> Option<Value> {
        let old = self.0.replace(encode(v));
        let out = decode(old);
        release(old);
        out
    }

    #[inline]
    pub fn set(&self, v: Option<Value>) {
        drop(self.replace(v));
    }

    pub fn take(&self) -> Option<Value> {
        self.replace(None)
    }
}

/// The slots of an instance: a pointer to the cells trailing the object.
pub struct SlotArray {
    cells: NonNull<SlotCell>,
    len: usize,
}

impl SlotArray {
    pub const fn empty() -> SlotArray {
        SlotArray { cells: NonNull::dangling(), len: 0 }
    }

    /// # Safety
    /// `cells` must point to `len` initialised cells that live exactly as
    /// long as this array (the trailing part of the same allocation).
    pub(crate) unsafe fn from_raw(cells: NonNull<SlotCell>, len: usize) -> SlotArray {
        SlotArray { cells, len }
    }

    /// Writes `len` unset cells at `p`.
    ///
    /// # Safety
    /// `p` must be valid for writing `len` cells.
    pub(crate) unsafe fn init_cells(p: *mut SlotCell, len: usize) {
        for i in 0..len {
            // SAFETY: in bounds per the caller.
            unsafe { p.add(i).write(SlotCell(Cell::new(UNSET))) };
        }
    }

    #[inline(always)]
    fn as_slice(&self) -> &[SlotCell] {
        // SAFETY: `cells` points to `len` initialised cells (constructor
        // contract); a dangling pointer with len 0 is a valid empty slice.
        unsafe { std::slice::from_raw_parts(self.cells.as_ptr(), self.len) }
    }
}

impl std::ops::Deref for SlotArray {
    type Target = [SlotCell];
    #[inline(always)]
    fn deref(&self) -> &[SlotCell] {
        self.as_slice()
    }
}

impl Drop for SlotArray {
    fn drop(&mut self) {
        // The cells live on (they are raw memory of the allocation); their
        // references go now, first index first as CPython's slot release.
        for c in self.as_slice() {
            c.set(None);
        }
    }
}

/// Bytes the slots of an instance of `nslots` slots take after the object.
pub(crate) fn trailing_size(nslots: usize) -> usize {
    nslots * std::mem::size_of::<SlotCell>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cases = [
            Value::None,
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0),
            Value::Int(-1),
            Value::Int(INT_MAX),
            Value::Int(INT_MIN),
            Value::Int(i64::MAX),
            Value::Int(i64::MIN),
            Value::Float(0.0),
            Value::Float(-0.0),
            Value::Float(1.5e300),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(f64::NAN),
            Value::Float(f64::from_bits(0xFFFF_0000_0000_0001)),
        ];
        let cell = SlotCell(Cell::new(UNSET));
        assert!(cell.get().is_none());
        for v in cases {
            cell.set(Some(v.clone()));
            let back = cell.get().unwrap();
            assert!(back.is(&v) || matches!((&back, &v), (Value::Float(a), Value::Float(b)) if a.to_bits() == b.to_bits()));
        }
        let t = PyRef::new_immortal_self_typed();
        let o = PyRef::new(t.clone(), Payload::None_);
        cell.set(Some(Value::Obj(o.clone())));
        assert_eq!(o.refcount(), 2);
        assert!(cell.get().unwrap().is(&Value::Obj(o.clone())));
        cell.set(None);
        assert_eq!(o.refcount(), 1);
    }
}

impl SlotCell {
    /// Reports the slot's value to a collector visitor: the object it owns,
    /// or the unboxed value (for `gc.get_referents`).
    #[inline]
    pub(crate) fn visit<V: crate::gc::Visitor>(&self, v: &mut V) {
        let b = self.0.get();
        match tag(b) {
            TAG_PTR => v.visit(&borrow_obj(b)),
            _ => {
                if let Some(x) = decode(b) {
                    v.visit_value(&x);
                }
            }
        }
    }
}

