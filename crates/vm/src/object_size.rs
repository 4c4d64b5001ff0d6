//! How many bytes an object really occupies, for `__sizeof__` and
//! `sys.getsizeof`: the one place that knows the allocation layout.
//!
//! An object's own size (what the builtin `__sizeof__` methods return, as
//! CPython's, which count no referenced object) is its `PyObject` (reference
//! count, type, payload), the `__slots__` cells allocated right after it
//! (`object_slots.rs`), an exact str's UTF-8 text and a tuple's items (also
//! after the object), and the out-of-line buffers its payload owns: a
//! list's item capacity, a str subclass instance's text, a dict's index and entry
//! arrays, a tuple's items, a big int's digits, the boxes of boxed payloads.
//! The cycle collector's header in front of GC objects is left out, as
//! CPython's `__sizeof__` leaves out `PyGC_Head`: `sys.getsizeof` adds it
//! ([`gc_header_size`]). Allocator overhead (malloc's size classes and
//! bookkeeping) is not counted, nor are caches built lazily inside private
//! state (a long non-ASCII str's index).
//!
//! Unboxed values (small ints, floats, bools, None) live in the 16-byte
//! `Value` that holds them; that is their size.

use crate::gc::list::GcHead;
use crate::object::PyObject;
use crate::payload::Payload;
use crate::value::Value;
use std::mem::{size_of, size_of_val};

/// The object's own size in bytes, without the GC header.
pub fn own_size(v: &Value) -> usize {
    match v {
        Value::Obj(o) => object_size(o),
        _ => size_of::<Value>(),
    }
}

/// A heap object's own size: header and payload, the inline slot cells, and
/// the buffers the payload owns.
pub fn object_size(obj: &PyObject) -> usize {
    size_of::<PyObject>() + payload_size(&obj.payload)
}

/// The collector's header in front of the object, if it has one (what
/// `sys.getsizeof` adds to `__sizeof__`, as CPython adds `PyGC_Head`).
pub fn gc_header_size(v: &Value) -> usize {
    match v {
        Value::Obj(o) if crate::gc::head(o).is_some() => size_of::<GcHead>(),
        _ => 0,
    }
}

fn boxed<T: ?Sized>(b: &T) -> usize {
    size_of_val(b)
}

fn vec_bytes<T>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>()
}

/// What a payload owns outside the `PyObject` (for an instance: also its
/// slot cells, which follow the object in the same allocation).
fn payload_size(p: &Payload) -> usize {
    match p {
        Payload::None_ | Payload::Float(_) | Payload::Cell(_) => 0,
        Payload::StaticMethod(_) | Payload::ClassMethod(_) | Payload::MappingProxy(_) => 0,
        Payload::NativeFunction { .. } | Payload::NativeMethod { .. } | Payload::GetSetDescr { .. } => 0,
        Payload::Int(i) => {
            // dashu keeps up to two words inline; longer numbers on the heap.
            let words = i.as_sign_words().1.len();
            if words > 2 {
                words * size_of_val(&i.as_sign_words().1[0])
            } else {
                0
            }
        }
        Payload::Complex(_) => 0,
        // Inline after an exact str, boxed for a subclass instance's base.
        Payload::Str(s) => s.byte_len(),
        Payload::Bytes(b) => boxed(&**b) + b.bytes.len(),
        Payload::ByteArray(b) => b.try_borrow().map_or(0, |v| v.capacity()),
        Payload::Tuple(t) => t.len() * size_of::<Value>(),
        Payload::List(l) => l.try_borrow().map_or(0, |v| v.allocated_bytes()),
        Payload::Dict(d) => boxed(&**d) + d.try_borrow().map_or(0, |t| t.heap_bytes()),
        Payload::Set(s) | Payload::FrozenSet(s) => {
            // One (key, hash) entry per table slot.
            boxed(&**s) + s.try_borrow().map_or(0, |t| t.capacity() * size_of::<(Option<Value>, i64)>())
        }
        Payload::Range(b) => boxed(&**b),
        Payload::Slice(_) => 0,
        Payload::Type(t) => {
            let mut n = boxed(&**t) + t.slot_names.capacity() * size_of::<crate::PyRef>();
            n += t.bases.try_borrow().map_or(0, |v| vec_bytes(&v));
            n += t.mro.try_borrow().map_or(0, |v| vec_bytes(&v));
            n += t.subclasses.try_borrow().map_or(0, |v| vec_bytes(&v));
            n += t.name.try_borrow().map_or(0, |s| s.capacity());
            n + t.qualname.try_borrow().map_or(0, |s| s.capacity())
        }
        Payload::Function(b) => boxed(&**b),
        Payload::BoundMethod(_) => 0,
        Payload::Module(b) => boxed(&**b),
        Payload::Code(c) => {
            let k = &c.code;
            boxed(&**c)
                + vec_bytes(&k.code)
                + vec_bytes(&k.positions)
                + vec_bytes(&k.exception_table)
                + size_of_val(&*c.consts)
                + size_of_val(&*c.names)
                + size_of_val(&*c.varnames)
                + size_of_val(&*c.cell_and_free)
                + size_of_val(&*c.attr_cache)
                + size_of_val(&*c.global_cache)
        }
        Payload::Instance(d) => {
            let cells = crate::object_slots::trailing_size(d.slots.len());
            cells + d.base.as_ref().map_or(0, |b| size_of::<Payload>() + payload_size(b))
        }
        Payload::Exception(b) => boxed(&**b),
        Payload::Generator(g) => {
            let frame = g.frame.try_borrow().ok().and_then(|f| f.as_ref().map(|f| boxed(&**f) + vec_bytes(&f.slots)));
            boxed(&**g) + frame.unwrap_or(0)
        }
        Payload::Property(b) => boxed(&**b),
        Payload::Super(b) => boxed(&**b),
        Payload::MemberDescr(b) => boxed(&**b),
        Payload::Iter(b) => boxed(&**b),
        Payload::Native(b) => boxed(&**b),
        Payload::DictView(b) => boxed(&**b),
        Payload::Traceback(b) => boxed(&**b),
        Payload::Frame(b) => boxed(&**b) + b.kept.try_borrow().map_or(0, |v| vec_bytes(&v)),
        Payload::Io(b) => boxed(&**b),
        Payload::WeakRef(b) => boxed(&**b),
    }
}
