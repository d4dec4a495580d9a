"""Vector memory instructions end to end (spec 4.4.7 "Memory Instructions"):
values of every load/store form, exact out-of-bounds traps at the last
byte of memory, and stores that trap write nothing.

Modules are assembled with wabt's ``wat2wasm`` (skipped when absent), then
decoded, validated, instantiated and run by our interpreter. Expected values
are worked out by hand from the memory bytes (little-endian lanes).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import Trap, TrapCode
from pywasm_host.interpreter.exec.instantiate import instantiate
from pywasm_host.interpreter.exec.machine import invoke_wasm
from pywasm_host.interpreter.valid import validate_module

WAT2WASM = shutil.which("wat2wasm")
pytestmark = pytest.mark.skipif(WAT2WASM is None, reason="wabt's wat2wasm not installed")

PAGE = 65536

WAT = """
(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\\00\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f")
  (data (i32.const 16) "\\80\\ff\\7f\\01\\00\\80\\fe\\ff")
  (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
  (func (export "load_off") (param i32) (result v128) (v128.load offset=1 (local.get 0)))
  (func (export "store") (param i32 v128) (v128.store (local.get 0) (local.get 1)))
  (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
  (func (export "load8x8_u") (param i32) (result v128) (v128.load8x8_u (local.get 0)))
  (func (export "load16x4_s") (param i32) (result v128) (v128.load16x4_s (local.get 0)))
  (func (export "load32x2_u") (param i32) (result v128) (v128.load32x2_u (local.get 0)))
  (func (export "load8_splat") (param i32) (result v128) (v128.load8_splat (local.get 0)))
  (func (export "load64_splat") (param i32) (result v128) (v128.load64_splat (local.get 0)))
  (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
  (func (export "load16_lane") (param i32 v128) (result v128) (v128.load16_lane 7 (local.get 0) (local.get 1)))
  (func (export "store64_lane") (param i32 v128) (v128.store64_lane 1 (local.get 0) (local.get 1)))
  (func (export "store8_lane") (param i32 v128) (v128.store8_lane 15 (local.get 0) (local.get 1)))
  (func (export "roundtrip") (param i32) (result v128) (local v128)
    (local.set 1 (v128.load (local.get 0)))
    (v128.store (i32.const 100) (i8x16.add (local.get 1) (local.get 1)))
    (v128.load (i32.const 100)))
)
"""


@pytest.fixture(scope="module")
def inst(tmp_path_factory: pytest.TempPathFactory) -> Any:
    d: Path = tmp_path_factory.mktemp("simd")
    (d / "m.wat").write_text(WAT)
    subprocess.run([WAT2WASM, str(d / "m.wat"), "-o", str(d / "m.wasm")], check=True, capture_output=True)
    module = decode_module((d / "m.wasm").read_bytes())
    validate_module(module)
    return instantiate(module, [])


def call(inst: Any, name: str, *args: int) -> list[Any]:
    return invoke_wasm(inst.exports[name], list(args))


def mem(inst: Any) -> Any:
    return inst.exports["mem"].data


def traps(inst: Any, name: str, *args: int) -> None:
    with pytest.raises(Trap) as info:
        call(inst, name, *args)
    assert info.value.code is TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS


def test_load_values(inst: Any) -> None:
    assert call(inst, "load", 0) == [0x0F0E0D0C0B0A09080706050403020100]
    assert call(inst, "load_off", 0) == [0x800F0E0D0C0B0A090807060504030201]
    # bytes 80 ff 7f 01 00 80 fe ff sign-extended to i16 lanes: ff80 ffff 007f 0001 0000 ff80 fffe ffff
    assert call(inst, "load8x8_s", 16) == [0xFFFF_FFFE_FF80_0000_0001_007F_FFFF_FF80]
    assert call(inst, "load8x8_u", 16) == [0x00FF_00FE_0080_0000_0001_007F_00FF_0080]
    # i16 lanes ff80 017f 8000 fffe sign-extended to i32
    assert call(inst, "load16x4_s", 16) == [0xFFFFFFFE_FFFF8000_0000017F_FFFFFF80]
    assert call(inst, "load32x2_u", 16) == [0x00000000_FFFE8000_00000000_017FFF80]
    assert call(inst, "load8_splat", 17) == [int("ff" * 16, 16)]
    assert call(inst, "load64_splat", 16) == [0xFFFE8000017FFF80_FFFE8000017FFF80]
    assert call(inst, "load32_zero", 16) == [0x017FFF80]
    assert call(inst, "load16_lane", 16, 0) == [0xFF80 << 112]
    assert call(inst, "roundtrip", 0) == [0x1E1C1A18161412100E0C0A0806040200]


def test_store_and_lane_stores(inst: Any) -> None:
    v = 0x112233445566778899AABBCCDDEEFF00
    call(inst, "store", 200, v)
    assert bytes(mem(inst)[200:216]) == v.to_bytes(16, "little")
    call(inst, "store64_lane", 300, v)
    assert bytes(mem(inst)[300:308]) == (0x1122334455667788).to_bytes(8, "little")
    call(inst, "store8_lane", 400, v)
    assert mem(inst)[400] == 0x11


@pytest.mark.parametrize(
    ("name", "width"),
    [("load", 16), ("load8x8_s", 8), ("load8x8_u", 8), ("load16x4_s", 8), ("load32x2_u", 8), ("load8_splat", 1),
     ("load64_splat", 8), ("load32_zero", 4)],
)
def test_load_bounds_are_exact(inst: Any, name: str, width: int) -> None:
    call(inst, name, PAGE - width)
    traps(inst, name, PAGE - width + 1)
    traps(inst, name, 0xFFFF_FFFF)


def test_offset_counts_in_the_bounds(inst: Any) -> None:
    call(inst, "load_off", PAGE - 17)
    traps(inst, "load_off", PAGE - 16)


def test_lane_access_bounds(inst: Any) -> None:
    call(inst, "load16_lane", PAGE - 2, 0)
    traps(inst, "load16_lane", PAGE - 1, 0)
    call(inst, "store8_lane", PAGE - 1, 0)
    traps(inst, "store8_lane", PAGE, 0)


def test_trapping_stores_write_nothing(inst: Any) -> None:
    m = mem(inst)
    m[PAGE - 16:] = 0x5A
    traps(inst, "store", PAGE - 15, (1 << 128) - 1)
    traps(inst, "store64_lane", PAGE - 7, (1 << 128) - 1)
    assert bytes(m[PAGE - 16:]) == b"\x5a" * 16
