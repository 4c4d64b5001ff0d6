//! End-to-end tests of classes: Python snippets compiled by krait's compiler,
//! run, and `repr(r)` compared with what CPython 3.11 printed (generated
//! with python3 from the same snippets; each body runs inside a try/except
//! that stores the error as `r`).

pub(super) const CASES: &[(&str, &str)] = &[
    (r#"class A:
    def __init__(self, x): self.x = x
    def get(self): return self.x
r = A(3).get()"#, r#"3"#),
    (r#"class A:
    def f(self): return 'A'
class B(A):
    def f(self): return 'B' + super().f()
class C(B):
    def f(self): return 'C' + super().f()
r = C().f()"#, r#"'CBA'"#),
    (r#"class P:
    def __init__(self): self._v = 1
    @property
    def v(self): return self._v
    @v.setter
    def v(self, val): self._v = val * 2
p = P(); p.v = 5
r = p.v"#, r#"10"#),
    (r#"class P:
    @property
    def v(self): return 1
try:
    P().v = 2
except AttributeError as e:
    r = str(e)"#, r#""property 'v' of 'P' object has no setter""#),
    (r#"class K:
    @classmethod
    def make(cls): return cls.__name__
    @staticmethod
    def s(a, b): return a + b
class L(K): pass
r = (L.make(), L().make(), K.s(1, 2), L().s(3, 4))"#, r#"('L', 'L', 3, 7)"#),
    (r#"class S:
    __slots__ = ('a', 'b')
s = S(); s.a = 1
try:
    s.c = 3
except AttributeError as e:
    r = (s.a, str(e), hasattr(s, '__dict__'))"#, r#"(1, "'S' object has no attribute 'c'", False)"#),
    (r#"log = []
class Base:
    def __init_subclass__(cls, flag=None, **kw):
        super().__init_subclass__(**kw)
        log.append((cls.__name__, flag))
class D(Base, flag=1): pass
class E(D): pass
r = log"#, r#"[('D', 1), ('E', None)]"#),
    (r#"class Named:
    def __set_name__(self, owner, name): self.name = (owner.__name__, name)
class O:
    x = Named()
r = O.x.name"#, r#"('O', 'x')"#),
    (r#"class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        ns['tag'] = kw.get('tag')
        return super().__new__(mcls, name, bases, ns)
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        return {'prepared': True}
class X(metaclass=Meta, tag='t'):
    pass
r = (X.tag, X.prepared, type(X).__name__)"#, r#"('t', True, 'Meta')"#),
    (r#"class A:
    @classmethod
    def who(cls): return 'A:' + cls.__name__
class B(A):
    @classmethod
    def who(cls): return 'B>' + super().who()
r = B.who()"#, r#"'B>A:B'"#),
    (r#"class A: pass
r = (repr(A), repr(A())[:21], A.__module__, A.__qualname__)"#, r#"("<class '__main__.A'>", '<__main__.A object at', '__main__', 'A')"#),
    (r#"class A: pass
try:
    A(1)
except TypeError as e:
    r = str(e)"#, r#"'A() takes no arguments'"#),
    (r#"class A:
    def __init__(self): return 1
try:
    A()
except TypeError as e:
    r = str(e)"#, r#""__init__() should return None, not 'int'""#),
    (r#"class A:
    def __eq__(self, o): return True
r = (A.__hash__, A() == 1)"#, r#"(None, True)"#),
    (r#"class A: pass
A.__add__ = lambda s, o: 5
r = A() + A()"#, r#"5"#),
    (r#"class A: pass
X = type('X', (A,), {'y': 1})
r = (X().y, X.__mro__ == (X, A, object), X.__bases__ == (A,))"#, r#"(1, True, True)"#),
    (r#"class M(type):
    def __instancecheck__(cls, inst): return inst == 7
class Z(metaclass=M): pass
r = (isinstance(7, Z), isinstance(8, Z), isinstance(7, (int, Z)), issubclass(bool, (str, int)))"#, r#"(True, False, True, True)"#),
    (r#"class Entry:
    def __mro_entries__(self, bases): return (int,)
class N(Entry()): pass
r = (N.__bases__ == (int,), type(N.__orig_bases__[0]).__name__)"#, r#"(True, 'Entry')"#),
    (r#"class A: pass
class B: pass
try:
    class C(A, B, A): pass
except TypeError as e:
    r = str(e)"#, r#"'duplicate base class A'"#),
    (r#"class A: pass
class B(A): pass
try:
    class C(A, B): pass
except TypeError as e:
    r = str(e)"#, r#"'Cannot create a consistent method resolution\norder (MRO) for bases A, B'"#),
    (r#"class A:
    def f(self): return __class__.__name__
r = A().f()"#, r#"'A'"#),
    (r#"class V:
    def __init__(self): self.a = 1
v = V()
v.__dict__['b'] = 2
r = (sorted(v.__dict__), v.b, vars(v) is v.__dict__)"#, r#"(['a', 'b'], 2, True)"#),
    (r#"class A: pass
class B: pass
a = A(); a.__class__ = B
r = type(a).__name__"#, r#"'B'"#),
    (r#"class A:
    x = 1
class B(A):
    x = 2
    def get(self): return super().x
r = (B().get(), super(B, B()).x, super(B, B).x)"#, r#"(1, 1, 1)"#),
    (r#"class D:
    def __get__(self, obj, typ=None): return ('get', obj is None)
    def __set__(self, obj, v): obj.__dict__['seen'] = v
class H:
    d = D()
h = H(); h.d = 5
r = (h.d, H.d, h.seen)"#, r#"(('get', False), ('get', True), 5)"#),
    (r#"r = (object.__repr__(1)[:13], str(object()) [:17], format(object(), '')[:17], object.__format__ is not None)"#, r#"('<int object a', '<object object at', '<object object at', True)"#),
    (r#"class F:
    def __format__(self, spec): return 'F' + spec
try:
    format(object(), 'x')
except TypeError as e:
    r = (str(e), format(F(), 'z'))"#, r#"('unsupported format string passed to object.__format__', 'Fz')"#),
    (r#"class T:
    def __getattr__(self, n): return n.upper()
r = T().hello"#, r#"'HELLO'"#),
    (r#"class G:
    def __getattribute__(self, n):
        if n == 'magic': return 42
        return object.__getattribute__(self, n)
g = G(); g.q = 1
r = (g.magic, g.q)"#, r#"(42, 1)"#),
    (r#"class A:
    def __repr__(self): return 'A!'
r = (repr(A()), str(A()))"#, r#"('A!', 'A!')"#),
    (r#"r = (type(1).__name__, type(type).__name__, type.__name__, int.__qualname__)"#, r#"('int', 'type', 'type', 'int')"#),
    (r#"class Q:
    '''doc'''
r = (Q.__doc__, Q().__doc__, Q.__dict__['__doc__'])"#, r#"('doc', 'doc', 'doc')"#),
    (r#"class W:
    a: int = 1
r = W.__annotations__"#, r#"{'a': <class 'int'>}"#),
    (r#"try:
    class Bad(bool): pass
except TypeError as e:
    r = str(e)"#, r#""type 'bool' is not an acceptable base type""#),
    (r#"class A:
    __slots__ = ('x',)
    x = 1"#, r#""EXC ValueError: 'x' in __slots__ conflicts with class variable""#),
    (r#"class CM:
    @classmethod
    @property
    def p(cls): return cls.__name__ + '!'
r = CM.p"#, r#"'CM!'"#),
    (r#"class Cnt:
    n = 0
    def __new__(cls, *a):
        cls.n += 1
        return super().__new__(cls)
    def __init__(self, v): self.v = v
c = Cnt(9)
r = (Cnt.n, c.v)"#, r#"(1, 9)"#),
    (r#"class P:
    def __init__(self, v): self.v = v
class Q(P):
    def __init__(self, v):
        super().__init__(v + 1)
r = Q(1).v"#, r#"2"#),
    (r#"r = (dir(object())[:3], '__class__' in dir(1))"#, r#"(['__class__', '__delattr__', '__dir__'], True)"#),
    (r#"class A: pass
a = A()
r = (a == a, a != a, a == A(), hash(a) == hash(a))"#, r#"(True, False, False, True)"#),
    (r#"class A: pass
class B: __slots__ = ('x',)
a = A()
out = []
for f in (lambda: setattr(a, '__class__', B), lambda: setattr(a, '__class__', 1), lambda: setattr(1, '__class__', A)):
    try:
        f()
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"["__class__ assignment: 'B' object layout differs from 'A'", "__class__ must be set to a class, not 'int' object", '__class__ assignment only supported for mutable types or ModuleType subclasses']"#),
    (r#"r = (repr(list.append), repr(len), repr([].append)[:32], repr(dict.__dict__['fromkeys']), list.append.__qualname__, len.__qualname__)"#, r#"("<method 'append' of 'list' objects>", '<built-in function len>', '<built-in method append of list ', "<method 'fromkeys' of 'dict' objects>", 'list.append', 'len')"#),
    (r#"class S: __slots__ = ('x',)
r = (repr(S.x), S.x.__name__, S.x.__objclass__ is S, repr(S.__dict__['__slots__']))"#, r#"("<member 'x' of 'S' objects>", 'x', True, "('x',)")"#),
    (r#"class C: pass
r = (repr(C.__dict__['__dict__']), C.__dict__['__weakref__'].__name__, repr(type.__dict__['__name__']))"#, r#"("<attribute '__dict__' of 'C' objects>", '__weakref__', "<attribute '__name__' of 'type' objects>")"#),
    (r#"r = (repr(staticmethod(len)), repr(classmethod(len)), staticmethod(len)('abc'))"#, r#"('<staticmethod(<built-in function len>)>', '<classmethod(<built-in function len>)>', 3)"#),
    (r#"out = []
for f in (lambda: super(int, 'x'), lambda: super(1, 2), lambda: super(), lambda: super(int, 1, 2)):
    try:
        f()
    except (TypeError, RuntimeError) as e:
        out.append(type(e).__name__ + ':' + str(e))
r = out"#, r#"['TypeError:super(type, obj): obj must be an instance or subtype of type', 'TypeError:super() argument 1 must be a type, not int', 'RuntimeError:super(): no arguments', 'TypeError:super() expected at most 2 arguments, got 3']"#),
    (r#"class A: pass
r = (repr(super(A, A())), repr(super(A)), super(A).__self__, super(A, A()).__self_class__ is A)"#, r#"("<super: <class 'A'>, <A object>>", "<super: <class 'A'>, NULL>", None, True)"#),
    (r#"out = []
for f in (lambda: isinstance(1, 1), lambda: issubclass(1, int), lambda: issubclass(int, 1), lambda: isinstance(1, (int, 1)), lambda: isinstance(1, (str, 1))):
    try:
        out.append(f())
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"['isinstance() arg 2 must be a type, a tuple of types, or a union', 'issubclass() arg 1 must be a class', 'issubclass() arg 2 must be a class, a tuple of classes, or a union', True, 'isinstance() arg 2 must be a type, a tuple of types, or a union']"#),
    (r#"class A: pass
out = []
for f in (lambda: setattr(int, 'x', 1), lambda: setattr(A, '__name__', 1), lambda: delattr(A, 'nope'), lambda: setattr(A, '__qualname__', 3), lambda: setattr(A, '__bases__', ())):
    try:
        f()
    except (TypeError, AttributeError) as e:
        out.append(str(e))
r = out"#, r#"["cannot set 'x' attribute of immutable type 'int'", "can only assign string to A.__name__, not 'int'", "type object 'A' has no attribute 'nope'", "can only assign string to A.__qualname__, not 'int'", 'can only assign non-empty tuple to A.__bases__, not ()']"#),
    (r#"class A:
    '''d'''
    x = 1
r = (A.__dict__['x'], 'x' in A.__dict__, len(A.__dict__) > 2, type(A.__dict__).__name__, A.__dict__.get('y', 5))"#, r#"(1, True, True, 'mappingproxy', 5)"#),
    (r#"class M1(type): pass
class M2(type): pass
class A(metaclass=M1): pass
class B(metaclass=M2): pass
try:
    class C(A, B): pass
except TypeError as e:
    r = str(e)"#, r#"'metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases'"#),
    (r#"class P:
    def g(self): return 1
    x = property(g, doc='hello')
    y = property(g)
r = (P.x.__doc__, P.y.__doc__, P.x.fget is P.g, P.x.fset, property().__isabstractmethod__)"#, r#"('hello', None, True, None, False)"#),
    (r#"class P:
    @property
    def v(self): return self._v
    @v.setter
    def v(self, x): self._v = x
    @v.deleter
    def v(self): del self._v
p = P(); p.v = 3; a = p.v; del p.v
try:
    p.v
except AttributeError as e:
    r = (a, str(e))"#, r#"(3, "'P' object has no attribute '_v'")"#),
    (r#"class A:
    def __init__(self, x): pass
class B:
    def __new__(cls, x): return object.__new__(cls)
out = []
for f in (lambda: object.__new__(A, 1), lambda: object.__new__(B, 1), lambda: object.__init__(B(1), 1), lambda: object.__init__(A(1), 1), lambda: object.__new__(int)):
    try:
        out.append(type(f()).__name__)
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"['A', 'object.__new__() takes exactly one argument (the type to instantiate)', 'NoneType', 'object.__init__() takes exactly one argument (the instance to initialize)', 'object.__new__(int) is not safe, use int.__new__()']"#),
    (r#"out = []
for f in (lambda: type('X', (), {}, x=1), lambda: type(1, x=2), lambda: type('X', 1, {}), lambda: type(1, (), {}), lambda: type('X', (), []), lambda: type.__new__(type, 'X'), lambda: type('X', (), {'__qualname__': 1})):
    try:
        f()
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"['X.__init_subclass__() takes no keyword arguments', 'type() takes no keyword arguments', 'type.__new__() argument 2 must be tuple, not int', 'type.__new__() argument 1 must be str, not int', 'type.__new__() argument 3 must be dict, not list', 'type.__new__() takes exactly 3 arguments (1 given)', 'type __qualname__ must be a str, not int']"#),
    (r#"class A:
    def __init_subclass__(cls): pass
try:
    class B(A, x=1): pass
except TypeError as e:
    r = str(e)"#, r#""A.__init_subclass__() got an unexpected keyword argument 'x'""#),
    (r#"class Bad:
    def __set_name__(self, owner, name): raise ValueError('boom')
try:
    class O:
        b = Bad()
except RuntimeError as e:
    r = (str(e), repr(e.__cause__))"#, r#"("Error calling __set_name__ on 'Bad' instance 'b' in 'O'", "ValueError('boom')")"#),
    (r#"class A:
    def __init__(self): self.a = 1
r = (sorted(A().__dir__())[:3], 'a' in dir(A()), 'mro' in dir(type))"#, r#"(['__class__', '__delattr__', '__dict__'], True, True)"#),
    (r#"class A: pass
class B(A): pass
class C(B): pass
r = (C.mro() == [C, B, A, object], A.__subclasses__() == [B], C.__base__ is B, object.__base__, type.__base__ is object)"#, r#"(True, True, True, None, True)"#),
    (r#"class Meta(type):
    def mro(cls): return [cls, object]
class A: pass
class B(A, metaclass=Meta): pass
r = B.__mro__ == (B, object)"#, r#"True"#),
    (r#"class A: pass
class B(A): pass
class C: pass
B.__bases__ = (C,)
r = (B.__mro__ == (B, C, object), A.__subclasses__(), C.__subclasses__() == [B])"#, r#"(True, [], True)"#),
    (r#"class A:
    def f(self): return 1
class B(A): pass
b = B()
r1 = b.f()
A.f = lambda self: 2
r2 = b.f()
del A.f
try:
    b.f()
except AttributeError as e:
    r = (r1, r2, str(e))"#, r#"(1, 2, "'B' object has no attribute 'f'")"#),
    (r#"class N:
    x = 1
    def __eq__(self, o): return False
    __hash__ = object.__hash__
r = (N() == N(), N() != N(), type(hash(N())).__name__)"#, r#"(False, True, 'int')"#),
    (r#"class A:
    def __ne__(self, o): return 'ne'
r = (A() != 1, A() == A())"#, r#"('ne', False)"#),
    (r#"class Ab:
    def f(self): pass
Ab.__abstractmethods__ = frozenset({'f', 'b'})
try:
    Ab()
except TypeError as e:
    r = str(e)"#, r#""Can't instantiate abstract class Ab with abstract methods b, f""#),
    (r#"class X:
    __slots__ = ('b', 'a', '__c')
r = list(X.__dict__)"#, r#"['__module__', '__slots__', '_X__c', 'a', 'b', '__doc__']"#),
    (r#"class V:
    __slots__ = ('__dict__', 'q')
v = V(); v.z = 1
r = (v.z, v.__dict__, '__weakref__' in V.__dict__)"#, r#"(1, {'z': 1}, False)"#),
    (r#"class Cls:
    def __class_getitem__(cls, item): return (cls.__name__, item)
r = Cls[int]"#, r#"('Cls', <class 'int'>)"#),
    (r#"class Outer:
    class Inner:
        pass
r = (Outer.Inner.__qualname__, repr(Outer.Inner))"#, r#"('Outer.Inner', "<class '__main__.Outer.Inner'>")"#),
    (r#"def f():
    class L: pass
    return L
r = (f().__qualname__, repr(f()))"#, r#"('f.<locals>.L', "<class '__main__.f.<locals>.L'>")"#),
    (r#"class MyErr(ValueError):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
try:
    raise MyErr('bad', 3)
except ValueError as e:
    r = (str(e), e.code, type(e).__mro__[1].__name__, isinstance(e, Exception))"#, r#"('bad', 3, 'ValueError', True)"#),
    (r#"class L(list):
    def total(self): return sum(self)
l = L([1, 2, 3]); l.append(4)
r = (l.total(), len(l), type(l).__name__, isinstance(l, list), l.__class__.__base__ is list)"#, r#"(10, 4, 'L', True, True)"#),
    (r#"class I(int):
    def double(self): return self * 2
r = (I(4).double(), I(4) + 1, repr(I(5)))"#, r#"(8, 5, '5')"#),
    (r#"class D(dict):
    def __missing__(self, k): return k * 2
r = D(a=1)['zz']"#, r#"'zzzz'"#),
    (r#"class Meta(type):
    def __call__(cls, *a, **k):
        inst = super().__call__(*a, **k)
        inst.tagged = True
        return inst
class T(metaclass=Meta):
    def __init__(self, x): self.x = x
t = T(4)
r = (t.x, t.tagged)"#, r#"(4, True)"#),
    (r#"class Fn:
    def __call__(self, a): return a + 1
r = (Fn()(1), callable(Fn()), callable(Fn))"#, r#"(2, True, True)"#),
    (r#"def deco(cls):
    cls.decorated = True
    return cls
@deco
class Z: pass
r = Z.decorated"#, r#"True"#),
    (r#"X = type('X', (), {})
r = (X.__module__, repr(X))"#, r#"('__main__', "<class '__main__.X'>")"#),
    (r#"class A: pass
A.__qualname__ = 'Q.A'
A.__name__ = 'B'
A.__module__ = 'm'
r = (repr(A), A.__name__)"#, r#"("<class 'm.Q.A'>", 'B')"#),
    (r#"class S1:
    __slots__ = ('a',)
class S2(S1):
    __slots__ = ('b',)
s = S2(); s.a = 1; s.b = 2
r = (s.a, s.b, S2.__slots__, hasattr(s, '__dict__'))"#, r#"(1, 2, ('b',), False)"#),
    (r#"class A:
    __slots__ = ()
class B:
    __slots__ = ('x',)
class C(A, B): pass
r = C.__mro__ == (C, A, B, object)"#, r#"True"#),
    (r#"class B1:
    __slots__ = ('x',)
class B2:
    __slots__ = ('y',)
try:
    class C(B1, B2): pass
except TypeError as e:
    r = str(e)"#, r#"'multiple bases have instance lay-out conflict'"#),
    (r#"class A:
    def __getattribute__(self, n):
        raise AttributeError(n)
    def __getattr__(self, n): return 'fallback:' + n
r = A().anything"#, r#"'fallback:anything'"#),
    (r#"class P:
    @staticmethod
    def s(): return 'static'
    @classmethod
    def c(cls): return cls
r = (P.__dict__['s'].__func__(), P.__dict__['c'].__func__(P) is P, type(P.__dict__['s']).__name__, P.s.__name__)"#, r#"('static', True, 'staticmethod', 's')"#),
    (r#"class W:
    @property
    def x(self):
        'doc of x'
        return 1
r = (W.x.__doc__, type(W.x).__name__, W.x.getter(lambda s: 2).__get__(W()))"#, r#"('doc of x', 'property', 2)"#),
    (r#"class H:
    pass
h = H()
h.__dict__ = {'k': 9}
r = (h.k, H.__dict__['__dict__'].__get__(h) is h.__dict__)"#, r#"(9, True)"#),
    (r#"class T:
    pass
r = (T.__init__ is object.__init__, T.__new__ is object.__new__, T().__init__() is None)"#, r#"(True, True, True)"#),
    (r#"class A:
    def m(self): return 1
r = (A.m.__qualname__, A().m.__self__.__class__ is A, A.__dict__['m'] is A.m)"#, r#"('A.m', True, True)"#),
    (r#"class M(type): pass
class X(metaclass=M): pass
class E(Exception): pass
class L(list): pass
r = [(c.__name__, '__dict__' in c.__dict__, '__weakref__' in c.__dict__) for c in (E, M, L)] + [type(X.__dict__).__name__]"#, r#"[('E', False, True), ('M', False, False), ('L', True, True), 'mappingproxy']"#),
    (r#"class M(type):
    def __repr__(cls): return 'M<' + cls.__name__ + '>'
class X(metaclass=M): pass
r = (repr(X), str(X), X.__class__ is M, type(M).__name__)"#, r#"('M<X>', 'M<X>', True, 'type')"#),
    (r#"class A:
    def __init__(self): self.x = 1
a = A()
del a.x
try:
    del a.x
except AttributeError as e:
    r = str(e)"#, r#""'A' object has no attribute 'x'""#),
    (r#"class A: pass
try:
    object.__setattr__(A, 'x', 1)
except TypeError as e:
    r = str(e)"#, r#""can't apply this __setattr__ to type object""#),
    (r#"class A: pass
r = (object.__eq__(A, A), object.__ne__(1, 2), object.__lt__(1, 2), object.__hash__(A) == hash(A))"#, r#"(True, True, NotImplemented, True)"#),
    (r#"class Meta(type):
    def __new__(m, n, b, ns):
        ns.pop('__classcell__', None)
        return super().__new__(m, n, b, ns)
try:
    class A(metaclass=Meta):
        def f(self): return __class__
except RuntimeError as e:
    r = str(e)"#, r#""__class__ not set defining 'A' as <class '__main__.A'>. Was __classcell__ propagated to type.__new__?""#),
    (r#"class MP(type):
    @classmethod
    def __prepare__(m, n, b, **k): return 1
try:
    class Q(metaclass=MP): pass
except TypeError as e:
    r = str(e)"#, r#"'MP.__prepare__() must return a mapping, not int'"#),
    (r#"class ME:
    def __mro_entries__(self, b): return 1
try:
    class Q(ME()): pass
except TypeError as e:
    r = str(e)"#, r#"'__mro_entries__ must return a tuple'"#),
    (r#"class ME:
    def __mro_entries__(self, b): return (object,)
try:
    type('X', (ME(),), {})
except TypeError as e:
    r = str(e)"#, r#""type() doesn't support MRO entry resolution; use types.new_class()""#),
    (r#"out = []
for f in (lambda: __build_class__(1, 'x'), lambda: __build_class__(lambda: None, 1), lambda: __build_class__()):
    try:
        f()
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"['__build_class__: func must be a function', '__build_class__: name is not a string', '__build_class__: not enough arguments']"#),
    (r#"class P(property):
    pass
class C:
    @P
    def x(self): return 5
    @x.setter
    def x(self, v): self._x = v
c = C(); c.x = 3
r = (c.x, c._x, type(C.__dict__['x']).__name__)"#, r#"(5, 3, 'P')"#),
    (r#"class A:
    def __new__(cls, *a):
        o = super().__new__(cls)
        o.made = cls.__name__
        return o
class B(A): pass
r = B().made"#, r#"'B'"#),
    (r#"class A:
    def __init_subclass__(cls): pass
    def __class_getitem__(cls, x): return x
    def __new__(cls): return super().__new__(cls)
r = tuple(type(A.__dict__[n]).__name__ for n in ('__init_subclass__', '__class_getitem__', '__new__'))"#, r#"('classmethod', 'classmethod', 'staticmethod')"#),
    (r#"out = []
for f in (lambda: type.__abstractmethods__, lambda: int.__abstractmethods__, lambda: int.__annotations__):
    try:
        f()
    except AttributeError as e:
        out.append(str(e))
r = out"#, r#"['__abstractmethods__', '__abstractmethods__', "type object 'int' has no attribute '__annotations__'"]"#),
    (r#"def f(): pass
cm = classmethod(f)
sm = staticmethod(f)
r = (cm.__func__ is f, cm.__wrapped__ is f, sm.__wrapped__ is f, cm.__isabstractmethod__, sm.__name__)"#, r#"(True, True, True, False, 'f')"#),
    (r#"try:
    classmethod(len)()
except TypeError as e:
    r = str(e)"#, r#""'classmethod' object is not callable""#),
    (r#"out = []
for f in (lambda: staticmethod(), lambda: staticmethod(1, 2), lambda: property(1, 2, 3, 4, 5), lambda: property(x=1)):
    try:
        f()
    except TypeError as e:
        out.append(str(e))
r = out"#, r#"['staticmethod expected 1 argument, got 0', 'staticmethod expected 1 argument, got 2', 'property() takes at most 4 arguments (5 given)', "'x' is an invalid keyword argument for property()"]"#),
    (r#"class A: pass
class B(A): pass
r = (issubclass(B, A), issubclass(B, (int, A)), issubclass(A, B), isinstance(B(), A), isinstance(A, type), issubclass(type, object))"#, r#"(True, True, False, True, True, True)"#),
    (r#"class Fake:
    __class__ = int
r = (isinstance(Fake(), int), isinstance(Fake(), Fake), type(Fake()).__name__)"#, r#"(True, True, 'Fake')"#),
    (r#"class A:
    x = 1
a = A()
try:
    a.__dict__ = 5
except TypeError as e:
    r = str(e)"#, r#""__dict__ must be set to a dictionary, not a 'int'""#),
    (r#"class A: pass
class B:
    '''bdoc'''
r = (object.__doc__[:20], type.__doc__[:20], A.__doc__, A().__doc__, B().__doc__, '__doc__' in int.__dict__, (1).__doc__ == int.__doc__)"#, r#"('The base class of th', 'type(object) -> the ', None, None, 'bdoc', True, True)"#),
    (r#"r = (repr(type(list[int])), repr(list[int]), repr(dict[str, list[int]]), repr(tuple[int, ...]), repr(int | str | None), int | int, list[int].__origin__, list[int].__args__)"#, r#"("<class 'types.GenericAlias'>", 'list[int]', 'dict[str, list[int]]', 'tuple[int, ...]', 'int | str | None', <class 'int'>, <class 'list'>, (<class 'int'>,))"#),
    (r#"r = (isinstance(3, int | str), isinstance(3.0, int | str), issubclass(bool, int | None), isinstance(None, int | None), (int | str) == (str | int), hash(int | str) == hash(str | int))"#, r#"(True, False, True, True, True, True)"#),
    (r#"try:
    isinstance([], list[int])
except TypeError as e:
    r = str(e)"#, r#"'isinstance() argument 2 cannot be a parameterized generic'"#),
    (r#"class A(list[int]): pass
r = (A.__bases__, A.__orig_bases__, list[int]([1, 2]), type[int], (int | list[str]).__args__)"#, r#"((<class 'list'>,), (list[int],), [1, 2], type[int], (<class 'int'>, list[str]))"#),
    (r#"try:
    int | 3
except TypeError as e:
    r = str(e)"#, r#""unsupported operand type(s) for |: 'type' and 'int'""#),
    (r#"class A: pass
r = (A | None, None | A, repr(A | int))"#, r#"(__main__.A | None, None | __main__.A, '__main__.A | int')"#),
];
