//! The value stack's push and pop: the eval loop's most frequent operations,
//! written so that a value moves as its two machine words.

use crate::value::Value;

/// Pushes onto a frame's value stack. The frame reserved `stacksize` slots
/// when it was made, so the fast path is a compare and a store; the checked
/// fallback keeps a wrong stack-size estimate from ever being unsound.
#[inline(always)]
pub(crate) fn push_value(slots: &mut Vec<Value>, v: Value) {
    let len = slots.len();
    if len < slots.capacity() {
        // SAFETY: `len < capacity`, so the slot at `len` is allocated and
        // uninitialised; writing it and bumping the length keeps the Vec valid.
        // The value is written as its two words (`Value` is `repr(u64)`, 16
        // bytes; `MaybeUninit` carries a bool's padding bytes soundly): a
        // freshly made value then goes from registers straight into the
        // slot, instead of through a stack temporary whose 16-byte reload
        // stalls store forwarding.
        unsafe {
            let words: [std::mem::MaybeUninit<u64>; 2] = std::mem::transmute(v);
            let dst = slots.as_mut_ptr().add(len) as *mut std::mem::MaybeUninit<u64>;
            dst.write(words[0]);
            dst.add(1).write(words[1]);
            slots.set_len(len + 1);
        }
    } else {
        push_slow(slots, v);
    }
}

#[cold]
#[inline(never)]
fn push_slow(slots: &mut Vec<Value>, v: Value) {
    slots.push(v);
}

/// Pops the value stack (None if a malformed code object underflows it).
#[inline(always)]
pub(crate) fn pop_value(slots: &mut Vec<Value>) -> Value {
    let len = slots.len();
    if len == 0 {
        return Value::None;
    }
    // SAFETY: the slot at `len - 1` holds a value; shrinking the length first
    // transfers its ownership to us. Read as two words for the same reason
    // `push_value` writes two; volatile keeps LLVM from fusing them back into
    // one 16-byte load (which cannot be forwarded from two 8-byte stores).
    unsafe {
        slots.set_len(len - 1);
        let src = slots.as_ptr().add(len - 1) as *const std::mem::MaybeUninit<u64>;
        let words = [src.read_volatile(), src.add(1).read_volatile()];
        std::mem::transmute::<[std::mem::MaybeUninit<u64>; 2], Value>(words)
    }
}

/// `v.push(x)`, inlined: the eval loop's frame chain and frame stack grow on
/// every call, and `Vec::push` inside the loop was left as an out-of-line
/// call.
#[inline(always)]
pub(crate) fn push_inline<T>(v: &mut Vec<T>, x: T) {
    let len = v.len();
    if len < v.capacity() {
        // SAFETY: `len < capacity`: the slot at `len` is allocated and
        // uninitialised; writing it and bumping the length keeps `v` valid.
        unsafe {
            v.as_mut_ptr().add(len).write(x);
            v.set_len(len + 1);
        }
    } else {
        push_grow(v, x);
    }
}

#[cold]
#[inline(never)]
fn push_grow<T>(v: &mut Vec<T>, x: T) {
    v.push(x);
}
