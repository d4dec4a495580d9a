"""Differential test of the validator against ``wasm-tools validate`` (the
wasmparser validator) on WebAssembly 2.0 modules.

``wasm-tools smith`` generates valid 2.0 modules (no SIMD) from fixed seeds;
each is also mutated by swapping instruction opcodes for others with the
same immediate shape (a numeric operator for another, ``local.get`` for
``global.set``, one load/store for another, ...), which keeps the binary
decodable but usually makes it invalid. Our decode + validate must accept
exactly the variants wasm-tools accepts. Skipped when ``wasm-tools`` is not
installed.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import WasmError
from pywasm_host.interpreter.valid.module import validate_module

WASM_TOOLS = shutil.which("wasm-tools")
pytestmark = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools is not installed")

SMITH_FLAGS = [
    *("--simd-enabled", "false", "--relaxed-simd-enabled", "false", "--exceptions-enabled", "false"),
    *("--gc-enabled", "false", "--tail-call-enabled", "false", "--threads-enabled", "false"),
    *("--memory64-enabled", "false", "--extended-const-enabled", "false", "--wide-arithmetic-enabled", "false"),
    *("--custom-page-sizes-enabled", "false", "--max-memories", "1", "--shared-everything-threads-enabled", "false"),
    *("--custom-descriptors-enabled", "false", "--compact-imports-enabled", "false"),
    *("--saturating-float-to-int-enabled", "true", "--sign-extension-ops-enabled", "true"),
    *("--bulk-memory-enabled", "true", "--reference-types-enabled", "true", "--multi-value-enabled", "true"),
]

# opcode groups whose members share an immediate shape
NO_IMMEDIATE = [*range(0x45, 0xC5), 0x1A, 0x1B, 0x00, 0x01, 0x0F, 0xD1]
INDEX_IMMEDIATE = [0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x0C, 0x0D, 0x10, 0xD2]
MEMARG_IMMEDIATE = list(range(0x28, 0x3F))
BLOCKTYPE_IMMEDIATE = [0x02, 0x03, 0x04]
GROUPS = [NO_IMMEDIATE, INDEX_IMMEDIATE, MEMARG_IMMEDIATE, BLOCKTYPE_IMMEDIATE]


def _wasm_tools_accepts(path: Path) -> bool:
    run = subprocess.run([WASM_TOOLS, "validate", "--features", "wasm2", str(path)], capture_output=True)  # type: ignore[list-item]
    return run.returncode == 0


def _we_accept(data: bytes) -> bool:
    try:
        validate_module(decode_module(data))
    except WasmError:
        return False
    return True


def _mutants(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    try:
        module = decode_module(data)
    except WasmError:
        return []  # reported as a disagreement on the original
    offsets = [ins.offset for f in module.funcs for ins in f.body if ins.offset and data[ins.offset] not in (0xFC, 0xFD)]
    out = []
    for _ in range(count if offsets else 0):
        b = bytearray(data)
        for _ in range(rng.randint(1, 2)):
            at = rng.choice(offsets)
            for group in GROUPS:
                if b[at] in group:
                    b[at] = rng.choice(group)
                    break
        out.append(bytes(b))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_valid_differential_wasm_tools(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    path = tmp_path / "m.wasm"
    disagreements = []
    checked = 0
    for _ in range(4):
        entropy = bytes(rng.getrandbits(8) for _ in range(rng.randint(500, 3000)))
        smith = subprocess.run([WASM_TOOLS, "smith", *SMITH_FLAGS, "-o", str(path)], input=entropy, capture_output=True)  # type: ignore[list-item]
        if smith.returncode != 0:
            continue
        original = path.read_bytes()
        for variant in [original, *_mutants(original, rng, 4)]:
            path.write_bytes(variant)
            theirs = _wasm_tools_accepts(path)
            ours = _we_accept(variant)
            checked += 1
            if theirs != ours:
                saved = tmp_path / f"disagreement{len(disagreements)}.wasm"
                saved.write_bytes(variant)
                disagreements.append(f"{saved}: wasm-tools accepts={theirs}, we accept={ours}")
    assert checked > 0
    assert not disagreements, "\n".join(disagreements)
