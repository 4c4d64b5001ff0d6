# __bases__ assigned again from a metaclass mro() while an assignment is in
# progress: the inner assignment wins and nothing loops (test_descr's
# test_tp_subclasses_cycle_in_update_slots).
class M(type):
    ready = False
    def mro(cls):
        if M.ready and cls.__name__ == 'C':
            M.ready = False
            C.__bases__ = (B2,)
        return type.mro(cls)

class A(metaclass=M):
    pass
class B1(A):
    pass
class B2(A):
    pass
class C(A):
    pass

M.ready = True
C.__bases__ = (B1,)
print([k.__name__ for k in C.__bases__], [k.__name__ for k in C.__mro__])
print(sorted(k.__name__ for k in B1.__subclasses__()), sorted(k.__name__ for k in B2.__subclasses__()))
print(sorted(k.__name__ for k in A.__subclasses__()))
class D(C):
    def __repr__(self):
        return 'D!'
print(repr(D()), isinstance(D(), B2), issubclass(C, B1))
