"""Differential tests of WASI preview1: every C fixture in
``tests/fixtures/wasi`` runs under ``pywasm-host run`` (in process) and under
wasmtime-py's WASI, with the same module, arguments, environment, stdin and
a fresh copy of the same directory tree; stdout, stderr, exit status and
the resulting directory tree (files written, symlinks, the files outside the
preopened directory) must be byte-identical."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pywasm_host.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wasi"


def _setup_files(root: Path) -> None:
    data = root / "data"
    data.mkdir()
    (data / "input.txt").write_bytes(b"first line\nsecond line\n\xc3\xa9t\xc3\xa9\n")


def _setup_sandbox(root: Path) -> None:
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    (root / "secret.txt").write_bytes(b"host secret\n")
    (data / "inside.txt").write_bytes(b"inside\n")
    os.symlink("..", data / "link_out")
    os.symlink(str(root / "secret.txt"), data / "abs_link")
    os.symlink("inside.txt", data / "link_in")


def _setup_raw(root: Path) -> None:
    data = root / "data"
    (data / "in").mkdir(parents=True)
    (data / "file.txt").write_bytes(b"hi\n")
    os.symlink("/etc", data / "out")
    os.symlink("../..", data / "in" / "up")
    os.symlink("self", data / "self")
    os.symlink("loop2", data / "loop")
    os.symlink("loop", data / "loop2")
    os.symlink("nothere", data / "dangle")


def _setup_data(root: Path) -> None:
    (root / "data").mkdir()


Case = tuple[str, list[str], list[tuple[str, str]], bytes, Callable[[Path], None]]

CASES: dict[str, Case] = {
    "hello": ("hello", [], [], b"", _setup_data),
    "args_env": ("args_env", ["a", "b c", "--flag", "\u00fcn\u00efcode", ""],
                 [("GREETING", "hi there"), ("EMPTY", ""), ("X", "1=2")], b"", _setup_data),
    "files": ("files", [], [], b"", _setup_files),
    "exit_0": ("exit_code", ["0"], [], b"", _setup_data),
    "exit_7": ("exit_code", ["7"], [], b"", _setup_data),
    "exit_125": ("exit_code", ["125"], [], b"", _setup_data),
    "exit_return_9": ("exit_code", ["9", "return"], [], b"", _setup_data),
    "exit_invalid_200": ("exit_code", ["200"], [], b"", _setup_data),
    "printf_num": ("printf_num", [], [], b"", _setup_data),
    "qsort_heavy": ("qsort_heavy", [], [], b"", _setup_data),
    "clock_random": ("clock_random", [], [], b"", _setup_data),
    "stdin_echo": ("stdin_echo", [], [], b"hello\nworld\n\xffbinary\x00tail", _setup_data),
    "stdin_empty": ("stdin_echo", [], [], b"", _setup_data),
    "sandbox_escape": ("sandbox_escape", [], [], b"", _setup_sandbox),
    "raw_calls": ("raw_calls", [], [], b"", _setup_raw),
    "raw_poll_times": ("raw_poll_times", [], [], b"", _setup_raw),
    **{f"bad_calls_{i}": ("bad_calls", [str(i)], [], b"", _setup_raw) for i in range(17)},
}

TRAP = "trap"


def _tree(root: Path) -> dict[str, object]:
    """Every path below ``root``: file bytes, symlink targets (with ``root``
    spelled ``<root>``), or ``"dir"``."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p).replace(str(root), "<root>"))
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = p.read_bytes()
    return out


def _run_ours(monkeypatch: pytest.MonkeyPatch, wasm: str, args: list[str], env: list[tuple[str, str]],
              stdin: bytes, root: Path) -> tuple[bytes, bytes, object]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    argv = ["run", "--dir", f"{root / 'data'}::/data"]
    for k, v in env:
        argv += ["--env", f"{k}={v}"]
    status: object = main([*argv, wasm, *args])
    out.flush()
    err.flush()
    monkeypatch.undo()
    stderr = err.buffer.getvalue()  # type: ignore[attr-defined]
    if status == 134:
        status = TRAP
        stderr = b"".join(line for line in stderr.splitlines(keepends=True) if not line.startswith(b"error: "))
    return out.buffer.getvalue(), stderr, status  # type: ignore[attr-defined]


def _run_wasmtime(wasm: str, args: list[str], env: list[tuple[str, str]], stdin: bytes,
                  root: Path, io_dir: Path) -> tuple[bytes, bytes, object]:
    import wasmtime

    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = [wasm, *args]
    config.env = env
    config.preopen_dir(str(root / "data"), "/data")
    (io_dir / "stdin").write_bytes(stdin)
    config.stdin_file = str(io_dir / "stdin")
    config.stdout_file = str(io_dir / "stdout")
    config.stderr_file = str(io_dir / "stderr")
    store.set_wasi(config)
    instance = linker.instantiate(store, wasmtime.Module.from_file(engine, wasm))
    status: object
    try:
        instance.exports(store)["_start"](store)
        status = 0
    except wasmtime.ExitTrap as e:
        status = e.code
    except (wasmtime.Trap, wasmtime.WasmtimeError):
        status = TRAP
    del store, instance, linker
    return (io_dir / "stdout").read_bytes(), (io_dir / "stderr").read_bytes(), status


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_matches_wasmtime(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is the reference")
    fixture, args, env, stdin, setup = CASES[case]
    wasm = str(FIXTURES / f"{fixture}.wasm")
    ours_root, ref_root, io_dir = tmp_path / "ours", tmp_path / "ref", tmp_path / "io"
    for d in (ours_root, ref_root, io_dir):
        d.mkdir()
    setup(ours_root)
    setup(ref_root)
    ours = _run_ours(monkeypatch, wasm, args, env, stdin, ours_root)
    ref = _run_wasmtime(wasm, args, env, stdin, ref_root, io_dir)
    assert ours[2] == ref[2], f"exit status: ours {ours[2]!r}, wasmtime {ref[2]!r}"
    assert ours[0] == ref[0]
    assert ours[1] == ref[1]
    assert _tree(ours_root) == _tree(ref_root)


def test_every_fixture_has_a_case() -> None:
    built = {p.stem for p in FIXTURES.glob("*.wasm")}
    assert built == {c[0] for c in CASES.values()} | {"readonly_dir"}
    assert {p.stem for p in FIXTURES.glob("*.c")} == built


def test_read_only_preopen_matches_wasmtime(tmp_path: Path) -> None:
    """``preopen_dir(host, guest, fs_mutable=False)`` through the API of both."""
    wasmtime = pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is the reference")
    import pywasm_host

    outputs = []
    for api, root in ((wasmtime, tmp_path / "ref"), (pywasm_host, tmp_path / "ours")):
        root.mkdir()
        _setup_raw(root)
        engine = api.Engine()
        linker = api.Linker(engine)
        linker.define_wasi()
        store = api.Store(engine)
        config = api.WasiConfig()
        config.argv = ["readonly_dir"]
        config.preopen_dir(str(root / "data"), "/data", False)
        config.stdout_file = str(root / "stdout")
        store.set_wasi(config)
        instance = linker.instantiate(store, api.Module.from_file(engine, str(FIXTURES / "readonly_dir.wasm")))
        instance.exports(store)["_start"](store)
        del store, instance, linker
        outputs.append(((root / "stdout").read_bytes(), _tree(root / "data")))
    assert outputs[0] == outputs[1]
    assert b"mkdir: 63\n" in outputs[1][0]
