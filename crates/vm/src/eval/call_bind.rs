//! Binding call arguments to the parameters of a Python function: fills a new
//! frame's fast locals, creates its cells and copies in its free variables,
//! with CPython 3.11's exact error messages (`initialize_locals` in ceval.c).

use crate::eval::frame::{is_null, null, Frame};
use crate::object::{PyRef, ValueCell};
use crate::payload::Payload;
use crate::types::function::FunctionData;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::code::flags;

/// What a call of a Python function produces before running: a frame to run,
/// or (for generator and coroutine functions) the generator object itself.
pub enum Prepared {
    Frame(Box<Frame>),
    Value(Value),
}

/// Binds `args` (positional then keyword values named by `kwnames`) for `func`
/// and makes its frame; generator functions return their generator at once.
pub fn prepare_call(
    vm: &Vm,
    func: &PyRef,
    args: &[Value],
    kwnames: &[Value],
    locals: Option<Value>,
) -> PyResult<Prepared> {
    let fd = match &func.payload {
        Payload::Function(fd) => fd,
        _ => return Err(vm.new_system_error("prepare_call on a non-function")),
    };
    let mut frame = Frame::new(fd.code.clone(), fd.globals.clone(), fd.builtins.clone(), locals);
    if let Err(e) = bind_args(vm, fd, &mut frame, args, kwnames) {
        Frame::recycle(frame);
        return Err(e);
    }
    let co_flags = frame.code().code.flags;
    if co_flags & (flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR) != 0 {
        return Ok(Prepared::Value(crate::eval::generator::new_generator(vm, func, fd, frame)));
    }
    Ok(Prepared::Frame(frame))
}

/// The qualified name of a function, as argument errors print it.
fn qualname(vm: &Vm, fd: &FunctionData) -> String {
    match fd.qualname.get() {
        Some(v) => vm.as_str(&v).unwrap_or("?").to_string(),
        None => "?".to_string(),
    }
}

fn str_eq(a: &Value, b: &PyRef) -> bool {
    match a {
        Value::Obj(o) => {
            o.is(b)
                || match (o.payload.as_str(), b.payload.as_str()) {
                    (Some(x), Some(y)) => x.as_str() == y.as_str(),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Fills the frame's parameters, cells and frees.
fn bind_args(vm: &Vm, fd: &FunctionData, frame: &mut Frame, args: &[Value], kwnames: &[Value]) -> PyResult<()> {
    let code = crate::eval::frame::pycode(&fd.code);
    let co = &code.code;
    let argcount = co.argcount as usize;
    let kwonly = co.kwonlyargcount as usize;
    let posonly = co.posonlyargcount as usize;
    let total = argcount + kwonly;
    let has_varargs = co.flags & flags::VARARGS != 0;
    let has_varkw = co.flags & flags::VARKEYWORDS != 0;
    let nkw = kwnames.len().min(args.len());
    let nargs = args.len() - nkw;
    let slots = &mut frame.slots;

    if nkw == 0 && nargs == argcount && !has_varargs && kwonly == 0 {
        // The common case: exactly the positional parameters.
        for (slot, a) in slots.iter_mut().zip(args.iter()) {
            *slot = a.clone();
        }
        if has_varkw {
            slots[argcount] = Value::Obj(vm.new_dict());
        }
    } else {
        let nul = null();
        let kwdict = if has_varkw { Some(vm.new_dict()) } else { None };
        let n = nargs.min(argcount);
        for i in 0..n {
            slots[i] = args[i].clone();
        }
        if has_varargs {
            let rest = if nargs > n { args[n..nargs].to_vec() } else { Vec::new() };
            slots[total] = vm.new_tuple(rest);
        }
        for (k, v) in kwnames.iter().zip(args[nargs..].iter()) {
            if vm.as_str(k).is_none() {
                return Err(vm.new_type_error(format!("{}() keywords must be strings", qualname(vm, fd))));
            }
            // By identity first (names in calls are interned), as CPython.
            let found = (posonly..total)
                .find(|&j| matches!(k, Value::Obj(o) if o.is(&code.varnames[j])))
                .or_else(|| (posonly..total).find(|&j| str_eq(k, &code.varnames[j])));
            match found {
                Some(j) => {
                    if !is_null(&slots[j], &nul) {
                        return Err(vm.new_type_error(format!(
                            "{}() got multiple values for argument '{}'",
                            qualname(vm, fd),
                            vm.as_str(k).unwrap_or("?")
                        )));
                    }
                    slots[j] = v.clone();
                }
                None => match &kwdict {
                    Some(d) => vm.dict_set(d, k.clone(), v.clone())?,
                    None => {
                        if posonly > 0 {
                            let bad: Vec<&str> = kwnames
                                .iter()
                                .filter(|kn| (0..posonly).any(|j| str_eq(kn, &code.varnames[j])))
                                .filter_map(|kn| vm.as_str(kn))
                                .collect();
                            if !bad.is_empty() {
                                return Err(vm.new_type_error(format!(
                                    "{}() got some positional-only arguments passed as keyword arguments: '{}'",
                                    qualname(vm, fd),
                                    bad.join(", ")
                                )));
                            }
                        }
                        return Err(vm.new_type_error(format!(
                            "{}() got an unexpected keyword argument '{}'",
                            qualname(vm, fd),
                            vm.as_str(k).unwrap_or("?")
                        )));
                    }
                },
            }
        }
        let defaults_value = fd.defaults.get();
        let defaults: &[Value] = defaults_value.as_ref().and_then(|d| d.payload()).and_then(|p| p.as_tuple()).unwrap_or(&[]);
        if nargs > argcount && !has_varargs {
            let kwonly_given = (argcount..total).filter(|&j| !is_null(&slots[j], &nul)).count();
            return Err(vm.new_type_error(too_many_positional(
                &qualname(vm, fd),
                argcount,
                defaults.len(),
                nargs,
                kwonly_given,
            )));
        }
        if nargs < argcount {
            let m = argcount.saturating_sub(defaults.len());
            let missing: Vec<String> = (nargs..m)
                .filter(|&i| is_null(&slots[i], &nul))
                .map(|i| code.varnames[i].payload.as_str().map(|s| s.as_str().to_string()).unwrap_or_default())
                .collect();
            if !missing.is_empty() {
                return Err(vm.new_type_error(missing_message(&qualname(vm, fd), "positional", &missing)));
            }
            for i in nargs.max(m)..argcount {
                if is_null(&slots[i], &nul) {
                    slots[i] = defaults[i - m].clone();
                }
            }
        }
        if kwonly > 0 {
            let kwdefs = match fd.kwdefaults.get() {
                Some(Value::Obj(d)) if d.payload.as_dict().is_some() => Some(d),
                _ => None,
            };
            let mut missing = Vec::new();
            for i in argcount..total {
                if !is_null(&slots[i], &nul) {
                    continue;
                }
                if let Some(d) = &kwdefs {
                    if let Some(v) = vm.dict_get_str(d, &code.varnames[i]) {
                        slots[i] = v;
                        continue;
                    }
                }
                missing.push(code.varnames[i].payload.as_str().map(|s| s.as_str().to_string()).unwrap_or_default());
            }
            if !missing.is_empty() {
                return Err(vm.new_type_error(missing_message(&qualname(vm, fd), "keyword-only", &missing)));
            }
        }
        if let Some(d) = kwdict {
            slots[total + has_varargs as usize] = Value::Obj(d);
        }
    }

    // Cells (copying parameters that live in cells) and free variables.
    let nlocals = co.varnames.len();
    for (i, c2a) in co.cell2arg.iter().enumerate().take(co.cellvars.len()) {
        let init = c2a.and_then(|j| {
            let v = slots[j as usize].clone();
            if crate::eval::frame::is_null_slow(&v) {
                None
            } else {
                Some(v)
            }
        });
        slots[nlocals + i] = new_cell(vm, init);
    }
    for i in co.cell2arg.len()..co.cellvars.len() {
        slots[nlocals + i] = new_cell(vm, None);
    }
    if !co.freevars.is_empty() {
        let closure = fd.closure.as_ref().and_then(|c| c.payload.as_tuple());
        let base = nlocals + co.cellvars.len();
        for k in 0..co.freevars.len() {
            let cell = closure.and_then(|t| t.get(k)).cloned().unwrap_or_else(|| new_cell(vm, None));
            slots[base + k] = cell;
        }
    }
    Ok(())
}

/// A new cell object holding `v`.
pub fn new_cell(vm: &Vm, v: Option<Value>) -> Value {
    Value::Obj(PyRef::new(vm.types.cell.clone(), Payload::Cell(ValueCell::new(v))))
}

fn too_many_positional(name: &str, argcount: usize, ndefaults: usize, given: usize, kwonly_given: usize) -> String {
    let (sig, plural) = if ndefaults > 0 {
        (format!("from {} to {}", argcount - ndefaults.min(argcount), argcount), true)
    } else {
        (argcount.to_string(), argcount != 1)
    };
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {} keyword-only argument{})",
            if given != 1 { "s" } else { "" },
            kwonly_given,
            if kwonly_given != 1 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    format!(
        "{}() takes {} positional argument{} but {}{} {} given",
        name,
        sig,
        if plural { "s" } else { "" },
        given,
        kwonly_sig,
        if given == 1 && kwonly_given == 0 { "was" } else { "were" }
    )
}

fn missing_message(name: &str, kind: &str, missing: &[String]) -> String {
    let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    format!(
        "{}() missing {} required {} argument{}: {}",
        name,
        missing.len(),
        kind,
        if missing.len() == 1 { "" } else { "s" },
        list
    )
}
