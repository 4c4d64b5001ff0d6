//! The `errno` module: the E* error numbers (Linux values from libc) and
//! `errorcode`, mapping each number back to its name.

use krait_vm::{PyRef, PyResult, Value, Vm};

macro_rules! errno_table {
    ($($name:ident,)*) => {
        /// (name, value) pairs, by value; of two names for one number, the one
        /// `errorcode` shows comes last.
        const ERRNOS: &[(&str, i32)] = &[$((stringify!($name), libc::$name),)*];
    };
}

errno_table! {
    EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EWOULDBLOCK, EAGAIN,
    ENOMEM, EACCES, EFAULT, ENOTBLK, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE,
    EMFILE, ENOTTY, ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK,
    EDEADLOCK, ENAMETOOLONG, ENOLCK, ENOSYS, ENOTEMPTY, ELOOP, ENOMSG, EIDRM, ECHRNG, EL2NSYNC,
    EL3HLT, EL3RST, ELNRNG, EUNATCH, ENOCSI, EL2HLT, EBADE, EBADR, EXFULL, ENOANO, EBADRQC, EBADSLT,
    EBFONT, ENOSTR, ENODATA, ETIME, ENOSR, ENONET, ENOPKG, EREMOTE, ENOLINK, EADV, ESRMNT, ECOMM,
    EPROTO, EMULTIHOP, EDOTDOT, EBADMSG, EOVERFLOW, ENOTUNIQ, EBADFD, EREMCHG, ELIBACC, ELIBBAD,
    ELIBSCN, ELIBMAX, ELIBEXEC, EILSEQ, ERESTART, ESTRPIPE, EUSERS, ENOTSOCK, EDESTADDRREQ,
    EMSGSIZE, EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EOPNOTSUPP, ENOTSUP,
    EPFNOSUPPORT, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ENETRESET,
    ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ESHUTDOWN, ETOOMANYREFS, ETIMEDOUT,
    ECONNREFUSED, EHOSTDOWN, EHOSTUNREACH, EALREADY, EINPROGRESS, ESTALE, EUCLEAN, ENOTNAM, ENAVAIL,
    EISNAM, EREMOTEIO, EDQUOT, ENOMEDIUM, EMEDIUMTYPE, ECANCELED, ENOKEY, EKEYEXPIRED, EKEYREVOKED,
    EKEYREJECTED, EOWNERDEAD, ENOTRECOVERABLE, ERFKILL,
}

/// Creates the `errno` module.
pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let codes = vm.new_dict();
    let mut attrs: Vec<(&str, Value)> = Vec::new();
    for &(name, value) in ERRNOS {
        vm.dict_set(&codes, Value::Int(value as i64), vm.new_str(name))?;
        attrs.push((name, Value::Int(value as i64)));
    }
    attrs.push(("errorcode", Value::Obj(codes)));
    let doc = "This module makes available standard errno system symbols.";
    Ok(crate::native::make_module(vm, "errno", doc, &[], attrs))
}

#[cfg(test)]
mod tests {
    use super::ERRNOS;

    /// The name `errorcode` gives a number: the last one listed for it.
    fn code_name(n: i32) -> &'static str {
        ERRNOS.iter().rev().find(|(_, v)| *v == n).map(|(k, _)| *k).unwrap_or("")
    }

    #[test]
    fn values_and_preferred_names() {
        assert_eq!(code_name(2), "ENOENT");
        assert_eq!(code_name(11), "EAGAIN");
        assert_eq!(code_name(35), "EDEADLOCK");
        assert_eq!(code_name(95), "ENOTSUP");
        assert_eq!(ERRNOS.len(), 133);
    }
}
