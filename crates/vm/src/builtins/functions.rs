//! The general builtin functions: print, len, iter/next, repr/ascii/format,
//! the attribute functions, id/hash/callable, chr/ord/hex/oct/bin,
//! isinstance/issubclass, vars/dir/globals/locals, exec/eval/compile, input
//! and `__import__`. Argument errors are worded as CPython 3.11's.

use super::pending;
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::iter::IterState;
use crate::types::typeobj::Slot;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};
use dashu_int::IBig;

pub static FUNCTIONS: &[NativeDef] = &[
    NativeDef::function("print", print).doc(super::docs::PRINT),
    NativeDef::function("len", len).doc(super::docs::LEN),
    NativeDef::function("iter", iter).doc(super::docs::ITER),
    NativeDef::function("next", next).doc(super::docs::NEXT),
    NativeDef::function("aiter", super::async_iter::aiter).doc(super::docs::AITER),
    NativeDef::function("anext", super::async_iter::anext).doc(super::docs::ANEXT),
    NativeDef::function("repr", repr).doc(super::docs::REPR),
    NativeDef::function("ascii", ascii).doc(super::docs::ASCII),
    NativeDef::function("format", format).doc(super::docs::FORMAT),
    NativeDef::function("getattr", getattr).doc(super::docs::GETATTR),
    NativeDef::function("setattr", setattr).doc(super::docs::SETATTR),
    NativeDef::function("hasattr", hasattr).doc(super::docs::HASATTR),
    NativeDef::function("delattr", delattr).doc(super::docs::DELATTR),
    NativeDef::function("id", id).doc(super::docs::ID),
    NativeDef::function("hash", hash).doc(super::docs::HASH),
    NativeDef::function("callable", callable).doc(super::docs::CALLABLE),
    NativeDef::function("chr", chr).doc(super::docs::CHR),
    NativeDef::function("ord", ord).doc(super::docs::ORD),
    NativeDef::function("hex", hex).doc(super::docs::HEX),
    NativeDef::function("oct", oct).doc(super::docs::OCT),
    NativeDef::function("bin", bin).doc(super::docs::BIN),
    NativeDef::function("isinstance", isinstance).doc(super::docs::ISINSTANCE),
    NativeDef::function("issubclass", issubclass).doc(super::docs::ISSUBCLASS),
    NativeDef::function("vars", vars).doc(super::docs::VARS),
    NativeDef::function("dir", dir).doc(super::docs::DIR),
    NativeDef::function("globals", globals).doc(super::docs::GLOBALS),
    NativeDef::function("locals", locals).doc(super::docs::LOCALS),
    NativeDef::function("compile", compile).doc(super::docs::COMPILE),
    NativeDef::function("eval", eval).doc(super::docs::EVAL),
    NativeDef::function("exec", exec).doc(super::docs::EXEC),
    NativeDef::function("input", input).doc(super::docs::INPUT),
    NativeDef::function("__import__", import).doc(super::docs::IMPORT),
];

/// The str object an attribute name must be.
fn attr_name(vm: &Vm, v: &Value) -> PyResult<PyRef> {
    match v {
        Value::Obj(o) if o.payload.as_str().is_some() => Ok(o.clone()),
        _ => Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(v)))),
    }
}

/// `sys.<name>` looked up at call time (None when missing).
pub fn sys_attr(vm: &Vm, name: &str) -> Option<Value> {
    let dict = &vm.sys.payload.as_module()?.dict;
    vm.dict_get_str(dict, &vm.intern(name))
}

/// Writes `s` to a file-like object: natively for krait's own files, else by
/// calling its `write` method.
pub fn write_to(vm: &Vm, file: &Value, s: &str) -> PyResult<()> {
    if let Some(r) = super::io::fast_write(vm, file, s) {
        return r;
    }
    let w = vm.getattr_str(file, "write")?;
    vm.call1(&w, &[vm.new_str(s)])?;
    Ok(())
}

fn print(vm: &Vm, args: Args) -> PyResult {
    let (mut sep, mut end, mut file, mut flush) = (None, None, None, None);
    for (k, v) in args.keywords() {
        let slot = match vm.as_str(k).unwrap_or("") {
            "sep" => &mut sep,
            "end" => &mut end,
            "file" => &mut file,
            "flush" => &mut flush,
            other => {
                return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for print()")));
            }
        };
        *slot = Some(v.clone());
    }
    let file = match file {
        Some(f) if !f.is_none() => f,
        _ => match sys_attr(vm, "stdout") {
            Some(Value::None) => return Ok(Value::None),
            Some(f) => f,
            None => return Err(vm.new_runtime_error("lost sys.stdout")),
        },
    };
    let text_arg = |v: Option<Value>, what: &str, default: &str| -> PyResult<String> {
        match v {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(v) => match vm.as_str(&v) {
                Some(s) => Ok(s.to_string()),
                None => Err(vm.new_type_error(format!("{what} must be None or a string, not {}", vm.type_name_of(&v)))),
            },
        }
    };
    let sep = text_arg(sep, "sep", " ")?;
    let end = text_arg(end, "end", "\n")?;
    for (i, a) in args.positional().iter().enumerate() {
        if i > 0 {
            write_to(vm, &file, &sep)?;
        }
        let s = vm.str(a)?;
        if s.payload.as_str().is_some_and(|t| t.has_surrogates()) {
            // The str itself, so the stream's error handler sees its surrogates.
            vm.call_method(&file, "write", &[Value::Obj(s)])?;
            continue;
        }
        write_to(vm, &file, s.payload.as_str().unwrap().as_str())?;
    }
    write_to(vm, &file, &end)?;
    if let Some(f) = flush {
        if vm.truthy(&f)? {
            vm.call_method(&file, "flush", &[])?;
        }
    }
    Ok(Value::None)
}

fn len(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("len", args, 1, 1)?;
    Ok(Value::Int(vm.len(&args.args[0])? as i64))
}

fn iter(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("iter", args, 1, 2)?;
    if args.args.len() == 1 {
        return vm.iter(&args.args[0]);
    }
    let func = &args.args[0];
    if !vm.is_callable(func) {
        return Err(vm.new_type_error("iter(v, w): v must be callable"));
    }
    let state = IterState::Callable { func: Some(func.clone()), sentinel: args.args[1].clone() };
    Ok(Value::Obj(PyRef::new(
        vm.types.callable_iterator.clone(),
        Payload::Iter(Box::new(std::cell::RefCell::new(state))),
    )))
}

fn next(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("next", args, 1, 2)?;
    let it = &args.args[0];
    let default = args.args.get(1);
    // Native iterators: the VM's fast path (there is no StopIteration value to keep).
    let native = matches!(it.payload(), Some(Payload::Iter(_)));
    let slot = if native { None } else { vm.special(it, Slot::Next) };
    match slot {
        Some(f) => match vm.call_unbound(&f, it, &[]) {
            // Calling `__next__` directly keeps the StopIteration's value
            // (a generator's return value) when there is no default.
            Err(e) if default.is_some() && vm.exception_matches(&e, &vm.exc.stop_iteration) => Ok(default.unwrap().clone()),
            r => r,
        },
        None if native || matches!(it.payload(), Some(Payload::Generator(_))) => match vm.next(it)? {
            Some(v) => Ok(v),
            None => match default {
                Some(d) => Ok(d.clone()),
                None => Err(vm.new_stop_iteration(None)),
            },
        },
        None => Err(vm.new_type_error(format!("'{}' object is not an iterator", vm.type_name_of(it)))),
    }
}

fn repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("repr", args, 1, 1)?;
    Ok(Value::Obj(vm.repr(&args.args[0])?))
}

/// `ascii(s)` of a repr: every non-ASCII character escaped as `\xhh`, `\uhhhh`
/// or `\Uhhhhhhhh`.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let cp = c as u32;
        if cp < 0x80 {
            out.push(c);
        } else if cp < 0x100 {
            out.push_str(&format!("\\x{cp:02x}"));
        } else if cp < 0x10000 {
            out.push_str(&format!("\\u{cp:04x}"));
        } else {
            out.push_str(&format!("\\U{cp:08x}"));
        }
    }
    out
}

fn ascii(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("ascii", args, 1, 1)?;
    let r = vm.repr(&args.args[0])?;
    let s = r.payload.as_str().unwrap();
    if s.is_ascii() {
        return Ok(Value::Obj(r));
    }
    Ok(vm.new_str(ascii_escape(s.as_str())))
}

fn format(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("format", args, 1, 2)?;
    let spec = match args.args.get(1) {
        Some(s) => match vm.as_str(s) {
            Some(text) => text,
            None => {
                return Err(vm.new_type_error(format!("format() argument 2 must be str, not {}", vm.type_name_of(s))));
            }
        },
        None => "",
    };
    Ok(Value::Obj(vm.format_value(&args.args[0], spec)?))
}

fn getattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getattr", args, 2, 3)?;
    let name = attr_name(vm, &args.args[1])?;
    match args.args.get(2) {
        None => vm.getattr(&args.args[0], &name),
        Some(d) => Ok(vm.lookup_attr(&args.args[0], &name)?.unwrap_or_else(|| d.clone())),
    }
}

fn setattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("setattr", args, 3, 3)?;
    let name = attr_name(vm, &args.args[1])?;
    vm.setattr(&args.args[0], &name, Some(args.args[2].clone()))?;
    Ok(Value::None)
}

fn hasattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("hasattr", args, 2, 2)?;
    let name = attr_name(vm, &args.args[1])?;
    Ok(Value::Bool(vm.lookup_attr(&args.args[0], &name)?.is_some()))
}

fn delattr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("delattr", args, 2, 2)?;
    let name = attr_name(vm, &args.args[1])?;
    vm.setattr(&args.args[0], &name, None)?;
    Ok(Value::None)
}

fn id(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("id", args, 1, 1)?;
    Ok(Value::Int(args.args[0].id()))
}

fn hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("hash", args, 1, 1)?;
    Ok(Value::Int(vm.hash(&args.args[0])?))
}

fn callable(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("callable", args, 1, 1)?;
    Ok(Value::Bool(vm.is_callable(&args.args[0])))
}

fn chr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("chr", args, 1, 1)?;
    let i = vm.index(&args.args[0])?;
    let i = match i {
        Value::Int(i) if i32::try_from(i).is_ok() => i,
        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
    };
    if !(0..0x110000).contains(&i) {
        return Err(vm.new_value_error("chr() arg not in range(0x110000)"));
    }
    Ok(crate::types::str_surrogates::code_point_str(vm, i as u32))
}

fn ord(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("ord", args, 1, 1)?;
    let v = &args.args[0];
    let p = v.payload().map(|p| p.base());
    let n = match p {
        Some(Payload::Str(s)) => {
            if s.char_len() == 1 {
                return Ok(Value::Int(s.code_points().next().unwrap_or(0) as i64));
            }
            s.char_len()
        }
        Some(Payload::Bytes(b)) => {
            if b.bytes.len() == 1 {
                return Ok(Value::Int(b.bytes[0] as i64));
            }
            b.bytes.len()
        }
        Some(Payload::ByteArray(b)) => {
            let b = b.borrow();
            if b.len() == 1 {
                return Ok(Value::Int(b[0] as i64));
            }
            b.len()
        }
        _ => {
            return Err(vm.new_type_error(format!(
                "ord() expected string of length 1, but {} found",
                vm.type_name_of(v)
            )));
        }
    };
    Err(vm.new_type_error(format!("ord() expected a character, but string of length {n} found")))
}

/// The digits of an int in base 2, 8 or 16 with Python's prefix and sign.
pub fn int_to_radix(i: &IBig, radix: u32) -> String {
    let neg = *i < IBig::ZERO;
    let mag = if neg { -i.clone() } else { i.clone() };
    let (prefix, digits) = match radix {
        2 => ("0b", format!("{:b}", mag)),
        8 => ("0o", format!("{:o}", mag)),
        _ => ("0x", format!("{:x}", mag)),
    };
    format!("{}{}{}", if neg { "-" } else { "" }, prefix, digits)
}

fn radix_fn(vm: &Vm, args: Args, name: &str, radix: u32) -> PyResult {
    vm.check_arity(name, args, 1, 1)?;
    let i = vm.index(&args.args[0])?;
    let big = vm.as_ibig(&i).unwrap_or(IBig::ZERO);
    Ok(vm.new_str(int_to_radix(&big, radix)))
}

fn hex(vm: &Vm, args: Args) -> PyResult {
    radix_fn(vm, args, "hex", 16)
}
fn oct(vm: &Vm, args: Args) -> PyResult {
    radix_fn(vm, args, "oct", 8)
}
fn bin(vm: &Vm, args: Args) -> PyResult {
    radix_fn(vm, args, "bin", 2)
}

fn isinstance(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("isinstance", args, 2, 2)?;
    Ok(Value::Bool(pending::isinstance(vm, &args.args[0], &args.args[1])?))
}

fn issubclass(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("issubclass", args, 2, 2)?;
    Ok(Value::Bool(pending::issubclass(vm, &args.args[0], &args.args[1])?))
}

fn vars(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("vars", args, 0, 1)?;
    match args.args.first() {
        None => pending::current_locals(vm),
        Some(o) => match vm.getattr_str(o, "__dict__") {
            Err(e) if vm.exception_matches(&e, &vm.exc.attribute_error) => {
                Err(vm.new_type_error("vars() argument must have __dict__ attribute"))
            }
            r => r,
        },
    }
}

/// The names `object.__dir__` would give when no `__dir__` is found: the
/// instance dict's keys and those of every class on the MRO.
fn fallback_dir(vm: &Vm, obj: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(d) = vm.instance_dict(obj, false) {
        out.extend(vm.dict_keys(&d));
    }
    let typ = match obj {
        Value::Obj(o) if o.payload.as_type().is_some() => o.clone(),
        _ => vm.type_of(obj),
    };
    let mro = typ.payload.as_type().map(|t| t.mro.borrow().clone()).unwrap_or_default();
    for c in mro {
        out.extend(vm.dict_keys(&c.payload.as_type().unwrap().dict));
    }
    out
}

/// Sorts names for `dir()`; strs natively, anything else with `<`.
fn sort_names(vm: &Vm, mut names: Vec<Value>) -> PyResult<Value> {
    if names.iter().all(|n| vm.as_str(n).is_some()) {
        names.sort_by(|a, b| vm.as_str(a).unwrap().cmp(vm.as_str(b).unwrap()));
        names.dedup_by(|a, b| vm.as_str(a) == vm.as_str(b));
        return Ok(vm.new_list(names));
    }
    let list = vm.new_list(names);
    vm.call_method(&list, "sort", &[])?;
    Ok(list)
}

fn dir(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("dir", args, 0, 1)?;
    let obj = match args.args.first() {
        None => {
            let locals = pending::current_locals(vm)?;
            let keys = vm.call_method(&locals, "keys", &[])?;
            let names = vm.collect_iter(&keys)?;
            return sort_names(vm, names);
        }
        Some(o) => o,
    };
    let names = match vm.special(obj, Slot::Dir) {
        Some(f) => {
            let r = vm.call_unbound(&f, obj, &[])?;
            vm.collect_iter(&r)?
        }
        None => fallback_dir(vm, obj),
    };
    sort_names(vm, names)
}

fn globals(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("globals", args, 0, 0)?;
    pending::current_globals(vm)
}

fn locals(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("locals", args, 0, 0)?;
    pending::current_locals(vm)
}

/// Compiles str or bytes source; CompileErrors become SyntaxErrors.
fn compile_source(vm: &Vm, fname: &str, source: &Value, filename: &str, mode: krait_compiler::Mode) -> PyResult {
    let code = match source.payload().map(|p| p.base()) {
        Some(Payload::Str(s)) => {
            let text = s.as_str();
            if text.contains('\0') {
                return Err(null_bytes_error(vm));
            }
            krait_compiler::compile(text, filename, mode)
        }
        Some(Payload::Bytes(b)) => {
            if b.bytes.contains(&0) {
                return Err(null_bytes_error(vm));
            }
            vm.compile_source_bytes(&b.bytes, filename, mode, false)
        }
        Some(Payload::ByteArray(b)) => {
            let data = b.borrow().clone();
            if data.contains(&0) {
                return Err(null_bytes_error(vm));
            }
            vm.compile_source_bytes(&data, filename, mode, false)
        }
        _ => {
            return Err(vm.new_type_error(if fname == "compile" {
                "compile() arg 1 must be a string, bytes or AST object".to_string()
            } else {
                format!("{fname}() arg 1 must be a string, bytes or code object")
            }));
        }
    };
    match code {
        Ok(c) => pending::load_code(vm, c),
        Err(e) => Err(pending::compile_error_to_exception(vm, &e)),
    }
}

fn null_bytes_error(vm: &Vm) -> PyRef {
    vm.new_exception_msg(&vm.exc.syntax_error, "source code string cannot contain null bytes")
}

/// A filename argument: str, or bytes decoded as UTF-8 (os.fsdecode-like).
fn filename_arg(vm: &Vm, v: &Value) -> PyResult<String> {
    if let Some(s) = vm.as_str(v) {
        return Ok(s.to_string());
    }
    if let Some(b) = v.payload().and_then(|p| p.as_bytes()) {
        return Ok(String::from_utf8_lossy(b).into_owned());
    }
    if let Some(f) = vm.special(v, Slot::Fspath) {
        let r = vm.call_unbound(&f, v, &[])?;
        return filename_arg(vm, &r);
    }
    Err(vm.new_type_error(format!(
        "expected str, bytes or os.PathLike object, not {}",
        vm.type_name_of(v)
    )))
}

fn compile(vm: &Vm, args: Args) -> PyResult {
    let names = ["source", "filename", "mode", "flags", "dont_inherit", "optimize", "_feature_version"];
    let b = vm.bind_native("compile", args, &names, 0, 3, Some(6))?;
    let filename = filename_arg(vm, b[1].as_ref().unwrap())?;
    let mode_v = b[2].as_ref().unwrap();
    let mode = match vm.as_str(mode_v) {
        Some("exec") => krait_compiler::Mode::Exec,
        Some("eval") => krait_compiler::Mode::Eval,
        Some("single") => krait_compiler::Mode::Single,
        Some(_) => return Err(vm.new_value_error("compile() mode must be 'exec', 'eval' or 'single'")),
        None => {
            return Err(vm.new_type_error(format!(
                "compile() argument 'mode' must be str, not {}",
                vm.type_name_of(mode_v)
            )));
        }
    };
    for i in [3, 5] {
        if let Some(v) = &b[i] {
            vm.index(v)?;
        }
    }
    let source = b[0].as_ref().unwrap();
    if matches!(source.payload(), Some(Payload::Code(_))) {
        return Ok(source.clone());
    }
    let flags = match &b[3] {
        Some(v) => vm.to_index_i64(v)?,
        None => 0,
    };
    // AST objects in, or an AST out (PyCF_ONLY_AST): modules/ast.
    let mode_name = vm.as_str(mode_v).unwrap_or("exec");
    if let Some(r) = crate::modules::ast::compile_hook(vm, source, &filename, mode_name, flags)? {
        return Ok(r);
    }
    compile_source(vm, "compile", source, &filename, mode)
}

/// The globals and locals of exec/eval: checked, defaulted to the caller's,
/// and `__builtins__` added to globals when missing.
fn exec_namespaces(vm: &Vm, globals: Option<&Value>, locals: Option<&Value>) -> PyResult<(PyRef, Value)> {
    let globals = globals.filter(|g| !g.is_none());
    let locals = locals.filter(|l| !l.is_none());
    let (g, l) = match (globals, locals) {
        (None, l) => {
            let g = pending::current_globals(vm)?;
            let l = match l {
                Some(l) => l.clone(),
                None => pending::current_locals(vm)?,
            };
            (g, l)
        }
        (Some(g), None) => (g.clone(), g.clone()),
        (Some(g), Some(l)) => (g.clone(), l.clone()),
    };
    let gd = match &g {
        Value::Obj(o) if o.payload.as_dict().is_some() => o.clone(),
        _ => {
            return Err(vm.new_type_error(if globals.is_some() {
                "globals must be a dict".to_string()
            } else {
                "globals must be a real dict; try eval(expr, {}, mapping)".to_string()
            }));
        }
    };
    if vm.special(&l, Slot::GetItem).is_none() {
        return Err(vm.new_type_error("locals must be a mapping"));
    }
    let key = vm.intern("__builtins__");
    if vm.dict_get_str(&gd, &key).is_none() {
        vm.dict_set_str(&gd, &key, Value::Obj(vm.builtins.clone()));
    }
    Ok((gd, l))
}

fn eval(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("eval", args, 1, 3)?;
    let a = args.args;
    let (g, l) = exec_namespaces(vm, a.get(1), a.get(2))?;
    let src = &a[0];
    let code = if matches!(src.payload(), Some(Payload::Code(_))) {
        src.clone()
    } else {
        // eval() ignores leading spaces and tabs (not newlines: those are fine anyway).
        let stripped;
        let src = match vm.as_str(src) {
            Some(s) if s.starts_with([' ', '\t']) => {
                stripped = vm.new_str(s.trim_start_matches([' ', '\t']));
                &stripped
            }
            _ => src,
        };
        compile_source(vm, "eval", src, "<string>", krait_compiler::Mode::Eval)?
    };
    pending::exec_code(vm, &code, &g, &l)
}

fn exec(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    for (k, _) in args.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        if k != "closure" {
            return Err(vm.new_type_error(format!("exec() got an unexpected keyword argument '{k}'")));
        }
    }
    if pos.is_empty() || pos.len() > 3 {
        return Err(vm.new_type_error(if pos.is_empty() {
            format!("exec expected at least 1 argument, got {}", pos.len())
        } else {
            format!("exec expected at most 3 arguments, got {}", pos.len())
        }));
    }
    let (g, l) = exec_namespaces(vm, pos.get(1), pos.get(2))?;
    let src = &pos[0];
    let code = if matches!(src.payload(), Some(Payload::Code(_))) {
        src.clone()
    } else {
        compile_source(vm, "exec", src, "<string>", krait_compiler::Mode::Exec)?
    };
    pending::exec_code(vm, &code, &g, &l)?;
    Ok(Value::None)
}

fn input(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("input", args, 0, 1)?;
    let stdout = sys_attr(vm, "stdout").filter(|v| !v.is_none());
    let stdin = match sys_attr(vm, "stdin") {
        Some(v) if !v.is_none() => v,
        _ => return Err(vm.new_runtime_error("input(): lost sys.stdin")),
    };
    if let Some(err) = sys_attr(vm, "stderr").filter(|v| !v.is_none()) {
        // CPython flushes stderr first so pending diagnostics come out before the prompt.
        let _ = vm.call_method(&err, "flush", &[]);
    }
    if let Some(out) = &stdout {
        if let Some(p) = args.args.first() {
            let s = vm.str(p)?;
            write_to(vm, out, s.payload.as_str().unwrap().as_str())?;
        }
        vm.call_method(out, "flush", &[])?;
    } else if !args.args.is_empty() {
        return Err(vm.new_runtime_error("input(): lost sys.stdout"));
    }
    let line = vm.call_method(&stdin, "readline", &[])?;
    let s = match vm.as_str(&line) {
        Some(s) => s,
        None => return Err(vm.new_type_error("object.readline() returned non-string")),
    };
    if s.is_empty() {
        return Err(vm.new_exception_msg(&vm.exc.eof_error, "EOF when reading a line"));
    }
    Ok(vm.new_str(s.strip_suffix('\n').unwrap_or(s)))
}

fn import(vm: &Vm, args: Args) -> PyResult {
    let b = vm.bind_native("__import__", args, &["name", "globals", "locals", "fromlist", "level"], 0, 1, None)?;
    let name = b[0].clone().unwrap();
    if vm.as_str(&name).is_none() {
        return Err(vm.new_type_error(format!(
            "__import__() argument 1 must be str, not {}",
            vm.type_name_of(&name)
        )));
    }
    let level = match &b[4] {
        Some(l) => vm.to_index_i64(l)?,
        None => 0,
    };
    if level < 0 {
        return Err(vm.new_value_error("level must be >= 0"));
    }
    if vm.as_str(&name) == Some("") && level == 0 {
        return Err(vm.new_value_error("Empty module name"));
    }
    let none = Value::None;
    pending::import_name(
        vm,
        &name,
        b[1].as_ref().unwrap_or(&none),
        b[2].as_ref().unwrap_or(&none),
        b[3].as_ref().unwrap_or(&none),
        level,
    )
}
