"""A wit-bindgen-style core module that imports ``wasi_snapshot_preview1``,
served by our WASI host through ``load_core(..., wasi=WasiConfig())``."""

from __future__ import annotations

from pathlib import Path

import pytest

from pywasm_host import LinkError
from pywasm_host.component import load_core

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "wasi" / "wasi.wasm"


def test_wasi_imports_served() -> None:
    from pywasm_host.wasi import WasiConfig

    out: list[bytes] = []
    config = WasiConfig()
    config.stdout_custom = lambda data: out.append(bytes(data))
    m = load_core(FIXTURE, wasi=config)
    assert m.exports.say("h\u00e9llo\n") == 7
    assert b"".join(out) == "h\u00e9llo\n".encode()


def test_wasi_missing_is_a_link_error() -> None:
    with pytest.raises(LinkError, match="wasi_snapshot_preview1::fd_write"):
        load_core(FIXTURE)
