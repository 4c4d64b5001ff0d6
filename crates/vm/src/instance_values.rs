//! Instance attributes kept inline in the instance, without a dict: the
//! memory layout of CPython's split-keys instance dicts, reduced to what
//! a program cannot tell apart from a dict.
//!
//! A heap class whose instances have a `__dict__` keeps one list of
//! attribute names shared by all its instances (`SharedKeys`, append-only,
//! at most `MAX_SHARED_KEYS`). Each instance gets a few one-word cells
//! after its `__slots__` cells (`object_slots.rs`); while the instance has
//! no dict object, its attributes are exactly the first `n` shared names,
//! in that order, with their values in the first `n` cells (the other
//! cells unset). So an instance whose `__init__` sets `x`, `y`, `z` costs
//! three words, and `obj.x` is one cell read at an index the eval loop's
//! attribute cache remembers (`eval/attr_cache.rs`).
//!
//! Anything that does not fit that shape moves the values into a real
//! dict ("materializes" it), after which the instance works through its
//! dict as before: a store of a name in another order or beyond the cells,
//! a delete, a non-str name, and any request for the dict itself
//! (`__dict__`, `vars()`, pickling, `__class__` assignment). The dict's
//! entries are the names and values in the same order, so what Python
//! code sees is the same either way.

use crate::object::PyRef;
use crate::object_slots::SlotCell;
use crate::payload::InstanceData;
use crate::types::typeobj::TypeData;
use crate::value::Value;
use crate::Vm;
use std::cell::{Cell, OnceCell};

/// The most names a class shares (CPython's split keys stop at 30 too).
pub const MAX_SHARED_KEYS: usize = 30;

/// The attribute names shared by the instances of one class.
pub struct SharedKeys {
    /// Set once each, in order: entries `0..len` are set.
    names: Box<[OnceCell<PyRef>]>,
    len: Cell<u32>,
    /// A one-bit-per-name Bloom filter over the names' str hashes: most
    /// lookups of an absent name (a method or class attribute looked up on
    /// the instance first) end here without scanning the names.
    bloom: [Cell<u64>; 4],
    /// Cells each instance gets: estimated when the first instance is made
    /// (`UNKNOWN` until then), fixed after that, so that all instances of
    /// a class have the same size.
    cells: Cell<u32>,
}

const UNKNOWN: u32 = u32::MAX;

impl SharedKeys {
    pub fn new() -> Box<SharedKeys> {
        Box::new(SharedKeys {
            names: (0..MAX_SHARED_KEYS).map(|_| OnceCell::new()).collect(),
            len: Cell::new(0),
            bloom: Default::default(),
            cells: Cell::new(UNKNOWN),
        })
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len.get() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len.get() == 0
    }

    /// The value cells a new instance of `t` (whose keys these are) gets.
    pub fn instance_cells(&self, t: &TypeData) -> usize {
        if self.cells.get() == UNKNOWN {
            self.cells.set(estimate(t).max(self.len()).min(MAX_SHARED_KEYS) as u32);
        }
        self.cells.get() as usize
    }

    /// Is `name` the shared name at index `i`? (By identity: attribute
    /// names in code are interned.)
    #[inline(always)]
    pub fn is_at(&self, i: usize, name: &PyRef) -> bool {
        matches!(self.names.get(i).and_then(|c| c.get()), Some(n) if n.is(name))
    }

    pub fn name(&self, i: usize) -> Option<&PyRef> {
        self.names.get(i)?.get()
    }

    /// The Bloom filter's word and bit for a name's hash.
    #[inline(always)]
    fn bloom_bit(hash: i64) -> (usize, u64) {
        let h = hash as u64;
        ((h >> 6) as usize & 3, 1u64 << (h & 63))
    }

    /// The index of `name` (an exact str): identity first, then equal text.
    pub fn find(&self, name: &PyRef) -> Option<usize> {
        let s = name.payload.as_str()?;
        let (word, bit) = Self::bloom_bit(s.hash());
        if self.bloom[word].get() & bit == 0 {
            return None;
        }
        let names = &self.names[..self.len()];
        if let Some(i) = names
            .iter()
            .position(|n| n.get().is_some_and(|n| n.is(name)))
        {
            return Some(i);
        }
        names.iter().position(|n| {
            n.get()
                .and_then(|n| n.payload.as_str())
                .is_some_and(|t| t.hash() == s.hash() && t.as_str() == s.as_str())
        })
    }

    /// Appends `name`; None when full.
    fn push(&self, name: &PyRef) -> Option<usize> {
        let i = self.len();
        let hash = name.payload.as_str()?.hash();
        self.names.get(i)?.set(name.clone()).ok()?;
        self.len.set(i as u32 + 1);
        let (word, bit) = Self::bloom_bit(hash);
        self.bloom[word].set(self.bloom[word].get() | bit);
        Some(i)
    }
}

/// The value cells of `inst` (those after its `__slots__` cells).
#[inline(always)]
pub fn cells<'a>(t: &TypeData, inst: &'a InstanceData) -> &'a [SlotCell] {
    // (Types without shared keys have no value cells: native record types
    // keep fields of their own after the slots.)
    match t.shared_keys {
        Some(_) => inst.slots.get(t.slot_names.len()..).unwrap_or(&[]),
        None => &[],
    }
}

/// Does `inst` keep its attributes inline (no dict object)?
#[inline(always)]
pub fn is_inline(inst: &InstanceData) -> bool {
    inst.dict.peek().is_none()
}

/// What an inline lookup found.
pub enum Inline {
    Found(Value),
    /// The instance has no attribute of that name.
    Absent,
    /// The instance has a dict: look there.
    HasDict,
}

/// `name` among the inline attributes of `inst`, which has no dict, trying
/// shared index `hint` first (and remembering where it was found).
#[inline(always)]
pub fn get_hinted(
    t: &TypeData,
    inst: &InstanceData,
    name: &PyRef,
    hint: &Cell<u32>,
) -> Option<Value> {
    let keys = t.shared_keys.as_deref()?;
    let i = hint.get() as usize;
    if keys.is_at(i, name) {
        return cells(t, inst).get(i)?.get();
    }
    get_probe(t, keys, inst, name, hint)
}

#[inline(never)]
fn get_probe(
    t: &TypeData,
    keys: &SharedKeys,
    inst: &InstanceData,
    name: &PyRef,
    hint: &Cell<u32>,
) -> Option<Value> {
    let i = keys.find(name)?;
    hint.set(i as u32);
    cells(t, inst).get(i)?.get()
}

/// `name` among the inline attributes of `inst`.
pub fn get(t: &TypeData, inst: &InstanceData, name: &PyRef) -> Inline {
    if !is_inline(inst) {
        return Inline::HasDict;
    }
    match get_hinted(t, inst, name, &Cell::new(0)) {
        Some(v) => Inline::Found(v),
        None => Inline::Absent,
    }
}

/// Replaces the value of an attribute `inst` already has at shared index
/// `hint`; hands `v` back otherwise. The old value goes after the store.
/// `inst` has no dict.
#[inline(always)]
pub fn replace_hinted(
    t: &TypeData,
    inst: &InstanceData,
    name: &PyRef,
    hint: &Cell<u32>,
    v: Value,
) -> Result<(), Value> {
    let Some(keys) = t.shared_keys.as_deref() else {
        return Err(v);
    };
    let i = hint.get() as usize;
    match cells(t, inst).get(i) {
        Some(c) if keys.is_at(i, name) && c.is_set() => {
            c.set(Some(v));
            Ok(())
        }
        _ => Err(v),
    }
}

/// Stores `name` = `v` inline when the instance's shape allows (replacing,
/// or appending the next shared name, or a new name when the instance has
/// all of them); remembers the index in `hint`. Hands `v` back when the
/// instance needs a dict for it (see the module docs).
pub fn store(
    vm: &Vm,
    t: &TypeData,
    inst: &InstanceData,
    name: &PyRef,
    hint: &Cell<u32>,
    v: Value,
) -> Result<(), Value> {
    if !is_inline(inst) || !name.class().is(&vm.types.str) {
        return Err(v);
    }
    let Some(keys) = t.shared_keys.as_deref() else {
        return Err(v);
    };
    let cs = cells(t, inst);
    // The number of attributes set: the set cells are a prefix.
    let used = cs.iter().position(|c| !c.is_set()).unwrap_or(cs.len());
    let i = match keys.find(name) {
        Some(i) if i < used => {
            hint.set(i as u32);
            cs[i].set(Some(v));
            return Ok(());
        }
        Some(i) if i == used => i,
        Some(_) => return Err(v),
        // A new name: only an instance with every shared name and a cell
        // to spare can add it (its order then matches the shared order).
        None if used == keys.len() && used < cs.len() => match keys.push(name) {
            Some(i) => i,
            None => return Err(v),
        },
        None => return Err(v),
    };
    match cs.get(i) {
        Some(c) => {
            hint.set(i as u32);
            c.set(Some(v));
            Ok(())
        }
        None => Err(v),
    }
}

/// The dict of `inst`, made from its inline attributes if it has none:
/// the names and values move into it in order, and the instance uses it
/// from then on.
pub fn materialize(vm: &Vm, t: &TypeData, inst: &InstanceData) -> PyRef {
    if let Some(Value::Obj(d)) = inst.dict.get() {
        return d;
    }
    let d = vm.new_dict();
    if let Some(keys) = t.shared_keys.as_deref() {
        for (i, c) in cells(t, inst).iter().enumerate() {
            // Moved over: the reference goes from the cell to the dict, and
            // inserting an exact str key runs no Python code.
            let (Some(v), Some(name)) = (c.take(), keys.name(i)) else {
                break;
            };
            vm.dict_set_str(&d, name, v);
        }
    }
    inst.dict.set(Some(Value::Obj(d.clone())));
    d
}

/// Does `inst` have any inline attribute?
pub fn has_any(t: &TypeData, inst: &InstanceData) -> bool {
    is_inline(inst) && cells(t, inst).first().is_some_and(|c| c.is_set())
}

/// Empties the inline attributes of `o` (for `__dict__` assignment),
/// handing the values back to be dropped once the instance is consistent
/// again.
pub fn take_all_of(o: &PyRef) -> Vec<Value> {
    match (&o.payload, o.class().payload.as_type()) {
        (crate::payload::Payload::Instance(inst), Some(t)) if is_inline(inst) => {
            cells(t, inst).iter().map_while(|c| c.take()).collect()
        }
        _ => Vec::new(),
    }
}

/// How many value cells the instances of `t` should get: the distinct
/// names its methods and those of its bases store on their first argument
/// (`self.NAME = ...`, compiled `LOAD_FAST 0; STORE_ATTR name`), as
/// CPython 3.13 estimates. Made at the first instance, so methods added
/// after the class statement (a dataclass's `__init__`) count too.
fn estimate(t: &TypeData) -> usize {
    use krait_compiler::bytecode::Opcode;
    let mut names: Vec<String> = Vec::new();
    let Ok(mro) = t.mro.try_borrow() else { return 0 };
    for cls in mro.iter() {
        let Some(ct) = cls.payload.as_type() else { continue };
        let Some(table) = ct.dict.payload.as_dict() else { continue };
        let Ok(table) = table.try_borrow() else { continue };
        for e in table.iter() {
            let Some(crate::payload::Payload::Function(fd)) = e.value.payload() else { continue };
            let code = &crate::eval::frame::pycode(&fd.code).code;
            if code.argcount == 0 {
                continue;
            }
            for w in code.code.windows(2) {
                let (a, b) = (Opcode::from_u8(w[0].op_byte()), Opcode::from_u8(w[1].op_byte()));
                if a == Some(Opcode::LoadFast) && w[0].arg() == 0 && b == Some(Opcode::StoreAttr) {
                    if let Some(n) = code.names.get(w[1].arg() as usize) {
                        if !names.contains(n) {
                            names.push(n.clone());
                        }
                    }
                }
            }
        }
    }
    names.len()
}
