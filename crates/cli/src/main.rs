//! `krait`: the command line, as python3's: `krait [option] ... [-c cmd | -m mod | file | -] [arg] ...`.

use krait_vm::config::Config;
use krait_vm::Vm;
use std::io::{IsTerminal, Read};

#[cfg(feature = "mimalloc")]
mod alloc;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

/// The interpreter thread's stack. Python-to-Python calls do not use it, but
/// native re-entry (a `__repr__` calling `repr`, sorting with a Python key...)
/// does; the VM raises RecursionError well before this runs out.
const STACK_SIZE: usize = 1 << 30;
/// Stack kept free below the RecursionError threshold for the error path itself.
const STACK_RESERVE: usize = 1 << 20;

enum Target {
    File(String),
    Command(String),
    Module(String),
    Stdin,
}

const USAGE: &str = "usage: krait [option] ... [-c cmd | -m mod | file | -] [arg] ...\n";
const HELP: &str = "\
Options (and corresponding environment variables):
-B     : don't write .pyc files on import
-c cmd : program passed in as string (terminates option list)
-E     : ignore PYTHON* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running script
-I     : isolate Python from the user's environment (implies -E and -s)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements
-q     : don't print version and copyright messages on interactive startup
-s     : don't add user site directory to sys.path
-S     : don't imply 'import site' on initialization
-u     : force the stdout and stderr streams to be unbuffered
-V     : print the Python version number and exit (also --version)
-W arg : warning control
-X opt : set implementation-specific option
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]
";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut config = Config { executable: executable_path(), ..Config::default() };
    let mut target = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-" {
            target = Some(Target::Stdin);
            i += 1;
            break;
        }
        if a == "--version" {
            println!("Python 3.11.7");
            return;
        }
        if a == "--help" {
            print!("{USAGE}{HELP}");
            return;
        }
        if !a.starts_with('-') || a.len() < 2 {
            target = Some(Target::File(a.clone()));
            i += 1;
            break;
        }
        // A cluster of one-letter options, some taking an argument.
        let flags: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        let mut stop = false;
        while j < flags.len() {
            let c = flags[j];
            let rest: String = flags[j + 1..].iter().collect();
            let take_arg = |i: &mut usize| -> String {
                if !rest.is_empty() {
                    rest.clone()
                } else {
                    *i += 1;
                    match args.get(*i) {
                        Some(v) => v.clone(),
                        None => {
                            eprint!("Argument expected for the -{c} option\n{USAGE}Try `krait -h' for more information.\n");
                            std::process::exit(2);
                        }
                    }
                }
            };
            match c {
                'c' => {
                    target = Some(Target::Command(take_arg(&mut i)));
                    stop = true;
                    break;
                }
                'm' => {
                    target = Some(Target::Module(take_arg(&mut i)));
                    stop = true;
                    break;
                }
                'W' => {
                    config.warnoptions.push(take_arg(&mut i));
                    break;
                }
                'X' => {
                    config.xoptions.push(take_arg(&mut i));
                    break;
                }
                'B' => config.dont_write_bytecode = true,
                'E' => config.ignore_environment = true,
                'I' => config.ignore_environment = true,
                'i' => config.inspect = true,
                'O' => config.optimize += 1,
                'S' => config.no_site = true,
                'u' => config.unbuffered = true,
                's' | 'q' | 'b' | 'd' | 'v' | 'R' => {}
                'V' => {
                    println!("Python 3.11.7");
                    return;
                }
                'h' | '?' => {
                    print!("{USAGE}{HELP}");
                    return;
                }
                other => {
                    eprint!("Unknown option: -{other}\n{USAGE}Try `krait -h' for more information.\n");
                    std::process::exit(2);
                }
            }
            j += 1;
        }
        i += 1;
        if stop {
            break;
        }
    }
    let rest: Vec<String> = args[i.min(args.len())..].to_vec();
    let target = target.unwrap_or(Target::Stdin);
    config.stdlib_dir = find_stdlib(config.ignore_environment);
    match &target {
        Target::File(f) => {
            config.argv = std::iter::once(f.clone()).chain(rest).collect();
            let dir = std::path::Path::new(f).parent().map(|p| p.to_string_lossy().to_string()).unwrap_or_default();
            let dir = std::fs::canonicalize(if dir.is_empty() { ".".to_string() } else { dir })
                .map(|p| p.to_string_lossy().to_string())
                .unwrap_or_default();
            config.path_prepend.push(dir);
        }
        Target::Command(_) => {
            config.argv = std::iter::once("-c".to_string()).chain(rest).collect();
            config.path_prepend.push(String::new());
        }
        Target::Module(_) => {
            config.argv = std::iter::once("-m".to_string()).chain(rest).collect();
            config.path_prepend.push(std::env::current_dir().map(|p| p.to_string_lossy().to_string()).unwrap_or_default());
        }
        Target::Stdin => {
            config.argv = std::iter::once(if rest.is_empty() { String::new() } else { "-".to_string() }).chain(rest).collect();
            config.path_prepend.push(String::new());
        }
    }
    if !config.ignore_environment {
        if let Ok(pp) = std::env::var("PYTHONPATH") {
            let extra: Vec<String> = pp.split(':').filter(|s| !s.is_empty()).map(String::from).collect();
            config.path_prepend.extend(extra);
        }
        if std::env::var("PYTHONUNBUFFERED").map_or(false, |v| !v.is_empty()) {
            config.unbuffered = true;
        }
        if std::env::var("PYTHONDONTWRITEBYTECODE").map_or(false, |v| !v.is_empty()) {
            config.dont_write_bytecode = true;
        }
        // Comma-separated -W options, which come before the command line's.
        if let Ok(w) = std::env::var("PYTHONWARNINGS") {
            let from_env = w.split(',').filter(|s| !s.is_empty()).map(String::from);
            config.warnoptions = from_env.chain(std::mem::take(&mut config.warnoptions)).collect();
        }
        if std::env::var("PYTHONDEVMODE").map_or(false, |v| !v.is_empty()) {
            config.dev_mode = true;
        }
    }
    if config.xoptions.iter().any(|x| x == "dev") {
        config.dev_mode = true;
    }
    // Dev mode shows every warning by default: the lowest-priority option.
    if config.dev_mode {
        config.warnoptions.insert(0, "default".to_string());
    }
    let child = std::thread::Builder::new()
        .name("krait-main".into())
        .stack_size(STACK_SIZE)
        // The thread ends the process itself: in a child made by os.fork()
        // it is the only thread left, and its exit status must be the
        // program's.
        .spawn(move || std::process::exit(run(config, target)))
        .expect("cannot start the interpreter thread");
    // Signals go to the threads that run Python (created with the mask the
    // interpreter thread inherited above), not to this waiting one.
    krait_stdlib::signal::block_all_in_this_thread();
    let code = child.join().unwrap_or(70);
    std::process::exit(code);
}

fn run(config: Config, target: Target) -> i32 {
    let marker = 0u8;
    let stack_top = &marker as *const u8 as usize;
    let vm = Vm::new(config);
    vm.stack_limit.set(stack_top.saturating_sub(STACK_SIZE - STACK_RESERVE));
    krait_stdlib::register(&vm);
    // The eval loop runs signal handlers: Ctrl-C raises KeyboardInterrupt.
    krait_stdlib::signal::set_eval_loop_polls(&vm, true);
    if let Err(e) = krait_vm::modules::sys::finish_init(&vm) {
        vm.print_exception(&e);
        return 1;
    }
    if vm.config.dev_mode {
        let on = vm.import_full("faulthandler").and_then(|m| {
            let enable = vm.getattr_str(&krait_vm::Value::Obj(m), "enable")?;
            vm.call1(&enable, &[])
        });
        if let Err(e) = on {
            vm.print_exception(&e);
        }
    }
    // -W options (and PYTHONWARNINGS) take effect at start-up: importing
    // warnings applies them (and reports the invalid ones), as CPython does.
    if !vm.config.warnoptions.is_empty() {
        if let Err(e) = vm.import_full("warnings") {
            vm.print_exception(&e);
        }
    }
    let result = match target {
        Target::File(path) => match std::fs::read(&path) {
            Ok(src) => vm.run_main_source(&src, &path),
            Err(e) => {
                let abs = std::fs::canonicalize(&path).map(|p| p.to_string_lossy().to_string()).unwrap_or_else(|_| {
                    let cwd = std::env::current_dir().map(|p| p.to_string_lossy().to_string()).unwrap_or_default();
                    if path.starts_with('/') { path.clone() } else { format!("{cwd}/{path}") }
                });
                let errno = e.raw_os_error().unwrap_or(2);
                eprintln!("{}: can't open file '{}': [Errno {}] {}", program_name(), abs, errno, strerror(&e));
                return 2;
            }
        },
        Target::Command(cmd) => vm.run_main_source(cmd.as_bytes(), "<string>"),
        Target::Module(m) => vm.run_module_as_main(&m),
        Target::Stdin => {
            let mut src = Vec::new();
            if std::io::stdin().is_terminal() {
                let code = krait_vm::repl::run_repl(&vm);
                vm.shut_down();
                return code;
            }
            if let Err(e) = std::io::stdin().read_to_end(&mut src) {
                eprintln!("{}: can't read stdin: {e}", program_name());
                return 2;
            }
            vm.run_main_source(&src, "<stdin>")
        }
    };
    let interrupted = matches!(&result, Err(e) if vm.is_subtype(e.class(), &vm.exc.keyboard_interrupt));
    let code = match result {
        Ok(()) => 0,
        Err(e) => vm.handle_uncaught(&e),
    };
    vm.finalize();
    vm.shut_down();
    if interrupted {
        krait_stdlib::signal::exit_by_sigint();
    }
    code
}

fn strerror(e: &std::io::Error) -> String {
    // Rust appends " (os error N)"; CPython prints only the text.
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn program_name() -> String {
    std::env::args().next().unwrap_or_else(|| "krait".into())
}

fn executable_path() -> String {
    std::env::current_exe().map(|p| p.to_string_lossy().to_string()).unwrap_or_default()
}

/// Finds CPython 3.11's pure-Python standard library (see design section 6).
/// The Lib folders of pyenv's 3.11 versions under `versions`, newest first.
fn pyenv_versions(versions: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(versions) else { return Vec::new() };
    let mut vs: Vec<(Vec<u32>, std::path::PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            let rest = name.strip_prefix("3.11.")?;
            let patch: u32 = rest.parse().ok()?;
            Some((vec![patch], p))
        })
        .collect();
    vs.sort();
    vs.into_iter().rev().map(|(_, p)| p.join("lib/python3.11")).collect()
}

fn find_stdlib(ignore_env: bool) -> Option<String> {
    let is_lib = |d: &std::path::Path| d.join("os.py").is_file() && d.join("collections").is_dir();
    if !ignore_env {
        if let Ok(d) = std::env::var("KRAIT_STDLIB") {
            if is_lib(std::path::Path::new(&d)) {
                return Some(d);
            }
        }
    }
    let mut candidates: Vec<std::path::PathBuf> = Vec::new();
    if let Ok(path) = std::env::var("PATH") {
        for dir in path.split(':') {
            let exe = std::path::Path::new(dir).join("python3.11");
            if dir.ends_with("/shims") && exe.exists() {
                // A pyenv shim: the interpreter it runs lives under
                // <pyenv root>/versions/3.11.*; newest patch release first.
                candidates.extend(pyenv_versions(&std::path::Path::new(dir).join("../versions")));
                continue;
            }
            if exe.exists() {
                if let Ok(real) = std::fs::canonicalize(&exe) {
                    if let Some(bin) = real.parent() {
                        candidates.push(bin.join("../lib/python3.11"));
                    }
                }
                candidates.push(std::path::Path::new(dir).join("../lib/python3.11"));
            }
        }
    }
    // pyenv's shims hide the real interpreter, so its versions are looked at
    // before the system folders (the `python3` a pyenv user runs is 3.11.x
    // there, while /usr/lib may hold an older 3.11 patch release).
    if let Ok(home) = std::env::var("HOME") {
        candidates.extend(pyenv_versions(&std::path::Path::new(&home).join(".pyenv/versions")));
    }
    candidates.push("/usr/lib/python3.11".into());
    candidates.push("/usr/local/lib/python3.11".into());
    candidates
        .into_iter()
        .find(|c| is_lib(c))
        .and_then(|c| std::fs::canonicalize(c).ok())
        .map(|c| c.to_string_lossy().to_string())
}
