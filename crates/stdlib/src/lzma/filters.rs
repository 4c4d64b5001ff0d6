//! Filter chain specifiers (`{"id": FILTER_LZMA2, "preset": 6, ...}`) as
//! CPython's `_lzma` parses and checks them, their liblzma filter chains,
//! and the filter properties encoding (`_encode_filter_properties`,
//! `_decode_filter_properties`), which follows the .xz format's definition.

use super::{u32_arg, u64_arg, Fail};
use krait_vm::{PyResult, Value, Vm};
use liblzma::stream::{Error as LzError, Filters, LzmaOptions, MatchFinder, Mode};

pub const FILTER_LZMA1: u64 = 0x4000_0000_0000_0001;
pub const FILTER_LZMA2: u64 = 0x21;
pub const FILTER_DELTA: u64 = 0x03;
pub const FILTER_X86: u64 = 0x04;
pub const FILTER_POWERPC: u64 = 0x05;
pub const FILTER_IA64: u64 = 0x06;
pub const FILTER_ARM: u64 = 0x07;
pub const FILTER_ARMTHUMB: u64 = 0x08;
pub const FILTER_SPARC: u64 = 0x09;

pub const PRESET_DEFAULT: u32 = 6;
/// liblzma's LZMA_FILTERS_MAX.
const FILTERS_MAX: usize = 4;

/// The options of an LZMA1/LZMA2 filter: a preset and what the spec overrides.
#[derive(Clone, Copy, Default)]
pub struct LzmaSpec {
    pub preset: u32,
    pub dict_size: Option<u32>,
    pub lc: Option<u32>,
    pub lp: Option<u32>,
    pub pb: Option<u32>,
    pub mode: Option<u32>,
    pub nice_len: Option<u32>,
    pub mf: Option<u32>,
    pub depth: Option<u32>,
}

impl LzmaSpec {
    /// liblzma's options for this spec (the preset was checked when parsed);
    /// a mode or match finder liblzma does not know is its options error.
    pub fn options(&self) -> Result<LzmaOptions, Fail> {
        let mut o = LzmaOptions::new_preset(self.preset).unwrap_or_else(|_| LzmaOptions::new());
        if let Some(v) = self.dict_size {
            o.dict_size(v);
        }
        if let Some(v) = self.lc {
            o.literal_context_bits(v);
        }
        if let Some(v) = self.lp {
            o.literal_position_bits(v);
        }
        if let Some(v) = self.pb {
            o.position_bits(v);
        }
        if let Some(v) = self.mode {
            o.mode(match v {
                1 => Mode::Fast,
                2 => Mode::Normal,
                _ => return Err(Fail::Lib(LzError::Options)),
            });
        }
        if let Some(v) = self.nice_len {
            o.nice_len(v);
        }
        if let Some(v) = self.mf {
            o.match_finder(match v {
                3 => MatchFinder::HashChain3,
                4 => MatchFinder::HashChain4,
                18 => MatchFinder::BinaryTree2,
                19 => MatchFinder::BinaryTree3,
                20 => MatchFinder::BinaryTree4,
                _ => return Err(Fail::Lib(LzError::Options)),
            });
        }
        if let Some(v) = self.depth {
            o.depth(v);
        }
        Ok(o)
    }

    /// The dictionary size: given, or the preset's (liblzma's presets 0-9
    /// use 2**18, 2**20, 2**21, 2**22, 2**22, 2**23, 2**23, 2**24, 2**25, 2**26).
    fn dict(&self) -> u32 {
        const POW2: [u32; 10] = [18, 20, 21, 22, 22, 23, 23, 24, 25, 26];
        self.dict_size.unwrap_or(1 << POW2[(self.preset & 0x1f).min(9) as usize])
    }

    /// The lc/lp/pb (all presets use 3/0/2).
    fn lclppb(&self) -> (u32, u32, u32) {
        (self.lc.unwrap_or(3), self.lp.unwrap_or(0), self.pb.unwrap_or(2))
    }
}

/// One parsed filter specifier.
#[derive(Clone, Copy)]
pub enum Filter {
    Lzma { id: u64, spec: LzmaSpec },
    Delta { dist: u32 },
    Bcj { id: u64, start_offset: u32 },
}

/// The options of a specifier other than "id", or None when a name is not
/// one of `names` or a value does not convert (CPython then reports the
/// filter kind's "Invalid filter specifier" error).
fn options(vm: &Vm, items: &[(Value, Value)], names: &[&str]) -> Option<Vec<(usize, Value)>> {
    let mut out = Vec::new();
    for (k, v) in items {
        let k = vm.as_str(k)?;
        if k == "id" {
            continue;
        }
        out.push((names.iter().position(|n| *n == k)?, v.clone()));
    }
    Some(out)
}

/// A uint32 option; conversion failures are swallowed like clinic's.
fn opt_u32(vm: &Vm, v: &Value) -> Option<u32> {
    u32_arg(vm, v).ok()
}

fn parse_lzma(vm: &Vm, id: u64, items: &[(Value, Value)]) -> PyResult<Filter> {
    let mut spec = LzmaSpec { preset: PRESET_DEFAULT, ..Default::default() };
    if let Some((_, p)) = items.iter().find(|(k, _)| vm.as_str(k) == Some("preset")) {
        spec.preset = u32_arg(vm, p)?;
    }
    if LzmaOptions::new_preset(spec.preset).is_err() {
        return Err(super::new_error(vm, &format!("Invalid compression preset: {}", spec.preset)));
    }
    let names = ["preset", "dict_size", "lc", "lp", "pb", "mode", "nice_len", "mf", "depth"];
    let invalid = || vm.new_value_error("Invalid filter specifier for LZMA filter");
    let opts = options(vm, items, &names).ok_or_else(invalid)?;
    for (i, v) in opts {
        let n = opt_u32(vm, &v).ok_or_else(invalid)?;
        match i {
            0 => {}
            1 => spec.dict_size = Some(n),
            2 => spec.lc = Some(n),
            3 => spec.lp = Some(n),
            4 => spec.pb = Some(n),
            5 => spec.mode = Some(n),
            6 => spec.nice_len = Some(n),
            7 => spec.mf = Some(n),
            _ => spec.depth = Some(n),
        }
    }
    Ok(Filter::Lzma { id, spec })
}

/// One option (`dist`, `start_offset`) of a delta or BCJ filter.
fn single_option(vm: &Vm, items: &[(Value, Value)], name: &str, default: u32, kind: &str) -> PyResult<u32> {
    let invalid = || vm.new_value_error(format!("Invalid filter specifier for {kind} filter"));
    let opts = options(vm, items, &[name]).ok_or_else(invalid)?;
    match opts.last() {
        Some((_, v)) => opt_u32(vm, v).ok_or_else(invalid),
        None => Ok(default),
    }
}

/// CPython's `parse_filter_spec`: a dict with an "id" and that filter's options.
pub fn parse_filter(vm: &Vm, spec: &Value) -> PyResult<Filter> {
    let dict = match spec.payload().and_then(|p| p.as_dict()).is_some() {
        true => spec.clone(),
        false if !spec.is_none() && vm.lookup_attr(spec, &vm.intern("keys"))?.is_some() => {
            vm.call1(&Value::Obj(vm.types.dict.clone()), &[spec.clone()])?
        }
        false => return Err(vm.new_type_error("Filter specifier must be a dict or dict-like object")),
    };
    let Value::Obj(d) = &dict else {
        return Err(vm.new_type_error("Filter specifier must be a dict or dict-like object"));
    };
    let items = vm.dict_items(d);
    let Some((_, id)) = items.iter().find(|(k, _)| vm.as_str(k) == Some("id")) else {
        return Err(vm.new_value_error("Filter specifier must have an \"id\" entry"));
    };
    let id = u64_arg(vm, id)?;
    match id {
        FILTER_LZMA1 | FILTER_LZMA2 => parse_lzma(vm, id, &items),
        FILTER_DELTA => Ok(Filter::Delta { dist: single_option(vm, &items, "dist", 1, "delta")? }),
        FILTER_X86..=FILTER_SPARC => {
            Ok(Filter::Bcj { id, start_offset: single_option(vm, &items, "start_offset", 0, "BCJ")? })
        }
        _ => Err(vm.new_value_error(format!("Invalid filter ID: {id}"))),
    }
}

/// CPython's `parse_filter_chain_spec`: a sequence of at most 4 specifiers.
pub fn parse_chain(vm: &Vm, specs: &Value) -> PyResult<Vec<Filter>> {
    // PySequence_Size: a mapping has a length but is no sequence.
    if specs.payload().and_then(|p| p.as_dict()).is_some() {
        return Err(vm.new_type_error(format!("{} is not a sequence", vm.type_name_of(specs))));
    }
    let n = vm.len(specs)?;
    if n > FILTERS_MAX {
        return Err(vm.new_value_error(format!("Too many filters - liblzma supports a maximum of {FILTERS_MAX}")));
    }
    (0..n).map(|i| parse_filter(vm, &vm.getitem(specs, &Value::Int(i as i64))?)).collect()
}

/// The liblzma filter chain of parsed specifiers.
pub fn build_chain(chain: &[Filter]) -> Result<Filters, Fail> {
    let mut f = Filters::new();
    for filter in chain {
        match *filter {
            Filter::Lzma { id: FILTER_LZMA1, spec } => {
                f.lzma1(&spec.options()?);
            }
            Filter::Lzma { spec, .. } => {
                f.lzma2(&spec.options()?);
            }
            Filter::Delta { dist } => {
                if !(1..=256).contains(&dist) {
                    return Err(Fail::Lib(LzError::Options));
                }
                f.delta_properties(&[(dist - 1) as u8]).map_err(Fail::Lib)?;
            }
            Filter::Bcj { id, start_offset } => {
                let props = if start_offset == 0 { Vec::new() } else { start_offset.to_le_bytes().to_vec() };
                let r = match id {
                    FILTER_X86 => f.x86_properties(&props),
                    FILTER_POWERPC => f.powerpc_properties(&props),
                    FILTER_IA64 => f.ia64_properties(&props),
                    FILTER_ARM => f.arm_properties(&props),
                    FILTER_ARMTHUMB => f.arm_thumb_properties(&props),
                    _ => f.sparc_properties(&props),
                };
                r.map_err(Fail::Lib)?;
            }
        }
    }
    Ok(f)
}

/// liblzma's check on lc/lp/pb.
fn lclppb_valid(lc: u32, lp: u32, pb: u32) -> bool {
    lc <= 4 && lp <= 4 && lc + lp <= 4 && pb <= 4
}

/// The filter's properties as the .xz format stores them
/// (`lzma_properties_encode`); an invalid option is liblzma's LZMA_PROG_ERROR.
pub fn encode_properties(filter: &Filter) -> Result<Vec<u8>, Fail> {
    let prog = Err(Fail::Lib(LzError::Program));
    match *filter {
        Filter::Lzma { id: FILTER_LZMA1, spec } => {
            let (lc, lp, pb) = spec.lclppb();
            if !lclppb_valid(lc, lp, pb) {
                return prog;
            }
            let mut out = vec![((pb * 5 + lp) * 9 + lc) as u8];
            out.extend_from_slice(&spec.dict().to_le_bytes());
            Ok(out)
        }
        Filter::Lzma { spec, .. } => {
            // The dictionary size rounded up to 2**n or 3 * 2**n, as a slot number.
            let mut d = spec.dict().max(4096) - 1;
            for s in [2, 3, 4, 8, 16] {
                d |= d >> s;
            }
            if d == u32::MAX {
                return Ok(vec![40]);
            }
            let n = d + 1;
            let bits = 31 - n.leading_zeros();
            let slot = 2 * bits + ((n >> (bits - 1)) & 1);
            Ok(vec![(slot - 24) as u8])
        }
        Filter::Delta { dist } if (1..=256).contains(&dist) => Ok(vec![(dist - 1) as u8]),
        Filter::Delta { .. } => prog,
        Filter::Bcj { start_offset: 0, .. } => Ok(Vec::new()),
        Filter::Bcj { start_offset, .. } => Ok(start_offset.to_le_bytes().to_vec()),
    }
}

/// `_decode_filter_properties`: the specifier (as name/value pairs) that
/// `props` encode for filter `id`.
pub fn decode_properties(id: u64, props: &[u8]) -> Result<Vec<(&'static str, u64)>, Fail> {
    let bad = Err(Fail::Lib(LzError::Options));
    let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
    let mut out = vec![("id", id)];
    match (id, props) {
        (FILTER_LZMA1, [b, rest @ ..]) if rest.len() == 4 && *b <= (4 * 5 + 4) * 9 + 8 => {
            let (pb, lp, lc) = (b / 45, (b % 45) / 9, b % 9);
            if lc + lp > 4 {
                return bad;
            }
            out.extend([("lc", lc as u64), ("lp", lp as u64), ("pb", pb as u64), ("dict_size", le32(rest))]);
        }
        (FILTER_LZMA2, [b]) if *b <= 40 => {
            let dict = if *b == 40 { u32::MAX as u64 } else { (2 | (*b as u64 & 1)) << (*b / 2 + 11) };
            out.push(("dict_size", dict));
        }
        (FILTER_DELTA, [b]) => out.push(("dist", *b as u64 + 1)),
        (FILTER_X86..=FILTER_SPARC, []) => {}
        (FILTER_X86..=FILTER_SPARC, p) if p.len() == 4 => {
            if le32(p) != 0 {
                out.push(("start_offset", le32(p)));
            }
        }
        _ => return bad,
    }
    Ok(out)
}
