//! The dispatch loop. One call of [`run`] executes an entry frame (a function
//! called from native code, a module body, or a resumed generator) together
//! with every Python function it calls: a Python-to-Python call pushes a new
//! frame onto a local chain and continues in the same loop, and a return pops
//! it, so Python recursion does not consume the Rust stack.
//!
//! Exceptions use the code's exception table (zero-cost until raised): the
//! faulting frame gets a traceback entry, then the innermost handler covering
//! the instruction receives control with the value stack cut back to the
//! handler's depth; frames without a handler are popped and the caller's `Call`
//! becomes the faulting instruction.

use crate::eval::call_bind::{prepare_call, Prepared};
use crate::eval::frame::{is_null, null, pycode, Frame, FrameRef, InlineMode, Spares};
use crate::eval::quick_ops::{compare_quick, decode_at, next_arg, quick_binop};
pub(crate) use crate::eval::value_stack::push_value;
use crate::eval::value_stack::push_inline;
use crate::eval::value_stack::pop_value;
use crate::eval::{ops, unwind};
use crate::object::PyRef;
use crate::payload::Payload;
use crate::types::code::PyCode;
use crate::value::Value;
use crate::{Args, PyErr, PyResult, Vm};
use krait_compiler::bytecode::{BinOp, CmpOp, Instr, Opcode};
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

/// How the entry frame stopped.
pub enum Exit {
    Return(Value),
    /// A generator frame suspended at `yield` (its `pc` is saved).
    Yield(Value),
}

/// The RecursionError CPython raises at the limit.
fn recursion_error(vm: &Vm) -> PyErr {
    vm.new_recursion_error("maximum recursion depth exceeded")
}

/// Counts one more Python frame against the recursion limit.
#[inline]
fn enter_depth(vm: &Vm) -> PyResult<()> {
    let d = vm.recursion_depth.get() + 1;
    if d > vm.recursion_limit.get() {
        return Err(recursion_error(vm));
    }
    vm.recursion_depth.set(d);
    Ok(())
}

#[inline]
fn leave_depth(vm: &Vm) {
    vm.recursion_depth.set(vm.recursion_depth.get().saturating_sub(1));
}

/// Is the native stack nearly exhausted? (The CLI sets `vm.stack_limit`.)
#[inline]
pub(crate) fn native_stack_low(vm: &Vm) -> bool {
    let marker = 0u8;
    let here = &marker as *const u8 as usize;
    here < vm.stack_limit.get()
}

/// Runs `entry` (whose arguments are bound and whose `pc` says where to
/// start) until it returns or yields. With `throw`, the frame starts by
/// raising that exception at its current position (generator `throw`).
pub fn run(vm: &Vm, entry: &mut Frame, throw: Option<PyErr>) -> PyResult<Exit> {
    if native_stack_low(vm) {
        return Err(recursion_error(vm));
    }
    enter_depth(vm)?;
    let entry_p: *mut Frame = entry;
    vm.frames.borrow_mut().push(FrameRef(NonNull::from(unsafe_ref(entry_p))));
    let r = run_inner(vm, entry_p, throw);
    vm.frames.borrow_mut().pop();
    leave_depth(vm);
    r
}

#[inline(always)]
fn unsafe_ref<'a>(p: *mut Frame) -> &'a mut Frame {
    // SAFETY: every frame pointer in the loop points to a live boxed frame (the
    // entry frame owned by our caller, or a frame in the local chain), and the
    // loop is the only code that mutates a running frame.
    unsafe { &mut *p }
}

/// The Python method the eval loop may run itself for `lhs <op> rhs`, as a
/// plain function of two parameters (and, for an augmented operator, with no
/// in-place method in the way):
/// - both plain instances (no builtin base) of one heap class: its method;
///   with one class there is no reflected method to try;
/// - a plain instance and an unboxed int or float: the instance's forward
///   method (instance on the left) or reflected one (on the right). The
///   number's own method declines any instance, and int and float are no
///   subclasses of a heap class, so nothing else is tried either.
/// So only a NotImplemented result needs handling (see `Frame::dunder`).
/// Gives (function, its code, the class of `lhs`, that of `rhs` when it
/// differs, whether the method takes the operands swapped).
fn inline_binop_target(
    vm: &Vm,
    lhs: &Value,
    rhs: &Value,
    bop: BinOp,
) -> Option<(PyRef, *const PyCode, PyRef, Option<PyRef>, bool)> {
    let plain = |x: &PyRef| matches!(&x.payload, Payload::Instance(d) if d.base.is_none());
    let (slot, rslot, islot) = crate::protocol::ops::binop_slots(bop);
    let (inst, other_cls, swapped) = match (lhs, rhs) {
        (Value::Obj(x), Value::Obj(y)) if x.class().is(y.class()) && plain(x) => (x, None, false),
        (Value::Obj(x), Value::Int(_)) if plain(x) => (x, Some(&vm.types.int), false),
        (Value::Obj(x), Value::Float(_)) if plain(x) => (x, Some(&vm.types.float), false),
        (Value::Int(_), Value::Obj(y)) if plain(y) => (y, Some(&vm.types.int), true),
        (Value::Float(_), Value::Obj(y)) if plain(y) => (y, Some(&vm.types.float), true),
        _ => return None,
    };
    let cls = inst.class();
    let td = cls.payload.as_type()?;
    if bop.is_inplace() && !swapped && td.has_slot(islot) {
        return None;
    }
    let Some(Value::Obj(func)) = td.slot(if swapped { rslot } else { slot }) else { return None };
    let Payload::Function(fd) = &func.payload else { return None };
    let fcode = pycode(&fd.code);
    if !fcode.simple_args || fcode.code.argcount != 2 {
        return None;
    }
    let fcode = fcode as *const PyCode;
    Some(if swapped {
        (func, fcode, other_cls?.clone(), Some(cls.clone()), true)
    } else {
        (func, fcode, cls.clone(), other_cls.cloned(), false)
    })
}

/// Where the loop is: the current frame, its code and its instructions.
struct Cur {
    fp: *mut Frame,
    code: *const PyCode,
}

impl Cur {
    #[inline(always)]
    fn new(fp: *mut Frame) -> Cur {
        Cur { fp, code: unsafe_ref(fp).pycode }
    }
}

fn run_inner(vm: &Vm, entry_p: *mut Frame, throw: Option<PyErr>) -> PyResult<Exit> {
    let mut chain: Vec<Box<Frame>> = Vec::new();
    // Finished frames kept for the next calls (handed to the pool at the end).
    let mut spares = Spares::new();
    let mut cur = Cur::new(entry_p);
    let nul = null();
    let mut pc: usize = unsafe_ref(entry_p).pc as usize;
    // The `KwNames` operand for the next `Call` (a const index), if any.
    let mut kwnames: Option<u32> = None;
    let mut pending: Option<PyErr> = throw;
    // Set when the pending error must not get a traceback entry (re-raise).
    // A thrown-in exception does get one, at the suspended `yield`.
    let mut reraise = false;
    // `Reraise` with a saved lasti: the handler is still looked up at the
    // `Reraise` itself (CPython's rule), while `f.lasti` shows the original line.
    let mut lookup_at: Option<u32> = None;
    if pending.is_some() {
        // A thrown-in exception appears at the suspended `yield`.
        unsafe_ref(entry_p).lasti = (pc as u32).saturating_sub(1);
    }

    macro_rules! f {
        () => {
            unsafe_ref(cur.fp)
        };
    }
    // Makes the frame now on top of the chain (the entry frame when the
    // chain is empty) the running one, after a frame above it finished.
    macro_rules! resume_caller {
        () => {{
            let fp: *mut Frame = match chain.last_mut() {
                Some(b) => &mut **b,
                None => entry_p,
            };
            cur = Cur::new(fp);
        }};
    }
    macro_rules! code {
        () => {
            // SAFETY: the current frame holds its code object alive.
            unsafe { &*cur.code }
        };
    }

    'outer: loop {
        let exc: PyErr = match pending.take() {
            Some(e) => e,
            None => 'err: loop {
                // Fetch.
                let f = f!();
                let code = code!();
                let instrs: &[Instr] = &code.quick;
                let Some(&instr) = instrs.get(pc) else {
                    break 'err vm.new_system_error("instruction index out of range");
                };
                f.lasti = pc as u32;
                pc += 1;
                let mut arg = instr.arg();
                let mut op = instr.op_byte();
                while op == Opcode::ExtendedArg as u8 {
                    let Some(&next) = instrs.get(pc) else {
                        break 'err vm.new_system_error("dangling EXTENDED_ARG");
                    };
                    pc += 1;
                    arg = (arg << Instr::ARG_BITS) | next.arg();
                    op = next.op_byte();
                }
                // SAFETY: `Opcode` is `repr(u8)` and every operation byte of
                // a quickened copy is one of its values (`quicken`).
                let op: Opcode = unsafe { std::mem::transmute::<u8, Opcode>(op) };

                macro_rules! tri {
                    ($e:expr) => {
                        match $e {
                            Ok(v) => v,
                            Err(e) => break 'err e,
                        }
                    };
                }
                macro_rules! push {
                    ($v:expr) => {
                        push_value(&mut f.slots, $v)
                    };
                }
                macro_rules! pop {
                    () => {
                        pop_value(&mut f.slots)
                    };
                }
                macro_rules! top {
                    () => {
                        f.slots.last().cloned().unwrap_or(Value::None)
                    };
                }
                macro_rules! peek {
                    ($n:expr) => {
                        f.slots.get(f.slots.len().wrapping_sub($n)).cloned().unwrap_or(Value::None)
                    };
                }
                macro_rules! popn {
                    ($n:expr) => {{
                        let n = ($n as usize).min(f.slots.len().saturating_sub(f.nlocalsplus as usize));
                        let at = f.slots.len() - n;
                        f.slots.split_off(at)
                    }};
                }
                macro_rules! name {
                    ($i:expr) => {
                        match code.names.get($i as usize) {
                            Some(n) => n,
                            None => break 'err vm.new_system_error("name index out of range"),
                        }
                    };
                }
                // Makes `new` (already counted by `enter_depth`) the running
                // frame, starting at `start` (by default past a function's
                // opening RESUME, which does nothing here): the caller
                // resumes at `pc` when it returns.
                macro_rules! enter_frame {
                    ($new:expr) => {{
                        let new = $new;
                        let start = new.code().start as usize;
                        enter_frame!(new, start);
                    }};
                    ($new:expr, $start:expr) => {{
                        let start: usize = $start;
                        f.pc = pc as u32;
                        let mut boxed: Box<Frame> = $new;
                        let nf: *mut Frame = &mut *boxed;
                        push_inline(&mut chain, boxed);
                        push_inline(&mut vm.frames.borrow_mut(), FrameRef(NonNull::from(unsafe_ref(nf))));
                        cur = Cur::new(nf);
                        pc = start;
                    }};
                }
                // A quickened `LOAD_FAST ...` whose fast case did not apply:
                // only its LOAD_FAST runs; the rest follow as plain instructions.
                macro_rules! plain_load_fast {
                    () => {{
                        let a = f.slots[arg as usize].clone();
                        if is_null(&a, &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        push!(a);
                    }};
                }
                // The outcome `b` of a comparison: a conditional jump right
                // after it (the common `if a < b:`) is taken at once instead
                // of pushing a bool for it to pop.
                macro_rules! branch_or_push {
                    ($b:expr) => {{
                        let b: bool = $b;
                        match instrs.get(pc).map(|i| (i.op_byte(), i.arg())) {
                            Some((o, target)) if o == Opcode::PopJumpIfFalse as u8 => {
                                pc = if b { pc + 1 } else { target as usize };
                            }
                            Some((o, target)) if o == Opcode::PopJumpIfTrue as u8 => {
                                pc = if b { target as usize } else { pc + 1 };
                            }
                            _ => push!(Value::Bool(b)),
                        }
                    }};
                }
                // Returns `v` from the running frame: to its caller in the
                // chain, or out of the loop for the entry frame.
                macro_rules! do_return {
                    ($v:expr) => {{
                        let v: Value = $v;
                        match chain.pop() {
                            None => {
                                f.pc = pc as u32;
                                return Ok(Exit::Return(v));
                            }
                            Some(done)
                                if done.init_self.is_none() & done.dunder.is_none() & done.inline_gen.is_none() =>
                            {
                                // A plain call's frame: back to the caller.
                                vm.frames.borrow_mut().pop();
                                leave_depth(vm);
                                spares.put(done);
                                resume_caller!();
                                let f = f!();
                                pc = f.pc as usize;
                                push_value(&mut f.slots, v);
                            }
                            Some(mut done) => {
                                vm.frames.borrow_mut().pop();
                                leave_depth(vm);
                                let init_self = done.init_self.take();
                                let dunder = done.dunder.take();
                                let inline_gen = done.inline_gen.take();
                                let inline_mode = done.inline_mode;
                                match &inline_gen {
                                    Some(g) => {
                                        if let Some(done) = crate::eval::generator::suspend_inline(vm, g, done, true) {
                                            Frame::recycle(done);
                                        }
                                    }
                                    None => spares.put(done),
                                }
                                resume_caller!();
                                let f = f!();
                                if inline_gen.is_some() {
                                    match inline_mode {
                                        // `send()` reports the return value as
                                        // StopIteration, raised at its call.
                                        InlineMode::SendCall => {
                                            break 'err crate::eval::generator::stop_iteration_for(vm, v)
                                        }
                                        // The generator is finished: its FOR_ITER
                                        // runs again and ends the loop.
                                        InlineMode::ForIter => {
                                            drop(v);
                                            pc = f.lasti as usize;
                                        }
                                        // `yield from` is done: its value replaces
                                        // the iterator and SEND jumps on.
                                        InlineMode::YieldFrom => {
                                            let code = code!();
                                            let (_, target, _) = decode_at(&code.quick, f.lasti as usize);
                                            drop(pop_value(&mut f.slots));
                                            push_value(&mut f.slots, v);
                                            pc = target as usize;
                                        }
                                    }
                                    continue;
                                }
                                pc = f.pc as usize;
                                if let Some((lcls, rcls, bop)) = dunder {
                                    // The only method that could apply declined.
                                    if vm.is_not_implemented(&v) {
                                        let l = vm.type_name(&lcls);
                                        let r = rcls.map_or_else(|| l.clone(), |c| vm.type_name(&c));
                                        break 'err vm.unsupported_operands(bop, &l, &r, "");
                                    }
                                }
                                match init_self {
                                    None => push_value(&mut f.slots, v),
                                    Some(obj) => {
                                        if !v.is_none() {
                                            break 'err vm.new_type_error(format!(
                                                "__init__() should return None, not '{}'",
                                                vm.type_name_of(&v)
                                            ));
                                        }
                                        push_value(&mut f.slots, obj);
                                    }
                                }
                            }
                        }
                    }};
                }
                // Checked at backward jumps, at RESUME (calls of Python
                // functions) and after calls that ran outside this loop, not
                // before the inline call: an error edge there costs every
                // call about 1%.
                macro_rules! breaker {
                    (may_raise) => {
                        if vm.eval_breaker.load(Ordering::Relaxed) {
                            tri!(vm.handle_eval_breaker());
                        }
                    };
                }

                match op {
                    // A generator starts after its ReturnGenerator (see
                    // `generator::new_generator`), so it is a no-op here.
                    Opcode::Nop | Opcode::ReturnGenerator | Opcode::ExtendedArg => {}
                    // A function's first instruction: the breaker check of
                    // calls (CPython's RESUME), in the callee's frame.
                    Opcode::Resume => {
                        breaker!(may_raise);
                    }
                    // The async generator machinery tells a real `yield` from an
                    // `await`'s by the `Resume` operand after `YieldValue` (1 vs 3),
                    // so the value needs no wrapper object.
                    Opcode::AsyncGenWrap => {}
                    Opcode::PopTop => {
                        drop(pop!());
                    }
                    Opcode::Copy => {
                        let v = peek!(arg as usize);
                        push!(v);
                    }
                    Opcode::Swap => {
                        let n = f.slots.len();
                        let a = arg as usize;
                        if a >= 1 && a <= n {
                            f.slots.swap(n - 1, n - a);
                        }
                    }
                    Opcode::PushNull => push!(nul.clone()),
                    Opcode::LoadConst => {
                        let v = code.consts.get(arg as usize).cloned().unwrap_or(Value::None);
                        push!(v);
                    }
                    Opcode::LoadFast => {
                        let v = f.slots[arg as usize].clone();
                        if is_null(&v, &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        push!(v);
                    }
                    Opcode::StoreFast => {
                        let v = pop!();
                        let old = std::mem::replace(&mut f.slots[arg as usize], v);
                        drop(old);
                    }

                    // Quickened sequences (eval/quicken.rs): `next!(k)` is the
                    // operand of the k-th instruction after this one, which
                    // quickening guarantees has the expected opcode. When the
                    // fast case does not apply, only this first instruction
                    // runs, as its plain form, and the rest follow normally.
                    Opcode::LoadFastLoadFast | Opcode::LoadFastLoadConst => {
                        let a = f.slots[arg as usize].clone();
                        if is_null(&a, &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        let b_arg = next_arg(instrs, pc);
                        let b = if op == Opcode::LoadFastLoadFast {
                            f.slots.get(b_arg).cloned().filter(|b| !is_null(b, &nul))
                        } else {
                            code.consts.get(b_arg).cloned()
                        };
                        push!(a);
                        if let Some(b) = b {
                            push!(b);
                            pc += 1;
                        }
                    }
                    Opcode::LoadFastConstBinaryOp | Opcode::LoadFastFastBinaryOp => {
                        let b_arg = next_arg(instrs, pc);
                        let fast = {
                            let a = &f.slots[arg as usize];
                            let b = if op == Opcode::LoadFastFastBinaryOp { f.slots.get(b_arg) } else { code.consts.get(b_arg) };
                            match (b, BinOp::from_u32(next_arg(instrs, pc + 1) as u32)) {
                                (Some(b), Some(bop)) => quick_binop(a, b, bop),
                                _ => None,
                            }
                        };
                        match fast {
                            Some(r) => {
                                pc += 2;
                                // `x = a + b`: straight into the local.
                                match instrs.get(pc).map(|i| (i.op_byte(), i.arg() as usize)) {
                                    Some((o, to))
                                        if (o == Opcode::StoreFast as u8
                                            || o == Opcode::StoreFastLoadFast as u8
                                            || o == Opcode::StoreFastStoreFast as u8)
                                            && to < f.nlocalsplus as usize =>
                                    {
                                        let old = std::mem::replace(&mut f.slots[to], r);
                                        drop(old);
                                        pc += 1;
                                    }
                                    _ => push!(r),
                                }
                            }
                            None => plain_load_fast!(),
                        }
                    }
                    Opcode::LoadFastConstCompare | Opcode::LoadFastFastCompare => {
                        let b_arg = next_arg(instrs, pc);
                        let fast = {
                            let a = &f.slots[arg as usize];
                            let b = if op == Opcode::LoadFastFastCompare { f.slots.get(b_arg) } else { code.consts.get(b_arg) };
                            match (b, CmpOp::from_u32(next_arg(instrs, pc + 1) as u32)) {
                                (Some(b), Some(cop)) => compare_quick(a, b, cop),
                                _ => None,
                            }
                        };
                        match fast {
                            Some(b) => {
                                pc += 2;
                                branch_or_push!(b);
                            }
                            None => plain_load_fast!(),
                        }
                    }
                    Opcode::LoadFastConstSubscr => {
                        let fast = match code.consts.get(next_arg(instrs, pc)) {
                            Some(Value::Int(i)) => ops::index_exact_seq(&f.slots[arg as usize], *i),
                            _ => None,
                        };
                        match fast {
                            Some(v) => {
                                push!(v);
                                pc += 2;
                            }
                            None => plain_load_fast!(),
                        }
                    }
                    Opcode::StoreFastLoadFast => {
                        let v = pop!();
                        let old = std::mem::replace(&mut f.slots[arg as usize], v);
                        drop(old);
                        let b_arg = next_arg(instrs, pc);
                        if let Some(b) = f.slots.get(b_arg).filter(|b| !is_null(b, &nul)).cloned() {
                            push!(b);
                            pc += 1;
                        }
                    }
                    Opcode::StoreFastStoreFast => {
                        let v = pop!();
                        let old = std::mem::replace(&mut f.slots[arg as usize], v);
                        drop(old);
                        let b_arg = next_arg(instrs, pc);
                        if b_arg < f.nlocalsplus as usize {
                            let v = pop!();
                            let old = std::mem::replace(&mut f.slots[b_arg], v);
                            drop(old);
                            pc += 1;
                        }
                    }
                    Opcode::LoadFastLoadAttr | Opcode::LoadFastLoadMethod => {
                        let obj = f.slots[arg as usize].clone();
                        if is_null(&obj, &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        // From here on the attribute instruction is running.
                        f.lasti = pc as u32;
                        let name_i = next_arg(instrs, pc);
                        pc += 1;
                        let name = name!(name_i);
                        if op == Opcode::LoadFastLoadAttr {
                            let v = tri!(ops::load_attr_cached(vm, code, name_i, &obj, name));
                            push!(v);
                        } else {
                            match tri!(ops::load_method_cached(vm, code, name_i, &obj, name)) {
                                Some(meth) => {
                                    push!(meth);
                                    push!(obj);
                                }
                                None => {
                                    let v = tri!(ops::load_attr_cached(vm, code, name_i, &obj, name));
                                    push!(v);
                                    push!(nul.clone());
                                }
                            }
                        }
                    }
                    Opcode::DeleteFast => {
                        if is_null(&f.slots[arg as usize], &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        let old = std::mem::replace(&mut f.slots[arg as usize], nul.clone());
                        drop(old);
                    }
                    Opcode::LoadDeref => {
                        let i = code.code.varnames.len() + arg as usize;
                        match ops::cell_get(&f.slots[i]) {
                            Some(v) => push!(v),
                            None => break 'err ops::unbound_deref(vm, code, arg as usize),
                        }
                    }
                    Opcode::StoreDeref => {
                        let v = pop!();
                        let i = code.code.varnames.len() + arg as usize;
                        ops::cell_set(&f.slots[i], Some(v));
                    }
                    Opcode::DeleteDeref => {
                        let i = code.code.varnames.len() + arg as usize;
                        if ops::cell_get(&f.slots[i]).is_none() {
                            break 'err ops::unbound_deref(vm, code, arg as usize);
                        }
                        ops::cell_set(&f.slots[i], None);
                    }
                    Opcode::LoadClosure => {
                        let i = code.code.varnames.len() + arg as usize;
                        let c = f.slots[i].clone();
                        push!(c);
                    }
                    Opcode::LoadClassDeref => {
                        let name = match code.cell_and_free.get(arg as usize) {
                            Some(n) => n.clone(),
                            None => break 'err vm.new_system_error("deref index out of range"),
                        };
                        let found = match &f.locals {
                            Some(l) => tri!(ops::mapping_lookup(vm, l, &name)),
                            None => None,
                        };
                        match found {
                            Some(v) => push!(v),
                            None => {
                                let i = code.code.varnames.len() + arg as usize;
                                match ops::cell_get(&f.slots[i]) {
                                    Some(v) => push!(v),
                                    None => break 'err ops::unbound_deref(vm, code, arg as usize),
                                }
                            }
                        }
                    }
                    Opcode::LoadGlobal => {
                        let v = match ops::load_global_cached(vm, code, (arg >> 1) as usize, &f.globals, &f.builtins) {
                            Some(v) => v,
                            None => break 'err ops::name_error(vm, name!(arg >> 1)),
                        };
                        push!(v);
                        if arg & 1 != 0 {
                            push!(nul.clone());
                        }
                    }
                    Opcode::StoreGlobal => {
                        let v = pop!();
                        let name = name!(arg);
                        vm.dict_set_str(&f.globals, name, v);
                    }
                    Opcode::DeleteGlobal => {
                        let name = name!(arg);
                        match tri!(vm.dict_remove(&f.globals, &Value::Obj(name.clone()))) {
                            Some(_) => {}
                            None => break 'err ops::name_error(vm, name),
                        }
                    }
                    Opcode::LoadName => {
                        let name = name!(arg);
                        let local = match &f.locals {
                            Some(l) => tri!(ops::mapping_lookup(vm, l, name)),
                            None => None,
                        };
                        let v = match local {
                            Some(v) => v,
                            None => match vm.dict_get_str(&f.globals, name) {
                                Some(v) => v,
                                None => match vm.dict_get_str(&f.builtins, name) {
                                    Some(v) => v,
                                    None => break 'err ops::name_error(vm, name),
                                },
                            },
                        };
                        push!(v);
                    }
                    Opcode::StoreName => {
                        let v = pop!();
                        let name = name!(arg);
                        match &f.locals {
                            Some(l) => tri!(ops::mapping_store(vm, l, name, v)),
                            None => {
                                break 'err vm.new_system_error(format!(
                                    "no locals found when storing {}",
                                    ops::quoted(name)
                                ))
                            }
                        }
                    }
                    Opcode::DeleteName => {
                        let name = name!(arg);
                        match &f.locals {
                            Some(l) => {
                                if !tri!(ops::mapping_delete(vm, l, name)) {
                                    break 'err ops::name_error(vm, name);
                                }
                            }
                            None => {
                                break 'err vm.new_system_error(format!(
                                    "no locals when deleting {}",
                                    ops::quoted(name)
                                ))
                            }
                        }
                    }
                    Opcode::LoadAttr => {
                        let obj = pop!();
                        let name = name!(arg);
                        let v = tri!(ops::load_attr_cached(vm, code, arg as usize, &obj, name));
                        push!(v);
                    }
                    Opcode::StoreAttr => {
                        let obj = pop!();
                        let v = pop!();
                        let name = name!(arg);
                        tri!(ops::store_attr_cached(vm, code, arg as usize, &obj, name, v));
                    }
                    Opcode::DeleteAttr => {
                        let obj = pop!();
                        let name = name!(arg);
                        tri!(vm.setattr(&obj, name, None));
                    }
                    Opcode::LoadMethod => {
                        let obj = pop!();
                        let name = name!(arg);
                        match tri!(ops::load_method_cached(vm, code, arg as usize, &obj, name)) {
                            Some(meth) => {
                                push!(meth);
                                push!(obj);
                            }
                            None => {
                                let v = tri!(ops::load_attr_cached(vm, code, arg as usize, &obj, name));
                                push!(v);
                                push!(nul.clone());
                            }
                        }
                    }
                    Opcode::LoadLocals => match &f.locals {
                        Some(l) => {
                            let l = l.clone();
                            push!(l)
                        }
                        None => break 'err vm.new_system_error("no locals found"),
                    },
                    Opcode::LoadBuildClass => {
                        match vm.dict_get_str(&f.builtins, &vm.intern("__build_class__")) {
                            Some(v) => push!(v),
                            None => break 'err vm.new_name_error("__build_class__ not found"),
                        }
                    }
                    Opcode::LoadAssertionError => push!(Value::Obj(vm.exc.assertion_error.clone())),
                    Opcode::SetupAnnotations => {
                        let l = match &f.locals {
                            Some(l) => l.clone(),
                            None => break 'err vm.new_system_error("no locals found when setting up annotations"),
                        };
                        tri!(ops::setup_annotations(vm, &l));
                    }

                    Opcode::BinarySubscr => {
                        let key = pop!();
                        let container = pop!();
                        if let Value::Int(i) = key {
                            if let Some(v) = ops::index_exact_seq(&container, i) {
                                push!(v);
                                continue;
                            }
                        }
                        let v = tri!(vm.getitem(&container, &key));
                        push!(v);
                    }
                    Opcode::StoreSubscr => {
                        let key = pop!();
                        let container = pop!();
                        let v = pop!();
                        if let Value::Int(i) = key {
                            match ops::store_exact_list(&container, i, v) {
                                Ok(()) => continue,
                                Err(v) => tri!(vm.setitem(&container, &key, v)),
                            }
                        } else {
                            tri!(vm.setitem(&container, &key, v));
                        }
                    }
                    Opcode::DeleteSubscr => {
                        let key = pop!();
                        let container = pop!();
                        tri!(vm.delitem(&container, &key));
                    }
                    Opcode::BuildSlice => {
                        let step = if arg == 3 { pop!() } else { Value::None };
                        let stop = pop!();
                        let start = pop!();
                        push!(vm.new_slice(start, stop, step));
                    }
                    Opcode::BinaryOp => {
                        let rhs = pop!();
                        let lhs = pop!();
                        let Some(bop) = BinOp::from_u32(arg) else {
                            break 'err vm.new_system_error("bad BINARY_OP operand");
                        };
                        if let Some(r) = quick_binop(&lhs, &rhs, bop) {
                            push!(r);
                            continue;
                        }
                        if let Some((func, fcode, lcls, rcls, swapped)) = inline_binop_target(vm, &lhs, &rhs, bop) {
                            // `a + b` whose one method to try is a plain
                            // function: a frame of this loop, as a call would be.
                            tri!(enter_depth(vm));
                            let (a, b) = if swapped { (rhs, lhs) } else { (lhs, rhs) };
                            push!(a);
                            push!(b);
                            let at = f.slots.len() - 2;
                            // SAFETY: the code object is held by `func`, which
                            // the new frame owns.
                            let mut new = Frame::with_function(spares.take(), func, unsafe { &*fcode }, &mut f.slots, at, &nul);
                            new.dunder = Some((lcls, rcls, bop));
                            enter_frame!(new);
                            continue;
                        }
                        match vm.fast_binary_op(&lhs, &rhs, bop) {
                            Some(r) => push!(tri!(r)),
                            None => push!(tri!(vm.binary_op(&lhs, &rhs, bop))),
                        }
                    }
                    Opcode::UnaryNegative | Opcode::UnaryPositive | Opcode::UnaryInvert => {
                        let v = pop!();
                        let r = tri!(ops::unary(vm, op, &v));
                        push!(r);
                    }
                    Opcode::UnaryNot => {
                        let v = pop!();
                        let b = match v {
                            Value::Bool(b) => b,
                            _ => tri!(vm.truthy(&v)),
                        };
                        push!(Value::Bool(!b));
                    }
                    Opcode::CompareOp => {
                        let rhs = pop!();
                        let lhs = pop!();
                        let Some(cop) = CmpOp::from_u32(arg) else {
                            break 'err vm.new_system_error("bad COMPARE_OP operand");
                        };
                        match compare_quick(&lhs, &rhs, cop) {
                            Some(b) => branch_or_push!(b),
                            None => {
                                let r = tri!(vm.compare(&lhs, &rhs, cop));
                                push!(r);
                            }
                        }
                    }
                    Opcode::IsOp => {
                        let rhs = pop!();
                        let lhs = pop!();
                        push!(Value::Bool(lhs.is(&rhs) != (arg == 1)));
                    }
                    Opcode::ContainsOp => {
                        let container = pop!();
                        let item = pop!();
                        let r = tri!(vm.contains(&container, &item));
                        push!(Value::Bool(r != (arg == 1)));
                    }

                    Opcode::BuildTuple => {
                        // Straight from the stack into the tuple (no vector).
                        let n = (arg as usize).min(f.slots.len().saturating_sub(f.nlocalsplus as usize));
                        let t = if n == 0 {
                            vm.empty_tuple.clone()
                        } else {
                            let at = f.slots.len() - n;
                            PyRef::new_tuple_from_tail(vm.types.tuple.clone(), &mut f.slots, at)
                        };
                        push!(Value::Obj(t));
                    }
                    Opcode::BuildList => {
                        let items = popn!(arg);
                        push!(vm.new_list(items));
                    }
                    Opcode::BuildSet => {
                        let items = popn!(arg);
                        let s = tri!(vm.new_set(items));
                        push!(s);
                    }
                    Opcode::BuildMap => {
                        let items = popn!(2 * arg);
                        let d = vm.new_dict();
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            tri!(vm.dict_set(&d, k, v));
                        }
                        push!(Value::Obj(d));
                    }
                    Opcode::BuildConstKeyMap => {
                        let keys = pop!();
                        let values = popn!(arg);
                        let d = vm.new_dict();
                        if let Some(ks) = keys.payload().and_then(|p| p.as_tuple()) {
                            for (k, v) in ks.iter().zip(values) {
                                tri!(vm.dict_set(&d, k.clone(), v));
                            }
                        }
                        push!(Value::Obj(d));
                    }
                    Opcode::BuildString => {
                        let parts = popn!(arg);
                        push!(crate::types::str_surrogates::build_string(vm, &parts));
                    }
                    Opcode::ListAppend => {
                        let v = pop!();
                        let l = peek!(arg as usize);
                        match l.payload().and_then(|p| p.as_list()) {
                            Some(list) => list.borrow_mut().push(v),
                            None => break 'err vm.new_system_error("LIST_APPEND on a non-list"),
                        }
                    }
                    Opcode::SetAdd => {
                        let v = pop!();
                        let s = peek!(arg as usize);
                        tri!(vm.set_add(&s, v));
                    }
                    Opcode::MapAdd => {
                        let v = pop!();
                        let k = pop!();
                        let d = peek!(arg as usize);
                        match d.as_obj() {
                            Some(d) if d.payload.as_dict().is_some() => tri!(vm.dict_set(d, k, v)),
                            _ => break 'err vm.new_system_error("MAP_ADD on a non-dict"),
                        }
                    }
                    Opcode::ListExtend => {
                        let it = pop!();
                        let l = peek!(arg as usize);
                        tri!(ops::list_extend(vm, &l, &it));
                    }
                    Opcode::SetUpdate => {
                        let it = pop!();
                        let s = peek!(arg as usize);
                        for x in tri!(vm.collect_iter(&it)) {
                            tri!(vm.set_add(&s, x));
                        }
                    }
                    Opcode::DictUpdate => {
                        let src = pop!();
                        let d = peek!(arg as usize);
                        tri!(ops::dict_update(vm, &d, &src));
                    }
                    Opcode::DictMerge => {
                        let src = pop!();
                        let d = peek!(arg as usize);
                        // The callable sits below `self_or_null args_tuple dict`.
                        let func = peek!(arg as usize + 3);
                        tri!(ops::dict_merge(vm, &func, &d, &src));
                    }
                    Opcode::ListToTuple => {
                        let l = pop!();
                        let items = vm.seq_items(&l).unwrap_or_default();
                        push!(vm.new_tuple(items));
                    }
                    Opcode::UnpackSequence => {
                        let seq = pop!();
                        if let Some(items) = seq.payload().and_then(|p| p.as_tuple()) {
                            if items.len() == arg as usize && crate::types::seq_util::is_exact(&seq, &vm.types.tuple) {
                                for v in items.iter().rev() {
                                    push!(v.clone());
                                }
                                continue;
                            }
                        }
                        let items = tri!(ops::unpack(vm, &seq, arg as usize, None));
                        f.slots.extend(items.into_iter().rev());
                    }
                    Opcode::UnpackEx => {
                        let seq = pop!();
                        let before = (arg & 0xff) as usize;
                        let after = (arg >> 8) as usize;
                        let items = tri!(ops::unpack(vm, &seq, before, Some(after)));
                        f.slots.extend(items.into_iter().rev());
                    }
                    Opcode::FormatValue => {
                        let spec = if arg & 4 != 0 { Some(pop!()) } else { None };
                        let v = pop!();
                        let r = tri!(ops::format_value(vm, v, arg & 3, spec));
                        push!(r);
                    }

                    Opcode::Jump => {
                        if (arg as usize) < pc {
                            breaker!(may_raise);
                        }
                        pc = arg as usize;
                    }
                    Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
                        let v = pop!();
                        let b = match v {
                            Value::Bool(b) => b,
                            _ => tri!(vm.truthy(&v)),
                        };
                        if b == (op == Opcode::PopJumpIfTrue) {
                            pc = arg as usize;
                        }
                    }
                    Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
                        let v = top!();
                        let b = match v {
                            Value::Bool(b) => b,
                            _ => tri!(vm.truthy(&v)),
                        };
                        if b == (op == Opcode::JumpIfTrueOrPop) {
                            pc = arg as usize;
                        } else {
                            drop(pop!());
                        }
                    }
                    Opcode::PopJumpIfNone | Opcode::PopJumpIfNotNone => {
                        let v = pop!();
                        if v.is_none() == (op == Opcode::PopJumpIfNone) {
                            pc = arg as usize;
                        }
                    }
                    Opcode::GetIter => {
                        let v = pop!();
                        let it = tri!(vm.iter(&v));
                        push!(it);
                    }
                    Opcode::ForIter => {
                        // A plain generator resumes in this loop, as a call
                        // would: no nested run per item.
                        let gen = match f.slots.last() {
                            Some(Value::Obj(o)) if matches!(o.payload, Payload::Generator(_)) => Some(o.clone()),
                            _ => None,
                        };
                        if let Some(gen) = gen {
                            if !native_stack_low(vm) && vm.recursion_depth.get() < vm.recursion_limit.get() {
                                if let Ok(gf) = crate::eval::generator::resume_inline(vm, gen, Value::None, InlineMode::ForIter) {
                                    tri!(enter_depth(vm));
                                    let resume_at = gf.pc as usize;
                                    enter_frame!(gf, resume_at);
                                    continue;
                                }
                            }
                        }
                        let it = top!();
                        let next = match it.payload() {
                            Some(Payload::Iter(_)) => tri!(crate::types::iter::iter_next(vm, &it)),
                            _ => tri!(vm.next(&it)),
                        };
                        match next {
                            Some(v) => push!(v),
                            None => {
                                drop(pop!());
                                pc = arg as usize;
                            }
                        }
                    }
                    Opcode::GetYieldFromIter => {
                        let v = pop!();
                        let it = tri!(ops::get_yield_from_iter(vm, code, v));
                        push!(it);
                    }

                    Opcode::KwNames => {
                        kwnames = Some(arg);
                        continue;
                    }
                    Opcode::Call => {
                        let argc = arg as usize;
                        let kw: &[Value] = match kwnames.take() {
                            Some(i) => code.consts.get(i as usize).and_then(|t| t.payload()).and_then(|p| p.as_tuple()).unwrap_or(&[]),
                            None => &[],
                        };
                        let len = f.slots.len();
                        if len < f.nlocalsplus as usize + argc + 2 {
                            break 'err vm.new_system_error("CALL: stack underflow");
                        }
                        let callable_at = len - argc - 2;
                        let mut has_self = !is_null(&f.slots[callable_at + 1], &nul);
                        let exact: Option<*const PyCode> = match f.slots[callable_at].payload() {
                            Some(Payload::Function(fd)) => {
                                let fcode = pycode(&fd.code);
                                let n = fcode.code.argcount as usize;
                                let nargs = argc + has_self as usize;
                                (fcode.simple_args & kw.is_empty() & (nargs == n)).then_some(fcode as *const PyCode)
                            }
                            Some(Payload::BoundMethod(m)) if !has_self => {
                                // A bound method called with no self on the
                                // stack: unpack it into function and self there
                                // (CPython's CALL does the same), so the
                                // plain-function paths apply without building an
                                // argument vector.
                                let (func, self_) = (m.0.clone(), m.1.clone());
                                let old = std::mem::replace(&mut f.slots[callable_at], func);
                                f.slots[callable_at + 1] = self_;
                                drop(old);
                                has_self = true;
                                match f.slots[callable_at].payload() {
                                    Some(Payload::Function(fd)) => {
                                        let fcode = pycode(&fd.code);
                                        let n = fcode.code.argcount as usize;
                                        (fcode.simple_args & kw.is_empty() & (argc + 1 == n)).then_some(fcode as *const PyCode)
                                    }
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        let args_start = if has_self { callable_at + 1 } else { callable_at + 2 };
                        if let Some(fcode) = exact {
                            // Exact positional call of a plain function: the
                            // arguments move from our stack into its locals,
                            // and the function itself into the frame.
                            tri!(enter_depth(vm));
                            // SAFETY: the code object is held by the function
                            // at `callable_at`, which the new frame takes over.
                            let new = Frame::for_exact_call(&mut spares, unsafe { &*fcode }, &mut f.slots, callable_at, args_start, &nul);
                            enter_frame!(new);
                            continue;
                        }
                        // `gen.send(v)` on a plain generator resumes it in
                        // this loop, as a for loop does: the generator moves
                        // from the stack into its frame's `inline_gen`.
                        if has_self & (argc == 1) & kw.is_empty() {
                            if let Some(Payload::NativeMethod { def, .. }) = f.slots[callable_at].payload() {
                                if crate::types::generator_type::is_send(def)
                                    && !native_stack_low(vm)
                                    && vm.recursion_depth.get() < vm.recursion_limit.get()
                                {
                                    match std::mem::replace(&mut f.slots[callable_at + 1], Value::None) {
                                        Value::Obj(gen) => {
                                            let value = std::mem::replace(&mut f.slots[callable_at + 2], Value::None);
                                            match crate::eval::generator::resume_inline(vm, gen, value, InlineMode::SendCall) {
                                                Ok(gf) => {
                                                    f.slots.truncate(callable_at);
                                                    tri!(enter_depth(vm));
                                                    let resume_at = gf.pc as usize;
                                                    enter_frame!(gf, resume_at);
                                                    continue;
                                                }
                                                Err((gen, value)) => {
                                                    f.slots[callable_at + 1] = Value::Obj(gen);
                                                    f.slots[callable_at + 2] = value;
                                                }
                                            }
                                        }
                                        other => f.slots[callable_at + 1] = other,
                                    }
                                }
                            }
                        }
                        let callable = f.slots[callable_at].clone();
                        if let Some(Payload::Function(_)) = callable.payload() {
                            let func = callable.as_obj().unwrap();
                            let prepared = prepare_call(vm, func, &f.slots[args_start..], kw, None);
                            f.slots.truncate(callable_at);
                            match tri!(prepared) {
                                Prepared::Value(v) => push!(v),
                                Prepared::Frame(new) => {
                                    tri!(enter_depth(vm));
                                    enter_frame!(new);
                                }
                            }
                            continue;
                        }
                        if !has_self && kw.is_empty() {
                            if let Some((obj, init)) = ops::inline_init_target(vm, &callable, len - args_start) {
                                // `Class(args)` with object's __new__ and a plain
                                // Python __init__: make the instance here and run
                                // __init__ as a frame of this loop.
                                tri!(enter_depth(vm));
                                let Value::Obj(init) = init else { unreachable!() };
                                let fcode: *const PyCode = match &init.payload {
                                    Payload::Function(fd) => pycode(&fd.code),
                                    _ => unreachable!(),
                                };
                                // The instance takes the NULL's place before the
                                // arguments: `self, args...` move into the frame.
                                let old = std::mem::replace(&mut f.slots[callable_at + 1], obj.clone());
                                drop(old);
                                // SAFETY: `init` holds its code and moves into the frame.
                                let mut new = Frame::with_function(spares.take(), init, unsafe { &*fcode }, &mut f.slots, callable_at + 1, &nul);
                                new.init_self = Some(obj);
                                f.slots.truncate(callable_at);
                                drop(callable);
                                enter_frame!(new);
                                continue;
                            }
                        }
                        // A builtin method called on an instance of exactly its
                        // type (`lst.append(x)`, `gen.send(v)`): no descriptor
                        // check needed, straight into the native function.
                        let r = match callable.payload() {
                            Some(Payload::NativeMethod { def, owner })
                                if has_self
                                    && def.kind == crate::types::function::NativeKind::Method
                                    && vm.class_of(&f.slots[args_start]).is(owner) =>
                            {
                                (def.func)(vm, Args::with_kw(&f.slots[args_start..], kw))
                            }
                            _ => vm.call(&callable, Args::with_kw(&f.slots[args_start..], kw)),
                        };
                        f.slots.truncate(callable_at);
                        push!(tri!(r));
                        // After a call that ran outside this loop, as CPython's
                        // CALL: a signal that came during `time.sleep()` is
                        // handled before the next line.
                        breaker!(may_raise);
                    }
                    Opcode::CallFunctionEx => {
                        let kwargs = if arg & 1 != 0 { Some(pop!()) } else { None };
                        let args = pop!();
                        let self_ = pop!();
                        let callable = pop!();
                        let self_ = if is_null(&self_, &nul) { None } else { Some(self_) };
                        // A Python function (or a method of one) runs as a
                        // frame of this loop, as with CALL: wrappers forwarding
                        // `*args, **kwargs` cost no Rust recursion.
                        let (func, self_) = match callable.payload() {
                            Some(Payload::Function(_)) => (callable.as_obj(), self_),
                            Some(Payload::BoundMethod((m_func, m_self)))
                                if self_.is_none() && matches!(m_func.payload(), Some(Payload::Function(_))) =>
                            {
                                (m_func.as_obj(), Some(m_self.clone()))
                            }
                            _ => (None, self_),
                        };
                        if let Some(func) = func {
                            let (all, names) = tri!(ops::call_ex_args(vm, &callable, self_, &args, kwargs.as_ref()));
                            match tri!(prepare_call(vm, func, &all, &names, None)) {
                                Prepared::Value(v) => push!(v),
                                Prepared::Frame(new) => {
                                    tri!(enter_depth(vm));
                                    enter_frame!(new);
                                }
                            }
                            continue;
                        }
                        let r = ops::call_ex(vm, &callable, self_, &args, kwargs.as_ref());
                        push!(tri!(r));
                        breaker!(may_raise);
                    }
                    Opcode::MakeFunction => {
                        let code_obj = pop!();
                        let closure = if arg & 8 != 0 { Some(pop!()) } else { None };
                        let annotations = if arg & 4 != 0 { Some(pop!()) } else { None };
                        let kwdefaults = if arg & 2 != 0 { Some(pop!()) } else { None };
                        let defaults = if arg & 1 != 0 { Some(pop!()) } else { None };
                        let func = tri!(ops::make_function(
                            vm, f, code_obj, closure, annotations, kwdefaults, defaults
                        ));
                        push!(func);
                    }
                    Opcode::ReturnValue => {
                        let v = pop!();
                        do_return!(v);
                    }
                    Opcode::LoadFastReturnValue => {
                        let v = f.slots[arg as usize].clone();
                        if is_null(&v, &nul) {
                            break 'err ops::unbound_local(vm, code, arg as usize);
                        }
                        pc += 1;
                        do_return!(v);
                    }
                    Opcode::InvalidOpcode => break 'err vm.new_system_error("unknown opcode"),
                    Opcode::LoadConstReturnValue => {
                        let v = code.consts.get(arg as usize).cloned().unwrap_or(Value::None);
                        pc += 1;
                        do_return!(v);
                    }
                    Opcode::YieldValue => {
                        let v = pop!();
                        f.pc = pc as u32;
                        if chain.is_empty() {
                            return Ok(Exit::Yield(v));
                        }
                        // A generator this loop resumed for a FOR_ITER: the
                        // generator keeps its frame, the loop gets the value.
                        let Some(gen) = f.inline_gen.take() else {
                            break 'err vm.new_system_error("yield outside the entry frame");
                        };
                        let done = chain.pop().expect("chain is not empty");
                        vm.frames.borrow_mut().pop();
                        leave_depth(vm);
                        drop(crate::eval::generator::suspend_inline(vm, &gen, done, false));
                        resume_caller!();
                        let f = f!();
                        pc = f.pc as usize;
                        push_value(&mut f.slots, v);
                    }
                    Opcode::Send => {
                        let gen = match f.slots.last() {
                            Some(Value::Obj(o)) if matches!(o.payload, Payload::Generator(_)) => Some(o.clone()),
                            _ => None,
                        };
                        if let Some(gen) = gen {
                            if !native_stack_low(vm) && vm.recursion_depth.get() < vm.recursion_limit.get() {
                                let v = pop!();
                                match crate::eval::generator::resume_inline(vm, gen, v, InlineMode::YieldFrom) {
                                    Ok(gf) => {
                                        tri!(enter_depth(vm));
                                        let resume_at = gf.pc as usize;
                                        enter_frame!(gf, resume_at);
                                        continue;
                                    }
                                    Err((_, v)) => push!(v),
                                }
                            }
                        }
                        let v = pop!();
                        let it = top!();
                        match tri!(ops::send(vm, &it, v)) {
                            Ok(y) => push!(y),
                            Err(done) => {
                                drop(pop!());
                                push!(done);
                                pc = arg as usize;
                            }
                        }
                    }
                    Opcode::GetAwaitable => {
                        let v = pop!();
                        let a = tri!(ops::get_awaitable(vm, v, arg));
                        push!(a);
                    }
                    Opcode::GetAIter => {
                        let v = pop!();
                        let a = tri!(ops::get_aiter(vm, v));
                        push!(a);
                    }
                    Opcode::GetANext => {
                        let v = top!();
                        let a = tri!(ops::get_anext(vm, &v));
                        push!(a);
                    }
                    Opcode::EndAsyncFor => {
                        let exc = pop!();
                        if exc.as_obj().is_some_and(|e| vm.exception_matches(e, &vm.exc.stop_async_iteration)) {
                            drop(pop!());
                        } else {
                            match exc {
                                Value::Obj(e) => {
                                    reraise = true;
                                    break 'err e;
                                }
                                _ => break 'err vm.new_system_error("END_ASYNC_FOR without an exception"),
                            }
                        }
                    }

                    Opcode::ImportName => {
                        let fromlist = pop!();
                        let level = pop!();
                        let name = name!(arg);
                        let level = match level {
                            Value::Int(i) => i,
                            _ => 0,
                        };
                        let m = tri!(ops::import_name(vm, name, &f.globals, fromlist, level));
                        push!(m);
                    }
                    Opcode::ImportFrom => {
                        let m = top!();
                        let name = name!(arg);
                        let v = tri!(ops::import_from(vm, &m, name));
                        push!(v);
                    }
                    Opcode::ImportStar => {
                        let m = pop!();
                        let locals = match &f.locals {
                            Some(l) => l.clone(),
                            None => break 'err vm.new_system_error("no locals found during 'import *'"),
                        };
                        tri!(ops::import_star(vm, &m, &locals));
                    }

                    Opcode::RaiseVarargs => {
                        let (exc, is_reraise) = match arg {
                            0 => match unwind::current_exception(vm) {
                                Some(e) => (e, true),
                                None => (vm.new_runtime_error("No active exception to reraise"), false),
                            },
                            1 => {
                                let e = pop!();
                                (unwind::make_raise(vm, e, None), false)
                            }
                            _ => {
                                let cause = pop!();
                                let e = pop!();
                                (unwind::make_raise(vm, e, Some(cause)), false)
                            }
                        };
                        reraise = is_reraise;
                        break 'err exc;
                    }
                    Opcode::Reraise => {
                        let exc = pop!();
                        if arg > 0 {
                            if let Value::Int(l) = peek!(arg as usize) {
                                lookup_at = Some(f.lasti);
                                f.lasti = l as u32;
                            }
                        }
                        reraise = true;
                        match exc {
                            Value::Obj(e) if e.payload.as_exception().is_some() => break 'err e,
                            _ => break 'err vm.new_system_error("RERAISE of a non-exception"),
                        }
                    }
                    Opcode::PushExcInfo => {
                        let exc = pop!();
                        let prev = unwind::exc_info_replace(vm, Some(exc.clone()));
                        push!(prev.unwrap_or(Value::None));
                        push!(exc);
                    }
                    Opcode::PopExcept => {
                        let prev = pop!();
                        let old = unwind::exc_info_replace(vm, if prev.is_none() { None } else { Some(prev) });
                        drop(old);
                    }
                    Opcode::CheckExcMatch => {
                        let typ = pop!();
                        let exc = top!();
                        let r = tri!(unwind::check_exc_match(vm, &exc, &typ));
                        push!(Value::Bool(r));
                    }
                    Opcode::CheckEgMatch => {
                        let typ = pop!();
                        let exc = pop!();
                        let (rest, matched) = tri!(unwind::check_eg_match(vm, exc.clone(), &typ));
                        match matched {
                            None => {
                                push!(exc);
                                push!(Value::None);
                            }
                            Some(m) => {
                                push!(rest);
                                push!(m.clone());
                                drop(unwind::exc_info_replace(vm, Some(m)));
                            }
                        }
                    }
                    Opcode::PrepReraiseStar => {
                        let list = pop!();
                        let orig = pop!();
                        let r = tri!(unwind::prep_reraise_star(vm, &orig, &list));
                        push!(r);
                    }
                    Opcode::WithExceptStart => {
                        let exc = top!();
                        let exit = peek!(4);
                        let r = tri!(ops::with_except_start(vm, &exit, &exc));
                        push!(r);
                    }
                    Opcode::BeforeWith => {
                        let cm = pop!();
                        let (exit, res) = tri!(ops::before_with(vm, &cm));
                        push!(exit);
                        push!(res);
                    }
                    Opcode::BeforeAsyncWith => {
                        let cm = pop!();
                        let (exit, res) = tri!(ops::before_async_with(vm, &cm));
                        push!(exit);
                        push!(res);
                    }

                    Opcode::MatchMapping => {
                        let s = top!();
                        push!(Value::Bool(ops::is_match_mapping(vm, &s)));
                    }
                    Opcode::MatchSequence => {
                        let s = top!();
                        push!(Value::Bool(ops::is_match_sequence(vm, &s)));
                    }
                    Opcode::MatchKeys => {
                        let keys = top!();
                        let subject = peek!(2);
                        let r = tri!(ops::match_keys(vm, &subject, &keys));
                        push!(r);
                    }
                    Opcode::MatchClass => {
                        let names = pop!();
                        let cls = pop!();
                        let subject = pop!();
                        let r = tri!(ops::match_class(vm, &subject, &cls, arg as usize, &names));
                        push!(r);
                    }
                    Opcode::GetLen => {
                        let v = top!();
                        let n = tri!(vm.len(&v));
                        push!(Value::Int(n as i64));
                    }
                    Opcode::PrintExpr => {
                        let v = pop!();
                        tri!(ops::print_expr(vm, v));
                    }
                    Opcode::CallIntrinsic1 => match arg {
                        0 => {
                            let v = pop!();
                            let r = tri!(ops::unary(vm, Opcode::UnaryPositive, &v));
                            push!(r);
                        }
                        1 => {
                            let l = pop!();
                            let items = vm.seq_items(&l).unwrap_or_default();
                            push!(vm.new_tuple(items));
                        }
                        _ => {}
                    },
                }
            },
        };

        // An exception: record where it happened, then find a handler.
        let mut exc = exc;
        kwnames = None;
        loop {
            let f = f!();
            let code = code!();
            let at = lookup_at.take().unwrap_or(f.lasti);
            if !reraise {
                unwind::add_traceback(vm, &exc, f);
            }
            reraise = false;
            if let Some(h) = code.code.handler_for(at) {
                let depth = f.nlocalsplus as usize + h.depth as usize;
                if f.slots.len() > depth {
                    let dropped = f.slots.split_off(depth);
                    drop(dropped);
                }
                if h.lasti {
                    push_value(&mut f.slots, Value::Int(f.lasti as i64));
                }
                push_value(&mut f.slots, Value::Obj(exc));
                pc = h.handler as usize;
                continue 'outer;
            }
            // No handler here: the frame is done. A re-raise added no traceback
            // entry, so its frame object's line still shows an older one.
            f.sync_frame_lineno();
            match chain.pop() {
                None => {
                    let f = f!();
                    let n = f.nlocalsplus as usize;
                    if f.slots.len() > n {
                        let dropped = f.slots.split_off(n);
                        drop(dropped);
                    }
                    return Err(exc);
                }
                Some(mut done) => {
                    vm.frames.borrow_mut().pop();
                    leave_depth(vm);
                    match done.inline_gen.take() {
                        Some(g) => {
                            if let Some(done) = crate::eval::generator::suspend_inline(vm, &g, done, true) {
                                Frame::recycle(done);
                            }
                            exc = crate::eval::generator::convert_stop(vm, crate::eval::generator::GenKind::Generator, exc);
                        }
                        None => spares.put(done),
                    }
                    resume_caller!();
                    exc = unwind::normalize_for_caller(vm, exc);
                }
            }
        }
    }
}

/// Calls a Python function object from native code: binds the arguments and
/// runs a nested loop.
pub fn call_function(vm: &Vm, func: &PyRef, args: Args, locals: Option<Value>) -> PyResult {
    match prepare_call(vm, func, args.args, args.kwnames, locals)? {
        Prepared::Value(v) => Ok(v),
        Prepared::Frame(mut frame) => {
            let r = run(vm, &mut frame, None);
            Frame::recycle(frame);
            match r? {
                Exit::Return(v) => Ok(v),
                Exit::Yield(_) => Err(vm.new_system_error("yield from a non-generator frame")),
            }
        }
    }
}
