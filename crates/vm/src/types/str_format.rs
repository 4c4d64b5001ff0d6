//! `format()` and the `str.format` family: `vm.format_value` (what `format()`
//! and f-strings call), `str.__format__`, `object.__format__`'s default, and
//! the replacement-field language of `str.format` / `str.format_map`
//! (CPython's `unicode_format.h`: same parse order, same errors).

use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::function::Args;
use crate::types::str_methods::{arity, Ar};
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use krait_text::format as tf;

/// Converts an error of the text crate into the Python exception.
pub fn fmt_err(vm: &Vm, e: tf::FormatError) -> PyErr {
    match e.kind {
        tf::ErrorKind::ValueError => vm.new_value_error(e.msg),
        tf::ErrorKind::OverflowError => match e.errno {
            Some(n) => vm.new_exception(&vm.exc.overflow_error, vec![Value::Int(n as i64), vm.new_str(e.msg)]),
            None => vm.new_overflow_error(e.msg),
        },
        tf::ErrorKind::ZeroDivisionError => vm.new_zero_division_error(e.msg),
        tf::ErrorKind::MemoryError => vm.new_memory_error(),
    }
}

impl Vm {
    /// `format(value, spec)`: `type(value).__format__(value, spec)`, with native
    /// fast paths for exact str, int and float.
    pub fn format_value(&self, value: &Value, spec: &str) -> PyResult<PyRef> {
        if spec.is_empty() {
            if let Value::Obj(o) = value {
                if o.class().is(&self.types.str) {
                    return Ok(o.clone());
                }
            }
        }
        match value {
            Value::Int(_) | Value::Bool(_) | Value::Float(_) => return self.format_builtin_number(value, spec),
            Value::Obj(o) if o.class().is(&self.types.int) || o.class().is(&self.types.float) => {
                return self.format_builtin_number(value, spec)
            }
            Value::Obj(o) if o.class().is(&self.types.str) => {
                let text = o.payload.as_str().map(|p| p.as_str()).unwrap_or("");
                return Ok(self.new_str_ref(format_str_spec(self, text, spec)?));
            }
            _ => {}
        }
        let r = match self.special(value, crate::types::typeobj::Slot::Format) {
            Some(f) => self.call_unbound(&f, value, &[self.new_str(spec)])?,
            None => return default_format(self, value, spec),
        };
        match r {
            Value::Obj(o) if o.payload.as_str().is_some() => Ok(o),
            other => Err(self.new_type_error(format!(
                "__format__ must return a str, not {}",
                self.type_name_of(&other)
            ))),
        }
    }

    /// `format()` of an exact int, bool or float.
    fn format_builtin_number(&self, value: &Value, spec: &str) -> PyResult<PyRef> {
        if spec.is_empty() {
            return self.str(value);
        }
        let tname = self.type_name_of(value);
        let out = if let Some(f) = match value {
            Value::Float(f) => Some(*f),
            Value::Obj(o) => o.payload.as_float(),
            _ => None,
        } {
            let sp = tf::parse_format_spec(spec, None, &tname).map_err(|e| fmt_err(self, e))?;
            tf::format_float(f, &sp, &tname)
        } else {
            let i = self.as_ibig(value).unwrap_or_default();
            let sp = tf::parse_format_spec(spec, Some('d'), &tname).map_err(|e| fmt_err(self, e))?;
            tf::format_int(&i, &sp, &tname, self.int_max_str_digits.get())
        };
        Ok(self.new_str_ref(out.map_err(|e| fmt_err(self, e))?))
    }
}

/// `format(s, spec)` for str text.
fn format_str_spec(vm: &Vm, text: &str, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(text.to_string());
    }
    let sp = tf::parse_format_spec(spec, Some('s'), "str").map_err(|e| fmt_err(vm, e))?;
    tf::format_str(text, &sp, "str").map_err(|e| fmt_err(vm, e))
}

/// `object.__format__`: only the empty spec is allowed.
fn default_format(vm: &Vm, value: &Value, spec: &str) -> PyResult<PyRef> {
    if !spec.is_empty() {
        return Err(vm.new_type_error(format!(
            "unsupported format string passed to {}.__format__",
            vm.type_name_of(value)
        )));
    }
    vm.str(value)
}

/// `str.__format__(self, spec)`.
pub fn str_format_spec(vm: &Vm, args: Args) -> PyResult {
    let me = args.positional().first().and_then(|v| v.payload()).and_then(|p| p.as_str());
    let me = me.ok_or_else(|| vm.new_type_error("descriptor '__format__' requires a 'str' object"))?;
    let pos = arity(vm, args, "str", "__format__", 1, 1, Ar::Exact)?;
    let spec = pos[0].payload().and_then(|p| p.as_str()).ok_or_else(|| {
        vm.new_type_error(format!("__format__() argument must be str, not {}", vm.type_name_of(&pos[0])))
    })?;
    // A subclass formats as its str() with the empty spec (its __str__ may say otherwise).
    if spec.byte_len() == 0 && !is_exact_str(vm, &args.positional()[0]) {
        return Ok(Value::Obj(vm.str(&args.positional()[0])?));
    }
    Ok(vm.new_str(format_str_spec(vm, me.as_str(), spec.as_str())?))
}

/// `ascii(v)` as Rust text: `repr` with every non-ASCII character escaped.
pub fn ascii_string(vm: &Vm, v: &Value) -> PyResult<String> {
    let r = vm.repr_string(v)?;
    if r.is_ascii() {
        return Ok(r);
    }
    let mut out = String::with_capacity(r.len() + 8);
    for c in r.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&crate::types::str_codecs::backslash_escape(c as u32));
        }
    }
    Ok(out)
}

// ------------------------------------------------------------ str.format

/// Where replacement fields look their values up.
struct Source<'a> {
    args: &'a [Value],
    /// `format(**kwargs)`: the keyword names and values.
    kwargs: Option<Args<'a>>,
    /// `format_map(mapping)`.
    mapping: Option<&'a Value>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AutoNumber {
    Init,
    Auto,
    Manual,
}

struct Renderer<'a> {
    vm: &'a Vm,
    src: Source<'a>,
    auto: AutoNumber,
    next_index: usize,
}

fn val_err(vm: &Vm, msg: &str) -> PyErr {
    vm.new_value_error(msg)
}

/// Parses a run of ASCII digits as an index (None if not all digits).
fn as_index(vm: &Vm, s: &[char]) -> PyResult<Option<usize>> {
    if s.is_empty() || !s.iter().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let mut acc: usize = 0;
    for c in s {
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(*c as usize - '0' as usize))
            .filter(|&a| a <= isize::MAX as usize)
            .ok_or_else(|| val_err(vm, "Too many decimal digits in format string"))?;
    }
    Ok(Some(acc))
}

impl<'a> Renderer<'a> {
    fn render(&mut self, fmt: &[char], depth: i32, out: &mut String) -> PyResult<()> {
        let vm = self.vm;
        if depth <= 0 {
            return Err(val_err(vm, "Max string recursion exceeded"));
        }
        let n = fmt.len();
        let mut i = 0;
        while i < n {
            // Literal text up to the next brace.
            let c = fmt[i];
            i += 1;
            if c != '{' && c != '}' {
                out.push(c);
                continue;
            }
            let at_end = i >= n;
            if c == '}' && (at_end || fmt[i] != '}') {
                return Err(val_err(vm, "Single '}' encountered in format string"));
            }
            if at_end && c == '{' {
                return Err(val_err(vm, "Single '{' encountered in format string"));
            }
            if fmt[i] == c {
                out.push(c);
                i += 1;
                continue;
            }
            // A replacement field: the field name ends at '}', ':' or '!'.
            let name_start = i;
            let mut last = '\0';
            while i < n {
                last = fmt[i];
                i += 1;
                match last {
                    '{' => return Err(val_err(vm, "unexpected '{' in field name")),
                    '[' => {
                        while i < n && fmt[i] != ']' {
                            i += 1;
                        }
                        continue;
                    }
                    '}' | ':' | '!' => break,
                    _ => continue,
                }
            }
            let mut conversion = None;
            let mut spec: &[char] = &[];
            let mut spec_nested = false;
            let name_end;
            if last == '!' || last == ':' {
                name_end = i - 1;
                let mut has_spec = true;
                if last == '!' {
                    if i >= n {
                        return Err(val_err(vm, "end of string while looking for conversion specifier"));
                    }
                    conversion = Some(fmt[i]);
                    i += 1;
                    if i < n {
                        let c2 = fmt[i];
                        i += 1;
                        if c2 == '}' {
                            has_spec = false;
                        } else if c2 != ':' {
                            return Err(val_err(vm, "expected ':' after conversion specifier"));
                        }
                    }
                }
                if has_spec {
                    let spec_start = i;
                    let mut count = 1;
                    let mut closed = false;
                    while i < n {
                        let c3 = fmt[i];
                        i += 1;
                        if c3 == '{' {
                            spec_nested = true;
                            count += 1;
                        } else if c3 == '}' {
                            count -= 1;
                            if count == 0 {
                                spec = &fmt[spec_start..i - 1];
                                closed = true;
                                break;
                            }
                        }
                    }
                    if !closed {
                        return Err(val_err(vm, "unmatched '{' in format spec"));
                    }
                }
            } else if last != '}' {
                return Err(val_err(vm, "expected '}' before end of string"));
            } else {
                name_end = i - 1;
            }
            let obj = self.get_field(&fmt[name_start..name_end])?;
            let obj = match conversion {
                None => obj,
                Some('r') => Value::Obj(vm.repr(&obj)?),
                Some('s') => Value::Obj(vm.str(&obj)?),
                Some('a') => vm.new_str(ascii_string(vm, &obj)?),
                Some(c) => {
                    let msg = if (c as u32) > 32 && (c as u32) < 127 {
                        format!("Unknown conversion specifier {c}")
                    } else {
                        format!("Unknown conversion specifier \\x{:x}", c as u32)
                    };
                    return Err(vm.new_value_error(msg));
                }
            };
            let spec_text: String = if spec_nested {
                let mut expanded = String::new();
                self.render(spec, depth - 1, &mut expanded)?;
                expanded
            } else {
                spec.iter().collect()
            };
            let r = vm.format_value(&obj, &spec_text)?;
            out.push_str(r.payload.as_str().map(|p| p.as_str()).unwrap_or(""));
        }
        Ok(())
    }

    /// Resolves a field name such as `0`, `name`, `0.attr[key]`, or empty.
    fn get_field(&mut self, name: &[char]) -> PyResult {
        let vm = self.vm;
        let first_end = name.iter().position(|c| *c == '.' || *c == '[').unwrap_or(name.len());
        let first = &name[..first_end];
        let mut obj = if first.is_empty() {
            if self.auto == AutoNumber::Manual {
                return Err(val_err(vm, "cannot switch from manual field specification to automatic field numbering"));
            }
            self.auto = AutoNumber::Auto;
            let idx = self.next_index;
            self.next_index += 1;
            self.positional(idx)?
        } else if let Some(idx) = as_index(vm, first)? {
            if self.auto == AutoNumber::Auto {
                return Err(val_err(vm, "cannot switch from automatic field numbering to manual field specification"));
            }
            self.auto = AutoNumber::Manual;
            self.positional(idx)?
        } else {
            let key: String = first.iter().collect();
            self.keyword(&key)?
        };
        let mut i = first_end;
        while i < name.len() {
            let c = name[i];
            i += 1;
            if c == '.' {
                let start = i;
                while i < name.len() && name[i] != '.' && name[i] != '[' {
                    i += 1;
                }
                if i == start {
                    return Err(val_err(vm, "Empty attribute in format string"));
                }
                let attr: String = name[start..i].iter().collect();
                obj = vm.getattr_str(&obj, &attr)?;
            } else if c == '[' {
                let start = i;
                while i < name.len() && name[i] != ']' {
                    i += 1;
                }
                if i >= name.len() {
                    return Err(val_err(vm, "Missing ']' in format string"));
                }
                let key = &name[start..i];
                i += 1;
                if key.is_empty() {
                    return Err(val_err(vm, "Empty attribute in format string"));
                }
                let k = match as_index(vm, key)? {
                    Some(n) => Value::Int(n as i64),
                    None => vm.new_str(key.iter().collect::<String>()),
                };
                obj = vm.getitem(&obj, &k)?;
                if i < name.len() && name[i] != '.' && name[i] != '[' {
                    return Err(val_err(vm, "Only '.' or '[' may follow ']' in format field specifier"));
                }
            } else {
                return Err(val_err(vm, "Only '.' or '[' may follow ']' in format field specifier"));
            }
        }
        Ok(obj)
    }

    fn positional(&self, idx: usize) -> PyResult {
        match self.src.args.get(idx) {
            Some(v) => Ok(v.clone()),
            None => {
                if self.src.mapping.is_some() {
                    return Err(val_err(self.vm, "Format string contains positional fields"));
                }
                Err(self.vm.new_index_error(format!("Replacement index {idx} out of range for positional args tuple")))
            }
        }
    }

    fn keyword(&self, key: &str) -> PyResult {
        let vm = self.vm;
        if let Some(m) = self.src.mapping {
            return vm.getitem(m, &vm.new_str(key));
        }
        if let Some(kw) = self.src.kwargs {
            for (k, v) in kw.keywords() {
                if vm.as_str(k) == Some(key) {
                    return Ok(v.clone());
                }
            }
        }
        Err(vm.new_key_error(vm.new_str(key)))
    }
}

fn render_with(vm: &Vm, fmt: &str, src: Source) -> PyResult {
    let chars: Vec<char> = fmt.chars().collect();
    let mut r = Renderer { vm, src, auto: AutoNumber::Init, next_index: 0 };
    let mut out = String::with_capacity(fmt.len());
    r.render(&chars, 2, &mut out)?;
    Ok(vm.new_str(out))
}

/// `str.format(self, *args, **kwargs)`.
pub fn str_format(vm: &Vm, args: Args) -> PyResult {
    let me = args.positional().first().and_then(|v| v.payload()).and_then(|p| p.as_str());
    let me = me.ok_or_else(|| vm.new_type_error("descriptor 'format' requires a 'str' object"))?;
    let pos = args.positional();
    let src = Source { args: pos.get(1..).unwrap_or(&[]), kwargs: Some(args), mapping: None };
    render_with(vm, me.as_str(), src)
}

/// `str.format_map(self, mapping)`.
pub fn str_format_map(vm: &Vm, args: Args) -> PyResult {
    let me = args.positional().first().and_then(|v| v.payload()).and_then(|p| p.as_str());
    let me = me.ok_or_else(|| vm.new_type_error("descriptor 'format_map' requires a 'str' object"))?;
    let pos = arity(vm, args, "str", "format_map", 1, 1, Ar::Exact)?;
    let src = Source { args: &[], kwargs: None, mapping: Some(&pos[0]) };
    render_with(vm, me.as_str(), src)
}

/// Is the value a builtin str (for callers that want to skip `format_value`)?
pub fn is_exact_str(vm: &Vm, v: &Value) -> bool {
    matches!(v, Value::Obj(o) if o.class().is(&vm.types.str) && matches!(o.payload, Payload::Str(_)))
}
