//! Data transfer methods of `_socket.socket`: send/sendall/sendto and
//! recv/recv_into/recvfrom.

use super::addr::{self, SockAddr};
use super::sock::{int_arg, rest, sock_call, sock_of};
use crate::native::unpack;
use krait_vm::{Args, NativeDef, PyResult, Value, Vm};

fn data_arg(vm: &Vm, v: &Value) -> PyResult<Vec<u8>> {
    krait_vm::types::int::bytes_like(v)
        .ok_or_else(|| vm.new_type_error(format!("a bytes-like object is required, not '{}'", vm.type_name_of(v))))
}

fn flags_arg(vm: &Vm, v: Option<&Value>) -> PyResult<i32> {
    match v {
        Some(v) => int_arg(vm, v),
        None => Ok(0),
    }
}

fn size_arg(vm: &Vm, v: &Value, caller: &str) -> PyResult<usize> {
    let n = crate::native::ssize(vm, v)?;
    if n < 0 {
        return Err(vm.new_value_error(format!("negative buffersize in {caller}")));
    }
    Ok(n as usize)
}

fn sock_send(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "send")?;
    let a = unpack(vm, "send", &rest(&args), 1, 2)?;
    let data = data_arg(vm, &a[0])?;
    let flags = flags_arg(vm, a.get(1))?;
    // SAFETY: `data` is a live buffer of `data.len()` bytes.
    let n = sock_call(vm, s, true, |fd| unsafe { libc::send(fd, data.as_ptr().cast(), data.len(), flags) })?;
    Ok(Value::Int(n as i64))
}

fn sock_sendall(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "sendall")?;
    let a = unpack(vm, "sendall", &rest(&args), 1, 2)?;
    let data = data_arg(vm, &a[0])?;
    let flags = flags_arg(vm, a.get(1))?;
    let mut off = 0;
    while off < data.len() {
        let chunk = &data[off..];
        // SAFETY: `chunk` is a live buffer of `chunk.len()` bytes.
        let n = sock_call(vm, s, true, |fd| unsafe { libc::send(fd, chunk.as_ptr().cast(), chunk.len(), flags) })?;
        off += n as usize;
        crate::signal::check_signals(vm)?;
    }
    Ok(Value::None)
}

fn sock_sendto(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "sendto")?;
    let a = unpack(vm, "sendto", &rest(&args), 2, 3)?;
    let data = data_arg(vm, &a[0])?;
    let (flags, target) = if a.len() == 3 { (int_arg(vm, &a[1])?, &a[2]) } else { (0, &a[1]) };
    let sa = addr::parse(vm, s.family.get(), target, "sendto")?;
    // SAFETY: `data` and `sa` are live buffers of the lengths given.
    let n = sock_call(vm, s, true, |fd| unsafe {
        libc::sendto(fd, data.as_ptr().cast(), data.len(), flags, sa.ptr(), sa.len)
    })?;
    Ok(Value::Int(n as i64))
}

/// Receives up to `n` bytes (and the sender's address when `from`).
fn recv_bytes(vm: &Vm, s: &super::sock::Sock, n: usize, flags: i32, from: bool) -> PyResult<(Vec<u8>, SockAddr)> {
    let mut buf = crate::posix::fd::alloc_buf(vm, n)?;
    let mut sa = SockAddr::empty();
    let got = sock_call(vm, s, false, |fd| {
        sa.len = std::mem::size_of::<libc::sockaddr_storage>() as u32;
        // SAFETY: `buf` has room for `n` bytes; `sa` for `sa.len` bytes.
        unsafe {
            if from {
                libc::recvfrom(fd, buf.as_mut_ptr().cast(), n, flags, sa.mut_ptr(), &mut sa.len)
            } else {
                libc::recv(fd, buf.as_mut_ptr().cast(), n, flags)
            }
        }
    })?;
    buf.truncate(got as usize);
    if !from {
        sa.len = 0;
    }
    Ok((buf, sa))
}

fn sock_recv(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "recv")?;
    let a = unpack(vm, "recv", &rest(&args), 1, 2)?;
    let n = size_arg(vm, &a[0], "recv")?;
    let flags = flags_arg(vm, a.get(1))?;
    let (buf, _) = recv_bytes(vm, s, n, flags, false)?;
    Ok(vm.new_bytes(buf))
}

fn sock_recvfrom(vm: &Vm, args: Args) -> PyResult {
    let s = sock_of(vm, &args, "recvfrom")?;
    let a = unpack(vm, "recvfrom", &rest(&args), 1, 2)?;
    let n = size_arg(vm, &a[0], "recvfrom")?;
    let flags = flags_arg(vm, a.get(1))?;
    let (buf, sa) = recv_bytes(vm, s, n, flags, true)?;
    let who = if sa.len == 0 { Value::None } else { addr::make(vm, &sa) };
    Ok(vm.new_tuple(vec![vm.new_bytes(buf), who]))
}

/// Copies received bytes into a writable buffer with `buffer[0:n] = data`
/// (bytearray, memoryview, array...).
fn fill(vm: &Vm, target: &Value, data: Vec<u8>) -> PyResult<()> {
    let n = data.len() as i64;
    let key = vm.new_slice(Value::Int(0), Value::Int(n), Value::None);
    vm.setitem(target, &key, vm.new_bytes(data))
}

fn recv_into_common(vm: &Vm, args: Args, name: &str, from: bool) -> PyResult<(usize, SockAddr)> {
    let s = sock_of(vm, &args, name)?;
    let a = vm.bind_native(name, rest(&args), &["buffer", "nbytes", "flags"], 0, 1, None)?;
    let target = a[0].as_ref().unwrap();
    if target.payload().and_then(|p| p.as_bytes()).is_some() || vm.as_str(target).is_some() {
        return Err(vm.new_type_error(format!(
            "{name}() argument 'buffer' must be read-write bytes-like object, not {}",
            vm.type_name_of(target)
        )));
    }
    let len = vm.len(target)?;
    let mut n = match &a[1] {
        Some(v) => size_arg(vm, v, name)?,
        None => 0,
    };
    if n == 0 {
        n = len;
    } else if n > len {
        return Err(vm.new_value_error(format!("buffer too small for requested bytes")));
    }
    let flags = flags_arg(vm, a[2].as_ref())?;
    let (buf, sa) = recv_bytes(vm, s, n, flags, from)?;
    let got = buf.len();
    fill(vm, target, buf)?;
    Ok((got, sa))
}

fn sock_recv_into(vm: &Vm, args: Args) -> PyResult {
    let (n, _) = recv_into_common(vm, args, "recv_into", false)?;
    Ok(Value::Int(n as i64))
}

fn sock_recvfrom_into(vm: &Vm, args: Args) -> PyResult {
    let (n, sa) = recv_into_common(vm, args, "recvfrom_into", true)?;
    let who = if sa.len == 0 { Value::None } else { addr::make(vm, &sa) };
    Ok(vm.new_tuple(vec![Value::Int(n as i64), who]))
}

pub static IO_METHODS: &[NativeDef] = &[
    NativeDef::method("send", sock_send),
    NativeDef::method("sendall", sock_sendall),
    NativeDef::method("sendto", sock_sendto),
    NativeDef::method("recv", sock_recv),
    NativeDef::method("recvfrom", sock_recvfrom),
    NativeDef::method("recv_into", sock_recv_into),
    NativeDef::method("recvfrom_into", sock_recvfrom_into),
];
