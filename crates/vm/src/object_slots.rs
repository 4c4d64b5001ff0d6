//! `__slots__` storage: one 8-byte cell per slot, stored inline after the
//! instance object in the same allocation (see `PyRef::new_instance`).
//!
//! A cell holds a value boxed into one word (values elsewhere take two). The
//! layout is JavaScriptCore's: an object pointer is stored as it is, with the
//! high 16 bits zero, so tools that scan memory for pointers (valgrind's leak
//! checker, debuggers) see the reference; the other forms keep clear of it:
//!
//! | word                                        | meaning                            |
//! |---------------------------------------------|------------------------------------|
//! | high 16 bits `0x0000`, low 3 bits `000`     | an object pointer, owning one      |
//! |                                             | reference (objects are 8-aligned)  |
//! | high 16 bits `0x0000`, low 3 bits `001`     | a private box's pointer plus 1: an |
//! |                                             | int or float that fits no other    |
//! |                                             | form (wide ints, two NaN ranges)   |
//! | `0x02`, `0x0A`, `0x12`, `0x1A`              | unset, None, False, True           |
//! | high 16 bits `0x0001`                       | an int in [-2**47, 2**47), two's   |
//! |                                             | complement in the low 48 bits      |
//! | high 16 bits `0x0002` and above             | a float: its IEEE bits plus        |
//! |                                             | `2 << 48` (wrapping)               |
//!
//! Adding `2 << 48` moves every float whose high 16 bits are below `0xFFFE`
//! to `0x0002..=0xFFFF`, exactly and reversibly; the floats it would wrap into
//! the low range (high bits `0xFFFE`/`0xFFFF`: negative NaNs with a payload,
//! never made by arithmetic) go into a box, so every f64 bit pattern round-trips.
//! No word is 0, and user-space addresses fit in 48 bits on the 64-bit targets
//! krait supports.

use crate::object::{PyObject, PyRef};
use crate::payload::Payload;
use crate::value::Value;
use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

const TAG_SHIFT: u32 = 48;
const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;
/// The high 16 bits and the low 3 (alignment) bits: all zero for a pointer.
const PTR_CHECK: u64 = !PAYLOAD_MASK | 7;
const BOX_BIT: u64 = 1;
const INT_TAG: u64 = 1 << TAG_SHIFT;
/// Added to a float's bits; every encoded float is at least this.
const FLOAT_OFFSET: u64 = 2 << TAG_SHIFT;
const UNSET: u64 = 0x02;
const NONE: u64 = 0x0A;
const FALSE: u64 = 0x12;
const TRUE: u64 = 0x1A;
const INT_MIN: i64 = -(1 << 47);
const INT_MAX: i64 = (1 << 47) - 1;

// Objects (and so the boxes' low bit) need 8-byte alignment.
const _: () = assert!(std::mem::align_of::<PyObject>() >= 8);

thread_local! {
    /// The type of the private boxes: never seen by Python code, so any
    /// immortal object does. Never dropped: a thread's exit does not hold
    /// the GIL, and boxes made here may be freed by other threads.
    static BOX_TYPE: ManuallyDrop<PyRef> = {
        let t = PyRef::new_immortal_self_typed();
        crate::finalize::keep_for_process(&[&t]);
        ManuallyDrop::new(t)
    };
}

#[inline(always)]
fn is_ptr(bits: u64) -> bool {
    bits & PTR_CHECK == 0
}

#[inline(always)]
fn is_box(bits: u64) -> bool {
    bits & PTR_CHECK == BOX_BIT
}

#[cold]
#[inline(never)]
fn boxed(payload: Payload) -> u64 {
    let o = BOX_TYPE.with(|t| PyRef::new(PyRef::clone(t), payload));
    o.into_raw() as u64 | BOX_BIT
}

/// Packs a value, taking over its reference. Always inlined, as `decode`:
/// the attribute fast paths of the eval loop then keep the value in
/// registers (an out-of-line call returns it through memory, written in
/// pieces and reloaded whole, which stalls store forwarding).
#[inline(always)]
fn encode(v: Option<Value>) -> u64 {
    match v {
        None => UNSET,
        Some(Value::None) => NONE,
        Some(Value::Bool(false)) => FALSE,
        Some(Value::Bool(true)) => TRUE,
        Some(Value::Int(i)) if (INT_MIN..=INT_MAX).contains(&i) => INT_TAG | (i as u64 & PAYLOAD_MASK),
        Some(Value::Int(i)) => boxed(Payload::Int(i.into())),
        Some(Value::Float(f)) => {
            let e = f.to_bits().wrapping_add(FLOAT_OFFSET);
            if e >= FLOAT_OFFSET {
                e
            } else {
                boxed(Payload::Float(f))
            }
        }
        Some(Value::Obj(o)) => {
            let p = o.into_raw() as u64;
            debug_assert!(is_ptr(p), "object address beyond 48 bits or misaligned");
            p
        }
    }
}

#[inline(always)]
fn ptr_of(bits: u64) -> *const PyObject {
    (bits & !BOX_BIT) as *const PyObject
}

/// A borrowed view of the object a pointer (or box) word owns.
#[inline(always)]
fn borrow_obj(bits: u64) -> ManuallyDrop<PyRef> {
    // SAFETY: a pointer or box word owns a reference to a live object; the
    // ManuallyDrop view does not give it back.
    ManuallyDrop::new(unsafe { PyRef::from_raw(ptr_of(bits)) })
}

/// `Value`'s tags (`repr(u64)`, declaration order; checked by a test).
const TAG_NONE: u64 = 0;
const TAG_BOOL: u64 = 1;
const TAG_INT: u64 = 2;
const TAG_FLOAT: u64 = 3;
const TAG_OBJ: u64 = 4;

/// A value from its two words. Built this way rather than by naming a
/// variant so that no byte-sized store (a bool's payload) reaches the
/// value's memory: LLVM would then copy every value of the enclosing
/// `Option`/`Result` in odd-sized pieces whose whole-word reloads stall
/// store forwarding (see `value.rs`).
#[inline(always)]
fn from_words(tag: u64, payload: u64) -> Value {
    // SAFETY: `Value` is `repr(u64)`: the tag word, then the variant's field
    // at offset 8 (a bool's byte first, the rest padding). Callers pass one
    // of the tags above with a payload valid for it: 0/1 for a bool, any
    // bits for an int or a float, a pointer owning a reference for an object.
    unsafe { std::mem::transmute::<[u64; 2], Value>([tag, payload]) }
}

/// Unpacks a value, adding a reference (the cell keeps its own).
#[inline(always)]
fn decode(bits: u64) -> Option<Value> {
    if is_ptr(bits) {
        // The new value's reference.
        borrow_obj(bits).incref();
        Some(from_words(TAG_OBJ, bits))
    } else if bits >= FLOAT_OFFSET {
        Some(from_words(TAG_FLOAT, bits.wrapping_sub(FLOAT_OFFSET)))
    } else if bits >= INT_TAG {
        Some(from_words(TAG_INT, (((bits << 16) as i64) >> 16) as u64))
    } else if is_box(bits) {
        decode_box(bits)
    } else {
        match bits {
            NONE => Some(from_words(TAG_NONE, 0)),
            FALSE => Some(from_words(TAG_BOOL, 0)),
            TRUE => Some(from_words(TAG_BOOL, 1)),
            _ => None,
        }
    }
}

#[cold]
#[inline(never)]
fn decode_box(bits: u64) -> Option<Value> {
    let b = borrow_obj(bits);
    match &b.payload {
        Payload::Int(i) => Some(Value::Int(i64::try_from(i).unwrap_or(0))),
        Payload::Float(f) => Some(Value::Float(*f)),
        _ => None,
    }
}

/// Gives back the reference a word owns (if any).
#[inline(always)]
fn release(bits: u64) {
    if bits & PTR_CHECK <= BOX_BIT {
        // SAFETY: the word owned this reference; it is dropped exactly once.
        drop(unsafe { PyRef::from_raw(ptr_of(bits)) });
    }
}

/// One slot.
#[repr(transparent)]
pub struct SlotCell(Cell<u64>);

impl SlotCell {
    #[inline(always)]
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

    /// Stores `v`; the old value goes after the store is complete (as in
    /// `replace`), without being unpacked first.
    #[inline(always)]
    pub fn set(&self, v: Option<Value>) {
        release(self.0.replace(encode(v)));
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

    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            (Value::Int(x), Value::Int(y)) => x == y,
            _ => a.is(b),
        }
    }

    /// Float bit patterns at the edges of every range the encoding treats
    /// differently, and the special ones.
    fn edge_floats() -> Vec<u64> {
        let mut v = vec![
            0.0f64.to_bits(),
            (-0.0f64).to_bits(),
            1.0f64.to_bits(),
            (-1.5e300f64).to_bits(),
            f64::MAX.to_bits(),
            f64::MIN.to_bits(),
            f64::MIN_POSITIVE.to_bits(),
            f64::EPSILON.to_bits(),
            f64::INFINITY.to_bits(),
            f64::NEG_INFINITY.to_bits(),
            f64::NAN.to_bits(),
            (-f64::NAN).to_bits(),
            (0.0f64 / 0.0).to_bits(),
            1,                     // smallest subnormal
            0x000F_FFFF_FFFF_FFFF, // largest subnormal
            0x7FF0_0000_0000_0001, // signalling NaN
            0x7FF4_0000_0000_0000,
            0x7FFF_FFFF_FFFF_FFFF,
            0x8000_0000_0000_0001,
            0xFFF0_0000_0000_0001,
            0xFFF8_0000_0000_0000, // x86's default NaN
            0xFFF9_0000_0000_0000,
            0xFFFC_0000_0000_0000,
            0xFFFD_FFFF_FFFF_FFFF, // last pattern stored unboxed
            0xFFFE_0000_0000_0000, // first boxed pattern
            0xFFFE_1234_5678_9ABC,
            0xFFFF_0000_0000_0001,
            0xFFFF_FFFF_FFFF_FFFF, // last boxed pattern
        ];
        // Every value of the high 16 bits, with low bits 0, 1 and all ones.
        for hi in 0..=0xFFFFu64 {
            for lo in [0, 1, PAYLOAD_MASK] {
                v.push(hi << TAG_SHIFT | lo);
            }
        }
        v
    }

    #[test]
    fn every_float_form_round_trips_and_keeps_clear_of_the_others() {
        let cell = SlotCell(Cell::new(UNSET));
        for bits in edge_floats() {
            let f = f64::from_bits(bits);
            let w = encode(Some(Value::Float(f)));
            if bits >> TAG_SHIFT >= 0xFFFE {
                assert!(is_box(w), "{bits:#x} should be boxed");
            } else {
                assert!(w >= FLOAT_OFFSET, "{bits:#x} encodes into another form: {w:#x}");
            }
            match decode(w) {
                Some(Value::Float(g)) => assert_eq!(g.to_bits(), bits),
                _ => panic!("{bits:#x} did not come back as a float"),
            }
            release(w);
            // Through a cell too (replace hands back the old value).
            cell.set(Some(Value::Float(f)));
            match cell.replace(None) {
                Some(Value::Float(g)) => assert_eq!(g.to_bits(), bits),
                _ => panic!("{bits:#x} did not come back from a cell"),
            }
            assert!(!cell.is_set());
        }
    }

    #[test]
    fn words_match_the_value_layout() {
        assert!(matches!(from_words(TAG_NONE, 0), Value::None));
        assert!(matches!(from_words(TAG_BOOL, 0), Value::Bool(false)));
        assert!(matches!(from_words(TAG_BOOL, 1), Value::Bool(true)));
        assert!(matches!(from_words(TAG_INT, -5i64 as u64), Value::Int(-5)));
        assert!(matches!(from_words(TAG_FLOAT, 2.5f64.to_bits()), Value::Float(f) if f == 2.5));
        let t = PyRef::new_immortal_self_typed();
        let o = PyRef::new(t, Payload::None_);
        let p = o.clone().into_raw() as u64;
        match from_words(TAG_OBJ, p) {
            Value::Obj(back) => assert!(back.is(&o)),
            _ => panic!("object tag"),
        }
        assert_eq!(o.refcount(), 1);
    }

    #[test]
    fn ints_and_specials_round_trip() {
        let mut cases = vec![Value::None, Value::Bool(true), Value::Bool(false)];
        for i in [0, 1, -1, 7, 8, -8, INT_MAX, INT_MIN, INT_MAX + 1, INT_MIN - 1, i64::MAX, i64::MIN, 1 << 62, -(1 << 62)] {
            cases.push(Value::Int(i));
        }
        let cell = SlotCell(Cell::new(UNSET));
        assert!(cell.get().is_none());
        assert!(!cell.is_set());
        for v in cases {
            let w = encode(Some(v.clone()));
            assert!(w != 0 && w != UNSET);
            match &v {
                Value::Int(i) if (INT_MIN..=INT_MAX).contains(i) => assert_eq!(w >> TAG_SHIFT, 1),
                Value::Int(_) => assert!(is_box(w)),
                _ => assert!(w < 0x20 && !is_ptr(w) && !is_box(w)),
            }
            release(w);
            cell.set(Some(v.clone()));
            assert!(cell.is_set());
            assert!(same(&cell.get().unwrap(), &v));
            assert!(same(&cell.take().unwrap(), &v));
            assert!(cell.get().is_none());
        }
    }

    #[test]
    fn objects_are_stored_as_plain_pointers_owning_a_reference() {
        let t = PyRef::new_immortal_self_typed();
        let o = PyRef::new(t.clone(), Payload::None_);
        let cell = SlotCell(Cell::new(UNSET));
        cell.set(Some(Value::Obj(o.clone())));
        // The word is the object's address: memory scanners see the reference.
        assert_eq!(cell.0.get(), o.id() as u64);
        assert_eq!(o.refcount(), 2);
        assert!(cell.get().unwrap().is(&Value::Obj(o.clone())));
        assert_eq!(o.refcount(), 2);
        let old = cell.replace(Some(Value::Float(2.5)));
        assert!(old.unwrap().is(&Value::Obj(o.clone())));
        assert_eq!(o.refcount(), 1);
        cell.set(Some(Value::Obj(o.clone())));
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
        if is_ptr(b) {
            v.visit(&borrow_obj(b));
        } else if let Some(x) = decode(b) {
            v.visit_value(&x);
        }
    }
}

