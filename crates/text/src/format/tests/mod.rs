//! Test vectors generated with CPython 3.11.7 by `gen_vectors.py` (run it
//! from this directory to regenerate the `.txt` files).

mod edge;
mod vectors;
