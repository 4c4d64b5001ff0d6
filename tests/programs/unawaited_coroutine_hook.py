# The never-awaited warning goes through warnings._warn_unawaited_coroutine;
# its failure is reported as unraisable, then the plain warning is issued.
import sys, warnings, gc
def hook(u): print("unraisable", u.exc_type.__name__, u.object.__class__.__name__)
sys.unraisablehook = hook
async def corofn(): pass
orig = warnings._warn_unawaited_coroutine
warnings._warn_unawaited_coroutine = lambda coro: 1/0
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c = corofn(); del c; gc.collect()
    print([str(x.message) for x in w])
del warnings._warn_unawaited_coroutine
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    corofn(); gc.collect()
    print([str(x.message) for x in w])
warnings._warn_unawaited_coroutine = orig
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    corofn(); gc.collect()
    print([str(x.message) for x in w])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    corofn(); gc.collect()
print("end")
