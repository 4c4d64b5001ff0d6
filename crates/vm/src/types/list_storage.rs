//! The item storage of a `list`: a `Vec<Value>` with a movable front.
//!
//! Python code uses lists as queues (`l.append(x)` ... `l.pop(0)`), which on a
//! plain Vec moves every remaining item on each pop. Here the live items are
//! `buf[head..]`; removing at the front only advances `head`, leaving an
//! unboxed `Value::None` behind (it owns nothing, so dead slots never hold an
//! object alive). The dead front is squeezed out with one memmove once it is
//! larger than the live part, so each front removal costs O(1) amortized, and
//! `insert(0, x)` reuses a dead slot when there is one.
//!
//! Readers see only the live items: the type derefs to `[Value]`.

use crate::value::Value;
use std::ops::{Deref, DerefMut};

#[derive(Default)]
pub struct ListStorage {
    /// `buf[..head]` are dead slots (all `Value::None`); `buf[head..]` are the items.
    buf: Vec<Value>,
    head: usize,
}

impl From<Vec<Value>> for ListStorage {
    #[inline]
    fn from(buf: Vec<Value>) -> Self {
        ListStorage { buf, head: 0 }
    }
}

impl Deref for ListStorage {
    type Target = [Value];
    #[inline]
    fn deref(&self) -> &[Value] {
        &self.buf[self.head..]
    }
}

impl DerefMut for ListStorage {
    #[inline]
    fn deref_mut(&mut self) -> &mut [Value] {
        &mut self.buf[self.head..]
    }
}

impl Extend<Value> for ListStorage {
    fn extend<I: IntoIterator<Item = Value>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        self.buf.extend(iter);
    }
}

impl std::fmt::Debug for ListStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl ListStorage {
    pub const fn new() -> Self {
        ListStorage { buf: Vec::new(), head: 0 }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.buf.len() - self.head
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.buf.len() == self.head
    }

    /// Bytes of the item buffer, dead front slots and spare capacity included
    /// (what is really allocated, for `sys.getsizeof`).
    pub fn allocated_bytes(&self) -> usize {
        self.buf.capacity() * std::mem::size_of::<Value>()
    }

    /// The items as a plain Vec, without copying them.
    pub fn into_vec(mut self) -> Vec<Value> {
        self.compact();
        self.buf
    }

    /// Takes all items out, leaving the list empty (and unallocated).
    pub fn take_vec(&mut self) -> Vec<Value> {
        std::mem::take(self).into_vec()
    }

    /// Replaces all items (the old ones are returned, to be dropped by the
    /// caller once the list is no longer borrowed).
    pub fn replace_all(&mut self, items: Vec<Value>) -> Vec<Value> {
        std::mem::replace(self, items.into()).into_vec()
    }

    /// Moves the live items to the start of the buffer (one memmove).
    fn compact(&mut self) {
        if self.head > 0 {
            // The drained slots are all `Value::None`: dropping them is free.
            self.buf.drain(..self.head);
            self.head = 0;
        }
    }

    /// Restores the bound on the dead front after items left the front.
    fn after_front_removal(&mut self) {
        if self.is_empty() {
            self.buf.clear();
            self.head = 0;
        } else if self.head > self.len() {
            // The memmove moves fewer items than the pops since the last
            // compaction, so front removal stays O(1) amortized.
            self.compact();
        }
    }

    /// Room for `additional` more items at the back. A full buffer with a
    /// large dead front is compacted instead of grown.
    pub fn reserve(&mut self, additional: usize) {
        if self.buf.capacity() - self.buf.len() >= additional {
            return;
        }
        // Compacting moves the live items once; it pays off when it frees
        // enough room and the dead front is large next to them (so it is
        // repaid by the front removals that made it).
        if self.head >= additional && self.head * 2 >= self.len() {
            self.compact();
            return;
        }
        self.buf.reserve(additional);
    }

    #[inline]
    pub fn push(&mut self, x: Value) {
        if self.buf.len() == self.buf.capacity() {
            self.reserve(1);
        }
        self.buf.push(x);
    }

    pub fn extend_from_slice(&mut self, items: &[Value]) {
        self.reserve(items.len());
        self.buf.extend_from_slice(items);
    }

    /// Removes and returns the last item.
    pub fn pop(&mut self) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        let x = self.buf.pop();
        if self.is_empty() {
            self.buf.clear();
            self.head = 0;
        }
        x
    }

    /// Removes and returns item `i`, or None when `i` is out of range. Items in
    /// the front half move towards the back, so small `i` is cheap.
    pub fn remove(&mut self, i: usize) -> Option<Value> {
        let n = self.len();
        if i >= n {
            return None;
        }
        if i < n / 2 || i == 0 {
            let h = self.head;
            // Brings item i to the front, shifting the i items before it back one.
            self.buf[h..=h + i].rotate_right(1);
            let x = std::mem::replace(&mut self.buf[h], Value::None);
            self.head += 1;
            self.after_front_removal();
            Some(x)
        } else {
            let x = self.buf.remove(self.head + i);
            if self.is_empty() {
                self.buf.clear();
                self.head = 0;
            }
            Some(x)
        }
    }

    /// Inserts `x` before item `i` (`i` past the end appends). Uses a dead
    /// front slot when one exists and `i` is in the front half.
    pub fn insert(&mut self, i: usize, x: Value) {
        let n = self.len();
        let i = i.min(n);
        if self.head > 0 && i <= n / 2 {
            self.head -= 1;
            let h = self.head;
            self.buf[h] = x;
            // Moves x past the i items that now precede it.
            self.buf[h..=h + i].rotate_left(1);
            return;
        }
        self.reserve(1);
        self.buf.insert(self.head + i, x);
    }

    /// Replaces items `lo..hi` with `items` (indices clamped to the list) and
    /// returns the replaced items in order. Equal lengths are swapped in place;
    /// a change of length at the front moves `head` instead of the rest.
    pub fn replace_range(&mut self, lo: usize, hi: usize, items: Vec<Value>) -> Vec<Value> {
        let hi = hi.min(self.len());
        let lo = lo.min(hi);
        let old_n = hi - lo;
        let new_n = items.len();
        let mut removed = Vec::with_capacity(old_n);
        if new_n == old_n {
            for (slot, x) in self.buf[self.head + lo..self.head + hi].iter_mut().zip(items) {
                removed.push(std::mem::replace(slot, x));
            }
        } else if lo == 0 && new_n < old_n {
            // Shrinking at the front: the first `gone` slots die, the rest take the new items.
            let gone = old_n - new_n;
            let h = self.head;
            for slot in &mut self.buf[h..h + gone] {
                removed.push(std::mem::replace(slot, Value::None));
            }
            for (slot, x) in self.buf[h + gone..h + old_n].iter_mut().zip(items) {
                removed.push(std::mem::replace(slot, x));
            }
            self.head += gone;
            self.after_front_removal();
        } else if lo == 0 && new_n - old_n <= self.head {
            // Growing at the front into dead slots (which hold only `Value::None`).
            self.head -= new_n - old_n;
            let grown = new_n - old_n;
            let h = self.head;
            for (k, (slot, x)) in self.buf[h..h + new_n].iter_mut().zip(items).enumerate() {
                let old = std::mem::replace(slot, x);
                if k >= grown {
                    removed.push(old);
                }
            }
        } else {
            if new_n > old_n {
                self.reserve(new_n - old_n);
            }
            let h = self.head;
            removed.extend(self.buf.splice(h + lo..h + hi, items));
            if self.is_empty() {
                self.buf.clear();
                self.head = 0;
            }
        }
        removed
    }

    /// Removes the items whose index `doomed` picks, returning them in order.
    pub fn remove_where(&mut self, mut doomed: impl FnMut(usize) -> bool) -> Vec<Value> {
        let old = self.take_vec();
        let mut kept = Vec::with_capacity(old.len());
        let mut gone = Vec::new();
        for (i, x) in old.into_iter().enumerate() {
            if doomed(i) {
                gone.push(x);
            } else {
                kept.push(x);
            }
        }
        self.buf = kept;
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(s: &ListStorage) -> Vec<i64> {
        s.iter()
            .map(|v| match v {
                Value::Int(i) => *i,
                _ => panic!("not an int"),
            })
            .collect()
    }

    fn of(n: i64) -> ListStorage {
        (0..n).map(Value::Int).collect::<Vec<_>>().into()
    }

    fn dead_front_is_none(s: &ListStorage) -> bool {
        s.buf[..s.head].iter().all(|v| matches!(v, Value::None))
    }

    #[test]
    fn pop_front_is_cheap_and_ordered() {
        let mut s = of(10);
        let mut out = Vec::new();
        while let Some(Value::Int(i)) = s.remove(0) {
            out.push(i);
            assert!(dead_front_is_none(&s));
            assert!(s.head <= s.len() || s.is_empty());
        }
        assert_eq!(out, (0..10).collect::<Vec<_>>());
        assert!(s.is_empty() && s.head == 0);
    }

    #[test]
    fn queue_keeps_buffer_bounded() {
        let mut s = ListStorage::new();
        for i in 0..1000 {
            s.push(Value::Int(i));
        }
        for i in 1000..100_000 {
            s.push(Value::Int(i));
            assert!(matches!(s.remove(0), Some(Value::Int(j)) if j == i - 1000));
        }
        assert_eq!(s.len(), 1000);
        assert!(s.buf.capacity() <= 4 * 1000 + 16);
        assert_eq!(ints(&s), (99_000..100_000).collect::<Vec<_>>());
    }

    #[test]
    fn insert_uses_dead_front() {
        let mut s = of(6);
        s.remove(0);
        s.remove(0);
        let cap = s.buf.capacity();
        s.insert(0, Value::Int(100));
        s.insert(1, Value::Int(101));
        assert_eq!(ints(&s), vec![100, 101, 2, 3, 4, 5]);
        assert_eq!(s.buf.capacity(), cap);
        s.insert(99, Value::Int(7));
        s.insert(3, Value::Int(8));
        assert_eq!(ints(&s), vec![100, 101, 2, 8, 3, 4, 5, 7]);
    }

    #[test]
    fn remove_anywhere() {
        for i in 0..7 {
            let mut s = of(7);
            s.remove(0);
            assert!(matches!(s.remove(i), Some(Value::Int(j)) if j == i as i64 + 1) || i == 6);
            let mut want: Vec<i64> = (1..7).collect();
            if i < 6 {
                want.remove(i);
            }
            assert_eq!(ints(&s), want);
            assert!(dead_front_is_none(&s));
        }
        assert!(of(3).remove(3).is_none());
    }

    #[test]
    fn pop_back() {
        let mut s = of(3);
        s.remove(0);
        assert!(matches!(s.pop(), Some(Value::Int(2))));
        assert_eq!(ints(&s), vec![1]);
        s.pop();
        assert!(s.pop().is_none());
        assert_eq!(s.head, 0);
    }

    #[test]
    fn replace_range_cases() {
        let vals = |v: &[i64]| v.iter().map(|&i| Value::Int(i)).collect::<Vec<_>>();
        // Equal length, in place.
        let mut s = of(5);
        let r = s.replace_range(1, 3, vals(&[10, 11]));
        assert_eq!(r.len(), 2);
        assert_eq!(ints(&s), vec![0, 10, 11, 3, 4]);
        // Shrink at the front.
        let mut s = of(8);
        let r = s.replace_range(0, 3, vals(&[20]));
        assert_eq!(ints(&r.into()), vec![0, 1, 2]);
        assert_eq!(ints(&s), vec![20, 3, 4, 5, 6, 7]);
        assert!(dead_front_is_none(&s));
        // Grow at the front into dead slots.
        let r = s.replace_range(0, 1, vals(&[30, 31, 32]));
        assert_eq!(ints(&r.into()), vec![20]);
        assert_eq!(ints(&s), vec![30, 31, 32, 3, 4, 5, 6, 7]);
        // Grow at the front with no room, and in the middle.
        let r = s.replace_range(0, 0, vals(&[1, 2, 3, 4, 5]));
        assert!(r.is_empty());
        let r = s.replace_range(7, 8, vals(&[]));
        assert_eq!(ints(&r.into()), vec![32]);
        assert_eq!(ints(&s), vec![1, 2, 3, 4, 5, 30, 31, 3, 4, 5, 6, 7]);
        // Clamped bounds and removing everything.
        let r = s.replace_range(5, 100, vals(&[]));
        assert_eq!(r.len(), 7);
        let r = s.replace_range(0, 100, vals(&[]));
        assert_eq!(r.len(), 5);
        assert!(s.is_empty() && s.head == 0);
    }

    #[test]
    fn compaction_and_take() {
        let mut s = of(100);
        for _ in 0..60 {
            s.remove(0);
        }
        assert!(s.head <= s.len());
        let v = s.take_vec();
        assert_eq!(v.len(), 40);
        assert!(s.is_empty());
        let mut s = of(4);
        s.remove(0);
        let old = s.replace_all(vec![Value::Int(9)]);
        assert_eq!(ints(&old.into()), vec![1, 2, 3]);
        assert_eq!(ints(&s), vec![9]);
    }

    #[test]
    fn remove_where_and_extend() {
        let mut s = of(6);
        s.remove(0);
        let gone = s.remove_where(|i| i % 2 == 0);
        assert_eq!(ints(&gone.into()), vec![1, 3, 5]);
        assert_eq!(ints(&s), vec![2, 4]);
        s.extend(vec![Value::Int(6)]);
        s.extend_from_slice(&[Value::Int(7)]);
        assert_eq!(ints(&s), vec![2, 4, 6, 7]);
        assert!(s.allocated_bytes() >= 4 * std::mem::size_of::<Value>());
    }
}
