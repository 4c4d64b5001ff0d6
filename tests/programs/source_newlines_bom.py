# Source text reads "\r\n" and a lone "\r" as "\n" (string literals too), and
# a BOM goes only with a utf-8 coding cookie, whatever the cookie names.
ns = {}
exec('x = """a\r\nb\rc"""', ns)
print(ascii(ns['x']))
exec(b'y = """a\r\nb\rc"""\r\nw = 2\rv = 3\n', ns)
print(ascii(ns['y']), ns['w'], ns['v'])
import ast
print(ast.dump(ast.parse('"""a\r\nb"""\r\nz = 1')))
try:
    compile('x = (\r\n1 +)\r\n', '<s>', 'exec')
except SyntaxError as e:
    print(e, e.lineno, e.offset, repr(e.text))
print(ascii(eval('"""p\r\nq"""')))

for src in [b'\xef\xbb\xbf# coding: fake\nx=1', b'\xef\xbb\xbf# coding: iso-8859-15\nx=1',
            b'\xef\xbb\xbf# coding: latin-1\nx=1', b'# coding: iso-8859-15\nx=1', b'\xef\xbb\xbf# coding: utf-8\nx=1']:
    try:
        compile(src, 'd', 'exec')
        print('ok', src)
    except SyntaxError as e:
        print(e)
