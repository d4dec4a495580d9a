"""The WASI sandbox: guest paths stay inside the preopened directory.

Escapes through ``..``, absolute paths and symlinks pointing out are refused
with the errno wasmtime gives (observed with wasmtime-py 50 on the same
calls: ``EPERM`` for an escape, ``ELOOP`` for a symlink opened without
following it or a symlink cycle), and the host's files outside the preopen
are neither read nor changed."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from pywasm_host.interpreter.errors import Trap
from pywasm_host.interpreter.runtime.memory import MemoryInstance
from pywasm_host.interpreter.syntax.types import Limits, MemoryType

from pywasm_host.wasi import WasiConfig
from pywasm_host.wasi.errno import Errno
from pywasm_host.wasi.preview1 import Preview1
from pywasm_host.wasi.types import Oflags, Rights

PERM, LOOP, NOENT, NOTDIR = Errno.PERM, Errno.LOOP, Errno.NOENT, Errno.NOTDIR
READ = int(Rights.FD_READ)
WRITE = int(Rights.FD_READ | Rights.FD_WRITE)


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """``tmp/outside/secret.txt`` next to the preopen ``tmp/pre`` holding
    ``file.txt``, ``sub/``, and symlinks in and out."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    pre = tmp_path / "pre"
    (pre / "sub").mkdir(parents=True)
    (pre / "file.txt").write_bytes(b"inside")
    os.symlink("../outside", pre / "rel_out")
    os.symlink(str(outside), pre / "abs_out")
    os.symlink("../..", pre / "sub" / "up2")
    os.symlink("../file.txt", pre / "sub" / "to_file")
    os.symlink("self", pre / "self")
    os.symlink("loop_b", pre / "loop_a")
    os.symlink("loop_a", pre / "loop_b")
    return pre, outside


def _snapshot(root: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = os.readlink(p) if p.is_symlink() else (
                "dir" if p.is_dir() else p.read_bytes())
    return out


class Guest:
    def __init__(self, pre: Path) -> None:
        config = WasiConfig()
        config.preopen_dir(str(pre), "/sandbox")
        self.ctx = Preview1(config)
        self.mem = MemoryInstance(MemoryType(Limits(1)))
        self.ctx.bind_memory(self.mem)
        self.funcs = self.ctx.host_functions()

    def call(self, name: str, *args: int) -> int:
        result: int = self.funcs[name].callable(list(args))[0]
        return result

    def path(self, addr: int, text: str) -> tuple[int, int]:
        data = text.encode()
        self.mem.write(addr, data)
        return addr, len(data)

    def open(self, path: str, follow: bool = True, oflags: int = 0, rights: int = READ) -> int:
        p, n = self.path(1000, path)
        return self.call("path_open", 3, int(follow), p, n, oflags, rights, 0, 0, 0)


@pytest.mark.parametrize("path, follow, expected", [
    ("..", True, PERM),
    ("../outside/secret.txt", True, PERM),
    ("sub/../../outside/secret.txt", True, PERM),
    ("sub/../..", True, PERM),
    ("/", True, PERM),
    ("/etc/passwd", True, PERM),
    ("rel_out/secret.txt", True, PERM),
    ("rel_out/secret.txt", False, PERM),   # symlinks before the last component are always followed
    ("abs_out/secret.txt", True, PERM),
    ("rel_out", True, PERM),
    ("rel_out", False, LOOP),              # O_NOFOLLOW on a symlink
    ("abs_out", False, LOOP),
    ("sub/up2", True, PERM),
    ("sub/up2/outside/secret.txt", True, PERM),
    ("self", True, LOOP),
    ("loop_a", True, LOOP),
    ("missing/../file.txt", True, NOENT),
    ("file.txt/", True, NOTDIR),
    ("", True, NOENT),
])
def test_escapes_are_refused(world: tuple[Path, Path], path: str, follow: bool, expected: int) -> None:
    pre, outside = world
    before = _snapshot(outside.parent)
    g = Guest(pre)
    assert g.open(path, follow) == expected
    assert _snapshot(outside.parent) == before
    g.ctx.close()


@pytest.mark.parametrize("path", ["file.txt", "sub/../file.txt", "./sub/./../file.txt", "sub/to_file",
                                  "sub//to_file"])
def test_paths_inside_are_allowed(world: tuple[Path, Path], path: str) -> None:
    g = Guest(world[0])
    assert g.open(path) == 0
    fd = struct.unpack("<I", g.mem.read(0, 4))[0]
    g.mem.write(0, struct.pack("<II", 100, 16))
    assert g.call("fd_read", fd, 0, 1, 8) == 0
    assert g.mem.read(100, 6) == b"inside"
    g.ctx.close()


def test_mutations_through_escapes_leave_the_host_untouched(world: tuple[Path, Path]) -> None:
    pre, outside = world
    before = _snapshot(outside.parent)
    g = Guest(pre)
    create = int(Oflags.CREAT)
    assert g.open("../outside/new.txt", oflags=create, rights=WRITE) == PERM
    assert g.open("rel_out/new.txt", oflags=create, rights=WRITE) == PERM
    assert g.open("abs_out/secret.txt", oflags=int(Oflags.TRUNC), rights=WRITE) == PERM
    for name, arg in [("path_create_directory", "../outside/d"), ("path_create_directory", "rel_out/d"),
                      ("path_remove_directory", "../outside"), ("path_unlink_file", "rel_out/secret.txt"),
                      ("path_unlink_file", "../outside/secret.txt")]:
        p, n = g.path(1000, arg)
        assert g.call(name, 3, p, n) == PERM, (name, arg)
    src, src_n = g.path(1000, "file.txt")
    dst, dst_n = g.path(1100, "../outside/moved.txt")
    assert g.call("path_rename", 3, src, src_n, 3, dst, dst_n) == PERM
    assert g.call("path_link", 3, 0, src, src_n, 3, dst, dst_n) == PERM
    out, out_n = g.path(1100, "rel_out/secret.txt")
    assert g.call("path_rename", 3, out, out_n, 3, src, src_n) == PERM
    target, target_n = g.path(1200, "/etc/passwd")
    link, link_n = g.path(1300, "new_link")
    assert g.call("path_symlink", target, target_n, 3, link, link_n) == PERM
    stat_p, stat_n = g.path(1000, "rel_out/secret.txt")
    assert g.call("path_filestat_get", 3, 1, stat_p, stat_n, 2000) == PERM
    assert g.call("path_filestat_set_times", 3, 1, stat_p, stat_n, 0, 0, 2) == PERM
    assert g.call("path_readlink", 3, stat_p, stat_n, 2000, 64, 0) == PERM
    assert _snapshot(outside.parent) == before  # nothing changed anywhere, inside or out
    g.ctx.close()


def test_a_symlink_pointing_out_can_still_be_listed_and_read_as_a_link(world: tuple[Path, Path]) -> None:
    g = Guest(world[0])
    p, n = g.path(1000, "rel_out")
    assert g.call("path_filestat_get", 3, 0, p, n, 2000) == 0   # lstat is fine
    assert g.mem.read(2016, 1) == b"\x07"                       # filetype: symbolic_link
    assert g.call("path_readlink", 3, p, n, 2000, 64, 0) == 0
    assert g.mem.read(2000, 10) == b"../outside"
    assert g.call("path_unlink_file", 3, p, n) == 0              # removing the link itself is allowed
    assert not (world[0] / "rel_out").is_symlink() and (world[1] / "secret.txt").exists()
    g.ctx.close()


def test_path_pointer_out_of_bounds_traps(world: tuple[Path, Path]) -> None:
    g = Guest(world[0])
    with pytest.raises(Trap):
        g.call("path_open", 3, 0, 65530, 100, 0, READ, 0, 0, 0)
    with pytest.raises(Trap):
        g.call("path_create_directory", 3, 0xFFFFFFFF, 2)
    g.ctx.close()
