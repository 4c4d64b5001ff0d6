//! The builtin exception hierarchy and the helpers that make exceptions.
//! (The Python-visible methods of BaseException and friends live in
//! `types/exception_methods.rs`.)

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::exception::ExceptionData;
use crate::types::typeobj::{type_flags, Layout};
use crate::value::Value;
use crate::vm::{make_builtin_type, Types};
use crate::{PyResult, Vm};

/// A raised exception: the exception instance.
pub type PyErr = PyRef;

macro_rules! exception_types {
    (root $root:ident; $($field:ident: $name:literal < $base:ident;)*) => {
        /// Every builtin exception type.
        pub struct ExcTypes {
            pub $root: PyRef,
            $(pub $field: PyRef,)*
        }
        impl ExcTypes {
            pub(crate) fn create(types: &Types) -> ExcTypes {
                let $root = make_builtin_type(&types.type_, "BaseException", Some(&types.object),
                    Layout::Exception, type_flags::BASETYPE | type_flags::HAS_DICT | type_flags::EXCEPTION);
                $(let $field = make_builtin_type(&types.type_, $name, Some(&$base),
                    Layout::Exception, type_flags::BASETYPE | type_flags::HAS_DICT | type_flags::EXCEPTION);)*
                for t in [&$root, $(&$field,)*] {
                    t.payload.as_type().unwrap().dict.set_class(types.dict.clone());
                }
                ExcTypes { $root, $($field,)* }
            }
            /// All exception types with their names, for the builtins module.
            pub fn all(&self) -> Vec<PyRef> {
                vec![self.$root.clone(), $(self.$field.clone(),)*]
            }
        }
    };
}

exception_types! {
    root base_exception;
    base_exception_group: "BaseExceptionGroup" < base_exception;
    generator_exit: "GeneratorExit" < base_exception;
    keyboard_interrupt: "KeyboardInterrupt" < base_exception;
    system_exit: "SystemExit" < base_exception;
    exception: "Exception" < base_exception;
    arithmetic_error: "ArithmeticError" < exception;
    floating_point_error: "FloatingPointError" < arithmetic_error;
    overflow_error: "OverflowError" < arithmetic_error;
    zero_division_error: "ZeroDivisionError" < arithmetic_error;
    assertion_error: "AssertionError" < exception;
    attribute_error: "AttributeError" < exception;
    buffer_error: "BufferError" < exception;
    eof_error: "EOFError" < exception;
    exception_group: "ExceptionGroup" < base_exception_group;
    import_error: "ImportError" < exception;
    module_not_found_error: "ModuleNotFoundError" < import_error;
    lookup_error: "LookupError" < exception;
    index_error: "IndexError" < lookup_error;
    key_error: "KeyError" < lookup_error;
    memory_error: "MemoryError" < exception;
    name_error: "NameError" < exception;
    unbound_local_error: "UnboundLocalError" < name_error;
    os_error: "OSError" < exception;
    blocking_io_error: "BlockingIOError" < os_error;
    child_process_error: "ChildProcessError" < os_error;
    connection_error: "ConnectionError" < os_error;
    broken_pipe_error: "BrokenPipeError" < connection_error;
    connection_aborted_error: "ConnectionAbortedError" < connection_error;
    connection_refused_error: "ConnectionRefusedError" < connection_error;
    connection_reset_error: "ConnectionResetError" < connection_error;
    file_exists_error: "FileExistsError" < os_error;
    file_not_found_error: "FileNotFoundError" < os_error;
    interrupted_error: "InterruptedError" < os_error;
    is_a_directory_error: "IsADirectoryError" < os_error;
    not_a_directory_error: "NotADirectoryError" < os_error;
    permission_error: "PermissionError" < os_error;
    process_lookup_error: "ProcessLookupError" < os_error;
    timeout_error: "TimeoutError" < os_error;
    reference_error: "ReferenceError" < exception;
    runtime_error: "RuntimeError" < exception;
    not_implemented_error: "NotImplementedError" < runtime_error;
    recursion_error: "RecursionError" < runtime_error;
    stop_async_iteration: "StopAsyncIteration" < exception;
    stop_iteration: "StopIteration" < exception;
    syntax_error: "SyntaxError" < exception;
    indentation_error: "IndentationError" < syntax_error;
    tab_error: "TabError" < indentation_error;
    system_error: "SystemError" < exception;
    type_error: "TypeError" < exception;
    value_error: "ValueError" < exception;
    unicode_error: "UnicodeError" < value_error;
    unicode_decode_error: "UnicodeDecodeError" < unicode_error;
    unicode_encode_error: "UnicodeEncodeError" < unicode_error;
    unicode_translate_error: "UnicodeTranslateError" < unicode_error;
    warning: "Warning" < exception;
    bytes_warning: "BytesWarning" < warning;
    deprecation_warning: "DeprecationWarning" < warning;
    encoding_warning: "EncodingWarning" < warning;
    future_warning: "FutureWarning" < warning;
    import_warning: "ImportWarning" < warning;
    pending_deprecation_warning: "PendingDeprecationWarning" < warning;
    resource_warning: "ResourceWarning" < warning;
    runtime_warning: "RuntimeWarning" < warning;
    syntax_warning: "SyntaxWarning" < warning;
    unicode_warning: "UnicodeWarning" < warning;
    user_warning: "UserWarning" < warning;
    // io.UnsupportedOperation (also a ValueError: bases fixed in builtins/io.rs;
    // not put in builtins).
    unsupported_operation: "UnsupportedOperation" < os_error;
}

/// Start-up: fix ExceptionGroup's second base (Exception) and its MRO.
pub(crate) fn init(vm: &Vm) {
    let eg = &vm.exc.exception_group;
    let bases = vec![vm.exc.base_exception_group.clone(), vm.exc.exception.clone()];
    let mro = vm.compute_mro(eg, &bases).expect("ExceptionGroup MRO");
    let t = eg.payload.as_type().unwrap();
    *t.bases.borrow_mut() = bases;
    *t.mro.borrow_mut() = mro;
    vm.exc.exception.payload.as_type().unwrap().subclasses.borrow_mut().push(eg.as_ptr());
}

impl Vm {
    /// Makes an exception instance of builtin type `typ` with `args`.
    pub fn new_exception(&self, typ: &PyRef, args: Vec<Value>) -> PyRef {
        let data = ExceptionData::default();
        data.args.set(Some(self.new_tuple(args)));
        PyRef::new(typ.clone(), Payload::Exception(Box::new(data)))
    }

    /// Makes an exception with a single message argument.
    pub fn new_exception_msg(&self, typ: &PyRef, msg: impl Into<String>) -> PyRef {
        let s = self.new_str(msg.into());
        self.new_exception(typ, vec![s])
    }

    pub fn new_type_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.type_error, msg)
    }
    pub fn new_value_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.value_error, msg)
    }
    pub fn new_index_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.index_error, msg)
    }
    pub fn new_key_error(&self, key: Value) -> PyErr {
        self.new_exception(&self.exc.key_error, vec![key])
    }
    pub fn new_attribute_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.attribute_error, msg)
    }
    pub fn new_name_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.name_error, msg)
    }
    pub fn new_overflow_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.overflow_error, msg)
    }
    pub fn new_zero_division_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.zero_division_error, msg)
    }
    pub fn new_runtime_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.runtime_error, msg)
    }
    pub fn new_recursion_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.recursion_error, msg)
    }
    pub fn new_memory_error(&self) -> PyErr {
        self.new_exception(&self.exc.memory_error, vec![])
    }
    pub fn new_stop_iteration(&self, value: Option<Value>) -> PyErr {
        let args = match value {
            Some(v) => vec![v],
            None => vec![],
        };
        self.new_exception(&self.exc.stop_iteration, args)
    }
    pub fn new_system_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.system_error, msg)
    }
    pub fn new_not_implemented_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.not_implemented_error, msg)
    }
    pub fn new_import_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.import_error, msg)
    }
    pub fn new_os_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_exception_msg(&self.exc.os_error, msg)
    }

    /// `warnings.warn(msg, category)` from native code (CPython's
    /// `PyErr_WarnEx` with stacklevel 1: a native call adds no frame, so the
    /// warning names the Python caller). Err when a filter made it an error.
    pub fn warn(&self, category: &PyRef, msg: impl Into<String>) -> PyResult<()> {
        let warnings = self.import_full("warnings")?;
        let warn = self.getattr_str(&Value::Obj(warnings), "warn")?;
        self.call1(&warn, &[self.new_str(msg.into()), Value::Obj(category.clone())])?;
        Ok(())
    }

    /// Is `exc` an instance of exception type `typ` (or a subclass)?
    pub fn exception_matches(&self, exc: &PyRef, typ: &PyRef) -> bool {
        self.is_subtype(exc.class(), typ)
    }
}
