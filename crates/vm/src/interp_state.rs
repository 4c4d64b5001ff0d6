//! Per-interpreter state of modules that keep it outside the `Vm` struct (a
//! codec registry, atexit callbacks, the error types a native module made):
//! one value per Rust type, made on first use, reachable from every thread
//! of the interpreter (a `thread_local!` is not: a Python thread would see
//! an empty one) and dropped with it.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
pub struct InterpState {
    entries: RefCell<Vec<(TypeId, Rc<dyn Any>)>>,
}

impl InterpState {
    /// The interpreter's `T`, made with `T::default()` the first time. A
    /// handful of entries, so a linear search beats hashing.
    pub fn get<T: Any + Default>(&self) -> Rc<T> {
        let id = TypeId::of::<T>();
        if let Some((_, v)) = self.entries.borrow().iter().find(|(t, _)| *t == id) {
            return v.clone().downcast::<T>().ok().expect("interpreter state of the right type");
        }
        // Made outside the borrow: a `default()` may itself ask for state.
        let v: Rc<T> = Rc::new(T::default());
        let mut entries = self.entries.borrow_mut();
        if let Some((_, old)) = entries.iter().find(|(t, _)| *t == id) {
            return old.clone().downcast::<T>().ok().expect("interpreter state of the right type");
        }
        entries.push((id, v.clone()));
        v
    }

    /// Drops every entry (interpreter teardown, while finalizers can still
    /// run). Taken out first, so a finalizer that asks for state gets a new one.
    pub fn clear(&self) {
        let taken = std::mem::take(&mut *self.entries.borrow_mut());
        drop(taken);
    }
}
