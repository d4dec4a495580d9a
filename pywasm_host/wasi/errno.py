"""WASI preview1 error codes (``errno`` in ``typenames.witx`` of
wasi_snapshot_preview1) and the mapping from host ``OSError`` numbers.

The numeric values are the witx enum's case indices; a test checks them
against wasi-libc's generated ``wasi/api.h``. :class:`WasiErrno` is raised
inside the host functions and turned into the function's result.
"""

from __future__ import annotations

import errno as _host
from enum import IntEnum

__all__ = ["Errno", "WasiErrno", "errno_of"]


class Errno(IntEnum):
    """``errno`` (a ``u16``): ``SUCCESS`` is 0, ``TOOBIG`` is witx ``2big``."""

    SUCCESS = 0
    TOOBIG = 1
    ACCES = 2
    ADDRINUSE = 3
    ADDRNOTAVAIL = 4
    AFNOSUPPORT = 5
    AGAIN = 6
    ALREADY = 7
    BADF = 8
    BADMSG = 9
    BUSY = 10
    CANCELED = 11
    CHILD = 12
    CONNABORTED = 13
    CONNREFUSED = 14
    CONNRESET = 15
    DEADLK = 16
    DESTADDRREQ = 17
    DOM = 18
    DQUOT = 19
    EXIST = 20
    FAULT = 21
    FBIG = 22
    HOSTUNREACH = 23
    IDRM = 24
    ILSEQ = 25
    INPROGRESS = 26
    INTR = 27
    INVAL = 28
    IO = 29
    ISCONN = 30
    ISDIR = 31
    LOOP = 32
    MFILE = 33
    MLINK = 34
    MSGSIZE = 35
    MULTIHOP = 36
    NAMETOOLONG = 37
    NETDOWN = 38
    NETRESET = 39
    NETUNREACH = 40
    NFILE = 41
    NOBUFS = 42
    NODEV = 43
    NOENT = 44
    NOEXEC = 45
    NOLCK = 46
    NOLINK = 47
    NOMEM = 48
    NOMSG = 49
    NOPROTOOPT = 50
    NOSPC = 51
    NOSYS = 52
    NOTCONN = 53
    NOTDIR = 54
    NOTEMPTY = 55
    NOTRECOVERABLE = 56
    NOTSOCK = 57
    NOTSUP = 58
    NOTTY = 59
    NXIO = 60
    OVERFLOW = 61
    OWNERDEAD = 62
    PERM = 63
    PIPE = 64
    PROTO = 65
    PROTONOSUPPORT = 66
    PROTOTYPE = 67
    RANGE = 68
    ROFS = 69
    SPIPE = 70
    SRCH = 71
    STALE = 72
    TIMEDOUT = 73
    TXTBSY = 74
    XDEV = 75
    NOTCAPABLE = 76


class WasiErrno(Exception):
    """Raised by host function bodies to return ``errno`` to the guest."""

    __slots__ = ("errno",)

    def __init__(self, errno: int) -> None:
        super().__init__(Errno(errno).name)
        self.errno = errno


def _host_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for member in Errno:
        name = "E2BIG" if member is Errno.TOOBIG else "E" + member.name
        number = getattr(_host, name, None)
        if number is not None:
            table.setdefault(number, int(member))
    # aliases some hosts define with distinct numbers
    for alias, member in (("EWOULDBLOCK", Errno.AGAIN), ("EOPNOTSUPP", Errno.NOTSUP)):
        number = getattr(_host, alias, None)
        if number is not None:
            table.setdefault(number, int(member))
    return table


_FROM_HOST = _host_table()


def errno_of(error: OSError) -> int:
    """The WASI errno for a host ``OSError`` (``EIO`` when it has none)."""
    return _FROM_HOST.get(error.errno or 0, Errno.IO)
