//! `re.Pattern`: a compiled pattern and its methods (match, search,
//! fullmatch, findall, finditer, scanner, split, sub, subn), comparison,
//! hashing and repr.

use super::engine::{EngineError, State};
use super::program::Program;
use super::scanner;
use super::subject::Subject;
use crate::native::{class_getitem, descr_error, native_type, new_object, ssize, TypeSpec};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::rc::Rc;

pub struct PatternData {
    /// The source pattern (str, bytes, or None when compiled from code alone).
    pub pattern: Value,
    pub flags: i64,
    pub code: Program,
    /// Number of capturing groups.
    pub groups: usize,
    /// name -> index dict (None when the pattern has no named groups).
    pub groupindex: Value,
    /// index -> name tuple.
    pub indexgroup: Value,
    /// None: no source pattern, so any subject is accepted.
    pub is_bytes: Option<bool>,
}

impl PatternData {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        vm: &Vm,
        pattern: Value,
        flags: i64,
        code: Vec<u32>,
        groups: usize,
        groupindex: Value,
        indexgroup: Value,
        is_bytes: Option<bool>,
    ) -> PyResult<PatternData> {
        let groupindex = match &groupindex {
            Value::Obj(d) if vm.dict_len(d) > 0 => groupindex.clone(),
            _ => Value::None,
        };
        Ok(PatternData { pattern, flags, code: Program::new(code), groups, groupindex, indexgroup, is_bytes })
    }

    /// The name of group `i`, if it has one.
    pub fn group_name(&self, i: usize) -> Option<Value> {
        let t = self.indexgroup.payload().and_then(|p| p.as_tuple())?;
        match t.get(i) {
            Some(v) if !v.is_none() => Some(v.clone()),
            _ => None,
        }
    }
}

impl krait_vm::gc::NativeData for PatternData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn krait_vm::gc::Visitor) {
        visitor.visit_value(&self.pattern);
        visitor.visit_value(&self.groupindex);
        visitor.visit_value(&self.indexgroup);
    }
}

pub fn pattern_type(vm: &Vm) -> PyRef {
    native_type(vm, &PATTERN)
}

pub fn new_pattern(vm: &Vm, data: PatternData) -> Value {
    let t = pattern_type(vm);
    new_object(vm, &t, &t, data)
}

pub fn pattern_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a PatternData> {
    v.payload().and_then(|p| p.as_native::<PatternData>()).ok_or_else(|| descr_error(vm, name, "re.Pattern", v))
}

pub fn engine_error(vm: &Vm, _e: EngineError) -> PyErr {
    vm.new_runtime_error("internal error in regular expression engine")
}

/// A subject checked against the pattern's kind (str or bytes).
pub fn subject(vm: &Vm, p: &PatternData, string: &Value) -> PyResult<Rc<Subject>> {
    let s = Subject::new(vm, string)?;
    match p.is_bytes {
        Some(false) if s.is_bytes => Err(vm.new_type_error("cannot use a string pattern on a bytes-like object")),
        Some(true) if !s.is_bytes => Err(vm.new_type_error("cannot use a bytes pattern on a string-like object")),
        _ => Ok(Rc::new(s)),
    }
}

/// `pos`/`endpos` clipped to the subject as CPython's `state_init` does.
/// The subject and its `pos`/`endpos` bounds (clipped to the subject) from
/// bound `string, pos, endpos` arguments. The bounds are converted first,
/// as CPython's argument parsing does (an overflowing `pos` is
/// OverflowError whatever the subject).
pub fn subject_and_bounds(vm: &Vm, p: &PatternData, a: &[Option<Value>]) -> PyResult<(Rc<Subject>, usize, usize)> {
    let raw = |v: Option<&Value>, dflt: i64| v.map_or(Ok(dflt), |v| ssize(vm, v));
    let (pos, endpos) = (raw(a[1].as_ref(), 0)?, raw(a[2].as_ref(), i64::MAX)?);
    let subj = subject(vm, p, a[0].as_ref().unwrap_or(&Value::None))?;
    let len = subj.len as i64;
    Ok((subj, pos.clamp(0, len) as usize, endpos.clamp(0, len) as usize))
}

fn self_and_rest<'a>(vm: &Vm, args: &Args<'a>, name: &str) -> PyResult<(&'a Value, Args<'a>)> {
    match args.args.first() {
        Some(me) if me.payload().and_then(|p| p.as_native::<PatternData>()).is_some() => {
            Ok((me, Args { args: &args.args[1..], kwnames: args.kwnames }))
        }
        Some(me) => Err(descr_error(vm, name, "re.Pattern", me)),
        None => Err(vm.new_type_error(format!("descriptor '{name}' of 're.Pattern' object needs an argument"))),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Match,
    FullMatch,
    Search,
}

fn run_one(vm: &Vm, args: Args, name: &str, mode: Mode) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, name)?;
    let p = pattern_of(vm, me, name)?;
    let a = vm.bind_native(name, rest, &["string", "pos", "endpos"], 0, 1, None)?;
    let (subj, pos, endpos) = subject_and_bounds(vm, p, &a)?;
    let mut st = State::new(pos, endpos, p.groups);
    st.match_all = mode == Mode::FullMatch;
    let found = match mode {
        Mode::Search => subj.search(&mut st, &p.code),
        _ => subj.pmatch(&mut st, &p.code),
    }
    .map_err(|e| engine_error(vm, e))?;
    if !found {
        return Ok(Value::None);
    }
    super::match_obj::new_match(vm, me, p, &subj, &st, pos, endpos)
}

fn p_match(vm: &Vm, args: Args) -> PyResult {
    run_one(vm, args, "match", Mode::Match)
}
fn p_fullmatch(vm: &Vm, args: Args) -> PyResult {
    run_one(vm, args, "fullmatch", Mode::FullMatch)
}
fn p_search(vm: &Vm, args: Args) -> PyResult {
    run_one(vm, args, "search", Mode::Search)
}

fn p_findall(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, "findall")?;
    let p = pattern_of(vm, me, "findall")?;
    let a = vm.bind_native("findall", rest, &["string", "pos", "endpos"], 0, 1, None)?;
    let (subj, pos, endpos) = subject_and_bounds(vm, p, &a)?;
    scanner::findall(vm, p, &subj, pos, endpos)
}

fn p_scanner_common(vm: &Vm, args: Args, name: &str) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, name)?;
    let p = pattern_of(vm, me, name)?;
    let a = vm.bind_native(name, rest, &["string", "pos", "endpos"], 0, 1, None)?;
    let (subj, pos, endpos) = subject_and_bounds(vm, p, &a)?;
    Ok(scanner::new_scanner(vm, me, p, subj, pos, endpos))
}

fn p_scanner(vm: &Vm, args: Args) -> PyResult {
    p_scanner_common(vm, args, "scanner")
}

/// finditer: `iter(scanner.search, None)`, a callable_iterator as in CPython.
fn p_finditer(vm: &Vm, args: Args) -> PyResult {
    let sc = p_scanner_common(vm, args, "finditer")?;
    let search = vm.getattr_str(&sc, "search")?;
    let state = krait_vm::types::iter::IterState::Callable { func: Some(search), sentinel: Value::None };
    Ok(Value::Obj(PyRef::new(
        vm.types.callable_iterator.clone(),
        krait_vm::payload::Payload::Iter(Box::new(std::cell::RefCell::new(state))),
    )))
}

fn p_split(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, "split")?;
    let p = pattern_of(vm, me, "split")?;
    let a = vm.bind_native("split", rest, &["string", "maxsplit"], 0, 1, None)?;
    let subj = subject(vm, p, a[0].as_ref().unwrap_or(&Value::None))?;
    let maxsplit = match &a[1] {
        Some(v) => ssize(vm, v)?,
        None => 0,
    };
    scanner::split(vm, p, &subj, maxsplit)
}

fn sub_common(vm: &Vm, args: Args, name: &str, with_count: bool) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, name)?;
    let p = pattern_of(vm, me, name)?;
    let a = vm.bind_native(name, rest, &["repl", "string", "count"], 0, 2, None)?;
    let repl = a[0].clone().unwrap_or(Value::None);
    let subj = subject(vm, p, a[1].as_ref().unwrap_or(&Value::None))?;
    let count = match &a[2] {
        Some(v) => ssize(vm, v)?,
        None => 0,
    };
    let (result, n) = scanner::sub(vm, me, p, &subj, &repl, count)?;
    if with_count {
        Ok(vm.new_tuple(vec![result, Value::Int(n as i64)]))
    } else {
        Ok(result)
    }
}

fn p_sub(vm: &Vm, args: Args) -> PyResult {
    sub_common(vm, args, "sub", false)
}
fn p_subn(vm: &Vm, args: Args) -> PyResult {
    sub_common(vm, args, "subn", true)
}

fn p_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__copy__", args, 1, 1)?;
    pattern_of(vm, &args.args[0], "__copy__")?;
    Ok(args.args[0].clone())
}

fn p_deepcopy(vm: &Vm, args: Args) -> PyResult {
    let (me, rest) = self_and_rest(vm, &args, "__deepcopy__")?;
    vm.bind_native("__deepcopy__", rest, &["memo"], 1, 1, None)?;
    Ok(me.clone())
}

/// CPython's flag names in repr order.
const FLAG_NAMES: [(&str, i64); 9] = [
    ("re.TEMPLATE", 1),
    ("re.IGNORECASE", 2),
    ("re.LOCALE", 4),
    ("re.MULTILINE", 8),
    ("re.DOTALL", 16),
    ("re.UNICODE", 32),
    ("re.VERBOSE", 64),
    ("re.DEBUG", 128),
    ("re.ASCII", 256),
];

/// `%.200R`: the repr, cut to 200 characters.
pub fn repr_cut(vm: &Vm, v: &Value, n: usize) -> PyResult<String> {
    let r = vm.repr_string(v)?;
    Ok(match r.char_indices().nth(n) {
        Some((i, _)) => r[..i].to_string(),
        None => r,
    })
}

fn p_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let p = pattern_of(vm, &args.args[0], "__repr__")?;
    let mut flags = p.flags;
    // re.UNICODE is implied for str patterns; it is shown only with another kind flag.
    if p.is_bytes == Some(false) && flags & (4 | 32 | 256) == 32 {
        flags &= !32;
    }
    let pat = repr_cut(vm, &p.pattern, 200)?;
    if flags == 0 {
        return Ok(vm.new_str(format!("re.compile({pat})")));
    }
    let mut parts: Vec<String> = Vec::new();
    for (name, bit) in FLAG_NAMES {
        if flags & bit != 0 {
            parts.push(name.to_string());
            flags &= !bit;
        }
    }
    if flags != 0 {
        parts.push(format!("0x{:x}", flags));
    }
    Ok(vm.new_str(format!("re.compile({pat}, {})", parts.join("|"))))
}

fn compare(vm: &Vm, args: Args, name: &str, eq: bool) -> PyResult {
    vm.check_arity(name, args, 2, 2)?;
    let a = pattern_of(vm, &args.args[0], name)?;
    let b = match args.args[1].payload().and_then(|p| p.as_native::<PatternData>()) {
        Some(b) => b,
        None => return Ok(vm.not_implemented()),
    };
    let same = args.args[0].is(&args.args[1])
        || (a.flags == b.flags
            && a.is_bytes == b.is_bytes
            && a.code.code == b.code.code
            && vm.eq_bool(&a.pattern, &b.pattern)?);
    Ok(Value::Bool(same == eq))
}

fn p_eq(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__eq__", true)
}
fn p_ne(vm: &Vm, args: Args) -> PyResult {
    compare(vm, args, "__ne__", false)
}

fn p_hash(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__hash__", args, 1, 1)?;
    let p = pattern_of(vm, &args.args[0], "__hash__")?;
    let mut h = vm.hash(&p.pattern)?;
    let bytes: Vec<u8> = p.code.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    h ^= krait_vm::types::str::siphash_bytes(&bytes);
    h ^= p.flags;
    h ^= p.is_bytes.map_or(-1, |b| b as i64);
    h ^= p.code.code.len() as i64;
    Ok(Value::Int(if h == -1 { -2 } else { h }))
}

fn p_new(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("cannot create 're.Pattern' instances"))
}

fn g_pattern(vm: &Vm, v: &Value) -> PyResult {
    Ok(pattern_of(vm, v, "pattern")?.pattern.clone())
}
fn g_flags(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(pattern_of(vm, v, "flags")?.flags))
}
fn g_groups(vm: &Vm, v: &Value) -> PyResult {
    Ok(Value::Int(pattern_of(vm, v, "groups")?.groups as i64))
}
fn g_groupindex(vm: &Vm, v: &Value) -> PyResult {
    let p = pattern_of(vm, v, "groupindex")?;
    let d = match &p.groupindex {
        Value::None => Value::Obj(vm.new_dict()),
        d => d.clone(),
    };
    Ok(vm.new_mappingproxy(d))
}

static METHODS: [NativeDef; 17] = [
    NativeDef::staticmethod("__new__", p_new),
    NativeDef::method("match", p_match),
    NativeDef::method("fullmatch", p_fullmatch),
    NativeDef::method("search", p_search),
    NativeDef::method("findall", p_findall),
    NativeDef::method("finditer", p_finditer),
    NativeDef::method("scanner", p_scanner),
    NativeDef::method("split", p_split),
    NativeDef::method("sub", p_sub),
    NativeDef::method("subn", p_subn),
    NativeDef::method("__copy__", p_copy),
    NativeDef::method("__deepcopy__", p_deepcopy),
    NativeDef::method("__repr__", p_repr),
    NativeDef::method("__eq__", p_eq),
    NativeDef::method("__ne__", p_ne),
    NativeDef::method("__hash__", p_hash),
    NativeDef::classmethod("__class_getitem__", class_getitem),
];

static GETSETS: [GetSetDef; 4] = [
    GetSetDef {
        name: "pattern",
        get: g_pattern,
        set: None,
        doc: "The pattern string from which the RE object was compiled.",
    },
    GetSetDef { name: "flags", get: g_flags, set: None, doc: "The regex matching flags." },
    GetSetDef { name: "groups", get: g_groups, set: None, doc: "The number of capturing groups in the pattern." },
    GetSetDef {
        name: "groupindex",
        get: g_groupindex,
        set: None,
        doc: "A dictionary mapping group names to group numbers.",
    },
];

static PATTERN: TypeSpec = TypeSpec {
    module: "re",
    name: "Pattern",
    doc: "Compiled regular expression object.",
    layout: Layout::Other,
    flags: type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
