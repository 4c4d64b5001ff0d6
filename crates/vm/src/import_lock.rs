//! Per-module import locks, as importlib's `_ModuleLock`: while one thread
//! finds and runs a module, another thread importing the same name waits
//! instead of loading it a second time or using it half-initialized. Two
//! threads that would wait for each other (each importing what the other is
//! running) do not: the later one goes on with the partial module, as
//! CPython's deadlock detection lets it.
//!
//! Waiting releases the GIL and polls: imports in flight are few and short,
//! and the single-threaded path costs one `is_empty` check per import.

use crate::object::PyRef;
use crate::gil::thread_serial;
use crate::{PyResult, Vm};
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
pub struct ImportLocks {
    /// Module name → the thread (serial) finding or running it.
    owners: RefCell<HashMap<String, u64>>,
    /// Thread → the module name it is waiting for.
    waiting: RefCell<HashMap<u64, String>>,
}

impl ImportLocks {
    /// In a forked child only the forking thread is left: the imports other
    /// threads had in flight will never finish there.
    pub fn after_fork_child(&self) {
        let me = thread_serial();
        self.owners.borrow_mut().retain(|_, t| *t == me);
        self.waiting.borrow_mut().clear();
    }
}

/// Held while this thread finds and runs a module; dropping it lets waiters go.
pub struct ImportGuard<'a> {
    vm: &'a Vm,
    name: Option<String>,
}

impl Drop for ImportGuard<'_> {
    fn drop(&mut self) {
        if let Some(name) = self.name.take() {
            self.vm.import_locks.owners.borrow_mut().remove(&name);
        }
    }
}

impl Vm {
    /// Takes the import lock of `name` for this thread, first waiting while
    /// another thread holds it. Returns the module instead when that thread
    /// has finished loading it meanwhile.
    pub(crate) fn lock_import(&self, name: &str) -> PyResult<Result<ImportGuard<'_>, PyRef>> {
        let me = thread_serial();
        loop {
            let owner = self.import_locks.owners.borrow().get(name).copied();
            match owner {
                None => {
                    self.import_locks.owners.borrow_mut().insert(name.to_string(), me);
                    return Ok(Ok(ImportGuard { vm: self, name: Some(name.to_string()) }));
                }
                // Re-entered (a circular import) or a wait that would never end.
                Some(t) if t == me || self.would_deadlock(t, me) => return Ok(Ok(ImportGuard { vm: self, name: None })),
                Some(_) => {
                    self.wait_turn(name);
                    if let Some(m) = self.cached_module(name)? {
                        return Ok(Err(m));
                    }
                }
            }
        }
    }

    /// A module found in `sys.modules` may still be running in another
    /// thread: waits until that thread is done with it (CPython's
    /// `_lock_unlock_module`).
    #[inline]
    pub(crate) fn wait_for_module(&self, name: &str) {
        if self.import_locks.owners.borrow().is_empty() {
            return;
        }
        let me = thread_serial();
        loop {
            let owner = self.import_locks.owners.borrow().get(name).copied();
            match owner {
                Some(t) if t != me && !self.would_deadlock(t, me) => self.wait_turn(name),
                _ => return,
            }
        }
    }

    /// Does thread `owner` (transitively) wait for a module `me` holds?
    fn would_deadlock(&self, owner: u64, me: u64) -> bool {
        let owners = self.import_locks.owners.borrow();
        let waiting = self.import_locks.waiting.borrow();
        let mut t = owner;
        for _ in 0..=owners.len() {
            let Some(wanted) = waiting.get(&t) else { return false };
            match owners.get(wanted) {
                Some(&next) if next == me => return true,
                Some(&next) => t = next,
                None => return false,
            }
        }
        false
    }

    /// Lets other threads run for a moment while this one waits for `name`.
    fn wait_turn(&self, name: &str) {
        let me = thread_serial();
        self.import_locks.waiting.borrow_mut().insert(me, name.to_string());
        self.allow_threads(|| std::thread::sleep(std::time::Duration::from_micros(200)));
        self.import_locks.waiting.borrow_mut().remove(&me);
    }
}
