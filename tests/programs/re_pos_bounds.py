# Pattern methods convert pos/endpos before looking at the subject (an
# overflowing pos is OverflowError even for the wrong subject type), and clip them.
import re, sys
try: re.compile('x').match(b'xxx', sys.maxsize+1)
except OverflowError as e: print('Overflow', e)
try: re.compile('x').search(b'xxx', 0, -sys.maxsize-2)
except OverflowError as e: print('Overflow', e)
try: re.compile('x').match(b'xxx', 1)
except TypeError as e: print('TypeError', e)
print(re.compile('x').match('axx', 1), re.compile('x').search('axx', -5, 100), re.compile('x').findall('xxx', 1, 2))
print(list(re.compile('x').finditer('xxx', 1)), re.compile('x').fullmatch('xx', 1, 100))
