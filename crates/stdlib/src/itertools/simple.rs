//! The one-input itertools iterators: count, cycle, repeat, accumulate,
//! chain, compress, dropwhile, takewhile, filterfalse, starmap, pairwise
//! and islice. Each `next` copies what it needs out of its `RefCell`
//! before running Python code (the code may advance the same iterator).

use super::{reduce_value, refuse_kwargs, spec, state_items, state_list, this, ty, B};
use crate::native::{
    bind, class_getitem, descr_error, downcast, is_number, iter_state, new_iter, split_new, ssize, take_refcell, unpack, visit_refcell,
    TypeSpec,
};
use krait_vm::gc::Visitor;
use krait_compiler::bytecode::BinOp;
use krait_vm::types::iter::NativeIter;
use krait_vm::types::typeobj::Slot;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;

fn add(vm: &Vm, a: &Value, b: &Value) -> PyResult {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if let Some(s) = x.checked_add(*y) {
            return Ok(Value::Int(s));
        }
    }
    vm.binary_op(a, b, BinOp::Add)
}

// ---- count ----

struct Count {
    cnt: RefCell<Value>,
    step: Value,
    /// CPython's fast mode: an int start that fits a C ssize_t and the int
    /// step 1. Its repr and pickle leave the step out.
    fast: bool,
}

impl NativeIter for Count {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        if let Ok(c) = self.cnt.try_borrow() {
            visitor.visit_value(&c);
        }
        visitor.visit_value(&self.step);
    }
    fn clear(&self) {
        let old = match self.cnt.try_borrow_mut() {
            Ok(mut c) => std::mem::replace(&mut *c, Value::None),
            Err(_) => return,
        };
        drop(old);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let cur = self.cnt.borrow().clone();
        let n = add(vm, &cur, &self.step)?;
        let _old = std::mem::replace(&mut *self.cnt.borrow_mut(), n);
        Ok(Some(cur))
    }
}


fn count_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &COUNT);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "count", rest, &["start", "step"], 0)?;
    let start = a[0].clone().unwrap_or(Value::Int(0));
    let step = a[1].clone().unwrap_or(Value::Int(1));
    if !is_number(vm, &start) || !is_number(vm, &step) {
        return Err(vm.new_type_error("a number is required"));
    }
    let int_value = |v: &Value| {
        if vm.is_subtype(vm.class_of(v), &vm.types.int) {
            vm.as_ibig(v).and_then(|i| i64::try_from(&i).ok())
        } else {
            None
        }
    };
    let fast_start = int_value(&start).filter(|&i| i != i64::MAX);
    let fast = fast_start.is_some() && int_value(&step) == Some(1);
    let cnt = match fast_start {
        Some(i) if fast => Value::Int(i),
        _ => start,
    };
    Ok(new_iter(vm, &cls, &t, Count { cnt: RefCell::new(cnt), step, fast }))
}

/// True while the count is in fast mode: from then on it shows no step.
fn count_is_fast(c: &Count, cur: &Value) -> bool {
    c.fast && matches!(cur, Value::Int(i) if *i != i64::MAX)
}

fn count_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Count>(vm, &args, "__reduce__", "itertools.count", 0)?;
    let c = downcast::<Count>(&st);
    let cur = c.cnt.borrow().clone();
    let a = if count_is_fast(c, &cur) { vec![cur] } else { vec![cur, c.step.clone()] };
    Ok(reduce_value(vm, &args.args[0], a, None))
}

fn count_repr(vm: &Vm, args: Args) -> PyResult {
    vm.check_arity("__repr__", args, 1, 1)?;
    let me = &args.args[0];
    let st = iter_state::<Count>(me).ok_or_else(|| descr_error(vm, "__repr__", "itertools.count", me))?;
    let c = downcast::<Count>(&st);
    let name = crate::native::short_type_name(vm, me);
    let cur = c.cnt.borrow().clone();
    let start = vm.repr_string(&cur)?;
    // The step is left out only when it is the int 1 (not 1.0).
    let unit = count_is_fast(c, &cur)
        || match &c.step {
        Value::Int(1) | Value::Bool(true) => true,
            v => vm.is_subtype(vm.class_of(v), &vm.types.int) && vm.as_ibig(v).map_or(false, |i| i == dashu_int::IBig::ONE),
        };
    if unit {
        Ok(vm.new_str(format!("{name}({start})")))
    } else {
        Ok(vm.new_str(format!("{name}({start}, {})", vm.repr_string(&c.step)?)))
    }
}

// ---- cycle ----

struct Cycle {
    st: RefCell<CycleState>,
}

#[derive(Default)]
struct CycleState {
    /// The source, until it is exhausted.
    it: Option<Value>,
    /// What the first pass saw, replayed from `index` afterwards.
    saved: Vec<Value>,
    index: usize,
    /// Set by `__setstate__`: the source's items are already in `saved`.
    firstpass: bool,
}

impl NativeIter for Cycle {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visit_refcell(&self.st, visitor, |st, visitor| {
            if let Some(it) = &st.it {
                visitor.visit_value(it);
            }
            for v in &st.saved {
                visitor.visit_value(v);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let it = self.st.borrow().it.clone();
        if let Some(it) = it {
            if let Some(x) = vm.next(&it)? {
                let mut st = self.st.borrow_mut();
                if !st.firstpass {
                    st.saved.push(x.clone());
                }
                return Ok(Some(x));
            }
            let _old = self.st.borrow_mut().it.take();
        }
        let mut st = self.st.borrow_mut();
        let n = st.saved.len();
        if n == 0 {
            return Ok(None);
        }
        let i = st.index.min(n - 1);
        let x = st.saved[i].clone();
        st.index = if i + 1 >= n { 0 } else { i + 1 };
        Ok(Some(x))
    }
}

fn cycle_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &CYCLE);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, "cycle", &rest)?;
    let a = unpack(vm, "cycle", &Args::new(rest.positional()), 1, 1)?;
    let it = vm.iter(&a[0])?;
    let st = CycleState { it: Some(it), ..Default::default() };
    Ok(new_iter(vm, &cls, &t, Cycle { st: RefCell::new(st) }))
}

fn cycle_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Cycle>(vm, &args, "__reduce__", "itertools.cycle", 0)?;
    let c = downcast::<Cycle>(&st);
    let (it, saved, index, firstpass) = {
        let s = c.st.borrow();
        (s.it.clone(), s.saved.clone(), s.index, s.firstpass)
    };
    let saved = vm.new_list(saved);
    let (it, firstpass) = match it {
        Some(it) => (it, firstpass),
        // Past the first pass: an iterator over the rest of this round.
        None => {
            let it = vm.iter(&saved)?;
            if index != 0 {
                vm.call_method(&it, "__setstate__", &[Value::Int(index as i64)])?;
            }
            (it, true)
        }
    };
    Ok(reduce_value(vm, &args.args[0], vec![it], Some(vm.new_tuple(vec![saved, Value::Bool(firstpass)]))))
}

fn cycle_setstate(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Cycle>(vm, &args, "__setstate__", "itertools.cycle", 1)?;
    let items = state_items(vm, &args.args[1], 2, 2)?;
    let saved = state_list(vm, &items[0], 1)?;
    let firstpass = ssize(vm, &items[1])? != 0;
    let old = {
        let mut s = downcast::<Cycle>(&st).st.borrow_mut();
        s.index = 0;
        s.firstpass = firstpass;
        std::mem::replace(&mut s.saved, saved)
    };
    drop(old);
    Ok(Value::None)
}

// ---- repeat ----

struct Repeat {
    element: Value,
    /// Items left; -1 repeats forever.
    cnt: std::cell::Cell<i64>,
}

impl NativeIter for Repeat {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.element);
    }
    fn next(&self, _vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        match self.cnt.get() {
            0 => Ok(None),
            n => {
                if n > 0 {
                    self.cnt.set(n - 1);
                }
                Ok(Some(self.element.clone()))
            }
        }
    }
}

fn repeat_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &REPEAT);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "repeat", rest, &["object", "times"], 1)?;
    let cnt = match &a[1] {
        Some(v) => ssize(vm, v)?.max(0),
        None => -1,
    };
    Ok(new_iter(vm, &cls, &t, Repeat { element: a[0].clone().unwrap(), cnt: std::cell::Cell::new(cnt) }))
}

fn repeat_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = repeat_self(vm, &args, "__reduce__")?;
    let r = downcast::<Repeat>(&st);
    let mut a = vec![r.element.clone()];
    if r.cnt.get() >= 0 {
        a.push(Value::Int(r.cnt.get()));
    }
    Ok(reduce_value(vm, &args.args[0], a, None))
}

fn repeat_self(vm: &Vm, args: &Args, name: &str) -> PyResult<std::rc::Rc<dyn NativeIter>> {
    vm.check_arity(name, *args, 1, 1)?;
    iter_state::<Repeat>(&args.args[0]).ok_or_else(|| descr_error(vm, name, "itertools.repeat", &args.args[0]))
}

fn repeat_repr(vm: &Vm, args: Args) -> PyResult {
    let st = repeat_self(vm, &args, "__repr__")?;
    let r = downcast::<Repeat>(&st);
    let name = crate::native::short_type_name(vm, &args.args[0]);
    let elem = vm.repr_string(&r.element)?;
    Ok(vm.new_str(match r.cnt.get() {
        -1 => format!("{name}({elem})"),
        n => format!("{name}({elem}, {n})"),
    }))
}

fn repeat_length_hint(vm: &Vm, args: Args) -> PyResult {
    let st = repeat_self(vm, &args, "__length_hint__")?;
    match downcast::<Repeat>(&st).cnt.get() {
        -1 => Err(vm.new_type_error("len() of unsized object")),
        n => Ok(Value::Int(n)),
    }
}

// ---- accumulate ----

struct Accumulate {
    it: Value,
    func: Value,
    /// The running total and the `initial` value not yet produced.
    st: RefCell<(Option<Value>, Option<Value>)>,
}

impl NativeIter for Accumulate {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.it);
        visitor.visit_value(&self.func);
        visit_refcell(&self.st, visitor, |(total, initial), visitor| {
            for v in [total, initial].into_iter().flatten() {
                visitor.visit_value(v);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let init = self.st.borrow_mut().1.take();
        if let Some(init) = init {
            let _old = self.st.borrow_mut().0.replace(init.clone());
            return Ok(Some(init));
        }
        let x = match vm.next(&self.it)? {
            Some(x) => x,
            None => return Ok(None),
        };
        let total = self.st.borrow().0.clone();
        let new = match total {
            None => x,
            Some(t) if self.func.is_none() => add(vm, &t, &x)?,
            Some(t) => vm.call(&self.func, Args::new(&[t, x]))?,
        };
        let _old = self.st.borrow_mut().0.replace(new.clone());
        Ok(Some(new))
    }
}

fn accumulate_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &ACCUMULATE);
    let (cls, rest) = split_new(vm, args, &t)?;
    let npos = rest.positional().len();
    if npos > 2 {
        return Err(vm.new_type_error(format!("accumulate() takes at most 2 positional arguments ({npos} given)")));
    }
    let a = vm.bind_native("accumulate", rest, &["iterable", "func", "initial"], 0, 1, Some(2))?;
    let it = vm.iter(a[0].as_ref().unwrap())?;
    let func = a[1].clone().unwrap_or(Value::None);
    let initial = a[2].clone().filter(|v| !v.is_none());
    Ok(new_iter(vm, &cls, &t, Accumulate { it, func, st: RefCell::new((None, initial)) }))
}

fn accumulate_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Accumulate>(vm, &args, "__reduce__", "itertools.accumulate", 0)?;
    let a = downcast::<Accumulate>(&st);
    let (total, initial) = a.st.borrow().clone();
    let me = &args.args[0];
    let chain_with = |first: Value| {
        let t = ty(vm, &CHAIN);
        vm.call(&Value::Obj(t), Args::new(&[vm.new_tuple(vec![first]), a.it.clone()]))
    };
    if let Some(init) = initial {
        let it = chain_with(init)?;
        return Ok(reduce_value(vm, me, vec![it, a.func.clone()], Some(Value::None)));
    }
    match total {
        // A None total cannot be a pickle's state (None means no state):
        // start again from None and drop the repeated first result.
        Some(Value::None) => {
            let again = vm.call(&Value::Obj(vm.class_of(me).clone()), Args::new(&[chain_with(Value::None)?, a.func.clone()]))?;
            let isl = Value::Obj(ty(vm, &ISLICE));
            Ok(vm.new_tuple(vec![isl, vm.new_tuple(vec![again, Value::Int(1), Value::None])]))
        }
        total => Ok(reduce_value(vm, me, vec![a.it.clone(), a.func.clone()], Some(total.unwrap_or(Value::None)))),
    }
}

fn accumulate_setstate(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Accumulate>(vm, &args, "__setstate__", "itertools.accumulate", 1)?;
    let old = downcast::<Accumulate>(&st).st.borrow_mut().0.replace(args.args[1].clone());
    drop(old);
    Ok(Value::None)
}

// ---- chain ----

struct Chain {
    /// The iterator over the iterables, and the iterator being drained.
    st: RefCell<(Option<Value>, Option<Value>)>,
}

impl NativeIter for Chain {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visit_refcell(&self.st, visitor, |(source, active), visitor| {
            for v in [source, active].into_iter().flatten() {
                visitor.visit_value(v);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        loop {
            let active = self.st.borrow().1.clone();
            if let Some(a) = active {
                if let Some(x) = vm.next(&a)? {
                    return Ok(Some(x));
                }
                let _old = self.st.borrow_mut().1.take();
            }
            let source = match self.st.borrow().0.clone() {
                Some(s) => s,
                None => return Ok(None),
            };
            // An error from the source or from iter() ends the chain.
            let next = vm.next(&source).and_then(|n| n.map(|x| vm.iter(&x)).transpose());
            match next {
                Ok(Some(it)) => {
                    let _old = self.st.borrow_mut().1.replace(it);
                }
                Ok(None) => {
                    let _old = self.st.borrow_mut().0.take();
                    return Ok(None);
                }
                Err(e) => {
                    let _old = self.st.borrow_mut().0.take();
                    return Err(e);
                }
            }
        }
    }
}

fn chain_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &CHAIN);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, "chain", &rest)?;
    let source = vm.iter(&vm.new_tuple(rest.positional().to_vec()))?;
    Ok(new_iter(vm, &cls, &t, Chain { st: RefCell::new((Some(source), None)) }))
}

fn chain_from_iterable(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &CHAIN);
    if args.has_kwargs() {
        return Err(vm.new_type_error("chain.from_iterable() takes no keyword arguments"));
    }
    if args.args.len() != 2 {
        return Err(vm.new_type_error(format!(
            "chain.from_iterable() takes exactly one argument ({} given)",
            args.args.len().saturating_sub(1)
        )));
    }
    let (cls, rest) = split_new(vm, args, &t)?;
    let source = vm.iter(&rest.args[0])?;
    Ok(new_iter(vm, &cls, &t, Chain { st: RefCell::new((Some(source), None)) }))
}

fn chain_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Chain>(vm, &args, "__reduce__", "itertools.chain", 0)?;
    let (source, active) = downcast::<Chain>(&st).st.borrow().clone();
    let state = source.map(|s| vm.new_tuple([Some(s), active].into_iter().flatten().collect()));
    Ok(reduce_value(vm, &args.args[0], Vec::new(), state))
}

fn chain_setstate(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Chain>(vm, &args, "__setstate__", "itertools.chain", 1)?;
    let mut items = state_items(vm, &args.args[1], 1, 2)?.into_iter();
    let source = items.next();
    let active = items.next();
    for v in source.iter().chain(active.iter()) {
        if vm.special(v, Slot::Next).is_none() {
            return Err(vm.new_type_error("Arguments must be iterators."));
        }
    }
    let old = std::mem::replace(&mut *downcast::<Chain>(&st).st.borrow_mut(), (source, active));
    drop(old);
    Ok(Value::None)
}

// ---- compress ----

struct Compress {
    data: Value,
    selectors: Value,
}

impl NativeIter for Compress {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.data);
        visitor.visit_value(&self.selectors);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        loop {
            let datum = match vm.next(&self.data)? {
                Some(d) => d,
                None => return Ok(None),
            };
            let sel = match vm.next(&self.selectors)? {
                Some(s) => s,
                None => return Ok(None),
            };
            if vm.truthy(&sel)? {
                return Ok(Some(datum));
            }
        }
    }
}

fn compress_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &COMPRESS);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "compress", rest, &["data", "selectors"], 2)?;
    let data = vm.iter(a[0].as_ref().unwrap())?;
    let selectors = vm.iter(a[1].as_ref().unwrap())?;
    Ok(new_iter(vm, &cls, &t, Compress { data, selectors }))
}

fn compress_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Compress>(vm, &args, "__reduce__", "itertools.compress", 0)?;
    let c = downcast::<Compress>(&st);
    Ok(reduce_value(vm, &args.args[0], vec![c.data.clone(), c.selectors.clone()], None))
}

// ---- dropwhile / takewhile / filterfalse / starmap ----

#[derive(Clone, Copy, PartialEq)]
enum PredKind {
    DropWhile,
    TakeWhile,
    FilterFalse,
}

struct Pred {
    kind: PredKind,
    func: Value,
    it: Value,
    /// dropwhile: done dropping; takewhile: stopped.
    flag: std::cell::Cell<bool>,
}

impl NativeIter for Pred {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.func);
        visitor.visit_value(&self.it);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        if self.kind == PredKind::TakeWhile && self.flag.get() {
            return Ok(None);
        }
        loop {
            let x = match vm.next(&self.it)? {
                Some(x) => x,
                None => return Ok(None),
            };
            if self.kind == PredKind::DropWhile && self.flag.get() {
                return Ok(Some(x));
            }
            let ok = if self.kind == PredKind::FilterFalse
                && (self.func.is_none() || matches!(&self.func, Value::Obj(o) if o.is(&vm.types.bool_)))
            {
                vm.truthy(&x)?
            } else {
                let r = vm.call(&self.func, Args::new(std::slice::from_ref(&x)))?;
                vm.truthy(&r)?
            };
            match self.kind {
                PredKind::DropWhile if !ok => {
                    self.flag.set(true);
                    return Ok(Some(x));
                }
                PredKind::TakeWhile => {
                    if ok {
                        return Ok(Some(x));
                    }
                    self.flag.set(true);
                    return Ok(None);
                }
                PredKind::FilterFalse if !ok => return Ok(Some(x)),
                _ => {}
            }
        }
    }
}

fn pred_new(vm: &Vm, args: Args, s: &'static TypeSpec, kind: PredKind) -> PyResult {
    let t = ty(vm, s);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, s.name, &rest)?;
    let a = unpack(vm, s.name, &Args::new(rest.positional()), 2, 2)?;
    let it = vm.iter(&a[1])?;
    Ok(new_iter(vm, &cls, &t, Pred { kind, func: a[0].clone(), it, flag: std::cell::Cell::new(false) }))
}

fn dropwhile_new(vm: &Vm, args: Args) -> PyResult {
    pred_new(vm, args, &DROPWHILE, PredKind::DropWhile)
}
fn takewhile_new(vm: &Vm, args: Args) -> PyResult {
    pred_new(vm, args, &TAKEWHILE, PredKind::TakeWhile)
}
fn filterfalse_new(vm: &Vm, args: Args) -> PyResult {
    pred_new(vm, args, &FILTERFALSE, PredKind::FilterFalse)
}

fn pred_self(vm: &Vm, args: &Args, name: &str, extra: usize) -> PyResult<std::rc::Rc<dyn NativeIter>> {
    let kind = args.args.first().and_then(iter_state::<Pred>).map(|st| downcast::<Pred>(&st).kind);
    let owner = match kind {
        Some(PredKind::TakeWhile) => "itertools.takewhile",
        Some(PredKind::FilterFalse) => "itertools.filterfalse",
        _ => "itertools.dropwhile",
    };
    this::<Pred>(vm, args, name, owner, extra)
}

/// `__reduce__` of dropwhile, takewhile (with their flag as the state) and filterfalse.
fn pred_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = pred_self(vm, &args, "__reduce__", 0)?;
    let p = downcast::<Pred>(&st);
    let state = (p.kind != PredKind::FilterFalse).then(|| Value::Int(p.flag.get() as i64));
    Ok(reduce_value(vm, &args.args[0], vec![p.func.clone(), p.it.clone()], state))
}

fn pred_setstate(vm: &Vm, args: Args) -> PyResult {
    let st = pred_self(vm, &args, "__setstate__", 1)?;
    let flag = vm.truthy(&args.args[1])?;
    downcast::<Pred>(&st).flag.set(flag);
    Ok(Value::None)
}

struct Starmap {
    func: Value,
    it: Value,
}

impl NativeIter for Starmap {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visitor.visit_value(&self.func);
        visitor.visit_value(&self.it);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let x = match vm.next(&self.it)? {
            Some(x) => x,
            None => return Ok(None),
        };
        let items = match x.payload().and_then(|p| p.as_tuple()) {
            Some(t) => t.to_vec(),
            None => vm.collect_iter(&x)?,
        };
        Ok(Some(vm.call(&self.func, Args::new(&items))?))
    }
}

fn starmap_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &STARMAP);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, "starmap", &rest)?;
    let a = unpack(vm, "starmap", &Args::new(rest.positional()), 2, 2)?;
    let it = vm.iter(&a[1])?;
    Ok(new_iter(vm, &cls, &t, Starmap { func: a[0].clone(), it }))
}

fn starmap_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Starmap>(vm, &args, "__reduce__", "itertools.starmap", 0)?;
    let s = downcast::<Starmap>(&st);
    Ok(reduce_value(vm, &args.args[0], vec![s.func.clone(), s.it.clone()], None))
}

// ---- pairwise ----

struct Pairwise {
    st: RefCell<(Option<Value>, Option<Value>)>,
}

impl Pairwise {
    fn clear(&self) {
        let _old = std::mem::replace(&mut *self.st.borrow_mut(), (None, None));
    }
    /// The next item of the source; the source is dropped once it ends or fails.
    fn step(&self, vm: &Vm, it: &Value) -> PyResult<Option<Value>> {
        match vm.next(it) {
            Ok(Some(x)) => Ok(Some(x)),
            Ok(None) => {
                self.clear();
                Ok(None)
            }
            Err(e) => {
                self.clear();
                Err(e)
            }
        }
    }
}

impl NativeIter for Pairwise {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visit_refcell(&self.st, visitor, |(it, old), visitor| {
            for v in [it, old].into_iter().flatten() {
                visitor.visit_value(v);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let (it, old) = self.st.borrow().clone();
        let it = match it {
            Some(it) => it,
            None => return Ok(None),
        };
        let old = match old {
            Some(o) => o,
            None => match self.step(vm, &it)? {
                Some(o) => {
                    let _old = self.st.borrow_mut().1.replace(o.clone());
                    o
                }
                None => return Ok(None),
            },
        };
        let new = match self.step(vm, &it)? {
            Some(n) => n,
            None => return Ok(None),
        };
        let _old = self.st.borrow_mut().1.replace(new.clone());
        Ok(Some(vm.new_tuple(vec![old, new])))
    }
}

fn pairwise_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &PAIRWISE);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, "pairwise", &rest)?;
    let a = unpack(vm, "pairwise", &Args::new(rest.positional()), 1, 1)?;
    let it = vm.iter(&a[0])?;
    Ok(new_iter(vm, &cls, &t, Pairwise { st: RefCell::new((Some(it), None)) }))
}

// ---- islice ----

struct Islice {
    /// The source (None once done), items consumed, the index of the next
    /// item to produce, the stop index (-1: none) and the step.
    st: RefCell<(Option<Value>, i64, i64, i64, i64)>,
}

impl NativeIter for Islice {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visit_refcell(&self.st, visitor, |st, visitor| {
            if let Some(it) = &st.0 {
                visitor.visit_value(it);
            }
        });
    }
    fn clear(&self) {
        let old = match self.st.try_borrow_mut() {
            Ok(mut st) => st.0.take(),
            Err(_) => return,
        };
        drop(old);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let (it, stop, step) = {
            let s = self.st.borrow();
            (s.0.clone(), s.3, s.4)
        };
        let it = match it {
            Some(it) => it,
            None => return Ok(None),
        };
        let done = |r: PyResult<Option<Value>>| {
            let _old = self.st.borrow_mut().0.take();
            r
        };
        loop {
            let (cnt, next) = {
                let s = self.st.borrow();
                (s.1, s.2)
            };
            if cnt >= next {
                break;
            }
            match vm.next(&it) {
                Ok(Some(_)) => self.st.borrow_mut().1 += 1,
                Ok(None) => return done(Ok(None)),
                Err(e) => return done(Err(e)),
            }
        }
        if stop != -1 && self.st.borrow().1 >= stop {
            return done(Ok(None));
        }
        let item = match vm.next(&it) {
            Ok(Some(x)) => x,
            other => return done(other),
        };
        let mut s = self.st.borrow_mut();
        s.1 += 1;
        let next = s.2.checked_add(step);
        s.2 = match next {
            Some(n) if stop == -1 || n <= stop => n,
            _ => stop,
        };
        Ok(Some(item))
    }
}

fn islice_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &ISLICE);
    let (cls, rest) = split_new(vm, args, &t)?;
    refuse_kwargs(vm, &cls, &t, "islice", &rest)?;
    let a = unpack(vm, "islice", &Args::new(rest.positional()), 2, 4)?;
    // Failed conversions count as -1, as CPython's clearing of the error does.
    let num = |v: &Value| ssize(vm, v).unwrap_or(-1);
    let stop_err = || vm.new_value_error("Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
    let (mut start, mut stop, mut step) = (0i64, -1i64, 1i64);
    if a.len() == 2 {
        if !a[1].is_none() {
            stop = num(&a[1]);
            if stop == -1 {
                return Err(stop_err());
            }
        }
    } else {
        if !a[1].is_none() {
            start = num(&a[1]);
        }
        if !a[2].is_none() {
            stop = num(&a[2]);
            if stop == -1 {
                return Err(stop_err());
            }
        }
    }
    if start < 0 || stop < -1 {
        return Err(vm.new_value_error("Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize."));
    }
    if a.len() == 4 && !a[3].is_none() {
        step = num(&a[3]);
    }
    if step < 1 {
        return Err(vm.new_value_error("Step for islice() must be a positive integer or None."));
    }
    let it = vm.iter(&a[0])?;
    Ok(new_iter(vm, &cls, &t, Islice { st: RefCell::new((Some(it), 0, start, stop, step)) }))
}

fn islice_reduce(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Islice>(vm, &args, "__reduce__", "itertools.islice", 0)?;
    let (it, cnt, next, stop, step) = downcast::<Islice>(&st).st.borrow().clone();
    let me = &args.args[0];
    Ok(match it {
        None => reduce_value(vm, me, vec![vm.iter(&vm.new_list(Vec::new()))?, Value::Int(0)], Some(Value::Int(0))),
        Some(it) => {
            let stop = if stop == -1 { Value::None } else { Value::Int(stop) };
            reduce_value(vm, me, vec![it, Value::Int(next), stop, Value::Int(step)], Some(Value::Int(cnt)))
        }
    })
}

fn islice_setstate(vm: &Vm, args: Args) -> PyResult {
    let st = this::<Islice>(vm, &args, "__setstate__", "itertools.islice", 1)?;
    let cnt = ssize(vm, &args.args[1])?;
    downcast::<Islice>(&st).st.borrow_mut().1 = cnt;
    Ok(Value::None)
}

static COUNT_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", count_new),
    NativeDef::method("__repr__", count_repr),
    NativeDef::method("__reduce__", count_reduce),
];
static CYCLE_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", cycle_new),
    NativeDef::method("__reduce__", cycle_reduce),
    NativeDef::method("__setstate__", cycle_setstate),
];
static REPEAT_M: [NativeDef; 4] = [
    NativeDef::staticmethod("__new__", repeat_new),
    NativeDef::method("__repr__", repeat_repr),
    NativeDef::method("__length_hint__", repeat_length_hint),
    NativeDef::method("__reduce__", repeat_reduce),
];
static ACCUMULATE_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", accumulate_new),
    NativeDef::method("__reduce__", accumulate_reduce),
    NativeDef::method("__setstate__", accumulate_setstate),
];
static CHAIN_M: [NativeDef; 5] = [
    NativeDef::staticmethod("__new__", chain_new),
    NativeDef::classmethod("from_iterable", chain_from_iterable),
    NativeDef::classmethod("__class_getitem__", class_getitem),
    NativeDef::method("__reduce__", chain_reduce),
    NativeDef::method("__setstate__", chain_setstate),
];
static COMPRESS_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", compress_new), NativeDef::method("__reduce__", compress_reduce)];
static DROPWHILE_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", dropwhile_new),
    NativeDef::method("__reduce__", pred_reduce),
    NativeDef::method("__setstate__", pred_setstate),
];
static TAKEWHILE_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", takewhile_new),
    NativeDef::method("__reduce__", pred_reduce),
    NativeDef::method("__setstate__", pred_setstate),
];
static FILTERFALSE_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", filterfalse_new), NativeDef::method("__reduce__", pred_reduce)];
static STARMAP_M: [NativeDef; 2] =
    [NativeDef::staticmethod("__new__", starmap_new), NativeDef::method("__reduce__", starmap_reduce)];
static PAIRWISE_M: [NativeDef; 1] = [NativeDef::staticmethod("__new__", pairwise_new)];
static ISLICE_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", islice_new),
    NativeDef::method("__reduce__", islice_reduce),
    NativeDef::method("__setstate__", islice_setstate),
];

static COUNT: TypeSpec = spec("count", "Return a count object whose .__next__() method returns consecutive values.\n\nEquivalent to:\n    def count(firstval=0, step=1):\n        x = firstval\n        while 1:\n            yield x\n            x += step", B, &COUNT_M);
static CYCLE: TypeSpec = spec("cycle", "Return elements from the iterable until it is exhausted. Then repeat the sequence indefinitely.", B, &CYCLE_M);
static REPEAT: TypeSpec = spec("repeat", "repeat(object [,times]) -> create an iterator which returns the object\nfor the specified number of times.  If not specified, returns the object\nendlessly.", B, &REPEAT_M);
static ACCUMULATE: TypeSpec = spec("accumulate", "Return series of accumulated sums (or other binary function results).", B, &ACCUMULATE_M);
static CHAIN: TypeSpec = spec("chain", "chain(*iterables) --> chain object\n\nReturn a chain object whose .__next__() method returns elements from the\nfirst iterable until it is exhausted, then elements from the next\niterable, until all of the iterables are exhausted.", B, &CHAIN_M);
static COMPRESS: TypeSpec = spec("compress", "Return data elements corresponding to true selector elements.\n\nForms a shorter iterator from selected data elements using the selectors to\nchoose the data elements.", B, &COMPRESS_M);
static DROPWHILE: TypeSpec = spec("dropwhile", "Drop items from the iterable while predicate(item) is true.\n\nAfterwards, return every element until the iterable is exhausted.", B, &DROPWHILE_M);
static TAKEWHILE: TypeSpec = spec("takewhile", "Return successive entries from an iterable as long as the predicate evaluates to true for each entry.", B, &TAKEWHILE_M);
static FILTERFALSE: TypeSpec = spec("filterfalse", "Return those items of iterable for which function(item) is false.\n\nIf function is None, return the items that are false.", B, &FILTERFALSE_M);
static STARMAP: TypeSpec = spec("starmap", "Return an iterator whose values are returned from the function evaluated with an argument tuple taken from the given sequence.", B, &STARMAP_M);
static PAIRWISE: TypeSpec = spec("pairwise", "Return an iterator of overlapping pairs taken from the input iterator.\n\n    s -> (s0,s1), (s1,s2), (s2, s3), ...", B, &PAIRWISE_M);
static ISLICE: TypeSpec = spec("islice", "islice(iterable, stop) --> islice object\nislice(iterable, start, stop[, step]) --> islice object\n\nReturn an iterator whose next() method returns selected values from an\niterable.  If start is specified, will skip all preceding elements;\notherwise, start defaults to zero.  Step defaults to one.  If\nspecified as another value, step determines how many values are\nskipped between successive calls.  Works like a slice() on a list\nbut returns an iterator.", B, &ISLICE_M);

pub(super) static SPECS: [&TypeSpec; 12] =
    [&COUNT, &CYCLE, &REPEAT, &ACCUMULATE, &CHAIN, &COMPRESS, &DROPWHILE, &TAKEWHILE, &FILTERFALSE, &STARMAP, &PAIRWISE, &ISLICE];
