# importlib on krait's import system: import_module, reload, util, machinery,
# meta_path finders, module specs, sys.modules edge cases.
import sys, os
import importlib, importlib.util, importlib.machinery

print('meta_path:', [f.__name__ for f in sys.meta_path if f in (importlib.machinery.BuiltinImporter, importlib.machinery.FrozenImporter, importlib.machinery.PathFinder)])
print('path_hooks:', len(sys.path_hooks) >= 1, type(sys.path_importer_cache).__name__)
import itertools
print('builtin spec:', itertools.__spec__.name, itertools.__spec__.origin, itertools.__loader__.__name__)
print('builtin repr:', repr(itertools))

pkg = importlib.import_module('importlib_pkg')
print('pkg spec:', pkg.__spec__.name, os.path.basename(pkg.__spec__.origin),
      len(pkg.__spec__.submodule_search_locations), pkg.__path__ is pkg.__spec__.submodule_search_locations)
print('pkg loader:', type(pkg.__loader__).__name__, pkg.__package__)
print('leaf:', pkg.leaf.where(), pkg.leaf.__spec__.parent)
deep = importlib.import_module('.sub.deep', 'importlib_pkg')
print('deep:', deep.__name__, deep.DEPTH, deep.V, deep.__package__)
print('same object:', importlib.import_module('importlib_pkg.leaf') is pkg.leaf)
try:
    import importlib_pkg.circ_a
except ImportError as e:
    print('circular:', str(e).replace(os.path.dirname(e.path), '<dir>'))
    print('circular name:', e.name, os.path.basename(e.path))

spec = importlib.util.find_spec('importlib_pkg.leaf')
print('find_spec:', spec.name, type(spec.loader).__name__, spec.has_location)
print('find_spec missing:', importlib.util.find_spec('no_such_mod_xyz'))
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('loose_leaf', os.path.join(here, 'importlib_pkg', 'leaf.py'))
mod = importlib.util.module_from_spec(spec)
print('module_from_spec:', mod.__name__, 'VALUE' in vars(mod), 'loose_leaf' in sys.modules)
spec.loader.exec_module(mod)
print('exec_module:', mod.VALUE, mod.where())
print('machinery:', importlib.machinery.SOURCE_SUFFIXES, importlib.machinery.ModuleSpec('x', None))
importlib.invalidate_caches()

# reload re-runs the body in the same module object
d = '/tmp/krait_importlib_%d' % os.getpid()
os.mkdir(d)
path = os.path.join(d, 'reload_me.py')
with open(path, 'w') as f:
    f.write('X = 1\ncount = globals().get("count", 0) + 1\n')
sys.path.insert(0, d)
try:
    import reload_me
    print('before:', reload_me.X, reload_me.count)
    with open(path, 'w') as f:
        f.write('X = 2\ncount = globals().get("count", 0) + 1\n')
    again = importlib.reload(reload_me)
    print('after:', again is reload_me, reload_me.X, reload_me.count)
    try:
        importlib.reload('reload_me')
    except TypeError as e:
        print('TypeError:', e)
    del sys.modules['reload_me']
    try:
        importlib.reload(reload_me)
    except ImportError as e:
        print('ImportError:', e)
finally:
    sys.path.remove(d)
    os.remove(path)
    os.rmdir(d)

# a finder on sys.meta_path is honoured by the import statement
class Loader:
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        module.GREETING = 'hello from ' + module.__name__
class Finder:
    def find_spec(self, name, path, target=None):
        if name.startswith('virtual_'):
            return importlib.util.spec_from_loader(name, Loader())
        return None
sys.meta_path.insert(0, Finder())
import virtual_one
print('virtual:', virtual_one.GREETING, type(virtual_one.__loader__).__name__)
print('via import_module:', importlib.import_module('virtual_two').GREETING)
sys.meta_path.pop(0)
try:
    import virtual_three
except ModuleNotFoundError as e:
    print('ModuleNotFoundError:', e)

sys.modules['halted'] = None
try:
    import halted
except ImportError as e:
    print(type(e).__name__, e, e.name)
del sys.modules['halted']
try:
    importlib.import_module('.rel')
except TypeError as e:
    print('TypeError:', e)
try:
    importlib.import_module('')
except ValueError as e:
    print('ValueError:', e)
print('builtin:', importlib.util.find_spec('itertools').origin, importlib.machinery.BuiltinImporter.find_spec('_imp').name)
import _imp
print('_imp:', _imp.is_builtin('itertools'), _imp.is_builtin('sys'), _imp.is_builtin('os'))
