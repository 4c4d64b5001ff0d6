# A builtin sequence subclass that defines __add__/__mul__/__rmul__ in Python
# loses the builtin concatenation/repetition fallback (CPython clears
# sq_concat/sq_repeat), so a NotImplemented gives the generic message.


def attempt(label, f):
    try:
        print(label, repr(f()))
    except TypeError as e:
        print(label, "TypeError:", e)


class L(list):
    def __add__(self, o):
        return NotImplemented


class Plain(list):
    pass


class S(str):
    def __add__(self, o):
        return NotImplemented


class T(tuple):
    def __mul__(self, o):
        return NotImplemented


class R(tuple):
    def __rmul__(self, o):
        return NotImplemented


class B(bytes):
    def __add__(self, o):
        return NotImplemented


attempt("L + int", lambda: L([1]) + 5)
attempt("L + list", lambda: L([1]) + [2])
attempt("Plain + int", lambda: Plain([1]) + 5)
attempt("Plain + list", lambda: Plain([1]) + [2])
attempt("S + str", lambda: S("a") + "b")
attempt("str + S", lambda: "a" + S("b"))
attempt("T * int", lambda: T((1,)) * 2)
attempt("T * str", lambda: T((1,)) * "x")
attempt("int * T", lambda: 2 * T((1,)))
attempt("R * int", lambda: R((1,)) * 2)
attempt("str * R", lambda: "x" * R((1,)))
attempt("B + int", lambda: B(b"a") + 1)
attempt("list + L", lambda: [0] + L([1]))
attempt("list * list", lambda: [1] * [2])
