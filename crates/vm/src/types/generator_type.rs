//! The Python-visible methods and attributes of `generator`, `coroutine` and
//! `async_generator` objects (the machinery is in `eval/generator.rs`).
//!
//! Async generators' `__anext__`/`asend`/`athrow`/`aclose` and their
//! awaitables are in `awaitables.rs`.

use crate::eval::generator::{
    gen_close, gen_data, gen_send, gen_throw_raw, make_throw_exception, stop_iteration_for, yield_from_target,
    GeneratorData,
};
use crate::payload::{GetSetDef, Payload};
use crate::types::function::{Args, NativeDef};
use crate::value::Value;
use crate::{PyResult, Vm};

fn arg0<'a>(vm: &Vm, args: &Args<'a>) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error("descriptor needs an argument"))
}

fn data<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a GeneratorData> {
    gen_data(v).ok_or_else(|| vm.new_type_error("expected a generator"))
}

fn gen_repr(vm: &Vm, args: Args) -> PyResult {
    let g = arg0(vm, &args)?;
    let d = data(vm, g)?;
    let q = d.qualname.get().and_then(|q| vm.as_str(&q).map(String::from)).unwrap_or_default();
    let kind = match d.kind {
        crate::eval::generator::GenKind::Generator => "generator",
        crate::eval::generator::GenKind::Coroutine => "coroutine",
        crate::eval::generator::GenKind::AsyncGenerator => "async_generator",
    };
    Ok(vm.new_str(format!("<{} object {} at {:#x}>", kind, q, g.id())))
}

fn gen_iter(vm: &Vm, args: Args) -> PyResult {
    Ok(arg0(vm, &args)?.clone())
}

fn gen_next_m(vm: &Vm, args: Args) -> PyResult {
    let g = arg0(vm, &args)?;
    data(vm, g)?;
    match crate::eval::generator::send_raw(vm, g.as_obj().unwrap(), Value::None)? {
        Ok(v) => Ok(v),
        Err(r) => Err(stop_iteration_for(vm, r)),
    }
}

fn gen_send_m(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("send", Args::new(args.args.get(1..).unwrap_or(&[])), 1, 1)?;
    let g = arg0(vm, &args)?;
    data(vm, g)?;
    gen_send(vm, g.as_obj().unwrap(), args.args[1].clone())
}

/// Is `def` generator.send (the eval loop resumes plain generators itself)?
pub fn is_send(def: &crate::types::function::NativeDef) -> bool {
    def.func as *const () == gen_send_m as *const ()
}

fn gen_throw_m(vm: &Vm, args: Args) -> PyResult {
    let rest = args.args.get(1..).unwrap_or(&[]);
    vm.check_arity("throw", Args::new(rest), 1, 3)?;
    let g = arg0(vm, &args)?;
    data(vm, g)?;
    let exc = make_throw_exception(vm, &rest[0], rest.get(1), rest.get(2))?;
    match gen_throw_raw(vm, g.as_obj().unwrap(), exc)? {
        Ok(v) => Ok(v),
        Err(r) => Err(stop_iteration_for(vm, r)),
    }
}

fn gen_close_m(vm: &Vm, args: Args) -> PyResult {
    let g = arg0(vm, &args)?;
    data(vm, g)?;
    gen_close(vm, g.as_obj().unwrap())?;
    Ok(Value::None)
}

/// `coroutine.__await__()`: a `coroutine_wrapper` iterating the coroutine.
fn coro_await(vm: &Vm, args: Args) -> PyResult {
    crate::types::awaitables::coroutine_wrapper(vm, arg0(vm, &args)?)
}

static GENERATOR_METHODS: [NativeDef; 6] = [
    NativeDef::method("__repr__", gen_repr),
    NativeDef::method("__iter__", gen_iter),
    NativeDef::method("__next__", gen_next_m),
    NativeDef::method("send", gen_send_m)
        .doc("send(arg) -> send 'arg' into generator,\nreturn next yielded value or raise StopIteration."),
    NativeDef::method("throw", gen_throw_m).doc(
        "throw(value)\nthrow(type[,value[,tb]])\n\nRaise exception in generator, return next yielded value or raise\nStopIteration.",
    ),
    NativeDef::method("close", gen_close_m).doc("close() -> raise GeneratorExit inside generator."),
];

static COROUTINE_METHODS: [NativeDef; 5] = [
    NativeDef::method("__repr__", gen_repr),
    NativeDef::method("send", gen_send_m)
        .doc("send(arg) -> send 'arg' into coroutine,\nreturn next iterated value or raise StopIteration."),
    NativeDef::method("throw", gen_throw_m).doc(
        "throw(value)\nthrow(type[,value[,traceback]])\n\nRaise exception in coroutine, return next iterated value or raise\nStopIteration.",
    ),
    NativeDef::method("close", gen_close_m).doc("close() -> raise GeneratorExit inside coroutine."),
    NativeDef::method("__await__", coro_await),
];

static ASYNC_GENERATOR_METHODS: [NativeDef; 1] = [NativeDef::method("__repr__", gen_repr)];

fn get_name(vm: &Vm, v: &Value) -> PyResult {
    Ok(data(vm, v)?.name.get().unwrap_or(Value::None))
}
fn set_name(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    match &val {
        Some(x) if vm.as_str(x).is_some() => {
            data(vm, v)?.name.set(val);
            Ok(())
        }
        _ => Err(vm.new_type_error("__name__ must be set to a string object")),
    }
}
fn get_qualname(vm: &Vm, v: &Value) -> PyResult {
    Ok(data(vm, v)?.qualname.get().unwrap_or(Value::None))
}
fn set_qualname(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    match &val {
        Some(x) if vm.as_str(x).is_some() => {
            data(vm, v)?.qualname.set(val);
            Ok(())
        }
        _ => Err(vm.new_type_error("__qualname__ must be set to a string object")),
    }
}
fn get_running(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(data(vm, v)?.running.get()))
}
fn get_code(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Obj(data(vm, v)?.code.clone()))
}
fn get_yieldfrom(vm: &Vm, v: &Value) -> PyResult {
    Ok(yield_from_target(data(vm, v)?).unwrap_or(Value::None))
}
fn get_suspended(vm: &Vm, v: &Value) -> PyResult {
    let d = data(vm, v)?;
    Ok(Value::Bool(d.started.get() && !d.running.get() && d.frame.borrow().is_some()))
}
fn get_frame(vm: &Vm, v: &Value) -> PyResult {
    let d = data(vm, v)?;
    let mut fr = d.frame.borrow_mut();
    match fr.as_mut() {
        Some(f) => {
            let fo = f.frame_object(vm);
            // A suspended frame's fast locals, as `f_locals` shows them now.
            if f.locals.is_none() {
                if let Payload::Frame(fi) = &fo.payload {
                    fi.locals.set(Some(Value::Obj(vm.fast_locals_dict(f))));
                }
            }
            Ok(Value::Obj(fo))
        }
        // Running: its frame is on the frame stack, out of `frame`.
        None => match d.running_frame.get() {
            p if !p.is_null() => Ok(vm.frame_object_of(p).map(Value::Obj).unwrap_or(Value::None)),
            _ => Ok(Value::None),
        },
    }
}

macro_rules! gen_getsets {
    ($name:ident, $word:literal, $frame:literal, $running:literal, $code:literal, $yf:literal, $susp:literal) => {
        static $name: [GetSetDef; 7] = [
            GetSetDef { name: "__name__", get: get_name, set: Some(set_name), doc: concat!("name of the ", $word) },
            GetSetDef {
                name: "__qualname__",
                get: get_qualname,
                set: Some(set_qualname),
                doc: concat!("qualified name of the ", $word),
            },
            GetSetDef { name: $frame, get: get_frame, set: None, doc: "" },
            GetSetDef { name: $running, get: get_running, set: None, doc: "" },
            GetSetDef { name: $code, get: get_code, set: None, doc: "" },
            GetSetDef { name: $yf, get: get_yieldfrom, set: None, doc: "" },
            GetSetDef { name: $susp, get: get_suspended, set: None, doc: "" },
        ];
    };
}

gen_getsets!(GENERATOR_GETSETS, "generator", "gi_frame", "gi_running", "gi_code", "gi_yieldfrom", "gi_suspended");
gen_getsets!(COROUTINE_GETSETS, "coroutine", "cr_frame", "cr_running", "cr_code", "cr_await", "cr_suspended");
gen_getsets!(ASYNC_GENERATOR_GETSETS, "async generator", "ag_frame", "ag_running", "ag_code", "ag_await", "ag_suspended");

/// `cr_origin`: where the coroutine was created, recorded only when
/// `sys.set_coroutine_origin_tracking_depth` is above 0; else None.
static COROUTINE_ORIGIN: [GetSetDef; 1] = [GetSetDef { name: "cr_origin", get: get_origin, set: None, doc: "" }];

fn get_origin(_vm: &Vm, v: &Value) -> PyResult {
    Ok(crate::eval::generator::gen_data(v).and_then(|g| g.origin.get()).unwrap_or(Value::None))
}

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.generator, &GENERATOR_METHODS);
    add_getsets(vm, &t.generator, &GENERATOR_GETSETS);
    add_methods(vm, &t.coroutine, &COROUTINE_METHODS);
    add_getsets(vm, &t.coroutine, &COROUTINE_GETSETS);
    add_getsets(vm, &t.coroutine, &COROUTINE_ORIGIN);
    add_methods(vm, &t.async_generator, &ASYNC_GENERATOR_METHODS);
    add_methods(vm, &t.async_generator, &crate::types::awaitables::ASYNC_GENERATOR_OPS);
    add_getsets(vm, &t.async_generator, &ASYNC_GENERATOR_GETSETS);
    let _ = Payload::None_;
}
