"""``canon lower`` (CanonicalABI.md "canon lower"): a Python function imported by a guest,
called with flat values as the guest would call it, over a real guest memory.  Covers
spilled parameters (more than MAX_FLAT_PARAMS = 16 flat values: one pointer to a tuple)
and results through the caller's return pointer (more than MAX_FLAT_RESULTS = 1)."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from pywasm_host.abi.canonical import types as T
from pywasm_host.abi.canonical.canon import canon_lower
from pywasm_host.abi.canonical.core import instantiate_engine_core
from pywasm_host.abi.canonical.flatten import flatten_functype
from pywasm_host.abi.canonical.options import CanonicalOptions
from pywasm_host.abi.canonical.resources import ResourceState
from pywasm_host.abi.canonical.values import ValueClasses

from pywasm_host import Trap

GUEST = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "canon" / "canon.wasm"


def _dummy(module: str, name: str, params: tuple[str, ...], results: tuple[str, ...]) -> Any:
    return lambda args: [0] * len(results)


@pytest.fixture
def core() -> Any:
    return instantiate_engine_core(GUEST.read_bytes(), _dummy)


def test_spilled_params_and_return_pointer(core: Any) -> None:
    ft = T.FuncType([(f"a{i}", T.U32) for i in range(16)] + [("s", T.STRING)], T.TupleType([T.U64, T.STRING]))
    # 18 flat params -> one pointer; 3 flat results -> a return pointer parameter
    assert flatten_functype(ft, "lower") == (("i32", "i32"), ())
    seen: list[tuple[Any, ...]] = []

    def host(*args: Any) -> tuple[int, str]:
        seen.append(args)
        return (sum(args[:16]), args[16].upper())

    fn = canon_lower(CanonicalOptions(), lambda: core, ResourceState(), ValueClasses(), ft, host, "many")
    # the spilled tuple at 8192: 16 u32, then string (ptr, len) at offset 64 (alignment 4)
    core.write(8192, struct.pack("<16I", *range(1, 17)) + struct.pack("<II", 1240, 5))
    assert fn([8192, 8448]) == []
    assert seen == [(*range(1, 17), "hello")]
    # result tuple<u64, string> at the return pointer: u64 @0, string @8 (ptr, len)
    total, ptr, length = struct.unpack("<QII", core.read(8448, 16))
    assert total == 136 and core.read(ptr, length) == b"HELLO"


def test_flat_params_and_single_result(core: Any) -> None:
    ft = T.FuncType([("c", T.CHAR), ("b", T.BOOL), ("x", T.S8), ("f", T.F32)], T.S16)
    fn = canon_lower(CanonicalOptions(), lambda: core, None, ValueClasses(), ft,
                     lambda c, b, x, f: -ord(c) if b else int(x + f), "f")
    assert fn([0x41, 1, 0xFF, 0.5]) == [(-0x41) & 0xFFFF_FFFF]
    assert fn([0x41, 0, 0xFFFF_FFFE, 2.5]) == [0]        # s8 from the low byte: -2; -2 + 2.5 -> 0
    with pytest.raises(Trap, match="invalid char"):
        fn([0xD800, 1, 0, 0.0])
    bad = canon_lower(CanonicalOptions(), lambda: core, None, ValueClasses(), ft, lambda *a: 1 << 20, "f")
    with pytest.raises(OverflowError, match=r"result of f \(s16\)"):
        bad([0x41, 1, 0, 0.0])


def test_spilled_pointer_checks(core: Any) -> None:
    ft = T.FuncType([(f"a{i}", T.U64) for i in range(17)], None)
    fn = canon_lower(CanonicalOptions(), lambda: core, None, ValueClasses(), ft, lambda *a: None, "g")
    with pytest.raises(Trap, match="misaligned"):
        fn([8196])
    with pytest.raises(Trap, match="out of bounds"):
        fn([65536 - 8])
    assert fn([8192]) == []
