# Special methods found on the type are bound through their descriptors,
# and errors while binding a comparison method mean NotImplemented.
import operator

record = []


class Recorded:
    def __init__(self, impl):
        self.impl = impl

    def __get__(self, obj, owner):
        record.append(self.impl.__name__)
        return self.impl.__get__(obj, owner)


def hint(self):
    return 3


def bad_hint(self):
    return "3"


def neg_hint(self):
    return -1


def type_error_hint(self):
    raise TypeError("ignored")


class It:
    def __iter__(self):
        return self

    def __next__(self):
        raise StopIteration


It.__length_hint__ = Recorded(hint)
print(list(It()), [*It()], operator.length_hint(It()), record)

for impl in bad_hint, neg_hint, type_error_hint:
    It.__length_hint__ = impl
    for label, fn in [("list", lambda: list(It())), ("length_hint", lambda: operator.length_hint(It(), 5))]:
        try:
            print(impl.__name__, label, fn())
        except (TypeError, ValueError) as e:
            print(impl.__name__, label, type(e).__name__, e)


class Sized:
    def __len__(self):
        record.append("len")
        return 2

    def __iter__(self):
        return iter([1, 2])


record.clear()
print(list(Sized()), record)


def booh(self, *args):
    raise AttributeError("booh")


def boot(self, *args):
    raise TypeError("boot")


for f in booh, boot:
    class E:
        __eq__ = property(f)

    class L:
        __lt__ = property(f)

    e = E()
    print(e == e, E() == E(), E() != E(), E() == 1, 1 == E(), E().__ne__(E()))
    try:
        L() < L()
    except TypeError as x:
        print(x)


class I:
    __init__ = property(booh)


try:
    I()
except AttributeError as x:
    print("init", x)


class Raises:
    def __eq__(self, other):
        raise ZeroDivisionError("from __eq__")


try:
    Raises() != Raises()
except ZeroDivisionError as x:
    print(x)
