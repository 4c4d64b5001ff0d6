//! The `termios` module: POSIX terminal control (`tcgetattr`, `tcsetattr`,
//! the line-control calls and the window size) over libc, with CPython
//! 3.11's argument checks, messages and constants. `tty`, `pty` and
//! `getpass` are built on it.

use crate::native::c_long;
use crate::select::{as_fd, errno};
use krait_vm::{Args, NativeDef, PyErr, PyRef, PyResult, Value, Vm};
use std::cell::RefCell;

/// The `termios.error` class of this interpreter.
#[derive(Default)]
struct TermiosState {
    error: RefCell<Option<Value>>,
}

/// `termios.error(errno, strerror)`.
fn os_error(vm: &Vm, code: i32) -> PyErr {
    let cls = vm.state::<TermiosState>().error.borrow().clone();
    let Some(cls) = cls else {
        return vm.new_runtime_error("termios.error is missing");
    };
    let text = crate::posix::proc::strerror_text(code);
    match vm.call1(&cls, &[Value::Int(code as i64), vm.new_str(&text)]) {
        Ok(Value::Obj(e)) => e,
        Ok(_) => vm.new_type_error("termios.error is not an exception"),
        Err(e) => e,
    }
}

/// Fails with `termios.error` when a libc call returned -1.
fn check(vm: &Vm, r: libc::c_int) -> PyResult<()> {
    if r == -1 {
        Err(os_error(vm, errno()))
    } else {
        Ok(())
    }
}

/// The attributes of the terminal on `fd`.
fn get_mode(vm: &Vm, fd: i32) -> PyResult<libc::termios> {
    // SAFETY: termios is plain old data; all-zero is a valid value that
    // tcgetattr overwrites.
    let mut mode: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `mode` is a valid, writable termios.
    check(vm, unsafe { libc::tcgetattr(fd, &mut mode) })?;
    Ok(mode)
}

/// The positional arguments of `name`, which takes exactly `n`, with
/// Argument Clinic's two wordings of a wrong count.
fn exact<'a>(vm: &Vm, name: &str, args: Args<'a>, n: usize) -> PyResult<&'a [Value]> {
    let got = args.args.len();
    if got == n && !args.has_kwargs() {
        return Ok(args.args);
    }
    if args.has_kwargs() {
        return Err(vm.new_type_error(format!("termios.{name}() takes no keyword arguments")));
    }
    Err(vm.new_type_error(if n == 1 {
        format!("termios.{name}() takes exactly one argument ({got} given)")
    } else {
        format!("{name} expected {n} arguments, got {got}")
    }))
}

/// An int argument read as a C `int` (`PyArg_Parse` "i").
fn int_arg(vm: &Vm, v: &Value) -> PyResult<i32> {
    crate::posix::fd::fd_arg(vm, v)
}

const TCGETATTR_DOC: &str = "Get the tty attributes for file descriptor fd.\n\nReturns a list [iflag, oflag, cflag, lflag, ispeed, ospeed, cc]\nwhere cc is a list of the tty special characters (each a string of\nlength 1, except the items with indices VMIN and VTIME, which are\nintegers when these fields are defined).  The interpretation of the\nflags and the speeds as well as the indexing in the cc array must be\ndone using the symbolic constants defined in this module.";

fn tcgetattr(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "tcgetattr", args, 1)?;
    let fd = as_fd(vm, &a[0])?;
    let mode = get_mode(vm, fd)?;
    let mut cc: Vec<Value> = mode.c_cc.iter().map(|&c| vm.new_bytes(vec![c])).collect();
    // MIN and TIME share their slots with EOF and EOL on some systems, so
    // they read as numbers only in noncanonical mode, as in CPython.
    if mode.c_lflag & libc::ICANON == 0 {
        cc[libc::VMIN] = Value::Int(mode.c_cc[libc::VMIN] as i64);
        cc[libc::VTIME] = Value::Int(mode.c_cc[libc::VTIME] as i64);
    }
    // SAFETY: `mode` is an initialised termios.
    let (ispeed, ospeed) = unsafe { (libc::cfgetispeed(&mode), libc::cfgetospeed(&mode)) };
    Ok(vm.new_list(vec![
        Value::Int(mode.c_iflag as i64),
        Value::Int(mode.c_oflag as i64),
        Value::Int(mode.c_cflag as i64),
        Value::Int(mode.c_lflag as i64),
        Value::Int(ispeed as i64),
        Value::Int(ospeed as i64),
        vm.new_list(cc),
    ]))
}

/// The items of an exact list of `len` items, else None.
fn list_items(v: &Value, len: usize) -> Option<Vec<Value>> {
    let items = v.as_obj()?.payload.as_list()?.borrow().to_vec();
    (items.len() == len).then_some(items)
}

fn tcsetattr(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "tcsetattr", args, 3)?;
    let fd = as_fd(vm, &a[0])?;
    let when = int_arg(vm, &a[1])?;
    let Some(attrs) = list_items(&a[2], 7) else {
        return Err(vm.new_type_error("tcsetattr, arg 3: must be 7 element list"));
    };
    // Fields this module does not expose keep their current values.
    let mut mode = get_mode(vm, fd)?;
    mode.c_iflag = c_long(vm, &attrs[0])? as libc::tcflag_t;
    mode.c_oflag = c_long(vm, &attrs[1])? as libc::tcflag_t;
    mode.c_cflag = c_long(vm, &attrs[2])? as libc::tcflag_t;
    mode.c_lflag = c_long(vm, &attrs[3])? as libc::tcflag_t;
    let ispeed = c_long(vm, &attrs[4])? as libc::speed_t;
    let ospeed = c_long(vm, &attrs[5])? as libc::speed_t;
    let Some(cc) = list_items(&attrs[6], libc::NCCS) else {
        return Err(vm.new_type_error(format!("tcsetattr: attributes[6] must be {} element list", libc::NCCS)));
    };
    for (slot, v) in mode.c_cc.iter_mut().zip(&cc) {
        *slot = match v.as_obj().and_then(|o| o.payload.as_bytes()) {
            Some(b) if b.len() == 1 => b[0],
            _ if krait_vm::types::int::is_int(v) => c_long(vm, v)? as libc::cc_t,
            _ => return Err(vm.new_type_error("tcsetattr: elements of attributes must be characters or integers")),
        };
    }
    // SAFETY: `mode` is an initialised termios.
    check(vm, unsafe { libc::cfsetispeed(&mut mode, ispeed) })?;
    // SAFETY: as above.
    check(vm, unsafe { libc::cfsetospeed(&mut mode, ospeed) })?;
    // SAFETY: as above.
    check(vm, unsafe { libc::tcsetattr(fd, when, &mode) })?;
    Ok(Value::None)
}


/// A call taking the descriptor and one C int (tcsendbreak, tcflush,
/// tcflow).
fn fd_int_call(vm: &Vm, name: &str, args: Args, call: unsafe extern "C" fn(i32, i32) -> i32) -> PyResult {
    let a = exact(vm, name, args, 2)?;
    let fd = as_fd(vm, &a[0])?;
    let n = int_arg(vm, &a[1])?;
    // SAFETY: `call` is one of the libc wrappers above, on plain integers.
    check(vm, unsafe { call(fd, n) })?;
    Ok(Value::None)
}

fn tcsendbreak(vm: &Vm, args: Args) -> PyResult {
    fd_int_call(vm, "tcsendbreak", args, libc::tcsendbreak)
}

fn tcflush(vm: &Vm, args: Args) -> PyResult {
    fd_int_call(vm, "tcflush", args, libc::tcflush)
}

fn tcflow(vm: &Vm, args: Args) -> PyResult {
    fd_int_call(vm, "tcflow", args, libc::tcflow)
}

fn tcdrain(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "tcdrain", args, 1)?;
    let fd = as_fd(vm, &a[0])?;
    // Waiting for output to drain may take long: the GIL is released.
    // SAFETY: a plain syscall wrapper on an integer.
    match crate::select::blocking(vm, || unsafe { libc::tcdrain(fd) }) {
        (-1, e) => Err(os_error(vm, e)),
        _ => Ok(Value::None),
    }
}



fn get_winsize(vm: &Vm, fd: i32) -> PyResult<libc::winsize> {
    let mut w = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCGWINSZ writes one winsize through the pointer.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) })?;
    Ok(w)
}

fn tcgetwinsize(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "tcgetwinsize", args, 1)?;
    let fd = as_fd(vm, &a[0])?;
    let w = get_winsize(vm, fd)?;
    Ok(vm.new_tuple(vec![Value::Int(w.ws_row as i64), Value::Int(w.ws_col as i64)]))
}

fn tcsetwinsize(vm: &Vm, args: Args) -> PyResult {
    let a = exact(vm, "tcsetwinsize", args, 2)?;
    let fd = as_fd(vm, &a[0])?;
    let size = &a[1];
    let two = crate::operator::is_sequence(vm, size) && vm.len(size).ok() == Some(2);
    if !two {
        return Err(vm.new_type_error("tcsetwinsize, arg 2: must be a two-item sequence"));
    }
    let rows = c_long(vm, &vm.getitem(size, &Value::Int(0))?)?;
    let cols = c_long(vm, &vm.getitem(size, &Value::Int(1))?)?;
    // The pixel sizes keep their current values.
    let mut w = get_winsize(vm, fd)?;
    w.ws_row = u16::try_from(rows).map_err(|_| vm.new_overflow_error("winsize value(s) out of range."))?;
    w.ws_col = u16::try_from(cols).map_err(|_| vm.new_overflow_error("winsize value(s) out of range."))?;
    // SAFETY: TIOCSWINSZ reads one winsize through the pointer.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &w) })?;
    Ok(Value::None)
}

static FUNCS: [NativeDef; 8] = [
    NativeDef::function("tcgetattr", tcgetattr).doc(TCGETATTR_DOC),
    NativeDef::function("tcsetattr", tcsetattr),
    NativeDef::function("tcsendbreak", tcsendbreak),
    NativeDef::function("tcdrain", tcdrain),
    NativeDef::function("tcflush", tcflush),
    NativeDef::function("tcflow", tcflow),
    NativeDef::function("tcgetwinsize", tcgetwinsize),
    NativeDef::function("tcsetwinsize", tcsetwinsize),
];

const MODULE_DOC: &str = "This module provides an interface to the Posix calls for tty I/O control.\nFor a complete description of these calls, see the Posix or Unix manual\npages. It is only available for those Unix versions that support Posix\ntermios style tty I/O control.\n\nAll functions in this module take a file descriptor fd as their first\nargument. This can be an integer file descriptor, such as returned by\nsys.stdin.fileno(), or a file object, such as sys.stdin itself.";

/// The control character for `c` (`CTRL(c)` of `<sys/ttydefaults.h>`).
const fn ctrl(c: u8) -> i64 {
    (c & 0x1f) as i64
}

pub fn make_module(vm: &Vm) -> PyResult<PyRef> {
    let ns = vm.new_dict();
    vm.dict_set_str(&ns, &vm.intern("__module__"), vm.new_str("termios"));
    let bases = vm.new_tuple(vec![Value::Obj(vm.exc.exception.clone())]);
    let error = vm.call1(&Value::Obj(vm.types.type_.clone()), &[vm.new_str("error"), bases, Value::Obj(ns)])?;
    *vm.state::<TermiosState>().error.borrow_mut() = Some(error.clone());
    let mut attrs = vec![("error", error)];
    attrs.extend(CONSTANTS.iter().map(|&(n, v)| (n, Value::Int(v))));
    Ok(crate::native::make_module(vm, "termios", MODULE_DOC, &FUNCS, attrs))
}

macro_rules! libc_consts {
    ($($name:ident)*) => { &[$((stringify!($name), libc::$name as i64)),*] };
}

/// The constants CPython 3.11 exports on Linux.
static CONSTANTS: &[(&str, i64)] = &{
    const FROM_LIBC: &[(&str, i64)] = libc_consts!(
        B0 B50 B75 B110 B134 B150 B200 B300 B600 B1200 B1800 B2400 B4800 B9600 B19200 B38400
        B57600 B115200 B230400 B460800 B500000 B576000 B921600 B1000000 B1152000 B1500000
        B2000000 B2500000 B3000000 B3500000 B4000000
        BRKINT BS0 BS1 BSDLY CBAUD CBAUDEX CIBAUD CLOCAL CR0 CR1 CR2 CR3 CRDLY CREAD CRTSCTS
        CS5 CS6 CS7 CS8 CSIZE CSTOPB ECHO ECHOCTL ECHOE ECHOK ECHOKE ECHONL ECHOPRT EXTA EXTB
        FF0 FF1 FFDLY FIOASYNC FIOCLEX FIONBIO FIONCLEX FIONREAD FLUSHO HUPCL ICANON ICRNL
        IEXTEN IGNBRK IGNCR IGNPAR IMAXBEL INLCR INPCK ISIG ISTRIP IUCLC IXANY IXOFF IXON NCCS
        NL0 NL1 NLDLY NOFLSH OCRNL OFDEL OFILL OLCUC ONLCR ONLRET ONOCR OPOST PARENB PARMRK
        PARODD PENDIN TAB0 TAB1 TAB2 TAB3 TABDLY TCFLSH TCGETA TCGETS TCIFLUSH TCIOFF TCIOFLUSH
        TCION TCOFLUSH TCOOFF TCOON TCSADRAIN TCSAFLUSH TCSANOW TCSBRK TCSBRKP TCSETA TCSETAF
        TCSETAW TCSETS TCSETSF TCSETSW TCXONC TIOCCONS TIOCEXCL TIOCGETD TIOCGICOUNT
        TIOCGLCKTRMIOS TIOCGPGRP TIOCGSERIAL TIOCGSOFTCAR TIOCGWINSZ TIOCINQ TIOCLINUX TIOCMBIC
        TIOCMBIS TIOCMGET TIOCMIWAIT TIOCMSET TIOCM_CAR TIOCM_CD TIOCM_CTS TIOCM_DSR TIOCM_DTR
        TIOCM_LE TIOCM_RI TIOCM_RNG TIOCM_RTS TIOCM_SR TIOCM_ST TIOCNOTTY TIOCNXCL TIOCOUTQ
        TIOCPKT TIOCSCTTY TIOCSERCONFIG TIOCSERGETLSR TIOCSERGETMULTI TIOCSERGSTRUCT
        TIOCSERGWILD TIOCSERSETMULTI TIOCSERSWILD TIOCSETD TIOCSLCKTRMIOS
        TIOCSPGRP TIOCSSERIAL TIOCSSOFTCAR TIOCSTI TIOCSWINSZ TOSTOP VDISCARD VEOF VEOL VEOL2
        VERASE VINTR VKILL VLNEXT VMIN VQUIT VREPRINT VSTART VSTOP VSUSP VSWTC VT0 VT1 VTDLY
        VTIME VWERASE XCASE XTABS
    );
    // Not in the libc crate: `<sys/ttydefaults.h>`'s default control
    // characters, the `struct termio` size, `<asm/ioctl.h>`'s size field,
    // the line disciplines and packet-mode bits of `<asm/termbits.h>`, and
    // the serial driver's transmitter-empty bit (`<linux/serial.h>`).
    const FROM_HEADERS: &[(&str, i64)] = &[
        ("CDSUSP", ctrl(b'y')),
        ("CEOF", ctrl(b'd')),
        ("CEOL", 0),
        ("CEOT", ctrl(b'd')),
        ("CERASE", 0o177),
        ("CFLUSH", ctrl(b'o')),
        ("CINTR", ctrl(b'c')),
        ("CKILL", ctrl(b'u')),
        ("CLNEXT", ctrl(b'v')),
        ("CQUIT", 0o34),
        ("CRPRNT", ctrl(b'r')),
        ("CSTART", ctrl(b'q')),
        ("CSTOP", ctrl(b's')),
        ("CSUSP", ctrl(b'z')),
        ("CWERASE", ctrl(b'w')),
        ("IOCSIZE_MASK", 0x3fff << 16),
        ("IOCSIZE_SHIFT", 16),
        ("NCC", 8),
        ("N_TTY", 0),
        ("N_SLIP", 1),
        ("N_MOUSE", 2),
        ("N_PPP", 3),
        ("N_STRIP", 4),
        ("TIOCSER_TEMT", 1),
        ("TIOCPKT_DATA", 0),
        ("TIOCPKT_FLUSHREAD", 1),
        ("TIOCPKT_FLUSHWRITE", 2),
        ("TIOCPKT_STOP", 4),
        ("TIOCPKT_START", 8),
        ("TIOCPKT_NOSTOP", 16),
        ("TIOCPKT_DOSTOP", 32),
        ("VSWTCH", libc::VSWTC as i64),
    ];
    let mut all = [("", 0i64); FROM_LIBC.len() + FROM_HEADERS.len()];
    let mut i = 0;
    while i < FROM_LIBC.len() {
        all[i] = FROM_LIBC[i];
        i += 1;
    }
    let mut j = 0;
    while j < FROM_HEADERS.len() {
        all[i + j] = FROM_HEADERS[j];
        j += 1;
    }
    all
};
