# `-m`: modules and packages run through runpy as CPython's do (spec,
# __package__, sys.argv[0], "No module named" exit), and tracebacks through
# the stdlib modules CPython freezes show `<frozen ...>` frames.
import os
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, 'pkg'))
    with open(os.path.join(d, 'pkg', '__init__.py'), 'w') as f:
        f.write('')
    with open(os.path.join(d, 'pkg', '__main__.py'), 'w') as f:
        f.write('import sys\nprint(__name__, __package__, __spec__.name, __file__.endswith("__main__.py"))\n'
                'print(sys.argv[0].endswith("__main__.py"), sys.argv[1:])\n')
    with open(os.path.join(d, 'mod.py'), 'w') as f:
        f.write('print(__name__, repr(__package__), __spec__.name)\nimport os\nos.environ["KRAIT_NOT_SET_X"]\n')
    for args in [['-m', 'pkg', 'a', 'b'], ['-m', 'pkg.__main__'], ['-m', 'mod'], ['-m', 'no_such_mod'], ['-m', 'pkg.nope']]:
        r = subprocess.run([sys.executable] + args, cwd=d, capture_output=True, text=True)
        print(args, r.returncode)
        print(r.stdout, end='')
        print(r.stderr.replace(sys.executable, 'PYTHON').replace(d, 'DIR'), end='')
