//! Engine tests on opcode lists produced by CPython 3.11's re/_compiler.py.
