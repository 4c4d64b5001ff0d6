//! product, permutations, combinations, combinations_with_replacement
//! (index-vector state machines over pools copied up front, as CPython
//! does) and zip_longest.

use super::{reduce_value, spec, this, ty, B};
use crate::native::{bind, downcast, iter_state, new_iter, split_new, ssize, take_refcell, visit_refcell, TypeSpec};
use krait_vm::gc::Visitor;
use krait_vm::types::iter::NativeIter;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};
use std::cell::RefCell;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Product,
    Permutations,
    Combinations,
    WithReplacement,
}

struct Combo {
    kind: Kind,
    /// One pool per position for product; the single pool otherwise.
    pools: Vec<Vec<Value>>,
    r: usize,
    st: RefCell<ComboState>,
}

struct ComboState {
    indices: Vec<usize>,
    /// permutations only: the countdowns of the classic algorithm.
    cycles: Vec<usize>,
    first: bool,
    stopped: bool,
}

impl Combo {
    fn new(kind: Kind, pools: Vec<Vec<Value>>, r: usize) -> Combo {
        let n = pools.first().map_or(0, |p| p.len());
        let (indices, cycles, stopped) = match kind {
            Kind::Product => (vec![0; pools.len()], Vec::new(), pools.iter().any(|p| p.is_empty())),
            Kind::Permutations => ((0..n).collect(), (0..r).map(|i| n.saturating_sub(i)).collect(), r > n),
            Kind::Combinations => ((0..r).collect(), Vec::new(), r > n),
            Kind::WithReplacement => (vec![0; r], Vec::new(), n == 0 && r > 0),
        };
        Combo { kind, pools, r, st: RefCell::new(ComboState { indices, cycles, first: true, stopped }) }
    }

    /// Moves the indices to the next result; false when there is none.
    fn advance(&self, st: &mut ComboState) -> bool {
        let r = self.r;
        match self.kind {
            Kind::Product => {
                for i in (0..self.pools.len()).rev() {
                    st.indices[i] += 1;
                    if st.indices[i] < self.pools[i].len() {
                        return true;
                    }
                    st.indices[i] = 0;
                }
                false
            }
            Kind::Permutations => {
                let n = self.pools[0].len();
                for i in (0..r).rev() {
                    st.cycles[i] -= 1;
                    if st.cycles[i] == 0 {
                        let x = st.indices.remove(i);
                        st.indices.push(x);
                        st.cycles[i] = n - i;
                    } else {
                        let j = st.cycles[i];
                        st.indices.swap(i, n - j);
                        return true;
                    }
                }
                false
            }
            Kind::Combinations => {
                let n = self.pools[0].len();
                let i = match (0..r).rev().find(|&i| st.indices[i] != i + n - r) {
                    Some(i) => i,
                    None => return false,
                };
                st.indices[i] += 1;
                for j in i + 1..r {
                    st.indices[j] = st.indices[j - 1] + 1;
                }
                true
            }
            Kind::WithReplacement => {
                let n = self.pools[0].len();
                let i = match (0..r).rev().find(|&i| st.indices[i] != n - 1) {
                    Some(i) => i,
                    None => return false,
                };
                let v = st.indices[i] + 1;
                for x in &mut st.indices[i..] {
                    *x = v;
                }
                true
            }
        }
    }
}

impl NativeIter for Combo {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        for v in self.pools.iter().flatten() {
            visitor.visit_value(v);
        }
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let mut st = self.st.borrow_mut();
        if st.stopped {
            st.first = false;
            return Ok(None);
        }
        if st.first {
            st.first = false;
        } else if !self.advance(&mut st) {
            st.stopped = true;
            return Ok(None);
        }
        let items: Vec<Value> = match self.kind {
            Kind::Product => st.indices.iter().enumerate().map(|(p, &i)| self.pools[p][i].clone()).collect(),
            _ => st.indices[..self.r].iter().map(|&i| self.pools[0][i].clone()).collect(),
        };
        Ok(Some(vm.new_tuple(items)))
    }
}

impl Combo {
    fn owner(&self) -> &'static str {
        match self.kind {
            Kind::Product => "itertools.product",
            Kind::Permutations => "itertools.permutations",
            Kind::Combinations => "itertools.combinations",
            Kind::WithReplacement => "itertools.combinations_with_replacement",
        }
    }

    /// The state tuple `__setstate__` takes back: the indices (and for
    /// permutations the cycles too).
    fn state(&self, vm: &Vm, st: &ComboState) -> Value {
        let ints = |v: &[usize]| vm.new_tuple(v.iter().map(|&i| Value::Int(i as i64)).collect());
        match self.kind {
            Kind::Permutations => vm.new_tuple(vec![ints(&st.indices), ints(&st.cycles)]),
            _ => ints(&st.indices),
        }
    }

    /// Sets the indices from a pickled state, each clamped into range as
    /// CPython does; the next result is the one after them.
    fn set_state(&self, vm: &Vm, state: &Value) -> PyResult<()> {
        let invalid = || vm.new_value_error("invalid arguments");
        let tuple_of = |v: &Value, len: usize| -> PyResult<Vec<i64>> {
            match v.payload().and_then(|p| p.as_tuple()) {
                Some(t) if t.len() == len => t.iter().map(|x| ssize(vm, x)).collect(),
                _ => Err(invalid()),
            }
        };
        let n = self.pools.first().map_or(0, |p| p.len());
        let r = self.r;
        let clamp = |i: i64, lo: usize, hi: usize| (i.max(lo as i64) as usize).min(hi);
        let mut st = self.st.borrow_mut();
        match self.kind {
            Kind::Product => {
                let idx = tuple_of(state, self.pools.len())?;
                if self.pools.iter().any(|p| p.is_empty()) {
                    st.stopped = true;
                } else {
                    st.indices = idx.iter().zip(&self.pools).map(|(&i, p)| clamp(i, 0, p.len() - 1)).collect();
                }
            }
            Kind::Permutations => {
                let parts = match state.payload().and_then(|p| p.as_tuple()) {
                    Some(t) if t.len() == 2 => t.to_vec(),
                    _ => return Err(invalid()),
                };
                let idx = tuple_of(&parts[0], n)?;
                let cyc = tuple_of(&parts[1], r)?;
                if r > n || n == 0 {
                    st.stopped = true;
                } else {
                    st.indices = idx.iter().map(|&i| clamp(i, 0, n - 1)).collect();
                    st.cycles = cyc.iter().enumerate().map(|(k, &c)| clamp(c, 1, n - k)).collect();
                }
            }
            Kind::Combinations | Kind::WithReplacement => {
                let idx = tuple_of(state, r)?;
                let empty = if self.kind == Kind::Combinations { r > n } else { n == 0 && r > 0 };
                if empty {
                    st.stopped = true;
                } else if n == 0 {
                    // r == 0: the one empty result was given.
                } else if self.kind == Kind::Combinations {
                    st.indices = idx.iter().enumerate().map(|(k, &i)| clamp(i, 0, k + n - r)).collect();
                } else {
                    st.indices = idx.iter().map(|&i| clamp(i, 0, n - 1)).collect();
                }
            }
        }
        st.first = false;
        Ok(())
    }
}

fn combo_self(vm: &Vm, args: &Args, name: &str, extra: usize) -> PyResult<std::rc::Rc<dyn NativeIter>> {
    let st = args.args.first().and_then(iter_state::<Combo>);
    let owner = st.map_or("itertools.product", |st| downcast::<Combo>(&st).owner());
    this::<Combo>(vm, args, name, owner, extra)
}

fn combo_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = combo_self(vm, &args, "__reduce__", 0)?;
    let c = downcast::<Combo>(&rc);
    let st = c.st.borrow();
    let pool_tuples = || c.pools.iter().map(|p| vm.new_tuple(p.clone())).collect::<Vec<_>>();
    let r = Value::Int(c.r as i64);
    let me = &args.args[0];
    let empty = vm.new_tuple(Vec::new());
    Ok(match (c.kind, st.first, st.stopped) {
        (Kind::Product, true, _) => reduce_value(vm, me, pool_tuples(), None),
        (Kind::Product, false, true) => reduce_value(vm, me, vec![empty], None),
        (Kind::Product, false, false) => reduce_value(vm, me, pool_tuples(), Some(c.state(vm, &st))),
        (_, true, _) => reduce_value(vm, me, vec![pool_tuples().remove(0), r], None),
        (_, false, true) => reduce_value(vm, me, vec![empty, r], None),
        (_, false, false) => reduce_value(vm, me, vec![pool_tuples().remove(0), r], Some(c.state(vm, &st))),
    })
}

fn combo_setstate(vm: &Vm, args: Args) -> PyResult {
    let rc = combo_self(vm, &args, "__setstate__", 1)?;
    downcast::<Combo>(&rc).set_state(vm, &args.args[1])?;
    Ok(Value::None)
}

fn combo_sizeof(vm: &Vm, args: Args) -> PyResult {
    let rc = combo_self(vm, &args, "__sizeof__", 0)?;
    let c = downcast::<Combo>(&rc);
    let st = c.st.borrow();
    // CPython's object sizes on a 64-bit build, plus its index arrays.
    let base = match c.kind {
        Kind::Product => 48,
        Kind::Permutations => 64,
        _ => 56,
    };
    let words = st.indices.len() + st.cycles.len();
    Ok(Value::Int(base + 8 * words as i64))
}

fn pool(vm: &Vm, v: &Value) -> PyResult<Vec<Value>> {
    match v.payload().and_then(|p| p.as_tuple()) {
        Some(t) => Ok(t.to_vec()),
        None => vm.collect_iter(v),
    }
}

fn product_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &PRODUCT);
    let (cls, rest) = split_new(vm, args, &t)?;
    let mut repeat = 1i64;
    for (k, v) in rest.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "repeat" => repeat = ssize(vm, v)?,
            other => return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for product()"))),
        }
    }
    if repeat < 0 {
        return Err(vm.new_value_error("repeat argument cannot be negative"));
    }
    let mut base = Vec::new();
    for x in rest.positional() {
        base.push(pool(vm, x)?);
    }
    let total = (base.len() as u128) * (repeat as u128);
    if total > (isize::MAX as u128) / 16 {
        return Err(vm.new_overflow_error("repeat argument too large"));
    }
    let mut pools = Vec::with_capacity(total as usize);
    for _ in 0..repeat {
        pools.extend(base.iter().cloned());
    }
    Ok(new_iter(vm, &cls, &t, Combo::new(Kind::Product, pools, 0)))
}

fn r_arg(vm: &Vm, v: &Value) -> PyResult<usize> {
    let r = ssize(vm, v)?;
    if r < 0 {
        return Err(vm.new_value_error("r must be non-negative"));
    }
    Ok(r as usize)
}

fn permutations_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &PERMUTATIONS);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, "permutations", rest, &["iterable", "r"], 1)?;
    let p = pool(vm, a[0].as_ref().unwrap())?;
    let r = match &a[1] {
        None | Some(Value::None) => p.len(),
        Some(v) => {
            if !vm.is_subtype(vm.class_of(v), &vm.types.int) {
                return Err(vm.new_type_error("Expected int as r"));
            }
            r_arg(vm, v)?
        }
    };
    Ok(new_iter(vm, &cls, &t, Combo::new(Kind::Permutations, vec![p], r)))
}

fn combinations_common(vm: &Vm, args: Args, spec: &'static TypeSpec, kind: Kind) -> PyResult {
    let t = ty(vm, spec);
    let (cls, rest) = split_new(vm, args, &t)?;
    let a = bind(vm, spec.name, rest, &["iterable", "r"], 2)?;
    let p = pool(vm, a[0].as_ref().unwrap())?;
    let r = r_arg(vm, a[1].as_ref().unwrap())?;
    Ok(new_iter(vm, &cls, &t, Combo::new(kind, vec![p], r)))
}

fn combinations_new(vm: &Vm, args: Args) -> PyResult {
    combinations_common(vm, args, &COMBINATIONS, Kind::Combinations)
}

fn cwr_new(vm: &Vm, args: Args) -> PyResult {
    combinations_common(vm, args, &CWR, Kind::WithReplacement)
}

// ---- zip_longest ----

struct ZipLongest {
    fill: RefCell<Value>,
    /// The sources (None once exhausted) and how many are still active.
    st: RefCell<(Vec<Option<Value>>, usize)>,
}

impl NativeIter for ZipLongest {
    fn traverse(&self, visitor: &mut dyn Visitor) {
        visit_refcell(&self.fill, visitor, |v, visitor| visitor.visit_value(v));
        visit_refcell(&self.st, visitor, |(iters, _), visitor| {
            for it in iters.iter().flatten() {
                visitor.visit_value(it);
            }
        });
    }
    fn clear(&self) {
        take_refcell(&self.st);
    }
    fn next(&self, vm: &Vm, _this: &Value) -> PyResult<Option<Value>> {
        let n = self.st.borrow().0.len();
        if n == 0 || self.st.borrow().1 == 0 {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let it = self.st.borrow().0[i].clone();
            let item = match it {
                None => self.fill.borrow().clone(),
                Some(it) => match vm.next(&it) {
                    Ok(Some(x)) => x,
                    Ok(None) => {
                        // The finished source is dropped after the borrow ends.
                        let _old = {
                            let mut st = self.st.borrow_mut();
                            st.1 -= 1;
                            if st.1 == 0 {
                                return Ok(None);
                            }
                            st.0[i].take()
                        };
                        self.fill.borrow().clone()
                    }
                    Err(e) => {
                        self.st.borrow_mut().1 = 0;
                        return Err(e);
                    }
                },
            };
            out.push(item);
        }
        Ok(Some(vm.new_tuple(out)))
    }
}

fn zip_longest_new(vm: &Vm, args: Args) -> PyResult {
    let t = ty(vm, &ZIP_LONGEST);
    let (cls, rest) = split_new(vm, args, &t)?;
    let mut fill = Value::None;
    if rest.has_kwargs() {
        let mut kws = rest.keywords();
        match (kws.next(), kws.next()) {
            (Some((k, v)), None) if vm.as_str(k) == Some("fillvalue") => fill = v.clone(),
            _ => return Err(vm.new_type_error("zip_longest() got an unexpected keyword argument")),
        }
    }
    let mut iters = Vec::new();
    for x in rest.positional() {
        iters.push(Some(vm.iter(x)?));
    }
    let n = iters.len();
    Ok(new_iter(vm, &cls, &t, ZipLongest { fill: RefCell::new(fill), st: RefCell::new((iters, n)) }))
}

fn zip_longest_reduce(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<ZipLongest>(vm, &args, "__reduce__", "itertools.zip_longest", 0)?;
    let z = downcast::<ZipLongest>(&rc);
    // Exhausted sources are pickled as empty tuples.
    let iters = z.st.borrow().0.clone();
    let iters = iters.into_iter().map(|it| it.unwrap_or_else(|| vm.new_tuple(Vec::new()))).collect();
    let fill = z.fill.borrow().clone();
    Ok(reduce_value(vm, &args.args[0], iters, Some(fill)))
}

fn zip_longest_setstate(vm: &Vm, args: Args) -> PyResult {
    let rc = this::<ZipLongest>(vm, &args, "__setstate__", "itertools.zip_longest", 1)?;
    let old = std::mem::replace(&mut *downcast::<ZipLongest>(&rc).fill.borrow_mut(), args.args[1].clone());
    drop(old);
    Ok(Value::None)
}

/// The methods of product, permutations, combinations and combinations_with_replacement.
macro_rules! combo_methods {
    ($new:expr) => {
        [
            NativeDef::staticmethod("__new__", $new),
            NativeDef::method("__reduce__", combo_reduce),
            NativeDef::method("__setstate__", combo_setstate),
            NativeDef::method("__sizeof__", combo_sizeof),
        ]
    };
}
static PRODUCT_M: [NativeDef; 4] = combo_methods!(product_new);
static PERMUTATIONS_M: [NativeDef; 4] = combo_methods!(permutations_new);
static COMBINATIONS_M: [NativeDef; 4] = combo_methods!(combinations_new);
static CWR_M: [NativeDef; 4] = combo_methods!(cwr_new);
static ZIP_LONGEST_M: [NativeDef; 3] = [
    NativeDef::staticmethod("__new__", zip_longest_new),
    NativeDef::method("__reduce__", zip_longest_reduce),
    NativeDef::method("__setstate__", zip_longest_setstate),
];

static PRODUCT: TypeSpec = spec("product", "Cartesian product of input iterables.  Equivalent to nested for-loops.\n\nFor example, product(A, B) returns the same as:  ((x,y) for x in A for y in B).\nThe leftmost iterators are in the outermost for-loop, so the output tuples\ncycle in a manner similar to an odometer (with the rightmost element changing\non every iteration).\n\nTo compute the product of an iterable with itself, specify the number\nof repetitions with the optional repeat keyword argument. For example,\nproduct(A, repeat=4) means the same as product(A, A, A, A).\n\nproduct('ab', range(3)) --> ('a',0) ('a',1) ('a',2) ('b',0) ('b',1) ('b',2)\nproduct((0,1), (0,1), (0,1)) --> (0,0,0) (0,0,1) (0,1,0) (0,1,1) (1,0,0) ...", B, &PRODUCT_M);
static PERMUTATIONS: TypeSpec = spec("permutations", "Return successive r-length permutations of elements in the iterable.\n\npermutations(range(3), 2) --> (0,1), (0,2), (1,0), (1,2), (2,0), (2,1)", B, &PERMUTATIONS_M);
static COMBINATIONS: TypeSpec = spec("combinations", "Return successive r-length combinations of elements in the iterable.\n\ncombinations(range(4), 3) --> (0,1,2), (0,1,3), (0,2,3), (1,2,3)", B, &COMBINATIONS_M);
static CWR: TypeSpec = spec("combinations_with_replacement", "Return successive r-length combinations of elements in the iterable allowing individual elements to have successive repeats.\n\ncombinations_with_replacement('ABC', 2) --> ('A','A'), ('A','B'), ('A','C'), ('B','B'), ('B','C'), ('C','C')", B, &CWR_M);
static ZIP_LONGEST: TypeSpec = spec("zip_longest", "zip_longest(iter1 [,iter2 [...]], [fillvalue=None]) --> zip_longest object\n\nReturn a zip_longest object whose .__next__() method returns a tuple where\nthe i-th element comes from the i-th iterable argument.  The .__next__()\nmethod continues until the longest iterable in the argument sequence\nis exhausted and then it raises StopIteration.  When the shorter iterables\nare exhausted, the fillvalue is substituted in their place.  The fillvalue\ndefaults to None or can be specified by a keyword argument.", B, &ZIP_LONGEST_M);

pub(super) static SPECS: [&TypeSpec; 5] = [&PRODUCT, &PERMUTATIONS, &COMBINATIONS, &CWR, &ZIP_LONGEST];
