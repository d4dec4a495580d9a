"""The ``pywasm_host.loader`` import hook: ``import foo`` finds foo.wasm /
foo.wat on sys.path, resolves its imports from Python modules and exposes
its exports as attributes."""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"


@pytest.fixture
def path_dir(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            if name.startswith("ldr_"):
                del sys.modules[name]
        importlib.invalidate_caches()


def test_import_wasm_with_python_imports(path_dir: Path) -> None:
    import pywasm_host.loader as loader

    shutil.copy(FIXTURES / "article.wasm", path_dir / "ldr_article.wasm")
    (path_dir / "env.py").write_text("logged = []\n"
                                     "def log(ptr, n):\n    logged.append((ptr, n))\n"
                                     "def scale(x):\n    return x * 2\n")
    sys.modules.pop("env", None)
    try:
        mod = importlib.import_module("ldr_article")
        assert mod.fib(20) == 6765
        assert mod.scaled(5) == 11
        mod.greet()
        assert sys.modules["env"].logged == [(0, 14)]
        assert bytes(mod.memory.read(loader.store, 0, 5)) == b"Hello"
        assert mod.counter.value(loader.store) == 0
    finally:
        sys.modules.pop("env", None)


def test_wasm_importing_wasm(path_dir: Path) -> None:
    import pywasm_host.loader  # noqa: F401

    shutil.copy(FIXTURES / "provider.wasm", path_dir / "ldr_provider.wasm")
    # linking.wat with its import module "env" renamed, loaded as a .wat file
    if importlib.util.find_spec("pywasm_host.interpreter.text.parser") is None:
        pytest.skip("needs the text parser to load a .wat file")
    wat = (FIXTURES / "linking.wat").read_text().replace('"env"', '"ldr_provider"')
    (path_dir / "ldr_linking.wat").write_text(wat)
    mod = importlib.import_module("ldr_linking")
    assert mod.call_f(1) == 101
    assert mod.read_g() == 7
    assert mod.load(0) == 42


def test_missing_attribute_is_a_link_error(path_dir: Path) -> None:
    import pywasm_host.loader  # noqa: F401
    from pywasm_host import LinkError

    shutil.copy(FIXTURES / "article.wasm", path_dir / "ldr_bad.wasm")
    (path_dir / "env.py").write_text("def log(ptr, n):\n    pass\n")
    sys.modules.pop("env", None)
    try:
        with pytest.raises(LinkError, match="scale"):
            importlib.import_module("ldr_bad")
    finally:
        sys.modules.pop("env", None)


@pytest.mark.skipif(importlib.util.find_spec("pywasm_host.wasi.preview1") is None, reason="no WASI host yet")
def test_wasi_imports_are_served(path_dir: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import pywasm_host.loader  # noqa: F401

    shutil.copy(FIXTURES / "hello_wasi.wasm", path_dir / "ldr_hello.wasm")
    mod = importlib.import_module("ldr_hello")
    mod._start()
    assert capfd.readouterr().out == "hi\n"
