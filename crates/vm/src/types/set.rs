//! The hash table behind `set` and `frozenset`, following CPython 3.11's
//! `setobject.c` layout and probing so that iteration order (which users see
//! in `print({3, 1, 2})`) is the same as CPython's: open addressing over a
//! power-of-two table, a run of LINEAR_PROBES neighbouring slots after each
//! hashed slot, then perturbed jumps; tables grow when `fill*5 >= mask*3`
//! to `used*4` (`used*2` past 50,000 entries); deleted slots become dummies.
//!
//! As with `dict_table`, the table never calls Python code while borrowed: a
//! probe stops at a same-hash candidate it cannot compare natively and hands
//! it out (`SetProbe::NeedEq`); the caller compares with the table released
//! and resumes, restarting if the table was reallocated or the slot changed
//! (what CPython does when `__eq__` mutates the set).
//! (The Python-visible methods live in `set_methods.rs`.)

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::dict_table::fast_key_eq;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::RefCell;

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// One slot: empty (key None, hash 0), dummy (key None, hash -1), or active.
#[derive(Clone)]
struct SetEntry {
    key: Option<Value>,
    hash: i64,
}

const EMPTY_ENTRY: SetEntry = SetEntry { key: None, hash: 0 };

pub struct SetTable {
    table: Vec<SetEntry>,
    /// Active plus dummy slots.
    fill: usize,
    /// Active slots.
    used: usize,
    /// Where `pop` resumes its scan.
    finger: usize,
    /// Bumped whenever the slot array is replaced (resize, clear, swap), so a
    /// probe resumed after calling `__eq__` knows its position is stale.
    generation: u64,
    /// Cached frozenset hash; -1 until computed.
    pub hash: i64,
}

/// How many emptied small tables a thread keeps for new sets.
const SPARE_TABLES: usize = 80;

thread_local! {
    /// Tables of freed small sets, emptied, their slot arrays still
    /// allocated: a new set takes one instead of making two allocations
    /// (see `dict_table::recycle_table`).
    static SPARES: RefCell<Vec<Box<RefCell<SetTable>>>> = const { RefCell::new(Vec::new()) };
}

/// Takes the table of a freed set or frozenset: its items go now (in slot
/// order, as dropping it would), and a table of the smallest size is kept.
pub fn recycle_table(mut table: Box<RefCell<SetTable>>) {
    let t = table.get_mut();
    if t.table.len() != MIN_SIZE {
        return;
    }
    for e in t.table.iter_mut() {
        *e = EMPTY_ENTRY;
    }
    t.fill = 0;
    t.used = 0;
    t.finger = 0;
    t.generation += 1;
    t.hash = -1;
    let _ = SPARES.try_with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < SPARE_TABLES {
            s.push(table);
        }
    });
}

impl Default for SetTable {
    fn default() -> SetTable {
        SetTable { table: vec![EMPTY_ENTRY; MIN_SIZE], fill: 0, used: 0, finger: 0, generation: 0, hash: -1 }
    }
}

/// Where a probe stopped.
pub enum SetProbe {
    /// The key is in this slot.
    Found(usize),
    /// Absent; the probe state knows where to insert it.
    Missing,
    /// Same hash, but the key needs a Python-level `__eq__`; the candidate is handed out.
    NeedEq(usize, Value),
}

/// The slot count `SetTable::resize(minused)` picks: the smallest power of
/// two above `minused` (CPython's `set_table_resize`).
fn table_size_for(minused: usize) -> usize {
    let mut size = MIN_SIZE;
    while size <= minused {
        size <<= 1;
    }
    size
}

/// Where a native scan (`SetTable::scan`) stopped.
enum Scan {
    Found(usize),
    /// Absent: the first dummy met (reused by an insert) and the empty slot
    /// that ended the probe.
    Missing { free: Option<usize>, empty: usize },
    /// A same-hash key needs Python-level `__eq__`.
    NeedEq,
}

/// Key equality without running Python code (identity first, as in
/// `x is key or x == key`, so the same NaN is found); None when only
/// `__eq__` can tell.
#[inline(always)]
fn native_eq(k: &Value, key: &Value) -> Option<bool> {
    if let (Value::Int(a), Value::Int(b)) = (k, key) {
        return Some(a == b);
    }
    if k.is(key) {
        return Some(true);
    }
    fast_key_eq(k, key)
}

/// A resumable position in a probe sequence.
#[derive(Clone, Copy)]
pub struct ProbeState {
    hash: i64,
    /// Start of the current linear run.
    i: usize,
    /// Offset within the run of the slot last examined.
    j: usize,
    perturb: u64,
    /// First dummy slot seen (reused on insert).
    freeslot: Option<usize>,
    /// The empty slot that ended the probe.
    empty: usize,
    generation: u64,
    started: bool,
}

impl SetTable {
    pub fn new() -> SetTable {
        SetTable::default()
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.used
    }
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }
    #[inline]
    fn mask(&self) -> usize {
        self.table.len() - 1
    }
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn probe_start(&self, hash: i64) -> ProbeState {
        ProbeState {
            hash,
            i: 0,
            j: 0,
            perturb: hash as u64,
            freeslot: None,
            empty: 0,
            generation: self.generation,
            started: false,
        }
    }

    /// Moves the probe to the next slot of CPython's sequence.
    #[inline]
    fn advance(&self, st: &mut ProbeState) {
        let mask = self.mask();
        let run = if st.i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
        if st.j < run {
            st.j += 1;
        } else {
            st.perturb >>= PERTURB_SHIFT;
            st.i = (st.i.wrapping_mul(5).wrapping_add(1).wrapping_add(st.perturb as usize)) & mask;
            st.j = 0;
        }
    }

    /// Advances a probe for `key`; see [`SetProbe`].
    pub fn probe(&self, key: &Value, st: &mut ProbeState) -> SetProbe {
        if !st.started {
            st.started = true;
            st.i = (st.hash as u64 as usize) & self.mask();
            st.j = 0;
        } else {
            self.advance(st);
        }
        loop {
            let idx = st.i + st.j;
            let e = &self.table[idx];
            match &e.key {
                None if e.hash == 0 => {
                    st.empty = idx;
                    return SetProbe::Missing;
                }
                None => {
                    st.freeslot.get_or_insert(idx);
                }
                Some(k) => {
                    if e.hash == st.hash {
                        // Identity first (`x is key or x == key`): the same NaN is found.
                        let same = if let (Value::Float(a), Value::Float(b)) = (k, key) { a.to_bits() == b.to_bits() } else { false };
                        match if same { Some(true) } else { fast_key_eq(k, key) } {
                            Some(true) => return SetProbe::Found(idx),
                            Some(false) => {}
                            None => return SetProbe::NeedEq(idx, k.clone()),
                        }
                    }
                }
            }
            self.advance(st);
        }
    }

    /// Walks CPython's probe sequence for `key` without running Python code:
    /// the common case of every lookup and insert. Gives up (`Scan::NeedEq`)
    /// at the first same-hash key whose equality only Python can decide; the
    /// resumable `probe` then takes over. Follows exactly the sequence of
    /// `probe`/`advance`, so both agree on where a key lives. `FREE` also
    /// records the first dummy met (inserts reuse it; lookups need not pay).
    #[inline(always)]
    fn scan<const FREE: bool>(&self, key: &Value, hash: i64) -> Scan {
        let table = &self.table[..];
        let mask = table.len() - 1;
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut free = None;
        loop {
            let run = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            // One bounds check per run of neighbouring slots, not per slot.
            for (off, e) in table[i..=i + run].iter().enumerate() {
                // Empty slots have hash 0 and dummies -1, which no key's hash
                // is (-1 always becomes -2): in a miss one compare settles
                // nearly every slot.
                if e.hash == hash {
                    if let Some(k) = &e.key {
                        match native_eq(k, key) {
                            Some(true) => return Scan::Found(i + off),
                            Some(false) => continue,
                            None => return Scan::NeedEq,
                        }
                    }
                }
                if e.hash == 0 && e.key.is_none() {
                    return Scan::Missing { free, empty: i + off };
                }
                if FREE && free.is_none() && e.key.is_none() {
                    free = Some(i + off);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// A lookup that never needs Python-level `__eq__`: Some(slot or None)
    /// when every same-hash key met compares natively (ints, floats, exact
    /// strs, identical objects); None when the general probe must decide.
    #[inline]
    pub fn find_native(&self, key: &Value, hash: i64) -> Option<Option<usize>> {
        match self.scan::<false>(key, hash) {
            Scan::Found(i) => Some(Some(i)),
            Scan::Missing { .. } => Some(None),
            Scan::NeedEq => None,
        }
    }

    /// Adds `key` if it can be done without Python-level `__eq__`; hands the
    /// key back otherwise. Same placement as `probe` + `insert_missing`.
    #[inline]
    pub fn add_native(&mut self, key: Value, hash: i64) -> Result<(), Value> {
        match self.scan::<true>(&key, hash) {
            Scan::Found(_) => Ok(()),
            Scan::Missing { free, empty } => {
                self.place(free, empty, key, hash);
                Ok(())
            }
            Scan::NeedEq => Err(key),
        }
    }

    /// Stores a missing key in the first dummy of its probe sequence if any,
    /// else in the empty slot that ended it (then maybe grows the table).
    #[inline]
    fn place(&mut self, free: Option<usize>, empty: usize, key: Value, hash: i64) {
        self.hash = -1;
        self.used += 1;
        if let Some(f) = free {
            self.table[f] = SetEntry { key: Some(key), hash };
            return;
        }
        self.table[empty] = SetEntry { key: Some(key), hash };
        self.fill += 1;
        if self.fill * 5 >= self.mask() * 3 {
            self.resize(if self.used > 50000 { self.used * 2 } else { self.used * 4 });
        }
    }

    /// `self - other` into the empty `out` when no key needs Python-level
    /// `__eq__` (CPython's `set_difference` loop: each key of `self`, in
    /// table order, that `other` lacks is added to `out`). False, with `out`
    /// left partly filled, when the general path must run instead.
    pub fn difference_native(&self, other: &SetTable, out: &mut SetTable) -> bool {
        for e in &self.table {
            if let Some(k) = &e.key {
                match other.scan::<false>(k, e.hash) {
                    Scan::Found(_) => {}
                    Scan::Missing { .. } => {
                        if out.add_native(k.clone(), e.hash).is_err() {
                            return false;
                        }
                    }
                    Scan::NeedEq => return false,
                }
            }
        }
        true
    }

    /// Removes each key of `other` (a different table) that is found without
    /// Python-level `__eq__`. Removed heap keys go to `removed`, to be dropped
    /// once the tables are released (a `__del__` may look at them). False
    /// when some key needs `__eq__`: the general path must finish the job
    /// (keys removed so far are simply missing for it).
    pub fn difference_update_native(&mut self, other: &SetTable, removed: &mut Vec<Value>) -> bool {
        for e in &other.table {
            if let Some(k) = &e.key {
                match self.scan::<false>(k, e.hash) {
                    Scan::Found(i) => {
                        if let Some(old @ Value::Obj(_)) = self.remove_at(i) {
                            removed.push(old);
                        }
                    }
                    Scan::Missing { .. } => {}
                    Scan::NeedEq => return false,
                }
            }
        }
        true
    }

    /// Is the probe still valid after Python code ran (same slot array, the
    /// candidate still in its slot)?
    pub fn probe_still_valid(&self, st: &ProbeState, idx: usize, candidate: &Value) -> bool {
        st.generation == self.generation && self.table[idx].key.as_ref().map_or(false, |k| k.is(candidate))
    }

    /// Inserts a key the probe found missing.
    pub fn insert_missing(&mut self, st: &ProbeState, key: Value) {
        self.place(st.freeslot, st.empty, key, st.hash);
    }

    /// Turns the active slot `idx` into a dummy; returns the key.
    pub fn remove_at(&mut self, idx: usize) -> Option<Value> {
        let k = self.table[idx].key.take()?;
        self.table[idx].hash = -1;
        self.used -= 1;
        self.hash = -1;
        Some(k)
    }

    /// Rebuilds the table with room for `minused` keys (CPython's
    /// `set_table_resize`: the smallest power of two above `minused`).
    pub fn resize(&mut self, minused: usize) {
        let old = std::mem::replace(&mut self.table, vec![EMPTY_ENTRY; table_size_for(minused)]);
        self.fill = self.used;
        self.generation += 1;
        for e in old {
            if let Some(k) = e.key {
                self.insert_clean(k, e.hash);
            }
        }
    }

    /// Inserts into a table known to have no dummies and not to hold the key.
    fn insert_clean(&mut self, key: Value, hash: i64) {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            if self.table[i].key.is_none() {
                self.table[i] = SetEntry { key: Some(key), hash };
                return;
            }
            if i + LINEAR_PROBES <= mask {
                for j in 1..=LINEAR_PROBES {
                    if self.table[i + j].key.is_none() {
                        self.table[i + j] = SetEntry { key: Some(key), hash };
                        return;
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// Removes everything; the old keys are returned so the caller drops them
    /// after releasing the table (their `__del__` may look at the set).
    pub fn clear(&mut self) -> Vec<Value> {
        let old = std::mem::replace(&mut self.table, vec![EMPTY_ENTRY; MIN_SIZE]);
        self.fill = 0;
        self.used = 0;
        self.generation += 1;
        self.hash = -1;
        old.into_iter().filter_map(|e| e.key).collect()
    }

    /// Exchanges contents with another table (`intersection_update`).
    pub fn swap_contents(&mut self, other: &mut SetTable) {
        std::mem::swap(&mut self.table, &mut other.table);
        std::mem::swap(&mut self.fill, &mut other.fill);
        std::mem::swap(&mut self.used, &mut other.used);
        self.generation += 1;
        other.generation += 1;
        self.hash = -1;
        other.hash = -1;
    }

    /// `set.pop()`: scans from the finger (CPython's order).
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while self.table[i].key.is_none() {
            i = if i == mask { 0 } else { i + 1 };
        }
        let k = self.remove_at(i);
        self.finger = i + 1;
        k
    }

    /// Active (key, hash) pairs in table order.
    pub fn entries(&self) -> Vec<(Value, i64)> {
        self.table.iter().filter_map(|e| e.key.as_ref().map(|k| (k.clone(), e.hash))).collect()
    }

    /// Active keys in table order.
    pub fn keys(&self) -> Vec<Value> {
        self.table.iter().filter_map(|e| e.key.clone()).collect()
    }

    /// The active entry at or after slot `pos` and the position after it
    /// (for iterators that survive across calls).
    pub fn next_entry(&self, mut pos: usize) -> Option<(usize, &Value)> {
        while pos < self.table.len() {
            if let Some(k) = &self.table[pos].key {
                return Some((pos + 1, k));
            }
            pos += 1;
        }
        None
    }

    /// The key in slot `idx` if active.
    pub fn key_at(&self, idx: usize) -> Option<&Value> {
        self.table.get(idx).and_then(|e| e.key.as_ref())
    }

    pub fn fill(&self) -> usize {
        self.fill
    }
    pub fn mask_value(&self) -> usize {
        self.mask()
    }
    /// Slot count (for `__sizeof__`).
    pub fn capacity(&self) -> usize {
        self.table.len()
    }
    pub fn is_dummy_free(&self) -> bool {
        self.fill == self.used
    }

    /// Copies another table's slots verbatim (CPython's fast path when merging
    /// into an empty set of the same size with no dummies).
    fn copy_slots_from(&mut self, other: &SetTable) {
        // (The replaced slots are all empty: nothing to drop.)
        self.table.clone_from(&other.table);
        self.fill = other.fill;
        self.used = other.used;
        self.generation += 1;
        self.hash = -1;
    }

    /// The frozenset hash (CPython's `frozenset_hash`): order independent.
    pub fn compute_hash(&self) -> i64 {
        fn shuffle(h: u64) -> u64 {
            ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
        }
        let mut hash: u64 = 0;
        for e in &self.table {
            if e.key.is_some() {
                hash ^= shuffle(e.hash as u64);
            }
        }
        hash ^= (self.used as u64 + 1).wrapping_mul(1927868237);
        hash ^= (hash >> 11) ^ (hash >> 25);
        hash = hash.wrapping_mul(69069).wrapping_add(907133923);
        if hash == u64::MAX {
            hash = 590923713;
        }
        hash as i64
    }
}

/// What `set |= other` style merging sees of `other` without running code.
pub enum Source {
    Set(Vec<(Value, i64)>),
    Other,
}

impl Vm {
    /// An empty set or frozenset payload (its table from the spares, if any).
    fn set_payload(&self, kind_frozen: bool) -> Payload {
        let b = SPARES.try_with(|s| s.borrow_mut().pop()).ok().flatten().unwrap_or_default();
        if kind_frozen {
            Payload::FrozenSet(b)
        } else {
            Payload::Set(b)
        }
    }

    /// A new `set` holding `items`.
    pub fn new_set(&self, items: Vec<Value>) -> PyResult<Value> {
        let s = PyRef::new(self.types.set.clone(), self.set_payload(false));
        let t = s.payload.as_set().unwrap();
        for x in items {
            self.set_table_add(t, x)?;
        }
        Ok(Value::Obj(s))
    }

    /// A new `frozenset` holding `items`.
    pub fn new_frozenset(&self, items: Vec<Value>) -> PyResult<Value> {
        let s = PyRef::new(self.types.frozenset.clone(), self.set_payload(true));
        let t = s.payload.as_set().unwrap();
        for x in items {
            self.set_table_add(t, x)?;
        }
        Ok(Value::Obj(s))
    }

    /// An empty set-like object of `cls` (set, frozenset or a subclass of either).
    pub fn new_set_of_type(&self, cls: &PyRef) -> Value {
        // The exact types first: no MRO walk on the hot path.
        if cls.is(&self.types.set) || cls.is(&self.types.frozenset) {
            let frozen = cls.is(&self.types.frozenset);
            return Value::Obj(PyRef::new(cls.clone(), self.set_payload(frozen)));
        }
        let frozen = self.is_subtype(cls, &self.types.frozenset);
        let payload = self.set_payload(frozen);
        Value::Obj(PyRef::new_instance(cls.clone(), Some(Box::new(payload))))
    }

    /// `set.add(value)` on any set value.
    pub fn set_add(&self, set: &Value, value: Value) -> PyResult<()> {
        let t = set.payload().and_then(|p| p.as_set()).expect("set_add on a non-set");
        self.set_table_add(t, value)
    }

    /// `value in set` (no frozenset retry for unhashable set keys; see set_methods).
    pub fn set_contains(&self, set: &Value, value: &Value) -> PyResult<bool> {
        let t = set.payload().and_then(|p| p.as_set()).expect("set_contains on a non-set");
        let h = self.hash(value)?;
        Ok(self.set_table_find(t, value, h)?.is_some())
    }

    pub fn set_table_add(&self, t: &RefCell<SetTable>, key: Value) -> PyResult<()> {
        let h = self.hash(&key)?;
        self.set_table_add_hashed(t, key, h)
    }

    /// Adds `key` with known hash, running `__eq__` with the table released.
    pub fn set_table_add_hashed(&self, t: &RefCell<SetTable>, key: Value, hash: i64) -> PyResult<()> {
        let key = match t.borrow_mut().add_native(key, hash) {
            Ok(()) => return Ok(()),
            Err(key) => key,
        };
        'restart: loop {
            let mut st = t.borrow().probe_start(hash);
            loop {
                let step = t.borrow().probe(&key, &mut st);
                match step {
                    SetProbe::Found(_) => return Ok(()),
                    SetProbe::Missing => {
                        t.borrow_mut().insert_missing(&st, key);
                        return Ok(());
                    }
                    SetProbe::NeedEq(idx, cand) => {
                        let eq = self.eq_bool(&cand, &key)?;
                        if eq {
                            return Ok(());
                        }
                        if !t.borrow().probe_still_valid(&st, idx, &cand) {
                            continue 'restart;
                        }
                    }
                }
            }
        }
    }

    /// The slot holding `key`, if present.
    pub fn set_table_find(&self, t: &RefCell<SetTable>, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        if let Some(found) = t.borrow().find_native(key, hash) {
            return Ok(found);
        }
        'restart: loop {
            let mut st = t.borrow().probe_start(hash);
            loop {
                let step = t.borrow().probe(key, &mut st);
                match step {
                    SetProbe::Found(i) => return Ok(Some(i)),
                    SetProbe::Missing => return Ok(None),
                    SetProbe::NeedEq(idx, cand) => {
                        let eq = self.eq_bool(&cand, key)?;
                        let valid = t.borrow().probe_still_valid(&st, idx, &cand);
                        if eq && valid {
                            return Ok(Some(idx));
                        }
                        if eq {
                            // Equal, but the set changed under us: look again.
                            continue 'restart;
                        }
                        if !valid {
                            continue 'restart;
                        }
                    }
                }
            }
        }
    }

    /// Removes `key` (known hash); true if it was present.
    pub fn set_table_discard_hashed(&self, t: &RefCell<SetTable>, key: &Value, hash: i64) -> PyResult<bool> {
        match self.set_table_find(t, key, hash)? {
            Some(idx) => {
                let old = t.borrow_mut().remove_at(idx);
                drop(old);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// CPython's `set_update_internal`: adds everything `other` yields, with
    /// the set/dict fast paths whose pre-sizing decides the final order.
    pub fn set_table_update(&self, t: &RefCell<SetTable>, other: &Value) -> PyResult<()> {
        if let Some(ot) = other.payload().and_then(|p| p.as_set()) {
            if std::ptr::eq(ot, t) {
                return Ok(());
            }
            let o = ot.borrow();
            if o.used == 0 {
                return Ok(());
            }
            {
                let mut s = t.borrow_mut();
                let grow_to = if (s.fill + o.used) * 5 >= s.mask() * 3 { Some((s.used + o.used) * 2) } else { None };
                let size = grow_to.map_or(s.table.len(), table_size_for);
                if s.fill == 0 && size == o.table.len() && o.fill == o.used {
                    // What growing then copying would give, without building
                    // the grown table first.
                    s.copy_slots_from(&o);
                    return Ok(());
                }
                if let Some(n) = grow_to {
                    s.resize(n);
                }
                if s.fill == 0 {
                    for e in &o.table {
                        if let Some(k) = &e.key {
                            s.insert_clean(k.clone(), e.hash);
                        }
                    }
                    s.fill = o.used;
                    s.used = o.used;
                    s.hash = -1;
                    return Ok(());
                }
            }
            let entries = o.entries();
            drop(o);
            for (k, h) in entries {
                self.set_table_add_hashed(t, k, h)?;
            }
            return Ok(());
        }
        if let Value::Obj(o) = other {
            if o.class().is(&self.types.dict) {
                let items: Vec<(Value, i64)> = {
                    let d = o.payload.as_dict().unwrap().borrow();
                    d.iter().map(|e| (e.key.clone(), e.hash)).collect()
                };
                {
                    let mut s = t.borrow_mut();
                    if (s.fill + items.len()) * 5 >= s.mask() * 3 {
                        let n = (s.used + items.len()) * 2;
                        s.resize(n);
                    }
                }
                for (k, h) in items {
                    self.set_table_add_hashed(t, k, h)?;
                }
                return Ok(());
            }
        }
        if let Some(items) = self.exact_seq_items(other) {
            for x in items {
                self.set_table_add(t, x)?;
            }
            return Ok(());
        }
        let it = self.iter(other)?;
        while let Some(x) = self.next(&it)? {
            self.set_table_add(t, x)?;
        }
        Ok(())
    }

    /// The frozenset hash of a set table (cached).
    pub fn set_table_hash(&self, t: &RefCell<SetTable>) -> i64 {
        let mut s = t.borrow_mut();
        if s.hash == -1 {
            s.hash = s.compute_hash();
        }
        s.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(vm: &Vm, items: &[i64]) -> Vec<i64> {
        let s = vm.new_set(items.iter().map(|&i| Value::Int(i)).collect()).unwrap();
        let t = s.payload().unwrap().as_set().unwrap().borrow();
        t.keys().into_iter().map(|v| if let Value::Int(i) = v { i } else { panic!() }).collect()
    }

    #[test]
    fn order_matches_cpython() {
        let vm = Vm::new(Default::default());
        // python3 -c "print({3, 1, 2}); print({10, 100, 1000, 8})"
        assert_eq!(order(&vm, &[3, 1, 2]), vec![1, 2, 3]);
        assert_eq!(order(&vm, &[10, 100, 1000, 8]), vec![1000, 8, 10, 100]);
        // CPython compiles a literal of 3+ constants as a frozenset constant
        // (built from the literal, then rebuilt from its own iteration order by
        // the constant merger) merged into an empty set:
        // print({-1, -2, 2**40, 17, 33, 7})
        let fz = vm.new_frozenset([-1, -2, 1 << 40, 17, 33, 7].iter().map(|&i| Value::Int(i)).collect()).unwrap();
        let fz = vm.new_frozenset(fz.payload().unwrap().as_set().unwrap().borrow().keys()).unwrap();
        let s = vm.new_set(vec![]).unwrap();
        vm.set_table_update(s.payload().unwrap().as_set().unwrap(), &fz).unwrap();
        let keys: Vec<i64> = s.payload().unwrap().as_set().unwrap().borrow().keys().into_iter()
            .map(|v| if let Value::Int(i) = v { i } else { panic!() }).collect();
        assert_eq!(keys, vec![1099511627776, 33, 17, -2, 7, -1]);
        // s = set(range(20)); for i in range(0, 20, 3): s.discard(i)
        // s.add(100); s.add(35); print(s.pop(), s)
        let s = vm.new_set(vec![]).unwrap();
        let t = s.payload().unwrap().as_set().unwrap();
        let r = vm.new_list((0..20).map(Value::Int).collect());
        vm.set_table_update(t, &r).unwrap();
        for i in (0..20).step_by(3) {
            let h = vm.hash(&Value::Int(i)).unwrap();
            vm.set_table_discard_hashed(t, &Value::Int(i), h).unwrap();
        }
        vm.set_add(&s, Value::Int(100)).unwrap();
        vm.set_add(&s, Value::Int(35)).unwrap();
        let popped = t.borrow_mut().pop().unwrap();
        assert!(matches!(popped, Value::Int(1)));
        let keys: Vec<i64> = t.borrow().keys().into_iter().map(|v| if let Value::Int(i) = v { i } else { panic!() }).collect();
        assert_eq!(keys, vec![2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 35, 100]);
    }

    #[test]
    fn frozenset_hash_matches_cpython() {
        let vm = Vm::new(Default::default());
        let s = vm.new_frozenset(vec![Value::Int(1), Value::Int(2), Value::Int(3)]).unwrap();
        let t = s.payload().unwrap().as_set().unwrap();
        // python3 -c "print(hash(frozenset({1,2,3})))"
        assert_eq!(vm.set_table_hash(t), -272375401224217160);
        let e = vm.new_frozenset(vec![]).unwrap();
        assert_eq!(vm.set_table_hash(e.payload().unwrap().as_set().unwrap()), 133146708735736);
    }
}
