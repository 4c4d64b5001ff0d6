//! Sets KRAIT_COMPILER_FINGERPRINT: a hash of this crate's sources and the
//! workspace's Cargo.lock (which pins the parser). The bytecode cache
//! (src/code_cache.rs) uses only files written under the same fingerprint,
//! so a compiler change can never meet code compiled by an older one.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    files_under(&root.join("src"), &mut files);
    files.push(root.join("build.rs"));
    files.push(root.join("Cargo.toml"));
    let lock = root.join("../../Cargo.lock");
    files.push(lock.clone());
    files.sort();
    // FNV-1a over each file's path (relative to the crate) and contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f);
        feed(rel.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(f).unwrap_or_default());
        feed(&[0]);
    }
    println!("cargo:rustc-env=KRAIT_COMPILER_FINGERPRINT={h:016x}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed={}", lock.display());
}
