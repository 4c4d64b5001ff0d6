# A class's __name__ and __qualname__ are the same str object on every read
# (CPython keeps them as the type's own strs); inspect relies on that to
# place such attributes (classify_class_attrs matches by identity).
import enum
import inspect


class Color(enum.Enum):
    CYAN = 1
    MAGENTA = 2


class Outer:
    class Inner:
        pass


print(Color.__name__ is Color.__name__, Outer.Inner.__qualname__ is Outer.Inner.__qualname__)
print(int.__name__ is int.__name__, Outer.Inner.__qualname__)
print(sorted(a.name for a in inspect.classify_class_attrs(Color) if a.name in ("__name__", "__qualname__")))
Outer.__name__ = "Renamed"
print(Outer.__name__, Outer.__name__ is Outer.__name__, Outer.__qualname__)
