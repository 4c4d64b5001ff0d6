//! `code` objects: a compiled `CodeObject` plus its constants and names turned
//! into VM values once, when the code is loaded.

use crate::object::PyRef;
use crate::value::Value;
use krait_compiler::CodeObject;

pub struct PyCode {
    pub code: CodeObject,
    /// `code.code` quickened (`eval/quicken.rs`): what the eval loop runs.
    pub quick: Box<[krait_compiler::bytecode::Instr]>,
    /// Where a call starts: 1 past an opening `RESUME 0` (a no-op), else 0.
    pub start: u32,
    /// Fast locals + cells + frees: where a frame's value stack starts.
    pub nlocalsplus: u32,
    /// The slots a frame needs: `nlocalsplus`, the stack, one spare.
    pub frame_slots: u32,
    /// `code.consts` as values (nested code objects become `code` objects).
    pub consts: Box<[Value]>,
    /// `code.names`, interned.
    pub names: Box<[PyRef]>,
    /// `code.varnames`, interned (keyword arguments match against these).
    pub varnames: Box<[PyRef]>,
    /// Cell names then free names, interned.
    pub cell_and_free: Box<[PyRef]>,
    /// Interned `name`, `qualname`, `filename`.
    pub name: PyRef,
    pub qualname: PyRef,
    pub filename: PyRef,
    /// True when a call with exactly `argcount` positional arguments only has
    /// to move them into the first fast locals: no `*args`/`**kwargs`, no
    /// keyword-only parameters, no cells or free variables, not a generator.
    pub simple_args: bool,
    /// One attribute cache per name for `LOAD_ATTR`/`STORE_ATTR`/`LOAD_METHOD`
    /// (indexed like `names`).
    pub attr_cache: Box<[AttrCache]>,
    /// One cache per name for `LOAD_GLOBAL` (indexed like `names`).
    pub global_cache: Box<[GlobalCache]>,
}

/// Where `LOAD_GLOBAL` found a name the last time: valid while the globals
/// and builtins dicts keep the keys versions it was filled under (a value
/// replaced in place needs no invalidation: the entry index is cached, not
/// the value).
pub struct GlobalCache {
    pub globals_version: std::cell::Cell<u64>,
    pub builtins_version: std::cell::Cell<u64>,
    /// Entry index; the top bit set means "in builtins".
    pub index: std::cell::Cell<u32>,
}

impl GlobalCache {
    pub const IN_BUILTINS: u32 = 1 << 31;

    pub fn empty() -> GlobalCache {
        GlobalCache {
            globals_version: std::cell::Cell::new(u64::MAX),
            builtins_version: std::cell::Cell::new(u64::MAX),
            index: std::cell::Cell::new(0),
        }
    }
}

/// What attribute instructions found for one name of the code object on up
/// to four type states (type version tags): CPython 3.11's LOAD_ATTR_SLOT /
/// LOAD_ATTR_WITH_HINT / LOAD_METHOD specialisations, kept per name rather
/// than per instruction. Several states, so a name used on a few classes (a
/// base class method run on instances of its subclasses) does not refill on
/// every switch; the one filled last is in `first`, where the inlined hit
/// paths look, and the others are allocated only once a second type shows
/// up. Used by `eval/attr_cache.rs`.
pub struct AttrCache {
    pub first: AttrEntry,
    pub more: std::cell::OnceCell<Box<[AttrEntry; 3]>>,
    /// Which of `more` the next refill evicts (they take turns).
    pub victim: std::cell::Cell<u8>,
}

/// One type state's answer for a name.
pub struct AttrEntry {
    /// The type version tag the entry is valid for (0: empty).
    pub version: std::cell::Cell<u64>,
    pub kind: std::cell::Cell<AttrKind>,
    /// `AttrEntry::LOAD` / `AttrEntry::STORE`: which fast paths the type
    /// allows (no custom `__getattribute__`; no custom `__setattr__`).
    pub mode: std::cell::Cell<u8>,
    /// The `__slots__` cell index for `AttrKind::Slot`; for the kinds that
    /// consult the instance dict, the entry index where the name was found
    /// last (a hint, checked by key identity before use).
    pub index: std::cell::Cell<u32>,
    /// What the type lookup found (the method for `AttrKind::Method`, the
    /// value for `AttrKind::ClassValue`), held without a reference and
    /// valid for its own version tag only.
    pub method: crate::types::typeobj::CachedLookup,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AttrKind {
    /// Nothing cacheable: the generic path decides.
    Generic,
    /// A `__slots__` member of the type: the value is in the instance's slot cell.
    Slot,
    /// No attribute of that name on the type at all: only the instance dict.
    Dict,
    /// A plain function or method descriptor on the type (not shadowed
    /// unless the instance dict has the name).
    Method,
    /// A plain value on the type that is no descriptor (a class-level
    /// default such as `x = 0`): the instance dict, else that value.
    ClassValue,
}

impl AttrEntry {
    /// Loads may use the entry (the type's `__getattribute__` is object's).
    pub const LOAD: u8 = 1;
    /// Stores may use the entry (`__setattr__` is object's; for the dict
    /// kinds also: instances have a `__dict__`).
    pub const STORE: u8 = 2;

    pub fn empty() -> AttrEntry {
        AttrEntry {
            version: std::cell::Cell::new(0),
            kind: std::cell::Cell::new(AttrKind::Generic),
            mode: std::cell::Cell::new(0),
            index: std::cell::Cell::new(0),
            method: crate::types::typeobj::CachedLookup::empty(),
        }
    }

    /// Makes this entry a copy of `other`.
    pub fn copy_from(&self, other: &AttrEntry) {
        self.version.set(other.version.get());
        self.kind.set(other.kind.get());
        self.mode.set(other.mode.get());
        self.index.set(other.index.get());
        self.method.copy_from(&other.method);
    }
}

impl AttrCache {
    pub fn empty() -> AttrCache {
        AttrCache { first: AttrEntry::empty(), more: std::cell::OnceCell::new(), victim: std::cell::Cell::new(0) }
    }
}
