//! Docstrings of the builtin functions. Each starts with CPython 3.11's text
//! signature header (`name($module, params)\n--\n\n`, read by
//! `types::function::split_doc`) where CPython has one; the functions CPython
//! documents without one (`dir`, `getattr`, `iter`, `max`, `min`, `next`,
//! `vars`) have none here either, so
//! `inspect.signature` fails for them as it does there.

pub const IMPORT: &str = "__import__($module, /, name, globals=None, locals=None, fromlist=(),\n           level=0)\n--\n\n\
                          Import a module; the import statement calls this.";
pub const ABS: &str = "abs($module, x, /)\n--\n\nReturn the absolute value of the argument.";
pub const AITER: &str = "aiter($module, async_iterable, /)\n--\n\nReturn an async iterator for an async iterable.";
pub const ALL: &str = "all($module, iterable, /)\n--\n\nReturn True if every item of the iterable is true (or it is empty).";
pub const ANEXT: &str = "anext($module, aiterator, default=<unrepresentable>, /)\n--\n\n\
                         async anext(aiterator[, default])\n\nAwait the next item of an async iterator; default is \
                         returned when it is exhausted, else StopAsyncIteration is raised.";
pub const ANY: &str = "any($module, iterable, /)\n--\n\nReturn True if some item of the iterable is true.";
pub const ASCII: &str = "ascii($module, obj, /)\n--\n\nReturn repr(obj) with non-ASCII characters escaped.";
pub const BIN: &str = "bin($module, number, /)\n--\n\nReturn the binary representation of an integer.";
pub const CALLABLE: &str = "callable($module, obj, /)\n--\n\nReturn whether the object can be called.";
pub const CHR: &str = "chr($module, i, /)\n--\n\nReturn the one-character string of code point i (0 <= i <= 0x10ffff).";
pub const COMPILE: &str = "compile($module, /, source, filename, mode, flags=0,\n        dont_inherit=False, optimize=-1, *, \
                           _feature_version=-1)\n--\n\nCompile source into a code object for exec() or eval().";
pub const DELATTR: &str = "delattr($module, obj, name, /)\n--\n\nDelete the named attribute of the object.";
pub const DIR: &str = "dir([object]) -> list of strings\n\nList the names in the current scope, or the attributes of the object.";
pub const DIVMOD: &str = "divmod($module, x, y, /)\n--\n\nReturn the pair (x//y, x%y).";
pub const EVAL: &str = "eval($module, source, globals=None, locals=None, /)\n--\n\nEvaluate an expression in the given namespaces.";
pub const EXEC: &str = "exec($module, source, globals=None, locals=None, /, *, closure=None)\n--\n\n\
                        Execute statements in the given namespaces.";
pub const FORMAT: &str = "format($module, value, format_spec='', /)\n--\n\nReturn value.__format__(format_spec).";
pub const GETATTR: &str = "getattr(object, name[, default]) -> value\n\nGet the named attribute of the object; default is \
                           returned when it is missing, else AttributeError is raised.";
pub const GLOBALS: &str = "globals($module, /)\n--\n\nReturn the dictionary of the current global scope.";
pub const HASATTR: &str = "hasattr($module, obj, name, /)\n--\n\nReturn whether the object has the named attribute.";
pub const HASH: &str = "hash($module, obj, /)\n--\n\nReturn the hash value of the object.";
pub const HEX: &str = "hex($module, number, /)\n--\n\nReturn the hexadecimal representation of an integer.";
pub const ID: &str = "id($module, obj, /)\n--\n\nReturn the identity of an object, unique among live objects.";
pub const INPUT: &str = "input($module, prompt='', /)\n--\n\nRead a line from standard input, without its newline.";
pub const ISINSTANCE: &str = "isinstance($module, obj, class_or_tuple, /)\n--\n\n\
                              Return whether the object is an instance of the class or of a subclass of it.";
pub const ISSUBCLASS: &str = "issubclass($module, cls, class_or_tuple, /)\n--\n\n\
                              Return whether cls is the class or is derived from it.";
pub const ITER: &str = "iter(iterable) -> iterator\niter(callable, sentinel) -> iterator\n\n\
                        Return an iterator over the iterable, or one calling callable until it returns sentinel.";
pub const LEN: &str = "len($module, obj, /)\n--\n\nReturn the number of items in a container.";
pub const LOCALS: &str = "locals($module, /)\n--\n\nReturn a dictionary of the current local scope.";
pub const MAX: &str = "max(iterable, *[, default=obj, key=func]) -> value\nmax(arg1, arg2, *args, *[, key=func]) -> value\n\n\
                       Return the largest item of the iterable or of the arguments.";
pub const MIN: &str = "min(iterable, *[, default=obj, key=func]) -> value\nmin(arg1, arg2, *args, *[, key=func]) -> value\n\n\
                       Return the smallest item of the iterable or of the arguments.";
pub const NEXT: &str = "next(iterator[, default])\n\nReturn the next item of the iterator; default is returned when it \
                        is exhausted, else StopIteration is raised.";
pub const OCT: &str = "oct($module, number, /)\n--\n\nReturn the octal representation of an integer.";
pub const OPEN: &str = "open($module, /, file, mode='r', buffering=-1, encoding=None,\n     errors=None, newline=None, \
                        closefd=True, opener=None)\n--\n\nOpen a file and return a stream; OSError on failure.";
pub const ORD: &str = "ord($module, c, /)\n--\n\nReturn the code point of a one-character string.";
pub const POW: &str = "pow($module, /, base, exp, mod=None)\n--\n\nReturn base**exp, or base**exp % mod with three arguments.";
pub const PRINT: &str = "print($module, /, *args, sep=' ', end='\\n', file=None, flush=False)\n--\n\n\
                         Print the values to a stream, sys.stdout by default.";
pub const REPR: &str = "repr($module, obj, /)\n--\n\nReturn the canonical string representation of the object.";
pub const ROUND: &str = "round($module, /, number, ndigits=None)\n--\n\nRound a number to the given number of decimal digits.";
pub const SETATTR: &str = "setattr($module, obj, name, value, /)\n--\n\nSet the named attribute of the object to value.";
pub const SORTED: &str = "sorted($module, iterable, /, *, key=None, reverse=False)\n--\n\n\
                          Return a new ascending list of the items of the iterable.";
pub const SUM: &str = "sum($module, iterable, /, start=0)\n--\n\nReturn start (0 by default) plus the sum of the iterable.";
pub const VARS: &str = "vars([object]) -> dictionary\n\nWithout an argument, locals(); with one, object.__dict__.";
