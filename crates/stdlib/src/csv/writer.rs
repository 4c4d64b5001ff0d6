//! `_csv.writer`: joins the fields of each row with the dialect's quoting
//! and escaping (CPython's join_append_data) and passes the line to write().

use super::dialect::params;
use super::{call_dialect, error, keywords, unpack_positional, Params, QUOTE_ALL, QUOTE_NONE, QUOTE_NONNUMERIC};
use crate::native::{descr_error, is_number, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;

pub(crate) struct Writer {
    dialect: RefCell<Value>,
    write: RefCell<Value>,
    p: Params,
}

impl NativeData for Writer {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        for cell in [&self.dialect, &self.write] {
            if let Ok(v) = cell.try_borrow() {
                visitor.visit_value(&v);
            }
        }
    }
    fn clear(&self) {
        let old: Vec<Value> = [&self.dialect, &self.write]
            .iter()
            .filter_map(|c| c.try_borrow_mut().ok().map(|mut v| std::mem::replace(&mut *v, Value::None)))
            .collect();
        drop(old);
    }
}

/// Does `c` need quoting or escaping in a field?
fn is_special(p: &Params, c: char) -> bool {
    c == p.delimiter || Some(c) == p.escapechar || Some(c) == p.quotechar || p.lineterminator.contains(c)
}

/// Appends one field (None: a field from None, written empty) to `rec`.
fn append_field(vm: &Vm, p: &Params, rec: &mut String, first: bool, field: Option<&str>, mut quoted: bool) -> PyResult<()> {
    if !first {
        rec.push(p.delimiter);
    }
    let start = rec.len();
    let text = field.unwrap_or("");
    if !text.chars().any(|c| is_special(p, c)) {
        rec.push_str(text);
    } else {
        for c in text.chars() {
            if is_special(p, c) {
                let mut want_escape = false;
                if p.quoting == QUOTE_NONE {
                    want_escape = true;
                } else {
                    if Some(c) == p.quotechar {
                        if p.doublequote {
                            rec.push(c);
                        } else {
                            want_escape = true;
                        }
                    } else if Some(c) == p.escapechar {
                        want_escape = true;
                    }
                    if !want_escape {
                        quoted = true;
                    }
                }
                if want_escape {
                    let Some(e) = p.escapechar else {
                        return Err(error(vm, "need to escape, but no escapechar set"));
                    };
                    rec.push(e);
                }
            }
            rec.push(c);
        }
    }
    if quoted {
        if let Some(q) = p.quotechar {
            rec.insert(start, q);
            rec.push(q);
        }
    }
    Ok(())
}

/// One row: the line written, and what write() returned.
fn write_row(vm: &Vm, w: &Writer, row: &Value) -> PyResult {
    let p = &w.p;
    let it = vm.iter(row).map_err(|e| {
        if vm.exception_matches(&e, &vm.exc.type_error) {
            error(vm, format!("iterable expected, not {}", vm.type_name_of(row)))
        } else {
            e
        }
    })?;
    let mut rec = String::new();
    let mut num_fields = 0usize;
    while let Some(field) = vm.next(&it)? {
        let quoted = match p.quoting {
            QUOTE_NONNUMERIC => !is_number(vm, &field),
            QUOTE_ALL => true,
            _ => false,
        };
        if let Some(s) = vm.as_str(&field) {
            append_field(vm, p, &mut rec, num_fields == 0, Some(s), quoted)?;
        } else if field.is_none() {
            append_field(vm, p, &mut rec, num_fields == 0, None, quoted)?;
        } else {
            let s = Value::Obj(vm.str(&field)?);
            append_field(vm, p, &mut rec, num_fields == 0, vm.as_str(&s), quoted)?;
        }
        num_fields += 1;
    }
    if num_fields > 0 && rec.is_empty() {
        if p.quoting == QUOTE_NONE {
            return Err(error(vm, "single empty field record must be quoted"));
        }
        append_field(vm, p, &mut rec, true, None, true)?;
    }
    rec.push_str(&p.lineterminator);
    let write = w.write.borrow().clone();
    vm.call1(&write, &[vm.new_str(rec)])
}

/// `_csv.writer(fileobj, dialect='excel', **fmtparams)`.
pub(crate) fn new_writer(vm: &Vm, args: Args) -> PyResult {
    let pos = unpack_positional(vm, &args, 1, 2)?;
    let write = match vm.getattr_opt(&pos[0], "write")? {
        Some(w) if vm.is_callable(&w) => w,
        _ => return Err(vm.new_type_error("argument 1 must have a \"write\" method")),
    };
    let (names, vals) = keywords(&args);
    let dialect = call_dialect(vm, pos.get(1), names, vals)?;
    let t = native_type(vm, &WRITER);
    let w = Writer { p: params(&dialect), dialect: RefCell::new(dialect), write: RefCell::new(write) };
    Ok(new_object(vm, &t, &t, w))
}

/// The writer and the single argument of a METH_O method.
fn this_and_arg<'a>(vm: &Vm, args: &'a Args, name: &str) -> PyResult<(&'a Writer, &'a Value)> {
    let me = args.args.first().ok_or_else(|| vm.new_type_error(format!("descriptor '{name}' needs an argument")))?;
    let w = me.payload().and_then(|p| p.as_native::<Writer>()).ok_or_else(|| descr_error(vm, name, "_csv.writer", me))?;
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("writer.{name}() takes no keyword arguments")));
    }
    if args.args.len() != 2 {
        return Err(vm.new_type_error(format!(
            "writer.{name}() takes exactly one argument ({} given)",
            args.args.len() - 1
        )));
    }
    Ok((w, &args.args[1]))
}

fn writer_writerow(vm: &Vm, args: Args) -> PyResult {
    let (w, row) = this_and_arg(vm, &args, "writerow")?;
    write_row(vm, w, row)
}

fn writer_writerows(vm: &Vm, args: Args) -> PyResult {
    let (w, rows) = this_and_arg(vm, &args, "writerows")?;
    let it = vm.iter(rows)?;
    while let Some(row) = vm.next(&it)? {
        write_row(vm, w, &row)?;
    }
    Ok(Value::None)
}

fn get_dialect(vm: &Vm, v: &Value) -> PyResult {
    let w = v.payload().and_then(|p| p.as_native::<Writer>()).ok_or_else(|| descr_error(vm, "dialect", "_csv.writer", v))?;
    let d = w.dialect.borrow().clone();
    Ok(d)
}

static METHODS: [NativeDef; 2] = [
    NativeDef::method("writerow", writer_writerow).doc("writerow(iterable)\n\nConstruct and write a CSV record from an iterable of fields.  Non-string\nelements will be converted to string."),
    NativeDef::method("writerows", writer_writerows).doc("writerows(iterable of iterables)\n\nConstruct and write a series of iterables to a csv file.  Non-string\nelements will be converted to string."),
];

static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "dialect", get: get_dialect, set: None, doc: "" }];

pub(crate) static WRITER: TypeSpec = TypeSpec {
    module: "_csv",
    name: "writer",
    doc: "CSV writer\n\nWriter objects are responsible for generating tabular data\nin CSV format from sequence input.\n",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
