//! Running programs: a source file or string as `__main__`, a module by name
//! (`-m`), and turning an uncaught exception into the process's exit status.

use crate::object::PyRef;
use crate::payload::Payload;
use crate::value::Value;
use crate::{PyResult, Vm};

impl Vm {
    /// Compiles and runs `source` as the `__main__` module.
    pub fn run_main_source(&self, source: &[u8], filename: &str) -> PyResult<()> {
        // CPython 3.11 makes a relative script path absolute by joining it to
        // the current directory (no normalisation): `__file__` and tracebacks show it.
        let joined;
        let filename = if !filename.starts_with('<') && !std::path::Path::new(filename).is_absolute() {
            match std::env::current_dir() {
                Ok(cwd) => {
                    joined = cwd.join(filename).to_string_lossy().into_owned();
                    joined.as_str()
                }
                Err(_) => filename,
            }
        } else {
            filename
        };
        let main = self.new_module("__main__");
        let dict = match &main.payload {
            Payload::Module(m) => m.dict.clone(),
            _ => unreachable!(),
        };
        if !filename.starts_with('<') {
            self.dict_set_str(&dict, &self.intern("__file__"), self.new_str(filename));
            self.dict_set_str(&dict, &self.intern("__cached__"), Value::None);
        }
        self.dict_set_str(&dict, &self.intern("__builtins__"), Value::Obj(self.builtins.clone()));
        self.dict_set_str(&self.modules, &self.intern("__main__"), Value::Obj(main.clone()));
        let code = krait_compiler::compile_bytes(source, filename, krait_compiler::Mode::Exec)
            .map_err(|e| self.compile_error_to_exception(&e))?;
        let code = self.load_code(code);
        self.run_module_code(&code, &dict)?;
        Ok(())
    }

    /// `-m module`: finds the module's file through the import system's path
    /// search and runs it as `__main__` (packages run their `__main__` submodule).
    pub fn run_module_as_main(&self, name: &str) -> PyResult<()> {
        let path = self.find_module_file(name)?;
        let source = std::fs::read(&path).map_err(|e| self.new_os_error(e.to_string()))?;
        if let Some(Value::Obj(argv)) = crate::modules::sys::sys_attr(self, "argv") {
            if let Some(l) = argv.payload.as_list() {
                if let Some(first) = l.borrow_mut().first_mut() {
                    *first = self.new_str(path.as_str());
                }
            }
        }
        self.run_main_source(&source, &path)
    }

    /// The .py file that `import name` would load (for `-m`).
    fn find_module_file(&self, name: &str) -> PyResult<String> {
        let (parent_dirs, leaf) = match name.rsplit_once('.') {
            Some((p, leaf)) => {
                let pkg = self.import_full(p)?;
                let path = self.getattr_str(&Value::Obj(pkg), "__path__")?;
                (self.collect_iter(&path)?, leaf.to_string())
            }
            None => {
                let sys_path = self.getattr_str(&Value::Obj(self.sys.clone()), "path")?;
                (self.collect_iter(&sys_path)?, name.to_string())
            }
        };
        for d in parent_dirs {
            let d = match self.as_str(&d) {
                Some(d) if !d.is_empty() => d.to_string(),
                Some(_) => ".".to_string(),
                None => continue,
            };
            let pkg_main = format!("{d}/{leaf}/__main__.py");
            if std::path::Path::new(&format!("{d}/{leaf}/__init__.py")).is_file() {
                if std::path::Path::new(&pkg_main).is_file() {
                    self.import_full(name)?;
                    return Ok(pkg_main);
                }
                return Err(self.new_import_error(format!(
                    "No module named {name}.__main__; '{name}' is a package and cannot be directly executed"
                )));
            }
            let file = format!("{d}/{leaf}.py");
            if std::path::Path::new(&file).is_file() {
                return Ok(file);
            }
        }
        Err(self.new_exception_msg(&self.exc.module_not_found_error, format!("No module named {name}")))
    }

    /// What the process exits with after `exc` escaped: SystemExit's code
    /// (printing a non-integer code to stderr), else the traceback and 1.
    pub fn handle_uncaught(&self, exc: &PyRef) -> i32 {
        if self.is_subtype(exc.class(), &self.exc.system_exit) {
            let code = self.getattr_str(&Value::Obj(exc.clone()), "code").unwrap_or(Value::None);
            return match code {
                Value::None => 0,
                Value::Int(i) => i as i32,
                Value::Bool(b) => b as i32,
                other => {
                    let text = self.str_string(&other).unwrap_or_default();
                    self.write_stderr(&format!("{text}\n"));
                    1
                }
            };
        }
        // sys.excepthook may be replaced by the program.
        let hook = crate::modules::sys::sys_attr(self, "excepthook");
        match hook {
            Some(h) if !matches!(h.payload(), Some(Payload::NativeFunction { .. })) => {
                let typ = Value::Obj(exc.class().clone());
                let tb = self.getattr_str(&Value::Obj(exc.clone()), "__traceback__").unwrap_or(Value::None);
                if let Err(e) = self.call(&h, crate::Args::new(&[typ, Value::Obj(exc.clone()), tb])) {
                    self.write_stderr("Error in sys.excepthook:\n");
                    self.print_exception(&e);
                    self.write_stderr("\nOriginal exception was:\n");
                    self.print_exception(exc);
                }
            }
            _ => self.print_exception(exc),
        }
        1
    }
}
