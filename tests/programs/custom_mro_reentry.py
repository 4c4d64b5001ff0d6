# A metaclass mro() that looks at, extends or reassigns the class it is
# computing the MRO of.

state = {"step": 0, "ready": False}


class Named(type):
    def __repr__(cls):
        return cls.__name__


# While a new class's mro() runs, the class has no MRO yet.
class M1(Named):
    def mro(cls):
        print("mro of", cls.__name__, "sees", cls.__mro__)
        if state["step"] == 0:
            state["step"] = 1
            cls.__bases__ += ()
            try:
                class X(cls):
                    pass
            except TypeError as e:
                print("extend:", e)
            try:
                super(cls, cls).xxx
            except AttributeError as e:
                print("super: AttributeError")
        return type.mro(cls)


class A1(metaclass=M1):
    pass


print(A1.__mro__)


# An mro() leaving out the class itself: the class is not its own subtype.
class B:
    pass


class M2(Named):
    def mro(cls):
        del M2.mro
        return (B,)


try:
    class A2(metaclass=M2):
        pass
except TypeError as e:
    print(e)


# An mro() that reassigns __bases__ and then fails: the inner assignment stays.
class E(Exception):
    pass


class M3(Named):
    def mro(cls):
        if state["ready"] and cls.__name__ == "C":
            if C.__bases__ == (B2,):
                state["ready"] = False
            else:
                C.__bases__ = (B2,)
                raise E
        return type.mro(cls)


class A(metaclass=M3):
    pass


class B1(A):
    pass


class B2(A):
    pass


class C(A):
    pass


state["ready"] = True
try:
    C.__bases__ = (B1,)
except E:
    print("E raised")
B1.__bases__ = (C,)
print(C.__bases__, C.__mro__, C.__mro__ == tuple(type.mro(C)), B1.__mro__)


# Nested reassignments that would make a cycle are refused.
class M4(Named):
    def mro(cls):
        if state["ready"]:
            if cls.__name__ == "D1":
                D2.__bases__ = (D1,)
            if cls.__name__ == "D2":
                D1.__bases__ = (D2,)
        return type.mro(cls)


class Root(metaclass=M4):
    pass


class D1(Root):
    pass


class D2(Root):
    pass


state["ready"] = True
try:
    D1.__bases__ += ()
except TypeError as e:
    print(e)
print(D1.__mro__, D2.__mro__)

print(dir(object()) == dir(Ellipsis), "__doc__" in object.__dict__)
