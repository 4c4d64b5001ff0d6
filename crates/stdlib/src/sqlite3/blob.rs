//! `Connection.blobopen` and the `Blob` object (incremental BLOB I/O), and
//! `Connection.backup`. The rusqlite blob handle is kept with the shared
//! connection it borrows (`self_cell`), so SQLite expires it when its row
//! changes, as CPython's does.

use super::connection::{conn, split, Conn};
use super::errors::{operational, programming, OrRaise};
use crate::native::{descr_error, native_type, new_object, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::Payload;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

type BlobHandle<'a> = rusqlite::blob::Blob<'a>;

self_cell::self_cell!(
    struct LiveBlob {
        owner: std::rc::Rc<rusqlite::Connection>,
        #[covariant]
        dependent: BlobHandle,
    }
);

pub struct Blob {
    connection: RefCell<Option<Value>>,
    handle: RefCell<Option<LiveBlob>>,
    offset: Cell<usize>,
}

impl NativeData for Blob {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        crate::native::visit_refcell(&self.connection, visitor, |c, v| {
            if let Some(c) = c {
                v.visit_value(c);
            }
        });
    }
    fn clear(&self) {
        crate::native::take_refcell(&self.connection);
    }
}

impl Blob {
    /// Closes the handle and forgets the connection.
    fn close(&self) {
        let old = self.handle.try_borrow_mut().ok().and_then(|mut h| h.take());
        drop(old);
        crate::native::take_refcell(&self.connection);
    }
}

const BLOB: &str = "sqlite3.Blob";

pub fn blob_type(vm: &Vm) -> PyRef {
    native_type(vm, &BLOB_SPEC)
}

fn state<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a Blob> {
    v.payload().and_then(|p| p.as_native::<Blob>()).ok_or_else(|| descr_error(vm, name, BLOB, v))
}

fn me_and_rest<'a>(vm: &Vm, args: Args<'a>, name: &str) -> PyResult<(&'a Value, &'a Blob, Args<'a>)> {
    let Some(me) = args.args.first() else {
        return Err(vm.new_type_error(format!("descriptor '{name}' of '{BLOB}' object needs an argument")));
    };
    Ok((me, state(vm, me, name)?, Args { args: &args.args[1..], kwnames: args.kwnames }))
}

impl Blob {
    /// Runs `f` on the handle (after the blob and connection checks).
    fn with<R>(&self, vm: &Vm, f: impl FnOnce(&mut rusqlite::blob::Blob<'_>) -> PyResult<R>) -> PyResult<R> {
        let conn_v = self.connection.borrow().clone();
        let Some(conn_v) = conn_v else { return Err(programming(vm, "Cannot operate on a closed blob.")) };
        let c: &Conn = conn(vm, &conn_v, "blob")?;
        c.check(vm)?;
        let Ok(mut h) = self.handle.try_borrow_mut() else {
            return Err(programming(vm, "Recursive use of the blob is not allowed."));
        };
        let Some(h) = h.as_mut() else { return Err(programming(vm, "Cannot operate on a closed blob.")) };
        c.scoped(vm, || h.with_dependent_mut(|_, b| f(b)))
    }

    fn len(&self, vm: &Vm) -> PyResult<usize> {
        self.with(vm, |b| Ok(b.len()))
    }

    fn read_at(&self, vm: &Vm, start: usize, n: usize) -> PyResult<Vec<u8>> {
        self.with(vm, |b| {
            let mut buf = vec![0u8; n];
            b.read_at_exact(&mut buf, start).or_raise(vm)?;
            Ok(buf)
        })
    }

    fn write_at(&self, vm: &Vm, start: usize, data: &[u8]) -> PyResult<()> {
        self.with(vm, |b| b.write_all_at(data, start).or_raise(vm))
    }
}

/// `blobopen(table, column, row, /, *, readonly=False, name='main')`.
pub fn blobopen(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "blobopen")?;
    let a = vm.bind_native("blobopen", rest, &["table", "column", "row", "readonly", "name"], 3, 3, Some(3))?;
    let s = |i: usize, what: &str| -> PyResult<String> {
        let v = a[i].clone().unwrap_or(Value::None);
        Ok(super::values::str_arg(vm, &v, "blobopen", what)?.to_string())
    };
    let table = s(0, "argument 1")?;
    let column = s(1, "argument 2")?;
    let row = vm.to_index_i64(a[2].as_ref().unwrap_or(&Value::None))?;
    let readonly = match &a[3] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let name = match &a[4] {
        Some(_) => s(4, "argument 'name'")?,
        None => "main".to_string(),
    };
    let rc = c.rc(vm)?;
    let handle = c
        .scoped(vm, || {
            LiveBlob::try_new(rc, |db| db.blob_open(name.as_str(), table.as_str(), column.as_str(), row, readonly))
        })
        .or_raise(vm)?;
    let b = Blob {
        connection: RefCell::new(Some(me.clone())),
        handle: RefCell::new(Some(handle)),
        offset: Cell::new(0),
    };
    let t = blob_type(vm);
    Ok(new_object(vm, &t, &t, b))
}

fn read(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "read")?;
    let a = crate::native::unpack(vm, "read", &rest, 0, 1)?;
    let len = b.len(vm)?;
    let off = b.offset.get().min(len);
    let want = match a.first() {
        Some(v) => crate::native::c_int(vm, v)? as i64,
        None => -1,
    };
    let n = if want < 0 { len - off } else { (want as usize).min(len - off) };
    let data = b.read_at(vm, off, n)?;
    b.offset.set(off + n);
    Ok(vm.new_bytes(data))
}

fn write(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "write")?;
    let a = crate::native::unpack(vm, "write", &rest, 1, 1)?;
    let data = super::values::buffer_arg(vm, &a[0])?;
    let len = b.len(vm)?;
    let off = b.offset.get();
    if off + data.len() > len {
        return Err(vm.new_value_error("data longer than blob length"));
    }
    b.write_at(vm, off, &data)?;
    b.offset.set(off + data.len());
    Ok(Value::None)
}

fn seek(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "seek")?;
    let a = crate::native::unpack(vm, "seek", &rest, 1, 2)?;
    let off = crate::native::c_int(vm, &a[0])? as i64;
    let origin = match a.get(1) {
        Some(v) => crate::native::c_int(vm, v)?,
        None => 0,
    };
    let len = b.len(vm)? as i64;
    let base = match origin {
        0 => 0,
        1 => b.offset.get() as i64,
        2 => len,
        _ => return Err(vm.new_value_error("'origin' should be os.SEEK_SET, os.SEEK_CUR, or os.SEEK_END")),
    };
    if base > 0 && off > i32::MAX as i64 - base {
        return Err(vm.new_overflow_error("seek offset results in overflow"));
    }
    let target = base + off;
    if target < 0 || target > len {
        return Err(vm.new_value_error("offset out of blob range"));
    }
    b.offset.set(target as usize);
    Ok(Value::None)
}

fn tell(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "tell")?;
    crate::native::unpack(vm, "tell", &rest, 0, 0)?;
    b.len(vm)?;
    Ok(Value::Int(b.offset.get() as i64))
}

fn close(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "close")?;
    crate::native::unpack(vm, "close", &rest, 0, 0)?;
    let conn_v = b.connection.borrow().clone();
    if let Some(c) = &conn_v {
        conn(vm, c, "close")?.check(vm)?;
    }
    b.close();
    Ok(Value::None)
}

fn enter(vm: &Vm, args: Args) -> PyResult {
    let (me, b, _) = me_and_rest(vm, args, "__enter__")?;
    b.len(vm)?;
    Ok(me.clone())
}

fn exit(vm: &Vm, args: Args) -> PyResult {
    let (_, b, _) = me_and_rest(vm, args, "__exit__")?;
    b.len(vm)?;
    b.close();
    Ok(Value::Bool(false))
}

fn blob_len(vm: &Vm, args: Args) -> PyResult {
    let (_, b, _) = me_and_rest(vm, args, "__len__")?;
    Ok(Value::Int(b.len(vm)? as i64))
}

/// An index or slice of the blob: (start, stop, step, is_index).
fn index_of(vm: &Vm, key: &Value, len: usize) -> PyResult<(Vec<usize>, bool)> {
    if matches!(key.payload(), Some(Payload::Slice(..))) {
        let idx = vm.call_method(key, "indices", &[Value::Int(len as i64)])?;
        let t = vm.seq_items(&idx).unwrap_or_default();
        let get = |i: usize| -> PyResult<i64> {
            let v = t.get(i).ok_or_else(|| vm.new_type_error("slice.indices() did not return 3 integers"))?;
            vm.to_index_i64(v)
        };
        let (start, stop, step) = (get(0)?, get(1)?, get(2)?);
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(i as usize);
            i += step;
        }
        return Ok((out, false));
    }
    if !vm.isinstance_type(key, &vm.types.int) {
        return Err(vm.new_type_error("Blob indices must be integers"));
    }
    let mut i = vm.to_index_i64(key)?;
    if i < 0 {
        i += len as i64;
    }
    if i < 0 || i >= len as i64 {
        return Err(vm.new_index_error("Blob index out of range"));
    }
    Ok((vec![i as usize], true))
}

fn getitem(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "__getitem__")?;
    let a = crate::native::unpack(vm, "__getitem__", &rest, 1, 1)?;
    let len = b.len(vm)?;
    let (idx, single) = index_of(vm, &a[0], len)?;
    let all = b.read_at(vm, 0, len)?;
    if single {
        return Ok(Value::Int(all[idx[0]] as i64));
    }
    Ok(vm.new_bytes(idx.iter().map(|&i| all[i]).collect::<Vec<u8>>()))
}

fn setitem(vm: &Vm, args: Args) -> PyResult {
    let (_, b, rest) = me_and_rest(vm, args, "__setitem__")?;
    let a = crate::native::unpack(vm, "__setitem__", &rest, 2, 2)?;
    let len = b.len(vm)?;
    let (idx, single) = index_of(vm, &a[0], len)?;
    let mut all = b.read_at(vm, 0, len)?;
    if single {
        let v = match vm.index(&a[1])? {
            Value::Int(i) if (0..=255).contains(&i) => i as u8,
            Value::Bool(b) => b as u8,
            _ => return Err(vm.new_value_error("byte must be in range(0, 256)")),
        };
        all[idx[0]] = v;
    } else {
        let data = super::values::buffer_arg(vm, &a[1])?;
        if data.len() != idx.len() {
            return Err(vm.new_index_error("Blob slice assignment is wrong size"));
        }
        for (i, d) in idx.iter().zip(data) {
            all[*i] = d;
        }
    }
    b.write_at(vm, 0, &all)?;
    Ok(Value::None)
}

fn delitem(vm: &Vm, _args: Args) -> PyResult {
    Err(vm.new_type_error("Blob doesn't support item deletion"))
}

static METHODS: [NativeDef; 11] = [
    NativeDef::method("read", read).doc("read($self, length=-1, /)\n--\n\nRead data at the current offset position."),
    NativeDef::method("write", write).doc("write($self, data, /)\n--\n\nWrite data at the current offset."),
    NativeDef::method("seek", seek).doc("seek($self, offset, origin=0, /)\n--\n\nSet the current access position to offset."),
    NativeDef::method("tell", tell).doc("tell($self, /)\n--\n\nReturn the current access position for the blob."),
    NativeDef::method("close", close).doc("close($self, /)\n--\n\nClose the blob."),
    NativeDef::method("__enter__", enter),
    NativeDef::method("__exit__", exit),
    NativeDef::method("__len__", blob_len),
    NativeDef::method("__getitem__", getitem),
    NativeDef::method("__setitem__", setitem),
    NativeDef::method("__delitem__", delitem),
];

pub static BLOB_SPEC: TypeSpec = TypeSpec {
    module: "sqlite3",
    name: "Blob",
    doc: "",
    layout: Layout::Other,
    flags: type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &[],
};

/// `backup(target, *, pages=-1, progress=None, name='main', sleep=0.250)`.
pub fn backup(vm: &Vm, args: Args) -> PyResult {
    let (me, c, rest) = split(vm, args, "backup")?;
    let a = vm.bind_native("backup", rest, &["target", "pages", "progress", "name", "sleep"], 1, 1, Some(1))?;
    let target = a[0].clone().unwrap_or(Value::None);
    c.check(vm)?;
    let Some(t) = target.payload().and_then(|p| p.as_native::<Conn>()) else {
        return Err(vm.new_type_error(format!(
            "backup() argument 1 must be sqlite3.Connection, not {}",
            vm.type_name_of(&target)
        )));
    };
    if target.is(me) {
        return Err(vm.new_value_error("target cannot be the same connection instance"));
    }
    t.check(vm)?;
    let mut pages = match &a[1] {
        Some(v) => crate::native::c_int(vm, v)?,
        None => -1,
    };
    if pages == 0 {
        pages = -1;
    }
    let progress = a[2].clone().filter(|v| !v.is_none());
    if let Some(p) = &progress {
        if !vm.is_callable(p) {
            return Err(vm.new_type_error("progress argument must be a callable"));
        }
    }
    let name = match &a[3] {
        Some(v) => super::values::str_arg(vm, v, "backup", "argument 'name'")?.to_string(),
        None => "main".to_string(),
    };
    let sleep = match &a[4] {
        Some(Value::Int(i)) => *i as f64,
        Some(v) => krait_vm::types::float::float_of(v).ok_or_else(|| vm.new_type_error("must be real number"))?,
        None => 0.25,
    };
    let src = c.db.borrow();
    let Some(src) = &*src else { return Err(programming(vm, "Cannot operate on a closed database.")) };
    let Ok(mut dst) = t.db.try_borrow_mut() else {
        return Err(operational(vm, "target is in use"));
    };
    let Some(dst) = dst.as_mut() else { return Err(programming(vm, "Cannot operate on a closed database.")) };
    let Some(dst) = std::rc::Rc::get_mut(dst) else { return Err(operational(vm, "target is in use")) };
    if !dst.is_autocommit() {
        return Err(operational(vm, "target is in transaction"));
    }
    vm.scoped(|| {
        use rusqlite::backup::{Backup, StepResult};
        let bk = Backup::new_with_names(src, name.as_str(), dst, "main").or_raise(vm)?;
        loop {
            let r = bk.step(pages).or_raise(vm)?;
            let p = bk.progress();
            if let Some(f) = &progress {
                let status = match r {
                    StepResult::Done => 101,
                    StepResult::More => 0,
                    StepResult::Busy => 5,
                    StepResult::Locked => 6,
                    _ => 0,
                };
                vm.call1(f, &[Value::Int(status), Value::Int(p.remaining as i64), Value::Int(p.pagecount as i64)])?;
            }
            match r {
                StepResult::Done => return Ok(()),
                StepResult::Busy | StepResult::Locked => {
                    let d = std::time::Duration::from_secs_f64(sleep.max(0.0));
                    vm.allow_threads(|| std::thread::sleep(d));
                }
                _ => {}
            }
        }
    })?;
    Ok(Value::None)
}
