//! Calling any callable: Python functions (through the eval loop), builtins,
//! bound methods, classes (metaclass `__call__`), and objects with `__call__`.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// Runs `f` on `first` followed by `rest`: the argument vector of a bound
/// call. Short vectors (up to 3 arguments after `first`) are built on the
/// stack rather than in a fresh `Vec`.
#[inline]
pub(crate) fn with_prepended<R>(first: &Value, rest: &[Value], f: impl FnOnce(&[Value]) -> R) -> R {
    // Arrays of exactly the needed length for the common counts: nothing
    // is made (or dropped) beyond the arguments themselves.
    match rest {
        [] => f(&[first.clone()]),
        [a] => f(&[first.clone(), a.clone()]),
        [a, b] => f(&[first.clone(), a.clone(), b.clone()]),
        [a, b, c] => f(&[first.clone(), a.clone(), b.clone(), c.clone()]),
        _ => {
            let mut v = Vec::with_capacity(rest.len() + 1);
            v.push(first.clone());
            v.extend_from_slice(rest);
            f(&v)
        }
    }
}

impl Vm {
    /// `callable(*args, **kwargs)` in vectorcall form.
    pub fn call(&self, callable: &Value, args: Args) -> PyResult {
        match callable.payload() {
            Some(Payload::Function(_)) => crate::eval::call_function(self, callable.as_obj().unwrap(), args),
            Some(Payload::NativeFunction { def, self_ }) => match self_ {
                None => (def.func)(self, args),
                Some(s) => with_prepended(s, args.args, |v| (def.func)(self, Args::with_kw(v, args.kwnames))),
            },
            Some(Payload::NativeMethod { def, owner }) => {
                use crate::types::function::NativeKind;
                match def.kind {
                    NativeKind::ClassMethod => with_prepended(&Value::Obj(owner.clone()), args.args, |v| {
                        (def.func)(self, Args::with_kw(v, args.kwnames))
                    }),
                    NativeKind::StaticMethod | NativeKind::Function => (def.func)(self, args),
                    NativeKind::Method => {
                        match args.positional().first() {
                            None => Err(self.new_type_error(format!(
                                "unbound method {}.{}() needs an argument",
                                self.type_name(owner),
                                def.name
                            ))),
                            Some(s) if !self.is_subtype(self.class_of(s), owner) => {
                                Err(self.new_type_error(if is_slot_wrapper(self, def.name, owner) {
                                    format!(
                                        "descriptor '{}' requires a '{}' object but received a '{}'",
                                        def.name,
                                        self.type_name(owner),
                                        self.type_name_of(s)
                                    )
                                } else {
                                    format!(
                                        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                                        def.name,
                                        self.type_name(owner),
                                        self.type_name_of(s)
                                    )
                                }))
                            }
                            Some(_) => (def.func)(self, args),
                        }
                    }
                }
            }
            Some(Payload::BoundMethod(m)) => {
                let (f, s) = (&m.0, &m.1);
                with_prepended(s, args.args, |v| self.call(f, Args::with_kw(v, args.kwnames)))
            }
            _ => {
                let typ = self.class_of(callable);
                match typ.payload.as_type().unwrap().slot(Slot::Call) {
                    Some(f) => {
                        match f.payload() {
                            // A class whose metaclass keeps `type.__call__`.
                            Some(Payload::NativeMethod { .. })
                                if crate::types::type_methods::is_type_call(&f)
                                    && callable.as_obj().is_some_and(|c| c.payload.as_type().is_some()) =>
                            {
                                crate::types::type_methods::call_type(self, callable.as_obj().unwrap(), args)
                            }
                            Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
                                with_prepended(callable, args.args, |v| self.call(&f, Args::with_kw(v, args.kwnames)))
                            }
                            _ => {
                                // A `__call__` that is itself an instance with
                                // `__call__` recurses natively (`A.__call__ = A()`).
                                if crate::eval::exec::native_stack_low(self) {
                                    return Err(self.new_recursion_error(
                                        "maximum recursion depth exceeded while calling a Python object",
                                    ));
                                }
                                let bound = self.descr_get(&f, Some(callable), typ)?;
                                self.call(&bound, args)
                            }
                        }
                    }
                    None => Err(self.new_type_error(format!(
                        "'{}' object is not callable",
                        self.type_name_of(callable)
                    ))),
                }
            }
        }
    }

    /// Calls with positional arguments only.
    pub fn call1(&self, callable: &Value, args: &[Value]) -> PyResult {
        self.call(callable, Args::new(args))
    }

    /// `obj.name(*args)`.
    pub fn call_method(&self, obj: &Value, name: &str, args: &[Value]) -> PyResult {
        let f = self.getattr_str(obj, name)?;
        self.call(&f, Args::new(args))
    }

    /// Is the value callable?
    pub fn is_callable(&self, v: &Value) -> bool {
        match v.payload() {
            Some(Payload::Function(_))
            | Some(Payload::NativeFunction { .. })
            | Some(Payload::NativeMethod { .. })
            | Some(Payload::BoundMethod(_))
            | Some(Payload::Type(_)) => true,
            _ => self.special(v, Slot::Call).is_some(),
        }
    }

    pub fn new_bound_method(&self, func: Value, self_: Value) -> Value {
        Value::Obj(PyRef::new(self.types.method.clone(), Payload::BoundMethod((func, self_))))
    }

    pub fn new_native_function(&self, def: &'static NativeDef, self_: Option<Value>) -> Value {
        Value::Obj(PyRef::new(self.types.builtin_function.clone(), Payload::NativeFunction { def, self_ }))
    }
}

/// Is `name` a special method CPython exposes as a slot wrapper
/// (`wrapper_descriptor`, whose type check words its error differently)?
fn is_slot_wrapper(vm: &crate::Vm, name: &str, owner: &crate::PyRef) -> bool {
    // These few are plain methods in CPython (defined alongside their slot).
    let t = &vm.types;
    let plain = match name {
        "__getitem__" => owner.is(&t.list) || owner.is(&t.dict),
        "__contains__" => owner.is(&t.dict) || owner.is(&t.set) || owner.is(&t.frozenset),
        _ => false,
    };
    if plain {
        return false;
    }
    const NAMES: &[&str] = &[
        "__repr__", "__str__", "__hash__", "__call__", "__getattribute__", "__setattr__", "__delattr__",
        "__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__", "__iter__", "__next__", "__get__",
        "__set__", "__delete__", "__init__", "__del__", "__await__", "__aiter__", "__anext__", "__add__",
        "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__mod__", "__rmod__", "__divmod__",
        "__rdivmod__", "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__", "__bool__", "__invert__",
        "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__and__", "__rand__", "__xor__",
        "__rxor__", "__or__", "__ror__", "__int__", "__float__", "__iadd__", "__isub__", "__imul__",
        "__imod__", "__ipow__", "__ilshift__", "__irshift__", "__iand__", "__ixor__", "__ior__",
        "__floordiv__", "__rfloordiv__", "__truediv__", "__rtruediv__", "__ifloordiv__", "__itruediv__",
        "__index__", "__matmul__", "__rmatmul__", "__imatmul__", "__len__", "__getitem__", "__setitem__",
        "__delitem__", "__contains__",
    ];
    name.starts_with("__") && NAMES.contains(&name)
}
