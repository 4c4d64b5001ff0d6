# pyexpat: handlers, namespaces, incremental parsing, DTDs, encodings and
# errors with their positions, as CPython's expat reports them.
import pyexpat
from xml.parsers import expat

print(pyexpat.EXPAT_VERSION, pyexpat.version_info, pyexpat.native_encoding)
print(expat.ExpatError is pyexpat.error, pyexpat.ExpatError.__module__)
print(pyexpat.ErrorString(3), pyexpat.ErrorString(0))
print(pyexpat.errors.XML_ERROR_TAG_MISMATCH, pyexpat.errors.codes['mismatched tag'], pyexpat.errors.messages[9])
print(pyexpat.model.XML_CTYPE_SEQ, pyexpat.model.XML_CQUANT_PLUS)

HANDLERS = ['StartElement', 'EndElement', 'ProcessingInstruction', 'CharacterData', 'UnparsedEntityDecl',
            'NotationDecl', 'StartNamespaceDecl', 'EndNamespaceDecl', 'Comment', 'StartCdataSection',
            'EndCdataSection', 'NotStandalone', 'ExternalEntityRef', 'StartDoctypeDecl', 'EndDoctypeDecl',
            'EntityDecl', 'XmlDecl', 'ElementDecl', 'AttlistDecl', 'SkippedEntity']


def trace(doc, sep=None, chunk=None, default=False, **attrs):
    out = []
    p = pyexpat.ParserCreate(namespace_separator=sep)
    for k, v in attrs.items():
        setattr(p, k, v)

    def make(name):
        def handler(*args):
            out.append('%s%r @%d:%d:%d' % (name, args, p.CurrentLineNumber, p.CurrentColumnNumber, p.CurrentByteIndex))
            if name in ('NotStandalone', 'ExternalEntityRef'):
                return 1
        return handler
    for n in HANDLERS:
        if default and n in ('CharacterData', 'StartElement', 'Comment', 'StartDoctypeDecl'):
            continue
        setattr(p, n + 'Handler', make(n))
    if default:
        p.DefaultHandler = make('Default')
    data = doc if isinstance(doc, bytes) else doc.encode('utf-8')
    try:
        if chunk:
            for i in range(0, len(data), chunk):
                p.Parse(data[i:i + chunk], False)
            p.Parse(b'', True)
        else:
            p.Parse(data, True)
        out.append('ok')
    except pyexpat.ExpatError as e:
        out.append('error: %s (code %d, line %d, offset %d)' % (e, e.code, e.lineno, e.offset))
    for line in out:
        print('  ' + line)


DOCS = [
    '<?xml version="1.0" standalone="yes"?>\n<a x="1" y=\'2\'>t&amp;<b>x\r\ny</b><!--c--><?p d?></a>\n',
    '<!DOCTYPE r [\n<!ENTITY e "<b>in</b>x">\n<!ATTLIST r a CDATA "def" n NMTOKENS " p  q ">\n]>\n<r n=" a   b ">&e;&e;</r>',
    '<!DOCTYPE r [<!ELEMENT r (#PCDATA|a)*><!ELEMENT a (b,(c|d)+,e?)*><!NOTATION n PUBLIC "p" "s">'
    '<!ENTITY u SYSTEM "s" NDATA n><!ENTITY % pe "x">]><r/>',
    '<!DOCTYPE r SYSTEM "x.dtd"><r>&undefined;</r>',
    '<r><![CDATA[a<b]]]>c\nd]]></r>',
    '<r a="&lt;&#10;&#x9;\t\n">&#x41;&#66;\U0001F600 \xe9</r>',
    '<r\n  a="1"\n  b="2"\n>\n  <s/>\n</r>',
]
for d in DOCS:
    print(repr(d))
    trace(d)
    print(' default handler:')
    trace(d, default=True)

print('namespaces')
trace('<r xmlns="u" xmlns:p="v"><p:c p:a="1" a="2"/><d xmlns=""/></r>', sep='!')
trace('<p:r xmlns:p="u" xml:lang="en"/>', sep=' ', namespace_prefixes=True)

print('incremental: one byte at a time, and in 3-byte pieces')
doc = '<?xml version="1.0"?><r a="\xe9">caf\xe9 &amp; \u20ac<![CDATA[x]]><!--z--></r>'
trace(doc, chunk=1, buffer_text=True)
trace(doc, chunk=3, buffer_text=True)

print('attributes')
trace('<r b="1" a="2" c="3"/>', ordered_attributes=True)
trace('<!DOCTYPE r [<!ATTLIST r d CDATA "dd">]><r a="1"/>', specified_attributes=True)

print('encodings')
trace('<?xml version="1.0" encoding="iso-8859-1"?><r>\xe9</r>'.encode('latin-1'))
trace('<r>\xe9\U0001F600</r>'.encode('utf-16'))
trace(b'\xef\xbb\xbf<r/>')
trace(b'<?xml version="1.0" encoding="cp1252"?><r>\x80</r>')
trace(b'<?xml version="1.0" encoding="us-ascii"?><r>\x80</r>')

print('errors')
for d in ['', 'x', '<a>', '<a></b>', '<a/><b/>', '<a>&foo;</a>', '<a b="1" b="2"/>', '<a>\n <b>\n</a>',
          '<a><![CDATA[x', '<a><!-- x', '<a b="<"/>', '<a>&#0;</a>', '<a>x]]>y</a>', 'foobar<',
          '<!DOCTYPE a [<!ENTITY e "&e;">]><a>&e;</a>', '<?xml version="1.0"?><?xml version="1.0"?><a/>',
          '<a>\xc3</a>', '<p:a/>', '<a xmlns:p=""/>', '<a xmlns:x="u v"/>', b'<a>\xff</a>', b'<a>\xc3']:
    trace(d, sep=' ' if isinstance(d, str) and 'xmlns' in d or d == '<p:a/>' else None)

print('buffer_text')
p = pyexpat.ParserCreate()
calls = []
p.CharacterDataHandler = calls.append
p.buffer_text = True
p.buffer_size = 4
print(p.buffer_text, p.buffer_size, p.buffer_used)
p.Parse('<r>ab', False)
print(calls, p.buffer_used)
p.Parse('cdefgh&amp;i</r>', True)
print(calls)
for bad in (0, -1, 'x'):
    try:
        p.buffer_size = bad
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)

print('exceptions from handlers stop the parser')
p = pyexpat.ParserCreate()
def boom(name, attrs):
    raise KeyError(name)
p.StartElementHandler = boom
try:
    p.Parse('<a><b/></a>', True)
except KeyError as e:
    print('KeyError', e)
try:
    p.Parse('<c/>', True)
except pyexpat.ExpatError as e:
    print(e, e.code)

print('ParseFile and intern')
import io
p = pyexpat.ParserCreate()
names = []
p.StartElementHandler = lambda n, a: names.append(n)
p.ParseFile(io.BytesIO(b'<a><b/><b/></a>'))
print(names, sorted(p.intern), names[1] is names[2])
print(pyexpat.ParserCreate(intern=None).intern)
try:
    pyexpat.ParserCreate(namespace_separator='ab')
except ValueError as e:
    print(e)
try:
    type(pyexpat.ParserCreate())()
except TypeError as e:
    print(e)
p = pyexpat.ParserCreate()
print(p.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_ALWAYS), p.GetBase())
p.SetBase('base/')
p.EntityDeclHandler = lambda *a: print('entity', a)
p.Parse('<!DOCTYPE r [<!ENTITY x SYSTEM "x.xml">]><r/>', True)
print(p.CurrentLineNumber, p.CurrentColumnNumber, p.ErrorCode)
