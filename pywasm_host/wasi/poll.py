"""``poll_oneoff`` (wasi_snapshot_preview1): clock and fd subscriptions.

Reading a stream backed by a host pipe or terminal (an inherited stdin, a
``stdin_file`` that is a FIFO) is ready when ``select`` says so; files,
directories, other streams and every write are ready at once (like wasmtime,
a ready fd reports one byte). When no fd is ready the call waits for the
first fd or the earliest clock subscription (forever when there is no clock)
and then reports the ready fds, or else every clock that has expired. An
unknown fd or an unsupported clock fails the whole call (``EBADF``,
``EINVAL``), as in wasmtime. Where ``select`` cannot wait on an fd (e.g. a
pipe on Windows) it counts as ready.
"""

from __future__ import annotations

import time

try:
    import select
except ImportError:  # pragma: no cover - platforms without select (e.g. some WebAssembly builds)
    select = None  # type: ignore[assignment]

from .clock import clock_now
from .errno import Errno, WasiErrno
from .fdtable import FdTable
from .types import Eventtype, Subclockflags

__all__ = ["poll"]

#: A decoded ``subscription``: userdata, tag, clock id or fd, timeout, precision, flags.
Subscription = tuple[int, int, int, int, int, int]
#: An ``event``: userdata, error, type, nbytes, flags.
Event = tuple[int, int, int, int, int]


def poll(subscriptions: list[Subscription], fds: FdTable) -> list[Event]:
    """Wait for the subscriptions and return the events to report.

    Raises:
        WasiErrno: ``INVAL`` for an unknown subscription tag.
    """
    events: list[Event] = []
    clocks: list[tuple[int, int]] = []
    waiting: list[tuple[int, int, int]] = []  # userdata, tag, host fd
    for userdata, tag, target, timeout, _precision, flags in subscriptions:
        if tag == Eventtype.CLOCK:
            try:
                now = clock_now(target)
            except WasiErrno:
                raise WasiErrno(Errno.INVAL) from None  # as wasmtime: the whole call fails
            remaining = timeout - now if flags & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME else timeout
            clocks.append((max(0, remaining), userdata))
        elif tag in (Eventtype.FD_READ, Eventtype.FD_WRITE):
            desc = fds.entries.get(target)
            if desc is None:
                raise WasiErrno(Errno.BADF)
            host = desc.stream.poll_fd() if tag == Eventtype.FD_READ and desc.stream is not None else None
            if host is None or select is None:
                events.append((userdata, 0, tag, 1, 0))  # ready at once; wasmtime reports one byte
            else:
                waiting.append((userdata, tag, host))
        else:
            raise WasiErrno(Errno.INVAL)
    wait = min(r for r, _ in clocks) if clocks else None
    if waiting:
        limit = 0.0 if events else (None if wait is None else wait / 1e9)
        ready = _readable({host for _, _, host in waiting}, limit)
        events += [(userdata, 0, tag, 1, 0) for userdata, tag, host in waiting if host in ready]
    elif not events and wait:
        time.sleep(wait / 1e9)
    if not events and wait is not None:
        events = [(userdata, 0, Eventtype.CLOCK, 0, 0) for r, userdata in clocks if r <= wait]
    return events


def _readable(hosts: set[int], timeout: float | None) -> set[int]:
    """The fds of ``hosts`` that ``select`` finds readable within ``timeout`` seconds;
    all of them when ``select`` cannot wait on one (it is then treated as ready)."""
    try:
        ready, _, _ = select.select(sorted(hosts), [], [], timeout)
    except (OSError, ValueError):
        return hosts
    return set(ready)
