//! The import system: `import a.b.c`, `from . import x`, packages, native
//! modules, and `sys.modules` as the cache.
//!
//! Search order for a top-level name: `sys.modules`, then the native module
//! registry (`Vm::native_modules`), then each folder of `sys.path` (`name/__init__.py`
//! for a package, then `name.py`). Submodules search their package's `__path__`.

use crate::object::PyRef;
use crate::payload::{ModuleData, Payload};
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::RefCell;

thread_local! {
    /// Modules whose bodies krait is running now (by address), for the
    /// "partially initialized module" wording of circular imports.
    static INITIALIZING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// The folder a `sys.path` entry names: `''` is the current directory,
/// which CPython's finder spells out (so `__file__` is absolute).
fn path_entry_dir(entry: &str) -> String {
    if !entry.is_empty() {
        return entry.to_string();
    }
    std::env::current_dir().map_or_else(|_| ".".to_string(), |d| d.to_string_lossy().into_owned())
}

impl Vm {
    /// What `ImportName` and `__import__` do: import `name` (relative to the
    /// importing module's package when `level > 0`) and return the top-level
    /// package, or the named module itself when `fromlist` is non-empty.
    pub fn import_name(&self, name: &PyRef, globals: &PyRef, fromlist: Value, level: i64) -> PyResult {
        let name = name.payload.as_str().map(|s| s.as_str().to_string()).unwrap_or_default();
        let full = if level > 0 { self.resolve_relative(&name, globals, level)? } else { name.clone() };
        if full.is_empty() {
            return Err(self.new_value_error("Empty module name"));
        }
        let module = self.import_full(&full)?;
        let has_fromlist = !fromlist.is_none() && self.truthy(&fromlist)?;
        if !has_fromlist {
            if level > 0 && name.is_empty() {
                return Ok(Value::Obj(module));
            }
            // `import a.b.c` binds `a`: return the top-level package.
            let top = if level > 0 {
                // `from .a.b import` without fromlist is not produced by the compiler;
                // relative `import` statements do not exist. Keep the leaf.
                full.clone()
            } else {
                name.split('.').next().unwrap_or("").to_string()
            };
            return Ok(Value::Obj(self.sys_modules_get(&top).unwrap_or(module)));
        }
        // `from pkg import sub`: import submodules named in the fromlist.
        if self.module_is_package(&module) {
            let mut items = self.collect_iter(&fromlist)?;
            let n_listed = items.len();
            // `from pkg import *` imports the submodules named in `pkg.__all__`.
            if items.iter().any(|i| self.as_str(i) == Some("*")) {
                if let Some(all) = self.getattr_opt(&Value::Obj(module.clone()), "__all__")? {
                    items.extend(self.collect_iter(&all)?);
                }
            }
            for (i, item) in items.into_iter().enumerate() {
                let item_name = match self.as_str(&item) {
                    Some(s) => s.to_string(),
                    None => {
                        let where_ = if i < n_listed { "``from list''".to_string() } else { format!("{full}.__all__") };
                        return Err(self.new_type_error(format!(
                            "Item in {where_} must be str, not {}",
                            self.type_name_of(&item)
                        )));
                    }
                };
                if item_name == "*" {
                    continue;
                }
                let has = self.getattr_opt(&Value::Obj(module.clone()), &item_name)?.is_some();
                if !has {
                    let sub = format!("{full}.{item_name}");
                    match self.import_full(&sub) {
                        Ok(_) => {}
                        // Only a missing `pkg.sub` itself is ignored (as importlib's
                        // _handle_fromlist); a module it imports failing propagates.
                        Err(e)
                            if self.exception_matches(&e, &self.exc.module_not_found_error)
                                && crate::types::exception_methods::get_field(self, &e, "name")
                                    .payload()
                                    .and_then(|p| p.as_str())
                                    .is_some_and(|n| n.as_str() == sub) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(Value::Obj(module))
    }

    /// `from module import name`.
    pub fn import_from(&self, module: &Value, name: &PyRef) -> PyResult {
        match self.getattr(module, name) {
            Ok(v) => Ok(v),
            Err(e) if self.exception_matches(&e, &self.exc.attribute_error) => {
                let n = name.payload.as_str().map(|s| s.as_str()).unwrap_or("");
                let modname = self.getattr_opt(module, "__name__")?.and_then(|v| self.as_str(&v).map(String::from));
                if let Some(m) = &modname {
                    if let Some(sub) = self.sys_modules_get(&format!("{m}.{n}")) {
                        return Ok(Value::Obj(sub));
                    }
                }
                let m = modname.unwrap_or_else(|| "<unknown module name>".to_string());
                let file = self.getattr_opt(module, "__file__")?.and_then(|v| self.as_str(&v).map(String::from));
                let initializing = self.module_initializing(module)?;
                let msg = match (file, initializing) {
                    (Some(f), true) => format!(
                        "cannot import name '{n}' from partially initialized module '{m}' (most likely due to a circular import) ({f})"
                    ),
                    (Some(f), false) => format!("cannot import name '{n}' from '{m}' ({f})"),
                    (None, _) => format!("cannot import name '{n}' from '{m}' (unknown location)"),
                };
                let err = self.new_import_error(msg);
                let file = self.getattr_opt(module, "__file__")?.and_then(|v| self.as_str(&v).map(String::from));
                self.set_import_error_fields(&err, &m, file.as_deref());
                Err(err)
            }
            Err(e) => Err(e),
        }
    }

    fn module_initializing(&self, module: &Value) -> PyResult<bool> {
        if let Value::Obj(m) = module {
            if INITIALIZING.with(|i| i.borrow().contains(&m.id())) {
                return Ok(true);
            }
        }
        let spec = self.getattr_opt(module, "__spec__")?;
        if let Some(spec) = spec {
            if !spec.is_none() {
                if let Some(v) = self.getattr_opt(&spec, "_initializing")? {
                    return self.truthy(&v);
                }
            }
        }
        Ok(false)
    }

    pub(crate) fn set_import_error_fields(&self, err: &PyRef, name: &str, path: Option<&str>) {
        if let Some(d) = self.instance_dict(&Value::Obj(err.clone()), true) {
            self.dict_set_str(&d, &self.intern("name"), self.new_str(name));
            let p = match path {
                Some(p) => self.new_str(p),
                None => Value::None,
            };
            self.dict_set_str(&d, &self.intern("path"), p);
        }
    }

    fn resolve_relative(&self, name: &str, globals: &PyRef, level: i64) -> PyResult<String> {
        let package = match self.dict_get_str(globals, &self.intern("__package__")) {
            Some(v) if !v.is_none() => self.as_str(&v).unwrap_or("").to_string(),
            _ => {
                let modname = self
                    .dict_get_str(globals, &self.intern("__name__"))
                    .and_then(|v| self.as_str(&v).map(String::from))
                    .unwrap_or_default();
                if self.dict_get_str(globals, &self.intern("__path__")).is_some() {
                    modname
                } else {
                    modname.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default()
                }
            }
        };
        if package.is_empty() {
            return Err(self.new_exception_msg(
                &self.exc.import_error,
                "attempted relative import with no known parent package",
            ));
        }
        let mut base = package.as_str();
        for _ in 1..level {
            match base.rsplit_once('.') {
                Some((p, _)) => base = p,
                None => {
                    return Err(self.new_exception_msg(
                        &self.exc.import_error,
                        "attempted relative import beyond top-level package",
                    ))
                }
            }
        }
        Ok(if name.is_empty() { base.to_string() } else { format!("{base}.{name}") })
    }

    /// `sys.modules[name]`, if present.
    pub fn sys_modules_get(&self, name: &str) -> Option<PyRef> {
        match self.dict_get_str(&self.modules, &self.intern(name)) {
            Some(Value::Obj(m)) => Some(m),
            _ => None,
        }
    }

    fn module_is_package(&self, module: &PyRef) -> bool {
        match &module.payload {
            Payload::Module(m) => self.dict_get_str(&m.dict, &self.intern("__path__")).is_some(),
            _ => false,
        }
    }

    /// `sys.modules[name]`: Some(module) when cached; a None entry stops
    /// the import, as in CPython.
    pub(crate) fn cached_module(&self, name: &str) -> PyResult<Option<PyRef>> {
        match self.dict_get_str(&self.modules, &self.intern(name)) {
            Some(Value::Obj(m)) => Ok(Some(m)),
            Some(Value::None) => {
                let e = self.new_exception_msg(
                    &self.exc.module_not_found_error,
                    format!("import of {name} halted; None in sys.modules"),
                );
                self.set_import_error_fields(&e, name, None);
                Err(e)
            }
            // An unboxed int/float/bool cannot be returned as a module object.
            Some(_) => Ok(None),
            None => Ok(None),
        }
    }

    /// Imports a fully qualified dotted name, parents first. `sys.meta_path`
    /// is honoured: krait's own search stands in for importlib's
    /// BuiltinImporter and PathFinder (and for both while importlib is not
    /// loaded); any other finder is asked for a spec and importlib loads it.
    pub fn import_full(&self, full: &str) -> PyResult<PyRef> {
        if let Some(m) = self.cached_module(full)? {
            self.wait_for_module(full);
            return Ok(m);
        }
        let (parent, path_arg) = match full.rsplit_once('.') {
            Some((p, _)) => {
                let pm = self.import_full(p)?;
                if let Some(m) = self.cached_module(full)? {
                    self.wait_for_module(full);
                    return Ok(m);
                }
                match self.getattr_opt(&Value::Obj(pm.clone()), "__path__")? {
                    Some(path) => (Some(pm), path),
                    None => {
                        let e = self.new_exception_msg(
                            &self.exc.module_not_found_error,
                            format!("No module named '{full}'; '{p}' is not a package"),
                        );
                        self.set_import_error_fields(&e, full, None);
                        return Err(e);
                    }
                }
            }
            None => (None, Value::None),
        };
        let _lock = match self.lock_import(full)? {
            Ok(guard) => guard,
            Err(loaded_meanwhile) => return Ok(loaded_meanwhile),
        };
        if parent.is_none() {
            if let Some(m) = self.load_bootstrap_module(full)? {
                return Ok(m);
            }
        }
        let defaults = self.bootstrap_finders();
        let meta_path = match crate::modules::sys::sys_attr(self, "meta_path") {
            Some(mp) if !mp.is_none() => self.collect_iter(&mp)?,
            _ => Vec::new(),
        };
        for finder in &meta_path {
            if let Some((builtin, frozen, path_finder)) = &defaults {
                if finder.is(builtin) {
                    if parent.is_none() {
                        if let Some(m) = self.load_native_module(full)? {
                            return Ok(m);
                        }
                    }
                    continue;
                }
                if finder.is(frozen) {
                    continue;
                }
                if finder.is(path_finder) {
                    if let Some(m) = self.path_search(full, parent.as_ref(), &path_arg)? {
                        return Ok(m);
                    }
                    // A folder without `__init__.py`: a namespace package
                    // (PEP 420), which importlib's PathFinder makes.
                    if !self.namespace_portion_exists(full, &path_arg)? {
                        continue;
                    }
                }
            }
            if let Some(m) = self.load_with_finder(finder, full, &path_arg, parent.as_ref())? {
                return Ok(m);
            }
        }
        if defaults.is_none() {
            if parent.is_none() {
                if let Some(m) = self.load_native_module(full)? {
                    return Ok(m);
                }
            }
            if let Some(m) = self.path_search(full, parent.as_ref(), &path_arg)? {
                return Ok(m);
            }
        }
        let e = self.new_exception_msg(&self.exc.module_not_found_error, format!("No module named '{full}'"));
        self.set_import_error_fields(&e, full, None);
        Err(e)
    }

    /// A native (built-in) module, made and cached in sys.modules.
    fn load_native_module(&self, full: &str) -> PyResult<Option<PyRef>> {
        let init = self.native_modules.borrow().get(full).copied();
        let Some(init) = init else { return Ok(None) };
        let m = init(self)?;
        self.dict_set_str(&self.modules, &self.intern(full), Value::Obj(m.clone()));
        self.init_builtin_spec(full, &m)?;
        Ok(Some(m))
    }

    /// Looks for `leaf/__init__.py` then `leaf.py` in each folder of the
    /// search path (`sys.path`, or the parent package's `__path__`).
    fn path_search(&self, full: &str, parent: Option<&PyRef>, path_arg: &Value) -> PyResult<Option<PyRef>> {
        let search_path = self.search_path(path_arg)?;
        let leaf = full.rsplit('.').next().unwrap_or(full);
        for dir in &search_path {
            let dir = match self.as_str(dir) {
                Some(d) => d.to_string(),
                None => continue,
            };
            let base = path_entry_dir(&dir);
            let pkg_init = format!("{base}/{leaf}/__init__.py");
            if std::path::Path::new(&pkg_init).is_file() {
                let pkg_dir = format!("{base}/{leaf}");
                return self.load_source_module(full, &pkg_init, Some(&pkg_dir), parent).map(Some);
            }
            let file = format!("{base}/{leaf}.py");
            if std::path::Path::new(&file).is_file() {
                return self.load_source_module(full, &file, None, parent).map(Some);
            }
        }
        Ok(None)
    }

    /// The folders to search: the parent package's `__path__`, or `sys.path`.
    fn search_path(&self, path_arg: &Value) -> PyResult<Vec<Value>> {
        if path_arg.is_none() {
            let sys_path = self.getattr_str(&Value::Obj(self.sys.clone()), "path")?;
            self.collect_iter(&sys_path)
        } else {
            self.collect_iter(path_arg)
        }
    }

    /// Is there a folder named like `full`'s last part on its search path
    /// (a possible portion of a namespace package)?
    fn namespace_portion_exists(&self, full: &str, path_arg: &Value) -> PyResult<bool> {
        let search_path = self.search_path(path_arg)?;
        let leaf = full.rsplit('.').next().unwrap_or(full);
        Ok(search_path.iter().filter_map(|d| self.as_str(d)).any(|d| {
            std::path::Path::new(&format!("{}/{leaf}", path_entry_dir(d))).is_dir()
        }))
    }

    /// Creates an empty module object named `name`.
    pub fn new_module(&self, name: &str) -> PyRef {
        let dict = self.new_dict();
        self.dict_set_str(&dict, &self.intern("__name__"), self.new_str(name));
        self.dict_set_str(&dict, &self.intern("__doc__"), Value::None);
        self.dict_set_str(&dict, &self.intern("__package__"), Value::None);
        self.dict_set_str(&dict, &self.intern("__loader__"), Value::None);
        self.dict_set_str(&dict, &self.intern("__spec__"), Value::None);
        PyRef::new(self.types.module.clone(), Payload::Module(Box::new(ModuleData { dict })))
    }

    /// The code filename CPython 3.11 gives the stdlib modules it freezes
    /// into its binary (`<frozen os>`): tracebacks through them show that
    /// name and no source line. `__file__` stays the real path, as there.
    pub(crate) fn frozen_code_name(&self, name: &str, path: &str) -> Option<String> {
        const FROZEN: [&str; 15] = [
            "zipimport", "abc", "codecs", "io", "_collections_abc", "_sitebuiltins", "genericpath", "ntpath",
            "posixpath", "os", "site", "stat", "importlib.util", "importlib.machinery", "runpy",
        ];
        let lib = self.config.stdlib_dir.as_deref()?;
        (FROZEN.contains(&name) && path.starts_with(lib)).then(|| format!("<frozen {name}>"))
    }

    /// Reads, compiles and runs a .py file as module `name`; registered in
    /// `sys.modules` before it runs (so circular imports see it) and removed
    /// again if it fails.
    fn load_source_module(&self, name: &str, path: &str, pkg_dir: Option<&str>, parent: Option<&PyRef>) -> PyResult<PyRef> {
        let frozen_name = self.frozen_code_name(name, path);
        let filename = frozen_name.as_deref().unwrap_or(path);
        // Stat before reading: a source changed in between is stored under
        // the older stamp, which its next import then finds stale.
        let stamp = crate::import_cache::source_stamp(path);
        let code = match stamp.and_then(|s| crate::import_cache::load(path, s, filename)) {
            Some(code) => code,
            None => {
                let source = std::fs::read(path).map_err(|e| self.new_os_error(format!("{e}: '{path}'")))?;
                let code = self.compile_source_bytes(&source, filename, krait_compiler::Mode::Exec, false)
                    .map_err(|e| self.compile_error_to_exception(&e))?;
                if let Some(s) = stamp {
                    crate::import_cache::store(self, path, s, &code);
                }
                code
            }
        };
        let code = self.load_code(code);
        let module = self.new_module(name);
        let dict = match &module.payload {
            Payload::Module(m) => m.dict.clone(),
            _ => unreachable!(),
        };
        self.dict_set_str(&dict, &self.intern("__file__"), self.new_str(path));
        self.dict_set_str(&dict, &self.intern("__cached__"), Value::None);
        self.dict_set_str(&dict, &self.intern("__builtins__"), Value::Obj(self.builtins.clone()));
        let package = match pkg_dir {
            Some(d) => {
                self.dict_set_str(&dict, &self.intern("__path__"), self.new_list(vec![self.new_str(d)]));
                name.to_string()
            }
            None => name.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default(),
        };
        self.dict_set_str(&dict, &self.intern("__package__"), self.new_str(package));
        let spec = self.init_source_spec(name, path, &module)?;
        let key = self.intern(name);
        self.dict_set_str(&self.modules, &key, Value::Obj(module.clone()));
        INITIALIZING.with(|i| i.borrow_mut().push(module.id()));
        let result = self.run_module_code(&code, &dict);
        INITIALIZING.with(|i| i.borrow_mut().retain(|m| *m != module.id()));
        if let Some(spec) = &spec {
            self.setattr_str(spec, "_initializing", Value::Bool(false))?;
        }
        if let Err(e) = result {
            let _ = self.dict_remove(&self.modules, &Value::Obj(key));
            return Err(e);
        }
        // The module may have replaced itself in sys.modules.
        let module = self.sys_modules_get(name).unwrap_or(module);
        if let Some(p) = parent {
            let leaf = name.rsplit('.').next().unwrap_or(name);
            self.setattr_str(&Value::Obj(p.clone()), leaf, Value::Obj(module.clone()))?;
        }
        Ok(module)
    }
}
