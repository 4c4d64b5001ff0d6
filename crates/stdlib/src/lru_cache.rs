//! `_functools._lru_cache_wrapper`: the object `functools.lru_cache` makes,
//! native as CPython's. Besides speed this keeps what a program can see:
//! no extra Python frame between a caller and the cached function (in
//! tracebacks, and for `warnings.warn(stacklevel=...)` counting frames).
//!
//! The cache is a dict from the call's key to a slot of a doubly linked
//! list kept here (most recently used first), which holds the key and the
//! result; a bounded cache that is full reuses the least recently used
//! slot. Keys are made as CPython's `lru_cache_make_key`. No borrow of the
//! list is held while Python code runs (the user function, or a key's
//! `__hash__`/`__eq__` inside a dict operation), so reentrant calls, such as
//! a recursive cached function, are safe; they can at worst leave a slot
//! the dict no longer names, which is overwritten in its turn.

use crate::native::{descr_error, native_type, new_object_with_dict, TypeSpec};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::payload::GetSetDef;
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::{Args, NativeDef, PyRef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};

struct Link {
    key: Value,
    /// The key's hash: a key is hashed once per call, as in CPython.
    hash: i64,
    result: Value,
    prev: usize,
    next: usize,
}

/// Slot 0 is the list's root: `root.next` is the most recently used slot,
/// `root.prev` the least.
struct Links(Vec<Link>);

impl Links {
    fn new() -> Links {
        Links(vec![Link { key: Value::None, hash: 0, result: Value::None, prev: 0, next: 0 }])
    }
    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.0[i].prev, self.0[i].next);
        self.0[p].next = n;
        self.0[n].prev = p;
    }
    fn push_front(&mut self, i: usize) {
        let first = self.0[0].next;
        self.0[i].prev = 0;
        self.0[i].next = first;
        self.0[first].prev = i;
        self.0[0].next = i;
    }
}

struct LruCache {
    func: Value,
    /// None: unbounded.
    maxsize: Option<usize>,
    typed: bool,
    cache_info_type: Value,
    cache: RefCell<PyRef>,
    links: RefCell<Links>,
    hits: Cell<u64>,
    misses: Cell<u64>,
    /// The `kwd_mark` separating positional from keyword parts of a key.
    kwd_mark: Value,
}

impl NativeData for LruCache {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.func);
        visitor.visit_value(&self.cache_info_type);
        if let Ok(c) = self.cache.try_borrow() {
            visitor.visit(&c);
        }
        if let Ok(l) = self.links.try_borrow() {
            for link in &l.0 {
                visitor.visit_value(&link.key);
                visitor.visit_value(&link.result);
            }
        }
    }
    fn clear(&self) {
        let old = self.links.try_borrow_mut().map(|mut l| std::mem::replace(&mut *l, Links::new()));
        drop(old);
    }
}

fn wrapper_type(vm: &Vm) -> PyRef {
    native_type(vm, &LRU_CACHE_WRAPPER)
}

fn cache_of<'a>(vm: &Vm, v: &'a Value, name: &str) -> PyResult<&'a LruCache> {
    v.payload()
        .and_then(|p| p.as_native::<LruCache>())
        .ok_or_else(|| descr_error(vm, name, "functools._lru_cache_wrapper", v))
}

/// `_lru_cache_wrapper(user_function, maxsize, typed, cache_info_type)`.
fn wrapper_new(vm: &Vm, args: Args) -> PyResult {
    let t = wrapper_type(vm);
    let (cls, rest) = crate::native::split_new(vm, args, &t)?;
    let b = vm.bind_native("_lru_cache_wrapper", rest, &["user_function", "maxsize", "typed", "cache_info_type"], 4, 4, None)?;
    let [Some(func), Some(maxsize), Some(typed), Some(info)] = [&b[0], &b[1], &b[2], &b[3]] else {
        return Err(vm.new_type_error("_lru_cache_wrapper() missing required argument"));
    };
    if !vm.is_callable(func) {
        return Err(vm.new_type_error("the first argument must be callable"));
    }
    let maxsize = match maxsize {
        Value::None => None,
        v => match crate::native::ssize(vm, v) {
            Ok(n) => Some(n.max(0) as usize),
            Err(e) if vm.exception_matches(&e, &vm.exc.type_error) => {
                return Err(vm.new_type_error("maxsize should be integer or None"))
            }
            Err(e) => return Err(e),
        },
    };
    let state = LruCache {
        func: func.clone(),
        maxsize,
        typed: vm.truthy(typed)?,
        cache_info_type: info.clone(),
        cache: RefCell::new(vm.new_dict()),
        links: RefCell::new(Links::new()),
        hits: Cell::new(0),
        misses: Cell::new(0),
        kwd_mark: vm.call(&Value::Obj(vm.types.object.clone()), Args::new(&[]))?,
    };
    Ok(new_object_with_dict(&cls, state))
}

/// The cache key of a call, as CPython's `lru_cache_make_key`: a lone exact
/// str or int argument is its own key; positional arguments alone are their
/// tuple; otherwise the positional arguments, a marker, the keyword names
/// and values, and under `typed` the arguments' types.
fn make_key(vm: &Vm, c: &LruCache, args: &Args) -> Value {
    let pos = args.positional();
    let kw: Vec<(&Value, &Value)> = args.keywords().collect();
    if !c.typed && kw.is_empty() {
        if let [one] = pos {
            let cls = vm.class_of(one);
            if cls.is(&vm.types.str) || cls.is(&vm.types.int) {
                return one.clone();
            }
        }
        return vm.new_tuple(pos.to_vec());
    }
    let mut key: Vec<Value> = pos.to_vec();
    if !kw.is_empty() {
        key.push(c.kwd_mark.clone());
        for (k, v) in &kw {
            key.push((*k).clone());
            key.push((*v).clone());
        }
    }
    if c.typed {
        key.extend(pos.iter().map(|v| Value::Obj(vm.class_of(v).clone())));
        key.extend(kw.iter().map(|(_, v)| Value::Obj(vm.class_of(v).clone())));
    }
    vm.new_tuple(key)
}

fn wrapper_call(vm: &Vm, args: Args) -> PyResult {
    let me = args.args.first().ok_or_else(|| vm.new_type_error("descriptor '__call__' needs an argument"))?;
    let c = cache_of(vm, me, "__call__")?;
    let rest = Args { args: &args.args[1..], kwnames: args.kwnames };
    let call = || vm.call(&c.func, Args { args: rest.args, kwnames: rest.kwnames });
    if c.maxsize == Some(0) {
        c.misses.set(c.misses.get() + 1);
        return call();
    }
    let key = make_key(vm, c, &rest);
    let hash = vm.hash(&key)?;
    let cache = c.cache.borrow().clone();
    let found = vm.dict_get_hashed(&cache, &key, hash)?;
    let Some(maxsize) = c.maxsize else {
        // Unbounded: the dict maps keys to results.
        if let Some(r) = found {
            c.hits.set(c.hits.get() + 1);
            return Ok(r);
        }
        c.misses.set(c.misses.get() + 1);
        let r = call()?;
        vm.dict_set_hashed(&cache, key, hash, r.clone())?;
        return Ok(r);
    };
    if let Some(Value::Int(slot)) = found {
        let mut links = c.links.borrow_mut();
        if let Some(r) = links.0.get(slot as usize).filter(|_| slot > 0).map(|l| l.result.clone()) {
            links.unlink(slot as usize);
            links.push_front(slot as usize);
            c.hits.set(c.hits.get() + 1);
            return Ok(r);
        }
    }
    c.misses.set(c.misses.get() + 1);
    let r = call()?;
    if vm.dict_get_hashed(&cache, &key, hash)?.is_some() {
        // Added by a reentrant call while the function ran.
        return Ok(r);
    }
    let mut links = c.links.borrow_mut();
    if links.0.len() - 1 < maxsize {
        let slot = links.0.len();
        links.0.push(Link { key: key.clone(), hash, result: r.clone(), prev: 0, next: 0 });
        links.push_front(slot);
        drop(links);
        vm.dict_set_hashed(&cache, key, hash, Value::Int(slot as i64))?;
        return Ok(r);
    }
    // Full: the least recently used slot takes the new entry.
    let slot = links.0[0].prev;
    let old_key = std::mem::replace(&mut links.0[slot].key, key.clone());
    let old_hash = std::mem::replace(&mut links.0[slot].hash, hash);
    let old_result = std::mem::replace(&mut links.0[slot].result, r.clone());
    links.unlink(slot);
    links.push_front(slot);
    drop(links);
    vm.dict_remove_hashed(&cache, &old_key, old_hash)?;
    vm.dict_set_hashed(&cache, key, hash, Value::Int(slot as i64))?;
    drop((old_key, old_result));
    Ok(r)
}

fn wrapper_cache_info(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("cache_info", args, 1, 1)?;
    let c = cache_of(vm, &args.args[0], "cache_info")?;
    let maxsize = c.maxsize.map_or(Value::None, |m| Value::Int(m as i64));
    let currsize = vm.dict_len(&c.cache.borrow());
    let fields = [Value::Int(c.hits.get() as i64), Value::Int(c.misses.get() as i64), maxsize, Value::Int(currsize as i64)];
    vm.call(&c.cache_info_type, Args::new(&fields))
}

fn wrapper_cache_clear(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("cache_clear", args, 1, 1)?;
    let c = cache_of(vm, &args.args[0], "cache_clear")?;
    c.hits.set(0);
    c.misses.set(0);
    // The old entries go after both borrows end (their finalizers may run Python code).
    let old_cache = c.cache.replace(vm.new_dict());
    let old_links = std::mem::replace(&mut *c.links.borrow_mut(), Links::new());
    drop((old_cache, old_links));
    Ok(Value::None)
}

/// A method-like descriptor: bound to an instance, as a Python function is.
fn wrapper_get(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__get__", args, 2, 3)?;
    match &args.args[1] {
        Value::None => Ok(args.args[0].clone()),
        obj => Ok(vm.new_bound_method(args.args[0].clone(), obj.clone())),
    }
}

/// Pickled by name, as the function it wraps.
fn wrapper_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    vm.getattr_str(&args.args[0], "__qualname__")
}

fn wrapper_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__copy__", args, 1, 1)?;
    Ok(args.args[0].clone())
}

fn wrapper_deepcopy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__deepcopy__", args, 2, 2)?;
    Ok(args.args[0].clone())
}

static METHODS: [NativeDef; 8] = [
    NativeDef::staticmethod("__new__", wrapper_new),
    NativeDef::method("__call__", wrapper_call),
    NativeDef::method("__get__", wrapper_get),
    NativeDef::method("__reduce__", wrapper_reduce),
    NativeDef::method("__copy__", wrapper_copy),
    NativeDef::method("__deepcopy__", wrapper_deepcopy),
    NativeDef { doc: "Report cache statistics", ..NativeDef::method("cache_info", wrapper_cache_info) },
    NativeDef { doc: "Clear the cache and cache statistics", ..NativeDef::method("cache_clear", wrapper_cache_clear) },
];

static GETSETS: [GetSetDef; 1] =
    [GetSetDef { name: "__dict__", get: crate::native::dict_get, set: Some(crate::native::dict_set), doc: "" }];

static LRU_CACHE_WRAPPER: TypeSpec = TypeSpec {
    module: "functools",
    name: "_lru_cache_wrapper",
    doc: "Create a cached callable that wraps another function.\n\nuser_function:      the function being cached\n\nmaxsize:  0         for no caching\n          None      for unlimited cache size\n          n         for a bounded cache\n\ntyped:    False     cache f(3) and f(3.0) as identical calls\n          True      cache f(3) and f(3.0) as distinct calls\n\ncache_info_type:    namedtuple class with the fields:\n                        hits misses currsize maxsize\n",
    layout: Layout::Other,
    flags: type_flags::HAS_DICT | type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &METHODS,
    more_methods: &[],
    getsets: &GETSETS,
};

/// The `_lru_cache_wrapper` type, for `_functools`.
pub fn lru_cache_wrapper_type(vm: &Vm) -> PyRef {
    wrapper_type(vm)
}
