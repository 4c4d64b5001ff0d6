# staticmethod/classmethod objects have a __dict__ that __init__ fills as
# functools.wraps does; the ones type() makes implicitly start empty.
def f(cls, arg):
    "f docstring"
    return (cls, arg)
cm = classmethod(f)
print(cm.__dict__)
cm.x = 42
print(cm.x, sorted(cm.__dict__))
del cm.x
print(hasattr(cm, "x"), cm.__name__, cm.__doc__, cm.__qualname__)
sm = staticmethod(None)
print(sm.__dict__)
try: sm.__name__
except AttributeError as e: print(e)
class C:
    def __init_subclass__(cls): pass
print(C.__dict__['__init_subclass__'].__dict__)
print(staticmethod(len).__dict__)
class S(staticmethod): pass
s = S(len); print(s.__dict__, s.__name__)
sm.__dict__ = {'a': 1}; print(sm.a)
try: sm.__dict__ = 3
except TypeError as e: print(e)
import gc
sm = staticmethod(None); sm.self = sm; del sm; gc.collect()
print(C.__init_subclass__.__name__)
