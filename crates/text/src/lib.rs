//! Pure text algorithms shared by the compiler and the VM: number formatting
//! and parsing with CPython's exact results, the format-spec mini-language, and
//! Unicode property tables generated from CPython 3.11's `unicodedata`.
//! Nothing here knows about Python objects.

pub mod format;
pub mod unicode;
