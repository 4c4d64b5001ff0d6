//! `_pickle.Unpickler`: reads opcodes from an input buffer (the whole
//! pickle for `loads`; for a file, what `read`/`readline` returned, a frame
//! at a time under protocol 4+) onto a value stack with a separate mark
//! stack, as CPython's C unpickler does, with its error messages.
//!
//! No borrow of the state is held while Python code runs (find_class,
//! reductions, `__setstate__`, the file's methods).

use super::pickler_type::PersFunc;
use super::save_global::{deep_attribute, dotted_path};
use super::{globals, op, unpickling_error, Globals, HIGHEST_PROTOCOL};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use dashu_int::{IBig, UBig};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::{GetSetDef, Payload};
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// The memo: dense for the indexes picklers write (0, 1, 2, ...), sparse
/// for far ones a hand-made pickle may name.
#[derive(Default, Clone)]
pub(super) struct UMemo {
    pub dense: Vec<Option<Value>>,
    pub sparse: HashMap<usize, Value>,
    count: usize,
}

impl UMemo {
    fn get(&self, idx: usize) -> Option<Value> {
        match self.dense.get(idx) {
            Some(v) => v.clone(),
            None => self.sparse.get(&idx).cloned(),
        }
    }
    pub(super) fn put(&mut self, idx: usize, v: Value) {
        if idx < self.dense.len() + 1024 {
            if idx >= self.dense.len() {
                self.dense.resize(idx + 1, None);
            }
            if self.dense[idx].replace(v).is_none() {
                self.count += 1;
            }
        } else if self.sparse.insert(idx, v).is_none() {
            self.count += 1;
        }
    }
    pub(super) fn entries(&self) -> Vec<(usize, Value)> {
        let mut out: Vec<(usize, Value)> =
            self.dense.iter().enumerate().filter_map(|(i, v)| v.clone().map(|v| (i, v))).collect();
        out.extend(self.sparse.iter().map(|(i, v)| (*i, v.clone())));
        out
    }
}

#[derive(Default)]
struct Refs {
    read: Option<Value>,
    readline: Option<Value>,
    peek: Option<Value>,
    pers: PersFunc,
    /// The iterator over out-of-band buffers.
    buffers: Option<Value>,
}

pub(super) struct Unpickler {
    refs: RefCell<Refs>,
    input: RefCell<Vec<u8>>,
    pos: Cell<usize>,
    /// Where the data obtained by `peek` starts in `input` (the file has not
    /// given it yet; what the unpickler used of it is read at the end).
    prefetched: Cell<Option<usize>>,
    stack: RefCell<Vec<Value>>,
    marks: RefCell<Vec<usize>>,
    pub(super) memo: RefCell<UMemo>,
    proto: Cell<u8>,
    fix_imports: Cell<bool>,
    encoding: RefCell<(String, String)>,
    /// `loads`/`load` were given their input (a subclass may skip __init__).
    ready: Cell<bool>,
}

impl NativeData for Unpickler {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(r) = self.refs.try_borrow() {
            for v in [&r.read, &r.readline, &r.peek, &r.pers.func, &r.buffers].into_iter().flatten() {
                visitor.visit_value(v);
            }
        }
        if let Ok(s) = self.stack.try_borrow() {
            for v in s.iter() {
                visitor.visit_value(v);
            }
        }
        if let Ok(m) = self.memo.try_borrow() {
            for v in m.dense.iter().flatten() {
                visitor.visit_value(v);
            }
            for v in m.sparse.values() {
                visitor.visit_value(v);
            }
        }
    }
    fn clear(&self) {
        let a = self.refs.try_borrow_mut().map(|mut r| std::mem::take(&mut *r));
        let b = self.stack.try_borrow_mut().map(|mut s| std::mem::take(&mut *s));
        let c = self.memo.try_borrow_mut().map(|mut m| std::mem::take(&mut *m));
        drop((a, b, c));
    }
}

fn str_arg(vm: &Vm, fname: &str, what: &str, v: Option<&Value>, default: &str) -> PyResult<String> {
    match v {
        None => Ok(default.to_string()),
        Some(v) => match vm.as_str(v) {
            Some(s) => Ok(s.to_string()),
            None => Err(vm.new_type_error(format!("{fname}() argument '{what}' must be str, not {}", vm.type_name_of(v)))),
        },
    }
}

impl Unpickler {
    pub(super) fn new_detached() -> Unpickler {
        Unpickler {
            refs: RefCell::new(Refs::default()),
            input: RefCell::new(Vec::new()),
            pos: Cell::new(0),
            prefetched: Cell::new(None),
            stack: RefCell::new(Vec::new()),
            marks: RefCell::new(Vec::new()),
            memo: RefCell::new(UMemo::default()),
            proto: Cell::new(0),
            fix_imports: Cell::new(true),
            encoding: RefCell::new(("ASCII".to_string(), "strict".to_string())),
            ready: Cell::new(false),
        }
    }

    fn set_options(
        &self,
        vm: &Vm,
        fname: &str,
        fix_imports: Option<&Value>,
        encoding: Option<&Value>,
        errors: Option<&Value>,
        buffers: Option<&Value>,
    ) -> PyResult<()> {
        let fix = match fix_imports {
            Some(f) => vm.truthy(f)?,
            None => true,
        };
        let enc = str_arg(vm, fname, "encoding", encoding, "ASCII")?;
        let errs = str_arg(vm, fname, "errors", errors, "strict")?;
        let buffers = match buffers {
            None | Some(Value::None) => None,
            Some(b) => Some(vm.iter(b)?),
        };
        self.fix_imports.set(fix);
        *self.encoding.borrow_mut() = (enc, errs);
        let old = std::mem::replace(&mut self.refs.borrow_mut().buffers, buffers);
        drop(old);
        Ok(())
    }

    /// Reading from a file object (`load`, `Unpickler(file)`).
    pub(super) fn configure(
        &self,
        vm: &Vm,
        file: Option<&Value>,
        fix_imports: Option<&Value>,
        encoding: Option<&Value>,
        errors: Option<&Value>,
        buffers: Option<&Value>,
    ) -> PyResult<()> {
        let file = file.cloned().unwrap_or(Value::None);
        let peek = vm.getattr_opt(&file, "peek")?;
        let read = vm.getattr_opt(&file, "read")?;
        let readline = vm.getattr_opt(&file, "readline")?;
        if read.is_none() || readline.is_none() {
            return Err(vm.new_type_error("file must have 'read' and 'readline' attributes"));
        }
        self.set_options(vm, "Unpickler", fix_imports, encoding, errors, buffers)?;
        let old = {
            let mut r = self.refs.borrow_mut();
            (std::mem::replace(&mut r.read, read), std::mem::replace(&mut r.readline, readline), std::mem::replace(&mut r.peek, peek))
        };
        drop(old);
        self.input.borrow_mut().clear();
        self.pos.set(0);
        self.prefetched.set(None);
        self.ready.set(true);
        Ok(())
    }

    /// Reading from memory (`loads`).
    pub(super) fn configure_bytes(
        &self,
        vm: &Vm,
        data: Vec<u8>,
        fix_imports: Option<&Value>,
        encoding: Option<&Value>,
        errors: Option<&Value>,
        buffers: Option<&Value>,
    ) -> PyResult<()> {
        self.set_options(vm, "loads", fix_imports, encoding, errors, buffers)?;
        *self.input.borrow_mut() = data;
        self.pos.set(0);
        self.prefetched.set(None);
        self.ready.set(true);
        Ok(())
    }

    /// Unpickles one object (`load()`).
    pub(super) fn load(&self, vm: &Vm, this: Option<&Value>) -> PyResult {
        let ctx = Ctx { vm, u: self, this, g: globals(vm)? };
        self.proto.set(0);
        let old_stack = std::mem::take(&mut *self.stack.borrow_mut());
        self.marks.borrow_mut().clear();
        drop(old_stack);
        let r = ctx.run();
        let old_stack = std::mem::take(&mut *self.stack.borrow_mut());
        self.marks.borrow_mut().clear();
        drop(old_stack);
        r
    }
}

/// How much `peek` is asked for (CPython's PREFETCH).
const PREFETCH: usize = 8192 * 16;

struct Ctx<'a> {
    vm: &'a Vm,
    u: &'a Unpickler,
    this: Option<&'a Value>,
    g: Rc<Globals>,
}

fn le_uint(b: &[u8]) -> u64 {
    b.iter().rev().fold(0u64, |acc, &x| (acc << 8) | x as u64)
}

impl Ctx<'_> {
    fn truncated(&self) -> PyErr {
        unpickling_error(self.vm, "pickle data was truncated")
    }

    /// Makes `n` more bytes available at the read position and consumes
    /// them: their start in `input`.
    fn read(&self, n: usize) -> PyResult<usize> {
        let u = self.u;
        let pos = u.pos.get();
        {
            let input = u.input.borrow();
            if n <= input.len() - pos {
                u.pos.set(pos + n);
                return Ok(pos);
            }
        }
        let read = u.refs.borrow().read.clone();
        let Some(read) = read else { return Err(self.truncated()) };
        let pos = self.drop_prefetched()?;
        let have = u.input.borrow().len() - pos;
        if have == 0 && n < PREFETCH {
            // Look ahead without consuming: small opcodes then cost no call
            // each; what was used is read from the file later (skip_consumed).
            if let Some(data) = self.peek()? {
                if data.len() >= n {
                    *u.input.borrow_mut() = data;
                    u.prefetched.set(Some(0));
                    u.pos.set(n);
                    return Ok(0);
                }
            }
        }
        let data = self.vm.call1(&read, &[Value::Int((n - have) as i64)])?;
        let data = self.bytes_of(&data)?;
        let mut input = u.input.borrow_mut();
        input.drain(..pos);
        input.extend_from_slice(&data);
        if input.len() < n {
            u.pos.set(input.len());
            return Err(self.truncated());
        }
        u.pos.set(n);
        Ok(0)
    }

    /// `peek(PREFETCH)` of the file, if it has a working one.
    fn peek(&self) -> PyResult<Option<Vec<u8>>> {
        let vm = self.vm;
        let peek = self.u.refs.borrow().peek.clone();
        let Some(peek) = peek else { return Ok(None) };
        match vm.call1(&peek, &[Value::Int(PREFETCH as i64)]) {
            Ok(data) => Ok(Some(self.bytes_of(&data)?)),
            Err(e) if vm.exception_matches(&e, &vm.exc.not_implemented_error) => {
                let old = self.u.refs.borrow_mut().peek.take();
                drop(old);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads from the file what was used of the peeked data, so the file
    /// position is where the unpickler is.
    fn skip_consumed(&self) -> PyResult<()> {
        let u = self.u;
        let Some(start) = u.prefetched.get() else { return Ok(()) };
        let consumed = u.pos.get() - start;
        if consumed > 0 {
            let read = u.refs.borrow().read.clone();
            if let Some(read) = read {
                self.vm.call1(&read, &[Value::Int(consumed as i64)])?;
            }
        }
        u.prefetched.set(Some(u.pos.get()));
        Ok(())
    }

    /// Before reading from the file: the peeked bytes not used yet are still
    /// in the file, so they leave the buffer. The read position after.
    fn drop_prefetched(&self) -> PyResult<usize> {
        let u = self.u;
        if u.prefetched.get().is_none() {
            return Ok(u.pos.get());
        }
        self.skip_consumed()?;
        u.prefetched.set(None);
        let old = std::mem::take(&mut *u.input.borrow_mut());
        drop(old);
        u.pos.set(0);
        Ok(0)
    }

    fn bytes_of(&self, data: &Value) -> PyResult<Vec<u8>> {
        match krait_vm::types::int::bytes_like(data) {
            Some(b) => Ok(b),
            None => Err(self.vm.new_type_error(format!("a bytes-like object is required, not '{}'", self.vm.type_name_of(data)))),
        }
    }

    fn read_bytes(&self, n: usize) -> PyResult<Vec<u8>> {
        let at = self.read(n)?;
        Ok(self.u.input.borrow()[at..at + n].to_vec())
    }

    fn read_u8(&self) -> PyResult<u8> {
        let at = self.read(1)?;
        Ok(self.u.input.borrow()[at])
    }

    fn read_uint(&self, n: usize) -> PyResult<u64> {
        let at = self.read(n)?;
        Ok(le_uint(&self.u.input.borrow()[at..at + n]))
    }

    /// One line, its newline included.
    fn readline(&self) -> PyResult<Vec<u8>> {
        let u = self.u;
        let pos = u.pos.get();
        {
            let input = u.input.borrow();
            if let Some(k) = input[pos..].iter().position(|&b| b == b'\n') {
                u.pos.set(pos + k + 1);
                return Ok(input[pos..pos + k + 1].to_vec());
            }
        }
        let readline = u.refs.borrow().readline.clone();
        let Some(readline) = readline else { return Err(self.truncated()) };
        let pos = self.drop_prefetched()?;
        let data = self.vm.call1(&readline, &[])?;
        let data = self.bytes_of(&data)?;
        let mut line = {
            let mut input = u.input.borrow_mut();
            let rest = input[pos..].to_vec();
            input.clear();
            u.pos.set(0);
            rest
        };
        line.extend_from_slice(&data);
        if line.last() != Some(&b'\n') {
            return Err(self.truncated());
        }
        Ok(line)
    }

    /// A line without its newline; an empty one is a truncated pickle.
    fn readline_arg(&self) -> PyResult<Vec<u8>> {
        let mut line = self.readline()?;
        if line.len() < 2 {
            return Err(self.truncated());
        }
        line.pop();
        Ok(line)
    }

    // ---- the stack ----

    fn fence(&self) -> usize {
        self.u.marks.borrow().last().copied().unwrap_or(0)
    }

    fn underflow(&self) -> PyErr {
        let msg = if self.u.marks.borrow().is_empty() { "unpickling stack underflow" } else { "unexpected MARK found" };
        unpickling_error(self.vm, msg)
    }

    #[inline]
    fn push(&self, v: Value) {
        self.u.stack.borrow_mut().push(v);
    }

    fn pop(&self) -> PyResult<Value> {
        let fence = self.fence();
        let mut s = self.u.stack.borrow_mut();
        if s.len() <= fence {
            drop(s);
            return Err(self.underflow());
        }
        Ok(s.pop().expect("non-empty"))
    }

    fn top(&self) -> PyResult<Value> {
        let fence = self.fence();
        let s = self.u.stack.borrow();
        if s.len() <= fence {
            drop(s);
            return Err(self.underflow());
        }
        Ok(s[s.len() - 1].clone())
    }

    fn marker(&self) -> PyResult<usize> {
        match self.u.marks.borrow_mut().pop() {
            Some(m) => Ok(m),
            None => Err(unpickling_error(self.vm, "could not find MARK")),
        }
    }

    /// The values from `start` up, removed.
    fn pop_from(&self, start: usize) -> PyResult<Vec<Value>> {
        if start < self.fence() || start > self.u.stack.borrow().len() {
            return Err(self.underflow());
        }
        Ok(self.u.stack.borrow_mut().split_off(start))
    }

    fn stack_len(&self) -> usize {
        self.u.stack.borrow().len()
    }

    fn truncate_stack(&self, len: usize) {
        let old: Vec<Value> = {
            let mut s = self.u.stack.borrow_mut();
            if s.len() > len {
                s.split_off(len)
            } else {
                Vec::new()
            }
        };
        drop(old);
    }

    // ---- the loop ----

    fn run(&self) -> PyResult {
        let vm = self.vm;
        loop {
            let code = match self.read_u8() {
                Ok(c) => c,
                Err(e) if vm.exception_matches(&e, &self.g.unpickling_error) => {
                    return Err(vm.new_exception_msg(&vm.exc.eof_error, "Ran out of input"));
                }
                Err(e) => return Err(e),
            };
            if code == op::STOP {
                let v = self.pop()?;
                self.skip_consumed()?;
                return Ok(v);
            }
            self.dispatch(code)?;
        }
    }

    fn dispatch(&self, code: u8) -> PyResult<()> {
        let vm = self.vm;
        match code {
            op::MARK => {
                let n = self.stack_len();
                self.u.marks.borrow_mut().push(n);
            }
            op::POP => {
                let len = self.stack_len();
                let top_mark = self.u.marks.borrow().last().copied();
                if top_mark == Some(len) {
                    self.u.marks.borrow_mut().pop();
                } else {
                    let v = self.pop()?;
                    drop(v);
                }
            }
            op::POP_MARK => {
                let m = self.marker()?;
                self.truncate_stack(m);
            }
            op::DUP => {
                let v = self.top()?;
                self.push(v);
            }
            op::NONE => self.push(Value::None),
            op::NEWTRUE => self.push(Value::Bool(true)),
            op::NEWFALSE => self.push(Value::Bool(false)),
            op::BININT => {
                let v = self.read_uint(4)? as u32 as i32;
                self.push(Value::Int(v as i64));
            }
            op::BININT1 => {
                let v = self.read_u8()?;
                self.push(Value::Int(v as i64));
            }
            op::BININT2 => {
                let v = self.read_uint(2)?;
                self.push(Value::Int(v as i64));
            }
            op::INT => {
                let v = self.load_int()?;
                self.push(v);
            }
            op::LONG => {
                let mut line = self.readline_arg()?;
                if line.last() == Some(&b'L') {
                    line.pop();
                } else {
                    line.push(b'\n');
                }
                let text = vm.new_str(String::from_utf8_lossy(&line));
                let v = vm.call1(&Value::Obj(vm.types.int.clone()), &[text])?;
                self.push(v);
            }
            op::LONG1 | op::LONG4 => {
                let n = if code == op::LONG1 { self.read_u8()? as i64 } else { self.read_uint(4)? as u32 as i32 as i64 };
                if n < 0 {
                    return Err(unpickling_error(vm, "LONG pickle has negative byte count"));
                }
                let data = self.read_bytes(n as usize)?;
                self.push(vm.new_int(decode_long(&data)));
            }
            op::FLOAT => {
                let line = self.readline()?;
                let raw = String::from_utf8_lossy(&line).into_owned();
                let v = match vm.call1(&Value::Obj(vm.types.float.clone()), &[vm.new_str(&raw)]) {
                    Ok(v) => v,
                    Err(e) if vm.exception_matches(&e, &vm.exc.value_error) => {
                        return Err(vm.new_value_error(format!("could not convert string to float: '{raw}'")))
                    }
                    Err(e) => return Err(e),
                };
                self.push(v);
            }
            op::BINFLOAT => {
                let at = self.read(8)?;
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.u.input.borrow()[at..at + 8]);
                self.push(Value::Float(f64::from_be_bytes(b)));
            }
            op::BINUNICODE | op::SHORT_BINUNICODE | op::BINUNICODE8 => {
                let n = match code {
                    op::SHORT_BINUNICODE => self.read_u8()? as u64,
                    op::BINUNICODE => self.read_uint(4)?,
                    _ => self.read_uint(8)?,
                };
                let n = self.size(n, "BINUNICODE8")?;
                let at = self.read(n)?;
                let v = {
                    let input = self.u.input.borrow();
                    let data = &input[at..at + n];
                    match std::str::from_utf8(data) {
                        Ok(s) => Ok(vm.new_str(s)),
                        Err(_) => Err(data.to_vec()),
                    }
                };
                let v = match v {
                    Ok(v) => v,
                    Err(data) => krait_vm::types::str_codecs::utf::decode_utf8(vm, &data, "surrogatepass", true)?.0.into_value(vm),
                };
                self.push(v);
            }
            op::UNICODE => {
                let mut line = self.readline()?;
                line.pop();
                let s = krait_vm::types::str_codecs::escape::decode_unicode_escape(vm, &line, "strict", true, true)?.0;
                self.push(s.into_value(vm));
            }
            op::BINBYTES | op::SHORT_BINBYTES | op::BINBYTES8 => {
                let n = match code {
                    op::SHORT_BINBYTES => self.read_u8()? as u64,
                    op::BINBYTES => self.read_uint(4)?,
                    _ => self.read_uint(8)?,
                };
                let n = self.size(n, "BINBYTES8")?;
                let data = self.read_bytes(n)?;
                self.push(vm.new_bytes(data));
            }
            op::BYTEARRAY8 => {
                let n = self.read_uint(8)?;
                let n = self.size(n, "BYTEARRAY8")?;
                let data = self.read_bytes(n)?;
                let b = PyRef::new(vm.types.bytearray.clone(), Payload::ByteArray(RefCell::new(data)));
                self.push(Value::Obj(b));
            }
            op::STRING => {
                let mut line = self.readline()?;
                line.pop();
                let n = line.len();
                if n < 2 || line[0] != line[n - 1] || (line[0] != b'\'' && line[0] != b'"') {
                    return Err(unpickling_error(vm, "the STRING opcode argument must be quoted"));
                }
                let data = krait_vm::types::str_codecs::escape::escape_decode(vm, &line[1..n - 1], "strict")?;
                let v = self.decode_string(data)?;
                self.push(v);
            }
            op::BINSTRING | op::SHORT_BINSTRING => {
                let n = if code == op::SHORT_BINSTRING { self.read_u8()? as usize } else { self.read_uint(4)? as usize };
                let data = self.read_bytes(n)?;
                let v = self.decode_string(data)?;
                self.push(v);
            }
            op::EMPTY_TUPLE => self.push(vm.new_tuple(vec![])),
            op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                let n = (code - op::TUPLE1 + 1) as usize;
                let len = self.stack_len();
                if len < n {
                    return Err(self.underflow());
                }
                let items = self.pop_from(len - n)?;
                self.push(vm.new_tuple(items));
            }
            op::TUPLE => {
                let m = self.marker()?;
                let items = self.pop_from(m)?;
                self.push(vm.new_tuple(items));
            }
            op::EMPTY_LIST => self.push(vm.new_list(vec![])),
            op::LIST => {
                let m = self.marker()?;
                let items = self.pop_from(m)?;
                self.push(vm.new_list(items));
            }
            op::EMPTY_DICT => self.push(Value::Obj(vm.new_dict())),
            op::DICT => {
                let m = self.marker()?;
                let items = self.pop_from(m)?;
                if items.len() % 2 != 0 {
                    return Err(unpickling_error(vm, "odd number of items for DICT"));
                }
                let d = vm.new_dict();
                for kv in items.chunks(2) {
                    vm.dict_set(&d, kv[0].clone(), kv[1].clone())?;
                }
                self.push(Value::Obj(d));
            }
            op::EMPTY_SET => self.push(vm.new_set(vec![])?),
            op::FROZENSET => {
                let m = self.marker()?;
                let items = self.pop_from(m)?;
                self.push(vm.new_frozenset(items)?);
            }
            op::APPEND => {
                let len = self.stack_len();
                if len == 0 || len - 1 <= self.fence() {
                    return Err(self.underflow());
                }
                self.do_append(len - 1)?;
            }
            op::APPENDS => {
                let m = self.marker()?;
                self.do_append(m)?;
            }
            op::SETITEM => {
                let len = self.stack_len();
                if len < 2 || len - 2 <= self.fence() {
                    return Err(self.underflow());
                }
                self.do_setitems(len - 2)?;
            }
            op::SETITEMS => {
                let m = self.marker()?;
                self.do_setitems(m)?;
            }
            op::ADDITEMS => {
                let m = self.marker()?;
                self.do_additems(m)?;
            }
            op::GET => {
                let line = self.readline_arg()?;
                let text = String::from_utf8_lossy(&line).into_owned();
                let idx = vm.call1(&Value::Obj(vm.types.int.clone()), &[vm.new_str(&text)])?;
                let idx = crate::native::ssize(vm, &idx)?;
                self.memo_get(idx)?;
            }
            op::BINGET => {
                let idx = self.read_u8()?;
                self.memo_get(idx as i64)?;
            }
            op::LONG_BINGET => {
                let idx = self.read_uint(4)?;
                self.memo_get(idx as i64)?;
            }
            op::PUT => {
                let line = self.readline_arg()?;
                let v = self.top()?;
                let text = String::from_utf8_lossy(&line).into_owned();
                let idx = vm.call1(&Value::Obj(vm.types.int.clone()), &[vm.new_str(&text)])?;
                let idx = crate::native::ssize(vm, &idx)?;
                if idx < 0 {
                    return Err(vm.new_value_error("negative PUT argument"));
                }
                self.u.memo.borrow_mut().put(idx as usize, v);
            }
            op::BINPUT | op::LONG_BINPUT => {
                let idx = if code == op::BINPUT { self.read_u8()? as u64 } else { self.read_uint(4)? };
                let v = self.top()?;
                self.u.memo.borrow_mut().put(idx as usize, v);
            }
            op::MEMOIZE => {
                let v = self.top()?;
                let mut memo = self.u.memo.borrow_mut();
                let idx = memo.count;
                memo.put(idx, v);
            }
            op::GLOBAL => {
                let module = self.readline_arg()?;
                let name = self.readline_arg()?;
                let module = self.utf8(&module)?;
                let name = self.utf8(&name)?;
                let v = self.find_class(module, name)?;
                self.push(v);
            }
            op::STACK_GLOBAL => {
                let name = self.pop()?;
                let module = self.pop()?;
                if vm.as_str(&name).is_none() || vm.as_str(&module).is_none() {
                    return Err(unpickling_error(vm, "STACK_GLOBAL requires str"));
                }
                let v = self.find_class(module, name)?;
                self.push(v);
            }
            op::EXT1 => {
                let c = self.read_u8()? as i64;
                self.load_extension(c)?;
            }
            op::EXT2 => {
                let c = self.read_uint(2)? as i64;
                self.load_extension(c)?;
            }
            op::EXT4 => {
                let c = self.read_uint(4)? as u32 as i32 as i64;
                self.load_extension(c)?;
            }
            op::REDUCE => {
                let args = self.pop()?;
                let callable = self.pop()?;
                let Some(items) = args.payload().and_then(|p| p.as_tuple()) else {
                    return Err(vm.new_type_error("argument list must be a tuple"));
                };
                let v = vm.call1(&callable, items)?;
                self.push(v);
            }
            op::NEWOBJ => {
                let args = self.pop()?;
                let cls = self.pop()?;
                let v = self.newobj("NEWOBJ", &cls, &args, None)?;
                self.push(v);
            }
            op::NEWOBJ_EX => {
                let kwargs = self.pop()?;
                let args = self.pop()?;
                let cls = self.pop()?;
                let v = self.newobj("NEWOBJ_EX", &cls, &args, Some(&kwargs))?;
                self.push(v);
            }
            op::INST => {
                let m = self.marker()?;
                let module = self.readline_arg()?;
                let module = self.ascii(&module)?;
                let name = self.readline_arg()?;
                let name = self.ascii(&name)?;
                let cls = self.find_class(module, name)?;
                let args = self.pop_from(m)?;
                let v = self.instantiate(&cls, args)?;
                self.push(v);
            }
            op::OBJ => {
                let m = self.marker()?;
                if self.stack_len() < m + 1 {
                    return Err(self.underflow());
                }
                let args = self.pop_from(m + 1)?;
                let cls = self.pop()?;
                let v = self.instantiate(&cls, args)?;
                self.push(v);
            }
            op::BUILD => self.load_build()?,
            op::PERSID => {
                let mut line = self.readline()?;
                line.pop();
                if !line.is_ascii() {
                    return Err(unpickling_error(vm, "persistent IDs in protocol 0 must be ASCII strings"));
                }
                let pid = vm.new_str(String::from_utf8_lossy(&line));
                let v = self.persistent_load(pid)?;
                self.push(v);
            }
            op::BINPERSID => {
                if self.u.refs.borrow().pers.func.is_none() {
                    return Err(self.no_persistent_load());
                }
                let pid = self.pop()?;
                let v = self.persistent_load(pid)?;
                self.push(v);
            }
            op::PROTO => {
                let p = self.read_u8()?;
                if p as i64 > HIGHEST_PROTOCOL {
                    return Err(vm.new_value_error(format!("unsupported pickle protocol: {p}")));
                }
                self.u.proto.set(p);
            }
            op::FRAME => {
                let n = self.read_uint(8)?;
                if n > isize::MAX as u64 {
                    return Err(vm.new_overflow_error(format!(
                        "FRAME length exceeds system's maximum of {} bytes",
                        isize::MAX
                    )));
                }
                let at = self.read(n as usize)?;
                self.u.pos.set(at);
            }
            op::NEXT_BUFFER => {
                let buffers = self.u.refs.borrow().buffers.clone();
                let Some(it) = buffers else {
                    return Err(unpickling_error(
                        vm,
                        "pickle stream refers to out-of-band data but no *buffers* argument was given",
                    ));
                };
                match vm.next(&it)? {
                    Some(b) => self.push(b),
                    None => return Err(unpickling_error(vm, "not enough out-of-band buffers")),
                }
            }
            op::READONLY_BUFFER => {
                let obj = self.top()?;
                let view = vm.call1(&Value::Obj(vm.types.memoryview.clone()), &[obj])?;
                let readonly = vm.getattr_str(&view, "readonly")?;
                if !vm.truthy(&readonly)? {
                    let ro = vm.call_method(&view, "toreadonly", &[])?;
                    let old = self.pop()?;
                    drop(old);
                    self.push(ro);
                }
            }
            _ => {
                let msg = if (0x20..=0x7e).contains(&code) && code != b'\'' && code != b'\\' {
                    format!("invalid load key, '{}'.", code as char)
                } else {
                    format!("invalid load key, '\\x{code:02x}'.")
                };
                return Err(unpickling_error(vm, msg));
            }
        }
        Ok(())
    }

    fn size(&self, n: u64, what: &str) -> PyResult<usize> {
        if n > isize::MAX as u64 {
            return Err(self.vm.new_overflow_error(format!("{what} exceeds system's maximum size of {} bytes", isize::MAX)));
        }
        Ok(n as usize)
    }

    fn utf8(&self, data: &[u8]) -> PyResult<Value> {
        match std::str::from_utf8(data) {
            Ok(s) => Ok(self.vm.new_str(s)),
            Err(_) => Ok(krait_vm::types::str_codecs::utf::decode_utf8(self.vm, data, "strict", true)?.0.into_value(self.vm)),
        }
    }

    fn ascii(&self, data: &[u8]) -> PyResult<Value> {
        Ok(krait_vm::types::str_codecs::decode_ascii(self.vm, data, "strict")?.into_value(self.vm))
    }

    /// INT: a C `strtol` number (base prefixes and all), else a Python int
    /// literal; "01"/"00" are the booleans of protocol 0.
    fn load_int(&self) -> PyResult<Value> {
        let vm = self.vm;
        let line = self.readline_arg()?;
        if line == b"01" || line == b"00" {
            return Ok(Value::Bool(line == b"01"));
        }
        if let Some(v) = strtol(&line) {
            return Ok(Value::Int(v));
        }
        let mut text = String::from_utf8_lossy(&line).into_owned();
        text.push('\n');
        let int = Value::Obj(vm.types.int.clone());
        vm.call1(&int, &[vm.new_str(text), Value::Int(0)]).map_err(|_| vm.new_value_error("could not convert string to int"))
    }

    fn decode_string(&self, data: Vec<u8>) -> PyResult<Value> {
        let vm = self.vm;
        let (enc, errors) = self.u.encoding.borrow().clone();
        if enc == "bytes" {
            return Ok(vm.new_bytes(data));
        }
        if enc.eq_ignore_ascii_case("ascii") && data.is_ascii() {
            return Ok(vm.new_str(std::str::from_utf8(&data).expect("ascii")));
        }
        let b = vm.new_bytes(data);
        vm.call_method(&b, "decode", &[vm.new_str(enc), vm.new_str(errors)])
    }

    fn memo_get(&self, idx: i64) -> PyResult<()> {
        let v = if idx < 0 { None } else { self.u.memo.borrow().get(idx as usize) };
        match v {
            Some(v) => {
                self.push(v);
                Ok(())
            }
            None => Err(unpickling_error(self.vm, format!("Memo value not found at index {idx}"))),
        }
    }

    /// The object that the values from stack position `x` up are added to
    /// (just below them); None when there are none.
    fn batch_target(&self, x: usize) -> PyResult<Option<Value>> {
        let len = self.stack_len();
        if x > len || x <= self.fence() {
            return Err(self.underflow());
        }
        if len == x {
            return Ok(None);
        }
        Ok(Some(self.u.stack.borrow()[x - 1].clone()))
    }

    fn do_append(&self, x: usize) -> PyResult<()> {
        let vm = self.vm;
        let Some(list) = self.batch_target(x)? else { return Ok(()) };
        if vm.class_of(&list).is(&vm.types.list) {
            let items = self.pop_from(x)?;
            if let Some(l) = list.payload().and_then(|p| p.as_list()) {
                l.borrow_mut().extend(items);
            }
            return Ok(());
        }
        if let Some(extend) = vm.getattr_opt(&list, "extend")? {
            let items = self.pop_from(x)?;
            vm.call1(&extend, &[vm.new_list(items)])?;
            return Ok(());
        }
        let append = vm.getattr_str(&list, "append")?;
        let items = self.pop_from(x)?;
        for it in items {
            vm.call1(&append, &[it])?;
        }
        Ok(())
    }

    fn do_setitems(&self, x: usize) -> PyResult<()> {
        let vm = self.vm;
        let Some(target) = self.batch_target(x)? else { return Ok(()) };
        if (self.stack_len() - x) % 2 != 0 {
            return Err(unpickling_error(vm, "odd number of items for SETITEMS"));
        }
        let items = self.pop_from(x)?;
        let exact_dict = vm.class_of(&target).is(&vm.types.dict);
        for kv in items.chunks(2) {
            if exact_dict {
                vm.dict_set(target.as_obj().expect("dict"), kv[0].clone(), kv[1].clone())?;
            } else {
                vm.setitem(&target, &kv[0], kv[1].clone())?;
            }
        }
        Ok(())
    }

    fn do_additems(&self, m: usize) -> PyResult<()> {
        let vm = self.vm;
        let Some(set) = self.batch_target(m)? else { return Ok(()) };
        let items = self.pop_from(m)?;
        let is_set = matches!(set.payload().map(|p| p.base()), Some(Payload::Set(_)));
        if is_set {
            for it in items {
                vm.set_add(&set, it)?;
            }
            return Ok(());
        }
        let add = vm.getattr_str(&set, "add")?;
        for it in items {
            vm.call1(&add, &[it])?;
        }
        Ok(())
    }

    fn find_class(&self, module: Value, name: Value) -> PyResult {
        match self.this {
            Some(me) => self.vm.call_method(me, "find_class", &[module, name]),
            None => find_class_impl(self.vm, self.u, &self.g, module, name),
        }
    }

    fn load_extension(&self, code: i64) -> PyResult<()> {
        let vm = self.vm;
        if code <= 0 {
            return Err(unpickling_error(vm, "EXT specifies code <= 0"));
        }
        let key = Value::Int(code);
        let cache = self.g.extension_cache.as_obj().expect("dict");
        if let Some(v) = vm.dict_get(cache, &key)? {
            self.push(v);
            return Ok(());
        }
        let inverted = self.g.inverted_registry.as_obj().expect("dict");
        let Some(pair) = vm.dict_get(inverted, &key)? else {
            return Err(vm.new_value_error(format!("unregistered extension code {code}")));
        };
        let Some([m, n]) = pair.payload().and_then(|p| p.as_tuple()).filter(|t| t.len() == 2 && t.iter().all(|x| vm.as_str(x).is_some())) else {
            return Err(vm.new_value_error(format!("_inverted_registry[{code}] isn't a 2-tuple of strings")));
        };
        let obj = self.find_class(m.clone(), n.clone())?;
        vm.dict_set(cache, key, obj.clone())?;
        self.push(obj);
        Ok(())
    }

    fn newobj(&self, opname: &str, cls: &Value, args: &Value, kwargs: Option<&Value>) -> PyResult {
        let vm = self.vm;
        if cls.payload().and_then(|p| p.as_type()).is_none() {
            return Err(unpickling_error(vm, format!("{opname} class argument must be a type, not {}", vm.type_name_of(cls))));
        }
        let Some(items) = args.payload().and_then(|p| p.as_tuple()) else {
            return Err(unpickling_error(vm, format!("{opname} args argument must be a tuple, not {}", vm.type_name_of(args))));
        };
        if let Some(kw) = kwargs {
            if kw.payload().and_then(|p| p.as_dict()).is_none() {
                return Err(unpickling_error(vm, format!("{opname} kwargs argument must be a dict, not {}", vm.type_name_of(kw))));
            }
        }
        let new = vm.getattr(cls, &self.g.names.new)?;
        let mut all = Vec::with_capacity(items.len() + 1);
        all.push(cls.clone());
        all.extend(items.iter().cloned());
        let mut kwnames = Vec::new();
        if let Some(kw) = kwargs {
            for (k, v) in vm.dict_items(kw.as_obj().expect("dict")) {
                all.push(v);
                kwnames.push(k);
            }
        }
        vm.call(&new, Args::with_kw(&all, &kwnames))
    }

    /// INST/OBJ: `cls(*args)`, or `cls.__new__(cls)` for a class without
    /// arguments and without `__getinitargs__`.
    fn instantiate(&self, cls: &Value, args: Vec<Value>) -> PyResult {
        let vm = self.vm;
        if args.is_empty() && cls.payload().and_then(|p| p.as_type()).is_some() && vm.getattr_opt(cls, "__getinitargs__")?.is_none() {
            return vm.call_method(cls, "__new__", &[cls.clone()]);
        }
        vm.call1(cls, &args)
    }

    fn load_build(&self) -> PyResult<()> {
        let vm = self.vm;
        let state = self.pop()?;
        let inst = self.top()?;
        if let Some(setstate) = vm.lookup_attr(&inst, &self.g.names.setstate)? {
            vm.call1(&setstate, &[state])?;
            return Ok(());
        }
        let (state, slotstate) = match state.payload().and_then(|p| p.as_tuple()) {
            Some([s, slots]) => (s.clone(), Some(slots.clone())),
            _ => (state, None),
        };
        if !state.is_none() {
            let Some(sd) = state.as_obj().filter(|d| d.payload.as_dict().is_some()) else {
                return Err(unpickling_error(vm, "state is not a dictionary"));
            };
            let dict = vm.getattr(&inst, &self.g.names.dict)?;
            for (k, v) in vm.dict_items(sd) {
                let k = match vm.as_str(&k) {
                    Some(s) if vm.class_of(&k).is(&vm.types.str) => Value::Obj(vm.intern(s)),
                    _ => k,
                };
                vm.setitem(&dict, &k, v)?;
            }
        }
        if let Some(slots) = slotstate {
            let Some(sd) = slots.as_obj().filter(|d| d.payload.as_dict().is_some()) else {
                return Err(unpickling_error(vm, "slot state is not a dictionary"));
            };
            for (k, v) in vm.dict_items(sd) {
                match k.as_obj().filter(|_| vm.as_str(&k).is_some()) {
                    Some(name) => vm.setattr(&inst, name, Some(v))?,
                    None => {
                        return Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(&k))))
                    }
                }
            }
        }
        Ok(())
    }

    fn no_persistent_load(&self) -> PyErr {
        unpickling_error(
            self.vm,
            "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
        )
    }

    fn persistent_load(&self, pid: Value) -> PyResult {
        let pers = self.u.refs.borrow().pers.clone();
        pers.call(self.vm, self.this, pid)?.ok_or_else(|| self.no_persistent_load())
    }
}

/// C `strtol(s, &end, 0)` over the whole text: None when it does not
/// parse entirely or overflows.
fn strtol(s: &[u8]) -> Option<i64> {
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = &s[i..];
    let (radix, digits) = if rest.len() > 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        (16, &rest[2..])
    } else if rest.len() > 1 && rest[0] == b'0' {
        (8, &rest[1..])
    } else {
        (10, rest)
    };
    if digits.is_empty() {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let mag = i64::from_str_radix(text, radix).ok()?;
    Some(if neg { -mag } else { mag })
}

/// LONG1/LONG4 data: little-endian two's complement.
fn decode_long(data: &[u8]) -> IBig {
    if data.is_empty() {
        return IBig::ZERO;
    }
    let mag = IBig::from(UBig::from_le_bytes(data));
    if data[data.len() - 1] & 0x80 != 0 {
        mag - IBig::from(UBig::ONE << (8 * data.len()))
    } else {
        mag
    }
}

/// `find_class(module_name, global_name)`: Python 2 names mapped (protocols
/// 0-2 with fix_imports), the module imported, the attribute looked up
/// (a dotted path under protocol 4+).
fn find_class_impl(vm: &Vm, u: &Unpickler, g: &Globals, module: Value, name: Value) -> PyResult {
    let (mut module, mut name) = (module, name);
    if u.proto.get() < 3 && u.fix_imports.get() {
        (module, name) = super::rename_global(vm, &g.name_mapping_2to3, &g.import_mapping_2to3, "", module, name)?;
    }
    let Some(mname) = vm.as_str(&module) else {
        return Err(vm.new_type_error(format!("module name must be str, not {}", vm.type_name_of(&module))));
    };
    let m = Value::Obj(vm.import_full(mname)?);
    let found = if u.proto.get() >= 4 {
        let path = dotted_path(vm, Some(&m), &name)?;
        deep_attribute(vm, &m, &path)?.map(|(v, _)| v)
    } else {
        match vm.as_str(&name) {
            Some(n) => vm.getattr_opt(&m, n)?,
            None => {
                return Err(vm.new_type_error(format!("attribute name must be string, not '{}'", vm.type_name_of(&name))))
            }
        }
    };
    match found {
        Some(v) => Ok(v),
        None => Err(vm.new_attribute_error(format!("Can't get attribute {} on {}", vm.repr_string(&name)?, vm.repr_string(&m)?))),
    }
}

// ---- the Unpickler type ----

fn unpickler_type(vm: &Vm) -> PyRef {
    native_type(vm, &UNPICKLER)
}

pub(super) fn state<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Unpickler> {
    v.payload()
        .and_then(|p| p.as_native::<Unpickler>())
        .ok_or_else(|| descr_error(vm, name, "_pickle.Unpickler", v))
}

fn unpickler_new(vm: &Vm, args: Args) -> PyResult {
    let t = unpickler_type(vm);
    let (cls, _rest) = crate::native::split_new(vm, args, &t)?;
    Ok(new_object(vm, &cls, &t, Unpickler::new_detached()))
}

fn unpickler_init(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__init__' needs an argument"))?;
    let u = state(vm, me, "__init__")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let b = vm.bind_native("Unpickler", rest, &["file", "fix_imports", "encoding", "errors", "buffers"], 0, 1, Some(1))?;
    u.configure(vm, b[0].as_ref(), b[1].as_ref(), b[2].as_ref(), b[3].as_ref(), b[4].as_ref())?;
    let pers = PersFunc::lookup(vm, me, "persistent_load")?;
    let old = std::mem::replace(&mut u.refs.borrow_mut().pers, pers);
    drop(old);
    let old = std::mem::take(&mut *u.memo.borrow_mut());
    drop(old);
    u.proto.set(0);
    Ok(Value::None)
}

fn unpickler_load(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("load", args, 1, 1)?;
    let me = &args.args[0];
    let u = state(vm, me, "load")?;
    if !u.ready.get() {
        return Err(unpickling_error(
            vm,
            format!("Unpickler.__init__() was not called by {}.__init__()", vm.type_name_of(me)),
        ));
    }
    u.load(vm, Some(me))
}

fn unpickler_find_class(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("find_class", args, 3, 3)?;
    let u = state(vm, &args.args[0], "find_class")?;
    let g = globals(vm)?;
    find_class_impl(vm, u, &g, args.args[1].clone(), args.args[2].clone())
}

fn unpickler_sizeof(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__sizeof__", args, 1, 1)?;
    let u = state(vm, &args.args[0], "__sizeof__")?;
    let n = std::mem::size_of::<Unpickler>() + u.input.borrow().capacity() + u.memo.borrow().dense.capacity() * 16;
    Ok(Value::Int(n as i64))
}

fn get_persistent_load(vm: &Vm, v: &Value) -> PyResult {
    let pers = state(vm, v, "persistent_load")?.refs.borrow().pers.clone();
    pers.attr(vm, v, "persistent_load")
}

fn set_persistent_load(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let u = state(vm, v, "persistent_load")?;
    let pers = PersFunc::assigned(vm, value, "persistent_load")?;
    let old = std::mem::replace(&mut u.refs.borrow_mut().pers, pers);
    drop(old);
    Ok(())
}

fn get_memo(vm: &Vm, v: &Value) -> PyResult {
    state(vm, v, "memo")?;
    Ok(super::memo_proxy::new_unpickler_proxy(vm, v))
}

fn set_memo(vm: &Vm, v: &Value, value: Option<Value>) -> PyResult<()> {
    let u = state(vm, v, "memo")?;
    let Some(value) = value else { return Err(vm.new_type_error("attribute deletion is not supported")) };
    let new_memo = if let Some(owner) = super::memo_proxy::unpickler_proxy_owner(&value) {
        let src = state(vm, &owner, "memo")?;
        let copy = src.memo.borrow().clone();
        copy
    } else if let Some(d) = value.as_obj().filter(|d| d.payload.as_dict().is_some()) {
        let mut memo = UMemo::default();
        for (k, obj) in vm.dict_items(d) {
            if vm.as_ibig(&k).is_none() {
                return Err(vm.new_type_error("memo key must be integers"));
            }
            let idx = crate::native::ssize(vm, &k)?;
            if idx < 0 {
                return Err(vm.new_value_error("memo key must be positive integers."));
            }
            memo.put(idx as usize, obj);
        }
        memo
    } else {
        return Err(vm.new_type_error(format!(
            "'memo' attribute must be an UnpicklerMemoProxy object or dict, not {}",
            vm.type_name_of(&value)
        )));
    };
    let old = std::mem::replace(&mut *u.memo.borrow_mut(), new_memo);
    drop(old);
    Ok(())
}

static METHODS: [NativeDef; 5] = [
    NativeDef::staticmethod("__new__", unpickler_new),
    NativeDef::method("__init__", unpickler_init),
    NativeDef::method("load", unpickler_load).doc("load($self, /)\n--\n\nRead the next pickle from the file and return the object it holds."),
    NativeDef::method("find_class", unpickler_find_class).doc("find_class($self, module_name, global_name, /)\n--\n\nThe global a pickle names: attribute global_name of module module_name."),
    NativeDef::method("__sizeof__", unpickler_sizeof),
];

static GETSETS: [GetSetDef; 2] = [
    GetSetDef { name: "persistent_load", get: get_persistent_load, set: Some(set_persistent_load), doc: "" },
    GetSetDef { name: "memo", get: get_memo, set: Some(set_memo), doc: "" },
];

pub(super) static UNPICKLER: TypeSpec = TypeSpec {
    module: "_pickle",
    name: "Unpickler",
    doc: "Reads pickles from a binary file: Unpickler(file, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=()).",
    layout: Layout::Other,
    flags: type_flags::BASETYPE,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};
