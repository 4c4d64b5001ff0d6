from importlib_pkg.circ_b import B
A = 'a'
