//! What a heap object holds besides its header: one variant per layout of
//! builtin type. An instance of a subclass of a builtin type has the subclass
//! as its type and the builtin's payload (a `class L(list)` instance is a
//! `Payload::List`); where the builtin layout has no `__dict__`, the subclass
//! instance is a `Payload::Instance` whose `base` holds the builtin payload
//! (accessors such as `Payload::as_list` look through it).
//!
//! Keep every variant at most 40 bytes (a test checks): box large data.

use crate::object::{PyRef, ValueCell};
use crate::types::code::PyCode;
use crate::types::dict::DictTable;
use crate::types::exception::ExceptionData;
use crate::types::function::{FunctionData, NativeDef};
use crate::types::iter::IterState;
use crate::types::set::SetTable;
use crate::types::str::PyStr;
use crate::types::typeobj::TypeData;
use crate::value::Value;
use dashu_int::IBig;
use std::cell::{Cell, RefCell};

pub enum Payload {
    /// No data: `object()`, NotImplemented, Ellipsis, and other data-less objects.
    None_,
    Int(IBig),
    Float(f64),
    Complex((f64, f64)),
    Str(PyStr),
    Bytes(Box<BytesData>),
    ByteArray(RefCell<Vec<u8>>),
    Tuple(crate::tuple_items::TupleItems),
    List(RefCell<crate::types::list_storage::ListStorage>),
    Dict(Box<RefCell<DictTable>>),
    Set(Box<RefCell<SetTable>>),
    FrozenSet(Box<RefCell<SetTable>>),
    Range(Box<RangeData>),
    /// A slice's start, stop and step, inline (the values' tags leave a niche
    /// for the variant, so this still fits the 48 bytes): `a[i:j]` allocates once.
    Slice([Value; 3]),
    Type(Box<TypeData>),
    Function(Box<FunctionData>),
    /// A builtin function or a builtin method bound to `self_`.
    NativeFunction { def: &'static NativeDef, self_: Option<Value> },
    /// A builtin method as found in its type's dict (a method descriptor);
    /// binds like a function.
    NativeMethod { def: &'static NativeDef, owner: PyRef },
    /// A bound method: a callable and the instance it binds.
    BoundMethod((Value, Value)),
    Module(Box<ModuleData>),
    Code(Box<PyCode>),
    Cell(ValueCell),
    /// An instance of a user-defined class.
    Instance(InstanceData),
    /// BaseException and its subclasses (they have a `__dict__` of their own).
    Exception(Box<ExceptionData>),
    /// Generators, coroutines and async generators (see `eval/generator.rs`).
    Generator(Box<crate::eval::generator::GeneratorData>),
    /// fget, fset, fdel, the name given by `__set_name__`, and the explicit doc
    /// (unset: the doc comes from fget). See `types/property.rs`.
    Property(Box<[ValueCell; 5]>),
    StaticMethod(FuncWrapper),
    ClassMethod(FuncWrapper),
    Super(Box<(PyRef, Value, Option<PyRef>)>),
    /// The descriptor of one `__slots__` entry: slot index and name.
    MemberDescr(Box<MemberDescr>),
    /// A native attribute (getter and optional setter) of a builtin type.
    GetSetDescr { def: &'static GetSetDef, owner: PyRef },
    /// Builtin iterators and views that iterate (list_iterator, zip, map, ...).
    Iter(Box<RefCell<IterState>>),
    /// Objects of types that native modules define (deque, partial, locks, ...):
    /// the module's own Rust state, found again with `as_native::<T>()`.
    Native(Box<dyn crate::gc::NativeData>),
    /// `dict.keys()/values()/items()` views.
    DictView(Box<(DictViewKind, PyRef)>),
    /// `types.MappingProxyType` (a class's `__dict__`).
    MappingProxy(Value),
    Traceback(Box<TracebackData>),
    /// A frame object as seen by Python (`tb_frame`, `sys._getframe`).
    Frame(Box<FrameInfo>),
    /// Objects of the `_io` classes (`modules/io/`).
    Io(Box<crate::modules::io::IoData>),
    /// Weak references and weak proxies (`types/weakref.rs`).
    WeakRef(Box<crate::types::weakref::WeakRefData>),
}

// Every object carries a whole Payload: small variants stay inline (a bound
// method's two values, a complex's two floats), larger ones are boxed so the
// common objects stay 48 bytes of payload.
const _: () = assert!(std::mem::size_of::<Payload>() <= 48);

pub struct BytesData {
    pub bytes: Box<[u8]>,
    /// Cached hash; -1 until computed.
    pub hash: Cell<i64>,
}

pub struct RangeData {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

pub struct ModuleData {
    pub dict: PyRef,
}

pub struct InstanceData {
    /// The instance `__dict__`, created lazily; None for `__slots__` classes without `__dict__`.
    pub dict: ValueCell,
    /// `__slots__` storage, one cell per slot over the whole MRO, inline
    /// after the object (`object_slots.rs`).
    pub slots: crate::object_slots::SlotArray,
    /// The payload of the builtin base (for `class L(list)`), else None.
    pub base: Option<Box<Payload>>,
}

pub struct MemberDescr {
    pub name: PyRef,
    pub index: usize,
    pub owner: PyRef,
}

/// A `staticmethod` or `classmethod`: the wrapped callable and the
/// instance `__dict__` (where `__init__` copies the callable's `__name__`,
/// `__doc__`, ... as `functools.wraps` does).
pub struct FuncWrapper {
    pub func: ValueCell,
    pub dict: ValueCell,
}

impl FuncWrapper {
    pub fn new(func: Option<Value>) -> FuncWrapper {
        FuncWrapper { func: ValueCell::new(func), dict: ValueCell::new(None) }
    }
}

pub struct GetSetDef {
    pub name: &'static str,
    pub get: fn(&crate::Vm, &Value) -> crate::PyResult,
    pub set: Option<fn(&crate::Vm, &Value, Option<Value>) -> crate::PyResult<()>>,
    pub doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictViewKind {
    Keys,
    Values,
    Items,
}

pub struct TracebackData {
    pub next: ValueCell,
    pub frame: PyRef,
    /// Instruction index (tb_lasti / 2 in CPython terms).
    pub lasti: u32,
    pub lineno: u32,
}

/// What a frame object exposes once its frame has finished or is suspended:
/// the code, the globals, and the line it was at.
pub struct FrameInfo {
    pub code: PyRef,
    pub globals: PyRef,
    pub locals: ValueCell,
    pub lineno: Cell<u32>,
    pub back: ValueCell,
    /// A finished function frame's fast locals, cells and free variables,
    /// moved here when the frame ended while this object was still referenced
    /// (by a traceback): they live as long as it, as in CPython.
    pub kept: RefCell<Vec<Value>>,
}

impl Payload {
    /// A short description for debugging output only.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Payload::None_ => "object",
            Payload::Int(_) => "int",
            Payload::Float(_) => "float",
            Payload::Complex(_) => "complex",
            Payload::Str(_) => "str",
            Payload::Bytes(_) => "bytes",
            Payload::ByteArray(_) => "bytearray",
            Payload::Tuple(_) => "tuple",
            Payload::List(_) => "list",
            Payload::Dict(_) => "dict",
            Payload::Set(_) => "set",
            Payload::FrozenSet(_) => "frozenset",
            Payload::Range(_) => "range",
            Payload::Slice(_) => "slice",
            Payload::Type(_) => "type",
            Payload::Function(_) => "function",
            Payload::NativeFunction { .. } => "builtin_function_or_method",
            Payload::NativeMethod { .. } => "method_descriptor",
            Payload::BoundMethod(_) => "method",
            Payload::Module(_) => "module",
            Payload::Code(_) => "code",
            Payload::Cell(_) => "cell",
            Payload::Instance(_) => "instance",
            Payload::Exception(_) => "exception",
            Payload::Generator(_) => "generator",
            Payload::Property(_) => "property",
            Payload::StaticMethod(_) => "staticmethod",
            Payload::ClassMethod(_) => "classmethod",
            Payload::Super(_) => "super",
            Payload::MemberDescr(_) => "member_descriptor",
            Payload::GetSetDescr { .. } => "getset_descriptor",
            Payload::Iter(_) => "iterator",
            Payload::DictView(_) => "dict_view",
            Payload::MappingProxy(_) => "mappingproxy",
            Payload::Traceback(_) => "traceback",
            Payload::Native(_) => "native",
            Payload::Frame(_) => "frame",
            Payload::Io(_) => "io",
            Payload::WeakRef(_) => "weakref",
        }
    }

    /// Could the object's type define `__del__`? (Only user-class instances and
    /// exceptions and generators can; the check keeps freeing builtins cheap.)
    #[inline]
    pub fn may_have_finalizer(&self) -> bool {
        matches!(self, Payload::Instance(_) | Payload::Exception(_) | Payload::Generator(_))
    }

    /// Looks through an `Instance` wrapper to the builtin base payload.
    #[inline]
    pub fn base(&self) -> &Payload {
        match self {
            Payload::Instance(d) => match &d.base {
                Some(b) => b,
                None => self,
            },
            _ => self,
        }
    }

    #[inline]
    pub fn as_list(&self) -> Option<&RefCell<crate::types::list_storage::ListStorage>> {
        match self.base() {
            Payload::List(l) => Some(l),
            _ => None,
        }
    }
    #[inline]
    pub fn as_tuple(&self) -> Option<&[Value]> {
        match self.base() {
            Payload::Tuple(t) => Some(t),
            _ => None,
        }
    }
    #[inline]
    pub fn as_str(&self) -> Option<&PyStr> {
        match self.base() {
            Payload::Str(s) => Some(s),
            _ => None,
        }
    }
    #[inline]
    pub fn as_dict(&self) -> Option<&RefCell<DictTable>> {
        match self.base() {
            Payload::Dict(d) => Some(d),
            _ => None,
        }
    }
    #[inline]
    pub fn as_type(&self) -> Option<&TypeData> {
        match self {
            Payload::Type(t) => Some(t),
            _ => None,
        }
    }
    #[inline]
    pub fn as_int(&self) -> Option<&IBig> {
        match self.base() {
            Payload::Int(i) => Some(i),
            _ => None,
        }
    }
    #[inline]
    pub fn as_float(&self) -> Option<f64> {
        match self.base() {
            Payload::Float(f) => Some(*f),
            _ => None,
        }
    }
    #[inline]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self.base() {
            Payload::Bytes(b) => Some(&b.bytes),
            _ => None,
        }
    }
    #[inline]
    pub fn as_set(&self) -> Option<&RefCell<SetTable>> {
        match self.base() {
            Payload::Set(s) | Payload::FrozenSet(s) => Some(s),
            _ => None,
        }
    }
    #[inline]
    pub fn as_exception(&self) -> Option<&ExceptionData> {
        match self {
            Payload::Exception(e) => Some(e),
            _ => None,
        }
    }
    #[inline]
    pub fn as_function(&self) -> Option<&FunctionData> {
        match self {
            Payload::Function(f) => Some(f),
            _ => None,
        }
    }
    #[inline]
    pub fn as_code(&self) -> Option<&PyCode> {
        match self {
            Payload::Code(c) => Some(c),
            _ => None,
        }
    }
    #[inline]
    pub fn as_module(&self) -> Option<&ModuleData> {
        match self {
            Payload::Module(m) => Some(m),
            _ => None,
        }
    }
    /// The state of a native module's object (through a subclass instance too).
    #[inline]
    pub fn as_native<T: 'static>(&self) -> Option<&T> {
        match self.base() {
            Payload::Native(b) => {
                let any: &dyn std::any::Any = &**b;
                any.downcast_ref::<T>()
            }
            _ => None,
        }
    }
    #[inline]
    pub fn as_instance(&self) -> Option<&InstanceData> {
        match self {
            Payload::Instance(i) => Some(i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn payload_stays_small() {
        assert!(std::mem::size_of::<super::Payload>() <= 48, "{}", std::mem::size_of::<super::Payload>());
        assert_eq!(std::mem::size_of::<crate::value::Value>(), 16);
    }
}
