//! Calling any callable: Python functions (through the eval loop), builtins,
//! bound methods, classes (metaclass `__call__`), and objects with `__call__`.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

impl Vm {
    /// `callable(*args, **kwargs)` in vectorcall form.
    pub fn call(&self, callable: &Value, args: Args) -> PyResult {
        match callable.payload() {
            Some(Payload::Function(_)) => crate::eval::call_function(self, callable.as_obj().unwrap(), args),
            Some(Payload::NativeFunction { def, self_ }) => match self_ {
                None => (def.func)(self, args),
                Some(s) => {
                    let mut v = Vec::with_capacity(args.args.len() + 1);
                    v.push(s.clone());
                    v.extend_from_slice(args.args);
                    (def.func)(self, Args::with_kw(&v, args.kwnames))
                }
            },
            Some(Payload::NativeMethod { def, owner }) => {
                use crate::types::function::NativeKind;
                match def.kind {
                    NativeKind::ClassMethod => {
                        let mut v = Vec::with_capacity(args.args.len() + 1);
                        v.push(Value::Obj(owner.clone()));
                        v.extend_from_slice(args.args);
                        (def.func)(self, Args::with_kw(&v, args.kwnames))
                    }
                    NativeKind::StaticMethod | NativeKind::Function => (def.func)(self, args),
                    NativeKind::Method => {
                        match args.positional().first() {
                            None => Err(self.new_type_error(format!(
                                "unbound method {}.{}() needs an argument",
                                self.type_name(owner),
                                def.name
                            ))),
                            Some(s) if !self.is_subtype(self.class_of(s), owner) => Err(self.new_type_error(format!(
                                "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                                def.name,
                                self.type_name(owner),
                                self.type_name_of(s)
                            ))),
                            Some(_) => (def.func)(self, args),
                        }
                    }
                }
            }
            Some(Payload::BoundMethod(m)) => {
                let (f, s) = (&m.0, &m.1);
                let mut v = Vec::with_capacity(args.args.len() + 1);
                v.push(s.clone());
                v.extend_from_slice(args.args);
                self.call(f, Args::with_kw(&v, args.kwnames))
            }
            _ => {
                let typ = self.class_of(callable);
                match typ.payload.as_type().unwrap().slot(Slot::Call) {
                    Some(f) => {
                        let mut v = Vec::with_capacity(args.args.len() + 1);
                        v.push(callable.clone());
                        v.extend_from_slice(args.args);
                        match f.payload() {
                            Some(Payload::Function(_)) | Some(Payload::NativeMethod { .. }) => {
                                self.call(&f, Args::with_kw(&v, args.kwnames))
                            }
                            _ => {
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
        Value::Obj(PyRef::new(self.types.method.clone(), Payload::BoundMethod(Box::new((func, self_)))))
    }

    pub fn new_native_function(&self, def: &'static NativeDef, self_: Option<Value>) -> Value {
        Value::Obj(PyRef::new(self.types.builtin_function.clone(), Payload::NativeFunction { def, self_ }))
    }
}
