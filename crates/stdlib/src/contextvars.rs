//! The `_contextvars` module (PEP 567): `ContextVar`, `Token`, `Context` and
//! `copy_context`. A context maps variables to values in a plain dict keyed
//! by the (identity-hashed) variable objects; `copy()` copies the dict, so a
//! copy never sees later changes, as with CPython's immutable HAMT. Each
//! thread has one current context, made empty on first use.

use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_compiler::bytecode::CmpOp;
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;

struct Context {
    vars: PyRef,
    entered: Cell<bool>,
    /// The context that was current before `run` entered this one.
    prev: RefCell<Option<Value>>,
}

struct ContextVar {
    name: Value,
    default: Option<Value>,
}

struct Token {
    ctx: Value,
    var: Value,
    /// The variable's value before `set` (None: it had none).
    old: Option<Value>,
    used: Cell<bool>,
}

struct Missing;

impl NativeData for Context {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit(&self.vars);
        if let Ok(prev) = self.prev.try_borrow() {
            if let Some(p) = &*prev {
                visitor.visit_value(p);
            }
        }
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.prev);
    }
}

impl NativeData for ContextVar {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.name);
        if let Some(d) = &self.default {
            visitor.visit_value(d);
        }
    }
}

impl NativeData for Token {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.ctx);
        visitor.visit_value(&self.var);
        if let Some(o) = &self.old {
            visitor.visit_value(o);
        }
    }
}

impl NativeData for Missing {}

thread_local! {
    // The current context of this thread, per interpreter (keyed by the Vm's
    // address; almost always one entry, so a list, not a hashed map: the
    // context is set twice per asyncio callback). Never dropped:
    // thread-exit destructors must not free objects.
    static CURRENT: ManuallyDrop<RefCell<Vec<(usize, Value)>>> = ManuallyDrop::new(RefCell::new(Vec::new()));
}

fn key(vm: &Vm) -> usize {
    vm as *const Vm as usize
}

fn new_context(vm: &Vm, vars: PyRef) -> Value {
    let t = native_type(vm, &CONTEXT);
    new_object(vm, &t, &t, Context { vars, entered: Cell::new(false), prev: RefCell::new(None) })
}

/// The thread's current context (an empty one is made on first use).
fn current(vm: &Vm) -> Value {
    let k = key(vm);
    if let Some(c) = CURRENT.with(|m| m.borrow().iter().find(|(vk, _)| *vk == k).map(|(_, c)| c.clone())) {
        return c;
    }
    let c = new_context(vm, vm.new_dict());
    set_current(vm, c.clone());
    c
}

fn set_current(vm: &Vm, ctx: Value) {
    let k = key(vm);
    // The old value is dropped after the borrow ends (its drop may run code).
    let old = CURRENT.with(|m| {
        let mut m = m.borrow_mut();
        match m.iter_mut().find(|(vk, _)| *vk == k) {
            Some((_, c)) => Some(std::mem::replace(c, ctx)),
            None => {
                m.push((k, ctx));
                None
            }
        }
    });
    drop(old);
}

fn ctx_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Context> {
    v.payload().and_then(|p| p.as_native::<Context>()).ok_or_else(|| descr_error(vm, name, "_contextvars.Context", v))
}

fn var_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a ContextVar> {
    v.payload().and_then(|p| p.as_native::<ContextVar>()).ok_or_else(|| descr_error(vm, name, "_contextvars.ContextVar", v))
}

fn token_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Token> {
    v.payload().and_then(|p| p.as_native::<Token>()).ok_or_else(|| descr_error(vm, name, "_contextvars.Token", v))
}

fn vars_of(vm: &Vm, ctx: &Value) -> PyRef {
    match ctx_of(vm, ctx, "vars") {
        Ok(c) => c.vars.clone(),
        Err(_) => vm.new_dict(),
    }
}

/// `self` and the remaining arguments of a method call.
fn split<'a>(vm: &Vm, args: Args<'a>, name: &str) -> PyResult<(&'a Value, Args<'a>)> {
    match args.args.split_first() {
        Some((me, rest)) if args.args.len() > args.kwnames.len() => Ok((me, Args { args: rest, kwnames: args.kwnames })),
        _ => Err(vm.new_type_error(format!("descriptor '{name}' needs an argument"))),
    }
}

// ---- ContextVar ----

fn var_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &CONTEXTVAR);
    let (_cls, rest) = crate::native::split_new(vm, args, &t)?;
    let pos = rest.positional();
    let mut default = None;
    for (k, v) in rest.keywords() {
        match vm.as_str(k) {
            Some("default") => default = Some(v.clone()),
            Some(other) => {
                return Err(vm.new_type_error(format!("ContextVar() got an unexpected keyword argument '{other}'")))
            }
            None => return Err(vm.new_type_error("keywords must be strings")),
        }
    }
    if pos.len() != 1 {
        let how = if pos.is_empty() { "exactly" } else { "at most" };
        return Err(vm.new_type_error(format!("ContextVar() takes {how} 1 positional argument ({} given)", pos.len())));
    }
    if !vm.isinstance_type(&pos[0], &vm.types.str) {
        return Err(vm.new_type_error("context variable name must be a str"));
    }
    Ok(new_object(vm, &t, &t, ContextVar { name: pos[0].clone(), default }))
}

fn var_get(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split(vm, args, "get")?;
    let var = var_of(vm, me, "get")?;
    crate::native::no_kwargs(vm, "ContextVar.get", &rest)?;
    if rest.args.len() > 1 {
        return Err(vm.new_type_error(format!("get expected at most 1 argument, got {}", rest.args.len())));
    }
    let vars = vars_of(vm, &current(vm));
    if let Some(v) = vm.dict_get(&vars, me)? {
        return Ok(v);
    }
    if let Some(d) = rest.args.first().or(var.default.as_ref()) {
        return Ok(d.clone());
    }
    Err(vm.new_exception(&vm.exc.lookup_error, vec![me.clone()]))
}

fn var_set(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("set", args, 2, 2)?;
    let me = &args.args[0];
    var_of(vm, me, "set")?;
    let ctx = current(vm);
    let vars = vars_of(vm, &ctx);
    let old = vm.dict_get(&vars, me)?;
    vm.dict_set(&vars, me.clone(), args.args[1].clone())?;
    let t = native_type(vm, &TOKEN);
    Ok(new_object(vm, &t, &t, Token { ctx, var: me.clone(), old, used: Cell::new(false) }))
}

fn var_reset(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("reset", args, 2, 2)?;
    let me = &args.args[0];
    var_of(vm, me, "reset")?;
    let tv = &args.args[1];
    let Some(tok) = tv.payload().and_then(|p| p.as_native::<Token>()) else {
        return Err(vm.new_type_error(format!("expected an instance of Token, got {}", vm.repr_string(tv)?)));
    };
    if tok.used.get() {
        return Err(vm.new_runtime_error(format!("{} has already been used once", vm.repr_string(tv)?)));
    }
    if !tok.var.is(me) {
        return Err(vm.new_value_error(format!("{} was created by a different ContextVar", vm.repr_string(tv)?)));
    }
    let ctx = current(vm);
    if !tok.ctx.is(&ctx) {
        return Err(vm.new_value_error(format!("{} was created in a different Context", vm.repr_string(tv)?)));
    }
    tok.used.set(true);
    let vars = vars_of(vm, &ctx);
    match &tok.old {
        Some(v) => vm.dict_set(&vars, me.clone(), v.clone())?,
        None => {
            vm.dict_remove(&vars, me)?;
        }
    }
    Ok(Value::None)
}

fn var_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let var = var_of(vm, me, "__repr__")?;
    let mut s = format!("<ContextVar name={}", vm.repr_string(&var.name)?);
    if let Some(d) = &var.default {
        s.push_str(&format!(" default={}", vm.repr_string(d)?));
    }
    s.push_str(&format!(" at {:#x}>", me.id()));
    Ok(vm.new_str(s))
}

fn var_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(var_of(vm, v, "name")?.name.clone())
}

// ---- Token ----

fn token_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_runtime_error("Tokens can only be created by ContextVars"))
}

fn token_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let tok = token_of(vm, me, "__repr__")?;
    let used = if tok.used.get() { " used" } else { "" };
    Ok(vm.new_str(format!("<Token{used} var={} at {:#x}>", vm.repr_string(&tok.var)?, me.id())))
}

fn token_var(vm: &Vm, v: &Value) -> PyResult {
    Ok(token_of(vm, v, "var")?.var.clone())
}

fn missing(vm: &Vm) -> Value {
    let t = native_type(vm, &TOKEN);
    let d = t.payload.as_type().map(|t| t.dict.clone());
    d.and_then(|d| vm.dict_get_str(&d, &vm.intern("MISSING"))).unwrap_or(Value::None)
}

fn token_old_value(vm: &Vm, v: &Value) -> PyResult {
    Ok(token_of(vm, v, "old_value")?.old.clone().unwrap_or_else(|| missing(vm)))
}

fn missing_repr(vm: &Vm, _args: Args) -> PyResult {
    Ok(vm.new_str("<Token.MISSING>"))
}

// ---- Context ----

fn ctx_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &CONTEXT);
    let (_cls, rest) = crate::native::split_new(vm, args, &t)?;
    if !rest.args.is_empty() {
        return Err(vm.new_type_error("Context() does not accept any arguments"));
    }
    Ok(new_context(vm, vm.new_dict()))
}

fn copy_context(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("copy_context", args, 0, 0)?;
    copy_current(vm)
}

/// A copy of the thread's current context (`copy_context()`).
pub fn copy_current(vm: &Vm) -> PyResult {
    let vars = vars_of(vm, &current(vm));
    Ok(new_context(vm, vm.dict_copy(&vars)?))
}

fn ctx_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("copy", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "copy")?;
    Ok(new_context(vm, vm.dict_copy(&c.vars)?))
}

fn ctx_run(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split(vm, args, "run")?;
    let c = ctx_of(vm, me, "run")?;
    if rest.positional().is_empty() {
        return Err(vm.new_type_error("run() missing 1 required positional argument"));
    }
    if c.entered.get() {
        return Err(vm.new_runtime_error(format!("cannot enter context: {} is already entered", vm.repr_string(me)?)));
    }
    c.entered.set(true);
    *c.prev.borrow_mut() = Some(current(vm));
    set_current(vm, me.clone());
    let res = vm.call(&rest.args[0], Args { args: &rest.args[1..], kwnames: rest.kwnames });
    let prev = c.prev.borrow_mut().take();
    set_current(vm, prev.unwrap_or(Value::None));
    c.entered.set(false);
    res
}

/// The variable a mapping method was given, checked as CPython does.
fn key_var(vm: &Vm, v: &Value) -> PyResult<()> {
    if v.payload().and_then(|p| p.as_native::<ContextVar>()).is_none() {
        return Err(vm.new_type_error(format!("a ContextVar key was expected, got {}", vm.repr_string(v)?)));
    }
    Ok(())
}

fn ctx_getitem(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__getitem__", args, 2, 2)?;
    let c = ctx_of(vm, &args.args[0], "__getitem__")?;
    key_var(vm, &args.args[1])?;
    match vm.dict_get(&c.vars, &args.args[1])? {
        Some(v) => Ok(v),
        None => Err(vm.new_exception(&vm.exc.key_error, vec![args.args[1].clone()])),
    }
}

fn ctx_get(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = split(vm, args, "get")?;
    let c = ctx_of(vm, me, "get")?;
    let a = vm.bind_native("get", rest, &["key", "default"], 0, 1, None)?;
    let k = a[0].clone().unwrap();
    key_var(vm, &k)?;
    Ok(vm.dict_get(&c.vars, &k)?.unwrap_or_else(|| a[1].clone().unwrap_or(Value::None)))
}

fn ctx_contains(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__contains__", args, 2, 2)?;
    let c = ctx_of(vm, &args.args[0], "__contains__")?;
    key_var(vm, &args.args[1])?;
    Ok(Value::Bool(vm.dict_get(&c.vars, &args.args[1])?.is_some()))
}

fn ctx_len(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__len__", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "__len__")?;
    Ok(Value::Int(vm.dict_keys(&c.vars).len() as i64))
}

fn ctx_keys(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("keys", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "keys")?;
    Ok(vm.new_list(vm.dict_keys(&c.vars)))
}

fn ctx_iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__iter__", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "__iter__")?;
    vm.iter(&vm.new_list(vm.dict_keys(&c.vars)))
}

fn ctx_values(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("values", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "values")?;
    let mut out = Vec::new();
    for k in vm.dict_keys(&c.vars) {
        out.extend(vm.dict_get(&c.vars, &k)?);
    }
    Ok(vm.new_list(out))
}

fn ctx_items(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("items", args, 1, 1)?;
    let c = ctx_of(vm, &args.args[0], "items")?;
    let mut out = Vec::new();
    for k in vm.dict_keys(&c.vars) {
        if let Some(v) = vm.dict_get(&c.vars, &k)? {
            out.push(vm.new_tuple(vec![k, v]));
        }
    }
    Ok(vm.new_list(out))
}

fn ctx_eq(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__eq__", args, 2, 2)?;
    let c = ctx_of(vm, &args.args[0], "__eq__")?;
    match args.args[1].payload().and_then(|p| p.as_native::<Context>()) {
        Some(o) => vm.compare(&Value::Obj(c.vars.clone()), &Value::Obj(o.vars.clone()), CmpOp::Eq),
        None => Ok(vm.not_implemented()),
    }
}

static VAR_METHODS: [NativeDef; 6] = [
    NativeDef::staticmethod("__new__", var_new),
    NativeDef::method("get", var_get),
    NativeDef::method("set", var_set),
    NativeDef::method("reset", var_reset),
    NativeDef::method("__repr__", var_repr),
    NativeDef::classmethod("__class_getitem__", crate::native::class_getitem),
];

static VAR_GETSETS: [GetSetDef; 1] = [GetSetDef { name: "name", get: var_name, set: None, doc: "" }];

static CONTEXTVAR: TypeSpec = TypeSpec {
    module: "_contextvars",
    name: "ContextVar",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &VAR_METHODS,
    more_methods: &[],
    getsets: &VAR_GETSETS,
};

static TOKEN_METHODS: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", token_new),
    NativeDef::method("__repr__", token_repr),
    NativeDef::classmethod("__class_getitem__", crate::native::class_getitem),
];

static TOKEN_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "var", get: token_var, set: None, doc: "" },
    GetSetDef { name: "old_value", get: token_old_value, set: None, doc: "" },
];

static TOKEN: TypeSpec = TypeSpec {
    module: "_contextvars",
    name: "Token",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &TOKEN_METHODS,
    more_methods: &[],
    getsets: &TOKEN_GETSETS,
};

static MISSING_METHODS: [NativeDef; 1] = [NativeDef::method("__repr__", missing_repr)];

static MISSING: TypeSpec = TypeSpec {
    module: "_contextvars",
    name: "Token.MISSING",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &MISSING_METHODS,
    more_methods: &[],
    getsets: &[],
};

static CONTEXT_METHODS: [NativeDef; 12] = [
    NativeDef::staticmethod("__new__", ctx_new),
    NativeDef::method("run", ctx_run),
    NativeDef::method("copy", ctx_copy),
    NativeDef::method("__getitem__", ctx_getitem),
    NativeDef::method("get", ctx_get),
    NativeDef::method("__contains__", ctx_contains),
    NativeDef::method("__len__", ctx_len),
    NativeDef::method("__iter__", ctx_iter),
    NativeDef::method("keys", ctx_keys),
    NativeDef::method("values", ctx_values),
    NativeDef::method("items", ctx_items),
    NativeDef::method("__eq__", ctx_eq),
];

static CONTEXT: TypeSpec = TypeSpec {
    module: "_contextvars",
    name: "Context",
    doc: "",
    layout: Layout::Other,
    flags: krait_vm::types::typeobj::type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &CONTEXT_METHODS,
    more_methods: &[],
    getsets: &[],
};

static FUNCS: [NativeDef; 1] = [NativeDef::function("copy_context", copy_context)];

/// Creates the `_contextvars` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let token = native_type(vm, &TOKEN);
    if missing(vm).is_none() {
        let mt = native_type(vm, &MISSING);
        krait_vm::types::add_attr(vm, &token, "MISSING", new_object(vm, &mt, &mt, Missing));
        vm.refresh_slots(&token);
    }
    let ctx = native_type(vm, &CONTEXT);
    if vm.dict_get_str(&ctx.payload.as_type().unwrap().dict, &vm.intern("__hash__")).is_none() {
        // Contexts compare by content and so do not hash.
        krait_vm::types::add_attr(vm, &ctx, "__hash__", Value::None);
        vm.refresh_slots(&ctx);
    }
    let attrs = vec![
        ("ContextVar", Value::Obj(native_type(vm, &CONTEXTVAR))),
        ("Token", Value::Obj(token)),
        ("Context", Value::Obj(ctx)),
    ];
    Ok(crate::native::make_module(vm, "_contextvars", "Context Variables", &FUNCS, attrs))
}
