//! Runs every `tests/programs/*.py` through the built `krait` and compares its
//! stdout with the checked-in `.out` (CPython 3.11's output), its exit status
//! with the `# expect-exit: N` header (default 0), and, when a `.err` file
//! exists, the last non-empty line of stderr with it.
//! Regenerate expected files with `tests/regen-expected.sh`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/programs")
}

fn expected_exit(source: &str) -> i32 {
    source
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# expect-exit:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0)
}

fn check(py: &Path) -> Result<(), String> {
    let dir = py.parent().unwrap();
    let name = py.file_name().unwrap().to_string_lossy().to_string();
    let source = std::fs::read_to_string(py).unwrap();
    let expected_out = std::fs::read_to_string(py.with_extension("out")).unwrap_or_default();
    let mut child = Command::new(env!("CARGO_BIN_EXE_krait"))
        .arg(&name)
        .current_dir(dir)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{name}: cannot run krait: {e}"))?;
    // A hang is a failure, not a stuck test run.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{name}: timed out after 30 s"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last_err = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
    if stdout != expected_out {
        let diff = stdout
            .lines()
            .zip(expected_out.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {}: got {:?}, want {:?}", i + 1, a, b))
            .unwrap_or_else(|| {
                format!("{} lines, want {}", stdout.lines().count(), expected_out.lines().count())
            });
        return Err(format!("{name}: stdout differs: {diff}; stderr: {last_err}"));
    }
    let code = output.status.code().unwrap_or(-1);
    let want = expected_exit(&source);
    if code != want {
        return Err(format!("{name}: exit status {code}, want {want}; stderr: {last_err}"));
    }
    if let Ok(err) = std::fs::read_to_string(py.with_extension("err")) {
        if last_err.trim_end() != err.trim_end() {
            return Err(format!("{name}: last stderr line {last_err:?}, want {:?}", err.trim_end()));
        }
    }
    Ok(())
}

#[test]
fn programs_match_cpython() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(programs_dir())
        .expect("tests/programs exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().map_or(false, |e| e == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no test programs");
    let failures: Vec<String> = files.iter().filter_map(|f| check(f).err()).collect();
    assert!(failures.is_empty(), "{} of {} programs failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}
