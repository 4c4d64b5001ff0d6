# -X dev and PYTHONDEVMODE: sys.flags.dev_mode, the "default" warning option
# (before PYTHONWARNINGS and -W), faulthandler on, asyncio's debug mode.
import os, subprocess, sys
code = ("import sys, warnings, faulthandler, asyncio.coroutines as c; "
        "print(sys.warnoptions, sys.flags.dev_mode, warnings.filters[0], faulthandler.is_enabled(), c._is_debug_mode())")
env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
for args, extra in [([], {}), (["-X", "dev"], {}), ([], {"PYTHONDEVMODE": "1"}), (["-X", "dev", "-W", "error"], {"PYTHONWARNINGS": "ignore"}), (["-E"], {"PYTHONDEVMODE": "1"})]:
    r = subprocess.run([sys.executable, *args, "-c", code], env={**env, **extra}, capture_output=True, text=True)
    print(args, extra, r.stdout.strip(), r.returncode)
r = subprocess.run([sys.executable, "-X", "dev", "-c", "import warnings; warnings.warn('shown', DeprecationWarning)"], env=env, capture_output=True, text=True)
print(r.stderr.strip().splitlines()[0])
