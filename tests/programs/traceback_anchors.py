# expect-exit: 1
# Uncaught-exception tracebacks: CPython 3.11's `~`/`^` anchors under binary
# operators and subscripts, plain carets elsewhere, none for a whole line.
# sys.excepthook prints through sys.stderr, captured here so the whole
# layout is compared; the last error goes uncaught to stderr.
import io
import os
import sys


class Obj:
    attr = None

    def method(self, *args):
        raise ValueError("from method")


a, b, d, l, s, o = 1, 0, {}, [1], "x", Obj()


def show(f):
    try:
        f()
    except Exception:
        saved = sys.stderr
        sys.stderr = buf = io.StringIO()
        try:
            sys.excepthook(*sys.exc_info())
        finally:
            sys.stderr = saved
        # Paths differ between machines: show the file's base name only.
        print(buf.getvalue().replace(os.path.abspath(__file__), os.path.basename(__file__)), end="")


def binop(): x = a / b
def binop_return(): return a / b
def binop_whole(): a / b
def subscript(): x = d['key']
def subscript_spaces(): x = l [ 5 ]
def parens(): x = (a + 0) / (b)
def two_char_op(): x = a //b
def paren_right(): x = a/(b)
def nested_subscript(): x = d['k'] + 1
def type_error(): x = 1 + s
def multi_line(): x = (s
    + 1)
def inner_line(): x = [1,
    2][a / b]
def whole_subscript(): d['key']
def attribute(): o.attr.x
def unicode(): x = 'é' + s / 2
def chained(): x = a + b + s
def name_error(): x = undefined_name
def call(): x = len(1)
def method_call(): o.method(1, 2)
def comment(): x = a / b  # trailing comment
def matmul(): x = a @ b
def power(): x = a ** s
def slice_then_index(): x = l[1:2][5]
def tuple_key(): x = d[1, 2]


for f in [binop, binop_return, binop_whole, subscript, subscript_spaces, parens, two_char_op,
          paren_right, nested_subscript, type_error, multi_line, inner_line, whole_subscript,
          attribute, unicode, chained, name_error, call, method_call, comment, matmul, power,
          slice_then_index, tuple_key]:
    show(f)

d['x'][0]
