# The XML libraries built on pyexpat: ElementTree (parsing, iterparse, pull
# parsing, errors, round trips), minidom, SAX, plistlib and xmlrpc.
import io
import xml.etree.ElementTree as ET
from xml.dom import minidom
import xml.sax
import xml.sax.handler
import plistlib
import xmlrpc.client

doc = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE catalog [ <!ENTITY company "ACME &amp; Co"> ]>
<catalog xmlns="urn:books" xmlns:x="urn:extra">
  <!-- a comment -->
  <book id="b1" x:rating="5">
    <title>Caf\u00e9 &amp; <em>cr\u00e8me</em> br\u00fbl\u00e9e</title>
    <price currency="EUR">12.50</price>
    <publisher>&company;</publisher>
  </book>
  <book id="b2"><title><![CDATA[<raw> & text]]></title><?proc instr?></book>
</catalog>
'''

root = ET.fromstring(doc)
print(root.tag, root.attrib, len(root))
for book in root.iter('{urn:books}book'):
    print(book.get('id'), book.get('{urn:extra}rating'), repr(book.find('{urn:books}title').text))
    print('  itertext:', repr(''.join(book.find('{urn:books}title').itertext())))
print(repr(root.find('.//{urn:books}publisher').text))
print(ET.tostring(root, encoding='unicode'))
print(ET.tostring(ET.fromstring('<a b="&lt;&quot;">x<c/>y</a>')))
e = ET.fromstring(ET.tostring(root))
print(ET.tostring(e) == ET.tostring(root))

print('iterparse')
for event, item in ET.iterparse(io.BytesIO(doc.encode('utf-8')), events=('start', 'end', 'start-ns', 'end-ns', 'comment', 'pi')):
    if event in ('start', 'end'):
        print(event, item.tag)
    elif event == 'start-ns':
        print(event, item)
    elif event in ('comment', 'pi'):
        print(event, repr(item.text))
    else:
        print(event, item)

print('XMLPullParser fed in pieces')
pp = ET.XMLPullParser(events=('start', 'end'))
data = '<r><a k="v">t\u20ac</a><b/></r>'.encode('utf-8')
for i in range(0, len(data), 2):
    pp.feed(data[i:i + 2])
    for ev, el in pp.read_events():
        print(ev, el.tag, el.attrib, repr(el.text))
pp.close()

print('TreeBuilder with comments and PIs')
parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True, insert_pis=True))
t = ET.fromstring('<r><!--c--><?p d?>x</r>', parser)
print([(c.tag is ET.Comment, c.tag is ET.PI, c.text) for c in t])

print('errors')
for bad in ['<a>', '<a></b>', '<a>&undefined;</a>', 'text', '<a x="1" x="2"/>', '<a/><b/>', '']:
    try:
        ET.fromstring(bad)
    except ET.ParseError as err:
        print(repr(bad), err, err.code, err.position)

print('encodings')
for enc in ['utf-8', 'iso-8859-1', 'utf-16']:
    data = ('<?xml version="1.0" encoding="%s"?><r>\u00e9t\u00e9</r>' % enc).encode(enc)
    print(enc, repr(ET.fromstring(data).text))
print(ET.tostring(ET.fromstring('<r>\u00e9</r>'), encoding='iso-8859-1'))

print('ElementTree.write / parse round trip')
tree = ET.ElementTree(ET.fromstring('<r><a>1</a><b c="2"/></r>'))
buf = io.BytesIO()
tree.write(buf, xml_declaration=True, encoding='utf-8')
print(buf.getvalue())
print(ET.tostring(ET.parse(io.BytesIO(buf.getvalue())).getroot()))

print('minidom')
d = minidom.parseString('<a x="1"><b>text &amp; more</b><!--c--><c/></a>')
print(d.toxml())
print(d.documentElement.tagName, d.documentElement.getAttribute('x'))
print([n.nodeName for n in d.documentElement.childNodes])
print(d.getElementsByTagName('b')[0].firstChild.data)
print(d.toprettyxml(indent='  '))
ns = minidom.parseString('<p:a xmlns:p="urn:p"><p:b/></p:a>')
print(ns.documentElement.namespaceURI, ns.documentElement.localName, ns.toxml())

print('sax')
class Handler(xml.sax.handler.ContentHandler):
    def startElement(self, name, attrs):
        print('start', name, sorted(attrs.items()))
    def endElement(self, name):
        print('end', name)
    def characters(self, content):
        if content.strip():
            print('chars', repr(content))
xml.sax.parseString(b'<a x="1"><b>hi</b></a>', Handler())
try:
    xml.sax.parseString(b'<a>', Handler())
except xml.sax.SAXParseException as err:
    print('SAXParseException', err.getMessage(), err.getLineNumber(), err.getColumnNumber())

print('plistlib')
value = {'name': 'x', 'n': [1, 2.5, True, None.__class__.__name__], 'data': b'\x00\x01', 'nested': {'k': 'v'}}
out = plistlib.dumps(value)
print(plistlib.loads(out) == value, plistlib.loads(out)['data'])

print('xmlrpc')
payload = xmlrpc.client.dumps((1, 'two', [3.0, {'four': True}]), methodname='m')
print(xmlrpc.client.loads(payload))
