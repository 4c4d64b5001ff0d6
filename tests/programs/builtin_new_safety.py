# A builtin __new__ refuses a subtype whose own builtin base has another __new__ (CPython's tp_new_wrapper check).
for f, a in [(int.__new__, (bool, 0)), (int.__new__, (int, 5)), (float.__new__, (float, 2)), (str.__new__, (str, 'x'))]:
    try: print(repr(f(*a)))
    except TypeError as e: print('TypeError', e)
class I(int): pass
class J(I): pass
print(repr(int.__new__(J, 3)), type(int.__new__(J, 3)).__name__)
