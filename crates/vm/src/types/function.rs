//! Functions: Python functions (code + globals + defaults + closure) and the
//! definitions of builtin (native) functions and methods.

use crate::object::{PyRef, ValueCell};
use crate::value::Value;
use crate::{PyResult, Vm};

/// A Python function object.
pub struct FunctionData {
    /// The `code` object (replaceable: `f.__code__ = ...`).
    pub code: crate::object::SwapRef,
    pub globals: PyRef,
    /// The builtins dict captured when the function was made.
    pub builtins: PyRef,
    pub name: ValueCell,
    pub qualname: ValueCell,
    /// `__defaults__`: a tuple or None.
    pub defaults: ValueCell,
    /// `__kwdefaults__`: a dict or None.
    pub kwdefaults: ValueCell,
    /// `__closure__`: a tuple of cells, or None.
    pub closure: Option<PyRef>,
    pub doc: ValueCell,
    pub module: ValueCell,
    pub annotations: ValueCell,
    /// `__dict__`, created lazily.
    pub dict: ValueCell,
}

/// Arguments of a call, vectorcall style: positional arguments followed by
/// keyword argument values; `kwnames` names the last `kwnames.len()` values.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    pub args: &'a [Value],
    pub kwnames: &'a [Value],
}

impl<'a> Args<'a> {
    pub const EMPTY: Args<'static> = Args { args: &[], kwnames: &[] };

    #[inline(always)]
    pub fn new(args: &'a [Value]) -> Args<'a> {
        Args { args, kwnames: &[] }
    }
    #[inline(always)]
    pub fn with_kw(args: &'a [Value], kwnames: &'a [Value]) -> Args<'a> {
        Args { args, kwnames }
    }
    /// The positional arguments.
    #[inline(always)]
    pub fn positional(&self) -> &'a [Value] {
        &self.args[..self.args.len() - self.kwnames.len()]
    }
    /// The keyword arguments as (name, value) pairs.
    pub fn keywords(&self) -> impl Iterator<Item = (&'a Value, &'a Value)> {
        let start = self.args.len() - self.kwnames.len();
        self.kwnames.iter().zip(self.args[start..].iter())
    }
    #[inline(always)]
    pub fn has_kwargs(&self) -> bool {
        !self.kwnames.is_empty()
    }
}

/// The signature of every native function: arguments as passed (for methods,
/// `self` is the first positional argument).
pub type NativeFn = fn(&Vm, Args) -> PyResult;

/// How a native definition binds when found on a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeKind {
    /// A module-level builtin function (no binding).
    Function,
    /// An instance method: binds `self` like a Python function.
    Method,
    /// A class method: binds the class.
    ClassMethod,
    /// A static method (e.g. `__new__`, `str.maketrans`): no binding.
    StaticMethod,
}

/// A native function or method definition, usually a `static`.
pub struct NativeDef {
    pub name: &'static str,
    pub func: NativeFn,
    pub kind: NativeKind,
    pub doc: &'static str,
}

impl NativeDef {
    pub const fn method(name: &'static str, func: NativeFn) -> NativeDef {
        NativeDef { name, func, kind: NativeKind::Method, doc: "" }
    }
    pub const fn function(name: &'static str, func: NativeFn) -> NativeDef {
        NativeDef { name, func, kind: NativeKind::Function, doc: "" }
    }
    pub const fn classmethod(name: &'static str, func: NativeFn) -> NativeDef {
        NativeDef { name, func, kind: NativeKind::ClassMethod, doc: "" }
    }
    pub const fn staticmethod(name: &'static str, func: NativeFn) -> NativeDef {
        NativeDef { name, func, kind: NativeKind::StaticMethod, doc: "" }
    }
    /// The same definition with a docstring, written CPython's way: a first
    /// line `name(params)\n--\n\n` gives the `__text_signature__` (see
    /// [`split_doc`]); e.g. `NativeDef::function("len", len).doc("len($module, obj, /)\n--\n\nReturn ...")`.
    pub const fn doc(self, doc: &'static str) -> NativeDef {
        NativeDef { doc, ..self }
    }
}

/// Splits a native docstring into its text signature and the rest, as
/// CPython reads the docs of its C functions and types: a doc that starts
/// with `name(`, and whose `)\n--\n\n` comes before any blank line, has the
/// signature `(...)` up to and including that `)`; the doc proper follows the
/// marker. Any other doc has no signature and is kept whole.
pub fn split_doc<'a>(name: &str, doc: &'a str) -> (Option<&'a str>, &'a str) {
    const END: &str = ")\n--\n\n";
    let Some(after) = doc.strip_prefix(name).filter(|a| a.starts_with('(')) else {
        return (None, doc);
    };
    match (after.find(END), after.find("\n\n")) {
        (Some(end), blank) if blank.map_or(true, |b| b > end) => (Some(&after[..end + 1]), &after[end + END.len()..]),
        _ => (None, doc),
    }
}

impl Vm {
    /// Binds the arguments of a native function to its parameters, with
    /// CPython's messages for the common mistakes. `names` lists every
    /// parameter; the first `posonly` are positional-only, the first
    /// `required` must be given, and parameters at index >= `kwonly_from`
    /// (if any) are keyword-only. Returns one slot per parameter.
    ///
    /// Messages: "f() takes at most 2 arguments (3 given)",
    /// "f() missing required argument 'x' (pos 1)", "'y' is an invalid keyword
    /// argument for f()", "argument for f() given by name ('x') and position (1)",
    /// "f() takes no keyword arguments".
    pub fn bind_native(
        &self,
        fname: &str,
        args: Args,
        names: &[&str],
        posonly: usize,
        required: usize,
        kwonly_from: Option<usize>,
    ) -> PyResult<Vec<Option<Value>>> {
        let mut out: Vec<Option<Value>> = vec![None; names.len()];
        let pos = args.positional();
        let max_pos = kwonly_from.unwrap_or(names.len());
        if pos.len() > max_pos {
            return Err(self.new_type_error(if max_pos == required {
                format!("{fname}() takes exactly {max_pos} argument{} ({} given)", if max_pos == 1 { "" } else { "s" }, pos.len())
            } else {
                format!("{fname}() takes at most {max_pos} argument{} ({} given)", if max_pos == 1 { "" } else { "s" }, pos.len())
            }));
        }
        for (i, v) in pos.iter().enumerate() {
            out[i] = Some(v.clone());
        }
        if args.has_kwargs() && names.len() == posonly {
            return Err(self.new_type_error(format!("{fname}() takes no keyword arguments")));
        }
        // Argument clinic's order of complaints: a missing required argument
        // first, then one given by name and position, then an unknown keyword.
        let mut late_error: Option<String> = None;
        let mut invalid: Option<String> = None;
        for (k, v) in args.keywords() {
            let k = self.as_str(k).unwrap_or("");
            match names.iter().position(|n| *n == k) {
                Some(i) if i >= posonly => {
                    if i < pos.len() {
                        if late_error.is_none() {
                            late_error =
                                Some(format!("argument for {fname}() given by name ('{k}') and position ({})", i + 1));
                        }
                    } else {
                        out[i] = Some(v.clone());
                    }
                }
                _ => {
                    if invalid.is_none() {
                        invalid = Some(format!("'{k}' is an invalid keyword argument for {fname}()"));
                    }
                }
            }
        }
        let late_error = late_error.or(invalid);
        for i in 0..required {
            if out[i].is_none() {
                return Err(self.new_type_error(if i < posonly {
                    format!("{fname}() takes at least {required} argument{} ({} given)", if required == 1 { "" } else { "s" }, pos.len())
                } else {
                    format!("{fname}() missing required argument '{}' (pos {})", names[i], i + 1)
                }));
            }
        }
        if let Some(msg) = late_error {
            return Err(self.new_type_error(msg));
        }
        Ok(out)
    }

    /// For natives taking no keyword arguments and `min..=max` positional ones:
    /// CPython's "f expected at most 2 arguments, got 3" family of messages.
    pub fn check_arity(&self, fname: &str, args: Args, min: usize, max: usize) -> PyResult<()> {
        if args.has_kwargs() {
            return Err(self.new_type_error(format!("{fname}() takes no keyword arguments")));
        }
        let n = args.args.len();
        if n < min || n > max {
            let msg = if min == max {
                if min == 0 {
                    format!("{fname}() takes no arguments ({n} given)")
                } else if min == 1 {
                    format!("{fname}() takes exactly one argument ({n} given)")
                } else {
                    format!("{fname} expected {min} arguments, got {n}")
                }
            } else if n < min {
                format!("{fname} expected at least {min} argument{}, got {n}", if min == 1 { "" } else { "s" })
            } else {
                format!("{fname} expected at most {max} argument{}, got {n}", if max == 1 { "" } else { "s" })
            };
            return Err(self.new_type_error(msg));
        }
        Ok(())
    }
}
