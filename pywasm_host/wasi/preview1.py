"""The ``wasi_snapshot_preview1`` host functions (WASI preview1,
``wasi_snapshot_preview1.witx``): every function of the snapshot, over a
:class:`~pywasm_host.wasi.config.WasiConfig`.

Each function receives its wasm arguments as engine integers (i32/i64
unsigned) and returns an ``errno``; results go to guest memory through
pointers. Behaviour follows wasmtime where the witx leaves room: a guest
pointer or length outside memory traps ("out of bounds memory access"), an
invalid enum value traps, and errno values match wasmtime's choices (see
``sandbox.py`` for path escapes). ``proc_exit`` raises
:class:`~pywasm_host.wasi.ExitTrap`.

:func:`wasi_imports` builds the host functions for a store; the
:class:`Preview1` object behind them reads and writes the memory bound with
:meth:`Preview1.bind_memory` (or the calling instance's ``memory`` export when
the functions are called through a ``Caller``).
"""

from __future__ import annotations

import os
import stat
import struct
import time
from collections.abc import Callable
from typing import Any

from ..interpreter.errors import Trap, TrapCode
from ..interpreter.runtime.instances import HostFunction
from ..interpreter.runtime.memory import MemoryInstance
from ..interpreter.runtime.values import signed64
from ..interpreter.syntax.types import FuncType, ValType
from ._exit import ExitTrap
from .clock import clock_now, clock_resolution
from .config import WasiConfig
from .errno import Errno, WasiErrno, errno_of
from .fdtable import DIR, FILE, PREOPEN_RIGHTS_BASE, PREOPEN_RIGHTS_INHERITING, STREAM, Descriptor, FdTable
from .poll import poll
from .sandbox import resolve
from .types import (
    ALL_RIGHTS,
    DIRENT,
    EVENT,
    FDSTAT,
    FILESTAT,
    PRESTAT,
    SUBSCRIPTION,
    Advice,
    Clockid,
    Fdflags,
    Filetype,
    Fstflags,
    Lookupflags,
    Oflags,
    Rights,
    Whence,
)

__all__ = ["Preview1", "WasiImports", "wasi_imports", "SIGNATURES", "MODULE"]

MODULE = "wasi_snapshot_preview1"

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_U32_PAIR = struct.Struct("<II")
_IOV2 = struct.Struct("<IIII")
_IOV_LAYOUTS: dict[int, struct.Struct] = {}
# (``~`` on a one-member IntFlag is 0 in Python 3.11: complement plain ints)
_FOLLOW = int(Lookupflags.SYMLINK_FOLLOW)
#: What wasmtime reports in ``fd_fdstat_get`` for a directory opened by ``path_open``.
DIR_RIGHTS = ALL_RIGHTS & ~int(Rights.FD_SEEK | Rights.FD_WRITE | Rights.PATH_FILESTAT_SET_SIZE
                                | Rights.FD_FILESTAT_SET_SIZE)
_MASK64 = 0xFFFFFFFFFFFFFFFF
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: fd_write joins its iovecs into one host write up to this many bytes.
_JOIN_LIMIT = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

I, L = ValType.I32, ValType.I64  # noqa: E741

#: name -> (parameter types, result types), as in wasi_snapshot_preview1.witx lowered to core wasm.
SIGNATURES: dict[str, tuple[tuple[ValType, ...], tuple[ValType, ...]]] = {
    "args_get": ((I, I), (I,)),
    "args_sizes_get": ((I, I), (I,)),
    "environ_get": ((I, I), (I,)),
    "environ_sizes_get": ((I, I), (I,)),
    "clock_res_get": ((I, I), (I,)),
    "clock_time_get": ((I, L, I), (I,)),
    "fd_advise": ((I, L, L, I), (I,)),
    "fd_allocate": ((I, L, L), (I,)),
    "fd_close": ((I,), (I,)),
    "fd_datasync": ((I,), (I,)),
    "fd_fdstat_get": ((I, I), (I,)),
    "fd_fdstat_set_flags": ((I, I), (I,)),
    "fd_fdstat_set_rights": ((I, L, L), (I,)),
    "fd_filestat_get": ((I, I), (I,)),
    "fd_filestat_set_size": ((I, L), (I,)),
    "fd_filestat_set_times": ((I, L, L, I), (I,)),
    "fd_pread": ((I, I, I, L, I), (I,)),
    "fd_prestat_get": ((I, I), (I,)),
    "fd_prestat_dir_name": ((I, I, I), (I,)),
    "fd_pwrite": ((I, I, I, L, I), (I,)),
    "fd_read": ((I, I, I, I), (I,)),
    "fd_readdir": ((I, I, I, L, I), (I,)),
    "fd_renumber": ((I, I), (I,)),
    "fd_seek": ((I, L, I, I), (I,)),
    "fd_sync": ((I,), (I,)),
    "fd_tell": ((I, I), (I,)),
    "fd_write": ((I, I, I, I), (I,)),
    "path_create_directory": ((I, I, I), (I,)),
    "path_filestat_get": ((I, I, I, I, I), (I,)),
    "path_filestat_set_times": ((I, I, I, I, L, L, I), (I,)),
    "path_link": ((I, I, I, I, I, I, I), (I,)),
    "path_open": ((I, I, I, I, I, L, L, I, I), (I,)),
    "path_readlink": ((I, I, I, I, I, I), (I,)),
    "path_remove_directory": ((I, I, I), (I,)),
    "path_rename": ((I, I, I, I, I, I), (I,)),
    "path_symlink": ((I, I, I, I, I), (I,)),
    "path_unlink_file": ((I, I, I), (I,)),
    "poll_oneoff": ((I, I, I, I), (I,)),
    "proc_exit": ((I,), ()),
    "proc_raise": ((I,), (I,)),
    "sched_yield": ((), (I,)),
    "random_get": ((I, I), (I,)),
    "sock_accept": ((I, I, I), (I,)),
    "sock_recv": ((I, I, I, I, I, I), (I,)),
    "sock_send": ((I, I, I, I, I), (I,)),
    "sock_shutdown": ((I, I), (I,)),
}


def _oob() -> Trap:
    return Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)


def _invalid(what: str) -> Trap:
    return Trap(TrapCode.HOST, f"invalid {what} value")


def _scatter(view: memoryview, pairs: list[tuple[int, int]], read: Callable[[int, int], bytes]) -> int:
    """Fill the guest buffers ``pairs`` with ``read(n, done_so_far)`` until a
    short read; the number of bytes read."""
    total = 0
    for ptr, n in pairs:
        chunk = read(n, total)
        view[ptr:ptr + len(chunk)] = chunk
        total += len(chunk)
        if len(chunk) < n:
            break
    return total


def _gather(view: memoryview, pairs: list[tuple[int, int]], write: Callable[[memoryview, int], int]) -> int:
    """Write the guest buffers ``pairs`` with ``write(data, done_so_far)``
    until a short write; the number of bytes written."""
    written = 0
    for ptr, n in pairs:
        done = write(view[ptr:ptr + n], written)
        written += done
        if done < n:
            break
    return written


def _filetype_of(mode: int) -> int:
    if stat.S_ISREG(mode):
        return Filetype.REGULAR_FILE
    if stat.S_ISDIR(mode):
        return Filetype.DIRECTORY
    if stat.S_ISLNK(mode):
        return Filetype.SYMBOLIC_LINK
    if stat.S_ISCHR(mode):
        return Filetype.CHARACTER_DEVICE
    if stat.S_ISBLK(mode):
        return Filetype.BLOCK_DEVICE
    if stat.S_ISSOCK(mode):
        return Filetype.SOCKET_STREAM
    return Filetype.UNKNOWN


def _pack_filestat(st: os.stat_result) -> bytes:
    return FILESTAT.pack(st.st_dev & _MASK64, st.st_ino & _MASK64, _filetype_of(st.st_mode), st.st_nlink,
                         st.st_size, st.st_atime_ns & _MASK64, st.st_mtime_ns & _MASK64,
                         st.st_ctime_ns & _MASK64)


class Preview1:
    """The state of one WASI preview1 instance: arguments, environment and
    the fd table built from a :class:`WasiConfig`, plus the guest memory the
    functions work on (``mem``)."""

    def __init__(self, config: WasiConfig) -> None:
        if not isinstance(config, WasiConfig):
            raise TypeError("expected a WasiConfig")
        self.mem: MemoryInstance | None = None
        self.args = [a.encode("utf-8") + b"\0" for a in config.argv]
        self.environ = [f"{k}={v}".encode() + b"\0" for k, v in config.env]
        self.fds = FdTable()
        for fd, stream in enumerate((config.stdin, config.stdout, config.stderr)):
            self.fds.entries[fd] = Descriptor.for_stream(stream, fd)
        for pre in config.preopens:
            self.fds.insert(Descriptor(DIR, Filetype.DIRECTORY, host=os.dup(pre.fd), readable=True,
                                       rights_base=PREOPEN_RIGHTS_BASE,
                                       rights_inheriting=PREOPEN_RIGHTS_INHERITING, preopen=pre.guest_path,
                                       mutable=pre.mutable))

    def bind_memory(self, memory: MemoryInstance) -> None:
        """Use ``memory`` (an engine ``MemoryInstance``) as the guest memory."""
        self.mem = memory

    def close(self) -> None:
        """Close every host file this instance opened."""
        self.fds.close_all()

    # -- guest memory ---------------------------------------------------------
    def _view(self) -> memoryview:
        mem = self.mem
        if mem is None:
            raise Trap(TrapCode.HOST, "WASI function called without an exported memory")
        return mem.view

    def _bytes(self, ptr: int, n: int) -> bytes:
        view = self._view()
        if ptr + n > len(view):
            raise _oob()
        return bytes(view[ptr:ptr + n])

    def _put(self, ptr: int, data: bytes) -> None:
        view = self._view()
        if ptr + len(data) > len(view):
            raise _oob()
        view[ptr:ptr + len(data)] = data

    def _path(self, ptr: int, n: int) -> str:
        try:
            return self._bytes(ptr, n).decode("utf-8")
        except UnicodeDecodeError:
            raise WasiErrno(Errno.ILSEQ) from None

    def _iovecs(self, view: memoryview, iovs: int, count: int) -> list[tuple[int, int]]:
        if iovs + 8 * count > len(view):
            raise _oob()
        layout = _IOV_LAYOUTS.get(count)
        if layout is None:
            layout = struct.Struct(f"<{2 * count}I")
            if count <= 64:
                _IOV_LAYOUTS[count] = layout
        flat = layout.unpack_from(view, iovs)
        pairs = list(zip(flat[0::2], flat[1::2]))
        size = len(view)
        for ptr, n in pairs:
            if ptr + n > size:
                raise _oob()
        return pairs

    def _desc(self, fd: int) -> Descriptor:
        desc = self.fds.entries.get(fd)
        if desc is None:
            raise WasiErrno(Errno.BADF)
        return desc

    def _dir(self, fd: int) -> Descriptor:
        desc = self._desc(fd)
        if desc.kind != DIR:
            raise WasiErrno(Errno.NOTDIR)
        return desc

    def _mutable_dir(self, fd: int) -> Descriptor:
        """A directory whose contents may change (``EPERM`` below a read-only preopen, as wasmtime)."""
        desc = self._dir(fd)
        if not desc.mutable:
            raise WasiErrno(Errno.PERM)
        return desc

    # -- args and environment ---------------------------------------------------
    def _strings_get(self, items: list[bytes], ptrs: int, buf: int) -> int:
        view = self._view()
        if ptrs + 4 * len(items) > len(view) or buf + sum(map(len, items)) > len(view):
            raise _oob()
        for item in items:
            _U32.pack_into(view, ptrs, buf)
            view[buf:buf + len(item)] = item
            ptrs += 4
            buf += len(item)
        return 0

    def _sizes_get(self, items: list[bytes], count_ptr: int, size_ptr: int) -> int:
        view = self._view()
        _U32.pack_into(view, count_ptr, len(items))
        _U32.pack_into(view, size_ptr, sum(map(len, items)))
        return 0

    def args_get(self, argv: int, argv_buf: int) -> int:
        return self._strings_get(self.args, argv, argv_buf)

    def args_sizes_get(self, argc: int, argv_buf_size: int) -> int:
        return self._sizes_get(self.args, argc, argv_buf_size)

    def environ_get(self, environ: int, environ_buf: int) -> int:
        return self._strings_get(self.environ, environ, environ_buf)

    def environ_sizes_get(self, count: int, size: int) -> int:
        return self._sizes_get(self.environ, count, size)

    # -- clocks and randomness ------------------------------------------------------
    def clock_res_get(self, clock_id: int, resolution: int) -> int:
        if clock_id > Clockid.THREAD_CPUTIME_ID:
            raise _invalid("clockid")
        _U64.pack_into(self._view(), resolution, clock_resolution(clock_id))
        return 0

    def clock_time_get(self, clock_id: int, precision: int, time_ptr: int) -> int:
        if clock_id > Clockid.THREAD_CPUTIME_ID:
            raise _invalid("clockid")
        _U64.pack_into(self._view(), time_ptr, clock_now(clock_id))
        return 0

    def random_get(self, buf: int, buf_len: int) -> int:
        if buf + buf_len > len(self._view()):  # before allocating buf_len bytes
            raise _oob()
        self._put(buf, os.urandom(buf_len))
        return 0

    # -- fd operations -------------------------------------------------------------------
    def fd_write(self, fd: int, iovs: int, iovs_len: int, nwritten: int) -> int:
        mem = self.mem
        if mem is None:
            raise Trap(TrapCode.HOST, "WASI function called without an exported memory")
        view = mem.view
        desc = self.fds.entries.get(fd)
        if desc is None or not desc.writable:
            if iovs + 8 * iovs_len > len(view):  # wasmtime reads the iovecs first
                raise _oob()
            return Errno.BADF
        if iovs_len == 1:
            if iovs + 8 > len(view):
                raise _oob()
            ptr, n = _U32_PAIR.unpack_from(view, iovs)
            if ptr + n > len(view):
                raise _oob()
            data: bytes | memoryview = view[ptr:ptr + n]
        elif iovs_len == 2:  # wasi-libc's stdio: the buffered bytes, then the new ones
            if iovs + 16 > len(view):
                raise _oob()
            p0, n0, p1, n1 = _IOV2.unpack_from(view, iovs)
            size = len(view)
            if p0 + n0 > size or p1 + n1 > size:
                raise _oob()
            if not n0:
                data = view[p1:p1 + n1]
            elif not n1:
                data = view[p0:p0 + n0]
            else:
                data = view[p0:p0 + n0].tobytes() + view[p1:p1 + n1].tobytes()
        else:
            pairs = self._iovecs(view, iovs, iovs_len)
            if sum(n for _, n in pairs) > _JOIN_LIMIT:  # iovecs may all point at the same bytes
                target = desc  # (narrowed: not None)
                _U32.pack_into(view, nwritten, _gather(
                    view, pairs, lambda chunk, _done: self._write(target, chunk) if len(chunk) else 0))
                return 0
            data = b"".join([view[p:p + n] for p, n in pairs])
        _U32.pack_into(view, nwritten, self._write(desc, data) if data else 0)
        return 0

    @staticmethod
    def _write(desc: Descriptor, data: bytes | memoryview) -> int:
        if desc.kind == STREAM:
            return desc.stream.write(data)  # type: ignore[union-attr]
        return os.write(desc.host, data)

    def fd_read(self, fd: int, iovs: int, iovs_len: int, nread: int) -> int:
        view = self._view()
        pairs = self._iovecs(view, iovs, iovs_len)
        desc = self.fds.entries.get(fd)
        if desc is None or not desc.readable or desc.kind == DIR:
            return Errno.BADF
        source = desc  # (narrowed: not None)

        def read(n: int, _done: int) -> bytes:
            if not n:
                return b""
            return source.stream.read(n) if source.kind == STREAM else os.read(source.host, n)  # type: ignore[union-attr]
        _U32.pack_into(view, nread, _scatter(view, pairs, read))
        return 0

    def fd_pread(self, fd: int, iovs: int, iovs_len: int, offset: int, nread: int) -> int:
        desc = self._desc(fd)
        if desc.kind == STREAM or not desc.readable or desc.kind == DIR:
            return Errno.BADF
        view = self._view()
        host = desc.host
        total = _scatter(view, self._iovecs(view, iovs, iovs_len), lambda n, done: os.pread(host, n, offset + done))
        _U32.pack_into(view, nread, total)
        return 0

    def fd_pwrite(self, fd: int, iovs: int, iovs_len: int, offset: int, nwritten: int) -> int:
        desc = self._desc(fd)
        if desc.kind == STREAM or not desc.writable:
            return Errno.BADF
        view = self._view()
        host = desc.host
        written = _gather(view, self._iovecs(view, iovs, iovs_len),
                          lambda chunk, done: os.pwrite(host, chunk, offset + done))
        _U32.pack_into(view, nwritten, written)
        return 0

    def fd_seek(self, fd: int, offset: int, whence: int, newoffset: int) -> int:
        if whence > Whence.END:
            raise _invalid("whence")
        host = self._seekable_fd(fd)
        delta = signed64(offset)
        if whence == Whence.SET and delta < 0:
            return Errno.INVAL
        try:
            pos = os.lseek(host, delta, (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END)[whence])
        except OverflowError:
            return Errno.INVAL
        _U64.pack_into(self._view(), newoffset, pos)
        return 0

    def fd_tell(self, fd: int, offset: int) -> int:
        host = self._seekable_fd(fd)
        _U64.pack_into(self._view(), offset, os.lseek(host, 0, os.SEEK_CUR))
        return 0

    def fd_close(self, fd: int) -> int:
        desc = self.fds.entries.pop(fd, None)
        if desc is None:
            return Errno.BADF
        desc.close()
        return 0

    def fd_renumber(self, fd: int, to: int) -> int:
        entries = self.fds.entries
        if fd not in entries or to not in entries:
            return Errno.BADF
        if fd != to:
            entries[to].close()
            entries[to] = entries.pop(fd)
        return 0

    def _seekable_fd(self, fd: int) -> int:
        """The host fd of a file: ``ESPIPE`` for a stream, ``EBADF`` for a directory."""
        desc = self._desc(fd)
        if desc.kind == STREAM:
            raise WasiErrno(Errno.SPIPE)
        if desc.kind == DIR:
            raise WasiErrno(Errno.BADF)
        return desc.host

    def _host_fd(self, fd: int) -> int:
        desc = self._desc(fd)
        if desc.kind == STREAM:
            raise WasiErrno(Errno.BADF)
        return desc.host

    def _file_fd(self, fd: int) -> int:
        desc = self._desc(fd)
        if desc.kind != FILE:
            raise WasiErrno(Errno.BADF)
        return desc.host

    def fd_sync(self, fd: int) -> int:
        os.fsync(self._file_fd(fd))
        return 0

    def fd_datasync(self, fd: int) -> int:
        host = self._file_fd(fd)
        getattr(os, "fdatasync", os.fsync)(host)
        return 0

    def fd_advise(self, fd: int, offset: int, length: int, advice: int) -> int:
        if advice > Advice.NOREUSE:
            raise _invalid("advice")
        host = self._host_fd(fd)
        if self.fds.entries[fd].kind == DIR:
            return Errno.BADF
        fadvise = getattr(os, "posix_fadvise", None)
        if fadvise is not None:
            fadvise(host, signed64(offset), signed64(length), advice)
        return 0

    def fd_allocate(self, fd: int, offset: int, length: int) -> int:
        self._host_fd(fd)
        return Errno.NOTSUP

    def fd_fdstat_get(self, fd: int, buf: int) -> int:
        desc = self._desc(fd)
        view = self._view()
        if buf + FDSTAT.size > len(view):
            raise _oob()
        FDSTAT.pack_into(view, buf, desc.filetype, desc.flags, desc.rights_base, desc.rights_inheriting)
        return 0

    def fd_fdstat_set_flags(self, fd: int, flags: int) -> int:
        if flags & ~0x1F:
            raise _invalid("fdflags")
        desc = self._desc(fd)
        if desc.kind != FILE:
            return Errno.BADF
        if flags & ~int(Fdflags.APPEND | Fdflags.NONBLOCK):
            return Errno.INVAL
        import fcntl

        current = fcntl.fcntl(desc.host, fcntl.F_GETFL)
        current &= ~(os.O_APPEND | os.O_NONBLOCK)
        if flags & Fdflags.APPEND:
            current |= os.O_APPEND
        if flags & Fdflags.NONBLOCK:
            current |= os.O_NONBLOCK
        fcntl.fcntl(desc.host, fcntl.F_SETFL, current)
        desc.flags = flags
        return 0

    def fd_fdstat_set_rights(self, fd: int, rights_base: int, rights_inheriting: int) -> int:
        # wasmtime no longer supports changing rights
        return Errno.BADF if self._desc(fd).kind == STREAM else Errno.NOTSUP

    def fd_filestat_get(self, fd: int, buf: int) -> int:
        desc = self._desc(fd)
        if desc.kind == STREAM:
            data = FILESTAT.pack(0, 0, desc.filetype, 0, 0, 0, 0, 0)
        else:
            data = _pack_filestat(os.fstat(desc.host))
        self._put(buf, data)
        return 0

    def fd_filestat_set_size(self, fd: int, size: int) -> int:
        desc = self._desc(fd)
        if desc.kind != FILE:
            return Errno.BADF
        if not desc.mutable:
            return Errno.PERM
        if size >= 1 << 63:
            return Errno.INVAL
        os.ftruncate(desc.host, size)
        return 0

    @staticmethod
    def _times(current: os.stat_result, atim: int, mtim: int, flags: int) -> tuple[int, int]:
        if flags & ~0xF:
            raise _invalid("fstflags")
        if (flags & Fstflags.ATIM and flags & Fstflags.ATIM_NOW) or (
                flags & Fstflags.MTIM and flags & Fstflags.MTIM_NOW):
            raise WasiErrno(Errno.INVAL)
        now = time.time_ns()
        a = atim if flags & Fstflags.ATIM else now if flags & Fstflags.ATIM_NOW else current.st_atime_ns
        m = mtim if flags & Fstflags.MTIM else now if flags & Fstflags.MTIM_NOW else current.st_mtime_ns
        return a, m

    def fd_filestat_set_times(self, fd: int, atim: int, mtim: int, flags: int) -> int:
        host = self._host_fd(fd)
        if not self.fds.entries[fd].mutable:
            return Errno.PERM
        times = self._times(os.fstat(host), atim, mtim, flags)
        os.utime(host, ns=times)
        return 0

    def fd_prestat_get(self, fd: int, buf: int) -> int:
        desc = self._desc(fd)
        if desc.preopen is None:
            return Errno.BADF
        data = PRESTAT.pack(0, len(desc.preopen.encode("utf-8")))
        self._put(buf, data)
        return 0

    def fd_prestat_dir_name(self, fd: int, path: int, path_len: int) -> int:
        desc = self._desc(fd)
        if desc.preopen is None:
            return Errno.BADF
        name = desc.preopen.encode("utf-8")
        if path_len < len(name):
            return Errno.NAMETOOLONG
        self._put(path, name)
        return 0

    def fd_readdir(self, fd: int, buf: int, buf_len: int, cookie: int, bufused: int) -> int:
        desc = self._desc(fd)
        if desc.kind != DIR:
            return Errno.BADF
        view = self._view()
        if buf + buf_len > len(view):
            raise _oob()
        entries = self._dir_entries(desc.host)
        out = bytearray()
        for index in range(cookie, len(entries)):
            if len(out) >= buf_len:
                break
            name, ino, ftype = entries[index]
            out += DIRENT.pack(index + 1, ino, len(name), ftype)
            out += name
        data = bytes(out[:buf_len])
        view[buf:buf + len(data)] = data
        _U32.pack_into(view, bufused, len(data))
        return 0

    @staticmethod
    def _dir_entries(host: int) -> list[tuple[bytes, int, int]]:
        here = os.stat(".", dir_fd=host, follow_symlinks=False)
        try:
            parent = os.stat("..", dir_fd=host, follow_symlinks=False).st_ino
        except OSError:
            parent = here.st_ino
        entries: list[tuple[bytes, int, int]] = [(b".", here.st_ino, Filetype.DIRECTORY),
                                                  (b"..", parent, Filetype.DIRECTORY)]
        with os.scandir(host) as it:
            for entry in it:
                ftype: int
                try:
                    if entry.is_symlink():
                        ftype = Filetype.SYMBOLIC_LINK
                    elif entry.is_dir(follow_symlinks=False):
                        ftype = Filetype.DIRECTORY
                    elif entry.is_file(follow_symlinks=False):
                        ftype = Filetype.REGULAR_FILE
                    else:
                        ftype = _filetype_of(entry.stat(follow_symlinks=False).st_mode)
                except OSError:
                    ftype = Filetype.UNKNOWN
                entries.append((os.fsencode(entry.name), entry.inode(), ftype))
        return entries

    # -- paths -----------------------------------------------------------------------------
    def path_open(self, fd: int, dirflags: int, path: int, path_len: int, oflags: int, rights_base: int,
                  rights_inheriting: int, fdflags: int, opened: int) -> int:
        if dirflags & ~_FOLLOW:
            raise _invalid("lookupflags")
        if oflags & ~0xF:
            raise _invalid("oflags")
        if fdflags & ~0x1F:
            raise _invalid("fdflags")
        if rights_base >> 30 or rights_inheriting >> 30:
            raise _invalid("rights")
        parent = self._dir(fd)
        name = self._path(path, path_len)
        directory = bool(oflags & Oflags.DIRECTORY)
        if directory and oflags & (Oflags.CREAT | Oflags.EXCL | Oflags.TRUNC):
            return Errno.INVAL
        if fdflags & (Fdflags.DSYNC | Fdflags.RSYNC | Fdflags.SYNC):
            return Errno.NOTSUP
        # As wasmtime: FD_WRITE opens for writing; reading unless only writing was asked for.
        write = bool(rights_base & Rights.FD_WRITE)
        read = bool(rights_base & (Rights.FD_READ | Rights.FD_READDIR)) or not write
        if not parent.mutable and (write or oflags & (Oflags.CREAT | Oflags.TRUNC)):
            return Errno.PERM
        flags = _CLOEXEC | _NOFOLLOW
        flags |= os.O_RDWR if read and write else os.O_WRONLY if write else os.O_RDONLY
        if oflags & Oflags.CREAT:
            flags |= os.O_CREAT
        if oflags & Oflags.EXCL:
            flags |= os.O_EXCL
        if oflags & Oflags.TRUNC:
            flags |= os.O_TRUNC
        if fdflags & Fdflags.APPEND:
            flags |= os.O_APPEND
        if fdflags & Fdflags.NONBLOCK:
            flags |= os.O_NONBLOCK
        with resolve(parent.host, name, bool(dirflags & Lookupflags.SYMLINK_FOLLOW)) as where:
            if directory or where.must_be_dir:
                flags |= _DIRECTORY
            host = os.open(where.name, flags, 0o666, dir_fd=where.dir_fd)
        try:
            ftype = _filetype_of(os.fstat(host).st_mode)
        except OSError:
            os.close(host)
            raise
        kind = DIR if ftype == Filetype.DIRECTORY else FILE
        rights: int
        if kind == DIR:
            rights = DIR_RIGHTS
        else:
            rights = ALL_RIGHTS
            if not read:
                rights &= ~int(Rights.FD_READ | Rights.FD_READDIR)
            if not write:
                rights &= ~int(Rights.FD_WRITE)
        desc = Descriptor(kind, ftype, host=host, readable=read, writable=write and kind == FILE,
                          flags=fdflags, rights_base=rights, rights_inheriting=rights, mutable=parent.mutable)
        new_fd = self.fds.insert(desc)
        try:
            _U32.pack_into(self._view(), opened, new_fd)
        except struct.error:
            del self.fds.entries[new_fd]
            desc.close()
            raise
        return 0

    def path_create_directory(self, fd: int, path: int, path_len: int) -> int:
        parent = self._mutable_dir(fd)
        with resolve(parent.host, self._path(path, path_len), False) as where:
            os.mkdir(where.name, 0o777, dir_fd=where.dir_fd)
        return 0

    def path_remove_directory(self, fd: int, path: int, path_len: int) -> int:
        parent = self._mutable_dir(fd)
        with resolve(parent.host, self._path(path, path_len), False) as where:
            os.rmdir(where.name, dir_fd=where.dir_fd)
        return 0

    def path_unlink_file(self, fd: int, path: int, path_len: int) -> int:
        parent = self._mutable_dir(fd)
        with resolve(parent.host, self._path(path, path_len), False) as where:
            if where.must_be_dir:
                return Errno.NOTDIR
            os.unlink(where.name, dir_fd=where.dir_fd)
        return 0

    def path_filestat_get(self, fd: int, flags: int, path: int, path_len: int, buf: int) -> int:
        if flags & ~_FOLLOW:
            raise _invalid("lookupflags")
        parent = self._dir(fd)
        with resolve(parent.host, self._path(path, path_len), bool(flags & Lookupflags.SYMLINK_FOLLOW)) as where:
            st = os.stat(where.name, dir_fd=where.dir_fd, follow_symlinks=False)
        self._put(buf, _pack_filestat(st))
        return 0

    def path_filestat_set_times(self, fd: int, flags: int, path: int, path_len: int, atim: int, mtim: int,
                                fst_flags: int) -> int:
        if flags & ~_FOLLOW:
            raise _invalid("lookupflags")
        parent = self._mutable_dir(fd)
        with resolve(parent.host, self._path(path, path_len), bool(flags & Lookupflags.SYMLINK_FOLLOW)) as where:
            st = os.stat(where.name, dir_fd=where.dir_fd, follow_symlinks=False)
            times = self._times(st, atim, mtim, fst_flags)
            os.utime(where.name, ns=times, dir_fd=where.dir_fd, follow_symlinks=False)
        return 0

    def path_link(self, old_fd: int, old_flags: int, old_path: int, old_path_len: int, new_fd: int,
                  new_path: int, new_path_len: int) -> int:
        if old_flags & ~_FOLLOW:
            raise _invalid("lookupflags")
        src_dir = self._dir(old_fd)
        dst_dir = self._mutable_dir(new_fd)
        src_name = self._path(old_path, old_path_len)
        dst_name = self._path(new_path, new_path_len)
        with resolve(src_dir.host, src_name, bool(old_flags & Lookupflags.SYMLINK_FOLLOW)) as src, \
                resolve(dst_dir.host, dst_name, False) as dst:
            os.link(src.name, dst.name, src_dir_fd=src.dir_fd, dst_dir_fd=dst.dir_fd, follow_symlinks=False)
        return 0

    def path_rename(self, fd: int, old_path: int, old_path_len: int, new_fd: int, new_path: int,
                    new_path_len: int) -> int:
        src_dir = self._mutable_dir(fd)
        dst_dir = self._mutable_dir(new_fd)
        src_name = self._path(old_path, old_path_len)
        dst_name = self._path(new_path, new_path_len)
        with resolve(src_dir.host, src_name, False) as src, resolve(dst_dir.host, dst_name, False) as dst:
            os.rename(src.name, dst.name, src_dir_fd=src.dir_fd, dst_dir_fd=dst.dir_fd)
        return 0

    def path_symlink(self, old_path: int, old_path_len: int, fd: int, new_path: int, new_path_len: int) -> int:
        target = self._path(old_path, old_path_len)
        parent = self._mutable_dir(fd)
        link = self._path(new_path, new_path_len)
        if target.startswith("/"):
            return Errno.PERM
        with resolve(parent.host, link, False) as where:
            os.symlink(target, where.name, dir_fd=where.dir_fd)
        return 0

    def path_readlink(self, fd: int, path: int, path_len: int, buf: int, buf_len: int, bufused: int) -> int:
        parent = self._dir(fd)
        with resolve(parent.host, self._path(path, path_len), False) as where:
            target = os.fsencode(os.readlink(where.name, dir_fd=where.dir_fd))
        data = target[:buf_len]
        self._put(buf, data)
        _U32.pack_into(self._view(), bufused, len(data))
        return 0

    # -- poll, process, scheduling, sockets -----------------------------------------------------
    def poll_oneoff(self, in_ptr: int, out_ptr: int, nsubscriptions: int, nevents: int) -> int:
        if nsubscriptions == 0:
            return Errno.INVAL
        view = self._view()
        if in_ptr + 48 * nsubscriptions > len(view) or out_ptr + 32 * nsubscriptions > len(view):
            raise _oob()
        subs = []
        for i in range(nsubscriptions):
            userdata, tag, target, timeout, precision, flags = SUBSCRIPTION.unpack_from(view, in_ptr + 48 * i)
            if tag > 2:  # wasmtime answers EINVAL here rather than trapping
                return Errno.INVAL
            subs.append((userdata, tag, target, timeout, precision, flags))
        events = poll(subs, self.fds)
        view = self._view()
        for i, (userdata, error, etype, nbytes, eflags) in enumerate(events):
            EVENT.pack_into(view, out_ptr + 32 * i, userdata, error, etype, nbytes, eflags)
        _U32.pack_into(view, nevents, len(events))
        return 0

    def proc_exit(self, code: int) -> None:
        if code >= 126:  # wasmtime refuses statuses a process could not report
            raise Trap(TrapCode.HOST, "exit with invalid exit status outside of [0..126)")
        raise ExitTrap(code)

    def proc_raise(self, sig: int) -> int:
        return Errno.NOTSUP

    def sched_yield(self) -> int:
        return 0

    def _socket(self, fd: int) -> int:
        self._desc(fd)
        return Errno.NOTSOCK

    def sock_accept(self, fd: int, flags: int, fd_ptr: int) -> int:
        return self._socket(fd)

    def sock_recv(self, fd: int, ri_data: int, ri_data_len: int, ri_flags: int, ro_datalen: int,
                  ro_flags: int) -> int:
        return self._socket(fd)

    def sock_send(self, fd: int, si_data: int, si_data_len: int, si_flags: int, so_datalen: int) -> int:
        return self._socket(fd)

    def sock_shutdown(self, fd: int, how: int) -> int:
        if how & ~3:
            raise _invalid("sdflags")
        return self._socket(fd)

    # -- host functions -------------------------------------------------------------------------
    def host_function(self, name: str) -> HostFunction:
        """The engine-level host function for ``name``, working on :attr:`mem`.

        Raises:
            KeyError: ``name`` is not a wasi_snapshot_preview1 function.
        """
        params, results = SIGNATURES[name]
        return HostFunction(FuncType(params, results), _adapter(getattr(self, name), bool(results)),
                            f"{MODULE}.{name}")

    def host_functions(self) -> dict[str, HostFunction]:
        """Every function of the snapshot, by name."""
        return {name: self.host_function(name) for name in SIGNATURES}


def _adapter(method: Callable[..., Any], returns: bool) -> Callable[[list[Any]], list[Any]]:
    """Wrap a host function body: errno exceptions and host ``OSError`` become
    the errno result, ``struct`` bound failures become the memory trap."""
    if not returns:
        def call_void(args: list[Any]) -> list[Any]:
            method(*args)
            return []
        return call_void

    def call(args: list[Any]) -> list[Any]:
        try:
            return [method(*args)]
        except WasiErrno as e:
            return [e.errno]
        except OSError as e:
            return [errno_of(e)]
        except struct.error:
            raise _oob() from None
        except (OverflowError, ValueError):
            return [Errno.INVAL]
    return call


class WasiImports(dict[str, Any]):
    """``name -> Func`` for every wasi_snapshot_preview1 function, with the
    :class:`Preview1` state behind them as :attr:`state`."""

    def __init__(self, state: Preview1, funcs: dict[str, Any]) -> None:
        super().__init__(funcs)
        self.state = state

    def bind(self, instance: Any, store: Any = None) -> None:
        """Point the functions at ``instance``'s exported ``memory`` (a public
        ``Instance``), as needed after instantiating a WASI module."""
        memory = instance.exports(store).get("memory")
        if memory is not None:
            self.state.bind_memory(memory._mem)


def wasi_imports(store: Any, config: WasiConfig) -> WasiImports:
    """Host ``Func``s implementing ``wasi_snapshot_preview1`` for ``config``.

    The functions work on the memory bound to :attr:`WasiImports.state`
    (:meth:`WasiImports.bind` after instantiation; ``Linker.define_wasi`` does it).

    Raises:
        TypeError: ``config`` is not a :class:`WasiConfig`.
    """
    from .._func import Func

    state = Preview1(config)
    return WasiImports(state, {name: Func._from_instance(fn) for name, fn in state.host_functions().items()})
