//! The `_warnings` module: the C half of `warnings` that Lib/warnings.py
//! imports when it can (`warn`, `warn_explicit`, `filters`, `_defaultaction`,
//! `_onceregistry`, `_filters_mutated`). Without it, warnings.py's own
//! `warn_explicit` hands a `source=` object to `WarningMessage` as its output
//! file (a latent bug in the pure version that CPython never runs), and its
//! default filters name `__main__` by a compiled pattern instead of a str.
//!
//! The filters, default action and once-registry are read from the
//! `warnings` module when it has been imported (it may rebind them), else
//! from this module, as CPython does.

use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::sync::atomic::{AtomicI64, Ordering};

/// Bumped by `_filters_mutated()`: a module's `__warningregistry__` is
/// cleared when its recorded version differs.
static FILTERS_VERSION: AtomicI64 = AtomicI64::new(0);

/// The filters, default action and once-registry last seen (CPython's
/// interpreter state): what applies once `warnings` lost the attribute.
#[derive(Default)]
struct WarningsState {
    filters: RefCell<Option<Value>>,
    defaultaction: RefCell<Option<Value>>,
    onceregistry: RefCell<Option<Value>>,
}

impl WarningsState {
    fn field(&self, name: &str) -> &RefCell<Option<Value>> {
        match name {
            "filters" => &self.filters,
            "defaultaction" => &self.defaultaction,
            _ => &self.onceregistry,
        }
    }
}

/// `warnings.<name>` (filters, defaultaction, onceregistry) when `warnings`
/// is imported and has it (then remembered), else the one last seen.
fn state_attr(vm: &Vm, name: &str) -> PyResult<Option<Value>> {
    let state = vm.state::<WarningsState>();
    if let Some(v) = state_attr_of_warnings(vm, name, false)? {
        *state.field(name).borrow_mut() = Some(v.clone());
        return Ok(Some(v));
    }
    let v = state.field(name).borrow().clone();
    Ok(v)
}

/// `warn`'s category: the message's class when it is a Warning instance,
/// UserWarning for None, else it must be a Warning subclass.
fn category_of(vm: &Vm, message: &Value, category: Option<Value>) -> PyResult<Value> {
    let warning = Value::Obj(vm.exc.warning.clone());
    if vm.isinstance(message, &warning)? {
        return Ok(Value::Obj(vm.class_of(message).clone()));
    }
    let category = match category {
        None | Some(Value::None) => return Ok(Value::Obj(vm.exc.user_warning.clone())),
        Some(c) => c,
    };
    let is_warning = matches!(&category, Value::Obj(o) if o.payload.as_type().is_some())
        && vm.issubclass(&category, &warning)?;
    if !is_warning {
        return Err(vm.new_type_error(format!(
            "category must be a Warning subclass, not '{}'",
            vm.type_name_of(&category)
        )));
    }
    Ok(category)
}

/// Frames whose code is importlib's bootstrap are skipped by a positive
/// stacklevel (they are not where the user's code warned).
fn is_internal(vm: &Vm, filename: &PyRef) -> bool {
    let name = Value::Obj(filename.clone());
    let f = vm.as_str(&name).unwrap_or("");
    f.contains("importlib") && f.contains("_bootstrap")
}

/// Where a warning `stacklevel` frames up was raised: (filename, line,
/// module name, registry), CPython's `setup_context`.
fn setup_context(vm: &Vm, stacklevel: i64) -> PyResult<(Value, i64, Value, Value)> {
    let frames = vm.frame_contexts();
    let mut at = if frames.is_empty() { None } else { Some(0usize) };
    let mut level = stacklevel;
    let plain_walk = level <= 0 || at.is_some_and(|i| is_internal(vm, &frames[i].1));
    loop {
        level -= 1;
        if level <= 0 {
            break;
        }
        let Some(mut i) = at else { break };
        if plain_walk {
            at = (i + 1 < frames.len()).then_some(i + 1);
        } else {
            // The next frame out that is not importlib's.
            at = loop {
                i += 1;
                if i >= frames.len() {
                    break None;
                }
                if !is_internal(vm, &frames[i].1) {
                    break Some(i);
                }
            };
        }
    }
    let (globals, filename, lineno) = match at {
        Some(i) => (frames[i].0.clone(), Value::Obj(frames[i].1.clone()), frames[i].2 as i64),
        None => {
            let sys = vm.import_full("sys")?;
            let Some(Value::Obj(d)) = vm.getattr_opt(&Value::Obj(sys), "__dict__")? else {
                return Err(vm.new_system_error("sys has no __dict__"));
            };
            (d, vm.new_str("sys"), 1)
        }
    };
    let key = vm.intern("__warningregistry__");
    let registry = match vm.dict_get_str(&globals, &key) {
        Some(r) => r,
        None => {
            let r = Value::Obj(vm.new_dict());
            vm.dict_set_str(&globals, &key, r.clone());
            r
        }
    };
    let module = match vm.dict_get_str(&globals, &vm.intern("__name__")) {
        Some(m) if m.is_none() || vm.as_str(&m).is_some() => m,
        _ => vm.new_str("<string>"),
    };
    Ok((filename, lineno, module, registry))
}

/// `filename` without its `.py`, as the module name of an explicit warning.
fn normalize_module(vm: &Vm, filename: &Value) -> Value {
    match vm.as_str(filename) {
        Some("") => vm.new_str("<unknown>"),
        Some(f) if f.ends_with(".py") => vm.new_str(&f[..f.len() - 3]),
        _ => filename.clone(),
    }
}

/// A filter field against the text or module: None matches anything, a
/// str by equality, anything else by its `match` method.
fn matches(vm: &Vm, pattern: &Value, arg: &Value) -> PyResult<bool> {
    if pattern.is_none() {
        return Ok(true);
    }
    if vm.class_of(pattern).is(&vm.types.str) {
        return Ok(match (vm.as_str(pattern), vm.as_str(arg)) {
            (Some(p), Some(a)) => p == a,
            _ => false,
        });
    }
    let m = vm.getattr_str(pattern, "match")?;
    let r = vm.call1(&m, &[arg.clone()])?;
    vm.truthy(&r)
}

/// The action of the first filter that applies (and that filter), or the
/// default action.
fn filter_action(vm: &Vm, category: &Value, text: &Value, lineno: i64, module: &Value) -> PyResult<(String, Value)> {
    let filters = state_attr(vm, "filters")?.unwrap_or(Value::None);
    let is_list = filters.payload().is_some_and(|p| p.as_list().is_some());
    let Some(items) = vm.seq_items(&filters).filter(|_| is_list) else {
        return Err(vm.new_value_error("_warnings.filters must be a list"));
    };
    for (i, item) in items.iter().enumerate() {
        let fields = match item.payload().and_then(|p| p.as_tuple()) {
            Some(t) if t.len() == 5 => t.to_vec(),
            _ => return Err(vm.new_value_error(format!("warnings.filters item {i} isn't a 5-tuple"))),
        };
        let Some(action) = vm.as_str(&fields[0]).map(str::to_string) else {
            return Err(vm.new_type_error(format!("action must be a string, not '{}'", vm.type_name_of(&fields[0]))));
        };
        let ln = crate::native::ssize(vm, &fields[4])?;
        if matches(vm, &fields[1], text)?
            && vm.issubclass(category, &fields[2])?
            && matches(vm, &fields[3], module)?
            && (ln == 0 || ln == lineno)
        {
            return Ok((action, item.clone()));
        }
    }
    let action = state_attr(vm, "defaultaction")?.unwrap_or(Value::None);
    match vm.as_str(&action) {
        Some(a) => Ok((a.to_string(), Value::None)),
        None => Err(vm.new_type_error(format!(
            "_warnings.defaultaction must be a string, not '{}'",
            vm.type_name_of(&action)
        ))),
    }
}

/// Was `key` recorded in `registry` (under the current filters version)?
/// A registry of another version is emptied first. Records it if `set`.
fn already_warned(vm: &Vm, registry: &PyRef, key: Value, set: bool) -> PyResult<bool> {
    let version = FILTERS_VERSION.load(Ordering::Relaxed);
    let vkey = vm.new_str("version");
    match vm.dict_get(registry, &vkey)? {
        Some(Value::Int(v)) if v == version => {
            if let Some(seen) = vm.dict_get(registry, &key)? {
                if vm.truthy(&seen)? {
                    return Ok(true);
                }
            }
        }
        _ => {
            let clear = vm.getattr_str(&Value::Obj(registry.clone()), "clear")?;
            vm.call1(&clear, &[])?;
            vm.dict_set(registry, vkey, Value::Int(version))?;
        }
    }
    if set {
        vm.dict_set(registry, key, Value::Bool(true))?;
    }
    Ok(false)
}

/// CPython's `warn_explicit`: filters, registries, then the display.
#[allow(clippy::too_many_arguments)]
fn warn_explicit_impl(
    vm: &Vm,
    category: Value,
    message: Value,
    filename: Value,
    lineno: i64,
    module: Option<Value>,
    registry: Option<Value>,
    sourceline: Option<String>,
    source: Option<Value>,
) -> PyResult<()> {
    let registry = match registry {
        Some(Value::Obj(r)) if r.payload.as_dict().is_some() => Some(r),
        None | Some(Value::None) => None,
        Some(_) => return Err(vm.new_type_error("'registry' must be a dict or None")),
    };
    let module = module.unwrap_or_else(|| normalize_module(vm, &filename));
    let (category, text, message) = if vm.isinstance(&message, &Value::Obj(vm.exc.warning.clone()))? {
        (Value::Obj(vm.class_of(&message).clone()), Value::Obj(vm.str(&message)?), message)
    } else {
        let made = vm.call1(&category, &[message.clone()])?;
        (category, message, made)
    };
    let key = vm.new_tuple(vec![text.clone(), category.clone(), Value::Int(lineno)]);
    if let Some(r) = &registry {
        if already_warned(vm, r, key.clone(), false)? {
            return Ok(());
        }
    }
    let (action, item) = filter_action(vm, &category, &text, lineno, &module)?;
    match action.as_str() {
        "error" => {
            let Value::Obj(exc) = message else { return Err(vm.new_type_error("exceptions must derive from BaseException")) };
            return Err(exc);
        }
        "ignore" => return Ok(()),
        "always" => {}
        _ => {
            if let Some(r) = &registry {
                vm.dict_set(r, key, Value::Bool(true))?;
            }
            let seen = match action.as_str() {
                "once" => {
                    let once = match state_attr(vm, "onceregistry")? {
                        Some(Value::Obj(d)) if d.payload.as_dict().is_some() => d,
                        other => {
                            return Err(vm.new_type_error(format!(
                                "_warnings.onceregistry must be a dict, not '{}'",
                                vm.type_name_of(&other.unwrap_or(Value::None))
                            )))
                        }
                    };
                    already_warned(vm, &once, vm.new_tuple(vec![text.clone(), category.clone()]), true)?
                }
                "module" => match &registry {
                    Some(r) => already_warned(vm, r, vm.new_tuple(vec![text.clone(), category.clone(), Value::Int(0)]), true)?,
                    None => false,
                },
                "default" => false,
                _ => {
                    return Err(vm.new_runtime_error(format!(
                        "Unrecognized action ({}) in warnings.filters:\n {}",
                        vm.repr_string(&vm.new_str(&action))?,
                        vm.repr_string(&item)?
                    )))
                }
            };
            if seen {
                return Ok(());
            }
        }
    }
    show(vm, category, text, message, filename, lineno, sourceline, source)
}

/// Hands the warning to `warnings._showwarnmsg` as a `WarningMessage`, or
/// writes it to stderr when the warnings module is not there.
#[allow(clippy::too_many_arguments)]
fn show(
    vm: &Vm,
    category: Value,
    text: Value,
    message: Value,
    filename: Value,
    lineno: i64,
    sourceline: Option<String>,
    source: Option<Value>,
) -> PyResult<()> {
    let source = source.unwrap_or(Value::None);
    let Some(show_fn) = state_attr_of_warnings(vm, "_showwarnmsg", !source.is_none())? else {
        // "file:line: Category: text", then the source line indented by two.
        let name = vm.getattr_str(&category, "__name__").and_then(|n| vm.str_string(&n)).unwrap_or_default();
        let file = vm.str_string(&filename)?;
        let mut out = format!("{file}:{lineno}: {name}: {}\n", vm.str_string(&text)?);
        let line = sourceline.or_else(|| {
            let text = std::fs::read_to_string(&file).ok()?;
            text.lines().nth(usize::try_from(lineno).ok()?.checked_sub(1)?).map(str::to_string)
        });
        if let Some(l) = line {
            out.push_str(&format!("  {}\n", l.trim_start()));
        }
        vm.write_stderr(&out);
        return Ok(());
    };
    if !vm.is_callable(&show_fn) {
        return Err(vm.new_type_error("warnings._showwarnmsg() must be set to a callable"));
    }
    let Some(cls) = state_attr_of_warnings(vm, "WarningMessage", false)? else {
        return Err(vm.new_runtime_error("unable to get warnings.WarningMessage"));
    };
    let msg = vm.call1(&cls, &[message, category, filename, Value::Int(lineno), Value::None, Value::None, source])?;
    vm.call1(&show_fn, &[msg])?;
    Ok(())
}

/// An attribute of the `warnings` module only (no fallback here).
fn state_attr_of_warnings(vm: &Vm, name: &str, import: bool) -> PyResult<Option<Value>> {
    let m = match vm.sys_modules_get("warnings") {
        Some(m) => m,
        None if import => vm.import_full("warnings")?,
        None => return Ok(None),
    };
    vm.getattr_opt(&Value::Obj(m), name)
}

fn warn(vm: &Vm, args: Args) -> PyResult {
    let a = vm.bind_native("warn", args, &["message", "category", "stacklevel", "source"], 0, 1, None)?;
    let message = a[0].clone().unwrap_or(Value::None);
    let category = category_of(vm, &message, a[1].clone())?;
    let stacklevel = match &a[2] {
        Some(v) => crate::native::ssize(vm, v)?,
        None => 1,
    };
    let (filename, lineno, module, registry) = setup_context(vm, stacklevel)?;
    warn_explicit_impl(vm, category, message, filename, lineno, Some(module), Some(registry), None, a[3].clone())?;
    Ok(Value::None)
}

fn warn_explicit(vm: &Vm, args: Args) -> PyResult {
    let names = ["message", "category", "filename", "lineno", "module", "registry", "module_globals", "source"];
    let a = vm.bind_native("warn_explicit", args, &names, 0, 4, None)?;
    let arg = |i: usize| a[i].clone().unwrap_or(Value::None);
    let filename = arg(2);
    if vm.as_str(&filename).is_none() {
        return Err(vm.new_type_error(format!(
            "warn_explicit() argument 'filename' must be str, not {}",
            vm.type_name_of(&filename)
        )));
    }
    let lineno = crate::native::ssize(vm, &arg(3))?;
    let mut sourceline = None;
    if let Some(g) = a[6].clone().filter(|g| !g.is_none()) {
        let Some(Value::Obj(globals)) = g.payload().and_then(|p| p.as_dict()).map(|_| g.clone()) else {
            return Err(vm.new_type_error(format!("module_globals must be a dict, not '{}'", vm.type_name_of(&g))));
        };
        sourceline = source_line(vm, &globals, lineno)?;
    }
    warn_explicit_impl(vm, arg(1), arg(0), filename, lineno, a[4].clone(), a[5].clone(), sourceline, a[7].clone())?;
    Ok(Value::None)
}

/// Line `lineno` of the source the module's `__loader__` gives (split as
/// a plain str, whatever the object's own `splitlines`); None without one.
fn source_line(vm: &Vm, globals: &PyRef, lineno: i64) -> PyResult<Option<String>> {
    let (Some(loader), Some(name)) =
        (vm.dict_get_str(globals, &vm.intern("__loader__")), vm.dict_get_str(globals, &vm.intern("__name__")))
    else {
        return Ok(None);
    };
    let get_source = vm.getattr_str(&loader, "get_source")?;
    let source = vm.call1(&get_source, &[name])?;
    if source.is_none() {
        return Ok(None);
    }
    let Some(text) = vm.as_str(&source) else {
        return Err(vm.new_type_error(format!("descriptor 'splitlines' for 'str' objects doesn't apply to a '{}' object", vm.type_name_of(&source))));
    };
    match usize::try_from(lineno).ok().and_then(|n| n.checked_sub(1)).and_then(|i| text.lines().nth(i)) {
        Some(l) => Ok(Some(l.to_string())),
        None => Err(vm.new_index_error("list index out of range")),
    }
}

fn filters_mutated(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("_filters_mutated", args, 0, 0)?;
    FILTERS_VERSION.fetch_add(1, Ordering::Relaxed);
    Ok(Value::None)
}

static FUNCS: [NativeDef; 3] = [
    NativeDef::function("warn", warn).doc("warn($module, /, message, category=None, stacklevel=1, source=None)\n--\n\nIssue a warning, or maybe ignore it or raise an exception."),
    NativeDef::function("warn_explicit", warn_explicit).doc("warn_explicit($module, /, message, category, filename, lineno, module=<unrepresentable>, registry=None, module_globals=None, source=None)\n--\n\nLow-level interface to warnings functionality."),
    NativeDef::function("_filters_mutated", filters_mutated),
];

/// CPython's default filters (a release build's): DeprecationWarning shown
/// in `__main__` only; Pending/Import/ResourceWarning ignored.
fn default_filters(vm: &Vm) -> Value {
    let filter = |action: &str, cat: &PyRef, module: Option<&str>| {
        vm.new_tuple(vec![
            vm.new_str(action),
            Value::None,
            Value::Obj(cat.clone()),
            module.map_or(Value::None, |m| vm.new_str(m)),
            Value::Int(0),
        ])
    };
    let e = &vm.exc;
    vm.new_list(vec![
        filter("default", &e.deprecation_warning, Some("__main__")),
        filter("ignore", &e.deprecation_warning, None),
        filter("ignore", &e.pending_deprecation_warning, None),
        filter("ignore", &e.import_warning, None),
        filter("ignore", &e.resource_warning, None),
    ])
}

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let state = vm.state::<WarningsState>();
    let (filters, action, once) = (default_filters(vm), vm.new_str("default"), Value::Obj(vm.new_dict()));
    *state.filters.borrow_mut() = Some(filters.clone());
    *state.defaultaction.borrow_mut() = Some(action.clone());
    *state.onceregistry.borrow_mut() = Some(once.clone());
    Ok(crate::native::make_module(
        vm,
        "_warnings",
        "_warnings provides basic warning filtering support.\nIt is a helper module to speed up interpreter start-up.",
        &FUNCS,
        vec![("filters", filters), ("_defaultaction", action), ("_onceregistry", once)],
    ))
}
