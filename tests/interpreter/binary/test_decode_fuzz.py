"""Seeded mutation fuzzing of the decoder (and the validator, when present).

Spec binaries are mutated (truncation, byte flips, random insertions and
deletions, runs of ``0x80`` that make LEB128s too long, huge counts spliced
in, chunks duplicated) and fed to :func:`decode_module`, then to
``validate_module`` if :mod:`pywasm_host.interpreter.valid.module` can be
imported. Only :class:`WasmError` subclasses may escape; anything else (an
``IndexError``, ``struct.error``, ``RecursionError``, ``MemoryError``, a
hang) is a bug. The run is reproducible: ``random.Random(SEED)``.
"""

from __future__ import annotations

import importlib
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import WasmError

SEED = 20261126
MUTANTS = 30_000


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, leb, suite_root  # noqa: E402

SUITE = suite_root()
pytestmark = pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)


def _corpus() -> list[bytes]:
    assert SUITE is not None
    root = SUITE / "json" / "2.0"
    files = sorted(p for p in root.glob("*/*.wasm") if p.parent.name != "simd")
    return [p.read_bytes() for p in files]


_HUGE = [leb(2**32 - 1), leb(2**31), leb(0x10_0000), b"\x80\x80\x80\x80\x10", b"\xff\xff\xff\xff\x7f"]
_INTERESTING = [0x00, 0x01, 0x05, 0x0B, 0x40, 0x60, 0x6F, 0x70, 0x7F, 0x80, 0xFC, 0xFD, 0xFF]


def _truncate(rng: random.Random, d: bytearray) -> bytearray:
    return d[: rng.randrange(len(d) + 1)]


def _flip(rng: random.Random, d: bytearray) -> bytearray:
    for _ in range(rng.randint(1, 4)):
        if d:
            d[rng.randrange(len(d))] ^= 1 << rng.randrange(8)
    return d


def _set_byte(rng: random.Random, d: bytearray) -> bytearray:
    if d:
        d[rng.randrange(len(d))] = rng.choice(_INTERESTING) if rng.random() < 0.6 else rng.randrange(256)
    return d


def _insert(rng: random.Random, d: bytearray) -> bytearray:
    at = rng.randrange(len(d) + 1)
    d[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return d


def _delete(rng: random.Random, d: bytearray) -> bytearray:
    if d:
        at = rng.randrange(len(d))
        del d[at : at + rng.randint(1, 8)]
    return d


def _leb_run(rng: random.Random, d: bytearray) -> bytearray:
    at = rng.randrange(len(d) + 1)
    d[at:at] = b"\x80" * rng.randint(1, 12)
    return d


def _huge_count(rng: random.Random, d: bytearray) -> bytearray:
    at = rng.randrange(len(d) + 1)
    huge = rng.choice(_HUGE)
    if rng.random() < 0.5:
        d[at : at + 1] = huge  # replace a (likely one-byte) count
    else:
        d[at:at] = huge
    return d


def _duplicate(rng: random.Random, d: bytearray) -> bytearray:
    if d:
        at = rng.randrange(len(d))
        chunk = d[at : at + rng.randint(1, 32)]
        to = rng.randrange(len(d) + 1)
        d[to:to] = chunk
    return d


_MUTATORS: list[Callable[[random.Random, bytearray], bytearray]] = [
    _truncate,
    _flip,
    _set_byte,
    _insert,
    _delete,
    _leb_run,
    _huge_count,
    _duplicate,
]


def _validator() -> Callable[[object], None] | None:
    try:
        module = importlib.import_module("pywasm_host.interpreter.valid.module")
    except ImportError:
        return None
    return getattr(module, "validate_module", None)


def test_mutated_binaries_raise_only_wasm_errors() -> None:
    rng = random.Random(SEED)
    corpus = _corpus()
    validate = _validator()
    failures = []
    decoded = validated = 0
    start = time.perf_counter()
    for i in range(MUTANTS):
        original = rng.choice(corpus)
        # Mostly keep the 8-byte preamble intact so mutations reach the sections.
        keep = 8 if rng.random() < 0.97 else 0
        data = bytearray(original[keep:])
        for _ in range(rng.randint(1, 3)):
            data = rng.choice(_MUTATORS)(rng, data)
        mutant = original[:keep] + bytes(data)
        try:
            module = decode_module(mutant)
            decoded += 1
            if validate is not None:
                validate(module)
                validated += 1
        except WasmError:
            pass
        except Exception as exc:  # anything else is a bug: collect them all
            failures.append((i, type(exc).__name__, str(exc)[:80], mutant[:64].hex()))
    elapsed = time.perf_counter() - start
    print(
        f"\n{MUTANTS} mutants in {elapsed:.2f}s: {decoded} decoded, {validated} validated"
        f" (validator {'present' if validate else 'absent'})"
    )
    assert failures == []
    # Mutation must leave some inputs well-formed, or the fuzzing is too blunt.
    assert 0 < decoded < MUTANTS
    assert elapsed < 60


_HEADER = b"\x00asm\x01\x00\x00\x00"
_COUNT = b"\xff\xff\xff\xff\x0f"  # 2**32 - 1


@pytest.mark.parametrize(
    "data",
    [
        _HEADER + b"\x01\x05" + _COUNT,  # types
        _HEADER + b"\x01\x07\x01\x60" + _COUNT,  # params
        _HEADER + b"\x02\x05" + _COUNT,  # imports
        _HEADER + b"\x03\x05" + _COUNT,  # functions
        _HEADER + b"\x0b\x05" + _COUNT,  # data segments
        _HEADER + b"\x0b\x08\x01\x01" + _COUNT + b"\x00",  # data bytes
        _HEADER + b"\x09\x09\x01\x01\x00" + _COUNT + b"\x00",  # element indices
        _HEADER + b"\x00\x05" + _COUNT,  # custom section name
        _HEADER + b"\x0a\x0c\x01\x0a\x01" + _COUNT + b"\x7f\x0b\x0b\x0b",  # locals
        _HEADER + b"\x0a\x0b\x01\x09\x00\x0e" + _COUNT + b"\x00\x0b",  # br_table labels
        _HEADER + b"\x0a\x0b\x01\x09\x00\x1c" + _COUNT + b"\x7f\x0b",  # select types
    ],
)
def test_huge_counts_fail_fast(data: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(WasmError):
        decode_module(data)
    assert time.perf_counter() - start < 0.05
