from importlib_pkg.circ_a import A
B = 'b'
