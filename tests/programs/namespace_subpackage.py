# A folder without __init__.py inside a regular package is a namespace
# subpackage (PEP 420), also while the package's own __init__ is running.
import os, sys, tempfile
root = tempfile.mkdtemp()
os.makedirs(os.path.join(root, "reg", "data"))
with open(os.path.join(root, "reg", "__init__.py"), "w") as f:
    f.write("from .data import mod\nfrom reg.data import mod as again\n")
with open(os.path.join(root, "reg", "data", "mod.py"), "w") as f:
    f.write("Y = 2\n")
os.makedirs(os.path.join(root, "top", "inner"))
with open(os.path.join(root, "top", "inner", "leaf.py"), "w") as f:
    f.write("Z = 3\n")
sys.path.insert(0, root)
import reg
print(reg.mod.Y, reg.mod is reg.again, type(reg.data.__path__).__name__)
print([p.replace(root, "ROOT") for p in reg.data.__path__], reg.data.__file__ if hasattr(reg.data, "__file__") else None)
import top.inner.leaf
print(top.inner.leaf.Z, top.__spec__.origin, [p.replace(root, "ROOT") for p in top.__path__])
try:
    import reg.missing
except ModuleNotFoundError as e:
    print(e)
