//! `groupby` (with its `_grouper` sub-iterators) and `tee` (with `_tee`).

use super::{reduce_value, spec, state_items, state_list, this, ty, B};
use crate::native::{
    bind, descr_error, downcast, iter_state, native_type, new_iter, new_object, split_new, ssize, take_refcell, unpack,
    visit_refcell, TypeSpec,
};
use krait_vm::gc::{NativeData, Visitor};
use krait_vm::types::typeobj::{type_flags, Layout};
use krait_vm::types::iter::NativeIter;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

// ---- groupby ----

#[derive(Default)]
struct GroupState {
    tgtkey: Option<Value>,
    currkey: Option<Value>,
    currvalue: Option<Value>,
}

struct GroupBy {
    it: Value,
    keyfunc: Value,
    st: RefCell<GroupState>,
    /// Bumped by each `next`: a `_grouper` of an older generation is finished.
    generation: Cell<u64>,
}

impl GroupBy {
    /// Reads the next item and its key into `currvalue`/`currkey`; false at the end.
    fn step(&self, vm: &Vm) -> PyResult<bool> {
        let v = match vm.next(&self.it)? {
            Some(v) => v,
            None => return Ok(false),
        };
        let k = if self.keyfunc.is_none() { v.clone() } else { vm.call(&self.keyfunc, Args::new(std::slice::from_ref(&v)))? };
        // Old values are dropped after the borrow ends (a __del__ may run).
        let old = {
            let mut st = self.st.borrow_mut();
            (st.currvalue.replace(v), st.currkey.replace(k))
        };
        drop(old);
        Ok(true)
    }
}

impl NativeIter for GroupBy {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.it);
        visitor.visit_value(&self.keyfunc);
        visit_refcell(&self.st, visitor, |st, visitor| {
            for v in [&st.tgtkey, &st.currkey, &st.currvalue].into_iter().flatten() {
                visitor.visit_value(v);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, this: &Value) -> PyResult<Option<Value>> {
        self.generation.set(self.generation.get() + 1);
        // Skip the rest of the current group.
        loop {
            let (tgt, cur) = {
                let st = self.st.borrow();
                (st.tgtkey.clone(), st.currkey.clone())
            };
            if let Some(cur) = cur {
                match tgt {
                    None => break,
                    Some(t) => {
                        if !vm.eq_bool(&t, &cur)? {
                            break;
                        }
                    }
                }
            }
            if !self.step(vm)? {
                return Ok(None);
            }
        }
        let (key, old) = {
            let mut st = self.st.borrow_mut();
            let cur = st.currkey.clone();
            let old = std::mem::replace(&mut st.tgtkey, cur);
            (st.currkey.clone().unwrap_or(Value::None), old)
        };
        drop(old);
        let gt = ty(vm, &GROUPER);
        let grouper = Grouper { parent: this.clone(), tgtkey: key.clone(), generation: self.generation.get() };
        Ok(Some(vm.new_tuple(vec![key, new_iter(vm, &gt, &gt, grouper)])))
    }
}

fn groupby_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &GROUPBY);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "groupby", rest, &["iterable", "key"], 1)?;
    let it = vm.iter(a[0].as_ref().unwrap())?;
    let keyfunc = a[1].clone().unwrap_or(Value::None);
    let g = GroupBy { it, keyfunc, st: RefCell::new(GroupState::default()), generation: Cell::new(0) };
    Ok(new_iter(vm, &cls, &t, g))
}

fn groupby_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<GroupBy>(vm, &args, "__reduce__", "itertools.groupby", 0)?;
    let g = downcast::<GroupBy>(&rc);
    let st = g.st.borrow();
    let state = match (&st.currkey, &st.currvalue, &st.tgtkey) {
        (Some(k), Some(v), Some(t)) => Some(vm.new_tuple(vec![k.clone(), v.clone(), t.clone()])),
        _ => None,
    };
    Ok(reduce_value(vm, &args.args[0], vec![g.it.clone(), g.keyfunc.clone()], state))
}

fn groupby_setstate(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<GroupBy>(vm, &args, "__setstate__", "itertools.groupby", 1)?;
    let items = state_items(vm, &args.args[1], 3, 3)?;
    let new = GroupState { currkey: Some(items[0].clone()), currvalue: Some(items[1].clone()), tgtkey: Some(items[2].clone()) };
    let old = std::mem::replace(&mut *downcast::<GroupBy>(&rc).st.borrow_mut(), new);
    drop(old);
    Ok(Value::None)
}

/// `_grouper(parent, tgtkey)`: the current group of a groupby (as unpickling makes it).
fn grouper_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &GROUPER);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = unpack(vm, "_grouper", &rest, 2, 2)?;
    let parent = iter_state::<GroupBy>(&a[0]).ok_or_else(|| {
        vm.new_type_error(format!("_grouper() argument 1 must be itertools.groupby, not {}", vm.type_name_of(&a[0])))
    })?;
    let generation = downcast::<GroupBy>(&parent).generation.get();
    Ok(new_iter(vm, &cls, &t, Grouper { parent: a[0].clone(), tgtkey: a[1].clone(), generation }))
}

fn grouper_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<Grouper>(vm, &args, "__reduce__", "itertools._grouper", 0)?;
    let gr = downcast::<Grouper>(&rc);
    let current = iter_state::<GroupBy>(&gr.parent).is_some_and(|p| downcast::<GroupBy>(&p).generation.get() == gr.generation);
    if current {
        return Ok(reduce_value(vm, &args.args[0], vec![gr.parent.clone(), gr.tgtkey.clone()], None));
    }
    // A finished group: an empty iterator.
    let iter = vm.getattr_str(&Value::Obj(vm.builtins.clone()), "iter")?;
    Ok(vm.new_tuple(vec![iter, vm.new_tuple(vec![vm.new_tuple(Vec::new())])]))
}

struct Grouper {
    parent: Value,
    tgtkey: Value,
    generation: u64,
}

impl NativeIter for Grouper {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.parent);
        visitor.visit_value(&self.tgtkey);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let rc = match iter_state::<GroupBy>(&self.parent) {
            Some(rc) => rc,
            None => return Ok(None),
        };
        let g = downcast::<GroupBy>(&rc);
        if g.generation.get() != self.generation {
            return Ok(None);
        }
        if g.st.borrow().currvalue.is_none() && !g.step(vm)? {
            return Ok(None);
        }
        let cur = g.st.borrow().currkey.clone();
        match cur {
            Some(c) if vm.eq_bool(&self.tgtkey, &c)? => Ok(g.st.borrow_mut().currvalue.take()),
            _ => Ok(None),
        }
    }
}

// ---- tee ----

/// Items a link of the shared buffer holds before the next link starts.
const LINK_CELLS: usize = 57;

struct TeeSource {
    it: Value,
    running: Cell<bool>,
}

/// One link of the buffer shared by the tees of one source; links nobody
/// can reach any more are freed, so a lagging tee keeps only what it has
/// not read yet.
struct Link {
    values: RefCell<Vec<Value>>,
    next: RefCell<Option<Rc<Link>>>,
    src: Rc<TeeSource>,
    /// A weakref to the `_tee_dataobject` showing this link to pickles,
    /// so the tees sharing it stay sharing after a round trip.
    wrapper: RefCell<Option<Value>>,
}

impl Link {
    fn new(values: Vec<Value>, next: Option<Rc<Link>>, src: Rc<TeeSource>) -> Rc<Link> {
        Rc::new(Link { values: RefCell::new(values), next: RefCell::new(next), src, wrapper: RefCell::new(None) })
    }
}

impl Drop for Link {
    // Unlinks the chain iteratively: a long chain must not recurse.
    fn drop(&mut self) {
        let mut next = self.next.borrow_mut().take();
        while let Some(l) = next {
            next = match Rc::try_unwrap(l) {
                Ok(l) => l.next.borrow_mut().take(),
                Err(_) => None,
            };
        }
    }
}

struct Tee {
    st: RefCell<(Rc<Link>, usize)>,
}

/// The buffer a cleared tee is left with: a source that is no iterator.
fn empty_link() -> Rc<Link> {
    let src = Rc::new(TeeSource { it: Value::None, running: Cell::new(false) });
    Link::new(Vec::new(), None, src)
}

impl NativeIter for Tee {
    /// The buffer is shared by the tees of one source (and `next` may hold
    /// extra handles on it while it runs): a tee visits only the links it
    /// alone holds, and the source iterator only when it holds every link.
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(st) = self.st.try_borrow() {
            visit_links(&st.0, visitor);
        }
    }
    fn clear(&self) {
        let old = match self.st.try_borrow_mut() {
            Ok(mut st) => std::mem::replace(&mut *st, (empty_link(), 0)),
            Err(_) => return,
        };
        drop(old);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        self.step(vm)
    }
}

/// Visits what the links from `head` on hold, stopping at the first link
/// someone else holds too; the source iterator only when every link is
/// held by `head`'s owner alone.
fn visit_links(head: &Rc<Link>, visitor: &mut dyn Visitor) {
    if Rc::strong_count(head) != 1 {
        return;
    }
    let src = head.src.clone();
    let mut link = head.clone();
    // Counts besides ours: `src` and `link` are clones held here.
    let mut links = 0;
    loop {
        match link.values.try_borrow() {
            Ok(values) => values.iter().for_each(|v| visitor.visit_value(v)),
            Err(_) => return,
        }
        links += 1;
        let next = match link.next.try_borrow() {
            Ok(n) => n.clone(),
            Err(_) => return,
        };
        match next {
            // Held by `link` and by this clone only.
            Some(n) if Rc::strong_count(&n) == 2 => link = n,
            Some(_) => return,
            None => break,
        }
    }
    if Rc::strong_count(&src) == links + 1 {
        visitor.visit_value(&src.it);
    }
}

impl Tee {
    fn step(&self, vm: &Vm) -> PyResult<Option<Value>> {
        let (mut link, mut idx) = self.st.borrow().clone();
        if idx == LINK_CELLS {
            let next = link.next.borrow().clone();
            let next = next.unwrap_or_else(|| {
                let l = Link::new(Vec::new(), None, link.src.clone());
                *link.next.borrow_mut() = Some(l.clone());
                l
            });
            link = next;
            idx = 0;
            *self.st.borrow_mut() = (link.clone(), 0);
        }
        let have = link.values.borrow().get(idx).cloned();
        let x = match have {
            Some(x) => x,
            None => {
                let src = link.src.clone();
                if src.running.get() {
                    return Err(vm.new_runtime_error("cannot re-enter the tee iterator"));
                }
                src.running.set(true);
                let r = vm.next(&src.it);
                src.running.set(false);
                match r? {
                    Some(x) => {
                        link.values.borrow_mut().push(x.clone());
                        x
                    }
                    None => return Ok(None),
                }
            }
        };
        self.st.borrow_mut().1 = idx + 1;
        Ok(Some(x))
    }
}

fn tee_from_iterable(vm: &Vm, iterable: &Value) -> PyResult {
    let t = ty(vm, &TEE);
    let it = vm.iter(iterable)?;
    if let Some(rc) = iter_state::<Tee>(&it) {
        return Ok(copy_tee(vm, downcast::<Tee>(&rc)));
    }
    let src = Rc::new(TeeSource { it, running: Cell::new(false) });
    let link = Link::new(Vec::new(), None, src);
    Ok(new_iter(vm, &t, &t, Tee { st: RefCell::new((link, 0)) }))
}

fn copy_tee(vm: &Vm, tee: &Tee) -> Value {
    let t = ty(vm, &TEE);
    new_iter(vm, &t, &t, Tee { st: RefCell::new(tee.st.borrow().clone()) })
}

fn tee_type_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &TEE);
    let (_cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "_tee", rest, &["iterable"], 1)?;
    tee_from_iterable(vm, a[0].as_ref().unwrap())
}

fn tee_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<Tee>(vm, &args, "__reduce__", "itertools._tee", 0)?;
    let (link, index) = downcast::<Tee>(&rc).st.borrow().clone();
    let state = vm.new_tuple(vec![tee_data_object(vm, link)?, Value::Int(index as i64)]);
    Ok(reduce_value(vm, &args.args[0], vec![vm.new_tuple(Vec::new())], Some(state)))
}

fn tee_setstate(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<Tee>(vm, &args, "__setstate__", "itertools._tee", 1)?;
    let items = state_items(vm, &args.args[1], 2, 2)?;
    let link = tee_data_link(vm, &items[0], 1)?;
    let index = ssize(vm, &items[1])?;
    if index < 0 || index as usize > LINK_CELLS {
        return Err(vm.new_value_error("Index out of range"));
    }
    // A position past the items read so far would leave a gap.
    let index = (index as usize).min(if link.next.borrow().is_some() { LINK_CELLS } else { link.values.borrow().len() });
    let old = std::mem::replace(&mut *downcast::<Tee>(&rc).st.borrow_mut(), (link, index));
    drop(old);
    Ok(Value::None)
}

// ---- _tee_dataobject: one link of a tee buffer, as pickles see it ----

struct TeeData {
    link: RefCell<Rc<Link>>,
}

impl NativeData for TeeData {
    fn is_gc(&self) -> bool {
        true
    }
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(link) = self.link.try_borrow() {
            visit_links(&link, visitor);
        }
    }
    fn clear(&self) {
        let old = match self.link.try_borrow_mut() {
            Ok(mut l) => std::mem::replace(&mut *l, empty_link()),
            Err(_) => return,
        };
        drop(old);
    }
}

/// The one `_tee_dataobject` of `link` while it lives.
fn tee_data_object(vm: &Vm, link: Rc<Link>) -> PyResult {
    let known = link.wrapper.borrow().clone();
    if let Some(w) = known {
        let obj = vm.call(&w, Args::new(&[]))?;
        if !obj.is_none() {
            return Ok(obj);
        }
    }
    let t = native_type(vm, &TEE_DATA);
    let obj = new_object(vm, &t, &t, TeeData { link: RefCell::new(link.clone()) });
    let weak = vm.call(&Value::Obj(vm.types.weakref.clone()), Args::new(std::slice::from_ref(&obj)))?;
    let old = link.wrapper.borrow_mut().replace(weak);
    drop(old);
    Ok(obj)
}

/// The link a `_tee_dataobject` argument holds.
fn tee_data_link(vm: &Vm, v: &Value, pos: usize) -> PyResult<Rc<Link>> {
    match v.payload().and_then(|p| p.as_native::<TeeData>()) {
        Some(d) => Ok(d.link.borrow().clone()),
        None => Err(vm.new_type_error(format!(
            "argument {pos} must be itertools._tee_dataobject, not {}",
            vm.type_name_of(v)
        ))),
    }
}

/// `_tee_dataobject(iterable, values, next)`: a link holding `values`
/// (a full link when `next` follows it).
fn tee_data_new(vm: &Vm, args: Args) -> PyResult {
    let t = native_type(vm, &TEE_DATA);
    let (_cls, rest) = split_new(vm, args, &t)?;
    let a = unpack(vm, "_tee_dataobject", &rest, 3, 3)?;
    let values = state_list(vm, &a[1], 2)?;
    let invalid = || vm.new_value_error("Invalid arguments");
    let next = match &a[2] {
        Value::None if values.len() <= LINK_CELLS => None,
        v if values.len() == LINK_CELLS => Some(tee_data_link(vm, v, 3).map_err(|_| invalid())?),
        _ => return Err(invalid()),
    };
    let src = match &next {
        Some(n) => n.src.clone(),
        None => Rc::new(TeeSource { it: a[0].clone(), running: Cell::new(false) }),
    };
    let link = Link::new(values, next, src);
    tee_data_object(vm, link)
}

fn tee_data_reduce(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__reduce__", args, 1, 1)?;
    let me = &args.args[0];
    let link = tee_data_link(vm, me, 1).map_err(|_| descr_error(vm, "__reduce__", "itertools._tee_dataobject", me))?;
    let values = vm.new_list(link.values.borrow().clone());
    let next = link.next.borrow().clone();
    let next = next.map_or(Ok(Value::None), |n| tee_data_object(vm, n))?;
    Ok(reduce_value(vm, me, vec![link.src.it.clone(), values, next], None))
}

fn tee_copy(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__copy__", args, 1, 1)?;
    let me = &args.args[0];
    let rc = iter_state::<Tee>(me).ok_or_else(|| descr_error(vm, "__copy__", "itertools._tee", me))?;
    Ok(copy_tee(vm, downcast::<Tee>(&rc)))
}

/// `tee(iterable, n=2)`: n independent iterators over one source.
fn tee(vm: &Vm, args: Args) -> PyResult {
    if args.has_kwargs() {
        return Err(vm.new_type_error("itertools.tee() takes no keyword arguments"));
    }
    let a = unpack(vm, "tee", &args, 1, 2)?;
    let n = match a.get(1) {
        Some(v) => ssize(vm, v)?,
        None => 2,
    };
    if n < 0 {
        return Err(vm.new_value_error("n must be >= 0"));
    }
    if n == 0 {
        return Ok(vm.new_tuple(Vec::new()));
    }
    let it = vm.iter(&a[0])?;
    // An iterator with `__copy__` is copied; anything else is wrapped in a tee.
    let copyable = match vm.getattr_opt(&it, "__copy__")? {
        Some(_) => it,
        None => tee_from_iterable(vm, &it)?,
    };
    let mut out = vec![copyable];
    for _ in 1..n {
        let prev = out.last().unwrap().clone();
        out.push(vm.call_method(&prev, "__copy__", &[])?);
    }
    Ok(vm.new_tuple(out))
}

static GROUPBY_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", groupby_new),
    NativeDef::method("__reduce__", groupby_reduce),
    NativeDef::method("__setstate__", groupby_setstate),
];
static GROUPER_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", grouper_new), NativeDef::method("__reduce__", grouper_reduce)];
static TEE_M: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", tee_type_new),
    NativeDef::method("__copy__", tee_copy),
    NativeDef::method("__reduce__", tee_reduce),
    NativeDef::method("__setstate__", tee_setstate),
];
static TEE_DATA_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", tee_data_new), NativeDef::method("__reduce__", tee_data_reduce)];

static GROUPBY: TypeSpec = spec("groupby", "make an iterator that returns consecutive keys and groups from the iterable\n\n  iterable\n    Elements to divide into groups according to the key function.\n  key\n    A function for computing the group category for each element.\n    If the key function is not specified or is None, the element itself\n    is used for grouping.", B, &GROUPBY_M);
static GROUPER: TypeSpec = spec("_grouper", "", 0, &GROUPER_M);
static TEE: TypeSpec = spec("_tee", "Iterator wrapped to make it copyable.", type_flags::HAS_WEAKREF, &TEE_M);
pub(super) static TEE_DATA: TypeSpec = TypeSpec {
    module: "itertools",
    name: "_tee_dataobject",
    doc: "teedataobject(iterable, values, next, /)\n--\n\nData container common to multiple tee objects.",
    layout: Layout::Other,
    flags: type_flags::HAS_WEAKREF,
    base: None,
    slots: &[],
    methods: &TEE_DATA_M,
    more_methods: &[],
    getsets: &[],
};

pub(super) static SPECS: [&TypeSpec; 3] = [&GROUPBY, &GROUPER, &TEE];

pub(super) static FUNCS: [NativeDef; 1] = [NativeDef::function("tee", tee)];

#[cfg(test)]
mod gc_tests {
    use super::*;
    use krait_vm::gc::Visitor;
    use krait_vm::types::iter::iter_next;
    use krait_vm::PyRef;

    struct Ids(Vec<usize>);
    impl Visitor for Ids {
        fn visit(&mut self, obj: &PyRef) {
            self.0.push(obj.id());
        }
    }

    fn visited(it: &Value) -> Vec<usize> {
        let rc = iter_state::<Tee>(it).unwrap();
        let mut ids = Ids(Vec::new());
        rc.traverse(&mut ids);
        ids.0
    }

    #[test]
    fn tee_visits_only_the_buffer_it_holds_alone() {
        let vm = Vm::new(Default::default());
        let vm = &*vm;
        let items: Vec<Value> = (0..3).map(|_| vm.new_list(Vec::new())).collect();
        let source = vm.iter(&vm.new_list(items.clone())).unwrap();
        let a = tee_from_iterable(vm, &source).unwrap();
        let id = |v: &Value| v.as_obj().unwrap().id();
        // Nothing buffered yet: the source iterator only.
        assert_eq!(visited(&a), vec![id(&source)]);
        iter_next(vm, &a).unwrap();
        iter_next(vm, &a).unwrap();
        assert_eq!(visited(&a), vec![id(&items[0]), id(&items[1]), id(&source)]);

        // A copy shares the buffer: neither visits it.
        let b = copy_tee(vm, downcast::<Tee>(&iter_state::<Tee>(&a).unwrap()));
        assert!(visited(&a).is_empty());
        assert!(visited(&b).is_empty());
        drop(b);
        assert_eq!(visited(&a).len(), 3);

        iter_state::<Tee>(&a).unwrap().clear();
        assert!(visited(&a).is_empty());
        // A cleared tee stays usable: it just has nothing more to give.
        assert!(iter_next(vm, &a).is_err() || iter_next(vm, &a).unwrap().is_none());
    }
}
