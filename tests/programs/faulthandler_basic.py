# faulthandler: enable/disable/is_enabled, dump_traceback of the running thread, a cancelled watchdog, argument errors.
import faulthandler, sys, time
print(faulthandler.is_enabled(), faulthandler.enable(), faulthandler.is_enabled(), faulthandler.disable(), faulthandler.disable())
import tempfile
def f():
    with tempfile.TemporaryFile('w+') as fh:
        faulthandler.dump_traceback(fh, all_threads=False)
        fh.seek(0)
        print(fh.read().replace(__file__, 'FILE'), end='')
f()
sys.stdout.flush()
faulthandler.dump_traceback_later(0.2, file=sys.stdout)
faulthandler.cancel_dump_traceback_later()
time.sleep(0.3)
print('cancelled: nothing written')
time.sleep(0.3)
for bad in [(0,), (-1,)]:
    try: faulthandler.dump_traceback_later(*bad)
    except Exception as e: print(type(e).__name__, e)
import io
try: faulthandler.dump_traceback(io.StringIO())
except Exception as e: print(type(e).__name__, e)
