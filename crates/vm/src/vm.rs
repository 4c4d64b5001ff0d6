//! The interpreter state: builtin types, interned strings, modules, the
//! thread's frames and recursion depth, and the handled-exception stack.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::typeobj::{empty_slots, type_flags, Layout, TypeData};
use crate::value::Value;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

macro_rules! builtin_types {
    (@base $default:ident) => { &$default };
    (@base $default:ident $base:ident) => { &$base };
    ($($field:ident: $name:literal, $layout:ident, $flags:expr $(, $base:ident)?;)*) => {
        /// Every builtin type, created once at start-up (immortal).
        pub struct Types {
            pub object: PyRef,
            pub type_: PyRef,
            $(pub $field: PyRef,)*
        }
        impl Types {
            fn create(object: PyRef, type_: PyRef) -> Types {
                $(let $field = make_builtin_type(&type_, $name, Some(builtin_types!(@base object $($base)?)), Layout::$layout, $flags);)*
                Types { object, type_, $($field,)* }
            }
            /// All types but `object` and `type`, for initialisation loops.
            pub fn all(&self) -> Vec<PyRef> {
                vec![$(self.$field.clone(),)*]
            }
        }
    };
}

const B: u32 = type_flags::BASETYPE;

builtin_types! {
    none_type: "NoneType", Other, 0;
    not_implemented_type: "NotImplementedType", Other, 0;
    ellipsis_type: "ellipsis", Other, 0;
    int: "int", Int, B;
    bool_: "bool", Bool, 0, int;
    float: "float", Float, B;
    complex: "complex", Complex, B;
    str: "str", Str, B;
    bytes: "bytes", Bytes, B;
    bytearray: "bytearray", ByteArray, B;
    tuple: "tuple", Tuple, B;
    list: "list", List, B;
    dict: "dict", Dict, B;
    set: "set", Set, B | type_flags::HAS_WEAKREF;
    frozenset: "frozenset", FrozenSet, B | type_flags::HAS_WEAKREF;
    range: "range", Other, 0;
    slice: "slice", Other, 0;
    function: "function", Other, 0;
    builtin_function: "builtin_function_or_method", Other, 0;
    method_descriptor: "method_descriptor", Other, 0;
    classmethod_descriptor: "classmethod_descriptor", Other, 0;
    method: "method", Other, 0;
    module: "module", Module, B | type_flags::HAS_DICT;
    code: "code", Other, 0;
    cell: "cell", Other, 0;
    generator: "generator", Other, 0;
    coroutine: "coroutine", Other, 0;
    async_generator: "async_generator", Other, 0;
    property: "property", Other, B;
    staticmethod: "staticmethod", Other, B;
    classmethod: "classmethod", Other, B;
    super_: "super", Other, B;
    member_descriptor: "member_descriptor", Other, 0;
    getset_descriptor: "getset_descriptor", Other, 0;
    dict_keys: "dict_keys", Other, 0;
    dict_values: "dict_values", Other, 0;
    dict_items: "dict_items", Other, 0;
    mappingproxy: "mappingproxy", Other, 0;
    // `list[int]` and `int | str` (see `types/generic_alias.rs`).
    generic_alias: "GenericAlias", Other, B;
    union_type: "UnionType", Other, 0;
    generic_alias_iterator: "generic_alias_iterator", Other, 0;
    traceback: "traceback", Other, 0;
    frame: "frame", Other, 0;
    // Iterator types (one per `IterState` variant family).
    list_iterator: "list_iterator", Other, 0;
    tuple_iterator: "tuple_iterator", Other, 0;
    range_iterator: "range_iterator", Other, 0;
    str_iterator: "str_ascii_iterator", Other, 0;
    // Iterates a str with non-ASCII characters (CPython's two types).
    unicode_iterator: "str_iterator", Other, 0;
    dict_keyiterator: "dict_keyiterator", Other, 0;
    dict_valueiterator: "dict_valueiterator", Other, 0;
    dict_itemiterator: "dict_itemiterator", Other, 0;
    set_iterator: "set_iterator", Other, 0;
    list_reverseiterator: "list_reverseiterator", Other, 0;
    longrange_iterator: "longrange_iterator", Other, 0;
    dict_reversekeyiterator: "dict_reversekeyiterator", Other, 0;
    dict_reversevalueiterator: "dict_reversevalueiterator", Other, 0;
    dict_reverseitemiterator: "dict_reverseitemiterator", Other, 0;
    reversed: "reversed", Other, B;
    enumerate: "enumerate", Other, B;
    zip: "zip", Other, B;
    map: "map", Other, B;
    filter: "filter", Other, B;
    callable_iterator: "callable_iterator", Other, 0;
    iterator: "iterator", Other, 0;
    bytes_iterator: "bytes_iterator", Other, 0;
    bytearray_iterator: "bytearray_iterator", Other, 0;
    // `memoryview` (see `types/memoryview.rs`).
    memoryview: "memoryview", Other, 0;
    memory_iterator: "memory_iterator", Other, 0;
    // The `_io` classes (`modules/io/`): the abstract bases are object-like
    // (Python subclasses get plain instances); the concrete ones own a payload.
    io_base: "_IOBase", Object, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF;
    raw_io_base: "_RawIOBase", Object, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, io_base;
    buffered_io_base: "_BufferedIOBase", Object, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, io_base;
    text_io_base: "_TextIOBase", Object, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, io_base;
    file_io: "FileIO", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, raw_io_base;
    buffered_reader: "BufferedReader", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, buffered_io_base;
    buffered_writer: "BufferedWriter", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, buffered_io_base;
    buffered_random: "BufferedRandom", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, buffered_io_base;
    buffered_rw_pair: "BufferedRWPair", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, buffered_io_base;
    bytes_io: "BytesIO", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, buffered_io_base;
    string_io: "StringIO", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, text_io_base;
    text_io_wrapper: "TextIOWrapper", Other, B | type_flags::HAS_DICT | type_flags::HAS_WEAKREF, text_io_base;
    newline_decoder: "IncrementalNewlineDecoder", Other, B;
    // `_weakref` (see `types/weakref.rs`).
    weakref: "weakref.ReferenceType", Other, B;
    weakproxy: "weakref.ProxyType", Other, 0;
    weakcallableproxy: "weakref.CallableProxyType", Other, 0;
}

/// Creates a builtin type object (immortal), with an empty dict; its methods
/// are added by each type's `init` function.
pub(crate) fn make_builtin_type(
    type_: &PyRef,
    name: &str,
    base: Option<&PyRef>,
    layout: Layout,
    flags: u32,
) -> PyRef {
    let dict = make_raw_dict(type_);
    let t = PyRef::new_immortal(
        type_.clone(),
        Payload::Type(Box::new(TypeData {
            name: RefCell::new(name.to_string()),
            qualname: RefCell::new(name.to_string()),
            bases: RefCell::new(base.into_iter().cloned().collect()),
            base: base.cloned(),
            mro: RefCell::new(Vec::new()),
            dict,
            flags: Cell::new(flags),
            layout,
            slot_names: Vec::new(),
            slots: empty_slots(),
            version: Cell::new(0),
            subclasses: RefCell::new(Vec::new()),
            doc: None,
            shared_keys: None,
            native_new: None,
        })),
    );
    // The MRO of a builtin single-inheritance chain: the type then its base's MRO.
    let mut mro = vec![t.clone()];
    if let Some(b) = base {
        mro.extend(b.payload.as_type().unwrap().mro.borrow().iter().cloned());
        b.payload.as_type().unwrap().subclasses.borrow_mut().push(t.as_ptr());
    }
    *t.payload.as_type().unwrap().mro.borrow_mut() = mro;
    t
}

/// A dict object whose type is set later (the `dict` type may not exist yet
/// during bootstrap); `fix_dict_types` repairs them.
fn make_raw_dict(placeholder_type: &PyRef) -> PyRef {
    PyRef::new_immortal(placeholder_type.clone(), Payload::Dict(Box::default()))
}

pub struct Vm {
    pub types: Types,
    /// Builtin exception types (see `exceptions.rs`).
    pub exc: crate::exceptions::ExcTypes,
    /// The NotImplemented and Ellipsis singletons.
    pub not_implemented: PyRef,
    pub ellipsis: PyRef,
    /// The empty tuple singleton.
    pub empty_tuple: PyRef,
    /// Interned strings by content. The table owns a reference to each, so
    /// they live as long as the interpreter and go with it (CPython 3.11
    /// frees its interned strings at finalization too).
    interned: RefCell<HashMap<Box<str>, PyRef>>,
    /// `builtins` module and its dict.
    pub builtins: PyRef,
    pub builtins_dict: PyRef,
    /// The `sys` module and `sys.modules`.
    pub sys: PyRef,
    pub modules: PyRef,
    /// Python call depth, checked against the recursion limit.
    pub recursion_depth: Cell<u32>,
    pub recursion_limit: Cell<u32>,
    /// The stack of exceptions being handled (`sys.exc_info()` is the top).
    pub exc_stack: RefCell<Vec<Option<Value>>>,
    /// Frames of the running thread, innermost last (for tracebacks and `sys._getframe`).
    pub frames: RefCell<Vec<crate::eval::frame::FrameRef>>,
    /// Set by other threads or signal handlers to make the eval loop stop and look.
    pub eval_breaker: std::sync::atomic::AtomicBool,
    /// Native modules that can be imported, by name (filled by krait-stdlib and the VM).
    pub native_modules: RefCell<HashMap<String, fn(&Vm) -> crate::PyResult<PyRef>>>,
    /// `sys.flags`-like settings and paths.
    pub config: crate::config::Config,
    /// The lowest address of the native stack we may use before raising RecursionError.
    pub stack_limit: Cell<usize>,
    /// Per-process int/str conversion limit (sys.set_int_max_str_digits).
    pub int_max_str_digits: Cell<usize>,
    /// Ids of containers whose repr is in progress (for `[...]`).
    pub repr_stack: RefCell<Vec<i64>>,
    /// The running thread's PEP 525 hooks (`sys.set_asyncgen_hooks`):
    /// firstiter and finalizer. Per thread, like the fields above.
    pub asyncgen_hooks: RefCell<[Option<Value>; 2]>,
    /// The running thread's `sys.set_coroutine_origin_tracking_depth`: how
    /// many frames a new coroutine records as its `cr_origin` (0: none).
    pub coro_origin_depth: Cell<u32>,
    /// The interned names of the special-method slots, in `Slot` order
    /// (refreshing a type's slots looks up each: start-up does it for
    /// every builtin type).
    pub slot_dunders: std::cell::OnceCell<Box<[PyRef]>>,
    /// Which thread is importing which module (`import_lock.rs`).
    pub import_locks: crate::import_lock::ImportLocks,
    /// The attribute cache of `type_lookup`.
    pub attr_cache: crate::types::typeobj::AttrCache,
    /// The struct-sequence class `sys.unraisablehook` gets its argument as
    /// (made by the Python part of `sys`; see `finalize::write_unraisable`).
    pub unraisable_hook_args: RefCell<Option<PyRef>>,
    /// The interpreter is tearing down (after atexit): `sys.is_finalizing()`.
    pub finalizing: Cell<bool>,
    /// The cycle collector's state (`gc/`).
    pub gc: Box<crate::gc::GcState>,
    /// The global interpreter lock (`gil.rs`).
    pub gil: crate::gil::Gil,
    /// The shared one-character strs U+0000..=U+00FF (`str::char_str`).
    pub latin1: RefCell<Vec<Option<PyRef>>>,
    /// Native modules' per-interpreter state (`vm.state::<T>()`).
    interp_state: crate::interp_state::InterpState,
    /// Runs signal handlers from the eval breaker (`Vm::receive_signals`).
    pub signal_check: Cell<Option<crate::gil::SignalCheck>>,
}

impl Vm {
    /// Creates an interpreter with builtins and sys ready.
    pub fn new(config: crate::config::Config) -> Box<Vm> {
        // Bootstrap: `type` is its own type and `object` is `type`'s base.
        let dummy = PyRef::new_immortal_bootstrap();
        let type_ = make_builtin_type(&dummy, "type", None, Layout::Type, B);
        type_.init_class(type_.clone());
        let object = make_builtin_type(&type_, "object", None, Layout::Object, B);
        {
            let tt = type_.payload.as_type().unwrap();
            *tt.bases.borrow_mut() = vec![object.clone()];
            *tt.mro.borrow_mut() = vec![type_.clone(), object.clone()];
            object.payload.as_type().unwrap().subclasses.borrow_mut().push(type_.as_ptr());
        }
        let types = Types::create(object.clone(), type_.clone());
        // Every dict made so far has a placeholder type: give them `dict`.
        for t in std::iter::once(&types.object).chain(std::iter::once(&types.type_)).chain(types.all().iter()) {
            t.payload.as_type().unwrap().dict.set_class(types.dict.clone());
        }
        let exc = crate::exceptions::ExcTypes::create(&types);
        let not_implemented = PyRef::new_immortal(types.not_implemented_type.clone(), Payload::None_);
        let ellipsis = PyRef::new_immortal(types.ellipsis_type.clone(), Payload::None_);
        let empty_tuple = PyRef::new_immortal(types.tuple.clone(), Payload::Tuple(crate::tuple_items::TupleItems::boxed(Box::new([]))));
        let builtins_dict = PyRef::new_immortal(types.dict.clone(), Payload::Dict(Box::default()));
        let builtins = PyRef::new_immortal(
            types.module.clone(),
            Payload::Module(Box::new(crate::payload::ModuleData { dict: builtins_dict.clone() })),
        );
        let modules = PyRef::new_immortal(types.dict.clone(), Payload::Dict(Box::default()));
        let sys_dict = PyRef::new_immortal(types.dict.clone(), Payload::Dict(Box::default()));
        let sys = PyRef::new_immortal(
            types.module.clone(),
            Payload::Module(Box::new(crate::payload::ModuleData { dict: sys_dict })),
        );
        let vm = Box::new(Vm {
            types,
            exc,
            not_implemented,
            ellipsis,
            empty_tuple,
            interned: RefCell::new(HashMap::new()),
            builtins,
            builtins_dict,
            sys,
            modules,
            recursion_depth: Cell::new(0),
            recursion_limit: Cell::new(1000),
            exc_stack: RefCell::new(Vec::new()),
            frames: RefCell::new(Vec::new()),
            eval_breaker: std::sync::atomic::AtomicBool::new(false),
            native_modules: RefCell::new(HashMap::new()),
            config,
            stack_limit: Cell::new(0),
            int_max_str_digits: Cell::new(4300),
            repr_stack: RefCell::new(Vec::new()),
            asyncgen_hooks: RefCell::new([None, None]),
            coro_origin_depth: Cell::new(0),
            import_locks: Default::default(),
            slot_dunders: std::cell::OnceCell::new(),
            attr_cache: crate::types::typeobj::AttrCache::new(),
            unraisable_hook_args: RefCell::new(None),
            finalizing: Cell::new(false),
            gc: crate::gc::GcState::new(),
            gil: crate::gil::Gil::new(),
            latin1: RefCell::new(Vec::new()),
            interp_state: Default::default(),
            signal_check: Cell::new(None),
        });
        crate::gc::install(&vm);
        crate::types::init_all(&vm);
        crate::finalize::install(&vm);
        crate::exceptions::init(&vm);
        crate::builtins::init(&vm);
        crate::modules::sys::init(&vm);
        // Special-method caches of all builtin types, now that their dicts are filled.
        let mut all = vec![vm.types.object.clone(), vm.types.type_.clone()];
        all.extend(vm.types.all());
        all.extend(vm.exc.all());
        for t in &all {
            vm.refresh_slots_shallow(t);
        }
        vm
    }

    /// Refreshes one type's slot cache without walking subclasses (start-up).
    fn refresh_slots_shallow(&self, typ: &PyRef) {
        self.refresh_slots_of(typ);
    }

    /// This interpreter's `T` (made with `T::default()` on first use): the
    /// state of a native module, shared by all the interpreter's threads.
    pub fn state<T: std::any::Any + Default>(&self) -> std::rc::Rc<T> {
        self.interp_state.get::<T>()
    }

    /// The interned str object for `s` (same object for the same text).
    pub fn intern(&self, s: &str) -> PyRef {
        if let Some(r) = self.interned.borrow().get(s) {
            return r.clone();
        }
        let r = PyRef::new_str(self.types.str.clone(), s, crate::types::str::count_chars(s));
        self.interned.borrow_mut().insert(s.into(), r.clone());
        r
    }

    /// A type defined by a native module (`itertools.count`): built like the
    /// builtin types (immutable, not a heap type), named "module.name".
    /// `slot_names` add instance slots (defaultdict's `default_factory`).
    /// Call `refresh_slots` on it once its methods are in its dict.
    pub fn new_native_type(&self, module: &str, name: &str, base: Option<&PyRef>, layout: Layout, flags: u32, slot_names: &[&str]) -> PyRef {
        let base = base.unwrap_or(&self.types.object).clone();
        let bt = base.payload.as_type().expect("base of a native type");
        let mut names = bt.slot_names.clone();
        names.extend(slot_names.iter().map(|n| self.intern(n)));
        let dict = PyRef::new_immortal(self.types.dict.clone(), Payload::Dict(Box::default()));
        let t = PyRef::new_immortal(
            self.types.type_.clone(),
            Payload::Type(Box::new(TypeData {
                // The name in messages is CPython's tp_name, "module.name".
                name: RefCell::new(if module.is_empty() { name.to_string() } else { format!("{module}.{name}") }),
                qualname: RefCell::new(name.to_string()),
                bases: RefCell::new(vec![base.clone()]),
                base: Some(base.clone()),
                mro: RefCell::new(Vec::new()),
                dict,
                flags: Cell::new(flags),
                layout,
                slot_names: names,
                slots: empty_slots(),
                version: Cell::new(0),
                subclasses: RefCell::new(Vec::new()),
                doc: None,
                shared_keys: None,
                native_new: None,
            })),
        );
        let mut mro = vec![t.clone()];
        mro.extend(bt.mro.borrow().iter().cloned());
        bt.subclasses.borrow_mut().push(t.as_ptr());
        *t.payload.as_type().unwrap().mro.borrow_mut() = mro;
        t
    }

    /// The type of any value.
    #[inline]
    pub fn type_of(&self, v: &Value) -> PyRef {
        match v {
            Value::Obj(o) => o.class().clone(),
            Value::Int(_) => self.types.int.clone(),
            Value::Float(_) => self.types.float.clone(),
            Value::Bool(_) => self.types.bool_.clone(),
            Value::None => self.types.none_type.clone(),
        }
    }

    /// The type of a value, borrowed (no count traffic).
    #[inline(always)]
    pub fn class_of<'a>(&'a self, v: &'a Value) -> &'a PyRef {
        match v {
            Value::Obj(o) => o.class(),
            Value::Int(_) => &self.types.int,
            Value::Float(_) => &self.types.float,
            Value::Bool(_) => &self.types.bool_,
            Value::None => &self.types.none_type,
        }
    }

    /// NotImplemented as a value.
    #[inline]
    pub fn not_implemented(&self) -> Value {
        Value::Obj(self.not_implemented.clone())
    }

    #[inline]
    pub fn is_not_implemented(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(o) if o.is(&self.not_implemented))
    }
}

impl Vm {
    /// Ends the interpreter (after `finalize`). With threads still running
    /// (daemon threads), the teardown runs but the `Vm` itself is never
    /// freed: those threads may still wake from a blocking call and look at
    /// the GIL, which then parks them until the process exits.
    pub fn shut_down(self: Box<Vm>) {
        if self.gil.is_threaded() {
            self.tear_down();
            // Kept reachable from a static, for memory checkers.
            static KEPT: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
            let addr = Box::leak(self) as *const Vm as usize;
            KEPT.lock().unwrap_or_else(|e| e.into_inner()).push(addr);
        } else {
            drop(self);
        }
    }

    fn tear_down(&self) {
        self.stop_receiving_signals();
        drop(self.asyncgen_hooks.take());
        // Free the objects the interpreter's cycles hold (module dicts and
        // what is in them) while finalizers can still run.
        crate::finalize::teardown(self);
        // Module state (registries, callbacks, cached types) goes while
        // finalizers can still run.
        self.interp_state.clear();
        // What it made immortal is never freed: keep it reachable.
        crate::finalize::keep_immortals(self);
        // Weakref callbacks on this thread must not reach a dropped interpreter.
        crate::object::unset_callback_vm(self);
        crate::gc::uninstall(self);
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        self.tear_down();
    }
}

impl PyRef {
    /// Bootstrap helper: a placeholder "type" until `type` itself exists.
    fn new_immortal_bootstrap() -> PyRef {
        PyRef::new_immortal_self_typed()
    }
}
