//! The instruction set: the one table from which encoding, stack effects, the
//! disassembler and the eval loop's dispatch derive.
//!
//! An instruction is one 32-bit word: the opcode in the low 8 bits and the
//! operand in the high 24. An operand that does not fit is built up by
//! `ExtendedArg` prefixes (each contributes 24 more high bits), as in CPython.
//!
//! The semantics follow CPython 3.11's instructions of the same names (see the
//! `dis` documentation) where one exists; the differences are stated per entry.
//! Stack pictures list the top of the stack last. "NULL" is the eval loop's
//! empty stack slot (used by `PushNull`/`LoadMethod`/`LoadGlobal` to mark "no
//! self argument").
//!
//! Jump operands are absolute instruction indices into `CodeObject::code`.

/// Stack effect of an instruction: a function of its operand and, for
/// branches, of whether the jump is taken.
pub type StackEffect = fn(arg: u32, jump: bool) -> i32;

macro_rules! define_opcodes {
    ($( $(#[$doc:meta])* $name:ident = $num:literal, $argkind:ident, |$a:ident, $j:ident| $effect:expr; )*) => {
        /// Every instruction krait's compiler emits and its eval loop runs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode { $( $(#[$doc])* $name = $num, )* }

        impl Opcode {
            /// Every opcode, in numeric order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];

            #[inline(always)]
            pub fn from_u8(b: u8) -> Option<Opcode> {
                match b { $( $num => Some(Opcode::$name), )* _ => None }
            }
            /// The instruction's name as `dis` prints it (CPython spelling).
            pub fn name(self) -> &'static str {
                match self { $( Opcode::$name => opname(stringify!($name)), )* }
            }
            /// What the operand means (for the disassembler and for checks).
            pub fn arg_kind(self) -> ArgKind {
                match self { $( Opcode::$name => ArgKind::$argkind, )* }
            }
            /// Net change of the stack depth.
            #[allow(unused_variables)]
            pub fn stack_effect(self, arg: u32, jump: bool) -> i32 {
                match self { $( Opcode::$name => { let $a = arg as i32; let $j = jump; $effect } )* }
            }
        }
    };
}

/// Converts `LoadFast` to `LOAD_FAST` (computed once per call; only used by the
/// disassembler and error paths, never by the eval loop).
fn opname(camel: &'static str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let mut map = NAMES.get_or_init(Default::default).lock().unwrap();
    map.entry(camel).or_insert_with(|| {
        let mut out = String::new();
        for (i, ch) in camel.chars().enumerate() {
            if ch.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_uppercase());
        }
        Box::leak(out.into_boxed_str())
    })
}

/// The meaning of an instruction's operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// The operand is unused (always 0).
    None,
    /// A plain number (a count, a flag set, an operator code).
    Num,
    /// Index into `consts`.
    Const,
    /// Index into `names`.
    Name,
    /// Index into `varnames` (fast locals).
    Local,
    /// Index into cells ++ frees (`cellvars` then `freevars`).
    Deref,
    /// Absolute instruction index.
    Jump,
    /// `BinaryOp` operator (see [`BinOp`]).
    BinOp,
    /// `CompareOp` operator (see [`CmpOp`]).
    Cmp,
}

define_opcodes! {
    /// Does nothing.
    Nop = 0, None, |a, j| 0;
    /// Prefix: the next instruction's operand gets 24 more high bits.
    ExtendedArg = 1, Num, |a, j| 0;
    /// Marks the start of a function body (generators: where `send` resumes first). No-op for now.
    Resume = 2, Num, |a, j| 0;
    /// `x ->`
    PopTop = 3, None, |a, j| -1;
    /// `... x_n ... x_1 -> ... x_n ... x_1 x_n`: push a copy of the n-th item (1 = top).
    Copy = 4, Num, |a, j| 1;
    /// Swap the top with the n-th item (n >= 2).
    Swap = 5, Num, |a, j| 0;
    /// `-> NULL`
    PushNull = 6, None, |a, j| 1;

    /// `-> consts[i]`
    LoadConst = 10, Const, |a, j| 1;
    /// `-> local`; UnboundLocalError if unset.
    LoadFast = 11, Local, |a, j| 1;
    /// `x ->` into the local.
    StoreFast = 12, Local, |a, j| -1;
    /// Unbinds the local; UnboundLocalError if unset.
    DeleteFast = 13, Local, |a, j| 0;
    /// `-> cell contents`; NameError/UnboundLocalError ("cannot access free variable ...") if empty.
    LoadDeref = 14, Deref, |a, j| 1;
    /// `x ->` into the cell.
    StoreDeref = 15, Deref, |a, j| -1;
    /// Empties the cell.
    DeleteDeref = 16, Deref, |a, j| 0;
    /// `-> cell object` (to build a closure tuple).
    LoadClosure = 17, Deref, |a, j| 1;
    /// Class bodies: look the name up in the class namespace first, then in the cell.
    LoadClassDeref = 18, Deref, |a, j| 1;
    /// `-> globals[name]` (or builtins); if `arg & 1`, `-> value NULL` (ready for `Call`). Name index is `arg >> 1`.
    LoadGlobal = 19, Num, |a, j| 1 + (a & 1);
    /// `x ->` into globals.
    StoreGlobal = 20, Name, |a, j| -1;
    DeleteGlobal = 21, Name, |a, j| 0;
    /// locals, then globals, then builtins (module and class bodies, exec).
    LoadName = 22, Name, |a, j| 1;
    StoreName = 23, Name, |a, j| -1;
    DeleteName = 24, Name, |a, j| 0;
    /// `obj -> obj.name`
    LoadAttr = 25, Name, |a, j| 0;
    /// `value obj ->` (obj.name = value)
    StoreAttr = 26, Name, |a, j| -2;
    /// `obj ->`
    DeleteAttr = 27, Name, |a, j| -1;
    /// `obj -> func obj` when `obj.name` is a function found on the type (the
    /// method case: no bound method is created), else `obj -> attr NULL`.
    /// Either way the layout is the `[callable, self_or_null]` that `Call` expects.
    LoadMethod = 28, Name, |a, j| 1;
    /// `-> locals()` (class bodies: the namespace).
    /// (Not emitted by the compiler at present.)
    LoadLocals = 29, None, |a, j| 1;
    /// `-> builtins.__build_class__`
    LoadBuildClass = 30, None, |a, j| 1;
    /// `-> AssertionError`
    LoadAssertionError = 31, None, |a, j| 1;
    /// Module/class bodies with annotations: creates `__annotations__` in locals if missing.
    SetupAnnotations = 32, None, |a, j| 0;

    /// `container key -> container[key]`
    BinarySubscr = 40, None, |a, j| -1;
    /// `value container key ->` (container[key] = value)
    StoreSubscr = 41, None, |a, j| -3;
    /// `container key ->`
    DeleteSubscr = 42, None, |a, j| -2;
    /// `start stop -> slice` (arg 2) or `start stop step -> slice` (arg 3)
    BuildSlice = 43, Num, |a, j| 1 - a;
    /// `lhs rhs -> result`; arg is a [`BinOp`] (in-place forms included).
    BinaryOp = 44, BinOp, |a, j| -1;
    /// `x -> -x`
    UnaryNegative = 45, None, |a, j| 0;
    /// `x -> +x`
    UnaryPositive = 46, None, |a, j| 0;
    /// `x -> not x`
    UnaryNot = 47, None, |a, j| 0;
    /// `x -> ~x`
    UnaryInvert = 48, None, |a, j| 0;
    /// `lhs rhs -> result`; arg is a [`CmpOp`].
    CompareOp = 49, Cmp, |a, j| -1;
    /// `lhs rhs -> lhs is rhs` (arg 1: `is not`)
    IsOp = 50, Num, |a, j| -1;
    /// `lhs rhs -> lhs in rhs` (arg 1: `not in`)
    ContainsOp = 51, Num, |a, j| -1;

    /// `x_1 .. x_n -> (x_1, .., x_n)`
    BuildTuple = 60, Num, |a, j| 1 - a;
    BuildList = 61, Num, |a, j| 1 - a;
    BuildSet = 62, Num, |a, j| 1 - a;
    /// `k_1 v_1 .. k_n v_n -> dict`
    BuildMap = 63, Num, |a, j| 1 - 2 * a;
    /// `v_1 .. v_n keys_tuple -> dict`
    BuildConstKeyMap = 64, Num, |a, j| -a;
    /// `s_1 .. s_n -> s_1 + .. + s_n` (f-strings)
    BuildString = 65, Num, |a, j| 1 - a;
    /// `list ... x -> list ...` (comprehensions: list is the arg-th item below x, 1 = just below)
    ListAppend = 66, Num, |a, j| -1;
    SetAdd = 67, Num, |a, j| -1;
    /// `dict ... k v -> dict ...`
    MapAdd = 68, Num, |a, j| -2;
    /// `list ... iterable -> list ...` (list.extend)
    ListExtend = 69, Num, |a, j| -1;
    SetUpdate = 70, Num, |a, j| -1;
    /// dict.update (dict displays with `**`)
    DictUpdate = 71, Num, |a, j| -1;
    /// like DictUpdate but TypeError on duplicate keys ("got multiple values for keyword argument")
    DictMerge = 72, Num, |a, j| -1;
    /// `list -> tuple`
    ListToTuple = 73, None, |a, j| 0;
    /// `seq -> x_n .. x_1` (x_1 on top)
    UnpackSequence = 74, Num, |a, j| a - 1;
    /// star unpacking: arg = before | (after << 8); pushes before + 1 + after values
    UnpackEx = 75, Num, |a, j| (a & 0xff) + (a >> 8);
    /// f-string `{x!c:spec}`: `x [spec] -> str`; flags: 0-3 conversion (none, !s, !r, !a), 4: has spec.
    FormatValue = 76, Num, |a, j| if a & 4 != 0 { -1 } else { 0 };

    /// Unconditional jump.
    Jump = 80, Jump, |a, j| 0;
    /// `x ->`, jump if falsy.
    PopJumpIfFalse = 81, Jump, |a, j| -1;
    PopJumpIfTrue = 82, Jump, |a, j| -1;
    /// `x -> x` (jumped) or `x ->` (not jumped)
    JumpIfFalseOrPop = 83, Jump, |a, j| if j { 0 } else { -1 };
    JumpIfTrueOrPop = 84, Jump, |a, j| if j { 0 } else { -1 };
    PopJumpIfNone = 85, Jump, |a, j| -1;
    PopJumpIfNotNone = 86, Jump, |a, j| -1;
    /// `x -> iter(x)`
    GetIter = 87, None, |a, j| 0;
    /// `iter -> iter next` or, when exhausted, `iter ->` and jump.
    ForIter = 88, Jump, |a, j| if j { -1 } else { 1 };
    /// `x -> iter` for `yield from`/`await` (generators and coroutines pass through).
    GetYieldFromIter = 89, None, |a, j| 0;

    /// `callable self_or_null arg_1 .. arg_n -> result`. When the previous
    /// instruction was `KwNames`, the last `len(kwnames)` args are keywords.
    Call = 90, Num, |a, j| -1 - a;
    /// `-> ` sets the keyword names (a const tuple of str) for the next `Call`.
    KwNames = 91, Const, |a, j| 0;
    /// `callable NULL args_tuple [kwargs_dict] -> result` (arg & 1: kwargs present)
    /// (for a method call, the NULL slot holds self, as with `Call`)
    CallFunctionEx = 92, Num, |a, j| -2 - (a & 1);
    /// `[closure] [annotations] [kwdefaults] [defaults] code -> function`;
    /// flags: 1 defaults tuple, 2 kwdefaults dict, 4 annotations, 8 closure tuple.
    /// The qualified name is the code object's `qualname`.
    MakeFunction = 93, Num, |a, j| -((a & 1) as i32 + ((a >> 1) & 1) as i32 + ((a >> 2) & 1) as i32 + ((a >> 3) & 1) as i32);
    /// `x ->` return x to the caller.
    ReturnValue = 94, None, |a, j| -1;
    /// `x -> sent` (generators).
    YieldValue = 95, None, |a, j| 0;
    /// `iter value -> iter result` (not done) or `iter value -> value` and jump (done):
    /// one step of `yield from`/`await` delegation.
    Send = 96, Jump, |a, j| if j { -1 } else { 0 };
    /// `x -> awaitable` (arg: 0 plain await, 1 after `__aenter__`, 2 after `__aexit__`)
    GetAwaitable = 97, Num, |a, j| 0;
    /// `aiterable -> aiterator`
    GetAIter = 98, None, |a, j| 0;
    /// `aiterator -> aiterator awaitable`
    GetANext = 99, None, |a, j| 1;
    /// Handler for `async for`: `aiter exc ->` when exc is StopAsyncIteration, else re-raise.
    EndAsyncFor = 100, None, |a, j| -2;
    /// Generator start: pops the initial `None` sent in (3.11's implicit first `send`). No-op placeholder.
    /// The compiler emits it as the first instruction of generator, coroutine and async
    /// generator code (before `Resume 0`), with no `PopTop` after it: the first
    /// `send(None)` pushes nothing (unlike CPython's RETURN_GENERATOR; POP_TOP pair).
    ReturnGenerator = 101, None, |a, j| 0;

    /// `module -> module` after `import name` (`level fromlist -> module`): pops level and fromlist.
    ImportName = 110, Name, |a, j| -1;
    /// `module -> module module.name` (ImportError "cannot import name" when missing)
    ImportFrom = 111, Name, |a, j| 1;
    /// `module ->` (from module import *)
    ImportStar = 112, None, |a, j| -1;

    /// `raise` (0: re-raise the handled exception, 1: `exc`, 2: `exc cause`)
    RaiseVarargs = 120, Num, |a, j| -a;
    /// `[lasti] exc ->` re-raise exc (arg 1: restore `lasti` from the stack first).
    /// As in CPython 3.11, for arg n > 0 the `lasti` is the n-th item below exc once exc is
    /// popped (`Reraise 1` in cleanup handlers, `Reraise 2` after `WithExceptStart`, where
    /// `prev_exc` sits between). The stack effect only matters for depth bookkeeping.
    Reraise = 121, Num, |a, j| -1 - a;
    /// `exc -> prev_exc exc`: make exc the handled exception (sys.exc_info), saving the previous one.
    PushExcInfo = 122, None, |a, j| 1;
    /// `prev_exc ->` restore the handled exception.
    PopExcept = 123, None, |a, j| -1;
    /// `exc type -> exc bool` (isinstance check for `except T:`; TypeError for bad T)
    CheckExcMatch = 124, None, |a, j| 0;
    /// `exc type -> rest match` (`except*`)
    CheckEgMatch = 125, None, |a, j| 0;
    /// `orig list -> exc_or_None` (`except*`: combine what is left to re-raise)
    PrepReraiseStar = 126, None, |a, j| -1;
    /// `exit lasti prev exc -> exit lasti prev exc res` (calls `exit(type, exc, tb)`)
    WithExceptStart = 127, None, |a, j| 1;
    /// `cm -> exit enter_result` (calls `cm.__enter__()`, keeps the bound `__exit__`)
    BeforeWith = 128, None, |a, j| 1;
    /// `cm -> exit awaitable` (`__aenter__`)
    BeforeAsyncWith = 129, None, |a, j| 1;

    /// `subject -> subject bool` (is it a mapping)
    MatchMapping = 130, None, |a, j| 1;
    /// `subject -> subject bool` (is it a sequence for `case [...]`)
    MatchSequence = 131, None, |a, j| 1;
    /// `subject keys -> subject keys values_or_None`
    MatchKeys = 132, None, |a, j| 1;
    /// `subject cls kw_names -> attrs_tuple_or_None` (arg: number of positional sub-patterns)
    MatchClass = 133, Num, |a, j| -2;
    /// `x -> x len(x)`
    GetLen = 134, None, |a, j| 1;
    /// `x ->` interactive mode: print the repr of x via sys.displayhook.
    PrintExpr = 135, None, |a, j| -1;
    /// `exc -> exc` : marks the end of a `finally`/handler; placeholder for debuggers.
    CallIntrinsic1 = 136, Num, |a, j| 0;
    /// `x -> wrapped`: in an async generator, marks a value produced by `yield` (not by an
    /// `await` inside it) before `YieldValue`, as CPython 3.11's ASYNC_GEN_WRAP: the async
    /// generator's `__anext__`/`asend` delivers it as the iteration result, while other
    /// yielded values (from the `Send` loop of an `await`) go to the event loop.
    AsyncGenWrap = 137, None, |a, j| 0;

    // Quickened forms. The compiler never emits these: when a code object is
    // loaded, the VM rewrites the first instruction of a common sequence in
    // place (crates/vm/src/eval/quicken.rs) and leaves the rest as they are,
    // so jumps into the middle of a sequence still find plain instructions.
    // The handler runs the whole sequence when its fast case applies, and
    // otherwise only the first instruction. Stack effects are the first
    // instruction's. Operands of the later instructions are read from them.

    /// `LOAD_FAST a; LOAD_FAST b` (CPython 3.11's LOAD_FAST__LOAD_FAST).
    LoadFastLoadFast = 140, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_CONST c` (LOAD_FAST__LOAD_CONST).
    LoadFastLoadConst = 141, Local, |a, j| 1;
    /// `STORE_FAST a; LOAD_FAST b` (STORE_FAST__LOAD_FAST).
    StoreFastLoadFast = 142, Local, |a, j| -1;
    /// `STORE_FAST a; STORE_FAST b` (STORE_FAST__STORE_FAST).
    StoreFastStoreFast = 143, Local, |a, j| -1;
    /// `LOAD_FAST a; LOAD_CONST c; BINARY_OP op`: numbers computed at once.
    LoadFastConstBinaryOp = 144, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_FAST b; BINARY_OP op`: numbers computed at once.
    LoadFastFastBinaryOp = 145, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_ATTR name` (`self.x`).
    LoadFastLoadAttr = 146, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_METHOD name` (`self.m(...)`).
    LoadFastLoadMethod = 147, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_CONST c; BINARY_SUBSCR`: `a[c]` for an exact list or
    /// tuple and an int index at once.
    LoadFastConstSubscr = 148, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_CONST c; COMPARE_OP op`, and the conditional jump
    /// after it if there is one: numbers and strs compared at once.
    LoadFastConstCompare = 149, Local, |a, j| 1;
    /// `LOAD_FAST a; LOAD_FAST b; COMPARE_OP op` (and its jump), likewise.
    LoadFastFastCompare = 150, Local, |a, j| 1;
    /// `LOAD_FAST a; RETURN_VALUE` (`return x`).
    LoadFastReturnValue = 151, Local, |a, j| 1;
    /// `LOAD_CONST c; RETURN_VALUE` (`return None`, `return 0`).
    LoadConstReturnValue = 152, Const, |a, j| 1;
    /// Stands in the quickened copy for an operation byte that is no opcode
    /// (a hand-made code object): raises SystemError when reached, so the
    /// eval loop may take every byte of the copy as an opcode unchecked.
    InvalidOpcode = 153, None, |a, j| 0;
}

impl Opcode {
    /// Is the operand an absolute jump target?
    pub fn is_jump(self) -> bool {
        self.arg_kind() == ArgKind::Jump
    }
    /// Does control never fall through to the next instruction?
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Opcode::Jump | Opcode::ReturnValue | Opcode::RaiseVarargs | Opcode::Reraise
        )
    }
}

/// Intrinsics for `CallIntrinsic1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Intrinsic1 {
    /// `x -> +x` spelled out for clarity in disassembly; reserved.
    UnaryPositive = 0,
    /// `list -> tuple`
    ListToTuple = 1,
    /// `exc -> exc.__traceback__ stop`: no-op marker.
    StopIterationError = 2,
}

/// Operators of `BinaryOp`, numbered as in CPython 3.11 (`NB_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BinOp {
    Add = 0,
    And = 1,
    FloorDivide = 2,
    Lshift = 3,
    MatrixMultiply = 4,
    Multiply = 5,
    Remainder = 6,
    Or = 7,
    Power = 8,
    Rshift = 9,
    Subtract = 10,
    TrueDivide = 11,
    Xor = 12,
    InplaceAdd = 13,
    InplaceAnd = 14,
    InplaceFloorDivide = 15,
    InplaceLshift = 16,
    InplaceMatrixMultiply = 17,
    InplaceMultiply = 18,
    InplaceRemainder = 19,
    InplaceOr = 20,
    InplacePower = 21,
    InplaceRshift = 22,
    InplaceSubtract = 23,
    InplaceTrueDivide = 24,
    InplaceXor = 25,
}

impl BinOp {
    pub const ALL: [BinOp; 26] = [
        BinOp::Add, BinOp::And, BinOp::FloorDivide, BinOp::Lshift, BinOp::MatrixMultiply,
        BinOp::Multiply, BinOp::Remainder, BinOp::Or, BinOp::Power, BinOp::Rshift,
        BinOp::Subtract, BinOp::TrueDivide, BinOp::Xor, BinOp::InplaceAdd, BinOp::InplaceAnd,
        BinOp::InplaceFloorDivide, BinOp::InplaceLshift, BinOp::InplaceMatrixMultiply,
        BinOp::InplaceMultiply, BinOp::InplaceRemainder, BinOp::InplaceOr, BinOp::InplacePower,
        BinOp::InplaceRshift, BinOp::InplaceSubtract, BinOp::InplaceTrueDivide, BinOp::InplaceXor,
    ];
    pub fn from_u32(v: u32) -> Option<BinOp> {
        Self::ALL.get(v as usize).copied()
    }
    pub fn is_inplace(self) -> bool {
        (self as u8) >= 13
    }
    /// The non-in-place operator (`+=` -> `+`).
    pub fn base(self) -> BinOp {
        if self.is_inplace() { Self::ALL[self as usize - 13] } else { self }
    }
    /// The in-place operator (`+` -> `+=`).
    pub fn inplace(self) -> BinOp {
        if self.is_inplace() { self } else { Self::ALL[self as usize + 13] }
    }
    /// The operator as Python spells it (`+`, `+=`), used in error messages.
    pub fn symbol(self) -> &'static str {
        const SYMS: [&str; 13] = ["+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"];
        const ISYMS: [&str; 13] = ["+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^="];
        if self.is_inplace() { ISYMS[self as usize - 13] } else { SYMS[self as usize] }
    }
    /// The dunder names: (`__add__`, `__radd__`, `__iadd__`).
    pub fn dunders(self) -> (&'static str, &'static str, &'static str) {
        match self.base() {
            BinOp::Add => ("__add__", "__radd__", "__iadd__"),
            BinOp::And => ("__and__", "__rand__", "__iand__"),
            BinOp::FloorDivide => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
            BinOp::Lshift => ("__lshift__", "__rlshift__", "__ilshift__"),
            BinOp::MatrixMultiply => ("__matmul__", "__rmatmul__", "__imatmul__"),
            BinOp::Multiply => ("__mul__", "__rmul__", "__imul__"),
            BinOp::Remainder => ("__mod__", "__rmod__", "__imod__"),
            BinOp::Or => ("__or__", "__ror__", "__ior__"),
            BinOp::Power => ("__pow__", "__rpow__", "__ipow__"),
            BinOp::Rshift => ("__rshift__", "__rrshift__", "__irshift__"),
            BinOp::Subtract => ("__sub__", "__rsub__", "__isub__"),
            BinOp::TrueDivide => ("__truediv__", "__rtruediv__", "__itruediv__"),
            BinOp::Xor => ("__xor__", "__rxor__", "__ixor__"),
            _ => unreachable!("base() is never in-place"),
        }
    }
}

/// Operators of `CompareOp`, numbered as in CPython (`Py_LT` ..).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CmpOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
}

impl CmpOp {
    pub fn from_u32(v: u32) -> Option<CmpOp> {
        [CmpOp::Lt, CmpOp::Le, CmpOp::Eq, CmpOp::Ne, CmpOp::Gt, CmpOp::Ge].get(v as usize).copied()
    }
    pub fn symbol(self) -> &'static str {
        ["<", "<=", "==", "!=", ">", ">="][self as usize]
    }
    pub fn dunder(self) -> &'static str {
        ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"][self as usize]
    }
    /// `x <op> y` for totally ordered values (lengths, native ints).
    #[inline(always)]
    pub fn holds<T: Ord>(self, x: T, y: T) -> bool {
        match self {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
        }
    }
    /// The operator with operands swapped (`a < b` is `b > a`).
    pub fn swapped(self) -> CmpOp {
        [CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le][self as usize]
    }
}

/// One encoded instruction word.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct Instr(pub u32);

impl Instr {
    pub const ARG_BITS: u32 = 24;
    pub const ARG_MAX: u32 = (1 << Self::ARG_BITS) - 1;

    #[inline(always)]
    pub fn new(op: Opcode, arg: u32) -> Instr {
        debug_assert!(arg <= Self::ARG_MAX);
        Instr((op as u32) | (arg << 8))
    }
    #[inline(always)]
    pub fn op_byte(self) -> u8 {
        self.0 as u8
    }
    #[inline(always)]
    pub fn op(self) -> Opcode {
        // Only the compiler builds instruction words, always from an Opcode.
        Opcode::from_u8(self.0 as u8).expect("invalid opcode in code object")
    }
    #[inline(always)]
    pub fn arg(self) -> u32 {
        self.0 >> 8
    }
}

impl std::fmt::Debug for Instr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.op().name(), self.arg())
    }
}

/// Encodes `op arg`, prefixing `ExtendedArg` words for large operands.
pub fn encode(out: &mut Vec<Instr>, op: Opcode, arg: u32) {
    if arg > Instr::ARG_MAX {
        out.push(Instr::new(Opcode::ExtendedArg, arg >> Instr::ARG_BITS));
    }
    out.push(Instr::new(op, arg & Instr::ARG_MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_round_trip_and_have_cpython_names() {
        for &op in Opcode::ALL {
            assert_eq!(Opcode::from_u8(op as u8), Some(op));
            let i = Instr::new(op, 1234);
            assert_eq!(i.op(), op);
            assert_eq!(i.arg(), 1234);
        }
        assert_eq!(Opcode::LoadFast.name(), "LOAD_FAST");
        assert_eq!(Opcode::BinaryOp.name(), "BINARY_OP");
    }

    #[test]
    fn stack_effects() {
        assert_eq!(Opcode::BuildTuple.stack_effect(3, false), -2);
        assert_eq!(Opcode::Call.stack_effect(2, false), -3);
        assert_eq!(Opcode::ForIter.stack_effect(0, true), -1);
        assert_eq!(Opcode::MakeFunction.stack_effect(0b1011, false), -3);
    }

    #[test]
    fn binop_names() {
        assert_eq!(BinOp::InplaceAdd.symbol(), "+=");
        assert_eq!(BinOp::InplaceAdd.base(), BinOp::Add);
        assert_eq!(BinOp::Power.dunders().1, "__rpow__");
    }
}
