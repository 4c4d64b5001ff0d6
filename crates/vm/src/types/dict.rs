//! `dict`: lookups that may call `__hash__`/`__eq__`, on top of `dict_table`.
//! (The Python-visible methods of dict live in `dict_methods.rs`.)

use crate::object::PyRef;
pub use crate::types::dict_table::{DictTable, Entry};
use crate::types::dict_table::{NativeFind, Probe, ProbeState};

/// Where a key is in a dict, or where it would be inserted.
enum Located {
    Found(usize),
    Missing(ProbeState),
}
use crate::value::Value;
use crate::{PyResult, Vm};

impl Vm {
    /// A new empty dict.
    pub fn new_dict(&self) -> PyRef {
        PyRef::new(self.types.dict.clone(), crate::payload::Payload::Dict(crate::types::dict_table::new_table()))
    }

    fn dict_table<'a>(&self, d: &'a PyRef) -> &'a std::cell::RefCell<DictTable> {
        d.payload.as_dict().expect("dict_* called on a non-dict")
    }

    /// Finds the entry index of `key` (hash given), running `__eq__` as needed.
    fn dict_find(&self, d: &PyRef, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        Ok(match self.dict_locate(d, key, hash)? {
            Located::Found(ix) => Some(ix),
            Located::Missing(_) => None,
        })
    }

    /// Where `key` is, or where it would go: one probe under one borrow in
    /// the usual case (keys that compare natively); otherwise a resumable
    /// probe that runs `__eq__` with the table released and starts again if
    /// that changed the table (as CPython's lookup does). The answer holds
    /// until the table next changes, so the caller must use it before running
    /// any Python code.
    fn dict_locate(&self, d: &PyRef, key: &Value, hash: i64) -> PyResult<Located> {
        let table = self.dict_table(d);
        match table.borrow().find_native(key, hash) {
            Some(NativeFind::Found(ix)) => return Ok(Located::Found(ix)),
            Some(NativeFind::Missing(free)) => return Ok(Located::Missing(ProbeState::missing(hash, free))),
            None => {}
        }
        'restart: loop {
            let mut st = table.borrow().probe_start(hash);
            loop {
                let step = table.borrow().probe(key, &mut st);
                match step {
                    Probe::Found(ix) => return Ok(Located::Found(ix)),
                    Probe::Missing => return Ok(Located::Missing(st)),
                    Probe::NeedEq(ix, candidate) => {
                        let layout = table.borrow().layout;
                        let eq = self.eq_bool(&candidate, key)?;
                        let t = table.borrow();
                        if t.layout != layout || t.entry(ix).map_or(true, |e| !e.key.is(&candidate)) {
                            continue 'restart;
                        }
                        if eq {
                            return Ok(Located::Found(ix));
                        }
                    }
                }
            }
        }
    }

    /// `d.get(key)`.
    pub fn dict_get(&self, d: &PyRef, key: &Value) -> PyResult<Option<Value>> {
        let hash = self.hash(key)?;
        self.dict_get_hashed(d, key, hash)
    }

    pub fn dict_get_hashed(&self, d: &PyRef, key: &Value, hash: i64) -> PyResult<Option<Value>> {
        {
            // One borrow for the usual case.
            let t = self.dict_table(d).borrow();
            match t.find_native(key, hash) {
                Some(NativeFind::Found(ix)) => return Ok(t.entry(ix).map(|e| e.value.clone())),
                Some(NativeFind::Missing(_)) => return Ok(None),
                None => {}
            }
        }
        Ok(match self.dict_find(d, key, hash)? {
            Some(ix) => self.dict_table(d).borrow().entry(ix).map(|e| e.value.clone()),
            None => None,
        })
    }

    /// The keys version of a dict (see `DictTable::version`).
    #[inline]
    pub fn dict_keys_version(&self, d: &PyRef) -> u64 {
        self.dict_table(d).borrow().version
    }

    /// The value at entry index `ix` (from an earlier lookup under the same
    /// keys version).
    #[inline]
    pub fn dict_value_at(&self, d: &PyRef, ix: usize) -> Option<Value> {
        self.dict_table(d).borrow().entry(ix).map(|e| e.value.clone())
    }

    /// The entry index of a str key, for caches keyed by the keys version.
    pub fn dict_index_str(&self, d: &PyRef, key: &PyRef) -> Option<usize> {
        let hash = key.payload.as_str().map(|s| s.hash()).unwrap_or(0);
        self.dict_find(d, &Value::Obj(key.clone()), hash).ok().flatten()
    }

    /// Lookup by a str key (namespaces): never runs Python code when the dict's
    /// keys are all strs, which is the case for namespaces in practice.
    #[inline]
    pub fn dict_get_str(&self, d: &PyRef, key: &PyRef) -> Option<Value> {
        match self.dict_get_str_nocode(d, key) {
            Ok(found) => found,
            Err(()) => {
                let hash = key.payload.as_str().map(|s| s.hash()).unwrap_or(0);
                self.dict_get_hashed(d, &Value::Obj(key.clone()), hash).ok().flatten()
            }
        }
    }

    /// Lookup by a str key without running Python code: one probe under one
    /// borrow settles the usual case (an interned name found by identity,
    /// or missing). Err(()) when a key of the dict needs its `__eq__` to
    /// decide.
    #[inline]
    pub(crate) fn dict_get_str_nocode(&self, d: &PyRef, key: &PyRef) -> Result<Option<Value>, ()> {
        let hash = key.payload.as_str().map(|s| s.hash()).unwrap_or(0);
        let k = Value::Obj(key.clone());
        let t = self.dict_table(d).borrow();
        let mut st = t.probe_start(hash);
        match t.probe(&k, &mut st) {
            Probe::Found(ix) => Ok(t.entry(ix).map(|e| e.value.clone())),
            Probe::Missing => Ok(None),
            Probe::NeedEq(..) => Err(()),
        }
    }

    /// `d[key] = value`.
    pub fn dict_set(&self, d: &PyRef, key: Value, value: Value) -> PyResult<()> {
        let hash = self.hash(&key)?;
        self.dict_set_hashed(d, key, hash, value)
    }

    pub fn dict_set_hashed(&self, d: &PyRef, key: Value, hash: i64, value: Value) -> PyResult<()> {
        let table = self.dict_table(d);
        match self.dict_locate(d, &key, hash)? {
            Located::Found(ix) => {
                crate::gc::dict_stored(d, &key, &value);
                let old = table.borrow_mut().replace_value(ix, value);
                // Dropped with the table released: a `__del__` may look at the dict.
                drop(old);
            }
            Located::Missing(st) => {
                crate::gc::dict_stored(d, &key, &value);
                table.borrow_mut().insert_new(&st, key, value);
            }
        }
        Ok(())
    }

    /// `d.setdefault(key, default)`: the value at `key`, or `default` after
    /// storing it there; one lookup (so a key's `__eq__` runs as often as
    /// in CPython).
    pub fn dict_setdefault_hashed(&self, d: &PyRef, key: &Value, hash: i64, default: Value) -> PyResult<Value> {
        let table = self.dict_table(d);
        match self.dict_locate(d, key, hash)? {
            Located::Found(ix) => Ok(table.borrow().entry(ix).map_or(Value::None, |e| e.value.clone())),
            Located::Missing(st) => {
                crate::gc::dict_stored(d, key, &default);
                table.borrow_mut().insert_new(&st, key.clone(), default.clone());
                Ok(default)
            }
        }
    }

    /// `d[name] = value` for a str key (namespaces).
    pub fn dict_set_str(&self, d: &PyRef, key: &PyRef, value: Value) {
        let hash = key.payload.as_str().map(|s| s.hash()).unwrap_or(0);
        // Str keys never fail to compare; an error here could only come from a
        // user str subclass key already in the dict, which we ignore.
        let _ = self.dict_set_hashed(d, Value::Obj(key.clone()), hash, value);
    }

    /// `del d[key]`: returns the removed value, or None when absent.
    pub fn dict_remove(&self, d: &PyRef, key: &Value) -> PyResult<Option<Value>> {
        let hash = self.hash(key)?;
        self.dict_remove_hashed(d, key, hash)
    }

    pub fn dict_remove_hashed(&self, d: &PyRef, key: &Value, hash: i64) -> PyResult<Option<Value>> {
        match self.dict_find(d, key, hash)? {
            Some(ix) => {
                let e = self.dict_table(d).borrow_mut().remove_at(ix);
                Ok(e.map(|e| e.value))
            }
            None => Ok(None),
        }
    }

    pub fn dict_len(&self, d: &PyRef) -> usize {
        self.dict_table(d).borrow().len()
    }

    /// A snapshot of the (key, value) pairs, in order.
    pub fn dict_items(&self, d: &PyRef) -> Vec<(Value, Value)> {
        self.dict_table(d).borrow().iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    pub fn dict_keys(&self, d: &PyRef) -> Vec<Value> {
        self.dict_table(d).borrow().iter().map(|e| e.key.clone()).collect()
    }
}
