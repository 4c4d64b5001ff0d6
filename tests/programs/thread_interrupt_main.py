import _thread, threading, time
try:
    _thread.interrupt_main()
    for i in range(10): pass
except KeyboardInterrupt:
    print("main: KeyboardInterrupt")
def later():
    time.sleep(0.1); _thread.interrupt_main()
threading.Thread(target=later).start()
try:
    time.sleep(2)
    print("not interrupted")
except KeyboardInterrupt:
    print("from thread: KeyboardInterrupt")
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
_thread.interrupt_main()
for i in range(10): pass
print("ignored ok")
try:
    _thread.interrupt_main(99)
except ValueError as e: print(e)
