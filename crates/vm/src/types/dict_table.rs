//! The hash table behind `dict` (and the namespaces of modules, classes and
//! instances): CPython's compact, insertion-ordered layout, a sparse index
//! array into a dense array of entries.
//!
//! Key comparison may run Python code (`__eq__`), which may mutate the very
//! table being searched, so the table never calls out while borrowed: a probe
//! decides what it can by identity and by native equality of builtin keys, and
//! otherwise stops and hands the candidate key to the caller (`Probe::NeedEq`).
//! The caller compares with the table released and resumes the probe; if the
//! table changed meanwhile, the lookup restarts (as CPython's does).

use crate::value::Value;

const EMPTY: u32 = u32::MAX;
const DUMMY: u32 = u32::MAX - 1;
const MIN_SIZE: usize = 8;

/// In this order (`repr(C)`): a probe reads the hash and then the key, the
/// first 24 bytes, which then share a cache line far more often than when
/// the compiler put the hash last (a 40-byte entry straddles two lines at
/// half the positions of the array).
#[repr(C)]
pub struct Entry {
    pub hash: i64,
    pub key: Value,
    pub value: Value,
}

#[derive(Default)]
pub struct DictTable {
    indices: Vec<u32>,
    /// Entries in insertion order; `None` marks a deleted entry.
    entries: Vec<Option<Entry>>,
    used: usize,
    /// The keys version: renewed by every change to the set of keys (insert
    /// of a new key, delete, clear), never by replacing a value. Versions come
    /// from one process-wide counter, so equal versions mean the same keys at
    /// the same entry indices (two never-filled dicts share version 0, and are
    /// both empty): iterators, resumed probes and the eval loop's global-name
    /// caches rely on this.
    pub version: u64,
    /// Renewed like `version` by inserts and clears, but not by deletes: a
    /// probe resumed after Python code ran (a key's `__eq__`) may go on, as
    /// in CPython, if only other entries were deleted meanwhile.
    pub layout: u64,
}

/// Where a probe stopped.
pub enum Probe {
    /// The key is at this entry index.
    Found(usize),
    /// Not present; the probe state remembers where it would be inserted.
    Missing,
    /// The entry at this index has the same hash but a key that needs a
    /// Python-level comparison; the candidate key is handed out.
    NeedEq(usize, Value),
}

/// What `DictTable::find_native` found.
pub enum NativeFind {
    /// The key is at this entry index.
    Found(usize),
    /// Absent; the first deleted slot of its probe sequence, if any.
    Missing(Option<usize>),
}

/// A resumable position in a probe sequence.
#[derive(Clone, Copy)]
pub struct ProbeState {
    hash: i64,
    slot: usize,
    perturb: u64,
    /// First deleted slot seen (for reuse on insert).
    free: Option<usize>,
    started: bool,
}

const _: () = assert!(std::mem::size_of::<Option<Entry>>() == 40);

impl ProbeState {
    /// The state of a finished probe for `hash` that found the key missing
    /// (with the first deleted slot it met, if any): what `insert_new` needs.
    pub fn missing(hash: i64, free: Option<usize>) -> ProbeState {
        ProbeState { hash, slot: 0, perturb: 0, free, started: true }
    }
}

/// Equal byte strings; short ones (most dict keys) compared a word or two at
/// a time inline rather than through a `memcmp` call.
#[inline(always)]
pub fn text_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let n = a.len();
    let word = |s: &[u8], at: usize| u64::from_ne_bytes(s[at..at + 8].try_into().unwrap_or([0; 8]));
    let half = |s: &[u8], at: usize| u32::from_ne_bytes(s[at..at + 4].try_into().unwrap_or([0; 4]));
    match n {
        // Two overlapping words cover 8..=16 bytes.
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

/// Native key equality for builtin keys: Some(answer) when decidable without
/// running Python code.
#[inline(always)]
pub fn fast_key_eq(a: &Value, b: &Value) -> Option<bool> {
    use crate::payload::Payload;
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x == y),
        (Value::None, Value::None) => Some(true),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Bool(x), Value::Int(y)) | (Value::Int(y), Value::Bool(x)) => Some(*x as i64 == *y),
        (Value::Float(x), Value::Float(y)) => Some(x == y),
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => Some(*i as f64 == *f && (*f as i64) == *i),
        (Value::Obj(x), Value::Obj(y)) => {
            if x.is(y) {
                return Some(true);
            }
            match (&x.payload, &y.payload) {
                // Exact-type strs only: a str subclass may override __eq__.
                (Payload::Str(s1), Payload::Str(s2)) if x.class().is_immortal() && y.class().is_immortal() => {
                    Some(text_eq(s1.as_str().as_bytes(), s2.as_str().as_bytes()) && s1.same_surrogates(s2))
                }
                _ => None,
            }
        }
        // Unboxed vs heap (e.g. 1 vs a big int or a user object): Python decides.
        _ => None,
    }
}

/// The process-wide keys-version counter. Only the thread holding the GIL
/// mutates dicts, so a plain load and store (no read-modify-write atomic) is
/// enough and costs nothing on the insert path.
static KEYS_VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[inline]
fn next_keys_version() -> u64 {
    use std::sync::atomic::Ordering::Relaxed;
    let v = KEYS_VERSION.load(Relaxed) + 1;
    KEYS_VERSION.store(v, Relaxed);
    v
}

/// How many emptied small tables a thread keeps for new dicts.
const SPARE_TABLES: usize = 80;

thread_local! {
    /// Tables of freed small dicts, emptied, with their index and entry
    /// arrays still allocated: a new dict takes one instead of making three
    /// allocations (CPython keeps a free list of dicts and of small key
    /// tables for the same reason: `**kwargs` and short-lived dicts).
    static SPARES: std::cell::RefCell<Vec<Box<std::cell::RefCell<DictTable>>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An empty table for a new dict: a spare one if there is one.
#[inline]
pub fn new_table() -> Box<std::cell::RefCell<DictTable>> {
    SPARES.try_with(|s| s.borrow_mut().pop()).ok().flatten().unwrap_or_default()
}

/// Takes the table of a freed dict: its entries go now (in insertion order,
/// as dropping it would), and a table of the smallest size is kept.
pub fn recycle_table(mut table: Box<std::cell::RefCell<DictTable>>) {
    let t = table.get_mut();
    if t.indices.len() != MIN_SIZE {
        return;
    }
    t.entries.clear();
    t.indices.fill(EMPTY);
    t.used = 0;
    // A never-filled table: see `version`.
    t.version = 0;
    t.layout = 0;
    let _ = SPARES.try_with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < SPARE_TABLES {
            s.push(table);
        }
    });
}

impl DictTable {
    pub fn new() -> DictTable {
        DictTable::default()
    }

    pub fn with_capacity(n: usize) -> DictTable {
        let mut t = DictTable::default();
        if n > 0 {
            t.resize_indices(size_for(n));
            t.entries.reserve(n);
        }
        t
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.used
    }
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Starts a probe for `hash`.
    pub fn probe_start(&self, hash: i64) -> ProbeState {
        ProbeState { hash, slot: 0, perturb: hash as u64, free: None, started: false }
    }

    /// Advances a probe for `key`; see [`Probe`]. Callers detect a table changed
    /// under a resumed probe by comparing `self.layout` before and after.
    pub fn probe(&self, key: &Value, st: &mut ProbeState) -> Probe {
        if self.indices.is_empty() {
            return Probe::Missing;
        }
        let mask = self.indices.len() - 1;
        if !st.started {
            st.started = true;
            st.slot = (st.hash as u64 as usize) & mask;
        } else {
            st.perturb >>= 5;
            st.slot = (st.slot.wrapping_mul(5).wrapping_add(st.perturb as usize).wrapping_add(1)) & mask;
        }
        loop {
            let ix = self.indices[st.slot];
            if ix == EMPTY {
                return Probe::Missing;
            }
            if ix == DUMMY {
                st.free.get_or_insert(st.slot);
            } else if let Some(e) = &self.entries[ix as usize] {
                if e.hash == st.hash {
                    // Identity first (`x is key or x == key`): the same NaN is found.
                    let eq = if e.key.is(key) { Some(true) } else { fast_key_eq(&e.key, key) };
                    match eq {
                        Some(true) => return Probe::Found(ix as usize),
                        Some(false) => {}
                        None => return Probe::NeedEq(ix as usize, e.key.clone()),
                    }
                }
            }
            st.perturb >>= 5;
            st.slot = (st.slot.wrapping_mul(5).wrapping_add(st.perturb as usize).wrapping_add(1)) & mask;
        }
    }

    /// The whole probe for `key` in one go when no key met needs Python-level
    /// `__eq__` (the usual case): the same sequence and answers as `probe`,
    /// without its resumable state. None: `probe` must decide.
    #[inline]
    pub fn find_native(&self, key: &Value, hash: i64) -> Option<NativeFind> {
        if self.indices.is_empty() {
            return Some(NativeFind::Missing(None));
        }
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut free = None;
        loop {
            let ix = self.indices[slot];
            if ix == EMPTY {
                return Some(NativeFind::Missing(free));
            }
            if ix == DUMMY {
                free.get_or_insert(slot);
            } else if let Some(e) = &self.entries[ix as usize] {
                if e.hash == hash {
                    let eq = if e.key.is(key) { Some(true) } else { fast_key_eq(&e.key, key) };
                    match eq? {
                        true => return Some(NativeFind::Found(ix as usize)),
                        false => {}
                    }
                }
            }
            perturb >>= 5;
            slot = (slot.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
    }

    /// Inserts a key `find_native` reported missing (with the dummy slot it
    /// met first, if any), with the table unchanged since.
    pub fn insert_found_missing(&mut self, free: Option<usize>, hash: i64, key: Value, value: Value) {
        self.insert_new(&ProbeState::missing(hash, free), key, value);
    }

    pub fn entry(&self, ix: usize) -> Option<&Entry> {
        self.entries.get(ix).and_then(|e| e.as_ref())
    }

    pub fn entry_mut(&mut self, ix: usize) -> Option<&mut Entry> {
        self.entries.get_mut(ix).and_then(|e| e.as_mut())
    }

    /// Replaces the value at an existing entry; returns the old value.
    pub fn replace_value(&mut self, ix: usize, value: Value) -> Value {
        let e = self.entries[ix].as_mut().expect("live entry");
        std::mem::replace(&mut e.value, value)
    }

    /// Inserts a key known to be absent (the probe said Missing with this state).
    pub fn insert_new(&mut self, st: &ProbeState, key: Value, value: Value) {
        if self.indices.is_empty() || (self.entries.len() + 1) * 3 > self.indices.len() * 2 {
            self.grow();
            return self.insert_fresh(st.hash, key, value);
        }
        let slot = match st.free {
            Some(f) => f,
            None => self.find_empty_slot(st.hash),
        };
        self.indices[slot] = self.entries.len() as u32;
        self.entries.push(Some(Entry { hash: st.hash, key, value }));
        self.used += 1;
        self.version = next_keys_version();
        self.layout = self.version;
    }

    /// Inserts a key known to be absent, by hash only.
    fn insert_fresh(&mut self, hash: i64, key: Value, value: Value) {
        let slot = self.find_empty_slot(hash);
        self.indices[slot] = self.entries.len() as u32;
        self.entries.push(Some(Entry { hash, key, value }));
        self.used += 1;
        self.version = next_keys_version();
        self.layout = self.version;
    }

    fn find_empty_slot(&self, hash: i64) -> usize {
        let mask = self.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut slot = (hash as u64 as usize) & mask;
        while self.indices[slot] != EMPTY {
            perturb >>= 5;
            slot = (slot.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
        slot
    }

    fn grow(&mut self) {
        let size = size_for(self.used * 3 / 2 + 1).max(MIN_SIZE);
        // Compact the entries (drop deleted ones) and rebuild the index.
        let old = std::mem::take(&mut self.entries);
        self.entries = Vec::with_capacity(size * 2 / 3);
        self.entries.extend(old.into_iter().filter(|e| e.is_some()));
        self.reindex(size);
    }

    /// Fills this empty table with the entries of `src`, in order, with their
    /// stored hashes: no key is hashed or compared (CPython's fast path for
    /// copying a dict into an empty one).
    pub fn fill_from(&mut self, src: &DictTable) {
        debug_assert!(self.entries.is_empty());
        let size = size_for(src.used * 3 / 2 + 1).max(MIN_SIZE);
        self.entries.reserve(size * 2 / 3);
        self.entries.extend(src.entries.iter().flatten().map(|e| {
            Some(Entry { hash: e.hash, key: e.key.clone(), value: e.value.clone() })
        }));
        self.used = self.entries.len();
        self.reindex(size);
        self.version = next_keys_version();
        self.layout = self.version;
    }

    /// A new index of `size` slots for the (compact) entries.
    fn reindex(&mut self, size: usize) {
        if self.indices.len() == size {
            self.indices.fill(EMPTY);
        } else {
            self.resize_indices(size);
        }
        for i in 0..self.entries.len() {
            let h = self.entries[i].as_ref().unwrap().hash;
            let slot = self.find_empty_slot(h);
            self.indices[slot] = i as u32;
        }
    }

    fn resize_indices(&mut self, size: usize) {
        self.indices = vec![EMPTY; size];
    }

    /// Removes the entry at `ix` (found by a probe); returns it.
    pub fn remove_at(&mut self, ix: usize) -> Option<Entry> {
        let e = self.entries.get_mut(ix)?.take()?;
        let mask = self.indices.len() - 1;
        let mut perturb = e.hash as u64;
        let mut slot = (e.hash as u64 as usize) & mask;
        while self.indices[slot] != ix as u32 {
            perturb >>= 5;
            slot = (slot.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
        self.indices[slot] = DUMMY;
        self.used -= 1;
        self.version = next_keys_version();
        // Entries are never reused before a resize, even when the dict empties:
        // an iterator must see a key added after a delete (CPython's
        // "dictionary keys changed during iteration").
        Some(e)
    }

    /// Removes everything; the old entries are returned so the caller can drop
    /// them after releasing the table (their `__del__` may touch the dict).
    pub fn clear(&mut self) -> Vec<Option<Entry>> {
        self.indices = Vec::new();
        self.used = 0;
        self.version = next_keys_version();
        self.layout = self.version;
        std::mem::take(&mut self.entries)
    }

    /// Iterates live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter_map(|e| e.as_ref())
    }

    /// The entry at or after position `pos` in entry order, and the next position
    /// (for iterators that survive across calls).
    pub fn next_entry(&self, mut pos: usize) -> Option<(usize, &Entry)> {
        while pos < self.entries.len() {
            if let Some(e) = &self.entries[pos] {
                return Some((pos + 1, e));
            }
            pos += 1;
        }
        None
    }

    /// The last live entry (for `popitem`).
    pub fn last_index(&self) -> Option<usize> {
        self.entries.iter().rposition(|e| e.is_some())
    }

    /// Entry positions span (for iterators and reversed()).
    pub fn entries_len(&self) -> usize {
        self.entries.len()
    }

    /// Bytes of the index and entry arrays (for `__sizeof__`, `object_size.rs`).
    pub fn heap_bytes(&self) -> usize {
        self.indices.capacity() * std::mem::size_of::<u32>() + self.entries.capacity() * std::mem::size_of::<Option<Entry>>()
    }
}

fn size_for(n: usize) -> usize {
    let mut size = MIN_SIZE;
    while size * 2 / 3 < n {
        size *= 2;
    }
    size
}
