//! The `_operator` module: operator.py does `from _operator import *`, so
//! these native functions replace its pure-Python ones and give CPython's
//! C semantics and messages (`index(1.5)`, `length_hint`, `concat` of a
//! non-sequence), plus the `itemgetter`, `attrgetter` and `methodcaller`
//! types and `_compare_digest` (used by hmac).

use crate::native::{make_module as new_module, native_type, new_object, ssize, TypeSpec};
use krait_compiler::bytecode::{BinOp, CmpOp, Opcode};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::eval::ops::unary;
use krait_vm::types::int::bytes_like;
use krait_vm::types::typeobj::{Layout, Slot};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

fn no_kw(vm: &Vm, name: &str, args: &Args) -> PyResult<()> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("_operator.{name}() takes no keyword arguments")));
    }
    Ok(())
}

fn one<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    no_kw(vm, name, args)?;
    match args.args {
        [v] => Ok(v),
        a => Err(vm.new_type_error(format!("_operator.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

fn two<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<(&'a Value, &'a Value)> {
    no_kw(vm, name, args)?;
    let a = crate::native::unpack(vm, name, args, 2, 2)?;
    Ok((&a[0], &a[1]))
}

macro_rules! binary {
    ($($fname:ident, $name:literal, $op:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult {
            let (a, b) = two(vm, $name, &args)?;
            vm.binary_op(a, b, $op)
        })*
    };
}

binary! {
    op_add, "add", BinOp::Add;
    op_sub, "sub", BinOp::Subtract;
    op_mul, "mul", BinOp::Multiply;
    op_matmul, "matmul", BinOp::MatrixMultiply;
    op_truediv, "truediv", BinOp::TrueDivide;
    op_floordiv, "floordiv", BinOp::FloorDivide;
    op_mod, "mod", BinOp::Remainder;
    op_pow, "pow", BinOp::Power;
    op_lshift, "lshift", BinOp::Lshift;
    op_rshift, "rshift", BinOp::Rshift;
    op_and, "and_", BinOp::And;
    op_or, "or_", BinOp::Or;
    op_xor, "xor", BinOp::Xor;
    op_iadd, "iadd", BinOp::InplaceAdd;
    op_isub, "isub", BinOp::InplaceSubtract;
    op_imul, "imul", BinOp::InplaceMultiply;
    op_imatmul, "imatmul", BinOp::InplaceMatrixMultiply;
    op_itruediv, "itruediv", BinOp::InplaceTrueDivide;
    op_ifloordiv, "ifloordiv", BinOp::InplaceFloorDivide;
    op_imod, "imod", BinOp::InplaceRemainder;
    op_ipow, "ipow", BinOp::InplacePower;
    op_ilshift, "ilshift", BinOp::InplaceLshift;
    op_irshift, "irshift", BinOp::InplaceRshift;
    op_iand, "iand", BinOp::InplaceAnd;
    op_ior, "ior", BinOp::InplaceOr;
    op_ixor, "ixor", BinOp::InplaceXor;
}

macro_rules! compare {
    ($($fname:ident, $name:literal, $op:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult {
            let (a, b) = two(vm, $name, &args)?;
            vm.compare(a, b, $op)
        })*
    };
}

compare! {
    op_lt, "lt", CmpOp::Lt;
    op_le, "le", CmpOp::Le;
    op_eq, "eq", CmpOp::Eq;
    op_ne, "ne", CmpOp::Ne;
    op_gt, "gt", CmpOp::Gt;
    op_ge, "ge", CmpOp::Ge;
}

macro_rules! unary_ops {
    ($($fname:ident, $name:literal, $op:expr;)*) => {
        $(fn $fname(vm: &Vm, args: Args) -> PyResult {
            unary(vm, $op, one(vm, $name, &args)?)
        })*
    };
}

unary_ops! {
    op_neg, "neg", Opcode::UnaryNegative;
    op_pos, "pos", Opcode::UnaryPositive;
    op_inv, "inv", Opcode::UnaryInvert;
    op_invert, "invert", Opcode::UnaryInvert;
}

fn op_abs(vm: &Vm, args: Args) -> PyResult {
    let v = one(vm, "abs", &args)?;
    let f = vm.dict_get_str(&builtins_dict(vm), &vm.intern("abs")).ok_or_else(|| vm.new_system_error("no builtin abs"))?;
    vm.call(&f, Args::new(std::slice::from_ref(v)))
}

fn builtins_dict(vm: &Vm) -> PyRef {
    vm.builtins.payload.as_module().expect("builtins is a module").dict.clone()
}

fn op_not(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Bool(!vm.truthy(one(vm, "not_", &args)?)?))
}
fn op_truth(vm: &Vm, args: Args) -> PyResult {
    Ok(Value::Bool(vm.truthy(one(vm, "truth", &args)?)?))
}
fn op_is(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "is_", &args)?;
    Ok(Value::Bool(a.is(b)))
}
fn op_is_not(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "is_not", &args)?;
    Ok(Value::Bool(!a.is(b)))
}

fn op_index(vm: &Vm, args: Args) -> PyResult {
    vm.index(one(vm, "index", &args)?)
}

/// `PySequence_Check`: has `__getitem__` and is not a dict.
pub(crate) fn is_sequence(vm: &Vm, v: &Value) -> bool {
    vm.special(v, Slot::GetItem).is_some() && v.payload().and_then(|p| p.as_dict()).is_none()
}

fn op_concat(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "concat", &args)?;
    if !is_sequence(vm, a) {
        return Err(vm.new_type_error(format!("'{}' object can't be concatenated", vm.type_name_of(a))));
    }
    vm.binary_op(a, b, BinOp::Add)
}

fn op_iconcat(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "iconcat", &args)?;
    if !is_sequence(vm, a) {
        return Err(vm.new_type_error(format!("'{}' object can't be concatenated", vm.type_name_of(a))));
    }
    vm.binary_op(a, b, BinOp::InplaceAdd)
}

fn op_contains(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "contains", &args)?;
    Ok(Value::Bool(vm.contains(a, b)?))
}

/// An iterator over `seq`, with the message `PySequence_Count` gives.
fn seq_iter(vm: &Vm, seq: &Value) -> PyResult {
    vm.iter(seq).map_err(|e| {
        if vm.exception_matches(&e, &vm.exc.type_error) {
            vm.new_type_error(format!("argument of type '{}' is not iterable", vm.type_name_of(seq)))
        } else {
            e
        }
    })
}

fn op_count_of(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "countOf", &args)?;
    let it = seq_iter(vm, a)?;
    let mut n = 0i64;
    while let Some(x) = vm.next(&it)? {
        if vm.eq_identity_or(&x, b)? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

fn op_index_of(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "indexOf", &args)?;
    let it = seq_iter(vm, a)?;
    let mut n = 0i64;
    while let Some(x) = vm.next(&it)? {
        if vm.eq_identity_or(&x, b)? {
            return Ok(Value::Int(n));
        }
        n += 1;
    }
    Err(vm.new_value_error("sequence.index(x): x not in sequence"))
}

fn op_getitem(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "getitem", &args)?;
    vm.getitem(a, b)
}

fn op_setitem(vm: &Vm, args: Args) -> PyResult {
    no_kw(vm, "setitem", &args)?;
    let a = crate::native::unpack(vm, "setitem", &args, 3, 3)?;
    vm.setitem(&a[0], &a[1], a[2].clone())?;
    Ok(Value::None)
}

fn op_delitem(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "delitem", &args)?;
    vm.delitem(a, b)?;
    Ok(Value::None)
}

/// `PyObject_LengthHint`: `len()` if it works, else `__length_hint__`.
fn op_length_hint(vm: &Vm, args: Args) -> PyResult {
    no_kw(vm, "length_hint", &args)?;
    let a = crate::native::unpack(vm, "length_hint", &args, 1, 2)?;
    let default = match a.get(1) {
        Some(d) => ssize(vm, d)?,
        None => 0,
    };
    Ok(Value::Int(vm.length_hint(&a[0], default)?))
}

fn op_call(vm: &Vm, args: Args) -> PyResult {
    let n = args.positional().len();
    if n == 0 {
        return Err(vm.new_type_error("call expected at least 1 argument, got 0"));
    }
    vm.call(&args.args[0], Args { args: &args.args[1..], kwnames: args.kwnames })
}

/// Compares in time that depends only on the length of `b`.
fn op_compare_digest(vm: &Vm, args: Args) -> PyResult {
    let (a, b) = two(vm, "_compare_digest", &args)?;
    let (x, y) = match (vm.as_str(a), vm.as_str(b)) {
        (Some(x), Some(y)) => {
            if !x.is_ascii() || !y.is_ascii() {
                return Err(vm.new_type_error("comparing strings with non-ASCII characters is not supported"));
            }
            (x.as_bytes().to_vec(), y.as_bytes().to_vec())
        }
        _ => {
            let buf = |v: &Value| {
                bytes_like(v).ok_or_else(|| {
                    if vm.as_str(v).is_some() {
                        vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v)))
                    } else {
                        vm.new_type_error(format!(
                            "unsupported operand types(s) or combination of types: '{}' and '{}'",
                            vm.type_name_of(a),
                            vm.type_name_of(b)
                        ))
                    }
                })
            };
            (buf(a)?, buf(b)?)
        }
    };
    let mut diff = (x.len() != y.len()) as u8;
    let left = if x.len() == y.len() { &x } else { &y };
    for (p, q) in left.iter().zip(y.iter()) {
        diff |= p ^ q;
    }
    Ok(Value::Bool(diff == 0))
}

// ---- itemgetter, attrgetter, methodcaller ----

struct ItemGetter(Vec<Value>);
struct AttrGetter {
    /// Each name as given and split at its dots.
    names: Vec<(Value, Vec<PyRef>)>,
}
struct MethodCaller {
    name: Value,
    args: Vec<Value>,
    kwnames: Vec<Value>,
}

// Their states are fixed when made: traversed, never cleared (a cycle
// through one is broken by the other objects in it, as in CPython).
impl NativeData for ItemGetter {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        self.0.iter().for_each(|v| visitor.visit_value(v));
    }
}

impl NativeData for AttrGetter {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        for (name, parts) in &self.names {
            visitor.visit_value(name);
            parts.iter().for_each(|p| visitor.visit(p));
        }
    }
}

impl NativeData for MethodCaller {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.name);
        self.args.iter().chain(&self.kwnames).for_each(|v| visitor.visit_value(v));
    }
}

fn state<'a, T: 'static>(vm: &Vm, v: &'a Value, owner: &str, name: &str) -> PyResult<&'a T> {
    v.payload().and_then(|p| p.as_native::<T>()).ok_or_else(|| crate::native::descr_error(vm, name, owner, v))
}

fn self_arg<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))
}

/// The one argument of a getter call.
fn call_arg<'a>(vm: &Vm, name: &str, args: &Args<'a>) -> PyResult<&'a Value> {
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
    }
    match &args.args[1..] {
        [v] => Ok(v),
        a => Err(vm.new_type_error(format!("{name} expected 1 argument, got {}", a.len()))),
    }
}

fn ig_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &ITEMGETTER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("itemgetter() takes no keyword arguments"));
    }
    if rest.args.is_empty() {
        return Err(vm.new_type_error("itemgetter expected 1 argument, got 0"));
    }
    Ok(new_object(vm, &cls, &t, ItemGetter(rest.args.to_vec())))
}

fn ig_call(vm: &Vm, args: Args) -> PyResult {
    let me = state::<ItemGetter>(vm, self_arg(vm, &args)?, "operator.itemgetter", "__call__")?;
    let obj = call_arg(vm, "itemgetter", &args)?;
    if let [item] = &me.0[..] {
        return vm.getitem(obj, item);
    }
    let items = me.0.iter().map(|i| vm.getitem(obj, i)).collect::<PyResult<Vec<_>>>()?;
    Ok(vm.new_tuple(items))
}

fn reprs(vm: &Vm, vals: &[Value]) -> PyResult<Vec<String>> {
    vals.iter().map(|v| vm.repr_string(v)).collect()
}

fn ig_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let st = state::<ItemGetter>(vm, me, "operator.itemgetter", "__repr__")?;
    let s = vm.with_repr_guard(me, || Ok(format!("operator.itemgetter({})", reprs(vm, &st.0)?.join(", "))))?;
    Ok(vm.new_str(s.unwrap_or_else(|| "operator.itemgetter(...)".into())))
}

fn ig_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let st = state::<ItemGetter>(vm, me, "operator.itemgetter", "__reduce__")?;
    Ok(vm.new_tuple(vec![Value::Obj(vm.class_of(me).clone()), vm.new_tuple(st.0.clone())]))
}

fn ag_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &ATTRGETTER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    if rest.has_kwargs() {
        return Err(vm.new_type_error("attrgetter() takes no keyword arguments"));
    }
    if rest.args.is_empty() {
        return Err(vm.new_type_error("attrgetter expected 1 argument, got 0"));
    }
    let mut names = Vec::new();
    for v in rest.args {
        let s = vm.as_str(v).ok_or_else(|| vm.new_type_error("attribute name must be a string"))?;
        names.push((v.clone(), s.split('.').map(|p| vm.intern(p)).collect()));
    }
    Ok(new_object(vm, &cls, &t, AttrGetter { names }))
}

fn ag_call(vm: &Vm, args: Args) -> PyResult {
    let me = state::<AttrGetter>(vm, self_arg(vm, &args)?, "operator.attrgetter", "__call__")?;
    let obj = call_arg(vm, "attrgetter", &args)?;
    let get = |parts: &Vec<PyRef>| -> PyResult {
        let mut v = obj.clone();
        for p in parts {
            v = vm.getattr(&v, p)?;
        }
        Ok(v)
    };
    if let [(_, parts)] = &me.names[..] {
        return get(parts);
    }
    let vals = me.names.iter().map(|(_, p)| get(p)).collect::<PyResult<Vec<_>>>()?;
    Ok(vm.new_tuple(vals))
}

fn ag_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let st = state::<AttrGetter>(vm, &args.args[0], "operator.attrgetter", "__repr__")?;
    let names: Vec<Value> = st.names.iter().map(|(n, _)| n.clone()).collect();
    Ok(vm.new_str(format!("operator.attrgetter({})", reprs(vm, &names)?.join(", "))))
}

fn ag_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let st = state::<AttrGetter>(vm, me, "operator.attrgetter", "__reduce__")?;
    let names: Vec<Value> = st.names.iter().map(|(n, _)| n.clone()).collect();
    Ok(vm.new_tuple(vec![Value::Obj(vm.class_of(me).clone()), vm.new_tuple(names)]))
}

fn mc_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &METHODCALLER);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let pos = rest.positional();
    let name = pos.first().ok_or_else(|| vm.new_type_error("methodcaller needs at least one argument, the method name"))?;
    if vm.as_str(name).is_none() {
        return Err(vm.new_type_error("method name must be a string"));
    }
    let mut margs = pos[1..].to_vec();
    margs.extend(rest.keywords().map(|(_, v)| v.clone()));
    let st = MethodCaller { name: name.clone(), args: margs, kwnames: rest.kwnames.to_vec() };
    Ok(new_object(vm, &cls, &t, st))
}

fn mc_call(vm: &Vm, args: Args) -> PyResult {
    let me = state::<MethodCaller>(vm, self_arg(vm, &args)?, "operator.methodcaller", "__call__")?;
    let obj = call_arg(vm, "methodcaller", &args)?;
    let name = me.name.as_obj().cloned().ok_or_else(|| vm.new_type_error("method name must be a string"))?;
    let f = vm.getattr(obj, &name)?;
    vm.call(&f, Args::with_kw(&me.args, &me.kwnames))
}

fn mc_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let st = state::<MethodCaller>(vm, me, "operator.methodcaller", "__repr__")?;
    let s = vm.with_repr_guard(me, || {
        let mut parts = vec![vm.repr_string(&st.name)?];
        let npos = st.args.len() - st.kwnames.len();
        parts.extend(reprs(vm, &st.args[..npos])?);
        for (k, v) in st.kwnames.iter().zip(&st.args[npos..]) {
            parts.push(format!("{}={}", vm.str_string(k)?, vm.repr_string(v)?));
        }
        Ok(format!("operator.methodcaller({})", parts.join(", ")))
    })?;
    Ok(vm.new_str(s.unwrap_or_else(|| "operator.methodcaller(...)".into())))
}

fn mc_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let st = state::<MethodCaller>(vm, me, "operator.methodcaller", "__reduce__")?;
    let cls = Value::Obj(vm.class_of(me).clone());
    let npos = st.args.len() - st.kwnames.len();
    if st.kwnames.is_empty() {
        let mut a = vec![st.name.clone()];
        a.extend(st.args.iter().cloned());
        return Ok(vm.new_tuple(vec![cls, vm.new_tuple(a)]));
    }
    // Keywords go through functools.partial, as CPython pickles them.
    let functools = crate::functools::make_module(vm)?;
    let partial = vm.dict_get_str(&functools.payload.as_module().expect("module").dict, &vm.intern("partial"))
        .ok_or_else(|| vm.new_system_error("no functools.partial"))?;
    let mut pargs = vec![cls, st.name.clone()];
    pargs.extend(st.args[npos..].iter().cloned());
    let p = vm.call(&partial, Args::with_kw(&pargs, &st.kwnames))?;
    Ok(vm.new_tuple(vec![p, vm.new_tuple(st.args[..npos].to_vec())]))
}

static IG_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", ig_new),
    NativeDef::method("__call__", ig_call),
    NativeDef::method("__repr__", ig_repr),
    NativeDef::method("__reduce__", ig_reduce),
];
static AG_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", ag_new),
    NativeDef::method("__call__", ag_call),
    NativeDef::method("__repr__", ag_repr),
    NativeDef::method("__reduce__", ag_reduce),
];
static MC_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", mc_new),
    NativeDef::method("__call__", mc_call),
    NativeDef::method("__repr__", mc_repr),
    NativeDef::method("__reduce__", mc_reduce),
];

const fn spec(name: &'static str, doc: &'static str, methods: &'static [NativeDef]) -> TypeSpec {
    // Not subclassable, as in CPython.
    TypeSpec { module: "operator", name, doc, layout: Layout::Other, flags: 0, base: None, slots: &[], methods, more_methods: &[], getsets: &[] }
}

static ITEMGETTER: TypeSpec = spec(
    "itemgetter",
    "itemgetter(item, ...) --> itemgetter object\n\nReturn a callable object that fetches the given item(s) from its operand.\nAfter f = itemgetter(2), the call f(r) returns r[2].\nAfter g = itemgetter(2, 5, 3), the call g(r) returns (r[2], r[5], r[3])",
    &IG_METHODS,
);
static ATTRGETTER: TypeSpec = spec(
    "attrgetter",
    "attrgetter(attr, ...) --> attrgetter object\n\nReturn a callable object that fetches the given attribute(s) from its operand.\nAfter f = attrgetter('name'), the call f(r) returns r.name.\nAfter g = attrgetter('name', 'date'), the call g(r) returns (r.name, r.date).\nAfter h = attrgetter('name.first', 'name.last'), the call h(r) returns\n(r.name.first, r.name.last).",
    &AG_METHODS,
);
static METHODCALLER: TypeSpec = spec(
    "methodcaller",
    "methodcaller(name, ...) --> methodcaller object\n\nReturn a callable object that calls the given method on its operand.\nAfter f = methodcaller('name'), the call f(r) returns r.name().\nAfter g = methodcaller('name', 'date', foo=1), the call g(r) returns\nr.name('date', foo=1).",
    &MC_METHODS,
);

static FUNCS: &[NativeDef] = &[
    NativeDef::function("abs", op_abs),
    NativeDef::function("add", op_add),
    NativeDef::function("and_", op_and),
    NativeDef::function("call", op_call),
    NativeDef::function("concat", op_concat),
    NativeDef::function("contains", op_contains),
    NativeDef::function("countOf", op_count_of),
    NativeDef::function("delitem", op_delitem),
    NativeDef::function("eq", op_eq),
    NativeDef::function("floordiv", op_floordiv),
    NativeDef::function("ge", op_ge),
    NativeDef::function("getitem", op_getitem),
    NativeDef::function("gt", op_gt),
    NativeDef::function("iadd", op_iadd),
    NativeDef::function("iand", op_iand),
    NativeDef::function("iconcat", op_iconcat),
    NativeDef::function("ifloordiv", op_ifloordiv),
    NativeDef::function("ilshift", op_ilshift),
    NativeDef::function("imatmul", op_imatmul),
    NativeDef::function("imod", op_imod),
    NativeDef::function("imul", op_imul),
    NativeDef::function("index", op_index),
    NativeDef::function("indexOf", op_index_of),
    NativeDef::function("inv", op_inv),
    NativeDef::function("invert", op_invert),
    NativeDef::function("ior", op_ior),
    NativeDef::function("ipow", op_ipow),
    NativeDef::function("irshift", op_irshift),
    NativeDef::function("is_", op_is),
    NativeDef::function("is_not", op_is_not),
    NativeDef::function("isub", op_isub),
    NativeDef::function("itruediv", op_itruediv),
    NativeDef::function("ixor", op_ixor),
    NativeDef::function("le", op_le),
    NativeDef::function("length_hint", op_length_hint),
    NativeDef::function("lshift", op_lshift),
    NativeDef::function("lt", op_lt),
    NativeDef::function("matmul", op_matmul),
    NativeDef::function("mod", op_mod),
    NativeDef::function("mul", op_mul),
    NativeDef::function("ne", op_ne),
    NativeDef::function("neg", op_neg),
    NativeDef::function("not_", op_not),
    NativeDef::function("or_", op_or),
    NativeDef::function("pos", op_pos),
    NativeDef::function("pow", op_pow),
    NativeDef::function("rshift", op_rshift),
    NativeDef::function("setitem", op_setitem),
    NativeDef::function("sub", op_sub),
    NativeDef::function("truediv", op_truediv),
    NativeDef::function("truth", op_truth),
    NativeDef::function("xor", op_xor),
    NativeDef::function("_compare_digest", op_compare_digest),
];

/// Creates the `_operator` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(new_module(
        vm,
        "_operator",
        "Operator interface.\n\nThis module exports a set of functions implemented in C corresponding\nto the intrinsic operators of Python.  For example, operator.add(x, y)\nis equivalent to the expression x+y.  The function names are those\nused for special methods; variants without leading and trailing\n'__' are also provided for convenience.",
        FUNCS,
        vec![
            ("itemgetter", Value::Obj(native_type(vm, &ITEMGETTER))),
            ("attrgetter", Value::Obj(native_type(vm, &ATTRGETTER))),
            ("methodcaller", Value::Obj(native_type(vm, &METHODCALLER))),
        ],
    ))
}
