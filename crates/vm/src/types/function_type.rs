//! The Python-visible side of `function`, `method` (bound), `cell`, `code`,
//! `traceback` and `frame` objects: attributes and reprs.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::function::{Args, NativeDef};
use crate::value::Value;
use crate::{PyResult, Vm};

fn arg0<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))
}

fn func_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a crate::types::function::FunctionData> {
    v.payload().and_then(|p| p.as_function()).ok_or_else(|| vm.new_type_error("expected a function"))
}

fn or_none(v: Option<Value>) -> Value {
    v.unwrap_or(Value::None)
}

// ---- function ----

fn func_repr(vm: &Vm, args: Args) -> PyResult {
    let f = arg0(vm, &args)?;
    let fd = func_of(vm, f)?;
    let q = fd.qualname.get().and_then(|q| vm.as_str(&q).map(String::from)).unwrap_or_default();
    Ok(vm.new_str(format!("<function {} at {:#x}>", q, f.id())))
}

fn func_get(vm: &Vm, args: Args) -> PyResult {
    let f = arg0(vm, &args)?;
    match args.args.get(1) {
        Some(obj) if !obj.is_none() => Ok(vm.new_bound_method(f.clone(), obj.clone())),
        _ => Ok(f.clone()),
    }
}

fn func_call(vm: &Vm, args: Args) -> PyResult {
    let f = arg0(vm, &args)?;
    let rest = Args::with_kw(&args.args[1..], args.kwnames);
    vm.call(f, rest)
}

static FUNCTION_METHODS: [NativeDef; 3] = [
    NativeDef::method("__repr__", func_repr),
    NativeDef::method("__get__", func_get),
    NativeDef::method("__call__", func_call),
];

macro_rules! func_field {
    ($get:ident, $set:ident, $field:ident, $check:expr) => {
        fn $get(vm: &Vm, v: &Value) -> PyResult {
            Ok(or_none(func_of(vm, v)?.$field.get()))
        }
        fn $set(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
            let fd = func_of(vm, v)?;
            let check: fn(&Vm, &Option<Value>) -> PyResult<()> = $check;
            check(vm, &val)?;
            fd.$field.set(val);
            Ok(())
        }
    };
}

fn any_value(_vm: &Vm, _v: &Option<Value>) -> PyResult<()> {
    Ok(())
}

fn str_value(vm: &Vm, v: &Option<Value>, what: &str) -> PyResult<()> {
    match v {
        Some(x) if vm.as_str(x).is_some() => Ok(()),
        _ => Err(vm.new_type_error(format!("__{what}__ must be set to a string object"))),
    }
}

func_field!(func_get_name, func_set_name, name, |vm, v| str_value(vm, v, "name"));
func_field!(func_get_qualname, func_set_qualname, qualname, |vm, v| str_value(vm, v, "qualname"));
func_field!(func_get_doc, func_set_doc, doc, any_value);
func_field!(func_get_module, func_set_module, module, any_value);
func_field!(func_get_defaults, func_set_defaults, defaults, |vm, v| match v {
    None | Some(Value::None) => Ok(()),
    Some(x) if x.payload().and_then(|p| p.as_tuple()).is_some() => Ok(()),
    _ => Err(vm.new_type_error("__defaults__ must be set to a tuple object")),
});
func_field!(func_get_kwdefaults, func_set_kwdefaults, kwdefaults, |vm, v| match v {
    None | Some(Value::None) => Ok(()),
    Some(x) if x.payload().and_then(|p| p.as_dict()).is_some() => Ok(()),
    _ => Err(vm.new_type_error("__kwdefaults__ must be set to a dict object")),
});

fn func_get_code(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(func_of(vm, v)?.code.clone()))
}
/// `f.__code__ = c`: CPython's checks (a code object with as many free
/// variables as the closure has cells).
fn func_set_code(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let fd = func_of(vm, v)?;
    let code = match val.as_ref().and_then(|c| c.as_obj()) {
        Some(c) if matches!(c.payload, Payload::Code(_)) => c.clone(),
        _ => return Err(vm.new_type_error("__code__ must be set to a code object")),
    };
    if code.is(&fd.code) {
        return Ok(());
    }
    let nfree = match &code.payload {
        Payload::Code(c) => c.code.freevars.len(),
        _ => 0,
    };
    let nclosure = fd.closure.as_ref().and_then(|c| c.payload.as_tuple().map(|t| t.len())).unwrap_or(0);
    if nfree != nclosure {
        let name = fd.name.get().and_then(|n| vm.as_str(&n).map(|s| s.to_string())).unwrap_or_default();
        return Err(vm.new_value_error(format!(
            "{name}() requires a code object with {nclosure} free vars, not {nfree}"
        )));
    }
    fd.code.replace(code);
    Ok(())
}
fn func_get_globals(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(func_of(vm, v)?.globals.clone()))
}
fn func_get_builtins(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(func_of(vm, v)?.builtins.clone()))
}
fn func_get_closure(vm: &Vm, v: &Value) -> PyResult {
    Ok(func_of(vm, v)?.closure.clone().map(Value::Obj).unwrap_or(Value::None))
}
fn func_get_annotations(vm: &Vm, v: &Value) -> PyResult {
    let fd = func_of(vm, v)?;
    match fd.annotations.get() {
        Some(a) if !a.is_none() => Ok(a),
        _ => {
            let d = Value::Obj(vm.new_dict());
            fd.annotations.set(Some(d.clone()));
            Ok(d)
        }
    }
}
fn func_set_annotations(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let fd = func_of(vm, v)?;
    match &val {
        None | Some(Value::None) => {}
        Some(x) if x.payload().and_then(|p| p.as_dict()).is_some() => {}
        _ => return Err(vm.new_type_error("__annotations__ must be set to a dict object")),
    }
    fd.annotations.set(val);
    Ok(())
}
fn func_get_dict(vm: &Vm, v: &Value) -> PyResult {
    Ok(vm.instance_dict(v, true).map(Value::Obj).unwrap_or(Value::None))
}

fn func_set_dict(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    match value {
        None => Err(vm.new_type_error("cannot delete __dict__")),
        value => crate::types::object::set_instance_dict(vm, v, value),
    }
}

static FUNCTION_GETSETS: [GetSetDef; 12] = [
    GetSetDef { name: "__name__", get: func_get_name, set: Some(func_set_name), doc: "" },
    GetSetDef { name: "__qualname__", get: func_get_qualname, set: Some(func_set_qualname), doc: "" },
    GetSetDef { name: "__doc__", get: func_get_doc, set: Some(func_set_doc), doc: "" },
    GetSetDef { name: "__module__", get: func_get_module, set: Some(func_set_module), doc: "" },
    GetSetDef { name: "__defaults__", get: func_get_defaults, set: Some(func_set_defaults), doc: "" },
    GetSetDef { name: "__kwdefaults__", get: func_get_kwdefaults, set: Some(func_set_kwdefaults), doc: "" },
    GetSetDef { name: "__code__", get: func_get_code, set: Some(func_set_code), doc: "" },
    GetSetDef { name: "__globals__", get: func_get_globals, set: None, doc: "" },
    GetSetDef { name: "__builtins__", get: func_get_builtins, set: None, doc: "" },
    GetSetDef { name: "__closure__", get: func_get_closure, set: None, doc: "" },
    GetSetDef { name: "__annotations__", get: func_get_annotations, set: Some(func_set_annotations), doc: "" },
    GetSetDef { name: "__dict__", get: func_get_dict, set: Some(func_set_dict), doc: "" },
];

// ---- bound method ----

fn method_parts(vm: &Vm, v: &Value) -> PyResult<(Value, Value)> {
    match v.payload() {
        Some(Payload::BoundMethod(m)) => Ok((m.0.clone(), m.1.clone())),
        _ => Err(vm.new_type_error("expected a method")),
    }
}

fn method_repr(vm: &Vm, args: Args) -> PyResult {
    let (f, s) = method_parts(vm, arg0(vm, &args)?)?;
    let name = match vm.getattr_opt(&f, "__qualname__")? {
        Some(q) => vm.str_string(&q)?,
        None => match vm.getattr_opt(&f, "__name__")? {
            Some(n) => vm.str_string(&n)?,
            None => "?".to_string(),
        },
    };
    Ok(vm.new_str(format!("<bound method {} of {}>", name, vm.repr_string(&s)?)))
}

fn method_eq(vm: &Vm, args: Args) -> PyResult {
    let (f, s) = method_parts(vm, arg0(vm, &args)?)?;
    match args.args.get(1).map(|o| method_parts(vm, o)) {
        Some(Ok((f2, s2))) => Ok(Value::Bool(s.is(&s2) && (f.is(&f2) || vm.eq_bool(&f, &f2)?))),
        _ => Ok(vm.not_implemented()),
    }
}

fn method_hash(vm: &Vm, args: Args) -> PyResult {
    let (f, s) = method_parts(vm, arg0(vm, &args)?)?;
    let h = vm.hash(&f)? ^ s.id();
    Ok(Value::Int(if h == -1 { -2 } else { h }))
}

fn method_call(vm: &Vm, args: Args) -> PyResult {
    let m = arg0(vm, &args)?;
    vm.call(m, Args::with_kw(&args.args[1..], args.kwnames))
}

/// Attributes not found on the method come from the function (`m.__name__`).
fn method_getattribute(vm: &Vm, args: Args) -> PyResult {
    let m = arg0(vm, &args)?;
    let name = args.args.get(1).and_then(|n| n.as_obj()).ok_or_else(|| vm.new_type_error("attribute name must be string"))?;
    match vm.generic_getattr(m, name) {
        Ok(v) => Ok(v),
        Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => {
            let (f, _) = method_parts(vm, m)?;
            vm.getattr(&f, name)
        }
        Err(e) => Err(e),
    }
}

/// `types.MethodType(func, instance)`, with CPython's checks.
fn method_new(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("method() takes no keyword arguments"));
    }
    let rest = args.args.get(1..).unwrap_or(&[]);
    if rest.len() != 2 {
        return Err(vm.new_type_error(format!("method expected 2 arguments, got {}", rest.len())));
    }
    if !vm.is_callable(&rest[0]) {
        return Err(vm.new_type_error("first argument must be callable"));
    }
    if rest[1].is_none() {
        return Err(vm.new_type_error("instance must not be None"));
    }
    Ok(vm.new_bound_method(rest[0].clone(), rest[1].clone()))
}

/// `getattr(obj, name)` rebuilds a bound method: how pickle and copy take it.
fn method_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let (func, this) = method_parts(vm, &args.args[0])?;
    let name = vm.getattr_str(&func, "__name__")?;
    let getattr = vm.getattr_str(&Value::Obj(vm.import_full("builtins")?), "getattr")?;
    Ok(vm.new_tuple(vec![getattr, vm.new_tuple(vec![this, name])]))
}

static METHOD_METHODS: [NativeDef; 7] = [
    NativeDef::staticmethod("__new__", method_new),
    NativeDef::method("__reduce__", method_reduce),
    NativeDef::method("__repr__", method_repr),
    NativeDef::method("__eq__", method_eq),
    NativeDef::method("__hash__", method_hash),
    NativeDef::method("__call__", method_call),
    NativeDef::method("__getattribute__", method_getattribute),
];

fn method_get_func(vm: &Vm, v: &Value) -> PyResult {
    Ok(method_parts(vm, v)?.0)
}
fn method_get_self(vm: &Vm, v: &Value) -> PyResult {
    Ok(method_parts(vm, v)?.1)
}

static METHOD_GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "__func__", get: method_get_func, set: None, doc: "" },
    GetSetDef { name: "__self__", get: method_get_self, set: None, doc: "" },
];

// ---- cell ----

fn cell_repr(vm: &Vm, args: Args) -> PyResult {
    let c = arg0(vm, &args)?;
    let s = match c.payload() {
        Some(Payload::Cell(cell)) => match cell.get() {
            Some(v) => format!("<cell at {:#x}: {} object at {:#x}>", c.id(), vm.type_name_of(&v), v.id()),
            None => format!("<cell at {:#x}: empty>", c.id()),
        },
        _ => return Err(vm.new_type_error("expected a cell")),
    };
    Ok(vm.new_str(s))
}

fn cell_get_contents(vm: &Vm, v: &Value) -> PyResult {
    match v.payload() {
        Some(Payload::Cell(c)) => c.get().ok_or_else(|| vm.new_value_error("Cell is empty")),
        _ => Err(vm.new_type_error("expected a cell")),
    }
}
fn cell_set_contents(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    match v.payload() {
        Some(Payload::Cell(c)) => {
            c.set(val);
            Ok(())
        }
        _ => Err(vm.new_type_error("expected a cell")),
    }
}

static CELL_METHODS: [NativeDef; 1] = [NativeDef::method("__repr__", cell_repr)];
static CELL_GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "cell_contents", get: cell_get_contents, set: Some(cell_set_contents), doc: "" }];

// ---- code ----

fn code_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a crate::types::code::PyCode> {
    v.payload().and_then(|p| p.as_code()).ok_or_else(|| vm.new_type_error("expected a code object"))
}

fn code_repr(vm: &Vm, args: Args) -> PyResult {
    let c = arg0(vm, &args)?;
    let pc = code_of(vm, c)?;
    Ok(vm.new_str(format!(
        "<code object {} at {:#x}, file \"{}\", line {}>",
        pc.code.name,
        c.id(),
        pc.code.filename,
        pc.code.firstlineno
    )))
}

static CODE_METHODS: [NativeDef; 1] = [NativeDef::method("__repr__", code_repr)];

fn names_tuple(vm: &Vm, names: &[PyRef]) -> Value {
    vm.new_tuple(names.iter().map(|n| Value::Obj(n.clone())).collect())
}

macro_rules! code_attr {
    ($fn:ident, |$vm:ident, $pc:ident| $body:expr) => {
        fn $fn($vm: &Vm, v: &Value) -> PyResult {
            let $pc = code_of($vm, v)?;
            Ok($body)
        }
    };
}

code_attr!(co_name, |vm, pc| Value::Obj(pc.name.clone()));
code_attr!(co_qualname, |vm, pc| Value::Obj(pc.qualname.clone()));
code_attr!(co_filename, |vm, pc| Value::Obj(pc.filename.clone()));
code_attr!(co_firstlineno, |vm, pc| Value::Int(pc.code.firstlineno as i64));
code_attr!(co_argcount, |vm, pc| Value::Int(pc.code.argcount as i64));
code_attr!(co_posonlyargcount, |vm, pc| Value::Int(pc.code.posonlyargcount as i64));
code_attr!(co_kwonlyargcount, |vm, pc| Value::Int(pc.code.kwonlyargcount as i64));
code_attr!(co_flags, |vm, pc| Value::Int(pc.code.flags as i64));
code_attr!(co_nlocals, |vm, pc| Value::Int(pc.code.varnames.len() as i64));
code_attr!(co_stacksize, |vm, pc| Value::Int(pc.code.stacksize as i64));
code_attr!(co_varnames, |vm, pc| names_tuple(vm, &pc.varnames));
code_attr!(co_names, |vm, pc| names_tuple(vm, &pc.names));
code_attr!(co_cellvars, |vm, pc| names_tuple(vm, &pc.cell_and_free[..pc.code.cellvars.len()]));
code_attr!(co_freevars, |vm, pc| names_tuple(vm, &pc.cell_and_free[pc.code.cellvars.len()..]));
code_attr!(co_consts, |vm, pc| vm.new_tuple(pc.consts.to_vec()));
code_attr!(co_code, |vm, pc| vm.new_bytes(
    pc.code.code.iter().flat_map(|i| i.0.to_le_bytes()).collect::<Vec<u8>>()
));

static CODE_GETSETS: [GetSetDef; 16] = [
    GetSetDef { name: "co_name", get: co_name, set: None, doc: "" },
    GetSetDef { name: "co_qualname", get: co_qualname, set: None, doc: "" },
    GetSetDef { name: "co_filename", get: co_filename, set: None, doc: "" },
    GetSetDef { name: "co_firstlineno", get: co_firstlineno, set: None, doc: "" },
    GetSetDef { name: "co_argcount", get: co_argcount, set: None, doc: "" },
    GetSetDef { name: "co_posonlyargcount", get: co_posonlyargcount, set: None, doc: "" },
    GetSetDef { name: "co_kwonlyargcount", get: co_kwonlyargcount, set: None, doc: "" },
    GetSetDef { name: "co_flags", get: co_flags, set: None, doc: "" },
    GetSetDef { name: "co_nlocals", get: co_nlocals, set: None, doc: "" },
    GetSetDef { name: "co_stacksize", get: co_stacksize, set: None, doc: "" },
    GetSetDef { name: "co_varnames", get: co_varnames, set: None, doc: "" },
    GetSetDef { name: "co_names", get: co_names, set: None, doc: "" },
    GetSetDef { name: "co_cellvars", get: co_cellvars, set: None, doc: "" },
    GetSetDef { name: "co_freevars", get: co_freevars, set: None, doc: "" },
    GetSetDef { name: "co_consts", get: co_consts, set: None, doc: "" },
    GetSetDef { name: "co_code", get: co_code, set: None, doc: "" },
];

// ---- traceback ----

fn tb_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a crate::payload::TracebackData> {
    match v.payload() {
        Some(Payload::Traceback(t)) => Ok(t),
        _ => Err(vm.new_type_error("expected a traceback")),
    }
}
fn tb_next(vm: &Vm, v: &Value) -> PyResult {
    Ok(or_none(tb_of(vm, v)?.next.get()))
}
fn tb_set_next(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let t = tb_of(vm, v)?;
    match &val {
        None => return Err(vm.new_type_error("can't delete tb_next attribute")),
        Some(Value::None) => {}
        Some(n) => {
            tb_of(vm, n).map_err(|_| {
                vm.new_type_error(format!("expected traceback object or None, got '{}'", vm.type_name_of(n)))
            })?;
            // Refuse loops.
            let mut cur = Some(n.clone());
            while let Some(c) = cur {
                if c.is(v) {
                    return Err(vm.new_value_error("traceback loop detected"));
                }
                cur = tb_of(vm, &c)?.next.get().filter(|x| !x.is_none());
            }
        }
    }
    t.next.set(val.filter(|x| !x.is_none()));
    Ok(())
}
fn tb_frame(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(tb_of(vm, v)?.frame.clone()))
}
fn tb_lineno(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(tb_of(vm, v)?.lineno as i64))
}
fn tb_lasti(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(tb_of(vm, v)?.lasti as i64 * 2))
}

static TRACEBACK_GETSETS: [GetSetDef; 4] = [
    GetSetDef { name: "tb_next", get: tb_next, set: Some(tb_set_next), doc: "" },
    GetSetDef { name: "tb_frame", get: tb_frame, set: None, doc: "" },
    GetSetDef { name: "tb_lineno", get: tb_lineno, set: None, doc: "" },
    GetSetDef { name: "tb_lasti", get: tb_lasti, set: None, doc: "" },
];

// ---- frame ----

fn frame_of<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a crate::payload::FrameInfo> {
    match v.payload() {
        Some(Payload::Frame(f)) => Ok(f),
        _ => Err(vm.new_type_error("expected a frame")),
    }
}
fn f_code(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(frame_of(vm, v)?.code.clone()))
}
fn f_globals(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(frame_of(vm, v)?.globals.clone()))
}
/// The running frame behind a frame object, if it has not finished.
fn live_state(vm: &Vm, v: &Value) -> Option<(Value, u32, u32)> {
    match v {
        Value::Obj(o) => vm.live_frame_of(o).map(|fr| vm.live_frame_state(fr)),
        _ => None,
    }
}
fn f_locals(vm: &Vm, v: &Value) -> PyResult {
    let f = frame_of(vm, v)?;
    if let Some((locals, _, _)) = live_state(vm, v) {
        return Ok(locals);
    }
    if let Some(l) = f.locals.get() {
        return Ok(l);
    }
    // A finished function frame: its kept locals (none if nothing held it).
    let kept = f.kept.borrow().clone();
    let code = match &f.code.payload {
        Payload::Code(c) => c,
        _ => return Ok(Value::Obj(vm.new_dict())),
    };
    let d = Value::Obj(vm.locals_dict_from(code, &kept));
    if !kept.is_empty() {
        f.locals.set(Some(d.clone()));
    }
    Ok(d)
}
fn f_lineno(vm: &Vm, v: &Value) -> PyResult {
    let f = frame_of(vm, v)?;
    Ok(Value::Int(live_state(vm, v).map_or(f.lineno.get(), |s| s.1) as i64))
}
fn f_lasti(vm: &Vm, v: &Value) -> PyResult {
    frame_of(vm, v)?;
    // Code units are 2 bytes in CPython's numbering; a finished frame's last
    // instruction is not kept.
    Ok(Value::Int(live_state(vm, v).map_or(-1, |s| s.2 as i64 * 2)))
}
fn f_trace(vm: &Vm, v: &Value) -> PyResult {
    frame_of(vm, v)?;
    Ok(Value::None)
}
fn f_back(vm: &Vm, v: &Value) -> PyResult {
    let f = frame_of(vm, v)?;
    if let Some(b) = f.back.get() {
        return Ok(b);
    }
    // A frame object made for a traceback is linked to its caller on demand.
    if let Value::Obj(o) = v {
        if let Some(fr) = vm.live_frame_of(o) {
            let frames = vm.frames.borrow().clone();
            if let Some(i) = frames.iter().rposition(|x| x.0 == fr.0).filter(|i| *i > 0) {
                let back = vm.frame_object_at(frames.len() - i);
                f.back.set(back.clone().map(Value::Obj));
                return Ok(or_none(back.map(Value::Obj)));
            }
        }
    }
    Ok(Value::None)
}
fn f_builtins(vm: &Vm, v: &Value) -> PyResult {
    let f = frame_of(vm, v)?;
    match vm.dict_get_str(&f.globals, &vm.intern("__builtins__")) {
        Some(Value::Obj(m)) if m.payload.as_module().is_some() => Ok(Value::Obj(m.payload.as_module().unwrap().dict.clone())),
        Some(d) => Ok(d),
        None => Ok(Value::Obj(vm.builtins_dict.clone())),
    }
}

fn frame_repr(vm: &Vm, args: Args) -> PyResult {
    let fv = arg0(vm, &args)?;
    let f = frame_of(vm, fv)?;
    let pc = f.code.payload.as_code().unwrap();
    Ok(vm.new_str(format!(
        "<frame at {:#x}, file '{}', line {}, code {}>",
        fv.id(),
        pc.code.filename,
        f.lineno.get(),
        pc.code.name
    )))
}

/// `frame.clear()`: drops the locals a finished frame kept (a running frame
/// cannot be cleared).
fn frame_clear(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("clear", args, 1, 1)?;
    let fv = arg0(vm, &args)?;
    let f = frame_of(vm, fv)?;
    if live_state(vm, fv).is_some() {
        return Err(vm.new_runtime_error("cannot clear an executing frame"));
    }
    let kept = std::mem::take(&mut *f.kept.borrow_mut());
    let snapshot = if kept.is_empty() { None } else { f.locals.take() };
    // Dropped outside the borrow: a `__del__` may look at the frame.
    drop(kept);
    drop(snapshot);
    Ok(Value::None)
}

static FRAME_METHODS: [NativeDef; 2] =
    [NativeDef::method("__repr__", frame_repr), NativeDef::method("clear", frame_clear)];
static FRAME_GETSETS: [GetSetDef; 8] = [
    GetSetDef { name: "f_lasti", get: f_lasti, set: None, doc: "" },
    GetSetDef { name: "f_trace", get: f_trace, set: None, doc: "" },
    GetSetDef { name: "f_code", get: f_code, set: None, doc: "" },
    GetSetDef { name: "f_globals", get: f_globals, set: None, doc: "" },
    GetSetDef { name: "f_locals", get: f_locals, set: None, doc: "" },
    GetSetDef { name: "f_lineno", get: f_lineno, set: None, doc: "" },
    GetSetDef { name: "f_back", get: f_back, set: None, doc: "" },
    GetSetDef { name: "f_builtins", get: f_builtins, set: None, doc: "" },
];

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.function, &FUNCTION_METHODS);
    add_getsets(vm, &t.function, &FUNCTION_GETSETS);
    crate::types::member::mark_members(vm, &t.function, &["__builtins__", "__closure__", "__doc__", "__globals__", "__module__"]);
    add_methods(vm, &t.method, &METHOD_METHODS);
    add_getsets(vm, &t.method, &METHOD_GETSETS);
    crate::types::member::mark_members(vm, &t.method, &["__func__", "__self__"]);
    add_methods(vm, &t.cell, &CELL_METHODS);
    add_getsets(vm, &t.cell, &CELL_GETSETS);
    add_methods(vm, &t.code, &CODE_METHODS);
    add_getsets(vm, &t.code, &CODE_GETSETS);
    add_getsets(vm, &t.traceback, &TRACEBACK_GETSETS);
    add_methods(vm, &t.frame, &FRAME_METHODS);
    add_getsets(vm, &t.frame, &FRAME_GETSETS);
}
