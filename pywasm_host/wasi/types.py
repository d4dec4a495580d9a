"""WASI preview1 type names (``typenames.witx`` of wasi_snapshot_preview1):
the flag bits, enum values and record layouts the host functions read and
write in guest memory.

Record layouts (size, field offsets) follow the witx definitions for wasm32;
wasi-libc's ``wasi/api.h`` asserts the same numbers.
"""

from __future__ import annotations

import struct
from enum import IntEnum, IntFlag

__all__ = [
    "Rights", "Filetype", "Whence", "Clockid", "Advice", "Fdflags", "Oflags", "Lookupflags",
    "Fstflags", "Eventtype", "Subclockflags", "Preopentype",
    "FDSTAT", "FILESTAT", "DIRENT", "PRESTAT", "SUBSCRIPTION", "EVENT", "IOVEC",
    "WRITE_RIGHTS", "READ_RIGHTS", "ALL_RIGHTS",
]


class Rights(IntFlag):
    """``rights`` (u64)."""

    FD_DATASYNC = 1 << 0
    FD_READ = 1 << 1
    FD_SEEK = 1 << 2
    FD_FDSTAT_SET_FLAGS = 1 << 3
    FD_SYNC = 1 << 4
    FD_TELL = 1 << 5
    FD_WRITE = 1 << 6
    FD_ADVISE = 1 << 7
    FD_ALLOCATE = 1 << 8
    PATH_CREATE_DIRECTORY = 1 << 9
    PATH_CREATE_FILE = 1 << 10
    PATH_LINK_SOURCE = 1 << 11
    PATH_LINK_TARGET = 1 << 12
    PATH_OPEN = 1 << 13
    FD_READDIR = 1 << 14
    PATH_READLINK = 1 << 15
    PATH_RENAME_SOURCE = 1 << 16
    PATH_RENAME_TARGET = 1 << 17
    PATH_FILESTAT_GET = 1 << 18
    PATH_FILESTAT_SET_SIZE = 1 << 19
    PATH_FILESTAT_SET_TIMES = 1 << 20
    FD_FILESTAT_GET = 1 << 21
    FD_FILESTAT_SET_SIZE = 1 << 22
    FD_FILESTAT_SET_TIMES = 1 << 23
    PATH_SYMLINK = 1 << 24
    PATH_REMOVE_DIRECTORY = 1 << 25
    PATH_UNLINK_FILE = 1 << 26
    POLL_FD_READWRITE = 1 << 27
    SOCK_SHUTDOWN = 1 << 28
    SOCK_ACCEPT = 1 << 29


ALL_RIGHTS = (1 << 30) - 1
#: Rights that make ``path_open`` open for reading / writing (as wasi-libc's ``open`` requests them).
READ_RIGHTS = Rights.FD_READ | Rights.FD_READDIR
WRITE_RIGHTS = Rights.FD_DATASYNC | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE


class Filetype(IntEnum):
    UNKNOWN = 0
    BLOCK_DEVICE = 1
    CHARACTER_DEVICE = 2
    DIRECTORY = 3
    REGULAR_FILE = 4
    SOCKET_DGRAM = 5
    SOCKET_STREAM = 6
    SYMBOLIC_LINK = 7


class Whence(IntEnum):
    SET = 0
    CUR = 1
    END = 2


class Clockid(IntEnum):
    REALTIME = 0
    MONOTONIC = 1
    PROCESS_CPUTIME_ID = 2
    THREAD_CPUTIME_ID = 3


class Advice(IntEnum):
    NORMAL = 0
    SEQUENTIAL = 1
    RANDOM = 2
    WILLNEED = 3
    DONTNEED = 4
    NOREUSE = 5


class Fdflags(IntFlag):
    APPEND = 1 << 0
    DSYNC = 1 << 1
    NONBLOCK = 1 << 2
    RSYNC = 1 << 3
    SYNC = 1 << 4


class Oflags(IntFlag):
    CREAT = 1 << 0
    DIRECTORY = 1 << 1
    EXCL = 1 << 2
    TRUNC = 1 << 3


class Lookupflags(IntFlag):
    SYMLINK_FOLLOW = 1 << 0


class Fstflags(IntFlag):
    ATIM = 1 << 0
    ATIM_NOW = 1 << 1
    MTIM = 1 << 2
    MTIM_NOW = 1 << 3


class Eventtype(IntEnum):
    CLOCK = 0
    FD_READ = 1
    FD_WRITE = 2


class Subclockflags(IntFlag):
    SUBSCRIPTION_CLOCK_ABSTIME = 1 << 0


class Preopentype(IntEnum):
    DIR = 0


#: ``fdstat``: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16 (24 bytes).
FDSTAT = struct.Struct("<BxHxxxxQQ")
#: ``filestat``: dev, ino, filetype u8 (+7 pad), nlink, size, atim, mtim, ctim (64 bytes).
FILESTAT = struct.Struct("<QQBxxxxxxxQQQQQ")
#: ``dirent`` header: d_next u64, d_ino u64, d_namlen u32, d_type u8 (+3 pad) (24 bytes), name follows.
DIRENT = struct.Struct("<QQIBxxx")
#: ``prestat``: tag u8 @0, pr_name_len u32 @4 (8 bytes).
PRESTAT = struct.Struct("<BxxxI")
#: ``subscription``: userdata u64, tag u8 @8, then the union at @16:
#: clock (id u32, timeout u64 @24, precision u64 @32, flags u16 @40) or fd (u32 @16). 48 bytes.
SUBSCRIPTION = struct.Struct("<QBxxxxxxxIxxxxQQHxxxxxx")
#: ``event``: userdata u64, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24 (32 bytes).
EVENT = struct.Struct("<QHBxxxxxQHxxxxxx")
#: ``iovec``/``ciovec``: buf u32, buf_len u32 (8 bytes).
IOVEC = struct.Struct("<II")
