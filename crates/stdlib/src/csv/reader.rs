//! `_csv.reader`: an iterator over the rows parsed from an iterable of
//! lines, with CPython's state machine (parse_process_char) and errors.

use super::dialect::params;
use super::{call_dialect, error, field_limit, keywords, unpack_positional, Params, QUOTE_NONE, QUOTE_NONNUMERIC};
use crate::native::{descr_error, downcast, iter_state, native_type, new_iter, TypeSpec, ITER_METHODS};
use krait_vm::gc::Visitor;
use krait_vm::payload::GetSetDef;
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    EscapedChar,
    InField,
    InQuotedField,
    EscapeInQuotedField,
    QuoteInQuotedField,
    EatCrnl,
    AfterEscapedCrnl,
}

/// The row being parsed.
struct Parse {
    state: State,
    fields: Vec<Value>,
    field: String,
    /// Length of `field` in characters (what the field limit counts).
    field_len: usize,
    /// The field started unquoted under QUOTE_NONNUMERIC: saved as a float.
    numeric: bool,
}

impl Parse {
    fn new() -> Parse {
        Parse { state: State::StartRecord, fields: Vec::new(), field: String::new(), field_len: 0, numeric: false }
    }

    fn reset(&mut self) {
        self.state = State::StartRecord;
        self.fields = Vec::new();
        self.field.clear();
        self.field_len = 0;
        self.numeric = false;
    }

    fn save_field(&mut self, vm: &Vm) -> PyResult<()> {
        let s = PyRef::new_str(vm.types.str.clone(), &self.field, self.field_len);
        self.field.clear();
        self.field_len = 0;
        let mut v = Value::Obj(s);
        if self.numeric {
            self.numeric = false;
            v = Value::Float(krait_vm::types::float::float_from_object(vm, &v)?);
        }
        self.fields.push(v);
        Ok(())
    }

    fn add_char(&mut self, vm: &Vm, c: char, limit: i64) -> PyResult<()> {
        if self.field_len as i64 >= limit {
            return Err(error(vm, format!("field larger than field limit ({limit})")));
        }
        self.field.push(c);
        self.field_len += 1;
        Ok(())
    }

    /// After a line break or the end of a line: the row ends here.
    fn end_line(&mut self, vm: &Vm, c: Option<char>) -> PyResult<()> {
        self.save_field(vm)?;
        self.state = if c.is_none() { State::StartRecord } else { State::EatCrnl };
        Ok(())
    }

    /// One character of input, or None for the end of a line (CPython's EOL).
    fn process(&mut self, vm: &Vm, d: &Params, c: Option<char>, limit: i64) -> PyResult<()> {
        let is_nl = matches!(c, Some('\n') | Some('\r'));
        let quoting_on = d.quoting != QUOTE_NONE;
        let is_quote = c.is_some() && c == d.quotechar && quoting_on;
        let is_escape = c.is_some() && c == d.escapechar;
        let is_delim = c == Some(d.delimiter);
        match self.state {
            State::StartRecord | State::StartField => {
                if self.state == State::StartRecord {
                    if c.is_none() {
                        return Ok(());
                    }
                    if is_nl {
                        self.state = State::EatCrnl;
                        return Ok(());
                    }
                    self.state = State::StartField;
                }
                if is_nl || c.is_none() {
                    self.end_line(vm, c)?;
                } else if is_quote {
                    self.state = State::InQuotedField;
                } else if is_escape {
                    self.state = State::EscapedChar;
                } else if c == Some(' ') && d.skipinitialspace {
                } else if is_delim {
                    self.save_field(vm)?;
                } else if let Some(ch) = c {
                    if d.quoting == QUOTE_NONNUMERIC {
                        self.numeric = true;
                    }
                    self.add_char(vm, ch, limit)?;
                    self.state = State::InField;
                }
            }
            State::EscapedChar => {
                if let Some(ch @ ('\n' | '\r')) = c {
                    self.add_char(vm, ch, limit)?;
                    self.state = State::AfterEscapedCrnl;
                    return Ok(());
                }
                self.add_char(vm, c.unwrap_or('\n'), limit)?;
                self.state = State::InField;
            }
            State::AfterEscapedCrnl | State::InField => {
                if self.state == State::AfterEscapedCrnl && c.is_none() {
                    return Ok(());
                }
                // An ordinary character leaves AfterEscapedCrnl as it is (as
                // CPython's fall-through does): line ends are ignored until
                // a delimiter, escape or line break comes.
                if is_nl || c.is_none() {
                    self.end_line(vm, c)?;
                } else if is_escape {
                    self.state = State::EscapedChar;
                } else if is_delim {
                    self.save_field(vm)?;
                    self.state = State::StartField;
                } else if let Some(ch) = c {
                    self.add_char(vm, ch, limit)?;
                }
            }
            State::InQuotedField => match c {
                None => {}
                Some(_) if is_escape => self.state = State::EscapeInQuotedField,
                Some(_) if is_quote => {
                    self.state = if d.doublequote { State::QuoteInQuotedField } else { State::InField };
                }
                Some(ch) => self.add_char(vm, ch, limit)?,
            },
            State::EscapeInQuotedField => {
                self.add_char(vm, c.unwrap_or('\n'), limit)?;
                self.state = State::InQuotedField;
            }
            State::QuoteInQuotedField => {
                if is_quote {
                    self.add_char(vm, d.quotechar.unwrap_or('"'), limit)?;
                    self.state = State::InQuotedField;
                } else if is_delim {
                    self.save_field(vm)?;
                    self.state = State::StartField;
                } else if is_nl || c.is_none() {
                    self.end_line(vm, c)?;
                } else if !d.strict {
                    self.add_char(vm, c.unwrap_or('\n'), limit)?;
                    self.state = State::InField;
                } else {
                    return Err(error(
                        vm,
                        format!("'{}' expected after '{}'", d.delimiter, d.quotechar.unwrap_or('"')),
                    ));
                }
            }
            State::EatCrnl => {
                if is_nl {
                } else if c.is_none() {
                    self.state = State::StartRecord;
                } else {
                    return Err(error(
                        vm,
                        "new-line character seen in unquoted field - do you need to open the file in universal-newline mode?",
                    ));
                }
            }
        }
        Ok(())
    }

    /// A run of ordinary characters (`n` of them) added at once.
    fn add_str(&mut self, vm: &Vm, text: &str, n: usize, limit: i64) -> PyResult<()> {
        if (self.field_len + n) as i64 > limit {
            return Err(error(vm, format!("field larger than field limit ({limit})")));
        }
        self.field.push_str(text);
        self.field_len += n;
        Ok(())
    }

    /// A whole line, then its end. Inside a field, runs of characters that
    /// cannot change the state are copied in one go when `stops` allows.
    fn process_line(&mut self, vm: &Vm, d: &Params, stops: Option<&Stops>, line: &str, limit: i64) -> PyResult<()> {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if let Some(stops) = stops {
                let table = match self.state {
                    State::InField => Some(&stops.in_field),
                    State::InQuotedField => Some(&stops.in_quoted),
                    _ => None,
                };
                if let Some(table) = table {
                    let run = bytes[i..].iter().position(|&b| table[b as usize]).unwrap_or(bytes.len() - i);
                    if run > 0 {
                        // Every byte that starts a character (not 10xxxxxx).
                        let n = bytes[i..i + run].iter().filter(|&&b| (b as i8) >= -0x40).count();
                        self.add_str(vm, &line[i..i + run], n, limit)?;
                        i += run;
                        continue;
                    }
                }
            }
            let c = line[i..].chars().next().unwrap_or('\0');
            self.process(vm, d, Some(c), limit)?;
            i += c.len_utf8();
        }
        self.process(vm, d, None, limit)
    }
}

/// The bytes that end a run of ordinary characters in an unquoted and in a
/// quoted field; only made when every special character is ASCII (bytes of
/// other characters are then never special).
struct Stops {
    in_field: [bool; 256],
    in_quoted: [bool; 256],
}

impl Stops {
    fn new(d: &Params) -> Option<Stops> {
        let ascii = |c: Option<char>| c.map_or(true, |c| c.is_ascii());
        if !d.delimiter.is_ascii() || !ascii(d.quotechar) || !ascii(d.escapechar) {
            return None;
        }
        let mut s = Stops { in_field: [false; 256], in_quoted: [false; 256] };
        for c in [Some('\n'), Some('\r'), Some(d.delimiter), d.escapechar].into_iter().flatten() {
            s.in_field[c as usize] = true;
        }
        let quote = if d.quoting != QUOTE_NONE { d.quotechar } else { None };
        for c in [d.escapechar, quote].into_iter().flatten() {
            s.in_quoted[c as usize] = true;
        }
        Some(s)
    }
}

pub(crate) struct Reader {
    dialect: RefCell<Value>,
    p: Params,
    stops: Option<Stops>,
    input: RefCell<Value>,
    st: RefCell<Parse>,
    line_num: Cell<i64>,
}

impl Reader {
    fn parse_state(&self, vm: &Vm) -> PyResult<std::cell::RefMut<'_, Parse>> {
        self.st.try_borrow_mut().map_err(|_| vm.new_runtime_error("reader is already running"))
    }
}

impl NativeIter for Reader {
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        self.parse_state(vm)?.reset();
        loop {
            let input = self.input.borrow().clone();
            let line = vm.next(&input)?;
            let mut st = self.parse_state(vm)?;
            let Some(line) = line else {
                if st.field_len != 0 || st.state == State::InQuotedField {
                    if self.p.strict {
                        return Err(error(vm, "unexpected end of data"));
                    }
                    st.save_field(vm)?;
                    break;
                }
                return Ok(None);
            };
            let Some(text) = vm.as_str(&line) else {
                return Err(error(
                    vm,
                    format!(
                        "iterator should return strings, not {} (the file should be opened in text mode)",
                        vm.type_name_of(&line)
                    ),
                ));
            };
            self.line_num.set(self.line_num.get() + 1);
            st.process_line(vm, &self.p, self.stops.as_ref(), text, field_limit(vm))?;
            if st.state == State::StartRecord {
                break;
            }
        }
        let fields = std::mem::take(&mut self.parse_state(vm)?.fields);
        Ok(Some(vm.new_list(fields)))
    }

    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(d) = self.dialect.try_borrow() {
            visitor.visit_value(&d);
        }
        if let Ok(i) = self.input.try_borrow() {
            visitor.visit_value(&i);
        }
        if let Ok(st) = self.st.try_borrow() {
            for f in &st.fields {
                visitor.visit_value(f);
            }
        }
    }

    fn clear(&self) {
        let d = self.dialect.try_borrow_mut().map(|mut d| std::mem::replace(&mut *d, Value::None));
        let i = self.input.try_borrow_mut().map(|mut i| std::mem::replace(&mut *i, Value::None));
        let f = self.st.try_borrow_mut().map(|mut st| std::mem::take(&mut st.fields));
        drop((d, i, f));
    }
}

/// `_csv.reader(iterable, dialect='excel', **fmtparams)`.
pub(crate) fn new_reader(vm: &Vm, args: Args) -> PyResult {
    let pos = unpack_positional(vm, &args, 1, 2)?;
    let input = vm.iter(&pos[0])?;
    let (names, vals) = keywords(&args);
    let dialect = call_dialect(vm, pos.get(1), names, vals)?;
    let t = native_type(vm, &READER);
    let p = params(&dialect);
    let r = Reader {
        stops: Stops::new(&p),
        p,
        dialect: RefCell::new(dialect),
        input: RefCell::new(input),
        st: RefCell::new(Parse::new()),
        line_num: Cell::new(0),
    };
    Ok(new_iter(vm, &t, &t, r))
}

fn with_reader<R>(vm: &Vm, v: &Value, name: &str, f: impl FnOnce(&Reader) -> R) -> PyResult<R> {
    let st = iter_state::<Reader>(v).ok_or_else(|| descr_error(vm, name, "_csv.reader", v))?;
    Ok(f(downcast::<Reader>(&st)))
}

fn get_dialect(vm: &Vm, v: &Value) -> PyResult {
    with_reader(vm, v, "dialect", |r| r.dialect.borrow().clone())
}

fn get_line_num(vm: &Vm, v: &Value) -> PyResult {
    with_reader(vm, v, "line_num", |r| Value::Int(r.line_num.get()))
}


static GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "dialect", get: get_dialect, set: None, doc: "" },
    GetSetDef { name: "line_num", get: get_line_num, set: None, doc: "" },
];

pub(crate) static READER: TypeSpec = TypeSpec {
    module: "_csv",
    name: "reader",
    doc: "CSV reader\n\nReader objects are responsible for reading and parsing tabular data\nin CSV format.\n",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &ITER_METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
