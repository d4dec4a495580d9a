"""Clocks of wasi_snapshot_preview1 (``clock_res_get``, ``clock_time_get``,
and the clock subscriptions of ``poll_oneoff``).

Like wasmtime, only the realtime and monotonic clocks exist (1 ns
resolution reported); the CPU-time clocks answer ``EBADF``.
"""

from __future__ import annotations

import time

from .errno import Errno, WasiErrno
from .types import Clockid

__all__ = ["clock_now", "clock_resolution"]


def clock_now(clock_id: int) -> int:
    """Nanoseconds on clock ``clock_id``.

    Raises:
        WasiErrno: ``BADF`` for the CPU-time clocks.
    """
    if clock_id == Clockid.REALTIME:
        return time.time_ns()
    if clock_id == Clockid.MONOTONIC:
        return time.monotonic_ns()
    raise WasiErrno(Errno.BADF)


def clock_resolution(clock_id: int) -> int:
    """Resolution of clock ``clock_id`` in nanoseconds.

    Raises:
        WasiErrno: ``BADF`` for the CPU-time clocks.
    """
    if clock_id in (Clockid.REALTIME, Clockid.MONOTONIC):
        return 1
    raise WasiErrno(Errno.BADF)
