//! Per-payload `traverse` (visit the owned references) and `clear` (drop
//! the references that can be part of a cycle), CPython's `tp_traverse` and
//! `tp_clear`. See `visit.rs` for the rules a traverse function must keep.

use super::Visitor;
use crate::eval::frame::Frame;
use crate::object::{PyObject, PyRef, ValueCell};
use crate::payload::Payload;
use crate::types::iter::IterState;
use crate::value::Value;

/// Can objects with this payload hold references (and so need a GC header)?
/// Decided when the object is made and must not change for its lifetime.
#[inline]
pub fn is_gc_payload(p: &Payload) -> bool {
    match p {
        Payload::None_
        | Payload::Int(_)
        | Payload::Float(_)
        | Payload::Complex(_)
        | Payload::Str(_)
        | Payload::Bytes(_)
        | Payload::ByteArray(_)
        | Payload::Range(_)
        | Payload::Slice(_)
        | Payload::Code(_) => false,
        Payload::NativeFunction { self_, .. } => self_.is_some(),
        Payload::Native(n) => n.is_gc(),
        _ => true,
    }
}

/// Is a new object with this payload tracked from birth? Dicts start
/// untracked and are tracked when a value that may be tracked is stored
/// (CPython's `MAINTAIN_TRACKING`); the empty tuple holds nothing.
#[inline]
pub fn tracked_at_birth(p: &Payload) -> bool {
    match p {
        Payload::Dict(_) => false,
        Payload::Tuple(t) => !t.is_empty(),
        _ => true,
    }
}

#[inline(always)]
fn cell<V: Visitor>(v: &mut V, c: &ValueCell) {
    if let Some(x) = c.peek() {
        v.visit_value(x);
    }
}

/// How many items ahead `values` asks the CPU for the object an item points
/// to (the visit reads its header: in a long list, a cache miss each).
const PREFETCH_AHEAD: usize = 16;

#[inline(always)]
fn values<V: Visitor>(v: &mut V, items: &[Value]) {
    if items.len() <= PREFETCH_AHEAD {
        for x in items {
            v.visit_value(x);
        }
        return;
    }
    for (i, x) in items.iter().enumerate() {
        if let Some(Value::Obj(o)) = items.get(i + PREFETCH_AHEAD) {
            // The header, the count and the payload's tag.
            super::list::prefetch((o.as_ptr() as *const u8).wrapping_sub(16));
            super::list::prefetch((o.as_ptr() as *const u8).wrapping_add(16));
        }
        v.visit_value(x);
    }
}

/// Visits the references `obj` owns: the payload's, then its type when that
/// is a heap type (as CPython's `subtype_traverse`). Returns false when part
/// of the payload was borrowed for writing and could not be looked at (the
/// collector then treats the object as reachable).
/// Generic over the visitor so the collector's visits inline.
#[inline]
pub fn traverse<V: Visitor>(obj: &PyObject, v: &mut V) -> bool {
    // The payload first, then a heap type (CPython's subtype_traverse
    // visits the slots and the dict or inline values before the type).
    let ok = traverse_payload(&obj.payload, v);
    let t = obj.class_ref();
    if t.payload.as_type().is_some_and(|td| td.is_heap()) {
        v.visit(t);
    }
    ok
}

fn traverse_payload<V: Visitor>(p: &Payload, v: &mut V) -> bool {
    match p {
        Payload::Tuple(t) => values(v, t),
        Payload::List(l) => match l.try_borrow() {
            Ok(items) => values(v, &items),
            Err(_) => return false,
        },
        Payload::Dict(d) => match d.try_borrow() {
            Ok(t) => {
                for e in t.iter() {
                    v.visit_value(&e.key);
                    v.visit_value(&e.value);
                }
            }
            Err(_) => return false,
        },
        Payload::Set(s) | Payload::FrozenSet(s) => match s.try_borrow() {
            Ok(t) => {
                let mut pos = 0;
                while let Some((next, k)) = t.next_entry(pos) {
                    v.visit_value(k);
                    pos = next;
                }
            }
            Err(_) => return false,
        },
        Payload::Type(td) => {
            if !td.is_heap() {
                return true;
            }
            match (td.bases.try_borrow(), td.mro.try_borrow(), td.slots.try_borrow()) {
                (Ok(bases), Ok(mro), Ok(slots)) => {
                    for b in bases.iter() {
                        v.visit(b);
                    }
                    for m in mro.iter() {
                        v.visit(m);
                    }
                    for s in slots.iter().flatten() {
                        v.visit_value(s);
                    }
                }
                _ => return false,
            }
            if let Some(b) = &td.base {
                v.visit(b);
            }
            v.visit(&td.dict);
        }
        Payload::Function(f) => {
            v.visit(&f.globals);
            v.visit(&f.builtins);
            for c in [&f.name, &f.qualname, &f.defaults, &f.kwdefaults, &f.doc, &f.module, &f.annotations, &f.dict] {
                cell(v, c);
            }
            if let Some(c) = &f.closure {
                v.visit(c);
            }
        }
        Payload::NativeFunction { self_, .. } => {
            if let Some(s) = self_ {
                v.visit_value(s);
            }
        }
        Payload::NativeMethod { owner, .. } => v.visit(owner),
        Payload::BoundMethod(b) => {
            v.visit_value(&b.0);
            v.visit_value(&b.1);
        }
        Payload::Module(m) => v.visit(&m.dict),
        Payload::Cell(c) => cell(v, c),
        Payload::StaticMethod(w) | Payload::ClassMethod(w) => {
            cell(v, &w.func);
            cell(v, &w.dict);
        }
        Payload::Instance(d) => {
            // CPython's order: slots, then the inline values or the dict.
            for s in d.slots.iter() {
                s.visit(v);
            }
            cell(v, &d.dict);
            if let Some(b) = &d.base {
                return traverse_payload(b, v);
            }
        }
        Payload::Exception(e) => {
            for c in [&e.args, &e.traceback, &e.cause, &e.context, &e.dict, &e.extra] {
                cell(v, c);
            }
        }
        Payload::Generator(g) => {
            for c in [&g.name, &g.qualname, &g.exc_state, &g.frame_obj, &g.async_finalizer] {
                cell(v, c);
            }
            // A running generator's frame is on the eval loop's chain (its
            // references are roots); a finished one has none.
            match g.frame.try_borrow() {
                Ok(f) => {
                    if let Some(f) = f.as_ref() {
                        traverse_frame(f, v);
                    }
                }
                Err(_) => return false,
            }
        }
        Payload::Property(cells) => {
            for c in cells.iter() {
                cell(v, c);
            }
        }
        Payload::Super(s) => {
            v.visit(&s.0);
            v.visit_value(&s.1);
            if let Some(t) = &s.2 {
                v.visit(t);
            }
        }
        Payload::MemberDescr(m) => {
            v.visit(&m.name);
            v.visit(&m.owner);
        }
        Payload::GetSetDescr { owner, .. } => v.visit(owner),
        Payload::Iter(st) => match st.try_borrow() {
            Ok(st) => traverse_iter(&st, v),
            Err(_) => return false,
        },
        Payload::Native(n) => n.traverse(v as &mut dyn Visitor),
        Payload::DictView(d) => v.visit(&d.1),
        Payload::MappingProxy(m) => v.visit_value(m),
        Payload::Traceback(tb) => {
            cell(v, &tb.next);
            v.visit(&tb.frame);
        }
        Payload::Frame(fi) => {
            v.visit(&fi.globals);
            cell(v, &fi.locals);
            cell(v, &fi.back);
            match fi.kept.try_borrow() {
                Ok(k) => values(v, &k),
                Err(_) => return false,
            }
        }
        Payload::Io(io) => {
            if let crate::modules::io::IoData::RWPair(p) = &**io {
                match p.try_borrow() {
                    Ok(p) => {
                        if let Some((r, w)) = p.as_ref() {
                            v.visit_value(r);
                            v.visit_value(w);
                        }
                    }
                    Err(_) => return false,
                }
            }
        }
        Payload::WeakRef(w) => cell(v, &w.callback),
        Payload::None_
        | Payload::Int(_)
        | Payload::Float(_)
        | Payload::Complex(_)
        | Payload::Str(_)
        | Payload::Bytes(_)
        | Payload::ByteArray(_)
        | Payload::Range(_)
        | Payload::Slice(_)
        | Payload::Code(_) => {}
    }
    true
}

/// The references of a suspended frame: its namespaces, fast locals, cells
/// and value stack, and its frame object.
fn traverse_frame<V: Visitor>(f: &Frame, v: &mut V) {
    v.visit(&f.globals);
    v.visit(&f.builtins);
    if let Some(l) = &f.locals {
        v.visit_value(l);
    }
    values(v, &f.slots);
    if let Some(o) = &f.frame_obj {
        v.visit(o);
    }
    if let Some(s) = &f.init_self {
        v.visit_value(s);
    }
}

fn traverse_iter<V: Visitor>(st: &IterState, v: &mut V) {
    match st {
        IterState::Seq { seq, .. } | IterState::Reversed { seq, .. } => {
            if let Some(s) = seq {
                v.visit_value(s);
            }
        }
        IterState::Str { s, .. } => {
            if let Some(s) = s {
                v.visit(s);
            }
        }
        IterState::Dict { dict, .. } | IterState::DictRev { dict, .. } => {
            if let Some(d) = dict {
                v.visit(d);
            }
        }
        IterState::Set { set, .. } => {
            if let Some(s) = set {
                v.visit(s);
            }
        }
        IterState::Enumerate { iter, count, result } => {
            v.visit_value(iter);
            v.visit_value(count);
            if let Some(r) = result {
                v.visit(r);
            }
        }
        IterState::Zip { iters, result, .. } => {
            values(v, iters);
            if let Some(r) = result {
                v.visit(r);
            }
        }
        IterState::Map { func, iters } => {
            v.visit_value(func);
            values(v, iters);
        }
        IterState::Filter { func, iter } => {
            v.visit_value(func);
            v.visit_value(iter);
        }
        IterState::Callable { func, sentinel } => {
            if let Some(f) = func {
                v.visit_value(f);
            }
            v.visit_value(sentinel);
        }
        IterState::Bytes { data, .. } => {
            if let Some(d) = data {
                v.visit_value(d);
            }
        }
        IterState::Other(o) => o.traverse(v as &mut dyn Visitor),
        IterState::Native(n) => n.traverse(v as &mut dyn Visitor),
        IterState::Range { .. } | IterState::BigRange { .. } => {}
    }
}

/// Drops the references of an unreachable object that can close a cycle
/// (CPython's `tp_clear`). Payloads whose references cannot change (tuples,
/// bound methods, descriptors) have nothing to clear: their cycles go
/// through a clearable object. Values are taken out first and dropped only
/// after every borrow is released (dropping can run `__del__`).
pub fn clear(obj: &PyRef) {
    let mut dropped: Vec<Value> = Vec::new();
    clear_payload(&obj.payload, &mut dropped);
    drop(dropped);
}

fn take(c: &ValueCell, out: &mut Vec<Value>) {
    if let Some(v) = c.take() {
        out.push(v);
    }
}

fn clear_payload(p: &Payload, out: &mut Vec<Value>) {
    match p {
        Payload::List(l) => {
            if let Ok(mut items) = l.try_borrow_mut() {
                out.append(&mut items.take_vec());
            }
        }
        Payload::Dict(d) => {
            if let Ok(mut t) = d.try_borrow_mut() {
                for e in t.clear().into_iter().flatten() {
                    out.push(e.key);
                    out.push(e.value);
                }
            }
        }
        Payload::Set(s) | Payload::FrozenSet(s) => {
            if let Ok(mut t) = s.try_borrow_mut() {
                out.extend(t.clear());
            }
        }
        Payload::Type(td) => {
            if td.is_heap() {
                // A new version tag first: the attribute caches hold what
                // they found in this class's dicts without references, and
                // clearing releases those values (CPython's type_clear calls
                // PyType_Modified too).
                td.version.set(crate::types::typeobj::next_type_version());
                // The MRO starts with the type itself: a self-reference only
                // clearing breaks. The special-method cache goes too.
                if let Ok(mut mro) = td.mro.try_borrow_mut() {
                    out.extend(mro.drain(..).map(Value::Obj));
                }
                if let Ok(mut slots) = td.slots.try_borrow_mut() {
                    out.extend(slots.iter_mut().filter_map(|s| s.take()));
                }
            }
        }
        Payload::Function(f) => {
            for c in [&f.defaults, &f.kwdefaults, &f.doc, &f.module, &f.annotations, &f.dict] {
                take(c, out);
            }
        }
        Payload::Cell(c) => take(c, out),
        Payload::StaticMethod(w) | Payload::ClassMethod(w) => {
            take(&w.func, out);
            take(&w.dict, out);
        }
        Payload::Instance(d) => {
            for s in d.slots.iter() {
                out.extend(s.take());
            }
            take(&d.dict, out);
            if let Some(b) = &d.base {
                clear_payload(b, out);
            }
        }
        Payload::Exception(e) => {
            for c in [&e.args, &e.traceback, &e.cause, &e.context, &e.dict, &e.extra] {
                take(c, out);
            }
        }
        Payload::Generator(g) => {
            for c in [&g.exc_state, &g.frame_obj, &g.async_finalizer] {
                take(c, out);
            }
            // The finalizer has closed it (or could not): its frame goes.
            if let Ok(mut f) = g.frame.try_borrow_mut() {
                if let Some(mut frame) = f.take() {
                    out.extend(frame.slots.drain(..));
                    out.extend(frame.locals.take());
                    out.extend(frame.init_self.take());
                    out.extend(frame.frame_obj.take().map(Value::Obj));
                    // Counted here too, so that dropping the frame inside
                    // the borrow frees nothing.
                    for r in [&frame.code, &frame.globals, &frame.builtins] {
                        out.push(Value::Obj(PyRef::clone(r)));
                    }
                }
            }
        }
        Payload::Property(cells) => {
            for c in cells.iter() {
                take(c, out);
            }
        }
        Payload::Iter(st) => {
            if let Ok(mut st) = st.try_borrow_mut() {
                match &mut *st {
                    IterState::Other(o) => o.clear(),
                    IterState::Native(n) => n.clear(),
                    _ => {
                        // An exhausted sequence iterator holds nothing. The
                        // old state drops once the borrow is released.
                        let old = std::mem::replace(&mut *st, IterState::Seq { seq: None, index: 0 });
                        drop(st);
                        drop(old);
                    }
                }
            }
        }
        Payload::Native(n) => n.clear(),
        Payload::Traceback(tb) => take(&tb.next, out),
        Payload::Frame(fi) => {
            take(&fi.locals, out);
            take(&fi.back, out);
            if let Ok(mut k) = fi.kept.try_borrow_mut() {
                out.append(&mut k);
            }
        }
        Payload::Io(io) => {
            if let crate::modules::io::IoData::RWPair(p) = &**io {
                if let Ok(mut p) = p.try_borrow_mut() {
                    if let Some((r, w)) = p.take() {
                        out.push(r);
                        out.push(w);
                    }
                }
            }
        }
        Payload::WeakRef(w) => take(&w.callback, out),
        _ => {}
    }
}
