//! The Python-visible behaviour of BaseException and its builtin subclasses:
//! construction (`__new__`/`__init__`), `str`/`repr`, the standard attributes
//! (`args`, `__traceback__`, `__cause__`, `__context__`, ...), and the extra
//! attributes of StopIteration, SystemExit, OSError, ImportError,
//! AttributeError/NameError, SyntaxError, the Unicode errors and exception
//! groups.
//!
//! Per-type attributes live in a dict in `ExceptionData::extra` (not in the
//! instance `__dict__`, which CPython keeps free of them). Exceptions the VM
//! creates natively (`vm.new_exception`) never run `__init__`, so the fields
//! are derived from `args` the first time one is read.

use crate::object::PyRef;
use crate::payload::{GetSetDef, Payload};
use crate::types::exception::ExceptionData;
use crate::value::Value;
use crate::{Args, NativeDef, PyResult, Vm};

fn exc_data<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a ExceptionData> {
    v.payload()
        .and_then(|p| p.as_exception())
        .ok_or_else(|| vm.new_type_error(format!("descriptor requires a 'BaseException' object but received '{}'", vm.type_name_of(v))))
}

fn args_of(vm: &Vm, e: &ExceptionData) -> Vec<Value> {
    e.args.get().and_then(|a| vm.seq_items(&a)).unwrap_or_default()
}

/// The dict of per-type fields, created (and filled from `args`) on first use.
pub(crate) fn extra_dict(vm: &Vm, exc: &PyRef) -> Option<PyRef> {
    let data = exc.payload.as_exception()?;
    if let Some(Value::Obj(d)) = data.extra.get() {
        return Some(d);
    }
    let d = vm.new_dict();
    data.extra.set(Some(Value::Obj(d.clone())));
    let args = args_of(vm, data);
    // Natively made exceptions: derive the fields as __init__ would have.
    let _ = fill_fields(vm, exc, &args);
    Some(d)
}

/// Fields kept in the instance `__dict__` rather than in `extra`: the VM's
/// attribute/name/import error paths and the traceback printer ("Did you
/// mean") read and write them there directly.
const DICT_FIELDS: [&str; 3] = ["name", "obj", "path"];

/// A per-type field (`errno`, `value`, `name`, ...); None when unset.
pub fn get_field(vm: &Vm, exc: &PyRef, name: &str) -> Value {
    if DICT_FIELDS.contains(&name) {
        let d = vm.instance_dict(&Value::Obj(exc.clone()), false);
        return d.and_then(|d| vm.dict_get_str(&d, &vm.intern(name))).unwrap_or(Value::None);
    }
    extra_dict(vm, exc).and_then(|d| vm.dict_get_str(&d, &vm.intern(name))).unwrap_or(Value::None)
}

/// Sets a per-type field (used by the VM for AttributeError.name/obj and by import).
pub fn set_field(vm: &Vm, exc: &PyRef, name: &str, value: Value) {
    let d = if DICT_FIELDS.contains(&name) { vm.instance_dict(&Value::Obj(exc.clone()), true) } else { extra_dict(vm, exc) };
    if let Some(d) = d {
        vm.dict_set_str(&d, &vm.intern(name), value);
    }
}

/// Runs the type-specific part of `__init__` on a natively created exception
/// (e.g. a SyntaxError built from a compile error).
pub fn init_exception_fields(vm: &Vm, exc: &PyRef, args: &[Value]) -> PyResult<()> {
    extra_dict(vm, exc);
    fill_fields(vm, exc, args)
}

fn is_a(vm: &Vm, exc: &PyRef, typ: &PyRef) -> bool {
    vm.is_subtype(exc.class(), typ)
}

/// Does `cls` derive from one of the builtin exceptions whose constructor
/// arguments fill per-type fields (`fill_fields`) or whose `__init__` takes
/// keywords (`allowed_kwargs`)? One walk of the MRO instead of a dozen
/// `is_subtype` calls: most exceptions (ValueError, KeyError, user classes
/// of Exception) have neither, and their `__init__` then only sets `args`.
fn has_special_init(vm: &Vm, cls: &PyRef) -> bool {
    let x = &vm.exc;
    let special = [
        &x.stop_iteration,
        &x.stop_async_iteration,
        &x.system_exit,
        &x.import_error,
        &x.os_error,
        &x.syntax_error,
        &x.unicode_decode_error,
        &x.unicode_encode_error,
        &x.unicode_translate_error,
        &x.attribute_error,
        &x.name_error,
    ];
    let Some(t) = cls.payload.as_type() else { return true };
    let mro = t.mro.borrow();
    for c in mro.iter() {
        // These all derive from BaseException, so C3 puts them before it in
        // any MRO that has them.
        if c.is(&x.base_exception) {
            return false;
        }
        let builtin = c.payload.as_type().is_some_and(|ct| !ct.is_heap());
        if builtin && !c.is(&x.exception) && special.iter().any(|s| c.is(s)) {
            return true;
        }
    }
    false
}

/// Sets the per-type fields from constructor arguments.
fn fill_fields(vm: &Vm, exc: &PyRef, args: &[Value]) -> PyResult<()> {
    let x = &vm.exc;
    let set = |n: &str, v: Value| {
        if let Some(Value::Obj(d)) = exc.payload.as_exception().and_then(|e| e.extra.get()) {
            vm.dict_set_str(&d, &vm.intern(n), v);
        }
    };
    if !has_special_init(vm, exc.class()) {
        return Ok(());
    }
    let first = args.first().cloned().unwrap_or(Value::None);
    if is_a(vm, exc, &x.stop_iteration) || is_a(vm, exc, &x.stop_async_iteration) {
        set("value", first);
    } else if is_a(vm, exc, &x.system_exit) {
        set("code", if args.len() > 1 { vm.new_tuple(args.to_vec()) } else { first });
    } else if is_a(vm, exc, &x.import_error) {
        set("msg", if args.len() == 1 { first } else { Value::None });
    } else if is_a(vm, exc, &x.os_error) {
        if (2..=5).contains(&args.len()) {
            set("errno", args[0].clone());
            set("strerror", args[1].clone());
            if let Some(f) = args.get(2).filter(|f| !f.is_none()) {
                set("filename", f.clone());
                if let Some(f2) = args.get(4) {
                    set("filename2", f2.clone());
                }
                // CPython keeps only (errno, strerror) in args once a filename is given.
                if let Some(e) = exc.payload.as_exception() {
                    e.args.set(Some(vm.new_tuple(args[..2].to_vec())));
                }
            }
        }
    } else if is_a(vm, exc, &x.syntax_error) {
        set("msg", first);
        if args.len() == 2 {
            let info = vm.collect_iter(&args[1])?;
            if info.len() < 4 {
                return Err(vm.new_type_error(format!("function takes at least 4 arguments ({} given)", info.len())));
            }
            if info.len() > 6 {
                return Err(vm.new_type_error(format!("function takes at most 6 arguments ({} given)", info.len())));
            }
            if info.len() == 5 {
                return Err(vm.new_type_error("end_offset must be provided when end_lineno is provided"));
            }
            for (name, v) in ["filename", "lineno", "offset", "text", "end_lineno", "end_offset"].iter().zip(info) {
                set(name, v);
            }
        }
    } else if is_a(vm, exc, &x.unicode_decode_error)
        || is_a(vm, exc, &x.unicode_encode_error)
        || is_a(vm, exc, &x.unicode_translate_error)
    {
        let translate = is_a(vm, exc, &x.unicode_translate_error);
        let decode = is_a(vm, exc, &x.unicode_decode_error);
        let want = if translate { 4 } else { 5 };
        if args.len() != want {
            return Err(vm.new_type_error(format!(
                "function takes exactly {want} arguments ({} given)",
                args.len()
            )));
        }
        let need_str = |i: usize| -> PyResult<Value> {
            match vm.as_str(&args[i]) {
                Some(_) => Ok(args[i].clone()),
                None => Err(vm.new_type_error(format!(
                    "argument {} must be str, not {}",
                    i + 1,
                    vm.type_name_of(&args[i])
                ))),
            }
        };
        let off = if translate { 0 } else { 1 };
        let encoding = if translate { Value::None } else { need_str(0)? };
        let object = if decode {
            match args[1].payload().map(|p| p.base()) {
                Some(Payload::Bytes(_)) => args[1].clone(),
                Some(Payload::ByteArray(b)) => vm.new_bytes(b.borrow().clone()),
                _ => {
                    return Err(vm.new_type_error(format!(
                        "a bytes-like object is required, not '{}'",
                        vm.type_name_of(&args[1])
                    )));
                }
            }
        } else {
            need_str(off)?
        };
        let start = vm.to_index_i64(&args[off + 1])?;
        let end = vm.to_index_i64(&args[off + 2])?;
        let reason = need_str(off + 3)?;
        set("encoding", encoding);
        set("object", object);
        set("start", Value::Int(start));
        set("end", Value::Int(end));
        set("reason", reason);
    }
    Ok(())
}

/// errno values (Linux) that make `OSError(errno, ...)` a subclass.
fn os_error_subclass(vm: &Vm, errno: i64) -> Option<PyRef> {
    let x = &vm.exc;
    Some(
        match errno {
            11 | 114 | 115 => &x.blocking_io_error,
            10 => &x.child_process_error,
            32 | 108 => &x.broken_pipe_error,
            103 => &x.connection_aborted_error,
            111 => &x.connection_refused_error,
            104 => &x.connection_reset_error,
            17 => &x.file_exists_error,
            2 => &x.file_not_found_error,
            21 => &x.is_a_directory_error,
            20 => &x.not_a_directory_error,
            4 => &x.interrupted_error,
            1 | 13 => &x.permission_error,
            3 => &x.process_lookup_error,
            110 => &x.timeout_error,
            _ => return None,
        }
        .clone(),
    )
}

/// The OSError (subclass by errno) for a Rust I/O error, with CPython's
/// strerror text and the filename(s), e.g. `[Errno 2] No such file or
/// directory: 'x'`.
pub fn os_error_from_io(vm: &Vm, err: &std::io::Error, filename: Option<Value>, filename2: Option<Value>) -> PyRef {
    let errno = err.raw_os_error();
    let text = err.to_string();
    // Rust appends " (os error N)" to the C library's message.
    let strerror = match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let (typ, errno_v) = match errno {
        Some(n) => (os_error_subclass(vm, n as i64).unwrap_or_else(|| vm.exc.os_error.clone()), Value::Int(n as i64)),
        None => (vm.exc.os_error.clone(), Value::None),
    };
    let mut args = vec![errno_v, vm.new_str(strerror)];
    if let Some(f) = filename {
        args.push(f);
        if let Some(f2) = filename2 {
            args.push(Value::Int(0));
            args.push(f2);
        }
    }
    let e = vm.new_exception(&typ, args.clone());
    let _ = init_exception_fields(vm, &e, &args);
    e
}

// ---- __new__ / __init__ -------------------------------------------------

fn check_exc_class(vm: &Vm, owner: &str, cls: &Value) -> PyResult<PyRef> {
    match cls {
        Value::Obj(c) if c.payload.as_type().is_some() => {
            if !vm.is_subtype(c, &vm.exc.base_exception) {
                let n = vm.type_name(c);
                return Err(vm.new_type_error(format!("{owner}.__new__({n}): {n} is not a subtype of BaseException")));
            }
            Ok(c.clone())
        }
        _ => Err(vm.new_type_error(format!(
            "{owner}.__new__(X): X is not a type object ({})",
            vm.type_name_of(cls)
        ))),
    }
}

fn make_exc(vm: &Vm, cls: &PyRef, args: &[Value]) -> PyRef {
    let data = ExceptionData::default();
    data.args.set(Some(vm.new_tuple(args.to_vec())));
    PyRef::new(cls.clone(), Payload::Exception(Box::new(data)))
}

fn base_new(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    let cls = match pos.first() {
        Some(c) => check_exc_class(vm, "BaseException", c)?,
        None => return Err(vm.new_type_error("BaseException.__new__(): not enough arguments")),
    };
    Ok(Value::Obj(make_exc(vm, &cls, &pos[1..])))
}

fn os_error_new(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    let mut cls = match pos.first() {
        Some(c) => check_exc_class(vm, "OSError", c)?,
        None => return Err(vm.new_type_error("OSError.__new__(): not enough arguments")),
    };
    if os_error_use_init(vm, &cls) {
        // A subclass with its own __init__: the arguments are parsed there.
        return Ok(Value::Obj(make_exc(vm, &cls, &[])));
    }
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("{}() takes no keyword arguments", vm.type_name(&cls))));
    }
    let rest = &pos[1..];
    if cls.is(&vm.exc.os_error) && (2..=5).contains(&rest.len()) {
        if let Value::Int(n) = rest[0] {
            if let Some(sub) = os_error_subclass(vm, n) {
                cls = sub;
            }
        }
    }
    let e = make_exc(vm, &cls, rest);
    extra_dict(vm, &e);
    Ok(Value::Obj(e))
}

/// CPython's `oserror_use_init`: a type that overrides `__init__` but keeps
/// OSError's `__new__` has its arguments parsed by `__init__`, not `__new__`.
fn os_error_use_init(vm: &Vm, cls: &PyRef) -> bool {
    let own = |name: &str| vm.type_lookup_str(&vm.exc.os_error, name);
    let same = |a: Option<Value>, b: Option<Value>| matches!((a, b), (Some(a), Some(b)) if a.is(&b));
    !same(vm.type_lookup_str(cls, "__init__"), own("__init__")) && same(vm.type_lookup_str(cls, "__new__"), own("__new__"))
}

/// `OSError.__init__`: does nothing unless `os_error_use_init` (everything was
/// done by `__new__`).
fn os_error_init(vm: &Vm, args: Args) -> PyResult {
    let this = match args.args.first() {
        Some(v) => v.clone(),
        None => return Err(vm.new_type_error("descriptor '__init__' of 'OSError' object needs an argument")),
    };
    if !os_error_use_init(vm, vm.class_of(&this)) {
        return Ok(Value::None);
    }
    base_init(vm, args)
}

/// The keyword arguments a type's `__init__` accepts.
fn allowed_kwargs(vm: &Vm, exc: &PyRef) -> &'static [&'static str] {
    if is_a(vm, exc, &vm.exc.import_error) {
        &["name", "path"]
    } else if is_a(vm, exc, &vm.exc.attribute_error) {
        &["name", "obj"]
    } else if is_a(vm, exc, &vm.exc.name_error) {
        &["name"]
    } else {
        &[]
    }
}

fn base_init(vm: &Vm, args: Args) -> PyResult {
    let pos = args.positional();
    let this = match pos.first() {
        Some(v) => v,
        None => return Err(vm.new_type_error("descriptor '__init__' of 'BaseException' object needs an argument")),
    };
    let data = exc_data(vm, this)?;
    let exc = this.as_obj().unwrap();
    let rest = &pos[1..];
    if !args.has_kwargs() && !has_special_init(vm, exc.class()) {
        // The common case: only `args` to set, and no per-type fields (the
        // field dict stays uncreated until something reads it). `__new__`
        // has usually stored a tuple of these same objects already: keep it.
        let same = match data.args.get() {
            Some(Value::Obj(t)) => t.payload.as_tuple().is_some_and(|items| {
                t.class().is(&vm.types.tuple)
                    && items.len() == rest.len()
                    && items.iter().zip(rest).all(|(a, b)| a.is(b))
            }),
            _ => false,
        };
        if !same {
            data.args.set(Some(vm.new_tuple(rest.to_vec())));
        }
        return Ok(Value::None);
    }
    let allowed = allowed_kwargs(vm, exc);
    let tname = vm.type_name_of(this);
    if args.has_kwargs() && allowed.is_empty() {
        return Err(vm.new_type_error(format!("{tname}() takes no keyword arguments")));
    }
    for (k, _) in args.keywords() {
        let k = vm.as_str(k).unwrap_or("");
        if !allowed.contains(&k) {
            return Err(vm.new_type_error(format!("'{k}' is an invalid keyword argument for {tname}()")));
        }
    }
    data.args.set(Some(vm.new_tuple(rest.to_vec())));
    extra_dict(vm, exc);
    fill_fields(vm, exc, rest)?;
    if is_a(vm, exc, &vm.exc.import_error) {
        // `ImportError.__init__` resets what its keywords do not give.
        set_field(vm, exc, "name", Value::None);
        set_field(vm, exc, "path", Value::None);
    }
    for (k, v) in args.keywords() {
        set_field(vm, exc, vm.as_str(k).unwrap_or(""), v.clone());
    }
    Ok(Value::None)
}

// ---- str / repr -----------------------------------------------------------

fn self_arg<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<&'a Value> {
    args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' of 'BaseException' object needs an argument")))
}

fn base_str_of(vm: &Vm, this: &Value) -> PyResult {
    let args = args_of(vm, exc_data(vm, this)?);
    match args.len() {
        0 => Ok(Value::Obj(vm.intern(""))),
        1 => Ok(Value::Obj(vm.str(&args[0])?)),
        _ => Ok(Value::Obj(vm.str(&vm.new_tuple(args))?)),
    }
}

fn base_str(vm: &Vm, args: Args) -> PyResult {
    base_str_of(vm, self_arg(vm, &args, "__str__")?)
}

fn base_repr(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__repr__")?;
    let a = args_of(vm, exc_data(vm, this)?);
    let name = vm.type_name_of(this);
    let inner = if a.len() == 1 {
        vm.repr_string(&a[0])?
    } else {
        let t = vm.repr_string(&vm.new_tuple(a))?;
        t[1..t.len() - 1].to_string()
    };
    // A 1-tuple repr ends with ',' only inside a tuple; `a.len() == 1` was handled above.
    Ok(vm.new_str(format!("{name}({inner})")))
}

fn key_error_str(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__str__")?;
    let a = args_of(vm, exc_data(vm, this)?);
    if a.len() == 1 {
        return Ok(Value::Obj(vm.repr(&a[0])?));
    }
    base_str_of(vm, this)
}

fn import_error_str(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__str__")?;
    let msg = get_field(vm, this.as_obj().unwrap(), "msg");
    if let Value::Obj(o) = &msg {
        if o.class().is(&vm.types.str) {
            return Ok(msg);
        }
    }
    base_str_of(vm, this)
}

fn os_error_str(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__str__")?;
    exc_data(vm, this)?;
    let e = this.as_obj().unwrap();
    let (errno, strerror) = (get_field(vm, e, "errno"), get_field(vm, e, "strerror"));
    let (f1, f2) = (get_field(vm, e, "filename"), get_field(vm, e, "filename2"));
    if !f1.is_none() {
        let head = format!("[Errno {}] {}: {}", vm.str_string(&errno)?, vm.str_string(&strerror)?, vm.repr_string(&f1)?);
        if !f2.is_none() {
            return Ok(vm.new_str(format!("{head} -> {}", vm.repr_string(&f2)?)));
        }
        return Ok(vm.new_str(head));
    }
    if !errno.is_none() && !strerror.is_none() {
        return Ok(vm.new_str(format!("[Errno {}] {}", vm.str_string(&errno)?, vm.str_string(&strerror)?)));
    }
    base_str_of(vm, this)
}

fn syntax_error_str(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__str__")?;
    exc_data(vm, this)?;
    let e = this.as_obj().unwrap();
    let msg = vm.str_string(&get_field(vm, e, "msg"))?;
    let filename = get_field(vm, e, "filename");
    // CPython shows only the last path component.
    let file = vm.as_str(&filename).map(|f| f.rsplit('/').next().unwrap_or(f).to_string());
    let lineno = match get_field(vm, e, "lineno") {
        Value::Int(n) => Some(n),
        _ => None,
    };
    Ok(vm.new_str(match (file, lineno) {
        (Some(f), Some(n)) => format!("{msg} ({f}, line {n})"),
        (Some(f), None) => format!("{msg} ({f})"),
        (None, Some(n)) => format!("{msg} (line {n})"),
        (None, None) => msg,
    }))
}

fn char_escape(cp: u32) -> String {
    if cp <= 0xff {
        format!("\\x{cp:02x}")
    } else if cp <= 0xffff {
        format!("\\u{cp:04x}")
    } else {
        format!("\\U{cp:08x}")
    }
}

fn unicode_error_str(vm: &Vm, args: Args) -> PyResult {
    let this = self_arg(vm, &args, "__str__")?;
    exc_data(vm, this)?;
    let e = this.as_obj().unwrap();
    let object = get_field(vm, e, "object");
    if object.is_none() {
        return Ok(Value::Obj(vm.intern("")));
    }
    let start = vm.to_index_i64(&get_field(vm, e, "start")).unwrap_or(0);
    let end = vm.to_index_i64(&get_field(vm, e, "end")).unwrap_or(0);
    let reason = vm.str_string(&get_field(vm, e, "reason"))?;
    let encoding = get_field(vm, e, "encoding");
    let x = &vm.exc;
    if is_a(vm, e, &x.unicode_decode_error) {
        let enc = vm.str_string(&encoding)?;
        let bytes = object.payload().and_then(|p| p.as_bytes()).unwrap_or(&[]);
        if start >= 0 && (start as usize) < bytes.len() && end == start + 1 {
            return Ok(vm.new_str(format!(
                "'{enc}' codec can't decode byte 0x{:02x} in position {start}: {reason}",
                bytes[start as usize]
            )));
        }
        return Ok(vm.new_str(format!("'{enc}' codec can't decode bytes in position {start}-{}: {reason}", end - 1)));
    }
    let s = vm.as_str(&object).unwrap_or("");
    let n = s.chars().count() as i64;
    let single = start >= 0 && start < n && end == start + 1;
    let ch = match (single, object.payload()) {
        // Code points, lone surrogates included.
        (true, Some(Payload::Str(ps))) => ps.code_points().nth(start as usize).map(char_escape),
        (true, _) => s.chars().nth(start as usize).map(|c| char_escape(c as u32)),
        _ => None,
    };
    let (prefix, verb) = if is_a(vm, e, &x.unicode_encode_error) {
        (format!("'{}' codec can't ", vm.str_string(&encoding)?), "encode")
    } else {
        (String::new(), "can't translate")
    };
    Ok(vm.new_str(match ch {
        Some(c) => format!("{prefix}{verb} character '{c}' in position {start}: {reason}"),
        None => format!("{prefix}{verb} characters in position {start}-{}: {reason}", end - 1),
    }))
}

// ---- methods ----------------------------------------------------------------

fn with_traceback(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("with_traceback", args, 2, 2)?;
    set_traceback(vm, &args.args[0], Some(args.args[1].clone()))?;
    Ok(args.args[0].clone())
}

fn add_note(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("add_note", args, 2, 2)?;
    let (this, note) = (&args.args[0], &args.args[1]);
    if vm.as_str(note).is_none() {
        return Err(vm.new_type_error(format!("note must be a str, not '{}'", vm.type_name_of(note))));
    }
    let notes = match vm.getattr_opt(this, "__notes__")? {
        Some(n) => n,
        None => {
            let l = vm.new_list(Vec::new());
            vm.setattr_str(this, "__notes__", l.clone())?;
            l
        }
    };
    match notes.payload().and_then(|p| p.as_list()) {
        Some(l) => {
            l.borrow_mut().push(note.clone());
            Ok(Value::None)
        }
        None => Err(vm.new_type_error("Cannot add note: __notes__ is not a list")),
    }
}

fn reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let this = &args.args[0];
    let data = exc_data(vm, this)?;
    reduce_with(vm, this, data, data.args.get().unwrap_or_else(|| vm.new_tuple(vec![])))
}

/// `BaseException.__setstate__(state)`: the attributes in dict `state` are
/// set on the exception (None sets nothing).
fn setstate(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__setstate__", args, 2, 2)?;
    let (this, state) = (&args.args[0], &args.args[1]);
    exc_data(vm, this)?;
    if state.is_none() {
        return Ok(Value::None);
    }
    let d = match state {
        Value::Obj(d) if d.payload.as_dict().is_some() => d,
        _ => return Err(vm.new_type_error("state is not a dictionary")),
    };
    for (key, _, value) in crate::types::dict_methods::entries_hashed(d) {
        match &key {
            Value::Obj(k) if k.payload.as_str().is_some() => vm.setattr(this, k, Some(value))?,
            _ => {
                return Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(&key))))
            }
        }
    }
    Ok(Value::None)
}

/// `OSError.__reduce__`: the filenames go back into the constructor arguments.
fn os_error_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let this = &args.args[0];
    let data = exc_data(vm, this)?;
    let mut a = args_of(vm, data);
    let e = this.as_obj().unwrap();
    let filename = get_field(vm, e, "filename");
    if a.len() == 2 && !filename.is_none() {
        a.push(filename);
        let filename2 = get_field(vm, e, "filename2");
        if !filename2.is_none() {
            a.push(Value::None);
            a.push(filename2);
        }
    }
    reduce_with(vm, this, data, vm.new_tuple(a))
}

fn reduce_with(vm: &Vm, this: &Value, data: &ExceptionData, a: Value) -> PyResult {
    let mut items = vec![Value::Obj(vm.type_of(this)), a];
    if let Some(Value::Obj(d)) = data.dict.get() {
        if vm.dict_len(&d) > 0 {
            items.push(Value::Obj(d));
        }
    }
    Ok(vm.new_tuple(items))
}

// ---- standard attributes ------------------------------------------------

fn get_args(vm: &Vm, v: &Value) -> PyResult {
    Ok(exc_data(vm, v)?.args.get().unwrap_or_else(|| vm.new_tuple(vec![])))
}
fn set_args(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    match val {
        None => Err(vm.new_type_error("args may not be deleted")),
        Some(val) => {
            let items = vm.collect_iter(&val)?;
            data.args.set(Some(vm.new_tuple(items)));
            Ok(())
        }
    }
}
fn get_traceback(vm: &Vm, v: &Value) -> PyResult {
    Ok(exc_data(vm, v)?.traceback.get().unwrap_or(Value::None))
}
fn set_traceback(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    match val {
        None => Err(vm.new_type_error("__traceback__ may not be deleted")),
        Some(Value::None) => {
            data.traceback.set(None);
            Ok(())
        }
        Some(t) if matches!(t.payload(), Some(Payload::Traceback(_))) => {
            data.traceback.set(Some(t));
            Ok(())
        }
        Some(_) => Err(vm.new_type_error("__traceback__ must be a traceback or None")),
    }
}
fn get_cause(vm: &Vm, v: &Value) -> PyResult {
    Ok(exc_data(vm, v)?.cause.get().unwrap_or(Value::None))
}
fn check_chain(vm: &Vm, val: Option<Value>, what: &str) -> PyResult<Option<Value>> {
    match val {
        None => Err(vm.new_type_error(format!("__{what}__ may not be deleted"))),
        Some(Value::None) => Ok(None),
        Some(c) if matches!(c.payload(), Some(Payload::Exception(_))) => Ok(Some(c)),
        Some(_) => Err(vm.new_type_error(format!("exception {what} must be None or derive from BaseException"))),
    }
}
fn set_cause(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    let c = check_chain(vm, val, "cause")?;
    data.cause.set(c);
    // Setting __cause__ (even to None) suppresses the context, as `raise ... from`.
    data.suppress_context.set(true);
    Ok(())
}
fn get_context(vm: &Vm, v: &Value) -> PyResult {
    Ok(exc_data(vm, v)?.context.get().unwrap_or(Value::None))
}
fn set_context(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    let c = check_chain(vm, val, "context")?;
    data.context.set(c);
    Ok(())
}
fn get_suppress(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Bool(exc_data(vm, v)?.suppress_context.get()))
}
fn set_suppress(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    match val {
        Some(Value::Bool(b)) => {
            data.suppress_context.set(b);
            Ok(())
        }
        None => Err(vm.new_type_error("can't delete attribute")),
        Some(_) => Err(vm.new_type_error("attribute value type must be bool")),
    }
}
fn get_dict(vm: &Vm, v: &Value) -> PyResult {
    exc_data(vm, v)?;
    Ok(vm.instance_dict(v, true).map(Value::Obj).unwrap_or(Value::None))
}
fn set_dict(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
    let data = exc_data(vm, v)?;
    match val {
        Some(d @ Value::Obj(_)) if d.payload().and_then(|p| p.as_dict()).is_some() => {
            data.dict.set(Some(d));
            Ok(())
        }
        None => Err(vm.new_type_error("cannot delete __dict__")),
        Some(d) => Err(vm.new_type_error(format!(
            "__dict__ must be set to a dictionary, not a '{}'",
            vm.type_name_of(&d)
        ))),
    }
}

/// Getter/setter pairs for the per-type fields.
macro_rules! fields {
    ($($get:ident, $set:ident, $name:literal;)*) => {
        $(
            fn $get(vm: &Vm, v: &Value) -> PyResult {
                exc_data(vm, v)?;
                Ok(get_field(vm, v.as_obj().unwrap(), $name))
            }
            fn $set(vm: &Vm, v: &Value, val: Option<Value>) -> PyResult<()> {
                exc_data(vm, v)?;
                set_field(vm, v.as_obj().unwrap(), $name, val.unwrap_or(Value::None));
                Ok(())
            }
        )*
    };
}

fields! {
    get_value, set_value, "value";
    get_code, set_code, "code";
    get_errno, set_errno, "errno";
    get_strerror, set_strerror, "strerror";
    get_filename, set_filename, "filename";
    get_filename2, set_filename2, "filename2";
    get_msg, set_msg, "msg";
    get_name, set_name, "name";
    get_path, set_path, "path";
    get_obj, set_obj, "obj";
    get_lineno, set_lineno, "lineno";
    get_offset, set_offset, "offset";
    get_text, set_text, "text";
    get_end_lineno, set_end_lineno, "end_lineno";
    get_end_offset, set_end_offset, "end_offset";
    get_pfal, set_pfal, "print_file_and_line";
    get_encoding, set_encoding, "encoding";
    get_object, set_object, "object";
    get_start, set_start, "start";
    get_end, set_end, "end";
    get_reason, set_reason, "reason";
}

const fn gs(
    name: &'static str,
    get: fn(&Vm, &Value) -> PyResult,
    set: fn(&Vm, &Value, Option<Value>) -> PyResult<()>,
) -> GetSetDef {
    GetSetDef { name, get, set: Some(set), doc: "" }
}

static BASE_METHODS: [NativeDef; 8] = [
    NativeDef::staticmethod("__new__", base_new),
    NativeDef::method("__init__", base_init),
    NativeDef::method("__str__", base_str),
    NativeDef::method("__repr__", base_repr),
    NativeDef::method("with_traceback", with_traceback),
    NativeDef::method("add_note", add_note),
    NativeDef::method("__reduce__", reduce),
    NativeDef::method("__setstate__", setstate),
];
static BASE_GETSETS: [GetSetDef; 6] = [
    gs("args", get_args, set_args),
    gs("__traceback__", get_traceback, set_traceback),
    gs("__cause__", get_cause, set_cause),
    gs("__context__", get_context, set_context),
    gs("__suppress_context__", get_suppress, set_suppress),
    gs("__dict__", get_dict, set_dict),
];
static KEY_ERROR_METHODS: [NativeDef; 1] = [NativeDef::method("__str__", key_error_str)];
static STOP_GETSETS: [GetSetDef; 1] = [gs("value", get_value, set_value)];
static EXIT_GETSETS: [GetSetDef; 1] = [gs("code", get_code, set_code)];
static OS_METHODS: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", os_error_new),
    NativeDef::method("__reduce__", os_error_reduce),
    NativeDef::method("__init__", os_error_init),
    NativeDef::method("__str__", os_error_str),
];
static OS_GETSETS: [GetSetDef; 4] = [
    gs("errno", get_errno, set_errno),
    gs("strerror", get_strerror, set_strerror),
    gs("filename", get_filename, set_filename),
    gs("filename2", get_filename2, set_filename2),
];
static IMPORT_METHODS: [NativeDef; 1] = [NativeDef::method("__str__", import_error_str)];
static IMPORT_GETSETS: [GetSetDef; 3] =
    [gs("msg", get_msg, set_msg), gs("name", get_name, set_name), gs("path", get_path, set_path)];
static ATTR_GETSETS: [GetSetDef; 2] = [gs("name", get_name, set_name), gs("obj", get_obj, set_obj)];
static NAME_GETSETS: [GetSetDef; 1] = [gs("name", get_name, set_name)];
static SYNTAX_METHODS: [NativeDef; 1] = [NativeDef::method("__str__", syntax_error_str)];
static SYNTAX_GETSETS: [GetSetDef; 8] = [
    gs("msg", get_msg, set_msg),
    gs("filename", get_filename, set_filename),
    gs("lineno", get_lineno, set_lineno),
    gs("offset", get_offset, set_offset),
    gs("text", get_text, set_text),
    gs("end_lineno", get_end_lineno, set_end_lineno),
    gs("end_offset", get_end_offset, set_end_offset),
    gs("print_file_and_line", get_pfal, set_pfal),
];
static UNICODE_METHODS: [NativeDef; 1] = [NativeDef::method("__str__", unicode_error_str)];
static UNICODE_GETSETS: [GetSetDef; 5] = [
    gs("encoding", get_encoding, set_encoding),
    gs("object", get_object, set_object),
    gs("start", get_start, set_start),
    gs("end", get_end, set_end),
    gs("reason", get_reason, set_reason),
];

pub fn init(vm: &Vm) {
    use crate::types::{add_getsets, add_methods};
    let x = &vm.exc;
    add_methods(vm, &x.base_exception, &BASE_METHODS);
    add_getsets(vm, &x.base_exception, &BASE_GETSETS);
    add_methods(vm, &x.key_error, &KEY_ERROR_METHODS);
    add_getsets(vm, &x.stop_iteration, &STOP_GETSETS);
    add_getsets(vm, &x.stop_async_iteration, &STOP_GETSETS);
    add_getsets(vm, &x.system_exit, &EXIT_GETSETS);
    add_methods(vm, &x.os_error, &OS_METHODS);
    add_getsets(vm, &x.os_error, &OS_GETSETS);
    add_methods(vm, &x.import_error, &IMPORT_METHODS);
    add_getsets(vm, &x.import_error, &IMPORT_GETSETS);
    add_getsets(vm, &x.attribute_error, &ATTR_GETSETS);
    add_getsets(vm, &x.name_error, &NAME_GETSETS);
    add_methods(vm, &x.syntax_error, &SYNTAX_METHODS);
    add_getsets(vm, &x.syntax_error, &SYNTAX_GETSETS);
    for t in [&x.unicode_decode_error, &x.unicode_encode_error, &x.unicode_translate_error] {
        add_methods(vm, t, &UNICODE_METHODS);
        add_getsets(vm, t, &UNICODE_GETSETS);
    }
    super::exception_group::init(vm);
}

/// For `exception_group.rs`: the message and exceptions fields.
pub(crate) fn group_fields(vm: &Vm, e: &PyRef) -> (Value, Value) {
    (get_field(vm, e, "message"), get_field(vm, e, "exceptions"))
}

/// For `exception_group.rs`: a new exception object of `cls` with `args`.
pub(crate) fn new_raw(vm: &Vm, cls: &PyRef, args: &[Value]) -> PyRef {
    let e = make_exc(vm, cls, args);
    extra_dict(vm, &e);
    e
}
