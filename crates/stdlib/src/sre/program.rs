//! A compiled pattern ready to run: the opcode list plus, for every set
//! test (IN and its _IGNORE variants), a 256-bit table of its answers for
//! the code points below 256, so that ASCII and Latin-1 text skip the
//! interpretation of the set (categories, ranges, case folding).

use super::consts::*;

pub struct Program {
    pub code: Box<[u32]>,
    /// Per code word: 1 + index into `maps` for an IN-family op, else 0.
    pub fast: Box<[u32]>,
    pub maps: Vec<[u32; 8]>,
    /// The same table for the INFO block's first-character set.
    pub prefix_map: Option<[u32; 8]>,
}

impl Program {
    pub fn new(code: Vec<u32>) -> Program {
        let mut prog = Program {
            fast: vec![0; code.len()].into_boxed_slice(),
            code: code.into_boxed_slice(),
            maps: Vec::new(),
            prefix_map: None,
        };
        let positions = set_ops(&prog.code);
        let mut maps = Vec::with_capacity(positions.len());
        for &pc in &positions {
            let mut map = [0u32; 8];
            for ch in 0..256u32 {
                if super::engine::test_one(&prog, pc, ch) {
                    map[(ch >> 5) as usize] |= 1 << (ch & 31);
                }
            }
            maps.push(map);
        }
        for (k, &pc) in positions.iter().enumerate() {
            prog.fast[pc] = k as u32 + 1;
        }
        prog.maps = maps;
        if prog.code.first() == Some(&INFO) && prog.code.get(2).map_or(false, |f| f & INFO_CHARSET != 0) {
            let mut map = [0u32; 8];
            for ch in 0..256u32 {
                if super::engine::test_charset(&prog, 5, ch) {
                    map[(ch >> 5) as usize] |= 1 << (ch & 31);
                }
            }
            prog.prefix_map = Some(map);
        }
        prog
    }
}

/// Positions of the IN-family ops, found by walking the code's structure
/// (blocks are queued, not recursed into). Malformed code just ends the
/// walk of its block.
fn set_ops(code: &[u32]) -> Vec<usize> {
    let op = |i: usize| code.get(i).copied();
    let mut found = Vec::new();
    let mut blocks = vec![(0usize, code.len())];
    while let Some((mut pc, end)) = blocks.pop() {
        while pc < end {
            let Some(o) = op(pc) else { break };
            let arg = |k: usize| op(pc + k).unwrap_or(0) as usize;
            pc = match o {
                FAILURE | SUCCESS | ANY | ANY_ALL | MAX_UNTIL | MIN_UNTIL => pc + 1,
                AT
                | CATEGORY
                | LITERAL
                | NOT_LITERAL
                | LITERAL_IGNORE
                | NOT_LITERAL_IGNORE
                | LITERAL_UNI_IGNORE
                | NOT_LITERAL_UNI_IGNORE
                | LITERAL_LOC_IGNORE
                | NOT_LITERAL_LOC_IGNORE
                | GROUPREF
                | GROUPREF_IGNORE
                | GROUPREF_UNI_IGNORE
                | GROUPREF_LOC_IGNORE
                | MARK
                | JUMP => pc + 2,
                GROUPREF_EXISTS => pc + 3,
                IN | IN_IGNORE | IN_UNI_IGNORE | IN_LOC_IGNORE => {
                    found.push(pc);
                    pc + 1 + arg(1)
                }
                INFO => pc + 1 + arg(1),
                BRANCH => {
                    // Alternatives: skip word, code (ending in JUMP), ...; 0 ends.
                    let mut alt = pc + 1;
                    let mut steps = 0;
                    while let Some(skip) = op(alt) {
                        if skip == 0 || steps > code.len() {
                            break;
                        }
                        blocks.push((alt + 1, alt + skip as usize));
                        alt += skip as usize;
                        steps += 1;
                    }
                    alt + 1
                }
                REPEAT | REPEAT_ONE | MIN_REPEAT_ONE | POSSESSIVE_REPEAT | POSSESSIVE_REPEAT_ONE => {
                    let next = pc + 1 + arg(1);
                    blocks.push((pc + 4, next));
                    next
                }
                ASSERT | ASSERT_NOT => {
                    let next = pc + 1 + arg(1);
                    blocks.push((pc + 3, next));
                    next
                }
                ATOMIC_GROUP => {
                    let next = pc + 1 + arg(1);
                    blocks.push((pc + 2, next));
                    next
                }
                _ => break,
            };
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}
