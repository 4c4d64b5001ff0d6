# Classes: inheritance, MRO, super, properties, class/static methods, dunders.
class A:
    def hello(self): return "A"
class B(A):
    def hello(self): return "B" + super().hello()
class C(A):
    def hello(self): return "C" + super().hello()
class D(B, C):
    def hello(self): return "D" + super().hello()
print(D().hello(), [k.__name__ for k in D.__mro__])
class Point:
    count = 0
    def __init__(self, x, y):
        self.x, self.y = x, y
        Point.count += 1
    def __repr__(self): return f"Point({self.x}, {self.y})"
    def __add__(self, o): return Point(self.x + o.x, self.y + o.y)
    def __eq__(self, o): return isinstance(o, Point) and (self.x, self.y) == (o.x, o.y)
    __hash__ = None
    @property
    def norm2(self): return self.x ** 2 + self.y ** 2
    @classmethod
    def origin(cls): return cls(0, 0)
    @staticmethod
    def kind(): return "point"
p = Point(1, 2) + Point(3, 4)
print(p, p.norm2, Point.origin(), Point.kind(), Point.count, p == Point(4, 6))
class Slotted:
    __slots__ = ("a", "b")
s = Slotted(); s.a = 1
try:
    s.c = 3
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(s, "__dict__"), isinstance(p, Point), issubclass(D, A), type(p).__name__)
class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["tag"] = name.lower()
        return super().__new__(mcls, name, bases, ns)
class Tagged(metaclass=Meta): pass
print(Tagged.tag, type(Tagged).__name__)
try:
    class Bad(A, D): pass
except TypeError as e:
    print(e)
