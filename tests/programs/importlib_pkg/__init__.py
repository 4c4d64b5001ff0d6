"""Helper package for importlib_basics.py."""
print('  importlib_pkg/__init__ running')
from . import leaf
NAME = 'importlib_pkg'
