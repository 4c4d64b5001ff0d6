# The spawn start method: children are fresh interpreters that re-import the
# script as __mp_main__ (whose __spec__ must stay None, as the script's).
import multiprocessing as mp
import sys


def double(x):
    return x * 2


def report(q, tag):
    q.put((tag, __name__, sys.modules['__main__'].__spec__))


if __name__ == '__main__':
    print('main spec:', sys.modules['__main__'].__spec__)
    ctx = mp.get_context('spawn')
    with ctx.Pool(2) as pool:
        print(pool.map(double, range(5)))
    q = ctx.Queue()
    p = ctx.Process(target=report, args=(q, 'child'))
    p.start()
    print(q.get())
    p.join()
    print('exit code:', p.exitcode)
    print('mp_main is main:', sys.modules.get('__mp_main__') is sys.modules['__main__'],
          sys.modules['__main__'].__spec__)
