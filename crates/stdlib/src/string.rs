//! The `_string` module: `formatter_parser` and `formatter_field_name_split`,
//! the pieces of str.format's parser that string.Formatter uses. Both parse
//! up front and hand out the items through an iterator that raises the
//! parse error (if any) where CPython's lazy iterators would.

use crate::native::{native_type, new_iter, unpack, TypeSpec, ITER_METHODS};
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Items still to produce, then the error that ends the iteration (if any).
struct Items {
    st: RefCell<(VecDeque<Value>, Option<String>)>,
}

impl NativeIter for Items {
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        crate::native::visit_refcell(&self.st, visitor, |(items, _), visitor| {
            items.iter().for_each(|v| visitor.visit_value(v));
        });
    }
    fn clear(&self) {
        let old = match self.st.try_borrow_mut() {
            Ok(mut st) => std::mem::take(&mut st.0),
            Err(_) => return,
        };
        drop(old);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let mut st = self.st.borrow_mut();
        if let Some(v) = st.0.pop_front() {
            return Ok(Some(v));
        }
        match st.1.take() {
            Some(msg) => Err(vm.new_value_error(msg)),
            None => Ok(None),
        }
    }
}

fn str_arg<'a>(vm: &Vm, v: &'a Value) -> PyResult<&'a str> {
    vm.as_str(v).ok_or_else(|| vm.new_type_error(format!("expected str, got {}", vm.type_name_of(v))))
}

/// One replacement field after its '{': (name, spec, conversion), and the
/// position after the field.
fn parse_field(s: &[char], mut i: usize) -> Result<(String, String, Option<char>, usize), String> {
    let n = s.len();
    let start = i;
    let mut c = '\0';
    while i < n {
        c = s[i];
        i += 1;
        match c {
            '{' => return Err("unexpected '{' in field name".into()),
            '[' => {
                while i < n && s[i] != ']' {
                    i += 1;
                }
                continue;
            }
            '}' | ':' | '!' => break,
            _ => continue,
        }
    }
    // The name ends before the character that stopped the scan (any other
    // ending is an error below).
    let name: String = s[start..i.saturating_sub(1).max(start)].iter().collect();
    if c == '!' || c == ':' {
        let mut conversion = None;
        if c == '!' {
            if i >= n {
                return Err("end of string while looking for conversion specifier".into());
            }
            conversion = Some(s[i]);
            i += 1;
            if i < n {
                let c2 = s[i];
                i += 1;
                if c2 == '}' {
                    return Ok((name, String::new(), conversion, i));
                }
                if c2 != ':' {
                    return Err("expected ':' after conversion specifier".into());
                }
            }
        }
        let spec_start = i;
        let mut count = 1;
        while i < n {
            let c3 = s[i];
            i += 1;
            if c3 == '{' {
                count += 1;
            } else if c3 == '}' {
                count -= 1;
                if count == 0 {
                    return Ok((name, s[spec_start..i - 1].iter().collect(), conversion, i));
                }
            }
        }
        return Err("unmatched '{' in format spec".into());
    }
    if c != '}' {
        return Err("expected '}' before end of string".into());
    }
    Ok((name, String::new(), None, i))
}

/// `formatter_parser(str)`: (literal, field_name, format_spec, conversion) tuples.
fn formatter_parser(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "formatter_parser", &args, 1, 1)?;
    let s: Vec<char> = str_arg(vm, &a[0])?.chars().collect();
    let n = s.len();
    let mut items = VecDeque::new();
    let mut error = None;
    let mut i = 0;
    while i < n {
        let start = i;
        let mut c = '\0';
        let mut markup = false;
        while i < n {
            c = s[i];
            i += 1;
            if c == '{' || c == '}' {
                markup = true;
                break;
            }
        }
        let at_end = i >= n;
        if c == '}' && markup && (at_end || s[i] != '}') {
            error = Some("Single '}' encountered in format string".to_string());
            break;
        }
        if at_end && c == '{' && markup {
            error = Some("Single '{' encountered in format string".to_string());
            break;
        }
        let mut len = i - start;
        if markup && !at_end {
            if s[i] == c {
                // A doubled brace: one of it ends the literal, no field follows.
                i += 1;
                markup = false;
            } else {
                len -= 1;
            }
        }
        let literal = vm.new_str(s[start..start + len].iter().collect::<String>());
        if !markup {
            items.push_back(vm.new_tuple(vec![literal, Value::None, Value::None, Value::None]));
            continue;
        }
        match parse_field(&s, i) {
            Ok((name, spec, conv, next)) => {
                i = next;
                let conv = conv.map(|c| vm.new_str(c.to_string())).unwrap_or(Value::None);
                items.push_back(vm.new_tuple(vec![literal, vm.new_str(name), vm.new_str(spec), conv]));
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    let t = native_type(vm, &FORMATTER_ITER);
    Ok(new_iter(vm, &t, &t, Items { st: RefCell::new((items, error)) }))
}

/// An int for an all-digit name, else the text.
fn int_or_str(vm: &Vm, s: &str) -> Result<Value, String> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Ok(vm.new_str(s));
    }
    match s.parse::<i64>() {
        Ok(v) => Ok(Value::Int(v)),
        Err(_) => Err("Too many decimal digits in format string".into()),
    }
}

/// `formatter_field_name_split(str)`: (first, iterator of (is_attr, name)).
fn field_name_split(vm: &Vm, args: Args) -> PyResult {
    let a = unpack(vm, "formatter_field_name_split", &args, 1, 1)?;
    let s: Vec<char> = str_arg(vm, &a[0])?.chars().collect();
    let first_end = s.iter().position(|c| *c == '.' || *c == '[').unwrap_or(s.len());
    let first: String = s[..first_end].iter().collect();
    let first = int_or_str(vm, &first).map_err(|e| vm.new_value_error(e))?;
    let mut items = VecDeque::new();
    let mut error = None;
    let mut i = first_end;
    let n = s.len();
    while i < n {
        let c = s[i];
        i += 1;
        let (is_attr, name) = match c {
            '.' => {
                let start = i;
                while i < n && s[i] != '.' && s[i] != '[' {
                    i += 1;
                }
                (true, s[start..i].iter().collect::<String>())
            }
            '[' => {
                let start = i;
                while i < n && s[i] != ']' {
                    i += 1;
                }
                if i >= n {
                    error = Some("Missing ']' in format string".to_string());
                    break;
                }
                let key: String = s[start..i].iter().collect();
                i += 1;
                if i < n && s[i] != '.' && s[i] != '[' {
                    error = Some("Only '.' or '[' may follow ']' in format field specifier".to_string());
                    break;
                }
                (false, key)
            }
            _ => {
                error = Some("Only '.' or '[' may follow ']' in format field specifier".to_string());
                break;
            }
        };
        if name.is_empty() {
            error = Some("Empty attribute in format string".to_string());
            break;
        }
        let v = if is_attr {
            vm.new_str(name)
        } else {
            match int_or_str(vm, &name) {
                Ok(v) => v,
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        };
        items.push_back(vm.new_tuple(vec![Value::Bool(is_attr), v]));
    }
    let t = native_type(vm, &FIELDNAME_ITER);
    let it = new_iter(vm, &t, &t, Items { st: RefCell::new((items, error)) });
    Ok(vm.new_tuple(vec![first, it]))
}

const fn iter_spec(name: &'static str) -> TypeSpec {
    TypeSpec {
        module: "",
        name,
        doc: "",
        layout: Layout::Other,
        flags: 0,
        base: None,
        slots: &[],
        methods: &ITER_METHODS,
        more_methods: &[],
        getsets: &[],
    }
}

static FORMATTER_ITER: TypeSpec = iter_spec("formatteriterator");
static FIELDNAME_ITER: TypeSpec = iter_spec("fieldnameiterator");

static FUNCS: [NativeDef; 2] = [
    NativeDef { doc: "parse the argument as a format string", ..NativeDef::function("formatter_parser", formatter_parser) },
    NativeDef { doc: "split the argument as a field name", ..NativeDef::function("formatter_field_name_split", field_name_split) },
];

/// Creates the `_string` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    Ok(crate::native::make_module(vm, "_string", "string helper module", &FUNCS, Vec::new()))
}
