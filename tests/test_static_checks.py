"""Static checks that are part of the test command: ruff on the whole tree and
mypy --strict on the public package ``pywasm_host``.

mypy resolves ``pywasm_host.interpreter``/``pywasm_host.abi`` through a
temporary tree of symlinks that mirrors the installed layout (the editable
install's import hook is invisible to mypy); the engine modules it reaches are
type-checked for use, and errors are reported for ``pywasm_host/`` itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MYPY_CONFIG = """\
[mypy]
strict = True
python_version = 3.10
[mypy-pywasm_host.interpreter.*]
follow_imports = silent
[mypy-pywasm_host.abi.*]
follow_imports = silent
[mypy-wasmtime.*]
ignore_missing_imports = True
"""


def _have(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.mark.skipif(not _have("ruff"), reason="ruff is not installed (the `test` extra)")
def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    cmd = [ruff, "check", "."] if ruff else [sys.executable, "-m", "ruff", "check", "."]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not _have("mypy"), reason="mypy is not installed (the `test` extra)")
def test_mypy_strict_on_public_package(tmp_path: Path) -> None:
    pkg = tmp_path / "pywasm_host"
    pkg.mkdir()
    for item in (ROOT / "pywasm_host").iterdir():
        if item.name != "__pycache__":
            (pkg / item.name).symlink_to(item)
    (pkg / "interpreter").symlink_to(ROOT / "interpreter")
    (pkg / "abi").symlink_to(ROOT / "abi")
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)
    files = sorted(str(p.relative_to(tmp_path)) for p in pkg.rglob("*.py")
                   if "interpreter" not in p.relative_to(tmp_path).parts[1:2]
                   and "abi" not in p.relative_to(tmp_path).parts[1:2])
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--no-incremental", *files],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
