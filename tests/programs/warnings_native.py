# The native _warnings: filters (str and pattern modules), actions, registries, once/module, errors, warn_explicit, categories, stacklevel.
import warnings, sys
print(warnings.filters[:2])
print(warnings.warn.__module__ if hasattr(warnings.warn, '__module__') else None)
def f():
    warnings.warn("hello")
    warnings.warn("dep", DeprecationWarning)
    warnings.warn("rt", RuntimeWarning, stacklevel=2)
for i in range(3): f()
class MyW(UserWarning): pass
warnings.warn(MyW("inst"))
try: warnings.warn("x", 5)
except TypeError as e: print(e)
try: warnings.warn("x", int)
except TypeError as e: print(e)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    for i in range(2): warnings.warn("rec", UserWarning)
    warnings.warn("src", ResourceWarning, source=object())
    print(len(w), [str(x.message) for x in w], w[0].filename == __file__, w[0].lineno)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try: warnings.warn("boom", FutureWarning)
    except FutureWarning as e: print("raised", repr(e))
with warnings.catch_warnings():
    warnings.simplefilter("once")
    for i in range(3): warnings.warn("once-msg")
with warnings.catch_warnings():
    warnings.simplefilter("module")
    for i in range(3): warnings.warn("module-msg")
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ign")
    warnings.warn("ignored text")
    warnings.warn("shown text")
warnings.warn_explicit("explicit", UserWarning, "some/file.py", 12)
warnings.warn_explicit("explicit2", UserWarning, "some/file.py", 13, module="mod", registry={})
try: warnings.warn_explicit("e", UserWarning, "f.py", 1, registry=5)
except TypeError as e: print(e)
with warnings.catch_warnings():
    warnings.filters.insert(0, ("bogus", None, Warning, None, 0))
    try: warnings.warn("x")
    except RuntimeError as e: print(str(e).splitlines()[0])
print("__warningregistry__" in globals(), "end", file=sys.stderr)
