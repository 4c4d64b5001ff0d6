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
        let main = self.new_main_module();
        let dict = match &main.payload {
            Payload::Module(m) => m.dict.clone(),
            _ => unreachable!(),
        };
        if !filename.starts_with('<') {
            self.dict_set_str(&dict, &self.intern("__file__"), self.new_str(filename));
            self.dict_set_str(&dict, &self.intern("__cached__"), Value::None);
        }
        // A `-c` command is text already; files and stdin are read as CPython's
        // file tokenizer reads them.
        let compiled = if filename == "<string>" {
            self.compile_source_bytes(source, filename, krait_compiler::Mode::Exec, false)
        } else {
            self.compile_source_bytes(source, filename, krait_compiler::Mode::Exec, true)
        };
        let code = compiled.map_err(|e| self.compile_error_to_exception(&e))?;
        let code = self.load_code(code);
        self.run_module_code(&code, &dict)?;
        Ok(())
    }

    /// `-m module`, as CPython's: `runpy._run_module_as_main(name, True)`
    /// runs the module (a package's `__main__` submodule) in the `__main__`
    /// namespace with its spec, `__package__` and `__file__`, sets
    /// `sys.argv[0]` to its path, and turns "No module named ..." into a
    /// SystemExit message. runpy's frames show as `<frozen runpy>`.
    pub fn run_module_as_main(&self, name: &str) -> PyResult<()> {
        self.new_main_module();
        let runpy = self.import_full("runpy")?;
        self.call_module_fn(&runpy, "_run_module_as_main", &[self.new_str(name), Value::Bool(true)])?;
        Ok(())
    }

    /// An empty `__main__` in `sys.modules`, as at CPython's start-up.
    fn new_main_module(&self) -> PyRef {
        let main = self.new_module("__main__");
        if let Payload::Module(m) = &main.payload {
            self.dict_set_str(&m.dict, &self.intern("__builtins__"), Value::Obj(self.builtins.clone()));
        }
        self.dict_set_str(&self.modules, &self.intern("__main__"), Value::Obj(main.clone()));
        main
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
