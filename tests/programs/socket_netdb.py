"""socket's network-database look-ups: host entries by address and by name,
getnameinfo, services and protocols, and their errors (only facts that do not
depend on this machine's /etc/hosts are printed)."""
import socket

name, aliases, addrs = socket.gethostbyaddr('127.0.0.1')
print(type(name), type(aliases), addrs)
name, aliases, addrs = socket.gethostbyname_ex('127.0.0.1')
print(type(name), type(aliases), addrs)
print(socket.getnameinfo(('127.0.0.1', 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
print(socket.getnameinfo(('::1', 443, 0, 0), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
print(socket.getservbyname('http'), socket.getservbyname('http', 'tcp'), socket.getservbyport(80),
      socket.getservbyport(53, 'udp'), socket.getprotobyname('tcp'), socket.getprotobyname('udp'))
print(isinstance(socket.getfqdn('127.0.0.1'), str))
for f in [lambda: socket.getservbyname('nope'), lambda: socket.getservbyport(99999),
          lambda: socket.getservbyport(1, 'nope'), lambda: socket.getprotobyname('nope'),
          lambda: socket.getnameinfo(('127.0.0.1',), 0), lambda: socket.getnameinfo(('nonexist.invalid', 80), 0),
          lambda: socket.getnameinfo('x', 0), lambda: socket.getnameinfo(('127.0.0.1', 80, 0), 0),
          lambda: socket.getnameinfo(('::1', 80, 2**21), 0), lambda: socket.getnameinfo((1, 80), 0),
          lambda: socket.getservbyname(1), lambda: socket.getprotobyname(None), lambda: socket.gethostbyaddr(5),
          lambda: socket.gethostbyname_ex(5), lambda: socket.gethostbyname(5), lambda: socket.getservbyname(None),
          lambda: socket.getservbyname('a', 5)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e.args)
