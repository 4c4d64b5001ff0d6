//! Number formatting and parsing with CPython 3.11's exact results.
//!
//! * [`float_repr`], [`complex_repr`]: `repr()` of float / complex;
//! * [`parse_format_spec`] and [`format_int`], [`format_float`],
//!   [`format_complex`], [`format_str`]: the `format()` mini-language;
//! * [`percent`]: the numeric conversions of `%`-formatting;
//! * [`parse_float`], [`parse_int`]: `float(str)` / `int(str, base)`;
//! * [`floatops`]: `float.hex/fromhex`, `round`, int <-> float, `int / int`,
//!   float `% // divmod **`;
//! * [`hash`]: the numeric hash.
//!
//! Every failure is a [`FormatError`] carrying the Python exception kind and
//! CPython's exact message.  Nothing here panics on any input.

mod digits;
mod dtoa;
pub mod error;
pub mod float_fmt;
pub mod floatops;
pub mod hash;
pub mod int_fmt;
pub mod parse;
pub mod percent;
mod render;
pub mod spec;
pub mod str_fmt;

#[cfg(test)]
mod tests;

pub use dtoa::float_repr;
pub use error::{ErrorKind, FmtResult, FormatError};
pub use float_fmt::{complex_repr, float_str, format_complex, format_float};
pub use floatops::{
    float_as_integer_ratio, float_div, float_divmod, float_floordiv, float_fromhex, float_hex, float_mod,
    float_pow, float_to_ibig, ibig_to_f64, int_true_divide, round_float, round_half_even, PowResult,
};
pub use hash::{hash_complex, hash_float, hash_i64, hash_int};
pub use int_fmt::{
    char_from_int, format_int, int_to_decimal_string, int_to_prefixed, int_to_str_radix, str_limit_error,
    DEFAULT_MAX_STR_DIGITS,
};
pub use parse::{parse_float, parse_int, ParseIntError};
pub use percent::{
    percent_format_char, percent_format_char_int, percent_format_float, percent_format_int, percent_format_str,
    PercentSpec,
};
pub use spec::{parse_format_spec, unknown_format_code, FormatSpec};
pub use str_fmt::format_str;
