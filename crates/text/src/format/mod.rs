//! Number formatting and parsing (see the module docs of each file).
