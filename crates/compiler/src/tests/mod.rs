//! Compiler tests: disassembly shapes, scopes, error messages, and (ignored) a
//! pass over CPython's whole Lib.

mod errors;
mod syntax_cases;
mod shapes;

use crate::{compile, CodeObject, CompileError, Mode};

pub(crate) fn exec(src: &str) -> CodeObject {
    match compile(src, "<test>", Mode::Exec) {
        Ok(c) => c,
        Err(e) => panic!("compile failed: {e:?}\n{src}"),
    }
}

pub(crate) fn err(src: &str) -> CompileError {
    match compile(src, "<test>", Mode::Exec) {
        Ok(_) => panic!("expected an error for {src:?}"),
        Err(e) => e,
    }
}

/// Runs `f` on a thread with a large stack (deep ASTs).
pub(crate) fn big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 << 20).spawn(f).unwrap().join().unwrap()
}

fn python_lib_dir() -> Option<std::path::PathBuf> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import os;print(os.path.dirname(os.__file__))"])
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?;
    Some(std::path::PathBuf::from(s.trim()))
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().map(|n| n == "site-packages" || n == "__pycache__").unwrap_or(false) {
                continue;
            }
            walk(&p, out);
        } else if p.extension().map(|x| x == "py").unwrap_or(false) {
            out.push(p);
        }
    }
}

/// Compiles every .py file of CPython's Lib; files python3 rejects are listed
/// by python3 itself and must be rejected by us too.
#[test]
#[ignore]
fn compile_cpython_lib() {
    big_stack(|| {
        let dir = python_lib_dir().expect("python3");
        let mut files = Vec::new();
        walk(&dir, &mut files);
        files.sort();
        let mut failures = Vec::new();
        let mut ok = 0;
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let name = f.to_string_lossy().to_string();
            let r = std::panic::catch_unwind(|| crate::compile_bytes(&bytes, &name, Mode::Exec));
            match r {
                Ok(Ok(_)) => ok += 1,
                Ok(Err(e)) => failures.push(format!("{name}: {}:{}:{} {}", e.lineno, e.offset, e.kind as u8, e.msg)),
                Err(_) => failures.push(format!("{name}: PANIC")),
            }
        }
        for f in &failures {
            eprintln!("{f}");
        }
        eprintln!("{ok} compiled, {} failed", failures.len());
        std::fs::write("/tmp/krait_lib_failures.txt", failures.join("\n")).ok();
    });
}
