"""File descriptors of a WASI preview1 instance (wasi_snapshot_preview1
``fd`` handles): the standard streams, host files and directories, and the
table mapping guest fd numbers to them.

A descriptor is one of three kinds: a *stream* (stdin/stdout/stderr backed
by a :class:`Stream`), a *file* or a *directory* (a host OS file descriptor,
opened below a preopened directory). New descriptors take the lowest free
number, as wasmtime does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .types import Filetype, Rights

__all__ = [
    "Stream", "NullStream", "OsStream", "StdoutStream", "StderrStream", "StdinStream", "CallbackStream",
    "Descriptor", "FdTable", "STREAM", "FILE", "DIR",
]

STREAM, FILE, DIR = 0, 1, 2

#: Rights wasmtime reports for the standard streams and for preopened directories.
STDIN_RIGHTS = int(Rights.FD_READ)
STDOUT_RIGHTS = int(Rights.FD_WRITE)
PREOPEN_RIGHTS_BASE = 0x7B7FE00
PREOPEN_RIGHTS_INHERITING = 0xFF7FFFF


class Stream:
    """Backing of a standard stream: ``read(n)``, ``write(data)``, ``isatty()``."""

    def read(self, n: int) -> bytes:
        return b""

    def write(self, data: bytes | memoryview) -> int:
        return len(data)

    def isatty(self) -> bool:
        return False

    def poll_fd(self) -> int | None:
        """The host fd whose read readiness ``select`` can wait for, or
        ``None`` when reads never block (end of file, memory, files)."""
        return None

    def close(self) -> None:
        pass


class NullStream(Stream):
    """Reads see end of file; writes are discarded (wasmtime's default)."""


class OsStream(Stream):
    """A host OS file descriptor (a file given by path, or an inherited one)."""

    def __init__(self, fd: int, owned: bool = True) -> None:
        self.fd = fd
        self.owned = owned

    def read(self, n: int) -> bytes:
        return os.read(self.fd, n)

    def write(self, data: bytes | memoryview) -> int:
        view = memoryview(data)
        total = 0
        while total < len(view):
            total += os.write(self.fd, view[total:])
        return total

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def poll_fd(self) -> int | None:
        return self.fd if self.fd >= 0 else None

    def close(self) -> None:
        if self.owned and self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class _ProcessOutput(Stream):
    """One of this process's output streams, ``sys.<name>`` (looked up at each
    write, so a replaced ``sys.stdout`` is honoured; flushed after)."""

    name: str

    def write(self, data: bytes | memoryview) -> int:
        out = getattr(sys, self.name)
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
        else:
            out.write(bytes(data).decode("utf-8", "replace"))
        out.flush()
        return len(data)

    def isatty(self) -> bool:
        return bool(getattr(sys, self.name).isatty())


class StdoutStream(_ProcessOutput):
    """This process's ``sys.stdout`` (looked up at each write, flushed after)."""

    name = "stdout"


class StderrStream(_ProcessOutput):
    """This process's ``sys.stderr``."""

    name = "stderr"


class StdinStream(Stream):
    """This process's ``sys.stdin``."""

    def read(self, n: int) -> bytes:
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:
            return sys.stdin.read(n).encode()
        read1 = getattr(buffer, "read1", None)
        data: bytes = read1(n) if read1 is not None else buffer.read(n)
        return data

    def isatty(self) -> bool:
        return bool(sys.stdin.isatty())

    def poll_fd(self) -> int | None:
        """``sys.stdin``'s fd (bytes already buffered by Python are not seen)."""
        try:
            return int(sys.stdin.fileno())
        except (AttributeError, OSError, ValueError):
            return None


class CallbackStream(Stream):
    """wasmtime-py's ``stdout_custom``: ``callback(bytes)`` returns the count
    written, or ``None`` for all of it."""

    def __init__(self, callback: Callable[[bytes], int | None]) -> None:
        self.callback = callback

    def write(self, data: bytes | memoryview) -> int:
        n = self.callback(bytes(data))
        return len(data) if n is None else int(n)


class Descriptor:
    """One open guest fd.

    ``kind`` is ``STREAM``, ``FILE`` or ``DIR``; ``host`` is the host OS fd
    (files and directories) and ``stream`` the backing of a standard stream.
    ``preopen`` is the guest name of a preopened directory, else ``None``;
    ``mutable`` is false below a preopen given with ``fs_mutable=False``.
    """

    __slots__ = ("kind", "host", "stream", "filetype", "readable", "writable", "flags",
                 "rights_base", "rights_inheriting", "preopen", "mutable")

    def __init__(self, kind: int, filetype: int, *, host: int = -1, stream: Stream | None = None,
                 readable: bool = False, writable: bool = False, flags: int = 0,
                 rights_base: int = 0, rights_inheriting: int = 0, preopen: str | None = None,
                 mutable: bool = True) -> None:
        self.kind = kind
        self.host = host
        self.stream = stream
        self.filetype = filetype
        self.readable = readable
        self.writable = writable
        self.flags = flags
        self.rights_base = rights_base
        self.rights_inheriting = rights_inheriting
        self.preopen = preopen
        self.mutable = mutable

    @classmethod
    def for_stream(cls, stream: Stream, fd: int) -> Descriptor:
        filetype = Filetype.CHARACTER_DEVICE if _isatty(stream) else Filetype.UNKNOWN
        rights = STDIN_RIGHTS if fd == 0 else STDOUT_RIGHTS
        return cls(STREAM, filetype, stream=stream, readable=fd == 0, writable=fd != 0,
                   rights_base=rights, rights_inheriting=rights)

    def close(self) -> None:
        # Streams belong to the WasiConfig (shared by every instance made from
        # it): closing the guest fd only forgets them.
        if self.kind != STREAM and self.host >= 0:
            os.close(self.host)
            self.host = -1


def _isatty(stream: Stream) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


class FdTable:
    """Guest fd number -> :class:`Descriptor`."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[int, Descriptor] = {}

    def insert(self, desc: Descriptor) -> int:
        """Place ``desc`` at the lowest free number and return it."""
        fd = 0
        entries = self.entries
        while fd in entries:
            fd += 1
        entries[fd] = desc
        return fd

    def close_all(self) -> None:
        for desc in self.entries.values():
            try:
                desc.close()
            except OSError:
                pass
        self.entries.clear()
