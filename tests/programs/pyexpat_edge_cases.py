# pyexpat on malformed and unusual documents: the events reported before
# an error, and the error's code and position, as expat gives them.
import pyexpat

HANDLERS = ['StartElement', 'EndElement', 'ProcessingInstruction', 'CharacterData', 'UnparsedEntityDecl',
            'NotationDecl', 'StartNamespaceDecl', 'EndNamespaceDecl', 'Comment', 'StartCdataSection',
            'EndCdataSection', 'NotStandalone', 'StartDoctypeDecl', 'EndDoctypeDecl', 'EntityDecl',
            'XmlDecl', 'ElementDecl', 'AttlistDecl', 'SkippedEntity']


def trace(doc, sep=None, default=False):
    p = pyexpat.ParserCreate(namespace_separator=sep)
    out = []

    def make(name):
        def handler(*args):
            out.append('%s%r %d:%d' % (name, args, p.CurrentLineNumber, p.CurrentColumnNumber))
            if name == 'NotStandalone':
                return 1
        return handler
    for n in HANDLERS:
        if default and n in ('CharacterData', 'StartElement', 'Comment', 'SkippedEntity'):
            continue
        setattr(p, n + 'Handler', make(n))
    if default:
        p.DefaultHandlerExpand = make('Default')
    try:
        p.Parse(doc.encode('utf-8', 'surrogatepass'), True)
        out.append('ok')
    except pyexpat.ExpatError as e:
        out.append('error: %s (code %d)' % (e, e.code))
    print(repr(doc), sep, default)
    for line in out:
        print('   ', line)


DOCS = [
    ('<?xml vers\rion="1.0"?><a/>', None),
    ('<?xml version="1.0#?><a/>', None),
    ('<?xml ver="1.0"?><a/>', None),
    ('<?xml version="1.0"a="b"?><a/>', None),
    ('<?xml version="1.0" encoding="1x"?><a/>', None),
    ('<?xml version="1.0" standalone="maybe"?><a/>', None),
    ('<!DOCTYPE r []]><r/>', None),
    ('<!DOCTYPE r]]>[]><r/>', None),
    ('<!Dxmlns:q="z"CTYPE r><r/>', '!'),
    ('<!ELEM:NT r ANY><r/>', None),
    ('<!DOCTYPE r [<!ENTIT% a "1">]><r/>', None),
    ('<!DOCTYPE r [<!ELEMENT r (#PCDATA|a|b)*&<!ELEMENT a ANY>]><r/>', '!'),
    ('<!DOCTYPE r [<!ELEMENT r (DATA|a|b)*><!NOTATION n PUBL=C "p">]><r/>', None),
    ('<!DOCTYPE r [<!ATTLIST r a CDATA "def" b (x|y) #IMPL&IED>]><r/>', None),
    ('<!DOCTYPE r [<!ATTLIST r a éDATA "def">]><r/>', None),
    ('<!DOCTYPE r [<!ATTLIST r a CDATA "<x">]><r/>', None),
    ('<!DOCTYPE r [<!ATTLIST r d CDATA "&\';">]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY e "x&am<p;y">]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY e "x&amp;y&#6;">]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY e "<b>i%n</b>x">]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY e "a%pe;b">]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY YSTEM "s" NDATA n>]><r/>', None),
    ('<!DOCTYPE r [<!NOTATION n PUBLIC "p">]><r/>', None),
    ('<!DOCTYPE r PUBLIC "<p" "s"><r/>', None),
    ('<!DOCTYPE r PUBLIC "p  q\n r" "s"><r/>', None),
    ('<!DOCTYPE r PUBLIC "p" "s" [<!ENTITY a "1">%pe;<!ENTITY b "2">]><r>&a;&b;</r>', None),
    ('<!DOCTYPE r PUBLIC "p" "s" [<!ENTITY a "1">%%e;]><r/>', None),
    ('<!DOCTYPE r [<!ENTITY e "<b>x">]><r>&e;</r>', None),
    ('<!DOCTYPE r [<!ENTITY e "</r>">]><r>&e;', None),
    ('<r xmlns="u" xm:lns:p="v"/>', '!'),
    ('<r xmlns="u" xmlns="v"/>', '!'),
    ('<r>&p:c;</r>', '!'),
    ('<?x:l version="1.0"?><r/>', '!'),
    ('<:a/>', '!'),
    ('<r a="&lt;&#1;"/>', None),
    ('<r a="&undefined;"/>', None),
    ('<r>d]]x]]></r>', None),
    ('<r><![CDATA[d]]x]y]]></r>', None),
    ('<r><![CDATA[a]]]]></r>', None),
    ('<r>a\ufffeb</r>', None),
    ('<r>\U0001F600<\U0001F600/></r>', None),
    ('<r/><\ud7ff#', None),
    ('<r><!--a\r\nb--><?p x\ry?></r>', None),
    ('<r/>#', None),
    ('<r>é=😀</r>#', None),
]
for doc, sep in DOCS:
    trace(doc, sep)
for doc, sep in DOCS[:30:3]:
    trace(doc, sep, default=True)
