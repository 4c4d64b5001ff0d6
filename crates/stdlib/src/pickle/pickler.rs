//! `_pickle.Pickler`: writes the opcodes into one output buffer; under
//! protocol 4+ the buffer is cut into frames, and a pickler with a file
//! hands each finished frame (and large bytes/str payloads) to its `write`.
//!
//! The memo maps an object's identity to its memo index and keeps the
//! object alive, as CPython's memo table does. No borrow of the pickler's
//! state is held while Python code runs (reductions, `persistent_id`,
//! `write`), so those may use the pickler again.

use super::{globals, op, pickling_error, Globals, DEFAULT_PROTOCOL, HIGHEST_PROTOCOL};
use dashu_int::ops::{BitTest, UnsignedAbs};
use dashu_int::{IBig, UBig};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::Payload;
use krait_vm::types::str::PyStr;
use krait_vm::{Args, PyRef, PyResult, Value, Vm};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

const FRAME_SIZE_TARGET: usize = 64 * 1024;
const FRAME_SIZE_MIN: usize = 4;
const FRAME_HEADER_SIZE: usize = 9;
const BATCHSIZE: usize = 1000;
const FAST_NESTING_LIMIT: i32 = 50;

/// Hashes object addresses (8-aligned, already well spread).
#[derive(Default)]
pub(super) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = ((n as u64) >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A memo key: an object compared and hashed by identity. Holding the
/// reference keeps the object alive, so its address is not reused by another
/// object while the memo names it (as CPython's memo table holds its keys).
pub(super) struct ByAddr(PyRef);

impl std::hash::Hash for ByAddr {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(obj_key(&self.0));
    }
}

impl PartialEq for ByAddr {
    fn eq(&self, other: &ByAddr) -> bool {
        self.0.is(&other.0)
    }
}

impl Eq for ByAddr {}

/// Memoized object -> memo index.
#[derive(Default)]
pub(super) struct Memo {
    index: HashMap<ByAddr, u32, BuildHasherDefault<AddrHasher>>,
}

impl Clone for Memo {
    fn clone(&self) -> Memo {
        let mut index = HashMap::with_capacity_and_hasher(self.index.len(), Default::default());
        for (k, v) in &self.index {
            index.insert(ByAddr(k.0.clone()), *v);
        }
        Memo { index }
    }
}

impl Memo {
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }
    #[inline]
    pub(super) fn get(&self, o: &PyRef) -> Option<u32> {
        self.index.get(&ByAddr(o.clone())).copied()
    }
    pub(super) fn insert(&mut self, o: &PyRef, idx: u32) {
        self.index.insert(ByAddr(o.clone()), idx);
    }
    /// (index, object) of every entry.
    pub(super) fn entries(&self) -> Vec<(u32, Value)> {
        self.index.iter().map(|(k, v)| (*v, Value::Obj(k.0.clone()))).collect()
    }
    pub(super) fn heap_bytes(&self) -> usize {
        self.index.capacity() * 16
    }
    fn visit(&self, visitor: &mut dyn Visitor) {
        for k in self.index.keys() {
            visitor.visit(&k.0);
        }
    }
}

/// The Python references a pickler holds.
#[derive(Default)]
pub(super) struct Refs {
    pub(super) write: Option<Value>,
    pub(super) pers: super::pickler_type::PersFunc,
    pub(super) dispatch_table: Option<Value>,
    pub(super) reducer_override: Option<Value>,
    pub(super) buffer_callback: Option<Value>,
}

pub(super) struct Pickler {
    pub(super) refs: RefCell<Refs>,
    pub(super) out: RefCell<Vec<u8>>,
    pub(super) memo: RefCell<Memo>,
    pub(super) proto: Cell<u8>,
    pub(super) bin: Cell<bool>,
    pub(super) fast: Cell<bool>,
    pub(super) fix_imports: Cell<bool>,
    pub(super) framing: Cell<bool>,
    pub(super) frame_start: Cell<Option<usize>>,
    pub(super) fast_nesting: Cell<i32>,
    pub(super) fast_memo: RefCell<HashSet<usize>>,
}

impl NativeData for Pickler {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(r) = self.refs.try_borrow() {
            for v in [&r.write, &r.pers.func, &r.dispatch_table, &r.reducer_override, &r.buffer_callback].into_iter().flatten() {
                visitor.visit_value(v);
            }
        }
        if let Ok(m) = self.memo.try_borrow() {
            m.visit(visitor);
        }
    }
    fn clear(&self) {
        let old_refs = self.refs.try_borrow_mut().map(|mut r| std::mem::take(&mut *r));
        let old_memo = self.memo.try_borrow_mut().map(|mut m| std::mem::take(&mut *m));
        drop((old_refs, old_memo));
    }
}

impl Pickler {
    pub(super) fn new_detached() -> Pickler {
        Pickler {
            refs: RefCell::new(Refs::default()),
            out: RefCell::new(Vec::new()),
            memo: RefCell::new(Memo::default()),
            proto: Cell::new(DEFAULT_PROTOCOL as u8),
            bin: Cell::new(true),
            fast: Cell::new(false),
            fix_imports: Cell::new(false),
            framing: Cell::new(false),
            frame_start: Cell::new(None),
            fast_nesting: Cell::new(0),
            fast_memo: RefCell::new(HashSet::new()),
        }
    }

    /// What `__init__` and the module's `dump`/`dumps` set up: protocol,
    /// output file (None for `dumps`), buffer callback.
    pub(super) fn configure(
        &self,
        vm: &Vm,
        file: Option<&Value>,
        protocol: Option<&Value>,
        fix_imports: Option<&Value>,
        buffer_callback: Option<&Value>,
    ) -> PyResult<()> {
        let proto = match protocol {
            None | Some(Value::None) => DEFAULT_PROTOCOL,
            Some(p) => {
                let p = crate::native::ssize(vm, p)?;
                if p < 0 {
                    HIGHEST_PROTOCOL
                } else if p > HIGHEST_PROTOCOL {
                    return Err(vm.new_value_error(format!("pickle protocol must be <= {HIGHEST_PROTOCOL}")));
                } else {
                    p
                }
            }
        };
        let fix = match fix_imports {
            Some(f) => vm.truthy(f)?,
            None => true,
        };
        self.proto.set(proto as u8);
        self.bin.set(proto > 0);
        self.fix_imports.set(fix && proto < 3);
        let write = match file {
            Some(f) => match vm.getattr_opt(f, "write")? {
                Some(w) => Some(w),
                None => return Err(vm.new_type_error("file must have a 'write' attribute")),
            },
            None => None,
        };
        let callback = match buffer_callback {
            None | Some(Value::None) => None,
            Some(cb) => {
                if proto < 5 {
                    return Err(vm.new_value_error("buffer_callback needs protocol >= 5"));
                }
                Some(cb.clone())
            }
        };
        let mut r = self.refs.borrow_mut();
        r.write = write;
        r.buffer_callback = callback;
        Ok(())
    }

    pub(super) fn take_output(&self) -> Vec<u8> {
        self.commit_frame();
        std::mem::take(&mut *self.out.borrow_mut())
    }

    /// Hands the buffered output (its frame committed) to the file.
    pub(super) fn flush_to_file(&self, vm: &Vm) -> PyResult<()> {
        let data = self.take_output();
        let write = self.refs.borrow().write.clone();
        if let Some(w) = write {
            vm.call1(&w, &[vm.new_bytes(data)])?;
        }
        Ok(())
    }

    pub(super) fn commit_frame(&self) {
        let Some(start) = self.frame_start.get() else { return };
        if !self.framing.get() {
            return;
        }
        let mut out = self.out.borrow_mut();
        let len = out.len() - start - FRAME_HEADER_SIZE;
        if len >= FRAME_SIZE_MIN {
            out[start] = op::FRAME;
            out[start + 1..start + FRAME_HEADER_SIZE].copy_from_slice(&(len as u64).to_le_bytes());
        } else {
            out.drain(start..start + FRAME_HEADER_SIZE);
        }
        self.frame_start.set(None);
    }

    #[inline]
    pub(super) fn write(&self, data: &[u8]) {
        let mut out = self.out.borrow_mut();
        if self.framing.get() && self.frame_start.get().is_none() {
            self.frame_start.set(Some(out.len()));
            out.extend_from_slice(&[0; FRAME_HEADER_SIZE]);
        }
        out.extend_from_slice(data);
    }

    #[inline]
    pub(super) fn write1(&self, b: u8) {
        self.write(&[b]);
    }

    /// Pickles one object, with the protocol header and STOP (`dump()`).
    pub(super) fn dump(&self, vm: &Vm, this: Option<&Value>, obj: &Value) -> PyResult<()> {
        let reducer_override = match this {
            Some(t) => vm.getattr_opt(t, "reducer_override")?,
            None => None,
        };
        self.refs.borrow_mut().reducer_override = reducer_override;
        let ctx = Ctx { vm, p: self, this, g: globals(vm)? };
        let mut r = Ok(());
        if self.proto.get() >= 2 {
            self.write(&[op::PROTO, self.proto.get()]);
            if self.proto.get() >= 4 {
                self.framing.set(true);
            }
        }
        if r.is_ok() {
            r = ctx.save(obj, false);
        }
        if r.is_ok() {
            self.write1(op::STOP);
            self.commit_frame();
        }
        self.framing.set(false);
        self.frame_start.set(None);
        // The bound reducer_override refers to the pickler: drop it now.
        let old = self.refs.borrow_mut().reducer_override.take();
        drop(old);
        r
    }
}

/// One `dump` in progress.
pub(super) struct Ctx<'a> {
    pub(super) vm: &'a Vm,
    pub(super) p: &'a Pickler,
    /// The Python pickler object (None for the module's `dumps`).
    pub(super) this: Option<&'a Value>,
    pub(super) g: Rc<Globals>,
}

pub(super) fn obj_key(o: &PyRef) -> usize {
    o.id()
}

impl Ctx<'_> {
    pub(super) fn save(&self, obj: &Value, pers_save: bool) -> PyResult<()> {
        self.save_inner(obj, pers_save)?;
        self.opcode_boundary()
    }

    /// Ends a frame once it is large enough; with a file, the frame is
    /// written out so the buffer stays small.
    pub(super) fn opcode_boundary(&self) -> PyResult<()> {
        let p = self.p;
        let Some(start) = p.frame_start.get() else { return Ok(()) };
        if !p.framing.get() || p.out.borrow().len() - start - FRAME_HEADER_SIZE < FRAME_SIZE_TARGET {
            return Ok(());
        }
        p.commit_frame();
        if p.refs.borrow().write.is_some() {
            p.flush_to_file(self.vm)?;
        }
        Ok(())
    }

    pub(super) fn enter(&self) -> PyResult<()> {
        let vm = self.vm;
        let d = vm.recursion_depth.get() + 1;
        if d > vm.recursion_limit.get() {
            return Err(vm.new_recursion_error("maximum recursion depth exceeded while pickling an object"));
        }
        vm.recursion_depth.set(d);
        Ok(())
    }

    pub(super) fn leave(&self) {
        self.vm.recursion_depth.set(self.vm.recursion_depth.get().saturating_sub(1));
    }

    pub(super) fn save_inner(&self, obj: &Value, pers_save: bool) -> PyResult<()> {
        let vm = self.vm;
        if !pers_save && self.p.refs.borrow().pers.func.is_some() && self.save_pers(obj)? {
            return Ok(());
        }
        let o = match obj {
            Value::None => {
                self.p.write1(op::NONE);
                return Ok(());
            }
            Value::Bool(b) => return self.save_bool(*b),
            Value::Int(i) => return self.save_int(*i),
            Value::Float(f) => return self.save_float(*f),
            Value::Obj(o) => o,
        };
        let cls = o.class();
        let t = &vm.types;
        if cls.is(&t.int) {
            if let Some(i) = o.payload.as_int() {
                return self.save_bigint(i);
            }
        }
        if cls.is(&t.float) {
            if let Some(f) = o.payload.as_float() {
                return self.save_float(f);
            }
        }
        let memoized = self.p.memo.borrow().get(o);
        if let Some(idx) = memoized {
            self.write_get(idx);
            return Ok(());
        }
        if cls.is(&t.bytes) {
            return self.save_bytes(obj);
        }
        if cls.is(&t.str) {
            if let Some(s) = o.payload.as_str() {
                return self.save_str(obj, s);
            }
        }
        self.enter()?;
        let r = self.save_complex(obj, o, cls);
        self.leave();
        r
    }

    /// Containers and everything reduced: under the recursion guard.
    pub(super) fn save_complex(&self, obj: &Value, o: &PyRef, cls: &PyRef) -> PyResult<()> {
        let vm = self.vm;
        let t = &vm.types;
        if cls.is(&t.dict) {
            return self.save_dict(obj);
        }
        if cls.is(&t.set) {
            return self.save_set(obj);
        }
        if cls.is(&t.frozenset) {
            return self.save_frozenset(obj);
        }
        if cls.is(&t.list) {
            return self.save_list(obj);
        }
        if cls.is(&t.tuple) {
            return self.save_tuple(obj);
        }
        if cls.is(&t.bytearray) {
            return self.save_bytearray(obj);
        }
        if let Some(view) = super::picklebuffer::view_of(vm, obj) {
            return self.save_picklebuffer(obj, view);
        }
        let reducer_override = self.p.refs.borrow().reducer_override.clone();
        if let Some(ro) = reducer_override {
            let rv = vm.call1(&ro, &[obj.clone()])?;
            if !vm.is_not_implemented(&rv) {
                return self.save_reduce_value(obj, rv);
            }
        }
        if cls.is(&t.type_) {
            return self.save_type(obj);
        }
        if cls.is(&t.function) {
            return self.save_global(obj, None);
        }
        let dispatch_table = self.p.refs.borrow().dispatch_table.clone();
        let cls_value = Value::Obj(cls.clone());
        let reduce_func = match dispatch_table {
            None => {
                let table = self.g.dispatch_table.as_obj().expect("dict");
                vm.dict_get(table, &cls_value)?
            }
            Some(dt) => match vm.getitem(&dt, &cls_value) {
                Ok(f) => Some(f),
                Err(e) if vm.exception_matches(&e, &vm.exc.key_error) => None,
                Err(e) => return Err(e),
            },
        };
        let rv = if let Some(f) = reduce_func {
            vm.call1(&f, &[obj.clone()])?
        } else if vm.is_subtype(cls, &t.type_) {
            return self.save_global(obj, None);
        } else if let Some(f) = vm.lookup_attr(obj, &self.g.names.reduce_ex)? {
            vm.call1(&f, &[Value::Int(self.p.proto.get() as i64)])?
        } else if let Some(f) = vm.lookup_attr(obj, &self.g.names.reduce)? {
            vm.call1(&f, &[])?
        } else {
            return Err(pickling_error(
                vm,
                format!("can't pickle '{}' object: {}", vm.type_name(cls), vm.repr_string(obj)?),
            ));
        };
        let _ = o;
        self.save_reduce_value(obj, rv)
    }

    /// What a reduction returned: a global's name, or a reduce tuple.
    pub(super) fn save_reduce_value(&self, obj: &Value, rv: Value) -> PyResult<()> {
        let vm = self.vm;
        if vm.as_str(&rv).is_some() {
            return self.save_global(obj, Some(&rv));
        }
        if rv.payload().and_then(|p| p.as_tuple()).is_none() {
            return Err(pickling_error(vm, "__reduce__ must return a string or tuple"));
        }
        self.save_reduce(&rv, Some(obj))
    }

    pub(super) fn save_pers(&self, obj: &Value) -> PyResult<bool> {
        let vm = self.vm;
        let pers = self.p.refs.borrow().pers.clone();
        let pid = match pers.call(vm, self.this, obj.clone())? {
            None | Some(Value::None) => return Ok(false),
            Some(pid) => pid,
        };
        if self.p.bin.get() {
            self.save(&pid, true)?;
            self.p.write1(op::BINPERSID);
        } else {
            let s = vm.str_string(&pid)?;
            if !s.is_ascii() {
                return Err(pickling_error(vm, "persistent IDs in protocol 0 must be ASCII strings"));
            }
            self.p.write1(op::PERSID);
            self.p.write(s.as_bytes());
            self.p.write1(b'\n');
        }
        Ok(true)
    }

    pub(super) fn save_bool(&self, b: bool) -> PyResult<()> {
        if self.p.proto.get() >= 2 {
            self.p.write1(if b { op::NEWTRUE } else { op::NEWFALSE });
        } else {
            self.p.write(if b { b"I01\n" } else { b"I00\n" });
        }
        Ok(())
    }

    pub(super) fn save_int(&self, i: i64) -> PyResult<()> {
        if i < i32::MIN as i64 || i > i32::MAX as i64 {
            return self.save_bigint(&IBig::from(i));
        }
        if !self.p.bin.get() {
            self.p.write(format!("I{i}\n").as_bytes());
            return Ok(());
        }
        let b = (i as i32).to_le_bytes();
        if b[2] != 0 || b[3] != 0 {
            self.p.write(&[op::BININT, b[0], b[1], b[2], b[3]]);
        } else if b[1] != 0 {
            self.p.write(&[op::BININT2, b[0], b[1]]);
        } else {
            self.p.write(&[op::BININT1, b[0]]);
        }
        Ok(())
    }

    pub(super) fn save_bigint(&self, i: &IBig) -> PyResult<()> {
        if let Ok(small) = i32::try_from(i) {
            return self.save_int(small as i64);
        }
        if self.p.proto.get() >= 2 {
            let data = encode_long(i);
            let n = data.len();
            if n < 256 {
                self.p.write(&[op::LONG1, n as u8]);
            } else if n <= i32::MAX as usize {
                self.p.write1(op::LONG4);
                self.p.write(&(n as i32).to_le_bytes());
            } else {
                return Err(self.vm.new_overflow_error("int too large to pickle"));
            }
            self.p.write(&data);
        } else {
            let text = krait_vm::types::int::int_to_string(self.vm, i)?;
            self.p.write1(op::LONG);
            self.p.write(text.as_bytes());
            self.p.write(b"L\n");
        }
        Ok(())
    }

    pub(super) fn save_float(&self, f: f64) -> PyResult<()> {
        if self.p.bin.get() {
            self.p.write1(op::BINFLOAT);
            self.p.write(&f.to_be_bytes());
        } else {
            let text = self.vm.repr_string(&Value::Float(f))?;
            self.p.write1(op::FLOAT);
            self.p.write(text.as_bytes());
            self.p.write1(b'\n');
        }
        Ok(())
    }

    /// Writes a header and a payload; a payload of a frame's size or more
    /// goes outside any frame (straight to the file when there is one).
    pub(super) fn write_bytes(&self, header: &[u8], data: &[u8], payload: Option<&Value>) -> PyResult<()> {
        let p = self.p;
        let bypass = data.len() >= FRAME_SIZE_TARGET;
        let framing = p.framing.get();
        if bypass {
            p.commit_frame();
            p.framing.set(false);
        }
        p.write(header);
        let write = if bypass { p.refs.borrow().write.clone() } else { None };
        match write {
            Some(w) => {
                let r = p.flush_to_file(self.vm).and_then(|_| {
                    let payload = payload.cloned().unwrap_or_else(|| self.vm.new_bytes(data));
                    self.vm.call1(&w, &[payload])
                });
                if r.is_err() {
                    p.framing.set(framing);
                }
                r?;
            }
            None => p.write(data),
        }
        p.framing.set(framing);
        Ok(())
    }

    pub(super) fn save_bytes_data(&self, obj: &Value, data: &[u8]) -> PyResult<()> {
        let n = data.len();
        let mut header = Vec::with_capacity(9);
        if n <= 0xff {
            header.extend_from_slice(&[op::SHORT_BINBYTES, n as u8]);
        } else if n as u64 <= 0xffff_ffff {
            header.push(op::BINBYTES);
            header.extend_from_slice(&(n as u32).to_le_bytes());
        } else if self.p.proto.get() >= 4 {
            header.push(op::BINBYTES8);
            header.extend_from_slice(&(n as u64).to_le_bytes());
        } else {
            return Err(self.vm.new_overflow_error(
                "serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher",
            ));
        }
        self.write_bytes(&header, data, Some(obj))?;
        self.memo_put(obj)
    }

    pub(super) fn save_bytes(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let data = obj.payload().and_then(|p| p.as_bytes()).unwrap_or(&[]);
        if self.p.proto.get() >= 3 {
            return self.save_bytes_data(obj, data);
        }
        // Protocols 0-2 have no bytes opcode: `codecs.encode(latin-1 text,
        // 'latin1')` rebuilds the bytes (and a Python 2 str under Python 2).
        let rv = if data.is_empty() {
            vm.new_tuple(vec![Value::Obj(vm.types.bytes.clone()), vm.new_tuple(vec![])])
        } else {
            let text: String = data.iter().map(|&b| b as char).collect();
            let args = vm.new_tuple(vec![vm.new_str(text), vm.new_str("latin1")]);
            vm.new_tuple(vec![self.g.codecs_encode.clone(), args])
        };
        self.save_reduce(&rv, Some(obj))
    }

    pub(super) fn save_bytearray(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let data = match obj.payload().map(|p| p.base()) {
            Some(Payload::ByteArray(b)) => b.borrow().clone(),
            _ => Vec::new(),
        };
        if self.p.proto.get() < 5 {
            let cls = Value::Obj(vm.class_of(obj).clone());
            let args = if data.is_empty() { vec![] } else { vec![vm.new_bytes(data)] };
            let rv = vm.new_tuple(vec![cls, vm.new_tuple(args)]);
            return self.save_reduce(&rv, Some(obj));
        }
        self.save_bytearray_data(obj, &data)
    }

    pub(super) fn save_bytearray_data(&self, obj: &Value, data: &[u8]) -> PyResult<()> {
        let mut header = vec![op::BYTEARRAY8];
        header.extend_from_slice(&(data.len() as u64).to_le_bytes());
        self.write_bytes(&header, data, Some(obj))?;
        self.memo_put(obj)
    }

    /// A PickleBuffer: its bytes in-band (as bytes or bytearray, by its
    /// writability), or out-of-band when `buffer_callback` returns false.
    pub(super) fn save_picklebuffer(&self, obj: &Value, view: PyResult<Value>) -> PyResult<()> {
        let vm = self.vm;
        if self.p.proto.get() < 5 {
            return Err(pickling_error(vm, "PickleBuffer can only pickled with protocol >= 5"));
        }
        let view = view?;
        if !vm.truthy(&vm.getattr_str(&view, "contiguous")?)? {
            return Err(pickling_error(vm, "PickleBuffer can not be pickled when pointing to a non-contiguous buffer"));
        }
        let callback = self.p.refs.borrow().buffer_callback.clone();
        let in_band = match callback {
            Some(cb) => {
                let r = vm.call1(&cb, &[obj.clone()])?;
                vm.truthy(&r)?
            }
            None => true,
        };
        let readonly = vm.truthy(&vm.getattr_str(&view, "readonly")?)?;
        if in_band {
            let data = krait_vm::types::memoryview::memoryview_bytes_checked(vm, &view)?.unwrap_or_default();
            return if readonly { self.save_bytes_data(obj, &data) } else { self.save_bytearray_data(obj, &data) };
        }
        self.p.write1(op::NEXT_BUFFER);
        if readonly {
            self.p.write1(op::READONLY_BUFFER);
        }
        Ok(())
    }

    pub(super) fn save_str(&self, obj: &Value, s: &PyStr) -> PyResult<()> {
        let vm = self.vm;
        if !self.p.bin.get() {
            self.p.write1(op::UNICODE);
            self.p.write(&raw_unicode_escape(s));
            self.p.write1(b'\n');
            return self.memo_put(obj);
        }
        let data: Cow<[u8]> = if s.has_surrogates() {
            Cow::Owned(krait_vm::modules::marshal::surrogatepass_utf8(s))
        } else {
            Cow::Borrowed(s.as_str().as_bytes())
        };
        let n = data.len();
        let proto = self.p.proto.get();
        let mut header = Vec::with_capacity(9);
        if n <= 0xff && proto >= 4 {
            header.extend_from_slice(&[op::SHORT_BINUNICODE, n as u8]);
        } else if n as u64 > 0xffff_ffff && proto >= 4 {
            header.push(op::BINUNICODE8);
            header.extend_from_slice(&(n as u64).to_le_bytes());
        } else if n as u64 > 0xffff_ffff {
            return Err(vm.new_overflow_error(
                "serializing a string larger than 4 GiB requires pickle protocol 4 or higher",
            ));
        } else {
            header.push(op::BINUNICODE);
            header.extend_from_slice(&(n as u32).to_le_bytes());
        }
        if n >= FRAME_SIZE_TARGET {
            let payload = vm.new_bytes(&*data);
            self.write_bytes(&header, &data, Some(&payload))?;
        } else {
            self.write_bytes(&header, &data, None)?;
        }
        self.memo_put(obj)
    }

    pub(super) fn memo_put(&self, obj: &Value) -> PyResult<()> {
        if self.p.fast.get() {
            return Ok(());
        }
        let Value::Obj(o) = obj else { return Ok(()) };
        let idx = {
            let mut memo = self.p.memo.borrow_mut();
            let idx = memo.len();
            memo.insert(o, idx as u32);
            idx
        };
        if self.p.proto.get() >= 4 {
            self.p.write1(op::MEMOIZE);
        } else if !self.p.bin.get() {
            self.p.write(format!("p{idx}\n").as_bytes());
        } else if idx < 256 {
            self.p.write(&[op::BINPUT, idx as u8]);
        } else if idx as u64 <= 0xffff_ffff {
            self.p.write1(op::LONG_BINPUT);
            self.p.write(&(idx as u32).to_le_bytes());
        } else {
            return Err(pickling_error(self.vm, "memo id too large for LONG_BINPUT"));
        }
        Ok(())
    }

    pub(super) fn memo_get(&self, o: &PyRef) -> PyResult<()> {
        let Some(idx) = self.p.memo.borrow().get(o) else {
            return Err(self.vm.new_key_error(Value::Obj(o.clone())));
        };
        self.write_get(idx);
        Ok(())
    }

    /// GET/BINGET/LONG_BINGET of memo entry `idx`.
    fn write_get(&self, idx: u32) {
        if !self.p.bin.get() {
            self.p.write(format!("g{idx}\n").as_bytes());
        } else if idx < 256 {
            self.p.write(&[op::BINGET, idx as u8]);
        } else {
            self.p.write1(op::LONG_BINGET);
            self.p.write(&idx.to_le_bytes());
        }
    }

    pub(super) fn in_memo(&self, obj: &Value) -> bool {
        match obj {
            Value::Obj(o) => self.p.memo.borrow().get(o).is_some(),
            _ => false,
        }
    }

    pub(super) fn fast_enter(&self, obj: &Value) -> PyResult<()> {
        if !self.p.fast.get() {
            return Ok(());
        }
        let n = self.p.fast_nesting.get() + 1;
        self.p.fast_nesting.set(n);
        if n >= FAST_NESTING_LIMIT {
            let key = obj.id() as usize;
            if !self.p.fast_memo.borrow_mut().insert(key) {
                self.p.fast_nesting.set(-1);
                return Err(self.vm.new_value_error(format!(
                    "fast mode: can't pickle cyclic objects including object type {} at {:#x}",
                    self.vm.type_name_of(obj),
                    key
                )));
            }
        }
        Ok(())
    }

    pub(super) fn fast_leave(&self, obj: &Value) {
        if !self.p.fast.get() {
            return;
        }
        let n = self.p.fast_nesting.get();
        if n >= FAST_NESTING_LIMIT {
            self.p.fast_memo.borrow_mut().remove(&(obj.id() as usize));
        }
        self.p.fast_nesting.set(n - 1);
    }

    pub(super) fn save_tuple(&self, obj: &Value) -> PyResult<()> {
        let items = obj.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]);
        let n = items.len();
        let proto = self.p.proto.get();
        if n == 0 {
            if proto > 0 {
                self.p.write1(op::EMPTY_TUPLE);
            } else {
                self.p.write(&[op::MARK, op::TUPLE]);
            }
            return Ok(());
        }
        let short = n <= 3 && proto >= 2;
        if !short {
            self.p.write1(op::MARK);
        }
        for it in items {
            self.save(it, false)?;
        }
        if self.in_memo(obj) {
            // Recursive: the tuple was memoized while its items were saved;
            // drop what was pushed and fetch it from the memo.
            if short {
                for _ in 0..n {
                    self.p.write1(op::POP);
                }
            } else if self.p.bin.get() {
                self.p.write1(op::POP_MARK);
            } else {
                for _ in 0..=n {
                    self.p.write1(op::POP);
                }
            }
            return self.memo_get(obj.as_obj().expect("tuple"));
        }
        self.p.write1(if short { [op::TUPLE1, op::TUPLE2, op::TUPLE3][n - 1] } else { op::TUPLE });
        self.memo_put(obj)
    }

    pub(super) fn save_list(&self, obj: &Value) -> PyResult<()> {
        self.fast_enter(obj)?;
        if self.p.bin.get() {
            self.p.write1(op::EMPTY_LIST);
        } else {
            self.p.write(&[op::MARK, op::LIST]);
        }
        self.memo_put(obj)?;
        let list = obj.payload().and_then(|p| p.as_list()).expect("list");
        let r = if list.borrow().is_empty() {
            Ok(())
        } else if self.p.proto.get() > 0 {
            self.batch_list_exact(list)
        } else {
            let it = self.vm.iter(obj)?;
            self.batch_list(&it)
        };
        if r.is_ok() {
            self.fast_leave(obj);
        }
        r
    }

    pub(super) fn batch_list_exact(&self, list: &RefCell<krait_vm::types::list_storage::ListStorage>) -> PyResult<()> {
        let item = |i: usize| list.borrow().get(i).cloned();
        if list.borrow().len() == 1 {
            if let Some(x) = item(0) {
                self.save(&x, false)?;
            }
            self.p.write1(op::APPEND);
            return Ok(());
        }
        let mut total = 0;
        loop {
            self.p.write1(op::MARK);
            let mut this_batch = 0;
            while let Some(x) = item(total) {
                self.save(&x, false)?;
                total += 1;
                this_batch += 1;
                if this_batch == BATCHSIZE {
                    break;
                }
            }
            self.p.write1(op::APPENDS);
            if total >= list.borrow().len() {
                return Ok(());
            }
        }
    }

    /// Items of an iterator, appended in batches (one by one under protocol 0).
    pub(super) fn batch_list(&self, it: &Value) -> PyResult<()> {
        self.batch_iter(op::APPEND, op::APPENDS, || self.vm.next(it), |x| self.save(x, false))
    }

    /// What an iterator gives, in CPython's batches: `one` after a lone item,
    /// MARK items `many` for up to BATCHSIZE; `one` after each under protocol 0.
    fn batch_iter(
        &self,
        one: u8,
        many: u8,
        next: impl Fn() -> PyResult<Option<Value>>,
        save_item: impl Fn(&Value) -> PyResult<()>,
    ) -> PyResult<()> {
        if self.p.proto.get() == 0 {
            while let Some(x) = next()? {
                save_item(&x)?;
                self.p.write1(one);
            }
            return Ok(());
        }
        loop {
            let Some(first) = next()? else { return Ok(()) };
            let Some(mut x) = next()? else {
                save_item(&first)?;
                self.p.write1(one);
                return Ok(());
            };
            self.p.write1(op::MARK);
            save_item(&first)?;
            let mut n = 1;
            loop {
                save_item(&x)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
                match next()? {
                    Some(item) => x = item,
                    None => break,
                }
            }
            self.p.write1(many);
            if n != BATCHSIZE {
                return Ok(());
            }
        }
    }

    pub(super) fn save_dict(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        self.fast_enter(obj)?;
        if self.p.bin.get() {
            self.p.write1(op::EMPTY_DICT);
        } else {
            self.p.write(&[op::MARK, op::DICT]);
        }
        self.memo_put(obj)?;
        let d = obj.as_obj().expect("dict");
        let r = if vm.dict_len(d) == 0 {
            Ok(())
        } else if self.p.proto.get() > 0 {
            self.batch_dict_exact(d)
        } else {
            let items = vm.call_method(obj, "items", &[])?;
            let it = vm.iter(&items)?;
            self.batch_dict(&it)
        };
        if r.is_ok() {
            self.fast_leave(obj);
        }
        r
    }

    pub(super) fn batch_dict_exact(&self, d: &PyRef) -> PyResult<()> {
        let vm = self.vm;
        let size = vm.dict_len(d);
        let table = d.payload.as_dict().expect("dict");
        // As PyDict_Next: one entry at a time, no borrow held while saving.
        let next = |pos: usize| table.borrow().next_entry(pos).map(|(p, e)| (p, e.key.clone(), e.value.clone()));
        let changed = || vm.new_runtime_error("dictionary changed size during iteration");
        if size == 1 {
            if let Some((_, k, v)) = next(0) {
                self.save(&k, false)?;
                self.save(&v, false)?;
            }
            self.p.write1(op::SETITEM);
            return Ok(());
        }
        // Batches as CPython writes them: a full last batch is followed by
        // an empty one.
        let mut pos = 0;
        loop {
            self.p.write1(op::MARK);
            let mut n = 0;
            while let Some((p, k, v)) = next(pos) {
                pos = p;
                self.save(&k, false)?;
                self.save(&v, false)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
            }
            self.p.write1(op::SETITEMS);
            if vm.dict_len(d) != size {
                return Err(changed());
            }
            if n != BATCHSIZE {
                return Ok(());
            }
        }
    }

    /// (key, value) items of an iterator, set in batches.
    pub(super) fn batch_dict(&self, it: &Value) -> PyResult<()> {
        let vm = self.vm;
        let next = || -> PyResult<Option<Value>> {
            let Some(item) = vm.next(it)? else { return Ok(None) };
            match item.payload().and_then(|p| p.as_tuple()) {
                Some([_, _]) => Ok(Some(item)),
                _ => Err(vm.new_type_error("dict items iterator must return 2-tuples")),
            }
        };
        let save_pair = |item: &Value| -> PyResult<()> {
            if let Some([k, v]) = item.payload().and_then(|p| p.as_tuple()) {
                self.save(k, false)?;
                self.save(v, false)?;
            }
            Ok(())
        };
        self.batch_iter(op::SETITEM, op::SETITEMS, next, save_pair)
    }

    pub(super) fn set_items(&self, obj: &Value) -> Vec<Value> {
        match obj.payload().and_then(|p| p.as_set()) {
            Some(t) => t.borrow().entries().into_iter().map(|(k, _)| k).collect(),
            None => Vec::new(),
        }
    }

    pub(super) fn save_set(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let items = self.set_items(obj);
        if self.p.proto.get() < 4 {
            let rv = vm.new_tuple(vec![Value::Obj(vm.types.set.clone()), vm.new_tuple(vec![vm.new_list(items)])]);
            return self.save_reduce(&rv, Some(obj));
        }
        self.p.write1(op::EMPTY_SET);
        self.memo_put(obj)?;
        let size = items.len();
        let set_len = || obj.payload().and_then(|p| p.as_set()).map_or(0, |t| t.borrow().len());
        let mut rest = &items[..];
        loop {
            let n = rest.len().min(BATCHSIZE);
            self.p.write1(op::MARK);
            for x in &rest[..n] {
                self.save(x, false)?;
            }
            rest = &rest[n..];
            self.p.write1(op::ADDITEMS);
            if set_len() != size {
                return Err(vm.new_runtime_error("set changed size during iteration"));
            }
            if n != BATCHSIZE {
                return Ok(());
            }
        }
    }

    pub(super) fn save_frozenset(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let items = self.set_items(obj);
        if self.p.proto.get() < 4 {
            let rv =
                vm.new_tuple(vec![Value::Obj(vm.types.frozenset.clone()), vm.new_tuple(vec![vm.new_list(items)])]);
            return self.save_reduce(&rv, Some(obj));
        }
        self.p.write1(op::MARK);
        for x in &items {
            self.save(x, false)?;
        }
        if self.in_memo(obj) {
            // Recursive: the frozenset got memoized while its items were saved.
            self.p.write1(op::POP_MARK);
            return self.memo_get(obj.as_obj().expect("frozenset"));
        }
        self.p.write1(op::FROZENSET);
        self.memo_put(obj)
    }

    /// `save_reduce(rv, obj)`: rv is the reduce tuple (callable, args[,
    /// state[, listitems[, dictitems[, state_setter]]]]); obj None: not memoized.
    pub(super) fn save_reduce(&self, rv: &Value, obj: Option<&Value>) -> PyResult<()> {
        let vm = self.vm;
        let items = rv.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]);
        if items.len() < 2 || items.len() > 6 {
            return Err(pickling_error(vm, "tuple returned by __reduce__ must contain 2 through 6 elements"));
        }
        let get = |i: usize| items.get(i).filter(|v| !v.is_none()).cloned();
        let callable = &items[0];
        let argtup = &items[1];
        if !vm.is_callable(callable) {
            return Err(pickling_error(vm, "first item of the tuple returned by __reduce__ must be callable"));
        }
        let Some(args) = argtup.payload().and_then(|p| p.as_tuple()) else {
            return Err(pickling_error(vm, "second item of the tuple returned by __reduce__ must be a tuple"));
        };
        let state = get(2);
        let listitems = get(3);
        let dictitems = get(4);
        let state_setter = get(5);
        let is_iter = |v: &Value| vm.type_lookup_str(vm.class_of(v), "__next__").is_some();
        if let Some(l) = &listitems {
            if !is_iter(l) {
                return Err(pickling_error(
                    vm,
                    format!("fourth element of the tuple returned by __reduce__ must be an iterator, not {}", vm.type_name_of(l)),
                ));
            }
        }
        if let Some(d) = &dictitems {
            if !is_iter(d) {
                return Err(pickling_error(
                    vm,
                    format!("fifth element of the tuple returned by __reduce__ must be an iterator, not {}", vm.type_name_of(d)),
                ));
            }
        }
        if let Some(s) = &state_setter {
            if !vm.is_callable(s) {
                return Err(pickling_error(
                    vm,
                    format!("sixth element of the tuple returned by __reduce__ must be a function, not {}", vm.type_name_of(s)),
                ));
            }
        }
        let proto = self.p.proto.get();
        let (mut newobj, mut newobj_ex) = (false, false);
        if proto >= 2 {
            if let Some(name) = vm.lookup_attr(callable, &self.g.names.name)? {
                match vm.as_str(&name) {
                    Some("__newobj_ex__") => newobj_ex = true,
                    Some("__newobj__") => newobj = true,
                    _ => {}
                }
            }
        }
        let is_type = |v: &Value| v.payload().and_then(|p| p.as_type()).is_some();
        if newobj_ex {
            if args.len() != 3 {
                return Err(pickling_error(
                    vm,
                    format!("length of the NEWOBJ_EX argument tuple must be exactly 3, not {}", args.len()),
                ));
            }
            let (cls, cargs, kwargs) = (&args[0], &args[1], &args[2]);
            if !is_type(cls) {
                return Err(pickling_error(
                    vm,
                    format!("first item from NEWOBJ_EX argument tuple must be a class, not {}", vm.type_name_of(cls)),
                ));
            }
            if cargs.payload().and_then(|p| p.as_tuple()).is_none() {
                return Err(pickling_error(
                    vm,
                    format!("second item from NEWOBJ_EX argument tuple must be a tuple, not {}", vm.type_name_of(cargs)),
                ));
            }
            if kwargs.payload().and_then(|p| p.as_dict()).is_none() {
                return Err(pickling_error(
                    vm,
                    format!("third item from NEWOBJ_EX argument tuple must be a dict, not {}", vm.type_name_of(kwargs)),
                ));
            }
            if proto >= 4 {
                self.save(cls, false)?;
                self.save(cargs, false)?;
                self.save(kwargs, false)?;
                self.p.write1(op::NEWOBJ_EX);
            } else {
                // partial(cls.__new__, cls, *args, **kwargs) called with no arguments.
                let mut pargs = vec![vm.getattr_str(cls, "__new__")?, cls.clone()];
                pargs.extend(cargs.payload().and_then(|p| p.as_tuple()).unwrap_or(&[]).iter().cloned());
                let mut kwnames = Vec::new();
                for (k, v) in vm.dict_items(kwargs.as_obj().expect("dict")) {
                    pargs.push(v);
                    kwnames.push(k);
                }
                let partial = vm.call(&self.g.partial, Args::with_kw(&pargs, &kwnames))?;
                self.save(&partial, false)?;
                self.save(&vm.new_tuple(vec![]), false)?;
                self.p.write1(op::REDUCE);
            }
        } else if newobj {
            let Some(cls) = args.first() else {
                return Err(pickling_error(vm, "__newobj__ arglist is empty"));
            };
            if !is_type(cls) {
                return Err(pickling_error(vm, "args[0] from __newobj__ args is not a type"));
            }
            if let Some(o) = obj {
                let obj_class = vm.getattr(o, &self.g.names.class)?;
                if !obj_class.is(cls) {
                    return Err(pickling_error(vm, "args[0] from __newobj__ args has the wrong class"));
                }
            }
            self.save(cls, false)?;
            self.save(&vm.new_tuple(args[1..].to_vec()), false)?;
            self.p.write1(op::NEWOBJ);
        } else {
            self.save(callable, false)?;
            self.save(argtup, false)?;
            self.p.write1(op::REDUCE);
        }
        if let Some(o) = obj {
            if self.in_memo(o) {
                // Recursive: the object was memoized while its arguments were saved.
                self.p.write1(op::POP);
                return self.memo_get(o.as_obj().expect("memoized object"));
            }
            self.memo_put(o)?;
        }
        if let Some(l) = listitems {
            self.batch_list(&l)?;
        }
        if let Some(d) = dictitems {
            self.batch_dict(&d)?;
        }
        if let Some(state) = state {
            match state_setter {
                None => {
                    self.save(&state, false)?;
                    self.p.write1(op::BUILD);
                }
                Some(setter) => {
                    // setter(obj, state), its result dropped: stack-neutral.
                    self.save(&setter, false)?;
                    self.save(obj.unwrap_or(&Value::None), false)?;
                    self.save(&state, false)?;
                    self.p.write(&[op::TUPLE2, op::REDUCE, op::POP]);
                }
            }
        }
        Ok(())
    }
}

/// An int as LONG1/LONG4 data: little-endian two's complement, as short as
/// the sign allows.
fn encode_long(i: &IBig) -> Vec<u8> {
    if *i == IBig::ZERO {
        return Vec::new();
    }
    let negative = *i < IBig::ZERO;
    let mag: UBig = i.unsigned_abs();
    let nbytes = mag.bit_len() / 8 + 1;
    let repr = if negative { (UBig::ONE << (8 * nbytes)) - mag } else { mag };
    let mut bytes = repr.to_le_bytes().into_vec();
    bytes.resize(nbytes, 0);
    if negative && nbytes > 1 && bytes[nbytes - 1] == 0xff && bytes[nbytes - 2] & 0x80 != 0 {
        bytes.pop();
    }
    bytes
}

/// Protocol 0's text for a str: latin-1 characters as bytes, others and the
/// characters that would break the line format as `\uXXXX`/`\UXXXXXXXX`.
fn raw_unicode_escape(s: &PyStr) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.byte_len());
    for cp in s.code_points() {
        if cp >= 0x10000 {
            out.extend_from_slice(format!("\\U{cp:08x}").as_bytes());
        } else if cp >= 0x100 || matches!(cp, 0x5c | 0x00 | 0x0a | 0x0d | 0x1a) {
            out.extend_from_slice(format!("\\u{cp:04x}").as_bytes());
        } else {
            out.push(cp as u8);
        }
    }
    out
}
