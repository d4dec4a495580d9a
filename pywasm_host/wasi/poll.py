"""``poll_oneoff`` (wasi_snapshot_preview1): clock and fd subscriptions.

Files, directories and standard streams are always ready (a pure-Python
host has no asynchronous I/O); when no fd subscription is ready the call
sleeps until the earliest clock subscription expires and reports every
clock that has expired by then.
"""

from __future__ import annotations

import os
import time

from .clock import clock_now
from .errno import Errno, WasiErrno
from .fdtable import FILE, FdTable
from .types import Eventtype, Subclockflags

__all__ = ["poll"]

#: A decoded ``subscription``: userdata, tag, clock id or fd, timeout, precision, flags.
Subscription = tuple[int, int, int, int, int, int]
#: An ``event``: userdata, error, type, nbytes, flags.
Event = tuple[int, int, int, int, int]


def _readable_bytes(fds: FdTable, fd: int) -> int:
    desc = fds.entries[fd]
    if desc.kind != FILE:
        return 0
    try:
        size = os.fstat(desc.host).st_size
        return max(0, size - os.lseek(desc.host, 0, os.SEEK_CUR))
    except OSError:
        return 0


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
            except WasiErrno as e:
                events.append((userdata, e.errno, tag, 0, 0))
                continue
            remaining = timeout - now if flags & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME else timeout
            clocks.append((max(0, remaining), userdata))
        elif tag in (Eventtype.FD_READ, Eventtype.FD_WRITE):
            if target not in fds.entries:
                events.append((userdata, Errno.BADF, tag, 0, 0))
            elif tag == Eventtype.FD_READ:
                events.append((userdata, 0, tag, _readable_bytes(fds, target), 0))
            else:
                events.append((userdata, 0, tag, 0, 0))
        else:
            raise WasiErrno(Errno.INVAL)
    if not events and clocks:
        wait = min(r for r, _ in clocks)
        if wait:
            time.sleep(wait / 1e9)
        events = [(userdata, 0, Eventtype.CLOCK, 0, 0) for r, userdata in clocks if r <= wait]
    return events
