"""``poll_oneoff`` (wasi_snapshot_preview1): clock and fd subscriptions.

Files, directories and standard streams are always ready (a pure-Python
host has no asynchronous I/O; like wasmtime, a ready fd reports one byte);
when no fd subscription is given the call sleeps until the earliest clock
subscription expires and reports every clock that has expired by then. An
unknown fd or an unsupported clock fails the whole call (``EBADF``,
``EINVAL``), as in wasmtime.
"""

from __future__ import annotations

import time

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
    for userdata, tag, target, timeout, _precision, flags in subscriptions:
        if tag == Eventtype.CLOCK:
            try:
                now = clock_now(target)
            except WasiErrno:
                raise WasiErrno(Errno.INVAL) from None  # as wasmtime: the whole call fails
            remaining = timeout - now if flags & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME else timeout
            clocks.append((max(0, remaining), userdata))
        elif tag in (Eventtype.FD_READ, Eventtype.FD_WRITE):
            if target not in fds.entries:
                raise WasiErrno(Errno.BADF)
            # ready at once; wasmtime reports one byte available
            events.append((userdata, 0, tag, 1, 0))
        else:
            raise WasiErrno(Errno.INVAL)
    if not events and clocks:
        wait = min(r for r, _ in clocks)
        if wait:
            time.sleep(wait / 1e9)
        events = [(userdata, 0, Eventtype.CLOCK, 0, 0) for r, userdata in clocks if r <= wait]
    return events
