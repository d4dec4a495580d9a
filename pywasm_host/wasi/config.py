"""``WasiConfig``: how a WASI preview1 instance sees the world (arguments,
environment, standard streams, preopened directories), with the names and
behaviour of wasmtime-py's ``WasiConfig``.

As in wasmtime-py, files named for the standard streams and preopened
directories are opened when they are configured, so a missing path fails
here (``WasmError``) rather than when the guest runs. Unlike wasmtime-py the
write-only settings can also be read back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from ..interpreter.errors import WasmError
from .fdtable import CallbackStream, NullStream, OsStream, StderrStream, StdinStream, StdoutStream, Stream

__all__ = ["WasiConfig", "Preopen"]

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class Preopen:
    """A preopened directory: the host directory's fd and its guest name."""

    __slots__ = ("host_path", "guest_path", "fd", "mutable")

    def __init__(self, host_path: str, guest_path: str, fd: int, mutable: bool) -> None:
        self.host_path = host_path
        self.guest_path = guest_path
        self.fd = fd
        self.mutable = mutable


def _fspath(path: Any, what: str) -> str:
    if isinstance(path, bytes):
        return os.fsdecode(path)
    try:
        return os.fspath(path)  # type: ignore[no-any-return]
    except TypeError:
        raise TypeError(f"WasiConfig.{what} expects a path, got {type(path).__name__}") from None


class WasiConfig:
    """Arguments, environment, standard streams and preopened directories of
    a WASI program (wasmtime-py's ``WasiConfig``).

    By default the program gets no arguments, an empty environment, an empty
    stdin, discarded stdout/stderr and no directories.
    """

    def __init__(self) -> None:
        self._argv: list[str] = []
        self._env: list[tuple[str, str]] = []
        self.stdin: Stream = NullStream()
        self.stdout: Stream = NullStream()
        self.stderr: Stream = NullStream()
        self.preopens: list[Preopen] = []

    # -- arguments and environment -----------------------------------------
    @property
    def argv(self) -> list[str]:
        """The program's arguments (``argv[0]`` is the program name)."""
        return list(self._argv)

    @argv.setter
    def argv(self, argv: Iterable[str]) -> None:
        values = list(argv)
        for a in values:
            if not isinstance(a, str):
                raise TypeError("WasiConfig.argv expects a list of str")
        self._argv = values

    def inherit_argv(self) -> None:
        """Use this process's ``sys.argv``."""
        import sys

        self._argv = list(sys.argv)

    @property
    def env(self) -> list[tuple[str, str]]:
        """Environment variables as ``(name, value)`` pairs."""
        return list(self._env)

    @env.setter
    def env(self, pairs: Iterable[Iterable[str]]) -> None:
        values: list[tuple[str, str]] = []
        for pair in pairs:
            name, value = pair
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError("WasiConfig.env expects (str, str) pairs")
            values.append((name, value))
        self._env = values

    def inherit_env(self) -> None:
        """Use this process's environment."""
        self._env = list(os.environ.items())

    # -- standard streams -------------------------------------------------
    def _set_stream(self, which: str, stream: Stream) -> None:
        old: Stream = getattr(self, which)
        old.close()
        setattr(self, which, stream)

    def _stdin_file(self, path: Any) -> None:
        p = _fspath(path, "stdin_file")
        try:
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as e:
            raise WasmError(f"failed to set stdin file: {e}") from None
        self._set_stream("stdin", OsStream(fd))

    stdin_file = property(fset=_stdin_file, doc="Read the program's stdin from this existing file.")

    def _out_file(self, which: str, path: Any) -> None:
        p = _fspath(path, f"{which}_file")
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as e:
            raise WasmError(f"failed to set {which} file: {e}") from None
        self._set_stream(which, OsStream(fd))

    def _stdout_file(self, path: Any) -> None:
        self._out_file("stdout", path)

    def _stderr_file(self, path: Any) -> None:
        self._out_file("stderr", path)

    stdout_file = property(fset=_stdout_file, doc="Write the program's stdout to this file (created or truncated).")
    stderr_file = property(fset=_stderr_file, doc="Write the program's stderr to this file (created or truncated).")

    def _stdout_custom(self, callback: Callable[[bytes], int | None]) -> None:
        if not callable(callback):
            raise TypeError("WasiConfig.stdout_custom expects a callable")
        self._set_stream("stdout", CallbackStream(callback))

    def _stderr_custom(self, callback: Callable[[bytes], int | None]) -> None:
        if not callable(callback):
            raise TypeError("WasiConfig.stderr_custom expects a callable")
        self._set_stream("stderr", CallbackStream(callback))

    stdout_custom = property(fset=_stdout_custom, doc="Call ``callback(bytes)`` for each write to stdout.")
    stderr_custom = property(fset=_stderr_custom, doc="Call ``callback(bytes)`` for each write to stderr.")

    def inherit_stdin(self) -> None:
        """Read this process's stdin."""
        self._set_stream("stdin", StdinStream())

    def inherit_stdout(self) -> None:
        """Write to this process's stdout (``sys.stdout``)."""
        self._set_stream("stdout", StdoutStream())

    def inherit_stderr(self) -> None:
        """Write to this process's stderr (``sys.stderr``)."""
        self._set_stream("stderr", StderrStream())

    # -- directories --------------------------------------------------------
    def preopen_dir(self, path: str, guest_path: str, fs_mutable: bool = True) -> None:
        """Let the program reach host directory ``path`` as ``guest_path``.

        Raises:
            WasmError: ``path`` cannot be opened as a directory.
        """
        host = _fspath(path, "preopen_dir")
        if not isinstance(guest_path, str):
            raise TypeError("WasiConfig.preopen_dir expects a str guest path")
        try:
            fd = os.open(host, _DIR_FLAGS)
        except OSError as e:
            raise WasmError(f"failed to add preopen dir: {e}") from None
        self.preopens.append(Preopen(host, guest_path, fd, bool(fs_mutable)))
