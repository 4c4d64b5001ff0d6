# sys._getframe frame objects, sys.exc_info in handlers, and contextvars.
import sys
import contextvars


def inner(a, b=2):
    c = a + b
    fr = sys._getframe()
    print('frame:', fr.f_code.co_name, fr.f_lineno, sorted(fr.f_locals), fr.f_trace)
    print('identity:', fr is sys._getframe(), fr.f_back is sys._getframe(1))
    print('back:', fr.f_back.f_code.co_name, sys._getframe(1).f_locals['tag'])
    d = 4
    print('locals refresh:', sorted(fr.f_locals))
    print('globals/builtins:', fr.f_globals is globals(), fr.f_builtins is __builtins__.__dict__,
          isinstance(fr.f_lasti, int))
    return fr


def outer():
    tag = 'outer-tag'
    return inner(1)


fr = outer()
print('caller:', fr.f_back.f_code.co_name, fr.f_back.f_back.f_code.co_name)
print('module frame:', sys._getframe().f_code.co_name, sys._getframe().f_back)
for bad in (100, 'x'):
    try:
        sys._getframe(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ':', e)


def gen():
    yield sys._getframe().f_code.co_name
    yield sys._getframe(1).f_code.co_name


print('generator frames:', list(gen()))

print('exc_info outside:', sys.exc_info())
try:
    raise KeyError('k')
except KeyError:
    t, v, tb = sys.exc_info()
    print('exc_info:', t.__name__, repr(v), tb.tb_frame is sys._getframe())
    try:
        raise ValueError('inner')
    except ValueError:
        print('nested:', sys.exc_info()[0].__name__)
    print('restored:', sys.exc_info()[0].__name__)
print('after:', sys.exc_info())


def handler():
    try:
        1 / 0
    except ZeroDivisionError:
        return sys.exc_info()[1].__class__.__name__


print('in function:', handler(), sys.exc_info()[0])

# contextvars
var = contextvars.ContextVar('var', default='dflt')
nodef = contextvars.ContextVar('nodef')
print('name/default:', var.name, var.get(), repr(var).startswith("<ContextVar name='var' default='dflt' at 0x"))
try:
    nodef.get()
except LookupError as e:
    print('LookupError is the var:', e.args[0] is nodef)
print('get default arg:', nodef.get('fallback'))
tok = var.set('one')
print('set:', var.get(), tok.var is var, tok.old_value is contextvars.Token.MISSING, repr(contextvars.Token.MISSING))
tok2 = var.set('two')
print('old_value:', tok2.old_value)
var.reset(tok2)
print('reset:', var.get())
try:
    var.reset(tok2)
except RuntimeError as e:
    print('RuntimeError used:', 'has already been used once' in str(e))
try:
    nodef.reset(tok)
except ValueError as e:
    print('ValueError:', str(e).endswith('was created by a different ContextVar'))
var.reset(tok)
print('back to default:', var.get())

ctx = contextvars.copy_context()
print('copy_context:', type(ctx).__name__, var in ctx, len(ctx))


def work(x, *, y):
    var.set(x + y)
    return var.get(), var in contextvars.copy_context()


print('run:', ctx.run(work, 'a', y='b'), 'outside:', var.get())
print('ctx after run:', ctx[var], ctx.get(var), ctx.get(nodef, 'none'), list(ctx.values()))
print('keys/items:', list(ctx.keys()) == [var], [(k.name, v) for k, v in ctx.items()], list(ctx) == [var])
c2 = ctx.copy()
print('copy equal:', c2 == ctx, c2 is ctx, contextvars.Context() == contextvars.Context())
try:
    ctx.run(lambda: ctx.run(lambda: None))
except RuntimeError as e:
    print('RuntimeError:', str(e).startswith('cannot enter context:'))
for bad in (lambda: ctx[1], lambda: contextvars.ContextVar(1), lambda: contextvars.Context(1),
            lambda: contextvars.Token(), lambda: contextvars.Context()[nodef],
            lambda: type('Sub', (contextvars.ContextVar,), {})):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ':', str(e).split(' at 0x')[0])
print('generic:', contextvars.ContextVar[int], contextvars.ContextVar.__module__)


def in_new_context():
    var.set('isolated')
    return var.get()


print('fresh Context:', contextvars.Context().run(in_new_context), var.get())
