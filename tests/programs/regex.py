# The re module on krait's native _sre engine: patterns, match objects,
# pattern methods, bytes, flags, and error messages.
import re
import copy


def show(label, v):
    print(label, repr(v))


def err(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, type(e).__name__ + ':', e)
    else:
        print(label, 'no error', repr(r))


# ---- basic matching and repetition ----
cases = [
    (r'a+b', 'xaaab'), (r'a*?b', 'aab'), (r'(a|b)*c', 'ababc'), (r'(a|ab)(c|bcd)(d*)', 'abcd'),
    (r'(?:a+)+b', 'aaab'), (r'(a*)*b', 'aab'), (r'(a*)+b', 'b'), (r'(a|)+b', 'aab'),
    (r'x{2,3}', 'xxxxx'), (r'x{2,3}?', 'xxxxx'), (r'x{,2}', 'xxx'), (r'x{3}', 'xx'),
    (r'(ab){2}', 'ababab'), (r'(ab){1,2}?c', 'ababc'), (r'(?:ab)*?c', 'ababc'),
    (r'.+', 'ab\ncd'), (r'(?s).+', 'ab\ncd'), (r'[^a-c]+', 'abcdefabc'), (r'[a\-z]+', 'a-z-b'),
    (r'[\d\s]+', '12 34x'), (r'[^\W\d]+', 'ab12cd'), (r'\w+', 'héllo wörld'), (r'(?a)\w+', 'héllo'),
    (r'\d+', '١٢٣ 123'), (r'(?a)\d+', '١٢٣ 123'), (r'\s+', '\u2003\t x'), (r'[\u0400-\u04ff]+', 'abc привет'),
    (r'(?i)straße', 'STRASSE'), (r'(?i)ß', 'ẞ'), (r'(?i)[a-z]+', 'HeLLo'), (r'(?i)k', '\u212a'),
    (r'(?i)\u212a', 'k'), (r'(?i)[k-m]+', 'K\u212aL'), (r'(?i)ǅ', 'ǆ'), (r'(?i)σ', 'ς'),
    (r'(?i)(a)\1', 'aA'), (r'(a)(?P<x>b)(?P=x)\1', 'abba'), (r'(?i)(?P<x>ab)(?P=x)', 'abAB'),
    (r'(?x) a b  # comment\n c', 'abc'), (r'^abc$', 'abc\n'), (r'^abc\Z', 'abc\n'),
    (r'(?m)^b$', 'a\nb\nc'), (r'a\b', 'a b'), (r'a\B', 'ab'), (r'\bé', ' é'), (r'(?a)\bé', ' é'),
    (r'(?=a)ab', 'ab'), (r'(?!a)\w', 'ab'), (r'(?<=a)b', 'ab'), (r'(?<!a)b', 'cb'), (r'(?<=ab|cd)e', 'cde'),
    (r'(a)?(?(1)b|c)', 'c'), (r'(a)?(?(1)b|c)', 'ab'), (r'(?P<q>")?x(?(q)")', '"x"'),
    (r'(?>a+)b', 'aaab'), (r'(?>a+)ab', 'aaab'), (r'a++b', 'aaab'), (r'a++ab', 'aaab'),
    (r'(?:ab)++c', 'ababc'), (r'(?:ab|a)++b', 'aab'), (r'a?+a', 'a'), (r'(?:a|)*+b', 'aab'),
    (r'a{2,}+', 'aaaa'), (r'(a{1,2}){2}', 'aaa'), (r'(a+?){2,}?', 'aaa'), (r'(?:(a)|b)*', 'ab'),
    (r'(?:(a)|(b))+', 'ab'), (r'((a)|b)+', 'ab'), (r'(a*)+?$', 'aa'), (r'(?:a|b)*?b', 'aab'),
    (r'()', ''), (r'(|a)*', 'aa'), (r'(a|)*?b', 'aab'), (r'\x41\101\u0041a', 'AAAa'),
    (r'[\b]', '\b'), (r'a.c', 'a\nc'), (r'[^\n]', '\n'), (r'(?s:a.c)', 'a\nc'), (r'(?i:A)a', 'aA'),
    (r'(?-i:a)', 'A'), (r'(?i)(?-i:a)A', 'aa'), (r'\Aa', 'ba'), (r'$', 'a\n'), (r'(?m)$', 'a\nb'),
]
for pat, s in cases:
    m = re.search(pat, s)
    print(repr(pat), repr(s), '->', m and (m.group(), m.groups(), m.span()))

print([m.span() for m in re.finditer(r'(?m)$', 'a\nb\n')])
print([m.span() for m in re.finditer(r'\b', 'ab cd')])
print(re.fullmatch(r'a|ab', 'ab'), re.fullmatch(r'a*?', 'aaa'), re.fullmatch(r'(?:a|ab)(?:c|bcd)', 'abcd'))
print(re.match(r'a*', 'aaa', ), re.compile(r'a*').match('baaa', 1), re.compile('a').match('ba', 1, 1))
print(re.compile(r'^a').search('ba', 1), re.compile(r'(?m)^a').search('ba', 1), re.compile(r'a$').search('ab', 0, 1))
print(re.compile(r'(?<=b)a').search('ba', 1), re.compile(r'\ba').search('ba', 1))
print(re.compile('').match('abc', 5), re.compile('').match('abc', 2, 1), re.compile('x*').search('abc', -5, 100))

# ---- match objects ----
m = re.match(r'(?P<first>\w+) (?P<last>\w+)(?P<opt>!)?', 'Ada Lovelace rocks')
print(m.group(), m.group(1), m.group('last'), m.group(0, 'first', 2), m[1], m['last'])
print(m.groups(), m.groups('-'), m.groupdict(), m.groupdict(default=0))
print(m.start(), m.end(), m.span(), m.start('last'), m.end(2), m.span('opt'), m.start(3))
print(m.pos, m.endpos, m.lastindex, m.lastgroup, m.re, m.string, m.regs)
print(m.expand(r'\g<last>, \g<first> (\2)\n\\'), repr(m.expand(r'\g<opt>')))
print(bool(m), repr(m), copy.copy(m) is m, copy.deepcopy(m) is m)
print(re.match(r'(a)(b)', 'ab').lastindex, re.match(r'(a(b))', 'ab').lastindex, re.match(r'(?P<n>a)(b)?', 'a').lastgroup)
print(re.match(r'((?P<in>a))', 'a').lastgroup, re.match('a', 'a').lastgroup, re.match('a', 'a').lastindex)
print(repr(re.match(r'.*', 'x' * 100)))
print(repr(re.match(rb'.+', b'\x00\xffab')))
print(re.match(r'(a)|b', 'b').groups(), re.match(r'(a)|b', 'b').span(1), re.match(r'(a)|b', 'b').regs)
print(type(m).__name__, type(m).__module__, type(re.compile('')).__name__, re.Match, re.Pattern)
err('group(3)', lambda: m.group(4))
err('group(-1)', lambda: m.group(-1))
err('group(name)', lambda: m.group('nope'))
err('group(1.0)', lambda: m.group(1.0))
err('start(9)', lambda: m.start(9))
err('m[[]]', lambda: m[[]])
err('span(1, 2)', lambda: m.span(1, 2))
err('group(kw)', lambda: m.group(x=1))
err('expand bad', lambda: m.expand(r'\9'))
err('expand name', lambda: m.expand(r'\g<zz>'))
err('Match()', lambda: re.Match())
err('Pattern()', lambda: re.Pattern())
print(m.group(True), m.span(False))

# ---- pattern methods ----
p = re.compile(r'(\w)(\d)?')
print(p.findall('a1 b c3'), p.findall('a1 b c3', 2), p.findall('a1 b c3', 2, 4))
print(re.findall(r'\w', 'ab'), re.findall(r'(\w)', 'ab'), re.findall(r'(a)|b', 'ab'))
print([m.group() for m in p.finditer('a1 b c3')], type(p.finditer('')).__name__)
print(re.findall(r'', 'ab'), re.findall(r'a*', 'baaac'), re.findall(r'\b|a', 'a a'))
print(re.split(r',', 'a,b,,c'), re.split(r'(,)', 'a,b'), re.split(r'(,)|(;)', 'a,b;c'))
print(re.split(r',', 'a,b,c', 1), re.split(r',', 'a,b,c', maxsplit=-1), re.split(r'x*', 'axbc'))
print(re.split(r'\b', 'ab cd'), re.split(r'(?=b)', 'abab'), re.split('', 'abc'), re.split(r'\s+', ''))
print(re.sub(r'a', 'b', 'aaa'), re.sub(r'a', 'b', 'aaa', 2), re.sub(r'a', 'b', 'aaa', count=-1))
print(re.sub(r'(\w+) (\w+)', r'\2 \1', 'hello world'), re.sub(r'(?P<a>x)', r'<\g<a>\g<0>\g<1>>', 'axb'))
print(re.sub(r'x*', '-', 'abxd'), re.sub(r'(?:)', '|', 'ab'), re.sub(r'\s', r'\t\n', 'a b'))
print(re.sub(r'\d', lambda m: str(int(m.group()) * 2), 'a1b2c9'), re.sub('a', lambda m: None, 'bab'))
print(re.subn(r'a', 'b', 'aaa'), re.subn(r'z', 'b', 'aaa'), re.subn(r'(a)', r'[\1]', 'banana', 2))
print(re.sub('(a)|b', r'[\1]', 'ab'), re.sub(r'\\', r'\\\\', r'a\b'), re.sub('a', r'\t\0\a', 'a'))
print(re.sub(r'(?m)^', '> ', 'one\ntwo'), re.sub(r'$', '!', 'a\n'), re.sub('é', 'e', 'café éé'))
err('sub bad group', lambda: re.sub('a', r'\1', 'a'))
err('sub bad escape', lambda: re.sub('a', r'\q', 'a'))
err('sub callable int', lambda: re.sub('a', lambda m: 1, 'a'))
err('sub unknown name', lambda: re.sub('(?P<a>a)', r'\g<b>', 'a'))
err('sub missing <', lambda: re.sub('a', r'\g', 'a'))
err('sub str on bytes', lambda: re.sub(b'a', 'x', b'a'))
err('sub repl int', lambda: re.sub('a', 5, 'a'))
sc = re.compile(r'\d').scanner('a1b2')
print(sc.search(), sc.search(), sc.search(), sc.search(), sc.pattern)
sc = re.compile(r'\d').scanner('12a')
print(sc.match(), sc.match(), sc.match(), sc.match())
sc = re.compile(r'').scanner('ab')
print([sc.search().span() for _ in range(3)], sc.search())
print(p.pattern, p.flags, p.groups, p.groupindex, re.compile('(?P<x>a)(?P<y>b)').groupindex)
print(repr(re.compile('a+', re.I)), repr(re.compile(b'a', re.I | re.M)), repr(re.compile('a', re.A | re.S | re.X)))
print(repr(re.compile('x' * 300))[-20:], repr(re.compile(r'\d', re.U)), repr(re.compile(b'a')), repr(re.compile('a', re.L | re.I)) if False else '')
print(re.compile('a') == re.compile('a'), re.compile('a') == re.compile('a', re.I), re.compile('a') != re.compile('b'))
print(hash(re.compile('ab')) == hash(re.compile('ab')), copy.copy(p) is p, copy.deepcopy(p) is p, re.compile(p) is p)
print(re.compile('a').__eq__(1), re.Pattern[str], re.Match[bytes])
err('compile flags with pattern', lambda: re.compile(p, re.I))
err('match int', lambda: p.match(5))
err('str pat bytes', lambda: p.match(b'a'))
err('bytes pat str', lambda: re.match(b'a', 'a'))
err('pos str', lambda: p.match('a', 'x'))
err('match no args', lambda: p.match())
err('match kw', lambda: p.match('a', foo=1))
err('pattern lt', lambda: re.compile('a') < re.compile('b'))
print(p.match(string='a1', pos=0, endpos=5), p.search('zz a1', pos=1))
print(re.escape('a.b'), re.purge(), re.template if False else '')

# ---- bytes ----
print(re.findall(rb'[a-z]+', b'ab12cd'), re.sub(rb'\d', b'#', b'a1b2'), re.split(rb'\s', b'a b'))
print(re.match(rb'(?i)AB', b'ab'), re.match(rb'\w+', 'é'.encode()), re.match(rb'(?L)\w', b'a'))
print(re.search(rb'\xff', bytearray(b'a\xff')), re.findall(b'a', memoryview(b'aba')), re.sub(b'a', b'c', bytearray(b'ab')))
print(re.match(rb'(\d)(?P<x>\d)', b'12').groupdict(), re.match(rb'\s', b'\x1c'), re.match(r'\s', '\x1c'))
print(re.sub(rb'(a)', rb'\1\1', b'ab'), re.sub(rb'a', lambda m: m.group().upper(), b'ab'))

# ---- flags and special cases ----
print(re.findall(r'(?i)[^a]', 'aAbB'), re.findall(r'(?i)[\w]', 'aÄ'), re.findall(r'(?ia)[\w]', 'aÄ'))
print(re.findall(r'[\S]', 'a b'), re.findall(r'[^\S]', 'a b'), re.findall(r'[\D]', 'a1'), re.findall(r'\W', 'a-b'))
print(re.findall(r'(?i)[ǅ]', 'ǄǅǆDŽ'), re.findall(r'(?i)[ς]', 'Σσς'), re.findall(r'(?i)i', 'İıIi'))
print(re.findall(r'[\U0001F600-\U0001F64F]+', 'a😀😃b'), re.findall(r'(?i)\U00010400', '\U00010428'))
print(re.findall(r'(?i)[\U00010400-\U00010410]', '\U00010428\U00010429'))
print(re.findall(r'[^\x00-\x7f]+', 'abc αβγ def'), re.findall(r'[\u0100-\uffff]', 'aĀ\uffff'))
print(re.match(r'(?x)[ #]', ' '), re.match(r'(?x)a\ b', 'a b'), re.match(r'(?x)a#b\nc', 'ac'))
print(re.search(r'\d{3,}', 'a12b1234c'), re.search(r'(\d+)-(\d+)', 'tel 555-1234 x'))
print(re.match(r'(?:(?P<a>a)|(?P<b>b))+', 'ab').groupdict(), re.match(r'(a)(?:b(c))?', 'ab').groups())
print(re.search(r'(?<=\d{3})x', '123x'), re.search(r'(?<!\d)x', '1x x'), re.search(r'(?<=(a))b', 'ab').groups())
print(re.match(r'(?=(a+))a*b\1', 'baaabac'), re.search(r'(?=(a+))a*b\1', 'baaabac'))
print(re.match(r'(a)(?!(b))', 'ac').groups(), re.match(r'(?!(a)c)\w+', 'ab').groups())
print(re.match(r'(?:a(?=b)|.)+', 'abc'), re.match(r'(?:(a)|(x))*', 'aax').groups())

# ---- catastrophic-ish patterns finish (slowly) without crashing ----
print(re.match(r'(a+)+b', 'a' * 18), re.match(r'(a|a)*c', 'a' * 14))
print(re.match(r'(?:a*)*b', 'a' * 2000 + 'b').span(), len(re.findall(r'a', 'a' * 100000)))
print(re.match(r'(a|b)*c', 'ab' * 50000 + 'c').span(), re.match(r'(?:x|y)*?z', 'xy' * 50000 + 'z').span())
print(re.match(r'(.)*', 'q' * 200000).span(1), re.match(r'((a)|b)*?c', 'ab' * 30000 + 'c').group(2))

# ---- errors from the parser ----
for bad in ['(', ')', '[a', 'a**', '(?P<1>a)', '(?P<a>a)(?P<a>b)', r'\1', '(?<=a+)b', 'a{2,1}',
            '(?z)', r'\q', '[z-a]', '(?P=x)', '(?', '*a', r'(?(2)a|b)', 'x{99999999999}', '(?i',
            '(?<a>x)', r'(?P<a>x)(?P=a', 'a|*', r'[\A]', '(?#abc', '(?x)(?i)a']:
    try:
        re.compile(bad)
    except re.error as e:
        print(repr(bad), '->', e, '| pos', e.pos, e.lineno, e.colno)
    except Exception as e:
        print(repr(bad), '->', type(e).__name__, e)
    else:
        print(repr(bad), '-> ok')
try:
    re.compile('a\n(b')
except re.error as e:
    print(e, e.lineno, e.colno)
err('locale str', lambda: re.compile('a', re.L))
err('ascii+unicode', lambda: re.compile('a', re.A | re.U))
err('bytes unicode', lambda: re.compile(b'a', re.U))
err('compile int', lambda: re.compile(5))

# ---- _sre itself ----
import _sre
print(_sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS, _sre.getcodesize())
print(_sre.ascii_iscased(ord('a')), _sre.ascii_iscased(ord('1')), _sre.unicode_iscased(0x3a3), _sre.unicode_iscased(0x5d0))
print(_sre.ascii_tolower(ord('A')), _sre.ascii_tolower(0xc0), _sre.unicode_tolower(0xc0), _sre.unicode_tolower(0x130))
print(_sre.unicode_tolower(0x1e9e), _sre.unicode_iscased(0xdf), _sre.unicode_tolower(0x10400))
print(sum(_sre.unicode_tolower(c) for c in range(0, 0x20000, 7)), sum(_sre.unicode_iscased(c) for c in range(0x20000)))
