//! Scanner objects (`Pattern.scanner`, behind finditer) and the search loops
//! of findall, split and sub. After an empty match the next one must
//! start later or be non-empty (`must_advance`), as in CPython 3.7+.

use super::engine::State;
use super::match_obj::new_match;
use super::pattern::{engine_error, pattern_of, PatternData};
use super::subject::{Built, Subject};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::Layout;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;
use std::rc::Rc;

struct ScannerData {
    pattern: Value,
    subject: Rc<Subject>,
    pos: usize,
    endpos: usize,
    /// The engine state between calls; None once a call found nothing.
    st: RefCell<Option<State>>,
}

impl krait_vm::gc::NativeData for ScannerData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        visitor.visit_value(&self.pattern);
        super::subject::visit_subject(&self.subject, visitor);
    }
}

pub fn new_scanner(
    vm: &Vm,
    pattern: &Value,
    p: &PatternData,
    subject: Rc<Subject>,
    pos: usize,
    endpos: usize,
) -> Value {
    let t = native_type(vm, &SCANNER);
    let st = State::new(pos, endpos, p.groups);
    let data = ScannerData { pattern: pattern.clone(), subject, pos, endpos, st: RefCell::new(Some(st)) };
    new_object(vm, &t, &t, data)
}

fn scan(vm: &Vm, args: Args, name: &str, search: bool) -> PyResult {
    vm.check_arity(name, args, 1, 1)?;
    let me = &args.args[0];
    let sc = me
        .payload()
        .and_then(|p| p.as_native::<ScannerData>())
        .ok_or_else(|| descr_error(vm, name, "_sre.SRE_Scanner", me))?;
    let p = pattern_of(vm, &sc.pattern, name)?;
    let mut slot = sc.st.borrow_mut();
    let Some(st) = slot.as_mut() else { return Ok(Value::None) };
    let found = if search { sc.subject.search(st, &p.code) } else { sc.subject.pmatch(st, &p.code) };
    if !found.map_err(|e| engine_error(vm, e))? {
        *slot = None;
        return Ok(Value::None);
    }
    let m = new_match(vm, &sc.pattern, p, &sc.subject, st, sc.pos, sc.endpos)?;
    st.must_advance = st.ptr == st.start;
    st.start = st.ptr;
    Ok(m)
}

fn s_match(vm: &Vm, args: Args) -> PyResult {
    scan(vm, args, "match", false)
}
fn s_search(vm: &Vm, args: Args) -> PyResult {
    scan(vm, args, "search", true)
}
fn s_pattern(vm: &Vm, v: &Value) -> PyResult {
    match v.payload().and_then(|p| p.as_native::<ScannerData>()) {
        Some(sc) => Ok(sc.pattern.clone()),
        None => Err(descr_error(vm, "pattern", "_sre.SRE_Scanner", v)),
    }
}

static METHODS: [NativeDef; 2] = [NativeDef::method("match", s_match), NativeDef::method("search", s_search)];
static GETSETS: [GetSetDef; 1] = [GetSetDef { name: "pattern", get: s_pattern, set: None, doc: "" }];

static SCANNER: TypeSpec = TypeSpec {
    module: "_sre",
    name: "SRE_Scanner",
    doc: "",
    layout: Layout::Other,
    flags: 0,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// Group `g` of the last match as a str/bytes; `empty` gives "" for an
/// unmatched group instead of None (findall).
fn group_value(vm: &Vm, subj: &Subject, st: &State, g: usize, empty: bool) -> PyResult {
    match st.group_span(g) {
        Some((a, b)) if a > b => {
            Err(vm.new_system_error("The span of capturing group is wrong, please report a bug for the re module."))
        }
        Some((a, b)) => Ok(subj.slice(vm, a, b)),
        None if empty => Ok(subj.slice(vm, 0, 0)),
        None => Ok(Value::None),
    }
}

pub fn findall(vm: &Vm, p: &PatternData, subj: &Subject, pos: usize, endpos: usize) -> PyResult {
    let mut st = State::new(pos, endpos, p.groups);
    let mut out = Vec::new();
    while st.start <= st.end {
        if !subj.search(&mut st, &p.code).map_err(|e| engine_error(vm, e))? {
            break;
        }
        out.push(match p.groups {
            0 => subj.slice(vm, st.start, st.ptr),
            1 => group_value(vm, subj, &st, 1, true)?,
            n => {
                let items = (1..=n).map(|g| group_value(vm, subj, &st, g, true)).collect::<PyResult<Vec<_>>>()?;
                vm.new_tuple(items)
            }
        });
        st.must_advance = st.ptr == st.start;
        st.start = st.ptr;
    }
    Ok(vm.new_list(out))
}

pub fn split(vm: &Vm, p: &PatternData, subj: &Subject, maxsplit: i64) -> PyResult {
    let mut st = State::new(0, subj.len, p.groups);
    let mut out = Vec::new();
    let mut last = 0;
    let mut n = 0;
    while maxsplit == 0 || n < maxsplit {
        if !subj.search(&mut st, &p.code).map_err(|e| engine_error(vm, e))? {
            break;
        }
        out.push(subj.slice(vm, last, st.start));
        for g in 1..=p.groups {
            out.push(group_value(vm, subj, &st, g, false)?);
        }
        n += 1;
        st.must_advance = st.ptr == st.start;
        last = st.ptr;
        st.start = st.ptr;
    }
    out.push(subj.slice(vm, last, subj.len));
    Ok(vm.new_list(out))
}

/// A piece of sub()'s result: a stretch of the subject or a replacement.
enum Piece {
    Span(usize, usize),
    Item(Value),
}

/// Does a str/bytes replacement contain no backslash (so it is used as is)?
fn is_literal(v: &Value) -> bool {
    let p = match v.payload() {
        Some(p) => p,
        None => return false,
    };
    if let Some(s) = p.as_str() {
        return !s.as_str().contains('\\');
    }
    if let Some(b) = krait_vm::types::int::bytes_like(v) {
        return !b.contains(&b'\\');
    }
    false
}

/// sub/subn: the new string and the number of replacements.
pub fn sub(
    vm: &Vm,
    pattern: &Value,
    p: &PatternData,
    subj: &Rc<Subject>,
    repl: &Value,
    count: i64,
) -> PyResult<(Value, usize)> {
    // The replacement: a callable, a literal, or a template that re._subx
    // compiles into one of those.
    let (filter, callable) = if vm.is_callable(repl) {
        (repl.clone(), true)
    } else if is_literal(repl) {
        (repl.clone(), false)
    } else {
        let re = Value::Obj(vm.import_full("re")?);
        let subx = vm.getattr_str(&re, "_subx")?;
        let f = vm.call1(&subx, &[pattern.clone(), repl.clone()])?;
        let c = vm.is_callable(&f);
        (f, c)
    };
    let mut st = State::new(0, subj.len, p.groups);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut i = 0;
    let mut n = 0usize;
    while count == 0 || (n as i64) < count {
        if !subj.search(&mut st, &p.code).map_err(|e| engine_error(vm, e))? {
            break;
        }
        let (b, e) = (st.start, st.ptr);
        if i < b {
            pieces.push(Piece::Span(i, b));
        }
        let item = if callable {
            let m = new_match(vm, pattern, p, subj, &st, 0, subj.len)?;
            vm.call1(&filter, &[m])?
        } else {
            filter.clone()
        };
        if !item.is_none() {
            pieces.push(Piece::Item(item));
        }
        i = e;
        n += 1;
        st.must_advance = st.ptr == st.start;
        st.start = st.ptr;
    }
    if i < subj.len {
        pieces.push(Piece::Span(i, subj.len));
    }
    let mut out = if subj.is_bytes {
        Built::Bytes(Vec::with_capacity(subj.len))
    } else {
        Built::Str(String::with_capacity(subj.len))
    };
    for (k, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Span(a, b) => subj.push_slice(&mut out, *a, *b),
            Piece::Item(v) => join_item(vm, &mut out, k, v)?,
        }
    }
    let result = match out {
        Built::Str(s) => vm.new_str(s),
        Built::Bytes(b) => vm.new_bytes(b),
    };
    Ok((result, n))
}

/// Appends a replacement, with the errors of str.join / bytes.join.
fn join_item(vm: &Vm, out: &mut Built, k: usize, v: &Value) -> PyResult<()> {
    match out {
        Built::Str(s) => match v.payload().and_then(|p| p.as_str()) {
            Some(t) => s.push_str(t.as_str()),
            None => {
                return Err(vm
                    .new_type_error(format!("sequence item {k}: expected str instance, {} found", vm.type_name_of(v))))
            }
        },
        Built::Bytes(b) => match krait_vm::types::int::bytes_like(v) {
            Some(t) => b.extend_from_slice(&t),
            None => {
                return Err(vm.new_type_error(format!(
                    "sequence item {k}: expected a bytes-like object, {} found",
                    vm.type_name_of(v)
                )))
            }
        },
    }
    Ok(())
}
