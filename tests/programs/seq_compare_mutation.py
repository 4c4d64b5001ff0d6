# Sequence comparison when an __eq__ empties the sequences: sizes decide (CPython's list_richcompare).
class X:
    def __eq__(self, other):
        a.clear(); b.clear()
        return False
a = [X()]; b = [X()]
print(a == b, a != b)
a = [X(), 1]; b = [X(), 2]
print(a < b)
print([1, 2] == [1, 2], [1, 2] < [1, 3], (1, 2) < (1, 2, 0))
