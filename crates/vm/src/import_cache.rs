//! The bytecode cache of imported modules (krait's `.pyc` files): a module's
//! compiled code is kept in `__pycache__/NAME.krait.pyc` beside its source,
//! or, where that directory cannot be written (a read-only install), under
//! the per-user cache directory (`$XDG_CACHE_HOME/krait/pycache` or
//! `~/.cache/krait/pycache`, followed by the source's absolute directory).
//! Parsing and compiling were two thirds of the time of an import-heavy
//! start-up; a cached module skips both.
//!
//! A cache file is used only when it was written by this very compiler for
//! the source's current size and modification time (`code_cache::decode`);
//! anything else (a stale, foreign or damaged file) means a recompile and a
//! rewrite. Writing is best effort: failures are ignored, and nothing is
//! written under `-B`, PYTHONDONTWRITEBYTECODE or `sys.dont_write_bytecode`.
//! A file is written under a temporary name and renamed into place, so a
//! concurrent reader sees the old file or the new one, never half of one.

use crate::vm::Vm;
use crate::value::Value;
use krait_compiler::code_cache::{self, SourceStamp};
use krait_compiler::CodeObject;
use std::path::{Path, PathBuf};

/// The stamp of the source file at `path` (None when it cannot be read).
pub(crate) fn source_stamp(path: &str) -> Option<SourceStamp> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(SourceStamp { size: meta.len(), mtime_ns: u64::try_from(mtime.as_nanos()).ok()? })
}

/// The two places a module's cache file may live, in the order they are tried.
fn cache_paths(source: &str) -> Vec<PathBuf> {
    let source = Path::new(source);
    let (Some(dir), Some(stem)) = (source.parent(), source.file_stem()) else {
        return Vec::new();
    };
    let mut file = stem.to_os_string();
    file.push(".krait.pyc");
    let mut out = vec![dir.join("__pycache__").join(&file)];
    if let Some(user) = user_cache_dir() {
        if let Ok(abs) = std::path::absolute(dir) {
            let rel: PathBuf = abs.components().skip(1).collect();
            out.push(user.join(rel).join(&file));
        }
    }
    out
}

fn user_cache_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| Path::new(v).is_absolute()) {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(base.join("krait").join("pycache"))
}

/// The cached code of the source at `path`, when a valid cache file exists.
/// Code found under another file name (the source was moved or reached by
/// another path) is given `filename`, as CPython fixes `co_filename`.
pub(crate) fn load(path: &str, stamp: SourceStamp, filename: &str) -> Option<CodeObject> {
    cache_paths(path).into_iter().find_map(|p| {
        let data = std::fs::read(p).ok()?;
        let mut code = code_cache::decode(&data, stamp)?;
        if code.filename != filename {
            rename_code(&mut code, filename);
        }
        Some(code)
    })
}

fn rename_code(code: &mut CodeObject, filename: &str) {
    code.filename = filename.to_string();
    for k in &mut code.consts {
        if let krait_compiler::Constant::Code(inner) = k {
            rename_code(inner, filename);
        }
    }
}

/// Writes `code`, compiled from the source at `path`, to its cache file
/// (the first place that can be written), unless writing bytecode is off.
pub(crate) fn store(vm: &Vm, path: &str, stamp: SourceStamp, code: &CodeObject) {
    if !writing_enabled(vm) {
        return;
    }
    let data = code_cache::encode(code, stamp);
    for p in cache_paths(path) {
        if write_atomically(&p, &data).is_ok() {
            return;
        }
    }
}

fn writing_enabled(vm: &Vm) -> bool {
    let crate::payload::Payload::Module(sys) = &vm.sys.payload else {
        return false;
    };
    match vm.dict_get_str(&sys.dict, &vm.intern("dont_write_bytecode")) {
        Some(Value::Bool(b)) => !b,
        Some(v) => !vm.truthy(&v).unwrap_or(true),
        None => !vm.config.dont_write_bytecode,
    }
}

fn write_atomically(dest: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = dest.parent().ok_or(std::io::ErrorKind::InvalidInput)?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = dest.as_os_str().to_os_string();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    if let Err(e) = std::fs::write(&tmp, data).and_then(|_| std::fs::rename(&tmp, dest)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}
