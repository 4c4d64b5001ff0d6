# multiprocessing with the fork start method: Process, Pipe, Queue, locks,
# Pool and ProcessPoolExecutor, including errors sent back from workers.
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def add(a, b):
    return a + b


def boom(x):
    raise KeyError(x)


def produce(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def exit_with(code):
    raise SystemExit(code)


def send(conn):
    conn.send(['hello', 42, {'k': (1, 2)}])
    conn.close()


if __name__ == '__main__':
    print(mp.get_start_method())
    p = mp.Process(target=exit_with, args=(3,))
    p.start()
    p.join()
    print('exitcode:', p.exitcode)
    a, b = mp.Pipe()
    p = mp.Process(target=send, args=(b,))
    p.start()
    print('pipe:', a.recv())
    p.join()
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, 5))
    p.start()
    got = []
    while (v := q.get()) is not None:
        got.append(v)
    p.join()
    print('queue:', got, p.exitcode)
    lock = mp.Lock()
    with lock:
        print('lock held')
    rlock = mp.RLock()
    with rlock:
        with rlock:
            print('rlock twice')
    sem = mp.Semaphore(2)
    sem.acquire()
    print('semaphore value:', sem.get_value())
    ev = mp.Event()
    ev.set()
    print('event:', ev.is_set(), ev.wait(0.1))
    with mp.Pool(2) as pool:
        print('map:', pool.map(square, range(8)))
        print('starmap:', pool.starmap(add, [(2, 3), (3, 2)]))
        print('imap:', list(pool.imap(square, range(4))))
        print('unordered:', sorted(pool.imap_unordered(square, range(4))))
        print('apply_async:', pool.apply_async(square, (7,)).get(timeout=10))
        try:
            pool.map(boom, [1])
        except KeyError as e:
            print('KeyError from worker:', e)
    pool = mp.Pool(2)
    print(pool.map(square, [1, 2]))
    pool.terminate()
    pool.join()
    print('terminated')
    with ProcessPoolExecutor(2) as ex:
        print('executor:', list(ex.map(square, range(5))))
        f = ex.submit(boom, 'x')
        try:
            f.result()
        except KeyError as e:
            print('KeyError from executor:', e)
    p = mp.Process(target=os.getpid)
    p.start()
    p.join()
    print('current:', mp.current_process().name, mp.parent_process())
