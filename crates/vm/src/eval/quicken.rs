//! Quickening: when a code object is loaded, the first instruction of each
//! common short sequence is replaced by a combined form (see the "Quickened
//! forms" in the compiler's instruction table) that runs the whole sequence
//! with one dispatch. The later instructions stay in place, unchanged: a
//! jump into the middle of a sequence, an exception handler, a generator
//! resuming there, all find the plain instructions. The compiler's own
//! `CodeObject::code` is left as it was (it is what `co_code` and `dis`
//! show); the eval loop runs the quickened copy.

use krait_compiler::bytecode::{Instr, Opcode};

/// The quickened copy of `code`. Every operation byte in it is an
/// `Opcode` (a byte that is none becomes `InvalidOpcode`): the eval loop
/// relies on this to decode without checking.
pub fn quicken(code: &[Instr]) -> Box<[Instr]> {
    let mut out: Box<[Instr]> = code.into();
    for (q, c) in out.iter_mut().zip(code) {
        if Opcode::from_u8(c.op_byte()).is_none() {
            *q = Instr::new(Opcode::InvalidOpcode, c.arg());
        }
    }
    for i in 0..code.len() {
        let Some(combined) = combined_at(code, i) else { continue };
        // `LOAD_FAST x; LOAD_FAST a; LOAD_FAST b; BINARY_OP`: the pair at
        // `x` would run `x; a` and leave `b; BINARY_OP` to two more
        // dispatches, the triple at `a` runs all of `a; b; BINARY_OP`.
        let is_pair = matches!(combined, Opcode::LoadFastLoadFast | Opcode::LoadFastLoadConst);
        if is_pair && combined_at(code, i + 1).is_some_and(|c| length(c) == 3) {
            continue;
        }
        out[i] = Instr::new(combined, code[i].arg());
    }
    out
}

/// How many instructions a combined form stands for.
fn length(op: Opcode) -> usize {
    match op {
        Opcode::LoadFastConstBinaryOp
        | Opcode::LoadFastFastBinaryOp
        | Opcode::LoadFastConstSubscr
        | Opcode::LoadFastConstCompare
        | Opcode::LoadFastFastCompare => 3,
        _ => 2,
    }
}

/// The combined form for the sequence starting at `code[i]`, if any.
fn combined_at(code: &[Instr], i: usize) -> Option<Opcode> {
    let op = |i: usize| code.get(i).and_then(|x| Opcode::from_u8(x.op_byte()));
    let first = op(i)?;
    let (second, third) = (op(i + 1), op(i + 2));
    Some(match (first, second, third) {
            (Opcode::LoadFast, Some(Opcode::LoadConst), Some(Opcode::BinaryOp)) => Opcode::LoadFastConstBinaryOp,
            (Opcode::LoadFast, Some(Opcode::LoadFast), Some(Opcode::BinaryOp)) => Opcode::LoadFastFastBinaryOp,
            (Opcode::LoadFast, Some(Opcode::LoadConst), Some(Opcode::BinarySubscr)) => Opcode::LoadFastConstSubscr,
            (Opcode::LoadFast, Some(Opcode::LoadConst), Some(Opcode::CompareOp)) => Opcode::LoadFastConstCompare,
            (Opcode::LoadFast, Some(Opcode::LoadFast), Some(Opcode::CompareOp)) => Opcode::LoadFastFastCompare,
            (Opcode::LoadFast, Some(Opcode::LoadFast), _) => Opcode::LoadFastLoadFast,
            (Opcode::LoadFast, Some(Opcode::LoadConst), _) => Opcode::LoadFastLoadConst,
            (Opcode::LoadFast, Some(Opcode::ReturnValue), _) => Opcode::LoadFastReturnValue,
            (Opcode::LoadConst, Some(Opcode::ReturnValue), _) => Opcode::LoadConstReturnValue,
            (Opcode::LoadFast, Some(Opcode::LoadAttr), _) => Opcode::LoadFastLoadAttr,
            (Opcode::LoadFast, Some(Opcode::LoadMethod), _) => Opcode::LoadFastLoadMethod,
            (Opcode::StoreFast, Some(Opcode::LoadFast), _) => Opcode::StoreFastLoadFast,
            (Opcode::StoreFast, Some(Opcode::StoreFast), _) => Opcode::StoreFastStoreFast,
            _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(code: &[Instr]) -> Vec<Opcode> {
        code.iter().map(|i| i.op()).collect()
    }

    #[test]
    fn sequences_get_their_combined_first_instruction_and_keep_the_rest() {
        let code = [
            Instr::new(Opcode::LoadFast, 0),
            Instr::new(Opcode::LoadConst, 1),
            Instr::new(Opcode::BinaryOp, 10),
            Instr::new(Opcode::StoreFast, 2),
            Instr::new(Opcode::LoadFast, 2),
            Instr::new(Opcode::LoadAttr, 3),
            Instr::new(Opcode::ReturnValue, 0),
        ];
        let q = quicken(&code);
        assert_eq!(
            ops(&q),
            [
                Opcode::LoadFastConstBinaryOp,
                Opcode::LoadConst,
                Opcode::BinaryOp,
                Opcode::StoreFastLoadFast,
                Opcode::LoadFastLoadAttr,
                Opcode::LoadAttr,
                Opcode::ReturnValue
            ]
        );
        // Operands are untouched.
        assert!(q.iter().zip(code.iter()).all(|(a, b)| a.arg() == b.arg()));
    }

    #[test]
    fn a_triple_wins_over_the_pair_before_it() {
        let code = [
            Instr::new(Opcode::LoadFast, 0),
            Instr::new(Opcode::LoadFast, 1),
            Instr::new(Opcode::LoadFast, 2),
            Instr::new(Opcode::BinaryOp, 5),
        ];
        assert_eq!(
            ops(&quicken(&code)),
            [Opcode::LoadFast, Opcode::LoadFastFastBinaryOp, Opcode::LoadFast, Opcode::BinaryOp]
        );
    }

    #[test]
    fn returns_of_a_local_or_a_constant_are_combined() {
        let code = [
            Instr::new(Opcode::LoadFast, 0),
            Instr::new(Opcode::ReturnValue, 0),
            Instr::new(Opcode::LoadConst, 1),
            Instr::new(Opcode::ReturnValue, 0),
        ];
        assert_eq!(
            ops(&quicken(&code)),
            [Opcode::LoadFastReturnValue, Opcode::ReturnValue, Opcode::LoadConstReturnValue, Opcode::ReturnValue]
        );
    }

    #[test]
    fn an_extended_operand_in_the_middle_stops_a_sequence() {
        let code = [Instr::new(Opcode::LoadFast, 0), Instr::new(Opcode::ExtendedArg, 1), Instr::new(Opcode::LoadFast, 2)];
        assert_eq!(ops(&quicken(&code)), ops(&code));
        // A sequence at the very end is not read past the code's end.
        let code = [Instr::new(Opcode::LoadFast, 0)];
        assert_eq!(ops(&quicken(&code)), [Opcode::LoadFast]);
    }

    #[test]
    fn a_byte_that_is_no_opcode_becomes_invalid_opcode() {
        let code = [Instr(255 | (7 << 8)), Instr::new(Opcode::ReturnValue, 0)];
        let q = quicken(&code);
        assert_eq!(ops(&q), [Opcode::InvalidOpcode, Opcode::ReturnValue]);
        assert_eq!(q[0].arg(), 7);
    }
}
