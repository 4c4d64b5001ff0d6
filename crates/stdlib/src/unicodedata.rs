//! The `unicodedata` module (Unicode 14.0.0, as CPython 3.11), over the
//! tables of `krait_text::unicode`. `ucd_3_2_0` is a `UCD` object with the
//! same methods; it answers from the 14.0.0 data (only its
//! `unidata_version` says 3.2.0), which agrees with Unicode 3.2 for every
//! character that existed then except the few whose properties changed.

use crate::native::{native_type, new_object, TypeSpec};
use krait_text::unicode::{self as uni, names, ucd};
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};

/// The one char of a one-char str argument, with CPython's messages.
fn one_char(vm: &Vm, fname: &str, v: &Value, numbered: bool) -> PyResult<char> {
    let arg = if numbered { "argument 1" } else { "argument" };
    match vm.as_str(v) {
        Some(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(vm.new_type_error(format!("{fname}() {arg} must be a unicode character, not str"))),
            }
        }
        None => Err(vm.new_type_error(format!(
            "{fname}() {arg} must be a unicode character, not {}",
            vm.type_name_of(v)
        ))),
    }
}

/// Functions of one char and an optional default.
fn with_default(vm: &Vm, args: Args, fname: &str, f: impl Fn(char) -> Option<Value>, err: &str) -> PyResult {
    let a = crate::native::unpack(vm, fname, &args, 1, 2)?;
    let c = one_char(vm, fname, &a[0], true)?;
    match f(c) {
        Some(v) => Ok(v),
        None => match a.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(vm.new_value_error(err)),
        },
    }
}

fn name(vm: &Vm, args: Args) -> PyResult {
    with_default(vm, args, "name", |c| names::name(c as u32).map(|n| vm.new_str(n)), "no such name")
}

fn decimal(vm: &Vm, args: Args) -> PyResult {
    with_default(vm, args, "decimal", |c| uni::decimal_value(c).map(|d| Value::Int(d as i64)), "not a decimal")
}

fn digit(vm: &Vm, args: Args) -> PyResult {
    with_default(vm, args, "digit", |c| uni::digit_value(c).map(|d| Value::Int(d as i64)), "not a digit")
}

fn numeric(vm: &Vm, args: Args) -> PyResult {
    with_default(vm, args, "numeric", |c| uni::numeric_value(c).map(Value::Float), "not a numeric character")
}

/// Functions of exactly one char.
fn of_char(vm: &Vm, args: Args, fname: &str, f: impl Fn(u32) -> Value) -> PyResult {
    crate::native::no_kwargs(vm, fname, &args)?;
    if args.args.len() != 1 {
        return Err(vm.new_type_error(format!("{fname}() takes exactly one argument ({} given)", args.args.len())));
    }
    let c = one_char(vm, fname, &args.args[0], false)?;
    Ok(f(c as u32))
}

fn category(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "category", |c| vm.new_str(uni::cp::category(c)))
}

fn bidirectional(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "bidirectional", |c| vm.new_str(ucd::bidirectional(c)))
}

fn combining(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "combining", |c| Value::Int(ucd::combining(c) as i64))
}

fn east_asian_width(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "east_asian_width", |c| vm.new_str(ucd::east_asian_width(c)))
}

fn mirrored(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "mirrored", |c| Value::Int(ucd::mirrored(c) as i64))
}

fn decomposition(vm: &Vm, args: Args) -> PyResult {
    of_char(vm, args, "decomposition", |c| vm.new_str(ucd::decomposition(c)))
}

fn lookup(vm: &Vm, args: Args) -> PyResult {
    let a = crate::native::unpack(vm, "lookup", &args, 1, 1)?;
    let text = match vm.as_str(&a[0]) {
        Some(s) => s.to_string(),
        None => match krait_vm::types::int::bytes_like(&a[0]) {
            Some(b) => String::from_utf8_lossy(&b).into_owned(),
            None => {
                return Err(vm.new_type_error(format!(
                    "lookup() argument must be str or read-only bytes-like object, not {}",
                    vm.type_name_of(&a[0])
                )))
            }
        },
    };
    if text.len() > 256 {
        return Err(vm.new_key_error(vm.new_str("name too long")));
    }
    match names::lookup(&text, true) {
        Some(s) => Ok(vm.new_str(s)),
        None => Err(vm.new_key_error(vm.new_str(format!("undefined character name '{text}'")))),
    }
}

/// (form, text) arguments of normalize / is_normalized.
fn form_args(vm: &Vm, args: Args, fname: &str) -> PyResult<(ucd::Form, String)> {
    let a = crate::native::unpack(vm, fname, &args, 2, 2)?;
    let form = crate::codecs::str_arg(vm, fname, 1, &a[0])?;
    let text = crate::codecs::str_arg(vm, fname, 2, &a[1])?.to_string();
    let form = ucd::Form::parse(form).ok_or_else(|| vm.new_value_error("invalid normalization form"))?;
    Ok((form, text))
}

fn normalize(vm: &Vm, args: Args) -> PyResult {
    let orig = args.args.get(1).cloned();
    let (form, text) = form_args(vm, args, "normalize")?;
    let out = ucd::normalize(form, &text);
    // An unchanged exact str comes back as the same object, as in CPython.
    match orig {
        Some(o) if out == text && vm.class_of(&o).is(&vm.types.str) => Ok(o),
        _ => Ok(vm.new_str(out)),
    }
}

fn is_normalized(vm: &Vm, args: Args) -> PyResult {
    let (form, text) = form_args(vm, args, "is_normalized")?;
    Ok(Value::Bool(ucd::is_normalized(form, &text)))
}

static FUNCS: [NativeDef; 13] = [
    NativeDef::function("name", name),
    NativeDef::function("lookup", lookup),
    NativeDef::function("decimal", decimal),
    NativeDef::function("digit", digit),
    NativeDef::function("numeric", numeric),
    NativeDef::function("category", category),
    NativeDef::function("bidirectional", bidirectional),
    NativeDef::function("combining", combining),
    NativeDef::function("east_asian_width", east_asian_width),
    NativeDef::function("mirrored", mirrored),
    NativeDef::function("decomposition", decomposition),
    NativeDef::function("normalize", normalize),
    NativeDef::function("is_normalized", is_normalized),
];

/// `UCD` methods: the module functions without `self`.
macro_rules! ucd_methods {
    ($($f:ident),*) => {
        mod m {
            use krait_vm::{Args, PyResult, Vm};
            $(pub fn $f(vm: &Vm, args: Args) -> PyResult {
                super::$f(vm, Args { args: args.args.get(1..).unwrap_or(&[]), kwnames: args.kwnames })
            })*
        }
        static METHODS: [NativeDef; 13] = [$(NativeDef::method(stringify!($f), m::$f)),*];
    };
}

ucd_methods!(
    name,
    lookup,
    decimal,
    digit,
    numeric,
    category,
    bidirectional,
    combining,
    east_asian_width,
    mirrored,
    decomposition,
    normalize,
    is_normalized
);

struct Ucd;

/// Holds no Python references.
impl krait_vm::gc::NativeData for Ucd {}

static UCD: TypeSpec = TypeSpec {
    module: "unicodedata",
    name: "UCD",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

/// Creates the `unicodedata` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let t = native_type(vm, &UCD);
    krait_vm::types::add_attr(vm, &t, "unidata_version", vm.new_str("3.2.0"));
    let old = new_object(vm, &t, &t, Ucd);
    let attrs = vec![
        ("unidata_version", vm.new_str("14.0.0")),
        ("UCD", Value::Obj(t)),
        ("ucd_3_2_0", old),
    ];
    let doc = "This module provides access to the Unicode Character Database which\n\
defines character properties for all Unicode characters. The data in\n\
this database is based on the UnicodeData.txt file version\n\
14.0.0 which is publicly available from ftp://ftp.unicode.org/.\n\
\n\
The module uses the same names and symbols as defined by the\n\
UnicodeData.txt file. More information about the\n\
UnicodeData.txt file can be found in the UnicodeData.txt documentation.";
    Ok(crate::native::make_module(vm, "unicodedata", doc, &FUNCS, attrs))
}
