# types.MappingProxyType accepts anything with __getitem__ except lists and
# tuples (CPython's PyMapping_Check), like dataclasses' custom metadata.
import types

class GetItemOnly:
    def __init__(self, **kw):
        self.__dict__.update(kw)
    def __getitem__(self, item):
        return getattr(self, item)
    def __len__(self):
        return len(self.__dict__)

p = types.MappingProxyType(GetItemOnly(a=10))
print(len(p), p['a'])
try:
    p['b']
except AttributeError as e:
    print("AttributeError", e)

print(types.MappingProxyType({1: 2})[1])
for bad in [[1], (1,), 5, None, "abc".__iter__()]:
    try:
        types.MappingProxyType(bad)
    except TypeError as e:
        print("TypeError:", e)
class L(list):
    pass
try:
    types.MappingProxyType(L())
except TypeError as e:
    print("TypeError:", e)
print(type(types.MappingProxyType("abc")).__name__, types.MappingProxyType("abc")[1])
