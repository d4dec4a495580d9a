"""Path resolution inside preopened directories (wasi_snapshot_preview1
``path_*`` functions and ``path_open``).

A guest path is resolved one component at a time from a directory fd with
``*at`` system calls (``os.open(..., dir_fd=...)`` with ``O_NOFOLLOW``,
``os.readlink(..., dir_fd=...)``); symbolic links are expanded here, never by
the host kernel, so nothing outside the starting directory is ever touched.
The refusals follow wasmtime (cap-std): an absolute path, a ``..`` above the
starting directory or a symlink whose target is absolute or climbs out gives
``EPERM``; a chain of more than 40 symlinks gives ``ELOOP``.
"""

from __future__ import annotations

import errno
import os

from .errno import Errno, WasiErrno

__all__ = ["Resolved", "resolve", "MAX_SYMLINKS"]

MAX_SYMLINKS = 40
_O_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class Resolved:
    """The result of :func:`resolve`: operate on ``name`` relative to
    ``dir_fd``; ``must_be_dir`` records a trailing slash. Call
    :meth:`close` when done (it closes intermediate directories)."""

    __slots__ = ("dir_fd", "name", "must_be_dir", "_owned")

    def __init__(self, dir_fd: int, name: str, must_be_dir: bool, owned: list[int]) -> None:
        self.dir_fd = dir_fd
        self.name = name
        self.must_be_dir = must_be_dir
        self._owned = owned

    def close(self) -> None:
        for fd in self._owned:
            try:
                os.close(fd)
            except OSError:
                pass
        self._owned = []

    def __enter__(self) -> Resolved:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _split(path: str) -> tuple[list[str], bool]:
    """Components of a relative path, and whether it ended with a slash."""
    trailing = path.endswith("/")
    return [c for c in path.split("/") if c and c != "."], trailing


def resolve(base_fd: int, path: str, follow: bool) -> Resolved:
    """Resolve ``path`` below the directory ``base_fd``.

    Every component but the last must be a directory (symlinks among them are
    always followed); the last is followed only when ``follow`` is true (or
    the path ends with a slash). The returned name is a single component,
    ``"."`` when the path designates a directory itself.

    Raises:
        WasiErrno: ``PERM`` for escapes, ``NOENT``/``NOTDIR``/``LOOP``... from
            the host for missing or wrong components.
    """
    if "\0" in path:
        raise WasiErrno(Errno.INVAL)
    if path.startswith("/"):
        raise WasiErrno(Errno.PERM)
    if path == "":
        raise WasiErrno(Errno.NOENT)
    parts, trailing = _split(path)
    follow = follow or trailing
    stack = [base_fd]  # directories from the base down; all but the first are ours
    work = parts[::-1]  # a stack: the next component is work[-1]
    links = 0
    try:
        while work:
            name = work.pop()
            if name == "..":
                if len(stack) == 1:
                    raise WasiErrno(Errno.PERM)
                os.close(stack.pop())
                continue
            last = not work
            if last and not follow:
                return Resolved(stack[-1], name, trailing, stack[1:])
            try:
                target = os.readlink(name, dir_fd=stack[-1])
            except OSError as e:
                if e.errno == errno.EINVAL:  # not a symlink
                    target = None
                elif e.errno == errno.ENOENT and last:
                    return Resolved(stack[-1], name, trailing, stack[1:])
                else:
                    raise
            if target is not None:
                links += 1
                if links > MAX_SYMLINKS:
                    raise WasiErrno(Errno.LOOP)
                if target.startswith("/"):
                    raise WasiErrno(Errno.PERM)
                more, more_trailing = _split(target)
                if last and more_trailing:
                    trailing = True
                work.extend(reversed(more))
                if last and not more:  # the link points at its own directory
                    return Resolved(stack[-1], ".", trailing, stack[1:])
                continue
            if last:
                return Resolved(stack[-1], name, trailing, stack[1:])
            stack.append(os.open(name, _O_DIR, dir_fd=stack[-1]))
        return Resolved(stack[-1], ".", trailing, stack[1:])
    except BaseException:
        for fd in stack[1:]:
            os.close(fd)
        raise
