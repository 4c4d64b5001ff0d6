# subprocess with pipes: communicate, check_output, text mode, stderr
# merged into stdout, reading a child's output line by line.
import subprocess
import sys

r = subprocess.run(['/bin/echo', 'captured'], capture_output=True)
print(r.returncode, r.stdout, r.stderr)
p = subprocess.Popen(['cat'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = p.communicate(b'piped data\n' * 3)
print(out, err, p.returncode)
print(subprocess.check_output(['sh', '-c', 'echo $FOO'], env={'FOO': 'bar'}))
print(subprocess.check_output('echo out; echo err >&2', shell=True, stderr=subprocess.STDOUT, text=True), end='')
print(repr(subprocess.getoutput('echo hi; exit 2')), subprocess.getstatusoutput('exit 3'))
r = subprocess.run(['sh', '-c', 'echo to-err >&2; exit 5'], stderr=subprocess.PIPE, text=True)
print(r.returncode, repr(r.stderr))
p = subprocess.Popen(['sh', '-c', 'read x; echo got $x; read y; echo got $y'], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
p.stdin.write('one\ntwo\n')
p.stdin.close()
print([line.rstrip() for line in p.stdout])
p.stdout.close()
print(p.wait())
r = subprocess.run([sys.executable, '-c', 'import sys; print(sys.stdin.read().upper())'], input='from parent',
                   capture_output=True, text=True)
print(r.stdout, end='')
try:
    subprocess.check_output(['sh', '-c', 'echo partial; exit 1'])
except subprocess.CalledProcessError as e:
    print(e.returncode, e.output)
