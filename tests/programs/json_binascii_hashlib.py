# _json scanner/encoder, binascii and the hash modules (md5, sha1, sha2, sha3, blake2).
import json, json.decoder, json.scanner, json.encoder
print(type(json.decoder.scanstring), json.scanner.make_scanner)
docs = ['', '{', '[', '[1, 2', '{"a": }', "{'a': 1}", '[1,]', '{"a" 1}', 'tru', '"unterminated', '[1] extra', '01', '{"a": 1,}',
 '"\\x"', 'NaNa', '"tab\there"', '[1 2]', '-', '-a', '1.', '1.e5', '1e', '1e+', '1E-3', '-0', '-Infinity', 'Infinity', 'NaN', '"\\u12"', '"\\u123"',
 '[true,false,null]', '123456789012345678901234567890', '1.5e400', '{"é": "ü\\u00e9"}', '[1,', '{"a"', '{"a":', '{"a":1', '"\\/\\b\\f\\n\\r\\t"', '{ }', '[ ]']
for d in docs:
    try:
        print(repr(d), repr(json.loads(d)))
    except json.JSONDecodeError as e:
        print(repr(d), e.msg, e.pos)
    except Exception as e:
        print(repr(d), type(e).__name__, e)
print(json.loads('[1.5, 2]', parse_float=str, parse_int=lambda s: int(s)*2))
print(json.loads('{"a": 1, "b": [1]}', object_pairs_hook=list), json.loads('{"a": 1}', object_hook=lambda d: sorted(d)))
print(json.loads('[NaN, Infinity]', parse_constant=lambda s: s))
for v in [1, 1.5, -0.0, 1e300, float('inf'), 'x\u00e9\U0001d11e\n"', [1, (2, 3)], {'b': 1, 'a': [True, None]}, 10**30]:
    print(json.dumps(v), json.dumps(v, ensure_ascii=False), json.dumps(v, sort_keys=True, separators=(',', ':')))
print(json.dumps({1: 2, 2.5: 3, None: 4, True: 5}))
for bad in [{(1,): 2}, {1: 2, 'a': 3}]:
    try: print(json.dumps(bad, sort_keys=True))
    except TypeError as e: print('TE', e)
print(json.dumps({(1,): 2, 'a': 1}, skipkeys=True))
class F(float): pass
class I(int): pass
print(json.dumps([F(1.5), I(3), {I(2): F(2.0)}]))
import collections
print(json.dumps(collections.OrderedDict([('z', 1), ('a', 2)])))
print(json.dumps(set([1]), default=list))
print(json.scanner.make_scanner(json.decoder.JSONDecoder())('[1]', 0))
try: json.scanner.make_scanner(json.decoder.JSONDecoder())('[1]', 5)
except StopIteration as e: print('stop', e.value)
print(json.decoder.scanstring('"abc"x', 1))
for a in [(b'x', 0), ('x', 5), ('x', -1)]:
    try: json.decoder.scanstring(*a)
    except Exception as e: print(type(e).__name__, e)
print(json.encoder.encode_basestring_ascii('a\x7f\x00é'), json.encoder.encode_basestring('a\x7f\x00é'))
try: json.encoder.encode_basestring(1)
except TypeError as e: print(e)
print(json.dumps({'a': [1, {'b': 2}]}, indent=2))
import hashlib, binascii, base64
data = [b'', b'abc', b'hello world', bytes(range(256)) * 5, b'a' * 55, b'a' * 56, b'a' * 64, b'a'*127, b'a'*128, b'a'*129, b'x'*200]
for name in ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'blake2b', 'blake2s']:
    for d in data:
        h = hashlib.new(name, d)
        h2 = hashlib.new(name)
        for i in range(0, len(d), 7): h2.update(d[i:i+7])
        assert h.hexdigest() == h2.hexdigest(), name
        print(name, len(d), h.hexdigest())
    h = hashlib.new(name, b'q'); c = h.copy(); c.update(b'r')
    print(name, h.name, h.digest_size, h.block_size, c.hexdigest() != h.hexdigest())
for name in ['shake_128', 'shake_256']:
    for d in data:
        print(name, hashlib.new(name, d).hexdigest(200)[-40:], hashlib.new(name, d).digest(5))
print(hashlib.blake2b(b'x', digest_size=16, key=b'k', salt=b's', person=b'p').hexdigest())
print(hashlib.blake2s(b'x', digest_size=16, key=b'k'*32, salt=b's', person=b'p', fanout=2, depth=3, leaf_size=5, node_offset=7, node_depth=1, inner_size=4, last_node=True).hexdigest())
print(hashlib.blake2b(b'', key=b'k'*64).hexdigest())
print(hashlib.md5(b'x').hexdigest())
for bad in [lambda: hashlib.sha256('t'), lambda: hashlib.md5(1), lambda: hashlib.new('nope'), lambda: hashlib.shake_128().digest()]:
    try: bad()
    except Exception as e: print(type(e).__name__, e)
print(binascii.hexlify(b'\x01\x02\x03\x04\x05', '-', 2), binascii.hexlify(b'\x01\x02\x03', b':', -1), binascii.b2a_hex(b'\xff'))
print(binascii.unhexlify(b'ABcd'), binascii.a2b_hex('00'))
for bad in ['abc', 'zz', '\xe9\xe9']:
    try: binascii.unhexlify(bad)
    except Exception as e: print(type(e).__name__, e)
for s in [b'aGk=', b'aGk', b'aG', b'a', b'aGk=\n', b'aGk=garbage', b'a=Gk', b'!!aGVsbG8=', b'aGVsbG8==', b'YQ==YQ==']:
    for strict in (False, True):
        try: print(s, strict, binascii.a2b_base64(s, strict_mode=strict))
        except binascii.Error as e: print(s, strict, 'Error', e)
print(binascii.b2a_base64(b'hello'), binascii.b2a_base64(b'hell', newline=False), binascii.b2a_base64(b''))
print(binascii.crc32(b'hello world'), binascii.crc32(b'world', binascii.crc32(b'hello ')), binascii.crc32(b'x', -1), binascii.crc_hqx(b'hello', 0), binascii.crc_hqx(b'hello', 0xffff))
qp = [b'hello = world', b'tab\tend \nline\r\n', b'x' * 100, b'a_b c', b'.\n', bytes(range(0, 256, 7)), b'end ', b'\xff' * 40]
for d in qp:
    for kw in [{}, {'quotetabs': True}, {'istext': False}, {'header': True}]:
        e = binascii.b2a_qp(d, **kw); print(e, binascii.a2b_qp(e, header=kw.get('header', False)))
print(binascii.a2b_qp(b'a=\r\nb=3D=3d=zz=4'), binascii.a2b_qp('a_b', header=True))
print(binascii.b2a_uu(b'hello'), binascii.a2b_uu(binascii.b2a_uu(b'hello world!!')), binascii.b2a_uu(b'', backtick=True))
print(issubclass(binascii.Error, ValueError), binascii.Error.__module__, binascii.Incomplete.__mro__)
for bad in [lambda: binascii.hexlify('x'), lambda: binascii.a2b_base64(5), lambda: binascii.a2b_base64('é'), lambda: binascii.hexlify(b'x', 'ab')]:
    try: bad()
    except Exception as e: print(type(e).__name__, e)
print(base64.b64encode(b'\xfb\xff'), base64.b64decode('+/8='), base64.b32encode(b'hi'), base64.a85encode(b'hello'))
import quopri; print(quopri.encodestring(b'h\xe9llo = x'))
