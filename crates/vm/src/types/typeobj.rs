//! `type`: the data every class carries, C3 linearisation, and attribute lookup
//! along the MRO with a per-type cache of special methods.
//!
//! Special methods (`__add__`, `__eq__`, `__getattribute__`, ...) are resolved
//! through the MRO once and cached in `TypeData::slots`, indexed by [`Slot`].
//! Setting or deleting a dunder on a class (or on any of its bases) refreshes
//! the cache of that class and of all its subclasses, so `a + b` on user
//! classes costs an array index, not a dictionary walk.

use crate::object::{PyRef, ValueCell};
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::{Cell, RefCell};

macro_rules! define_slots {
    ($($name:ident = $dunder:literal,)*) => {
        /// A special method cached per type.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Slot { $($name,)* }
        impl Slot {
            pub const COUNT: usize = [$(Slot::$name,)*].len();
            pub const ALL: [Slot; Slot::COUNT] = [$(Slot::$name,)*];
            pub fn dunder(self) -> &'static str {
                match self { $(Slot::$name => $dunder,)* }
            }
            pub fn from_dunder(name: &str) -> Option<Slot> {
                match name { $($dunder => Some(Slot::$name),)* _ => None }
            }
        }
    };
}

define_slots! {
    GetAttribute = "__getattribute__",
    GetAttr = "__getattr__",
    SetAttr = "__setattr__",
    DelAttr = "__delattr__",
    Get = "__get__",
    Set = "__set__",
    Delete = "__delete__",
    Repr = "__repr__",
    Str = "__str__",
    Hash = "__hash__",
    Eq = "__eq__",
    Ne = "__ne__",
    Lt = "__lt__",
    Le = "__le__",
    Gt = "__gt__",
    Ge = "__ge__",
    Bool = "__bool__",
    Len = "__len__",
    Iter = "__iter__",
    Next = "__next__",
    Contains = "__contains__",
    GetItem = "__getitem__",
    SetItem = "__setitem__",
    DelItem = "__delitem__",
    Missing = "__missing__",
    Call = "__call__",
    New = "__new__",
    Init = "__init__",
    Del = "__del__",
    Enter = "__enter__",
    Exit = "__exit__",
    Index = "__index__",
    Int = "__int__",
    Float = "__float__",
    Complex = "__complex__",
    Neg = "__neg__",
    Pos = "__pos__",
    Invert = "__invert__",
    Abs = "__abs__",
    Add = "__add__",
    RAdd = "__radd__",
    IAdd = "__iadd__",
    Sub = "__sub__",
    RSub = "__rsub__",
    ISub = "__isub__",
    Mul = "__mul__",
    RMul = "__rmul__",
    IMul = "__imul__",
    MatMul = "__matmul__",
    RMatMul = "__rmatmul__",
    IMatMul = "__imatmul__",
    TrueDiv = "__truediv__",
    RTrueDiv = "__rtruediv__",
    ITrueDiv = "__itruediv__",
    FloorDiv = "__floordiv__",
    RFloorDiv = "__rfloordiv__",
    IFloorDiv = "__ifloordiv__",
    Mod = "__mod__",
    RMod = "__rmod__",
    IMod = "__imod__",
    DivMod = "__divmod__",
    RDivMod = "__rdivmod__",
    Pow = "__pow__",
    RPow = "__rpow__",
    IPow = "__ipow__",
    LShift = "__lshift__",
    RLShift = "__rlshift__",
    ILShift = "__ilshift__",
    RShift = "__rshift__",
    RRShift = "__rrshift__",
    IRShift = "__irshift__",
    And = "__and__",
    RAnd = "__rand__",
    IAnd = "__iand__",
    Or = "__or__",
    ROr = "__ror__",
    IOr = "__ior__",
    Xor = "__xor__",
    RXor = "__rxor__",
    IXor = "__ixor__",
    Await = "__await__",
    AIter = "__aiter__",
    ANext = "__anext__",
    AEnter = "__aenter__",
    AExit = "__aexit__",
    Round = "__round__",
    Trunc = "__trunc__",
    Floor = "__floor__",
    Ceil = "__ceil__",
    Format = "__format__",
    Reversed = "__reversed__",
    LengthHint = "__length_hint__",
    InstanceCheck = "__instancecheck__",
    SubclassCheck = "__subclasscheck__",
    ClassGetItem = "__class_getitem__",
    SetName = "__set_name__",
    InitSubclass = "__init_subclass__",
    Dir = "__dir__",
    Bytes = "__bytes__",
    Fspath = "__fspath__",
}

/// Flags of a type.
pub mod type_flags {
    /// Created by a class statement or `type(name, bases, dict)`: attributes may be set.
    pub const HEAPTYPE: u32 = 1;
    /// May be subclassed.
    pub const BASETYPE: u32 = 2;
    /// Instances have a `__dict__`.
    pub const HAS_DICT: u32 = 4;
    /// Instances can be weakly referenced.
    pub const HAS_WEAKREF: u32 = 8;
    /// Is `BaseException` or a subclass.
    pub const EXCEPTION: u32 = 16;
    /// Abstract methods present (`__abstractmethods__` non-empty).
    pub const IS_ABSTRACT: u32 = 32;
    /// Derived from the slot cache by `refresh_slots`: `__getattribute__` is
    /// not the generic one (object's, type's or module's)...
    pub const CUSTOM_GETATTRIBUTE: u32 = 1 << 20;
    /// ... and a `__getattr__` fallback exists. Attribute fast paths test these.
    pub const HAS_GETATTR: u32 = 1 << 21;
    /// `__setattr__`/`__delattr__` are not object's own.
    pub const CUSTOM_SETATTR: u32 = 1 << 22;
    /// A `__del__` is defined (not counting builtin io's own): instances are
    /// finalized before they are freed (`object.rs::free_one`).
    pub const HAS_FINALIZER: u32 = 1 << 23;
}

/// Which payload a type's instances have (the "layout" of its solid base).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Object,
    Int,
    Bool,
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Exception,
    Type,
    Module,
    /// Any other builtin payload (cannot be instantiated by subclassing).
    Other,
}

pub struct TypeData {
    pub name: RefCell<String>,
    pub qualname: RefCell<String>,
    /// `__bases__`.
    pub bases: RefCell<Vec<PyRef>>,
    /// `__base__`: the solid base whose layout instances extend.
    pub base: Option<PyRef>,
    /// `__mro__`, starting with the type itself.
    pub mro: RefCell<Vec<PyRef>>,
    /// The class namespace: a dict object.
    pub dict: PyRef,
    pub flags: Cell<u32>,
    pub layout: Layout,
    /// Names of all `__slots__` over the MRO; instances get one cell each.
    pub slot_names: Vec<PyRef>,
    /// Cached special methods, see the module docs.
    pub slots: RefCell<[Option<Value>; Slot::COUNT]>,
    /// The version tag: renewed from one process-wide counter whenever the type
    /// or a base changes (see `Vm::type_modified`), so a tag names one state of
    /// one type; 0 means "not assigned yet". The attribute cache of
    /// `type_lookup` is keyed by it.
    pub version: Cell<u64>,
    /// Direct subclasses, as raw pointers removed when the subclass is freed.
    pub subclasses: RefCell<Vec<*const crate::object::PyObject>>,
    /// `__doc__` for builtin types (heap types keep it in their dict).
    pub doc: Option<&'static str>,
    /// The metaclass hook for builtins: the native constructor of instances.
    pub native_new: Option<crate::types::function::NativeFn>,
    /// The attribute names shared by instances that keep their attributes
    /// inline (`instance_values.rs`); None for types whose instances never do.
    pub shared_keys: Option<Box<crate::instance_values::SharedKeys>>,
}

impl TypeData {
    pub fn is_heap(&self) -> bool {
        self.flags.get() & type_flags::HEAPTYPE != 0
    }
    pub fn has_flag(&self, f: u32) -> bool {
        self.flags.get() & f != 0
    }
    pub fn name(&self) -> String {
        self.name.borrow().clone()
    }
    #[inline(always)]
    pub fn slot(&self, s: Slot) -> Option<Value> {
        self.slots.borrow()[s as usize].clone()
    }
    #[inline(always)]
    pub fn has_slot(&self, s: Slot) -> bool {
        self.slots.borrow()[s as usize].is_some()
    }
}

/// A fresh type version tag (never 0, never handed out twice). One counter
/// for the whole process: interpreters on other threads (unit tests) take
/// tags too, and a tag given to two types would let one type's cache entries
/// answer for the other, so the increment is atomic.
pub fn next_type_version() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Relaxed)
}

impl Drop for TypeData {
    /// A class being freed leaves the subclass lists of its bases (they hold
    /// raw pointers to it). Builtin types are immortal and never get here.
    fn drop(&mut self) {
        let Some(obj) = crate::types::type_methods::unregister_class(self) else { return };
        for b in self.bases.get_mut().iter() {
            if let Some(bt) = b.payload.as_type() {
                bt.subclasses.borrow_mut().retain(|p| *p != obj);
            }
        }
    }
}

/// The direct subclasses of `t` that are alive, as strong references.
/// Classes whose count already reached zero (queued for freeing, or running
/// weakref callbacks on their way out) are skipped: they must not come back.
pub(crate) fn live_subclasses(t: &TypeData) -> Vec<PyRef> {
    let ptrs: Vec<*const crate::object::PyObject> = t.subclasses.borrow().clone();
    ptrs.into_iter()
        // SAFETY: a class removes itself from its bases' lists when its
        // payload is dropped (`Drop for TypeData`), which happens before its
        // memory is released, so every listed pointer is an allocated object.
        .filter(|&p| unsafe { (*p).refcount_raw() } > 0)
        // SAFETY: as above, and the count is not zero (checked just above,
        // with no code run since): the object is alive and not being freed,
        // so taking one more reference cannot revive a dying object.
        .map(|p| unsafe { PyRef::from_borrowed(p) })
        .collect()
}

/// A value found in a type dict, copied without taking a reference: caches
/// must not keep a class's attributes (and through them the class) alive,
/// nor keep a deleted attribute alive (CPython's method cache and specialised
/// instructions hold borrowed references too). Such a copy may only be read
/// while the version tag of the type it was looked up on is the one it was
/// stored under: every change to a dict on that type's MRO, or to the MRO,
/// renews the tag before the old value can be released (`Vm::type_modified`,
/// `type_setattr_impl`), and the collector renews it before it clears a
/// class (`gc::traverse::clear`), so while the tag matches the dict still
/// owns the value.
struct BorrowedValue(std::mem::ManuallyDrop<Option<Value>>);

impl BorrowedValue {
    const NONE: BorrowedValue = BorrowedValue(std::mem::ManuallyDrop::new(None));

    /// A copy of `v` that does not own a reference (dropping it does nothing).
    #[inline(always)]
    fn new(v: Option<&Value>) -> BorrowedValue {
        // SAFETY: a bitwise copy without an increment; wrapped in
        // ManuallyDrop, so it never gives back a count it does not own.
        BorrowedValue(std::mem::ManuallyDrop::new(v.map(|v| unsafe { std::ptr::read(v) })))
    }

    /// A new strong reference to the value.
    ///
    /// # Safety
    /// The value must still be alive: the version tag it was stored under
    /// must still be current (see the type's docs).
    #[inline(always)]
    unsafe fn get(&self) -> Option<Value> {
        (*self.0).clone()
    }
}

/// What `type_lookup` found for one name on one type, for the per-name
/// attribute caches of code objects (`types::code::AttrCache`): held without
/// a reference (see `BorrowedValue`) and handed out only while the type has
/// the version tag the lookup ran under.
pub struct CachedLookup {
    version: Cell<u64>,
    value: std::cell::UnsafeCell<BorrowedValue>,
}

impl CachedLookup {
    pub const fn empty() -> CachedLookup {
        CachedLookup { version: Cell::new(0), value: std::cell::UnsafeCell::new(BorrowedValue::NONE) }
    }

    /// The value, if `t` still has the version tag it was found under.
    #[inline(always)]
    pub fn get(&self, t: &TypeData) -> Option<Value> {
        if self.version.get() != t.version.get() {
            return None;
        }
        // SAFETY: the tag matches, so the dict that held the value when it
        // was stored still does (see `BorrowedValue`); an empty cell (tag 0)
        // holds None. Only the GIL holder touches the cell and cloning runs
        // no Python code, so nothing writes the cell meanwhile.
        unsafe { (*self.value.get()).get() }
    }

    /// Makes this a copy of `other` (same tag, same borrowed value).
    pub fn copy_from(&self, other: &CachedLookup) {
        // SAFETY: single-threaded (GIL); no reference into either cell is
        // outstanding (`get` hands out clones). The copy owns nothing, like
        // the original, and is read only under the same tag check; the old
        // copy owns nothing either, so overwriting it releases nothing.
        // The borrow of `other` ends before the write, so `self` may be `other`.
        let copy = unsafe { BorrowedValue::new((*other.value.get()).0.as_ref()) };
        // SAFETY: as above.
        unsafe { *self.value.get() = copy };
        self.version.set(other.version.get());
    }

    /// Looks `name` up on `typ` (`Vm::type_lookup`) and remembers the result
    /// under the type's version tag, unless the lookup changed the type.
    /// Returns the value found, and whether it was stored.
    pub fn fill(&self, vm: &Vm, typ: &PyRef, name: &PyRef) -> (Option<Value>, bool) {
        let Some(t) = typ.payload.as_type() else { return (None, false) };
        let version = type_version_of(t);
        let found = vm.type_lookup(typ, name);
        if t.version.get() != version {
            return (found, false);
        }
        // SAFETY: single-threaded (GIL); no reference to the cell's contents
        // is outstanding (`get` hands out clones), and the old copy owns
        // nothing, so overwriting it releases nothing.
        unsafe { *self.value.get() = BorrowedValue::new(found.as_ref()) };
        self.version.set(version);
        (found, true)
    }
}

/// The version tag of `t`, assigned if it has none yet (caches key on it).
#[inline]
pub fn type_version_of(t: &TypeData) -> u64 {
    let v = t.version.get();
    if v != 0 {
        return v;
    }
    let v = next_type_version();
    t.version.set(v);
    v
}

/// The attribute cache of `type_lookup` (CPython's method cache): a
/// direct-mapped table from (type version tag, attribute name) to what the
/// MRO walk found. A changed type has a new tag, so its old entries simply
/// stop matching. Entries hold the name (an exact str) but not the value
/// (see `BorrowedValue`): a hit is only possible while the tag is current,
/// and then the type's dicts own the value.
pub struct AttrCache {
    entries: RefCell<Box<[AttrCacheEntry]>>,
    /// Interned names native code looks up on hot paths (see [`Name`]).
    /// Kept here, one per interpreter, as the attribute cache is the
    /// per-interpreter state name lookups go through.
    names: KnownNames,
}

macro_rules! define_names {
    ($($name:ident = $text:literal,)*) => {
        /// A name native code looks up at run time. `Vm::known_name` gives
        /// its interned str, made on first use, so hot paths skip the
        /// hashing of `Vm::intern` (and hit the attribute cache, which is
        /// keyed by the name's identity).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Name { $($name,)* }
        impl Name {
            pub const COUNT: usize = [$(Name::$name,)*].len();
            pub fn text(self) -> &'static str {
                match self { $(Name::$name => $text,)* }
            }
        }
    };
}

define_names! {
    MatchArgs = "__match_args__",
    Module = "__module__",
    Class = "__class__",
    DunderName = "__name__",
}

struct KnownNames {
    cells: [std::cell::OnceCell<PyRef>; Name::COUNT],
}

struct AttrCacheEntry {
    version: u64,
    name: Option<PyRef>,
    value: BorrowedValue,
}

impl Default for AttrCacheEntry {
    fn default() -> AttrCacheEntry {
        AttrCacheEntry { version: 0, name: None, value: BorrowedValue::NONE }
    }
}

impl AttrCache {
    const SIZE: usize = 4096;

    pub fn new() -> AttrCache {
        AttrCache {
            entries: RefCell::new((0..Self::SIZE).map(|_| AttrCacheEntry::default()).collect()),
            names: KnownNames { cells: std::array::from_fn(|_| std::cell::OnceCell::new()) },
        }
    }

    #[inline(always)]
    fn index(version: u64, name: &PyRef) -> usize {
        ((version as usize).wrapping_mul(0x9E37_79B9) ^ (name.id() >> 4)) & (Self::SIZE - 1)
    }
}

impl Default for AttrCache {
    fn default() -> AttrCache {
        AttrCache::new()
    }
}

impl Vm {
    /// The interned str for a well-known name (interned once per interpreter).
    #[inline]
    pub fn known_name(&self, n: Name) -> &PyRef {
        self.attr_cache.names.cells[n as usize].get_or_init(|| self.intern(n.text()))
    }

    /// Looks `name` up along the MRO of `typ` (no descriptors invoked),
    /// through the attribute cache.
    #[inline]
    pub fn type_lookup(&self, typ: &PyRef, name: &PyRef) -> Option<Value> {
        let t = typ.payload.as_type()?;
        let mut version = t.version.get();
        if version == 0 {
            version = next_type_version();
            t.version.set(version);
        }
        let ix = AttrCache::index(version, name);
        {
            let entries = self.attr_cache.entries.borrow();
            let e = &entries[ix];
            if e.version == version && e.name.as_ref().is_some_and(|n| n.is(name)) {
                // SAFETY: the entry's tag is the type's current one, so the
                // value is still owned by a dict on its MRO (`BorrowedValue`).
                return unsafe { e.value.get() };
            }
        }
        self.type_lookup_fill(typ, t, version, ix, name)
    }

    /// The miss path of `type_lookup`: walks the MRO and fills the entry.
    #[inline(never)]
    fn type_lookup_fill(&self, typ: &PyRef, t: &TypeData, version: u64, ix: usize, name: &PyRef) -> Option<Value> {
        let found = self.type_lookup_uncached(typ, name);
        // The walk may have run `__eq__` of a str-subclass key and changed the
        // type: cache only what is still current. Only exact str names are
        // kept (the entry owns its name; an instance of a str subclass would
        // keep its class alive).
        if t.version.get() == version && name.class().is(&self.types.str) {
            let old_name = {
                let mut entries = self.attr_cache.entries.borrow_mut();
                let e = &mut entries[ix];
                e.version = version;
                e.value = BorrowedValue::new(found.as_ref());
                e.name.replace(name.clone())
            };
            // Dropped outside the borrow (a str: frees memory, runs no code).
            drop(old_name);
        }
        found
    }

    /// Recomputes one type's special-method cache and the flags derived from
    /// it. The version tag is renewed first, so the lookups below cannot hit
    /// attribute-cache entries from before the change being reacted to.
    pub(crate) fn refresh_slots_of(&self, typ: &PyRef) {
        let Some(t) = typ.payload.as_type() else { return };
        t.version.set(next_type_version());
        let names = self.slot_dunders.get_or_init(|| Slot::ALL.iter().map(|s| self.intern(s.dunder())).collect());
        let fresh: [Option<Value>; Slot::COUNT] = std::array::from_fn(|i| self.type_lookup(typ, &names[i]));
        let custom_ga = match &fresh[Slot::GetAttribute as usize] {
            Some(f) => !self.is_native_getattribute(f),
            None => false,
        };
        let has_getattr = fresh[Slot::GetAttr as usize].is_some();
        let objects_own = |f: &Option<Value>| match f.as_ref().and_then(|v| v.payload()) {
            None => true,
            Some(crate::payload::Payload::NativeMethod { owner, .. }) => owner.is(&self.types.object),
            Some(_) => false,
        };
        let custom_sa = !objects_own(&fresh[Slot::SetAttr as usize]) || !objects_own(&fresh[Slot::DelAttr as usize]);
        let has_del = match &fresh[Slot::Del as usize] {
            // io's native `__del__` (CPython's iobase_finalize: `close()` if not
            // closed) runs where CPython's dealloc calls it: FileIO, the
            // Buffered* classes, TextIOWrapper and any Python subclass; not
            // for a plain StringIO or BytesIO, which nothing could observe.
            Some(Value::Obj(f)) => match &f.payload {
                // Other native `__del__`s (`_asyncio.Future`'s) always run.
                crate::payload::Payload::NativeMethod { owner, .. } if owner.is(&self.types.io_base) => {
                    t.is_heap()
                        || [
                            &self.types.file_io,
                            &self.types.buffered_reader,
                            &self.types.buffered_writer,
                            &self.types.buffered_random,
                            &self.types.text_io_wrapper,
                        ]
                        .iter()
                        .any(|c| c.is(typ))
                }
                _ => true,
            },
            Some(_) => true,
            // Suspended generators and coroutines are closed when freed.
            None => [&self.types.generator, &self.types.coroutine, &self.types.async_generator]
                .iter()
                .any(|g| g.is(typ)),
        };
        let mut fl = t.flags.get()
            & !(type_flags::CUSTOM_GETATTRIBUTE
                | type_flags::HAS_GETATTR
                | type_flags::CUSTOM_SETATTR
                | type_flags::HAS_FINALIZER);
        if has_del {
            fl |= type_flags::HAS_FINALIZER;
        }
        if custom_sa {
            fl |= type_flags::CUSTOM_SETATTR;
        }
        if custom_ga {
            fl |= type_flags::CUSTOM_GETATTRIBUTE;
        }
        if has_getattr {
            fl |= type_flags::HAS_GETATTR;
        }
        t.flags.set(fl);
        let old = std::mem::replace(&mut *t.slots.borrow_mut(), fresh);
        drop(old);
    }

    /// Marks `cls` and its subclasses as changed (new version tags), for any
    /// code that writes a type's dict directly.
    pub fn type_modified(&self, cls: &PyRef) {
        crate::types::type_methods::bump_versions(self, cls, 0);
    }

    /// The MRO walk behind `type_lookup`.
    fn type_lookup_uncached(&self, typ: &PyRef, name: &PyRef) -> Option<Value> {
        let t = typ.payload.as_type()?;
        {
            let mro = t.mro.borrow();
            let mut needs_code = false;
            for cls in mro.iter() {
                match self.dict_get_str_nocode(&cls.payload.as_type()?.dict, name) {
                    Ok(Some(v)) => return Some(v),
                    Ok(None) => {}
                    Err(()) => {
                        needs_code = true;
                        break;
                    }
                }
            }
            if !needs_code {
                return None;
            }
        }
        // A class dict has a key whose `__eq__` must run, and it may change
        // the MRO (set `__bases__`): walk the MRO as it was, as CPython does.
        let mro = t.mro.borrow().clone();
        for cls in mro.iter() {
            if let Some(v) = self.dict_get_str(&cls.payload.as_type()?.dict, name) {
                return Some(v);
            }
        }
        None
    }

    /// `type_lookup` by Rust string (interned first).
    pub fn type_lookup_str(&self, typ: &PyRef, name: &str) -> Option<Value> {
        let key = self.intern(name);
        self.type_lookup(typ, &key)
    }

    /// Recomputes the special-method cache of `typ` and its subclasses.
    pub fn refresh_slots(&self, typ: &PyRef) {
        // Iterative, each type once: `__bases__` assigned from a metaclass
        // `mro()` can leave a cycle in the subclass lists.
        let mut seen = std::collections::HashSet::new();
        let mut todo = vec![typ.clone()];
        while let Some(t) = todo.pop() {
            if !seen.insert(t.as_ptr() as usize) {
                continue;
            }
            let Some(td) = t.payload.as_type() else { continue };
            self.refresh_slots_of(&t);
            todo.extend(live_subclasses(td));
        }
    }

    /// Is `sub` the same as or a subclass of `sup` (by MRO; no `__subclasscheck__`)?
    #[inline]
    pub fn is_subtype(&self, sub: &PyRef, sup: &PyRef) -> bool {
        if sub.is(sup) {
            return true;
        }
        match sub.payload.as_type() {
            Some(t) => t.mro.borrow().iter().any(|c| c.is(sup)),
            None => false,
        }
    }

    /// C3 linearisation of a new class with the given bases.
    pub fn compute_mro(&self, cls: &PyRef, bases: &[PyRef]) -> PyResult<Vec<PyRef>> {
        let mut seqs: Vec<Vec<PyRef>> = Vec::with_capacity(bases.len() + 1);
        for b in bases {
            seqs.push(b.payload.as_type().map(|t| t.mro.borrow().clone()).unwrap_or_default());
        }
        seqs.push(bases.to_vec());
        let mut out = vec![cls.clone()];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            // The first head that appears in no tail.
            let candidate = seqs.iter().map(|s| s[0].clone()).find(|head| {
                !seqs.iter().any(|s| s[1..].iter().any(|x| x.is(head)))
            });
            match candidate {
                Some(head) => {
                    for s in seqs.iter_mut() {
                        if s[0].is(&head) {
                            s.remove(0);
                        }
                    }
                    out.push(head);
                }
                None => {
                    // CPython lists the remaining heads, in base order, deduplicated.
                    let mut names: Vec<String> = Vec::new();
                    let mut seen: Vec<PyRef> = Vec::new();
                    for s in &seqs {
                        if !seen.iter().any(|x| x.is(&s[0])) {
                            seen.push(s[0].clone());
                            names.push(self.type_name(&s[0]));
                        }
                    }
                    return Err(self.new_type_error(format!(
                        "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                        names.join(", ")
                    )));
                }
            }
        }
    }

    /// `__name__` of a type object.
    pub fn type_name(&self, typ: &PyRef) -> String {
        match typ.payload.as_type() {
            Some(t) => t.name(),
            None => "?".to_string(),
        }
    }

    /// The name of the type of `v`, as error messages print it.
    pub fn type_name_of(&self, v: &Value) -> String {
        self.type_name(&self.type_of(v))
    }
}

/// An empty special-method cache.
pub fn empty_slots() -> RefCell<[Option<Value>; Slot::COUNT]> {
    RefCell::new(std::array::from_fn(|_| None))
}

/// Keeps `ValueCell` in scope for type helpers written elsewhere.
pub type TypeCell = ValueCell;
