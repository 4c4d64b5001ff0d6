//! The interactive prompt: reads statements (continuing with `... ` while a
//! statement is incomplete), runs each in `__main__`, prints expression values.

use crate::payload::Payload;
use crate::value::Value;
use crate::Vm;
use std::io::{BufRead, Write};

/// Runs the REPL on stdin until EOF; returns the exit status.
pub fn run_repl(vm: &Vm) -> i32 {
    eprintln!("Python 3.11.7 (krait {}) on {}", env!("CARGO_PKG_VERSION"), std::env::consts::OS);
    eprintln!("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    let main = vm.new_module("__main__");
    let dict = match &main.payload {
        Payload::Module(m) => m.dict.clone(),
        _ => unreachable!(),
    };
    vm.dict_set_str(&dict, &vm.intern("__builtins__"), Value::Obj(vm.builtins.clone()));
    vm.dict_set_str(&vm.modules, &vm.intern("__main__"), Value::Obj(main));
    loop {
        let mut source = String::new();
        let mut prompt = ">>> ";
        loop {
            eprint!("{prompt}");
            let _ = std::io::stderr().flush();
            // Other threads run while the prompt waits (the GIL is released).
            let line = match vm.allow_threads(read_line) {
                Some(l) => l,
                None => {
                    eprintln!();
                    vm.finalize();
                    return 0;
                }
            };
            source.push_str(&line);
            source.push('\n');
            if line.trim().is_empty() && prompt == "... " {
                break;
            }
            match krait_compiler::compile(&source, "<stdin>", krait_compiler::Mode::Single) {
                Err(e) if is_incomplete(&e) => prompt = "... ",
                _ if prompt == "... " => {}
                _ => break,
            }
        }
        let result = krait_compiler::compile(&source, "<stdin>", krait_compiler::Mode::Single)
            .map_err(|e| vm.compile_error_to_exception(&e))
            .and_then(|code| {
                let code = vm.load_code(code);
                vm.run_module_code(&code, &dict)
            });
        if let Err(e) = result {
            if vm.is_subtype(e.class(), &vm.exc.system_exit) {
                let code = vm.handle_uncaught(&e);
                vm.finalize();
                return code;
            }
            vm.print_exception(&e);
        }
    }
}

/// One line of stdin without its line ending; None at end of input or on error.
fn read_line() -> Option<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
            }
            Some(line)
        }
    }
}

fn is_incomplete(e: &krait_compiler::CompileError) -> bool {
    e.msg.contains("was never closed")
        || e.msg.starts_with("expected an indented block")
        || e.msg.contains("unexpected EOF")
        || e.msg.starts_with("unterminated triple-quoted")
}

impl Vm {
    /// End of the program: flush the standard streams.
    pub fn finalize(&self) {
        // Non-daemon threads are joined first (CPython's
        // wait_for_thread_shutdown), if `threading` was imported.
        if let Ok(Some(m)) = self.dict_get(&self.modules, &self.new_str("threading")) {
            if let Ok(f) = self.getattr_str(&m, "_shutdown") {
                if let Err(e) = self.call(&f, crate::Args::EMPTY) {
                    crate::finalize::write_unraisable(self, &e, None, Some(&f));
                }
            }
        }
        // atexit callbacks run next, while the streams still work.
        if let Ok(Some(m)) = self.dict_get(&self.modules, &self.new_str("atexit")) {
            if let Ok(f) = self.getattr_str(&m, "_run_exitfuncs") {
                let _ = self.call(&f, crate::Args::EMPTY);
            }
        }
        // From here on daemon threads that ask for the GIL wait for good.
        self.gil.begin_finalizing();
        crate::finalize::clear_main_module(self);
        for name in ["stdout", "stderr"] {
            if let Some(s) = crate::modules::sys::sys_attr(self, name) {
                if let Ok(f) = self.getattr_str(&s, "flush") {
                    let _ = self.call(&f, crate::Args::EMPTY);
                }
            }
        }
    }
}
