//! The `_sre` module: the regular-expression engine under CPython's own
//! pure-Python `re` package. re/_parser.py and re/_compiler.py turn a
//! pattern into a list of opcodes; `_sre.compile` wraps that list in a
//! Pattern object whose methods run it with `engine.rs`.
//!
//! Files: `consts.rs` (opcode numbers), `chars.rs` (categories and case
//! folding), `program.rs` (the code plus 256-entry tables of every set
//! test), `engine.rs` (matcher state, search loop, one-character tests),
//! `engine/run.rs` (the dispatch loop), `engine/resume.rs` (backtracking:
//! what each pending frame does with a sub-match's result), `subject.rs`
//! (the searched string as code units), `pattern.rs` (Pattern objects),
//! `match_obj.rs` (Match objects), `scanner.rs` (Scanner objects and the
//! loops of findall/split/sub).

mod chars;
mod consts;
mod engine;
mod match_obj;
mod pattern;
mod program;
mod scanner;
mod subject;
#[cfg(test)]
mod tests;

use crate::native::ssize;
use consts::*;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

pub use pattern::PatternData;

/// A code point argument of the case helpers (C `int` range, as CPython's).
fn char_arg(vm: &Vm, name: &str, args: &Args) -> PyResult<u32> {
    vm.check_arity(name, *args, 1, 1)?;
    let v = &args.args[0];
    if v.payload().and_then(|p| p.as_float()).is_some() {
        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = vm.index(v)?;
    let i = match i {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        _ => i64::MAX,
    };
    if !(i32::MIN as i64..=i32::MAX as i64).contains(&i) {
        return Err(vm.new_overflow_error(if i > 0 {
            "signed integer is greater than maximum"
        } else {
            "signed integer is less than minimum"
        }));
    }
    Ok(i as u32)
}

fn ascii_iscased(vm: &Vm, args: Args) -> PyResult {
    let c = char_arg(vm, "ascii_iscased", &args)?;
    Ok(Value::Bool(chars::ascii_iscased(c)))
}

fn unicode_iscased(vm: &Vm, args: Args) -> PyResult {
    let c = char_arg(vm, "unicode_iscased", &args)?;
    Ok(Value::Bool(chars::unicode_iscased(c)))
}

fn ascii_tolower(vm: &Vm, args: Args) -> PyResult {
    let c = char_arg(vm, "ascii_tolower", &args)?;
    Ok(Value::Int(if c < 128 { chars::lower_ascii(c) } else { c } as i32 as i64))
}

fn unicode_tolower(vm: &Vm, args: Args) -> PyResult {
    let c = char_arg(vm, "unicode_tolower", &args)?;
    Ok(Value::Int(chars::lower_unicode(c) as i32 as i64))
}

fn getcodesize(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getcodesize", args, 0, 0)?;
    Ok(Value::Int(CODESIZE))
}

/// `compile(pattern, flags, code, groups, groupindex, indexgroup)`.
fn compile(vm: &Vm, args: Args) -> PyResult {
    let names = ["pattern", "flags", "code", "groups", "groupindex", "indexgroup"];
    let a = crate::native::bind(vm, "compile", args, &names, 6)?;
    let get = |i: usize| a[i].clone().unwrap_or(Value::None);
    let (pattern, flags, code, groups, groupindex, indexgroup) = (get(0), get(1), get(2), get(3), get(4), get(5));
    let must = |v: &Value, what: &str, ok: bool| -> PyResult<()> {
        if ok {
            Ok(())
        } else {
            Err(vm.new_type_error(format!(
                "compile() argument '{what}' must be {}, not {}",
                match what {
                    "code" => "list",
                    "groupindex" => "dict",
                    _ => "tuple",
                },
                vm.type_name_of(v)
            )))
        }
    };
    let flags = match vm.index(&flags)? {
        Value::Int(i) => i,
        Value::Bool(b) => b as i64,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
    };
    must(&code, "code", code.payload().and_then(|p| p.as_list()).is_some())?;
    let groups = ssize(vm, &groups)?;
    must(&groupindex, "groupindex", groupindex.payload().and_then(|p| p.as_dict()).is_some())?;
    must(&indexgroup, "indexgroup", indexgroup.payload().and_then(|p| p.as_tuple()).is_some())?;
    let items = code.payload().and_then(|p| p.as_list()).map(|l| l.borrow().to_vec()).unwrap_or_default();
    let mut words = Vec::with_capacity(items.len());
    for item in &items {
        let n = match vm.index(item)? {
            Value::Int(i) => i,
            Value::Bool(b) => b as i64,
            _ => -1,
        };
        if n < 0 {
            return Err(vm.new_overflow_error("regular expression code size limit exceeded"));
        }
        if n > u32::MAX as i64 {
            return Err(vm.new_overflow_error("regular expression code size limit exceeded"));
        }
        words.push(n as u32);
    }
    if groups < 0 || groups > MAXGROUPS {
        return Err(vm.new_runtime_error("invalid SRE code"));
    }
    let is_bytes = if pattern.is_none() {
        None
    } else if pattern.payload().and_then(|p| p.as_str()).is_some() {
        Some(false)
    } else {
        Some(true)
    };
    let data = PatternData::new(vm, pattern, flags, words, groups as usize, groupindex, indexgroup, is_bytes)?;
    Ok(pattern::new_pattern(vm, data))
}

static FUNCS: [NativeDef; 6] = [
    NativeDef::function("compile", compile),
    NativeDef::function("getcodesize", getcodesize),
    NativeDef::function("ascii_iscased", ascii_iscased),
    NativeDef::function("unicode_iscased", unicode_iscased),
    NativeDef::function("ascii_tolower", ascii_tolower),
    NativeDef::function("unicode_tolower", unicode_tolower),
];

/// Creates the `_sre` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let attrs = vec![
        ("MAGIC", Value::Int(MAGIC)),
        ("CODESIZE", Value::Int(CODESIZE)),
        ("MAXREPEAT", Value::Int(MAXREPEAT as i64)),
        ("MAXGROUPS", Value::Int(MAXGROUPS)),
        ("copyright", vm.new_str(" SRE 2.2.2 Copyright (c) 1997-2002 by Secret Labs AB ")),
    ];
    Ok(crate::native::make_module(vm, "_sre", "", &FUNCS, attrs))
}
