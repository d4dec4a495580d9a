"""``poll_oneoff`` readiness of pipe-backed streams (WASI preview1 ``poll_oneoff``:
an fd_read subscription fires only when the fd has data; otherwise the earliest
clock subscription does), checked on a real pipe."""

from __future__ import annotations

import os
import sys

import pytest

from pywasm_host.wasi.clock import clock_now
from pywasm_host.wasi.fdtable import Descriptor, FdTable, OsStream, StdinStream
from pywasm_host.wasi.poll import poll
from pywasm_host.wasi.types import Eventtype, Subclockflags

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="select() does not wait on pipes on Windows")

MONOTONIC = 1
MS = 1_000_000  # nanoseconds


@pytest.fixture
def pipe_table():  # type: ignore[no-untyped-def]
    r, w = os.pipe()
    table = FdTable()
    table.insert(Descriptor.for_stream(OsStream(r), 0))
    yield table, w
    table.close_all()
    os.close(w)


def test_empty_pipe_lets_the_clock_fire(pipe_table) -> None:  # type: ignore[no-untyped-def]
    table, _ = pipe_table
    events = poll([(7, Eventtype.FD_READ, 0, 0, 0, 0), (9, Eventtype.CLOCK, MONOTONIC, 20 * MS, 0, 0)], table)
    assert events == [(9, 0, Eventtype.CLOCK, 0, 0)]


def test_pipe_with_data_is_ready_and_the_clock_is_not_reported(pipe_table) -> None:  # type: ignore[no-untyped-def]
    table, w = pipe_table
    os.write(w, b"x")
    events = poll([(7, Eventtype.FD_READ, 0, 0, 0, 0), (9, Eventtype.CLOCK, MONOTONIC, 10_000 * MS, 0, 0)], table)
    assert events == [(7, 0, Eventtype.FD_READ, 1, 0)]


def test_end_of_file_is_ready() -> None:
    r, w = os.pipe()
    os.close(w)
    table = FdTable()
    table.insert(Descriptor.for_stream(OsStream(r), 0))
    try:  # the writer is gone: a read would return end of file at once, so the fd is ready
        assert poll([(7, Eventtype.FD_READ, 0, 0, 0, 0)], table) == [(7, 0, Eventtype.FD_READ, 1, 0)]
    finally:
        table.close_all()


def test_absolute_clock_in_the_past_fires_at_once(pipe_table) -> None:  # type: ignore[no-untyped-def]
    table, _ = pipe_table
    past = clock_now(MONOTONIC) - 5 * MS
    flags = Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME
    events = poll([(7, Eventtype.FD_READ, 0, 0, 0, 0), (9, Eventtype.CLOCK, MONOTONIC, past, 0, flags)], table)
    assert events == [(9, 0, Eventtype.CLOCK, 0, 0)]


def test_a_ready_file_descriptor_does_not_wait_for_the_pipe(pipe_table) -> None:  # type: ignore[no-untyped-def]
    table, _ = pipe_table
    table.insert(Descriptor.for_stream(OsStream(os.open(os.devnull, os.O_WRONLY)), 1))
    events = poll([(7, Eventtype.FD_READ, 0, 0, 0, 0), (8, Eventtype.FD_WRITE, 1, 0, 0, 0)], table)
    assert events == [(8, 0, Eventtype.FD_WRITE, 1, 0)]


def test_stdin_without_a_file_descriptor_counts_as_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoFileno:
        def fileno(self) -> int:
            raise OSError("no fd")

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", NoFileno())
    table = FdTable()
    table.insert(Descriptor.for_stream(StdinStream(), 0))
    assert poll([(7, Eventtype.FD_READ, 0, 0, 0, 0)], table) == [(7, 0, Eventtype.FD_READ, 1, 0)]
