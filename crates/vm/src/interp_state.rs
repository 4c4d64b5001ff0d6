//! Per-interpreter state of modules that keep it outside the `Vm` struct (a
//! codec registry, atexit callbacks, the error types a native module made):
//! one value per Rust type, made on first use, reachable from every thread
//! of the interpreter (a `thread_local!` is not: a Python thread would see
//! an empty one) and dropped with it.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// Hashes a `TypeId` as the bits it already is (a type's id is itself a
/// hash): dozens of modules keep state here, and asyncio asks for its own
/// on every task step.
#[derive(Default)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

#[derive(Default)]
pub struct InterpState {
    /// In the order made (the order `clear` drops them in).
    entries: RefCell<Vec<Rc<dyn Any>>>,
    index: RefCell<HashMap<TypeId, usize, BuildHasherDefault<TypeIdHasher>>>,
}

impl InterpState {
    /// The interpreter's `T`, made with `T::default()` the first time.
    pub fn get<T: Any + Default>(&self) -> Rc<T> {
        let id = TypeId::of::<T>();
        let found = |i: usize| self.entries.borrow()[i].clone().downcast::<T>().ok().expect("interpreter state of the right type");
        if let Some(&i) = self.index.borrow().get(&id) {
            return found(i);
        }
        // Made outside the borrow: a `default()` may itself ask for state.
        let v: Rc<T> = Rc::new(T::default());
        if let Some(&i) = self.index.borrow().get(&id) {
            return found(i);
        }
        let mut entries = self.entries.borrow_mut();
        self.index.borrow_mut().insert(id, entries.len());
        entries.push(v.clone());
        v
    }

    /// Drops every entry (interpreter teardown, while finalizers can still
    /// run). Taken out first, so a finalizer that asks for state gets a new one.
    pub fn clear(&self) {
        self.index.borrow_mut().clear();
        let taken = std::mem::take(&mut *self.entries.borrow_mut());
        drop(taken);
    }
}
