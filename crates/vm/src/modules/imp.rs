//! The `_imp` module: what importlib's `_bootstrap` needs from the
//! interpreter. Native modules are "built-in" (`is_builtin`,
//! `create_builtin`, `exec_builtin`); krait has no frozen modules and cannot
//! load C extensions. Also `_warnings` (only `warn`, so that warnings.py uses
//! its pure-Python filters) and `marshal` (made in `marshal.rs`; importlib
//! imports it, but with `sys.implementation.cache_tag` None it never reads
//! or writes bytecode caches).

use crate::object::PyRef;
use crate::payload::{ModuleData, Payload};
use crate::types::function::NativeDef;
use crate::value::Value;
use crate::{Args, PyResult, Vm};

/// Makes `_imp`, `_warnings` and `marshal` importable.
pub fn register(vm: &Vm) {
    let mut m = vm.native_modules.borrow_mut();
    m.insert("_imp".to_string(), make_imp);
    m.insert("_warnings".to_string(), make_warnings);
    m.insert("marshal".to_string(), make_marshal);
}

fn module(vm: &Vm, name: &str, funcs: &'static [NativeDef], attrs: Vec<(&str, Value)>) -> PyRef {
    let dict = vm.new_dict();
    vm.dict_set_str(&dict, &vm.intern("__name__"), vm.new_str(name));
    vm.dict_set_str(&dict, &vm.intern("__doc__"), Value::None);
    for def in funcs {
        vm.dict_set_str(&dict, &vm.intern(def.name), vm.new_native_function(def, None));
    }
    for (k, v) in attrs {
        vm.dict_set_str(&dict, &vm.intern(k), v);
    }
    PyRef::new(vm.types.module.clone(), Payload::Module(Box::new(ModuleData { dict })))
}

static IMP_FUNCS: &[NativeDef] = &[
    NativeDef::function("is_builtin", imp_is_builtin),
    NativeDef::function("_override_frozen_modules_for_tests", imp_override_frozen),
    NativeDef::function("create_builtin", imp_create_builtin),
    NativeDef::function("exec_builtin", imp_exec),
    NativeDef::function("exec_dynamic", imp_exec),
    NativeDef::function("create_dynamic", imp_create_dynamic),
    NativeDef::function("is_frozen", imp_false),
    NativeDef::function("is_frozen_package", imp_no_frozen),
    NativeDef::function("get_frozen_object", imp_no_frozen),
    NativeDef::function("init_frozen", imp_none),
    NativeDef::function("find_frozen", imp_none),
    NativeDef::function("acquire_lock", imp_none),
    NativeDef::function("release_lock", imp_none),
    NativeDef::function("lock_held", imp_false),
    NativeDef::function("extension_suffixes", imp_extension_suffixes),
    NativeDef::function("_fix_co_filename", imp_none),
    NativeDef::function("source_hash", imp_source_hash),
    NativeDef::function("_frozen_module_names", imp_frozen_module_names),
];

fn make_imp(vm: &Vm) -> PyResult<PyRef> {
    Ok(module(vm, "_imp", IMP_FUNCS, vec![("check_hash_based_pycs", vm.new_str("default"))]))
}

fn str_arg(vm: &Vm, fname: &str, v: &Value) -> PyResult<String> {
    match vm.as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => Err(vm.new_type_error(format!("{fname}() argument must be str, not {}", vm.type_name_of(v)))),
    }
}

/// `_override_frozen_modules_for_tests(override)`: test.support switches
/// CPython between frozen and source stdlib modules with it. krait always
/// runs the stdlib from source, so there is nothing to switch.
fn imp_override_frozen(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_override_frozen_modules_for_tests", args, 1, 1)?;
    vm.to_index_i64(&args.args[0])?;
    Ok(Value::None)
}

/// 1 for a native module, -1 for `sys`/`builtins` (which cannot be
/// re-initialised), 0 otherwise: CPython's answers.
fn imp_is_builtin(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("is_builtin", args, 1, 1)?;
    let name = str_arg(vm, "is_builtin", &args.args[0])?;
    Ok(Value::Int(if name == "sys" || name == "builtins" {
        -1
    } else if vm.native_modules.borrow().contains_key(&name) {
        1
    } else {
        0
    }))
}

/// `create_builtin(spec)`: the native module `spec.name`. A module already
/// in `sys.modules` is returned as is (native modules are created once).
fn imp_create_builtin(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("create_builtin", args, 1, 1)?;
    let name = vm.getattr_str(&args.args[0], "name")?;
    let name = match vm.as_str(&name) {
        Some(s) => s.to_string(),
        None => {
            return Err(vm.new_type_error(format!("name must be string, not {}", vm.type_name_of(&name))))
        }
    };
    if let Some(m) = vm.sys_modules_get(&name) {
        if matches!(m.payload, Payload::Module(_)) {
            return Ok(Value::Obj(m));
        }
    }
    match name.as_str() {
        "sys" => return Ok(Value::Obj(vm.sys.clone())),
        "builtins" => return Ok(Value::Obj(vm.builtins.clone())),
        _ => {}
    }
    let init = vm.native_modules.borrow().get(&name).copied();
    match init {
        Some(f) => Ok(Value::Obj(f(vm)?)),
        None => {
            let e = vm.new_import_error(format!("no built-in module named {name}"));
            Err(e)
        }
    }
}

fn imp_exec(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("exec_builtin", args, 1, 1)?;
    Ok(Value::Int(0))
}

fn imp_create_dynamic(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("create_dynamic", args, 1, 2)?;
    let name = vm.getattr_str(&args.args[0], "name")?;
    let name = vm.repr_string(&name)?;
    Err(vm.new_import_error(format!("krait cannot load extension module {name}")))
}

fn imp_false(_vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::Bool(false))
}

fn imp_none(_vm: &Vm, _args: Args) -> PyResult {
    Ok(Value::None)
}

fn imp_no_frozen(vm: &Vm, args: Args) -> PyResult {
    let name = match args.args.first() {
        Some(v) => vm.repr_string(v)?,
        None => return Err(vm.new_type_error("expected 1 argument, got 0")),
    };
    Err(vm.new_import_error(format!("No such frozen object named {name}")))
}

/// krait freezes no modules: every module, `importlib` included, is
/// compiled from its source (or the bytecode cache).
fn imp_frozen_module_names(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_frozen_module_names", args, 0, 0)?;
    Ok(vm.new_list(Vec::new()))
}

fn imp_extension_suffixes(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("extension_suffixes", args, 0, 0)?;
    Ok(vm.new_list(vec![]))
}

/// `source_hash(key, source)`: an 8-byte keyed hash of the source (krait
/// never checks hash-based pycs, but the value is stable per key and source).
fn imp_source_hash(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("source_hash", args, &["key", "source"], 0, 2, None)?;
    let key = vm.to_index_i64(a[0].as_ref().unwrap())?;
    let src = a[1].as_ref().unwrap();
    let data: Vec<u8> = match src.payload().map(|p| p.base()) {
        Some(Payload::Bytes(b)) => b.bytes.to_vec(),
        _ => return Err(vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(src)))),
    };
    let mut h: u64 = 0xcbf29ce484222325 ^ key as u64;
    for b in data {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    Ok(vm.new_bytes(h.to_le_bytes().to_vec()))
}

// ---- _warnings ----

static WARNINGS_FUNCS: &[NativeDef] = &[NativeDef::function("warn", warnings_warn)];

fn make_warnings(vm: &Vm) -> PyResult<PyRef> {
    Ok(module(vm, "_warnings", WARNINGS_FUNCS, vec![]))
}

/// `_warnings.warn(...)`: hands over to `warnings.warn`. A native call adds
/// no frame, so the same `stacklevel` names the same caller.
fn warnings_warn(vm: &Vm, args: Args) -> PyResult {
    let warnings = vm.import_full("warnings")?;
    let f = vm.getattr_str(&Value::Obj(warnings), "warn")?;
    vm.call(&f, args)
}

// ---- marshal ----

fn make_marshal(vm: &Vm) -> PyResult<PyRef> {
    Ok(module(vm, "marshal", super::marshal::FUNCS, vec![("version", Value::Int(super::marshal::VERSION))]))
}

// ---- the bridge between krait's import system and importlib ----
//
// importlib's bootstrap is not loaded at start-up (compiling it would double
// the start-up time). `import importlib` imports `_frozen_importlib` and
// `_frozen_importlib_external` as CPython's does; krait makes them from
// importlib/_bootstrap*.py and installs them (`_install`), which fills
// `sys.meta_path` and `sys.path_hooks`. From then on, modules krait loads get
// a `ModuleSpec` and a loader, and earlier ones are given theirs.

/// sys.meta_path's stand-ins for BuiltinImporter, FrozenImporter and
/// PathFinder, per interpreter (`vm.state`).
#[derive(Default)]
struct Placeholders {
    finders: std::cell::RefCell<Vec<Value>>,
}

/// Records the stand-in finders `sys` put on `sys.meta_path`.
pub fn set_placeholder_finders(vm: &Vm, finders: Vec<Value>) {
    // The old ones die outside the borrow.
    let old = vm.state::<Placeholders>().finders.replace(finders);
    drop(old);
}

fn placeholders(vm: &Vm) -> Option<(Value, Value, Value)> {
    match vm.state::<Placeholders>().finders.borrow().as_slice() {
        [a, b, c] => Some((a.clone(), b.clone(), c.clone())),
        _ => None,
    }
}

fn module_get(vm: &Vm, m: &PyRef, name: &str) -> Option<Value> {
    match &m.payload {
        Payload::Module(md) => vm.dict_get_str(&md.dict, &vm.intern(name)),
        _ => None,
    }
}

impl Vm {
    /// (BuiltinImporter, FrozenImporter, PathFinder) once importlib's
    /// bootstrap is installed: krait's own search stands in for them.
    pub(crate) fn bootstrap_finders(&self) -> Option<(Value, Value, Value)> {
        self.real_bootstrap_finders().or_else(|| placeholders(self))
    }

    /// krait's native import needs the spec machinery of these, when loaded.
    pub(crate) fn importlib_ready(&self) -> bool {
        self.real_bootstrap_finders().is_some()
    }

    fn real_bootstrap_finders(&self) -> Option<(Value, Value, Value)> {
        let b = self.sys_modules_get("_frozen_importlib")?;
        let e = self.sys_modules_get("_frozen_importlib_external")?;
        Some((
            module_get(self, &b, "BuiltinImporter")?,
            module_get(self, &b, "FrozenImporter")?,
            module_get(self, &e, "PathFinder")?,
        ))
    }

    pub(crate) fn call_module_fn(&self, m: &PyRef, name: &str, args: &[Value]) -> PyResult {
        let f = self.getattr_str(&Value::Obj(m.clone()), name)?;
        self.call(&f, Args::new(args))
    }

    /// `_frozen_importlib` / `_frozen_importlib_external`: importlib's
    /// bootstrap modules, run from the stdlib source and installed.
    pub(crate) fn load_bootstrap_module(&self, name: &str) -> PyResult<Option<PyRef>> {
        let file = match name {
            "_frozen_importlib" => "_bootstrap.py",
            "_frozen_importlib_external" => "_bootstrap_external.py",
            _ => return Ok(None),
        };
        let Some(lib) = self.config.stdlib_dir.clone() else { return Ok(None) };
        let path = format!("{lib}/importlib/{file}");
        let Ok(source) = std::fs::read(&path) else { return Ok(None) };
        let external = name == "_frozen_importlib_external";
        if external && self.sys_modules_get("_frozen_importlib").is_none() {
            // Installing `_frozen_importlib` imports and installs this one.
            self.import_full("_frozen_importlib")?;
            return Ok(self.sys_modules_get(name));
        }
        let frozen = format!("<frozen importlib.{}>", file.trim_end_matches(".py"));
        let code = krait_compiler::compile_bytes(&source, &frozen, krait_compiler::Mode::Exec)
            .map_err(|e| self.compile_error_to_exception(&e))?;
        let code = self.load_code(code);
        let module = self.new_module(name);
        let dict = match &module.payload {
            Payload::Module(m) => m.dict.clone(),
            _ => unreachable!("new_module makes a module"),
        };
        self.dict_set_str(&dict, &self.intern("__builtins__"), Value::Obj(self.builtins.clone()));
        let key = Value::Obj(self.intern(name));
        self.dict_set(&self.modules, key.clone(), Value::Obj(module.clone()))?;
        // As CPython's start-up: `_install` then `_install_external_importers`
        // (which imports `_frozen_importlib_external` and runs its `_install`).
        let installed = self.run_module_code(&code, &dict).and_then(|_| {
            if external {
                return Ok(Value::None);
            }
            let imp = self.import_full("_imp")?;
            self.call_module_fn(&module, "_install", &[Value::Obj(self.sys.clone()), Value::Obj(imp)])?;
            self.call_module_fn(&module, "_install_external_importers", &[])
        });
        if let Err(e) = installed {
            let _ = self.dict_remove(&self.modules, &key);
            return Err(e);
        }
        if !external {
            self.replace_placeholder_finders()?;
            if let Some(ext) = self.sys_modules_get("_frozen_importlib_external") {
                self.give_specs_to_loaded_modules(&ext)?;
            }
        }
        Ok(Some(module))
    }

    /// After `_install` appended the real finders to `sys.meta_path`: they
    /// take the stand-ins' places instead, keeping the user's order.
    fn replace_placeholder_finders(&self) -> PyResult<()> {
        let (Some(stand), Some(real)) = (placeholders(self), self.real_bootstrap_finders()) else { return Ok(()) };
        let Some(mp) = crate::modules::sys::sys_attr(self, "meta_path") else { return Ok(()) };
        if mp.payload().and_then(|p| p.as_list()).is_none() {
            return Ok(());
        }
        let pairs = [(stand.0, real.0), (stand.1, real.1), (stand.2, real.2)];
        let mut out = Vec::new();
        for f in self.collect_iter(&mp)? {
            if pairs.iter().any(|(_, r)| f.is(r)) {
                continue;
            }
            out.push(pairs.iter().find(|(s, _)| f.is(s)).map_or(f, |(_, r)| r.clone()));
        }
        self.call_method(&mp, "clear", &[])?;
        self.call_method(&mp, "extend", &[self.new_list(out)])?;
        Ok(())
    }

    /// Modules loaded from files before importlib was: their spec and loader.
    fn give_specs_to_loaded_modules(&self, ext: &PyRef) -> PyResult<()> {
        for k in self.dict_keys(&self.modules) {
            let Some(name) = self.as_str(&k).map(String::from) else { continue };
            if name == "__main__" {
                continue;
            }
            let Some(Value::Obj(m)) = self.dict_get(&self.modules, &k)? else { continue };
            if !matches!(m.payload, Payload::Module(_)) || !module_get(self, &m, "__spec__").map_or(true, |s| s.is_none()) {
                continue;
            }
            // Only a module under its own name: multiprocessing files the
            // script's `__main__` (whose spec stays None) as `__mp_main__`.
            if module_get(self, &m, "__name__").and_then(|n| self.as_str(&n).map(|n| n != name)).unwrap_or(true) {
                continue;
            }
            let Some(file) = module_get(self, &m, "__file__").filter(|f| self.as_str(f).is_some()) else { continue };
            let spec = self.call_module_fn(ext, "spec_from_file_location", &[k.clone(), file])?;
            if spec.is_none() {
                continue;
            }
            if let Some(path) = module_get(self, &m, "__path__") {
                self.setattr_str(&spec, "submodule_search_locations", path)?;
            }
            let loader = self.getattr_str(&spec, "loader")?;
            let mv = Value::Obj(m.clone());
            self.setattr_str(&mv, "__spec__", spec)?;
            if module_get(self, &m, "__loader__").map_or(true, |l| l.is_none()) {
                self.setattr_str(&mv, "__loader__", loader)?;
            }
        }
        Ok(())
    }

    /// The spec of a source module krait is about to run (None before
    /// importlib is loaded): sets `__spec__`, `__loader__` and a package's
    /// `__path__`, and marks the spec as initializing.
    pub(crate) fn init_source_spec(&self, name: &str, path: &str, module: &PyRef) -> PyResult<Option<Value>> {
        if !self.importlib_ready() {
            return Ok(None);
        }
        let Some(ext) = self.sys_modules_get("_frozen_importlib_external") else { return Ok(None) };
        let spec = self.call_module_fn(&ext, "spec_from_file_location", &[self.new_str(name), self.new_str(path)])?;
        if spec.is_none() {
            return Ok(None);
        }
        let mv = Value::Obj(module.clone());
        self.setattr_str(&mv, "__spec__", spec.clone())?;
        self.setattr_str(&mv, "__loader__", self.getattr_str(&spec, "loader")?)?;
        let locations = self.getattr_str(&spec, "submodule_search_locations")?;
        if !locations.is_none() {
            self.setattr_str(&mv, "__path__", locations)?;
        }
        self.setattr_str(&spec, "_initializing", Value::Bool(true))?;
        Ok(Some(spec))
    }

    /// A native module's spec (BuiltinImporter, origin 'built-in'), once
    /// importlib is loaded.
    pub(crate) fn init_builtin_spec(&self, name: &str, module: &PyRef) -> PyResult<()> {
        let Some((builtin, _, _)) = self.real_bootstrap_finders() else { return Ok(()) };
        let Some(boot) = self.sys_modules_get("_frozen_importlib") else { return Ok(()) };
        let f = self.getattr_str(&Value::Obj(boot.clone()), "spec_from_loader")?;
        let kw = [self.new_str("origin")];
        let spec = self.call(&f, Args::with_kw(&[self.new_str(name), builtin, self.new_str("built-in")], &kw))?;
        self.call_module_fn(&boot, "_init_module_attrs", &[spec, Value::Obj(module.clone())])?;
        Ok(())
    }

    /// Asks a `sys.meta_path` finder that is not krait's for `full`; a spec
    /// it returns is loaded by importlib (`_load_unlocked`).
    pub(crate) fn load_with_finder(&self, finder: &Value, full: &str, path: &Value, parent: Option<&PyRef>) -> PyResult<Option<PyRef>> {
        let name = self.new_str(full);
        let spec = match self.getattr_opt(finder, "find_spec")? {
            Some(f) => self.call(&f, Args::new(&[name, path.clone(), Value::None]))?,
            None => {
                let boot = self.import_full("_frozen_importlib")?;
                self.call_module_fn(&boot, "_find_spec_legacy", &[finder.clone(), name, path.clone()])?
            }
        };
        if spec.is_none() {
            return Ok(None);
        }
        let boot = self.import_full("_frozen_importlib")?;
        let module = self.call_module_fn(&boot, "_load_unlocked", &[spec])?;
        if let Some(p) = parent {
            let leaf = full.rsplit('.').next().unwrap_or(full);
            self.setattr_str(&Value::Obj(p.clone()), leaf, module.clone())?;
        }
        match module {
            Value::Obj(m) => Ok(Some(m)),
            _ => Ok(self.sys_modules_get(full)),
        }
    }
}
