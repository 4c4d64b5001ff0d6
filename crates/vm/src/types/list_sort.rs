//! `list.sort()` and the sort `sorted()` uses: CPython 3.11's timsort
//! (natural runs, binary insertion up to `minrun`, galloping merges and the
//! "powersort" merge order), so that a `__lt__` is called on the same pairs,
//! in the same order, as in CPython. Comparisons may fail (a `__lt__` can
//! raise; Rust's `sort_by` cannot propagate errors and must not be given an
//! inconsistent order).
//!
//! As in CPython the list is emptied while it is sorted, so a key function or
//! `__lt__` that mutates it is detected afterwards ("list modified during
//! sort") and its changes are discarded. Sorting works on a permutation of
//! indices, so an exception leaves every item in the list.

use crate::types::function::Args;
use crate::types::tuple;
use crate::value::Value;
use crate::{PyResult, Vm};
use krait_compiler::bytecode::CmpOp;

/// Galloping starts after this many consecutive wins of one run.
const MIN_GALLOP: usize = 7;

/// A run waiting to be merged: `v[start..start + len]`, and its node depth
/// in the powersort merge tree.
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    len: usize,
    power: u32,
}

struct TimSort<'f, T, F> {
    lt: &'f mut F,
    min_gallop: usize,
    /// The whole length being sorted (for the run powers).
    n: usize,
    runs: Vec<Run>,
    /// Scratch space for merges (the smaller run is copied here).
    tmp: Vec<T>,
}

/// Stable sort of `v` with a fallible less-than: CPython's `listsort`.
/// On error `v` is still a permutation of its items.
pub fn tim_sort<T: Copy, F: FnMut(T, T) -> PyResult<bool>>(v: &mut [T], lt: &mut F) -> PyResult<()> {
    let n = v.len();
    if n < 2 {
        return Ok(());
    }
    let mut ts = TimSort { lt, min_gallop: MIN_GALLOP, n, runs: Vec::new(), tmp: Vec::new() };
    let minrun = compute_minrun(n);
    let mut lo = 0;
    while lo < n {
        let (mut len, descending) = ts.count_run(&v[lo..])?;
        if descending {
            v[lo..lo + len].reverse();
        }
        if len < minrun {
            let force = (n - lo).min(minrun);
            ts.binary_sort(&mut v[lo..lo + force], len)?;
            len = force;
        }
        ts.found_new_run(v, len)?;
        ts.runs.push(Run { start: lo, len, power: 0 });
        lo += len;
    }
    // Merge what is left, always merging the shorter of the two pairs at
    // the top of the stack.
    while ts.runs.len() > 1 {
        let mut i = ts.runs.len() - 2;
        if i > 0 && ts.runs[i - 1].len < ts.runs[i + 1].len {
            i -= 1;
        }
        ts.merge_at(v, i)?;
    }
    Ok(())
}

/// The minimum run length for `n` items: `n` itself below 64, else a number
/// in 32..=64 such that `n / minrun` is a power of 2 or slightly less.
fn compute_minrun(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// Powersort: the depth of the node between two adjacent runs (starting at
/// `s1`, lengths `n1` and `n2`, in a list of `n`) in the conceptual merge
/// tree, the first bit where the binary fractions of the two runs'
/// midpoints (over `n`) differ.
fn power_of(s1: usize, n1: usize, n2: usize, n: usize) -> u32 {
    // Twice the midpoints, so they are integers.
    let mut a = 2 * s1 + n1;
    let mut b = a + n1 + n2;
    let mut power = 0;
    loop {
        power += 1;
        if a >= n {
            a -= n;
            b -= n;
        } else if b >= n {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    power
}

impl<T: Copy, F: FnMut(T, T) -> PyResult<bool>> TimSort<'_, T, F> {
    /// The length of the run at the start of `v` and whether it is strictly
    /// descending (ascending runs may hold equal items; descending ones may
    /// not, so that reversing them keeps the sort stable).
    fn count_run(&mut self, v: &[T]) -> PyResult<(usize, bool)> {
        if v.len() == 1 {
            return Ok((1, false));
        }
        let mut n = 2;
        if (self.lt)(v[1], v[0])? {
            while n < v.len() && (self.lt)(v[n], v[n - 1])? {
                n += 1;
            }
            Ok((n, true))
        } else {
            while n < v.len() && !(self.lt)(v[n], v[n - 1])? {
                n += 1;
            }
            Ok((n, false))
        }
    }

    /// Binary insertion sort of `v`, whose first `sorted` items are in order.
    fn binary_sort(&mut self, v: &mut [T], sorted: usize) -> PyResult<()> {
        for i in sorted.max(1)..v.len() {
            let pivot = v[i];
            let (mut l, mut r) = (0, i);
            while l < r {
                let m = l + (r - l) / 2;
                if (self.lt)(pivot, v[m])? {
                    r = m;
                } else {
                    l = m + 1;
                }
            }
            v.copy_within(l..i, l + 1);
            v[l] = pivot;
        }
        Ok(())
    }

    /// The index where `key` goes in the sorted `a`, left of any equal items
    /// (`a[k-1] < key <= a[k]`), searched by galloping out from `hint`.
    fn gallop_left(&mut self, key: T, a: &[T], hint: usize) -> PyResult<usize> {
        let n = a.len();
        let (mut lastofs, mut ofs);
        if (self.lt)(a[hint], key)? {
            // a[hint] < key: gallop right until a[hint+lastofs] < key <= a[hint+ofs].
            let maxofs = n - hint;
            lastofs = 0;
            ofs = 1;
            while ofs < maxofs {
                if (self.lt)(a[hint + ofs], key)? {
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                } else {
                    break;
                }
            }
            ofs = ofs.min(maxofs);
            lastofs += hint;
            ofs += hint;
        } else {
            // key <= a[hint]: gallop left until a[hint-ofs] < key <= a[hint-lastofs].
            let maxofs = hint + 1;
            lastofs = 0;
            ofs = 1;
            while ofs < maxofs {
                if (self.lt)(a[hint - ofs], key)? {
                    break;
                }
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            ofs = ofs.min(maxofs);
            // Back to offsets from a[0]; `lastofs` may be -1 (stored + 1).
            let k = lastofs;
            lastofs = hint + 1 - ofs; // one past the C code's `hint - ofs`
            ofs = hint - k;
            return self.gallop_finish_left(key, a, lastofs, ofs);
        }
        self.gallop_finish_left(key, a, lastofs + 1, ofs)
    }

    /// Binary search in `a[lo..hi]` with `a[lo-1] < key <= a[hi]`.
    fn gallop_finish_left(&mut self, key: T, a: &[T], mut lo: usize, mut hi: usize) -> PyResult<usize> {
        while lo < hi {
            let m = lo + ((hi - lo) >> 1);
            if (self.lt)(a[m], key)? {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        Ok(hi)
    }

    /// Like `gallop_left`, but right of any equal items (`a[k-1] <= key < a[k]`).
    fn gallop_right(&mut self, key: T, a: &[T], hint: usize) -> PyResult<usize> {
        let n = a.len();
        let (mut lastofs, mut ofs);
        if (self.lt)(key, a[hint])? {
            // key < a[hint]: gallop left until a[hint-ofs] <= key < a[hint-lastofs].
            let maxofs = hint + 1;
            lastofs = 0;
            ofs = 1;
            while ofs < maxofs {
                if (self.lt)(key, a[hint - ofs])? {
                    lastofs = ofs;
                    ofs = (ofs << 1) + 1;
                } else {
                    break;
                }
            }
            ofs = ofs.min(maxofs);
            let k = lastofs;
            lastofs = hint + 1 - ofs; // one past the C code's `hint - ofs`
            ofs = hint - k;
            return self.gallop_finish_right(key, a, lastofs, ofs);
        } else {
            // a[hint] <= key: gallop right until a[hint+lastofs] <= key < a[hint+ofs].
            let maxofs = n - hint;
            lastofs = 0;
            ofs = 1;
            while ofs < maxofs {
                if (self.lt)(key, a[hint + ofs])? {
                    break;
                }
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            ofs = ofs.min(maxofs);
            lastofs += hint;
            ofs += hint;
        }
        self.gallop_finish_right(key, a, lastofs + 1, ofs)
    }

    /// Binary search in `a[lo..hi]` with `a[lo-1] <= key < a[hi]`.
    fn gallop_finish_right(&mut self, key: T, a: &[T], mut lo: usize, mut hi: usize) -> PyResult<usize> {
        while lo < hi {
            let m = lo + ((hi - lo) >> 1);
            if (self.lt)(key, a[m])? {
                hi = m;
            } else {
                lo = m + 1;
            }
        }
        Ok(hi)
    }

    /// A run of `len` items follows the top of the stack: merge the runs
    /// whose node in the powersort tree is deeper than the new boundary's.
    fn found_new_run(&mut self, v: &mut [T], len: usize) -> PyResult<()> {
        let Some(top) = self.runs.last().copied() else { return Ok(()) };
        let power = power_of(top.start, top.len, len, self.n);
        while self.runs.len() > 1 && self.runs[self.runs.len() - 2].power > power {
            self.merge_at(v, self.runs.len() - 2)?;
        }
        self.runs.last_mut().expect("a run").power = power;
        Ok(())
    }

    /// Merges runs `i` and `i + 1` of the stack.
    fn merge_at(&mut self, v: &mut [T], i: usize) -> PyResult<()> {
        let (a, b) = (self.runs[i], self.runs[i + 1]);
        self.runs[i].len = a.len + b.len;
        self.runs.remove(i + 1);
        // Items of a before b[0]'s place, and of b after a's last item's
        // place, are already where they belong.
        let k = self.gallop_right(v[b.start], &v[a.start..a.start + a.len], 0)?;
        let (sa, na) = (a.start + k, a.len - k);
        if na == 0 {
            return Ok(());
        }
        let nb = self.gallop_left(v[sa + na - 1], &v[b.start..b.start + b.len], b.len - 1)?;
        if nb == 0 {
            return Ok(());
        }
        if na <= nb {
            self.merge_lo(v, sa, na, nb)
        } else {
            self.merge_hi(v, sa, na, nb)
        }
    }

    /// Merges `v[sa..sa+na]` and the `nb` items after it, left to right,
    /// with the first run in `tmp` (`na <= nb`). Needs `v[sa + na] <
    /// v[sa]` and the last of the first run greater than all of the second.
    fn merge_lo(&mut self, v: &mut [T], sa: usize, mut na: usize, mut nb: usize) -> PyResult<()> {
        self.tmp.clear();
        self.tmp.extend_from_slice(&v[sa..sa + na]);
        let tmp = std::mem::take(&mut self.tmp);
        let (mut dest, mut pa, mut pb) = (sa, 0, sa + na);
        let r = self.merge_lo_inner(v, &tmp, &mut dest, &mut pa, &mut pb, &mut na, &mut nb);
        match r {
            Ok(true) => {
                // What is left of b is in place; a's last item goes after it.
                v.copy_within(pb..pb + nb, dest);
                v[dest + nb] = tmp[pa];
            }
            // Done or failed: the rest of a fills the gap.
            _ => v[dest..dest + na].copy_from_slice(&tmp[pa..pa + na]),
        }
        self.tmp = tmp;
        r.map(|_| ())
    }

    /// The merge loop of `merge_lo`: Ok(true) when one item of a is left
    /// (CPython's CopyB), Ok(false) when b ran out.
    #[allow(clippy::too_many_arguments)]
    fn merge_lo_inner(
        &mut self,
        v: &mut [T],
        tmp: &[T],
        dest: &mut usize,
        pa: &mut usize,
        pb: &mut usize,
        na: &mut usize,
        nb: &mut usize,
    ) -> PyResult<bool> {
        v[*dest] = v[*pb];
        *dest += 1;
        *pb += 1;
        *nb -= 1;
        if *nb == 0 {
            return Ok(false);
        }
        if *na == 1 {
            return Ok(true);
        }
        let mut min_gallop = self.min_gallop;
        loop {
            let (mut acount, mut bcount) = (0usize, 0usize);
            // One item at a time until one run wins `min_gallop` times in a row.
            loop {
                if (self.lt)(v[*pb], tmp[*pa])? {
                    v[*dest] = v[*pb];
                    *dest += 1;
                    *pb += 1;
                    bcount += 1;
                    acount = 0;
                    *nb -= 1;
                    if *nb == 0 {
                        return Ok(false);
                    }
                    if bcount >= min_gallop {
                        break;
                    }
                } else {
                    v[*dest] = tmp[*pa];
                    *dest += 1;
                    *pa += 1;
                    acount += 1;
                    bcount = 0;
                    *na -= 1;
                    if *na == 1 {
                        return Ok(true);
                    }
                    if acount >= min_gallop {
                        break;
                    }
                }
            }
            // Gallop while either run keeps winning by long stretches.
            min_gallop += 1;
            loop {
                min_gallop -= (min_gallop > 1) as usize;
                self.min_gallop = min_gallop;
                let k = self.gallop_right(v[*pb], &tmp[*pa..*pa + *na], 0)?;
                acount = k;
                if k > 0 {
                    v[*dest..*dest + k].copy_from_slice(&tmp[*pa..*pa + k]);
                    *dest += k;
                    *pa += k;
                    *na -= k;
                    if *na == 1 {
                        return Ok(true);
                    }
                    // Only with an inconsistent comparison.
                    if *na == 0 {
                        return Ok(false);
                    }
                }
                v[*dest] = v[*pb];
                *dest += 1;
                *pb += 1;
                *nb -= 1;
                if *nb == 0 {
                    return Ok(false);
                }
                let k = self.gallop_left(tmp[*pa], &v[*pb..*pb + *nb], 0)?;
                bcount = k;
                if k > 0 {
                    v.copy_within(*pb..*pb + k, *dest);
                    *dest += k;
                    *pb += k;
                    *nb -= k;
                    if *nb == 0 {
                        return Ok(false);
                    }
                }
                v[*dest] = tmp[*pa];
                *dest += 1;
                *pa += 1;
                *na -= 1;
                if *na == 1 {
                    return Ok(true);
                }
                if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                    break;
                }
            }
            // Penalise leaving galloping mode.
            min_gallop += 1;
            self.min_gallop = min_gallop;
        }
    }

    /// Merges `v[sa..sa+na]` and the `nb` items after it, right to left,
    /// with the second run in `tmp` (`na > nb`).
    fn merge_hi(&mut self, v: &mut [T], sa: usize, mut na: usize, mut nb: usize) -> PyResult<()> {
        let sb = sa + na;
        self.tmp.clear();
        self.tmp.extend_from_slice(&v[sb..sb + nb]);
        let tmp = std::mem::take(&mut self.tmp);
        // Positions of the last unmerged items (they may reach -1).
        let (mut dest, mut pa, mut pb) = ((sb + nb - 1) as isize, (sb - 1) as isize, nb as isize - 1);
        let r = self.merge_hi_inner(v, &tmp, sa, &mut dest, &mut pa, &mut pb, &mut na, &mut nb);
        match r {
            Ok(true) => {
                // What is left of a moves up; b's first item goes before it.
                let (d, p) = ((dest + 1) as usize - na, (pa + 1) as usize - na);
                v.copy_within(p..p + na, d);
                v[d - 1] = tmp[pb as usize];
            }
            _ => {
                if nb > 0 {
                    let d = (dest + 1) as usize - nb;
                    v[d..d + nb].copy_from_slice(&tmp[..nb]);
                }
            }
        }
        self.tmp = tmp;
        r.map(|_| ())
    }

    /// The merge loop of `merge_hi`: Ok(true) when one item of b is left
    /// (CPython's CopyA), Ok(false) when a ran out.
    #[allow(clippy::too_many_arguments)]
    fn merge_hi_inner(
        &mut self,
        v: &mut [T],
        tmp: &[T],
        sa: usize,
        dest: &mut isize,
        pa: &mut isize,
        pb: &mut isize,
        na: &mut usize,
        nb: &mut usize,
    ) -> PyResult<bool> {
        let at = |i: isize| i as usize;
        v[at(*dest)] = v[at(*pa)];
        *dest -= 1;
        *pa -= 1;
        *na -= 1;
        if *na == 0 {
            return Ok(false);
        }
        if *nb == 1 {
            return Ok(true);
        }
        let mut min_gallop = self.min_gallop;
        loop {
            let (mut acount, mut bcount) = (0usize, 0usize);
            loop {
                if (self.lt)(tmp[at(*pb)], v[at(*pa)])? {
                    v[at(*dest)] = v[at(*pa)];
                    *dest -= 1;
                    *pa -= 1;
                    acount += 1;
                    bcount = 0;
                    *na -= 1;
                    if *na == 0 {
                        return Ok(false);
                    }
                    if acount >= min_gallop {
                        break;
                    }
                } else {
                    v[at(*dest)] = tmp[at(*pb)];
                    *dest -= 1;
                    *pb -= 1;
                    bcount += 1;
                    acount = 0;
                    *nb -= 1;
                    if *nb == 1 {
                        return Ok(true);
                    }
                    if bcount >= min_gallop {
                        break;
                    }
                }
            }
            min_gallop += 1;
            loop {
                min_gallop -= (min_gallop > 1) as usize;
                self.min_gallop = min_gallop;
                let k = *na - self.gallop_right(tmp[at(*pb)], &v[sa..sa + *na], *na - 1)?;
                acount = k;
                if k > 0 {
                    let k = k as isize;
                    *dest -= k;
                    *pa -= k;
                    v.copy_within(at(*pa + 1)..at(*pa + 1 + k), at(*dest + 1));
                    *na -= k as usize;
                    if *na == 0 {
                        return Ok(false);
                    }
                }
                v[at(*dest)] = tmp[at(*pb)];
                *dest -= 1;
                *pb -= 1;
                *nb -= 1;
                if *nb == 1 {
                    return Ok(true);
                }
                let k = *nb - self.gallop_left(v[at(*pa)], &tmp[..*nb], *nb - 1)?;
                bcount = k;
                if k > 0 {
                    let k = k as isize;
                    *dest -= k;
                    *pb -= k;
                    v[at(*dest + 1)..at(*dest + 1 + k)].copy_from_slice(&tmp[at(*pb + 1)..at(*pb + 1 + k)]);
                    *nb -= k as usize;
                    if *nb == 1 {
                        return Ok(true);
                    }
                    // Only with an inconsistent comparison.
                    if *nb == 0 {
                        return Ok(false);
                    }
                }
                v[at(*dest)] = v[at(*pa)];
                *dest -= 1;
                *pa -= 1;
                *na -= 1;
                if *na == 0 {
                    return Ok(false);
                }
                if acount < MIN_GALLOP && bcount < MIN_GALLOP {
                    break;
                }
            }
            min_gallop += 1;
            self.min_gallop = min_gallop;
        }
    }
}

/// Sorts `items` in place by `key` (None = identity) with Python semantics.
/// When the key function fails `items` is left as it was; when a comparison
/// fails, as far as the sort got.
///
/// The sort orders a permutation (`u32` positions, so the scratch memory is
/// small) and then applies it to `items` in place. Keys of one builtin kind
/// (ints, floats, exact strs, exact tuples) compare natively; only what may
/// run Python code goes through `tim_sort` with the generic comparison.
pub fn sort_values(vm: &Vm, items: &mut Vec<Value>, key: Option<&Value>, reverse: bool) -> PyResult<()> {
    // CPython calls the key even for a single item (a bad key still raises).
    if items.len() < 2 && (key.is_none() || items.is_empty()) {
        return Ok(());
    }
    if u32::try_from(items.len()).is_err() {
        return Err(vm.new_memory_error());
    }
    let computed: Option<Vec<Value>> = match key {
        Some(f) => {
            let mut ks = Vec::with_capacity(items.len());
            for x in items.iter() {
                ks.push(vm.call(f, Args::new(std::slice::from_ref(x)))?);
            }
            Some(ks)
        }
        None => None,
    };
    if items.len() < 2 {
        return Ok(());
    }
    // Without a key function the items are their own keys: the list is
    // emptied while it is sorted, so nothing else can change them.
    let keys: &[Value] = computed.as_deref().unwrap_or(items);
    let n = keys.len() as u32;
    // Reverse before and after a stable sort keeps equal items in their
    // original order under reverse=True, as CPython does.
    let mut perm: Vec<u32> = if reverse { (0..n).rev().collect() } else { (0..n).collect() };
    let r = sort_perm(vm, keys, &mut perm);
    drop(computed);
    // A failed comparison leaves the items as far as the sort got (still a
    // permutation), as CPython does.
    if reverse {
        perm.reverse();
    }
    apply_permutation(items, &mut perm);
    r
}

/// Sorts `perm` (positions into `keys`) stably by the keys.
fn sort_perm(vm: &Vm, keys: &[Value], perm: &mut [u32]) -> PyResult<()> {
    let first = &keys[0];
    if matches!(first, Value::Int(_)) {
        if let Some(ints) = keys.iter().map(|k| if let Value::Int(i) = k { Some(*i) } else { None }).collect::<Option<Vec<i64>>>() {
            // No Python code can run: any correct stable sort gives CPython's order.
            sort_native(perm, |i| ints[i as usize]);
            return Ok(());
        }
    }
    if crate::types::str::exact_str(vm, first).is_some() {
        if let Some(strs) = keys.iter().map(|k| crate::types::str::exact_str(vm, k)).collect::<Option<Vec<&str>>>() {
            // Code-point order is UTF-8 byte order.
            sort_native(perm, |i| strs[i as usize]);
            return Ok(());
        }
    }
    if matches!(first, Value::Float(_)) {
        if let Some(fs) = keys.iter().map(|k| if let Value::Float(f) = k { Some(*f) } else { None }).collect::<Option<Vec<f64>>>() {
            // NaNs compare false: the same algorithm as CPython's puts them
            // where CPython does.
            return tim_sort(perm, &mut |a: u32, b: u32| Ok(fs[a as usize] < fs[b as usize]));
        }
    }
    if tuple::exact_items(vm, first).is_some() {
        if let Some(tuples) = keys.iter().map(|k| tuple::exact_items(vm, k)).collect::<Option<Vec<&[Value]>>>() {
            // Sorting by several fields: compared item by item here, the
            // same `==`/`<` calls on the items as the tuples' `__lt__` makes.
            return tim_sort(perm, &mut |a: u32, b: u32| {
                tuple::items_compare_bool(vm, tuples[a as usize], tuples[b as usize], CmpOp::Lt)
            });
        }
    }
    tim_sort(perm, &mut |a: u32, b: u32| tuple::compare_bool(vm, &keys[a as usize], &keys[b as usize], CmpOp::Lt))
}

/// Stable sort of `perm` by a totally ordered native key: (key, position)
/// pairs are unique, so an unstable sort of them is stable for the keys.
fn sort_native<K: Ord + Copy>(perm: &mut [u32], key: impl Fn(u32) -> K) {
    let mut pairs: Vec<(K, u32)> = perm.iter().enumerate().map(|(pos, &i)| (key(i), pos as u32)).collect();
    pairs.sort_unstable();
    let old: Vec<u32> = perm.to_vec();
    for (slot, (_, pos)) in perm.iter_mut().zip(pairs) {
        *slot = old[pos as usize];
    }
}

/// Rearranges `items` so that position `i` holds the old `items[perm[i]]`,
/// following the permutation's cycles with swaps (no second buffer);
/// `perm` is used up.
fn apply_permutation(items: &mut [Value], perm: &mut [u32]) {
    for i in 0..perm.len() {
        let mut j = i;
        loop {
            let k = perm[j] as usize;
            perm[j] = j as u32;
            if k == i || k >= items.len() {
                break;
            }
            items.swap(j, k);
            j = k;
        }
    }
}

impl Vm {
    /// `list.sort(key=key, reverse=reverse)` on a list value.
    pub fn list_sort(&self, list: &Value, key: Option<&Value>, reverse: bool) -> PyResult<()> {
        let cell = match list.payload().and_then(|p| p.as_list()) {
            Some(c) => c,
            None => return Err(self.new_type_error("list_sort on a non-list")),
        };
        // Empty the list while sorting (a fresh Vec has no capacity: any push
        // by Python code during the sort shows up as capacity).
        let mut items = cell.borrow_mut().take_vec();
        let r = sort_values(self, &mut items, key, reverse);
        let during = cell.borrow_mut().replace_all(items);
        let modified = during.capacity() != 0;
        drop(during);
        r?;
        if modified {
            return Err(self.new_value_error("list modified during sort"));
        }
        Ok(())
    }
}

/// `list.sort(*, key=None, reverse=False)`.
pub fn l_sort(vm: &Vm, args: Args) -> PyResult {
    let s = match args.args.first() {
        Some(s) => s,
        None => return Err(vm.new_type_error("unbound method list.sort() needs an argument")),
    };
    if args.positional().len() > 1 {
        return Err(vm.new_type_error("sort() takes no positional arguments"));
    }
    let mut key = None;
    let mut reverse = false;
    for (k, v) in args.keywords() {
        match vm.as_str(k).unwrap_or("") {
            "key" => {
                if !v.is_none() {
                    key = Some(v.clone());
                }
            }
            "reverse" => {
                reverse = match v {
                    Value::Bool(b) => *b,
                    Value::Int(i) => *i != 0,
                    Value::Float(_) => {
                        return Err(vm.new_type_error("'float' object cannot be interpreted as an integer"))
                    }
                    _ => match vm.index(v)? {
                        Value::Int(i) => i != 0,
                        _ => return Err(vm.new_overflow_error("Python int too large to convert to C int")),
                    },
                };
            }
            other => {
                return Err(vm.new_type_error(format!("'{other}' is an invalid keyword argument for sort()")));
            }
        }
    }
    vm.list_sort(s, key.as_ref(), reverse)?;
    Ok(Value::None)
}

#[cfg(test)]
mod tests {
    use super::tim_sort;

    fn check(mut v: Vec<(i32, usize)>) {
        tim_sort(&mut v, &mut |a: (i32, usize), b: (i32, usize)| Ok(a.0 < b.0)).unwrap();
        for w in v.windows(2) {
            assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1));
        }
    }

    #[test]
    fn stable_and_sorted() {
        for n in [0usize, 1, 2, 3, 17, 64, 65, 1000, 5000] {
            check((0..n).map(|i| (((i * 7919) % 13) as i32, i)).collect());
            check((0..n).map(|i| ((i * 2654435761usize % 1000) as i32, i)).collect());
            check((0..n).map(|i| (-(i as i32) / 3, i)).collect());
            check((0..n).map(|i| (((i / 50) % 2) as i32 * (i as i32), i)).collect());
        }
    }
}
