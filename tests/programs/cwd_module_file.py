# Modules found through '' on sys.path (python -c, stdin) have absolute
# __file__ and __path__, as CPython's finder spells out the current directory.
import os, subprocess, sys, tempfile
root = os.path.realpath(tempfile.mkdtemp())
os.makedirs(os.path.join(root, "pkg"))
with open(os.path.join(root, "plain.py"), "w") as f:
    f.write("V = 1\n")
with open(os.path.join(root, "pkg", "__init__.py"), "w") as f:
    f.write("")
code = "import plain, pkg, sys; print(sys.path[0] == '', plain.__file__, pkg.__file__, pkg.__path__)"
r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
print(r.stdout.replace(root, "ROOT").strip(), r.returncode)
r = subprocess.run([sys.executable, "-"], input=code, cwd=root, capture_output=True, text=True)
print(r.stdout.replace(root, "ROOT").strip(), r.returncode)
