"""``pywasm-host run`` / ``validate`` / ``--help``: a WASI command's output
and exit status become the process's, ``--dir``/``--env``/``--invoke``/
``--fuel`` behave like ``wasmtime run``'s, and every failure is a message and
a status, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pywasm_host.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "wasi"
HELLO = ROOT / "examples" / "hello.wasm"
FIB = ROOT / "examples" / "fib.wasm"


def _cli(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pywasm_host.cli", *args], input=stdin, capture_output=True,
                          timeout=120, env=env)


def _in_process(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_readme_hello_in_a_subprocess() -> None:
    result = _cli("run", str(HELLO))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"Hello, world! This is WebAssembly running on pywasm-host, in pure Python.\n"
    assert _cli("run", str(HELLO), "Ada").stdout.startswith(b"Hello, Ada!")


def test_exit_status_and_streams_of_a_subprocess() -> None:
    result = _cli("run", str(FIXTURES / "exit_code.wasm"), "42")
    assert result.returncode == 42
    assert result.stdout == b"exiting with 42\n"
    assert result.stderr == b"this goes to stderr\n"


def test_stdin_is_inherited() -> None:
    result = _cli("run", str(FIXTURES / "stdin_echo.wasm"), stdin=b"one\ntwo\n")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"ONE\nTWO\n", b"8 bytes, 2 lines\n")


def test_dir_and_env(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "input.txt").write_text("x\n")
    result = _cli("run", "--dir", f"{tmp_path / 'data'}::/data", str(FIXTURES / "files.wasm"))
    assert result.returncode == 0, result.stderr
    assert b"input 1: x\n" in result.stdout
    assert sorted(os.listdir(tmp_path / "data" / "out")) == ["binary.bin", "renamed.txt"]
    env = dict(os.environ, FROM_HOST="inherited")
    result = _cli("run", "--env", "A=1", "--env", "FROM_HOST", str(FIXTURES / "args_env.wasm"), "x", env=env)
    assert b"env[0]=A=1\nenv[1]=FROM_HOST=inherited\n" in result.stdout
    assert b'argv[1]="x"' in result.stdout


def test_invoke_prints_results() -> None:
    assert _in_process("run", "--invoke", "fib", str(FIB), "20") == (0, "6765\n", "")  # fib(20) = 6765
    assert _in_process("run", "--invoke", "fib", str(FIB), "0x0a")[1] == "55\n"


def test_fuel() -> None:
    status, out, err = _in_process("run", "--fuel", "100000", "--invoke", "fib", str(FIB), "10")
    assert (status, out) == (0, "55\n")
    status, out, err = _in_process("run", "--fuel", "50", "--invoke", "fib", str(FIB), "20")
    assert status == 134 and out == "" and "all fuel consumed" in err


@pytest.mark.parametrize("args, status, message", [
    (["--invoke", "fib", str(FIB)], 2, "takes 1 arguments"),
    (["--invoke", "fib", str(FIB), "abc"], 2, "bad argument"),
    (["--invoke", "fib", str(FIB), str(2**32)], 2, "bad argument"),
    (["--invoke", "nope", str(FIB)], 2, "no func export named `nope`"),
    ([str(FIB)], 2, "no func export named `_start`"),
    ([str(ROOT / "missing.wasm")], 2, "error:"),
    (["--dir", "/nonexistent-dir-for-test", str(HELLO)], 1, "preopen"),
    ([str(FIXTURES / "exit_code.wasm"), "200"], 134, "invalid exit status"),
])
def test_failures_are_messages(args: list[str], status: int, message: str) -> None:
    got, out, err = _in_process("run", *args)
    assert got == status
    assert message in err


def test_unknown_import(tmp_path: Path) -> None:
    # (module (import "env" "f" (func)))
    path = tmp_path / "m.wasm"
    path.write_bytes(b"\0asm\1\0\0\0" + bytes.fromhex("010401600000" "02090103656e7601660000"))
    status, _, err = _in_process("run", str(path))
    assert status == 1 and "unknown import" in err and "env::f" in err


def test_validate(tmp_path: Path) -> None:
    assert _in_process("validate", str(FIB)) == (0, f"{FIB}: valid\n", "")
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\1\0\0\0\x0a\x01")
    status, _, err = _in_process("validate", str(bad))
    assert status == 1 and "MalformedError" in err


def test_help_on_every_subcommand() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert {"run", "validate", "inspect"} <= set(commands)
    for name in commands:
        out = io.StringIO()
        with redirect_stdout(out), pytest.raises(SystemExit) as e:
            main([name, "--help"])
        assert e.value.code == 0
        assert out.getvalue().startswith("usage: pywasm-host " + name)
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        main(["run", "--help"])
    for option in ("--dir", "--env", "--invoke", "--fuel"):
        assert option in out.getvalue()
