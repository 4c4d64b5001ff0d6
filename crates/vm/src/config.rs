//! Start-up settings: what `sys.argv`, `sys.path` and `sys.flags` report.

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// Entries put in front of `sys.path` (the script's folder, or '' for -c).
    pub path_prepend: Vec<String>,
    /// CPython's Lib directory (pure-Python standard library), if found.
    pub stdlib_dir: Option<String>,
    /// `sys.executable`.
    pub executable: String,
    /// -B: do not write bytecode caches.
    pub dont_write_bytecode: bool,
    /// -I / -E: ignore PYTHON* environment variables.
    pub ignore_environment: bool,
    /// -u: unbuffered stdout/stderr.
    pub unbuffered: bool,
    /// -O count.
    pub optimize: u32,
    /// -i: inspect interactively after running.
    pub inspect: bool,
    /// -S: do not import site.
    pub no_site: bool,
    /// -X options, as given.
    pub xoptions: Vec<String>,
    /// -W options, as given.
    pub warnoptions: Vec<String>,
    /// -X dev or PYTHONDEVMODE: `sys.flags.dev_mode`, all warnings shown
    /// by default, faulthandler on, asyncio's debug mode.
    pub dev_mode: bool,
}
