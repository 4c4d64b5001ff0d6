//! The `sys` module: interpreter settings and state that Python code reads
//! (argv, path, modules, streams, limits, version) and the hooks it calls.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// CPython version krait implements.
pub const VERSION_INFO: (i64, i64, i64) = (3, 11, 7);

static FUNCTIONS: &[NativeDef] = &[
    NativeDef::function("exit", sys_exit),
    NativeDef::function("getrecursionlimit", sys_getrecursionlimit),
    NativeDef::function("setrecursionlimit", sys_setrecursionlimit),
    NativeDef::function("getrefcount", sys_getrefcount),
    NativeDef::function("exc_info", sys_exc_info),
    NativeDef::function("exception", sys_exception),
    NativeDef::function("intern", sys_intern),
    NativeDef::function("getsizeof", sys_getsizeof),
    NativeDef::function("get_int_max_str_digits", sys_get_int_max_str_digits),
    NativeDef::function("set_int_max_str_digits", sys_set_int_max_str_digits),
    NativeDef::function("getdefaultencoding", sys_getdefaultencoding),
    NativeDef::function("getfilesystemencoding", sys_getdefaultencoding),
    NativeDef::function("getfilesystemencodeerrors", sys_getfilesystemencodeerrors),
    NativeDef::function("getswitchinterval", sys_getswitchinterval),
    NativeDef::function("setswitchinterval", sys_setswitchinterval),
    NativeDef::function("settrace", sys_noop),
    NativeDef::function("setprofile", sys_noop),
    NativeDef::function("gettrace", sys_none),
    NativeDef::function("getprofile", sys_none),
    NativeDef::function("displayhook", sys_displayhook),
    NativeDef::function("excepthook", sys_excepthook),
    NativeDef::function("unraisablehook", sys_unraisablehook),
    NativeDef::function("_getframe", sys_getframe),
    NativeDef::function("is_finalizing", sys_is_finalizing),
    NativeDef::function("_asyncgen_hooks", sys_asyncgen_hooks),
    NativeDef::function("set_coroutine_origin_tracking_depth", sys_set_coroutine_origin_tracking_depth),
    NativeDef::function("get_coroutine_origin_tracking_depth", sys_get_coroutine_origin_tracking_depth),
    NativeDef::function("audit", sys_noop),
    NativeDef::function("addaudithook", sys_noop),
];

/// Builds `sys` (called once at VM start; streams and argv are set by `finish_init`).
pub fn init(vm: &Vm) {
    let dict = sys_dict(vm);
    let set = |name: &str, v: Value| vm.dict_set_str(&dict, &vm.intern(name), v);
    set("__name__", vm.new_str("sys"));
    set("__doc__", Value::None);
    for def in FUNCTIONS {
        set(def.name, vm.new_native_function(def, None));
        if def.name == "displayhook" || def.name == "excepthook" || def.name == "unraisablehook" {
            set(&format!("__{}__", def.name), vm.new_native_function(def, None));
        }
    }
    set("modules", Value::Obj(vm.modules.clone()));
    set("maxsize", Value::Int(i64::MAX));
    set("maxunicode", Value::Int(0x10FFFF));
    set("byteorder", vm.new_str(if cfg!(target_endian = "little") { "little" } else { "big" }));
    set("platform", vm.new_str(std::env::consts::OS));
    let (ma, mi, mc) = VERSION_INFO;
    set("version", vm.new_str(format!("{ma}.{mi}.{mc} (krait {}) [rustc]", env!("CARGO_PKG_VERSION"))));
    set("hexversion", Value::Int((ma << 24) | (mi << 16) | (mc << 8) | 0xf0));
    set("api_version", Value::Int(1013));
    set("copyright", vm.new_str("Copyright (c) krait developers."));
    set("float_repr_style", vm.new_str("short"));
    set("abiflags", vm.new_str(""));
    set("dont_write_bytecode", Value::Bool(vm.config.dont_write_bytecode));
    set("executable", vm.new_str(vm.config.executable.clone()));
    set("_base_executable", vm.new_str(vm.config.executable.clone()));
    let prefix = vm
        .config
        .stdlib_dir
        .as_deref()
        .and_then(|d| std::path::Path::new(d).parent().and_then(|p| p.parent()))
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_default();
    for n in ["prefix", "base_prefix", "exec_prefix", "base_exec_prefix"] {
        set(n, vm.new_str(prefix.clone()));
    }
    set("platlibdir", vm.new_str("lib"));
    set("pycache_prefix", Value::None);
    set("meta_path", vm.new_list(vec![]));
    set("path_hooks", vm.new_list(vec![]));
    set("path_importer_cache", Value::Obj(vm.new_dict()));
    set("warnoptions", vm.new_list(vm.config.warnoptions.iter().map(|w| vm.new_str(w.as_str())).collect()));
    let xopts = vm.new_dict();
    for x in &vm.config.xoptions {
        let (k, v) = match x.split_once('=') {
            Some((k, v)) => (k.to_string(), vm.new_str(v)),
            None => (x.clone(), Value::Bool(true)),
        };
        let _ = vm.dict_set(&xopts, vm.new_str(k), v);
    }
    set("_xoptions", Value::Obj(xopts));
    set(
        "builtin_module_names",
        vm.new_tuple(["builtins", "sys"].iter().map(|s| vm.new_str(*s)).collect()),
    );
    let argv: Vec<Value> = vm.config.argv.iter().map(|a| vm.new_str(a.as_str())).collect();
    set("argv", vm.new_list(argv.clone()));
    set("orig_argv", vm.new_list(argv));
    let mut path: Vec<Value> = vm.config.path_prepend.iter().map(|p| vm.new_str(p.as_str())).collect();
    if let Some(lib) = &vm.config.stdlib_dir {
        path.push(vm.new_str(lib.as_str()));
    }
    set("path", vm.new_list(path));
    vm.dict_set_str(&vm.modules, &vm.intern("sys"), Value::Obj(vm.sys.clone()));
    vm.dict_set_str(&vm.modules, &vm.intern("builtins"), Value::Obj(vm.builtins.clone()));
    crate::modules::imp::register(vm);
}

/// The structured values (`version_info`, `flags`, `implementation`, ...) are
/// small Python classes: defining them in Python keeps their reprs and
/// attribute access exactly CPython's with no native struct-sequence type.
pub const STRUCTSEQ_SOURCE: &str = r#"
def _structseq(name, fields, values, module='sys'):
    def _make(cls, vals):
        return tuple.__new__(cls, vals)
    prefix = '' if module == 'builtins' else module + '.'
    def _repr(self):
        return '%s%s(%s)' % (prefix, name, ', '.join('%s=%r' % (f, v) for f, v in zip(fields, self)))
    ns = {'__slots__': (), '__repr__': _repr, '__match_args__': tuple(fields), 'n_fields': len(fields),
          'n_sequence_fields': len(fields), 'n_unnamed_fields': 0, '__module__': module}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    cls = type(name, (tuple,), ns)
    return _make(cls, values)
version_info = _structseq('version_info', ('major', 'minor', 'micro', 'releaselevel', 'serial'), (3, 11, 7, 'final', 0))
flags = _structseq('flags', ('debug', 'inspect', 'interactive', 'optimize', 'dont_write_bytecode',
    'no_user_site', 'no_site', 'ignore_environment', 'verbose', 'bytes_warning', 'quiet',
    'hash_randomization', 'isolated', 'dev_mode', 'utf8_mode', 'warn_default_encoding', 'safe_path',
    'int_max_str_digits'), _flag_values)
float_info = _structseq('float_info', ('max', 'max_exp', 'max_10_exp', 'min', 'min_exp', 'min_10_exp',
    'dig', 'mant_dig', 'epsilon', 'radix', 'rounds'),
    (1.7976931348623157e+308, 1024, 308, 2.2250738585072014e-308, -1021, -307, 15, 53, 2.220446049250313e-16, 2, 1))
int_info = _structseq('int_info', ('bits_per_digit', 'sizeof_digit', 'default_max_str_digits',
    'str_digits_check_threshold'), (30, 4, 4300, 640))
hash_info = _structseq('hash_info', ('width', 'modulus', 'inf', 'nan', 'imag', 'algorithm', 'hash_bits',
    'seed_bits', 'cutoff'), (64, 2305843009213693951, 314159, 0, 1000003, 'siphash13', 64, 128, 0))
thread_info = _structseq('thread_info', ('name', 'lock', 'version'), ('pthread', 'mutex+cond', None))
# PEP 525's hooks, kept per thread by the interpreter: `_asyncgen_hooks()`
# gives the pair, `_asyncgen_hooks(firstiter, finalizer)` sets it.
def _asyncgen_api(structseq, hooks):
    missing = object()
    hooks_type = type(structseq('asyncgen_hooks', ('firstiter', 'finalizer'), (None, None), 'builtins'))
    def get_asyncgen_hooks():
        return tuple.__new__(hooks_type, hooks())
    def set_asyncgen_hooks(firstiter=missing, finalizer=missing):
        if finalizer is not missing and finalizer is not None and not callable(finalizer):
            raise TypeError("callable finalizer expected, got %s" % type(finalizer).__name__)
        if firstiter is not missing and firstiter is not None and not callable(firstiter):
            raise TypeError("callable firstiter expected, got %s" % type(firstiter).__name__)
        old_firstiter, old_finalizer = hooks()
        hooks(old_firstiter if firstiter is missing else firstiter, old_finalizer if finalizer is missing else finalizer)
    return get_asyncgen_hooks, set_asyncgen_hooks
get_asyncgen_hooks, set_asyncgen_hooks = _asyncgen_api(_structseq, _asyncgen_hooks)
del _asyncgen_hooks
# The argument of sys.unraisablehook (taken out of sys by `finish_init`).
_UnraisableHookArgs = type(_structseq('UnraisableHookArgs', ('exc_type', 'exc_value', 'exc_traceback',
    'err_msg', 'object'), (None,) * 5, 'builtins'))
del _asyncgen_api
# None: no bytecode caches (PEP 421), so importlib never needs marshal.
implementation = _SimpleNamespace(name='krait', cache_tag=None, version=version_info, hexversion=0x030b07f0,
    _multiarch='x86_64-linux-gnu')
del _structseq, _SimpleNamespace
# Stand-ins for importlib's default finders until importlib is loaded (krait's
# import statement does their work natively); asked directly, they load
# importlib and hand over to the real class.
def _finder(name, module):
    def find_spec(cls, fullname, path=None, target=None):
        import importlib.machinery
        return getattr(importlib.machinery, name).find_spec(fullname, path, target)
    return type(name, (), {'find_spec': classmethod(find_spec), '__module__': module})
meta_path.extend([_finder('BuiltinImporter', '_frozen_importlib'), _finder('FrozenImporter', '_frozen_importlib'),
                  _finder('PathFinder', '_frozen_importlib_external')])
del _finder
"#;

/// Runs the Python part of `sys` (needs the compiler and eval loop, so it runs
/// after the VM is built).
pub fn finish_init(vm: &Vm) -> PyResult<()> {
    let dict = sys_dict(vm);
    let c = &vm.config;
    let flags = vec![
        Value::Int(0),
        Value::Int(c.inspect as i64),
        Value::Int(0),
        Value::Int(c.optimize as i64),
        Value::Int(c.dont_write_bytecode as i64),
        Value::Int(0),
        Value::Int(c.no_site as i64),
        Value::Int(c.ignore_environment as i64),
        Value::Int(0),
        Value::Int(0),
        Value::Int(0),
        // hash_randomization: krait's str hashes use the fixed key of PYTHONHASHSEED=0.
        Value::Int(0),
        Value::Int(0),
        Value::Bool(c.dev_mode),
        Value::Int(0),
        Value::Int(0),
        Value::Bool(false),
        Value::Int(-1),
    ];
    vm.dict_set_str(&dict, &vm.intern("_flag_values"), vm.new_tuple(flags));
    let ns = crate::types::namespace::namespace_type(vm);
    vm.dict_set_str(&dict, &vm.intern("_SimpleNamespace"), Value::Obj(ns));
    // The native modules are registered by now; os.py looks for 'posix' here.
    let mut names: Vec<String> = vm.native_modules.borrow().keys().cloned().collect();
    names.extend(["builtins".to_string(), "sys".to_string()]);
    names.sort();
    names.dedup();
    let names = vm.new_tuple(names.into_iter().map(|s| vm.new_str(s)).collect());
    vm.dict_set_str(&dict, &vm.intern("builtin_module_names"), names);
    let (stdin, stdout, stderr) = crate::builtins::io::make_std_streams(vm);
    for (name, stream) in [("stdin", stdin), ("stdout", stdout), ("stderr", stderr)] {
        vm.dict_set_str(&dict, &vm.intern(name), stream.clone());
        vm.dict_set_str(&dict, &vm.intern(&format!("__{name}__")), stream);
    }
    vm.dict_set_str(&dict, &vm.intern("__builtins__"), Value::Obj(vm.builtins.clone()));
    let code = krait_compiler::compile(STRUCTSEQ_SOURCE, "<sys>", krait_compiler::Mode::Exec)
        .map_err(|e| vm.compile_error_to_exception(&e))?;
    let code = vm.load_code(code);
    vm.run_module_code(&code, &dict)?;
    if let Some(mp) = sys_attr(vm, "meta_path") {
        crate::modules::imp::set_placeholder_finders(vm, vm.collect_iter(&mp)?);
    }
    let _ = vm.dict_remove(&dict, &vm.new_str("_flag_values"));
    if let Some(Value::Obj(cls)) = vm.dict_get_str(&dict, &vm.intern("_UnraisableHookArgs")) {
        *vm.unraisable_hook_args.borrow_mut() = Some(cls);
        let _ = vm.dict_remove(&dict, &vm.new_str("_UnraisableHookArgs"));
    }
    let _ = vm.dict_remove(&dict, &vm.new_str("__builtins__"));
    Ok(())
}

/// The dict of the sys module.
pub fn sys_dict(vm: &Vm) -> PyRef {
    match &vm.sys.payload {
        Payload::Module(m) => m.dict.clone(),
        _ => unreachable!("sys is a module"),
    }
}

/// `sys.<name>` or None.
pub fn sys_attr(vm: &Vm, name: &str) -> Option<Value> {
    vm.dict_get_str(&sys_dict(vm), &vm.intern(name))
}

fn sys_exit(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exit", args, 0, 1)?;
    // As PyErr_SetObject: None means no arguments, a tuple is the argument list.
    let exc_args = match args.args.first() {
        None | Some(Value::None) => Vec::new(),
        Some(v) => match v.payload().map(|p| p.base()) {
            Some(Payload::Tuple(t)) => t.to_vec(),
            _ => vec![v.clone()],
        },
    };
    let exc = vm.new_exception(&vm.exc.system_exit, exc_args);
    Err(exc)
}

fn sys_getrecursionlimit(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getrecursionlimit", args, 0, 0)?;
    Ok(Value::Int(vm.recursion_limit.get() as i64))
}

fn sys_setrecursionlimit(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("setrecursionlimit", args, 1, 1)?;
    let n = match &args.args[0] {
        Value::Int(i) => *i,
        Value::Float(_) => return Err(vm.new_type_error("'float' object cannot be interpreted as an integer")),
        v => vm.to_index_i64(v)?,
    };
    if n < 1 {
        return Err(vm.new_value_error("recursion limit must be greater or equal than 1"));
    }
    let depth = vm.recursion_depth.get() as i64;
    if n <= depth {
        return Err(vm.new_recursion_error(format!(
            "cannot set the recursion limit to {n} at the recursion depth {depth}: the limit is too low"
        )));
    }
    vm.recursion_limit.set(n.min(u32::MAX as i64) as u32);
    Ok(Value::None)
}

fn sys_getrefcount(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getrefcount", args, 1, 1)?;
    Ok(Value::Int(match &args.args[0] {
        // The argument itself holds one reference, as in CPython.
        Value::Obj(o) if o.is_immortal() => u32::MAX as i64,
        Value::Obj(o) => o.refcount() as i64,
        _ => u32::MAX as i64,
    }))
}

fn current_exception(vm: &Vm) -> Option<Value> {
    vm.exc_stack.borrow().iter().rev().find_map(|e| e.clone()).filter(|e| !e.is_none())
}

fn sys_exc_info(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exc_info", args, 0, 0)?;
    Ok(match current_exception(vm) {
        Some(e) => {
            let typ = Value::Obj(vm.type_of(&e));
            let tb = vm.getattr_str(&e, "__traceback__")?;
            vm.new_tuple(vec![typ, e, tb])
        }
        None => vm.new_tuple(vec![Value::None, Value::None, Value::None]),
    })
}

fn sys_exception(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exception", args, 0, 0)?;
    Ok(current_exception(vm).unwrap_or(Value::None))
}

fn sys_intern(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("intern", args, 1, 1)?;
    match vm.as_str(&args.args[0]) {
        Some(s) if vm.class_of(&args.args[0]).is(&vm.types.str) => Ok(Value::Obj(vm.intern(s))),
        _ => Err(vm.new_type_error(format!(
            "intern() argument must be str, not {}",
            vm.type_name_of(&args.args[0])
        ))),
    }
}

/// `sys.getsizeof(object[, default])`, as CPython's `_PySys_GetSizeOf`:
/// `__sizeof__` looked up on the type, its result an int (TypeError "an
/// integer is required" otherwise, OverflowError past a ssize_t), not
/// negative (ValueError); the collector's header added for GC objects (see
/// `object_size.rs`). `default` replaces any TypeError, as in CPython.
fn sys_getsizeof(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("getsizeof", args, &["object", "default"], 0, 1, None)?;
    let obj = a[0].clone().unwrap();
    match sizeof_of(vm, &obj) {
        Ok(n) => Ok(vm.new_int((n + crate::object_size::gc_header_size(&obj) as u64).into())),
        Err(e) if a[1].is_some() && vm.exception_matches(&e, &vm.exc.type_error) => Ok(a[1].clone().unwrap()),
        Err(e) => Err(e),
    }
}

/// The checked result of `type(obj).__sizeof__(obj)`.
fn sizeof_of(vm: &Vm, obj: &Value) -> PyResult<u64> {
    let Some(f) = vm.type_lookup_str(&vm.type_of(obj), "__sizeof__") else {
        return Err(vm.new_type_error(format!("Type {} doesn't define __sizeof__", vm.type_name_of(obj))));
    };
    let r = vm.call_unbound(&f, obj, &[])?;
    let n: i64 = match &r {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::Obj(o) => match o.payload.as_int() {
            Some(i) => i64::try_from(i).map_err(|_| vm.new_overflow_error("Python int too large to convert to C ssize_t"))?,
            None => return Err(vm.new_type_error("an integer is required")),
        },
        _ => return Err(vm.new_type_error("an integer is required")),
    };
    if n < 0 {
        return Err(vm.new_value_error("__sizeof__() should return >= 0"));
    }
    Ok(n as u64)
}

fn sys_get_int_max_str_digits(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_int_max_str_digits", args, 0, 0)?;
    Ok(Value::Int(vm.int_max_str_digits.get() as i64))
}

fn sys_set_int_max_str_digits(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("set_int_max_str_digits", args, &["maxdigits"], 0, 1, None)?;
    let n = vm.to_index_i64(a[0].as_ref().unwrap())?;
    if n != 0 && n < 640 {
        return Err(vm.new_value_error("maxdigits must be 0 or larger than 640"));
    }
    vm.int_max_str_digits.set(n as usize);
    Ok(Value::None)
}

fn sys_getdefaultencoding(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getdefaultencoding", args, 0, 0)?;
    Ok(vm.new_str("utf-8"))
}

fn sys_getfilesystemencodeerrors(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getfilesystemencodeerrors", args, 0, 0)?;
    Ok(vm.new_str("surrogateescape"))
}

fn sys_getswitchinterval(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("getswitchinterval", args, 0, 0)?;
    Ok(Value::Float(vm.gil.switch_interval()))
}

/// `setswitchinterval(interval)`: how long a thread may keep the GIL while
/// another waits for it (`gil.rs`).
fn sys_setswitchinterval(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("setswitchinterval", args, 1, 1)?;
    let v = &args.args[0];
    let secs = match crate::types::float::float_of(v) {
        Some(f) => f,
        None => match vm.index(v) {
            Ok(Value::Int(i)) => i as f64,
            _ => return Err(vm.new_type_error(format!("must be real number, not {}", vm.type_name_of(v)))),
        },
    };
    if !(secs > 0.0) {
        return Err(vm.new_value_error("switch interval must be strictly positive"));
    }
    vm.gil.set_switch_interval(secs);
    Ok(Value::None)
}

fn sys_noop(_vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::None)
}

fn sys_none(_vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::None)
}

/// The running thread's async generator hooks: with no arguments, the pair
/// (firstiter, finalizer); with two, sets them (None for no hook). The
/// Python part of `sys` checks the arguments and then deletes this.
fn sys_asyncgen_hooks(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_asyncgen_hooks", args, 0, 2)?;
    if let [firstiter, finalizer] = args.args {
        let hook = |v: &Value| Some(v.clone()).filter(|v| !v.is_none());
        *vm.asyncgen_hooks.borrow_mut() = [hook(firstiter), hook(finalizer)];
        return Ok(Value::None);
    }
    let [firstiter, finalizer] = vm.asyncgen_hooks.borrow().clone();
    Ok(vm.new_tuple(vec![firstiter.unwrap_or(Value::None), finalizer.unwrap_or(Value::None)]))
}

fn sys_is_finalizing(vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::Bool(vm.finalizing.get()))
}

/// `sys.displayhook(value)`: prints repr(value) and stores it in `builtins._`.
fn sys_displayhook(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("displayhook", args, 1, 1)?;
    let v = &args.args[0];
    if v.is_none() {
        return Ok(Value::None);
    }
    vm.dict_set_str(&vm.builtins_dict, &vm.intern("_"), Value::None);
    let text = vm.repr_string(v)?;
    vm.write_stdout(&format!("{text}\n"))?;
    vm.dict_set_str(&vm.builtins_dict, &vm.intern("_"), v.clone());
    Ok(Value::None)
}

fn sys_excepthook(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("excepthook", args, 3, 3)?;
    if let Value::Obj(e) = &args.args[1] {
        vm.print_exception(e);
    }
    Ok(Value::None)
}

/// The default `sys.unraisablehook`: writes the report to stderr.
fn sys_unraisablehook(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("unraisablehook", args, 1, 1)?;
    let u = &args.args[0];
    let wanted = vm.unraisable_hook_args.borrow().clone();
    let fields: Vec<Value> = match (u.payload().and_then(|p| p.as_tuple()), wanted) {
        (Some(t), Some(cls)) if t.len() == 5 && vm.class_of(u).is(&cls) => t.to_vec(),
        _ => return Err(vm.new_type_error("sys.unraisablehook argument type must be UnraisableHookArgs")),
    };
    crate::finalize::write_unraisable_default(vm, &fields[0], &fields[1], &fields[2], &fields[3], &fields[4]);
    Ok(Value::None)
}

/// `set_coroutine_origin_tracking_depth(depth)`: for this thread.
fn sys_set_coroutine_origin_tracking_depth(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("set_coroutine_origin_tracking_depth", args, &["depth"], 0, 1, None)?;
    let depth = vm.to_index_i64(a[0].as_ref().unwrap())?;
    if depth < 0 {
        return Err(vm.new_value_error("depth must be >= 0"));
    }
    vm.coro_origin_depth.set(depth.min(u32::MAX as i64) as u32);
    Ok(Value::None)
}

fn sys_get_coroutine_origin_tracking_depth(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("get_coroutine_origin_tracking_depth", args, 0, 0)?;
    Ok(Value::Int(vm.coro_origin_depth.get() as i64))
}

fn sys_getframe(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_getframe", args, 0, 1)?;
    let depth = match args.args.first() {
        Some(v) => vm.to_index_i64(v)?,
        None => 0,
    };
    // A negative depth means the innermost frame, as in CPython.
    match vm.frame_object_at(depth.max(0) as usize) {
        Some(f) => Ok(Value::Obj(f)),
        None => Err(vm.new_value_error("call stack is not deep enough")),
    }
}

impl Vm {
    /// Writes text to `sys.stdout` (via its `write` method).
    pub fn write_stdout(&self, text: &str) -> PyResult<()> {
        self.write_stream("stdout", text)
    }

    /// Writes text to `sys.stderr`; falls back to the process's stderr when
    /// sys.stderr is missing or broken (errors while reporting errors).
    pub fn write_stderr(&self, text: &str) {
        if self.write_stream("stderr", text).is_err() {
            use std::io::Write;
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }

    fn write_stream(&self, name: &str, text: &str) -> PyResult<()> {
        match sys_attr(self, name) {
            Some(stream) if !stream.is_none() => {
                self.call_method(&stream, "write", &[self.new_str(text)])?;
                Ok(())
            }
            _ => Err(self.new_runtime_error(format!("lost sys.{name}"))),
        }
    }
}
