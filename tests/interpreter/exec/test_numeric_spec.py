"""Check the numeric operators against the official spec test suite data (spec 4.3).

The scripts ``i32``, ``i64``, ``f32``, ``f64``, ``f32_cmp``, ``f64_cmp``,
``f32_bitwise``, ``f64_bitwise``, ``float_misc`` and ``conversions`` export
functions whose body is ``local.get 0 .. local.get n-1; <op>``. A minimal
binary reader (written here, independent of the engine's decoder) maps each
such export to its opcode, and every ``assert_return`` / ``assert_trap`` on
it is checked bit-exactly against :data:`NUMERIC_OPS`, with the suite's
``nan:canonical`` / ``nan:arithmetic`` patterns. Exports with any other body
are left out (and counted).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import Trap
from pywasm_host.interpreter.exec.numeric import NUMERIC_OPS
from pywasm_host.interpreter.runtime.values import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, suite_root  # noqa: E402

_ROOT = suite_root()
SUITE = _ROOT / "json" / "2.0" if _ROOT is not None else None
SCRIPTS = [
    "i32", "i64", "f32", "f64", "f32_cmp", "f64_cmp",
    "f32_bitwise", "f64_bitwise", "float_misc", "conversions",
]  # fmt: skip


def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def _single_op_exports(wasm: bytes) -> tuple[dict[str, Opcode], int]:
    """Map export name -> opcode for exports whose body is ``local.get 0..n-1; op``.

    Returns the map and how many function exports did not have that shape.
    """
    if wasm[:8] != b"\0asm\1\0\0\0":
        raise ValueError("not a wasm module")
    pos = 8
    types: list[int] = []  # parameter count per type
    funcs: list[int] = []  # type index per function
    exports: dict[str, int] = {}
    bodies: list[bytes] = []
    while pos < len(wasm):
        sid = wasm[pos]
        size, pos = _uleb(wasm, pos + 1)
        end = pos + size
        if sid == 2:
            raise ValueError("modules with imports are not handled")
        if sid == 1:
            n, p = _uleb(wasm, pos)
            for _ in range(n):
                if wasm[p] != 0x60:
                    raise ValueError("unexpected type form")
                np_, p = _uleb(wasm, p + 1)
                p += np_
                nr, p = _uleb(wasm, p)
                p += nr
                types.append(np_)
        elif sid == 3:
            n, p = _uleb(wasm, pos)
            for _ in range(n):
                t, p = _uleb(wasm, p)
                funcs.append(t)
        elif sid == 7:
            n, p = _uleb(wasm, pos)
            for _ in range(n):
                ln, p = _uleb(wasm, p)
                name = wasm[p : p + ln].decode()
                p += ln
                kind = wasm[p]
                idx, p = _uleb(wasm, p + 1)
                if kind == 0:
                    exports[name] = idx
        elif sid == 10:
            n, p = _uleb(wasm, pos)
            for _ in range(n):
                sz, p = _uleb(wasm, p)
                bodies.append(wasm[p : p + sz])
                p += sz
        pos = end
    result: dict[str, Opcode] = {}
    other = 0
    for name, idx in exports.items():
        op = _match_body(bodies[idx], types[funcs[idx]])
        if op is None:
            other += 1
        else:
            result[name] = op
    return result, other


def _match_body(body: bytes, nparams: int) -> Opcode | None:
    ndecl, p = _uleb(body, 0)
    if ndecl != 0:
        return None
    for i in range(nparams):
        if body[p] != 0x20 or body[p + 1] != i:
            return None
        p += 2
    code = body[p]
    p += 1
    if code == 0xFC:
        sub, p = _uleb(body, p)
        code = (0xFC << 16) | sub
    if body[p:] != b"\x0b":
        return None
    try:
        op = Opcode(code)
    except ValueError:
        return None
    return op if op in NUMERIC_OPS else None


def _arg(v: dict[str, str]) -> int | float:
    t, bits = v["type"], int(v["value"])
    if t == "f32":
        return f32_from_bits(bits)
    if t == "f64":
        return f64_from_bits(bits)
    return bits


def _check_result(expected: dict[str, str], got: object) -> str | None:
    """None when ``got`` matches ``expected``, else a description of the mismatch."""
    t, want = expected["type"], expected["value"]
    if t in ("i32", "i64"):
        if type(got) is not int:
            return f"result {got!r} is not an int"
        return None if got == int(want) else f"got {got}"
    if type(got) is not float:
        return f"result {got!r} is not a float"
    if t == "f32":
        try:
            bits = f32_to_bits(got)
        except OverflowError:
            return f"result {got!r} is beyond the f32 range"
        if f64_to_bits(f32_from_bits(bits)) != f64_to_bits(got):
            return f"result {got!r} is not in the f32 representation"
        exp_mask, quiet, canon = 0x7F80_0000, 0x40_0000, 0x7FC0_0000
        abs_bits = bits & 0x7FFF_FFFF
    else:
        bits = f64_to_bits(got)
        exp_mask, quiet, canon = 0x7FF0_0000_0000_0000, 0x8_0000_0000_0000, 0x7FF8_0000_0000_0000
        abs_bits = bits & 0x7FFF_FFFF_FFFF_FFFF
    if want == "nan:canonical":
        return None if abs_bits == canon else f"got bits {bits:#x}, want canonical NaN"
    if want == "nan:arithmetic":
        is_arith = (bits & exp_mask) == exp_mask and bits & quiet
        return None if is_arith else f"got bits {bits:#x}, want arithmetic NaN"
    return None if bits == int(want) else f"got bits {bits:#x}, want {int(want):#x}"


def check_script(name: str) -> tuple[int, int, list[str]]:
    """Run the single-operator assertions of one script: (checked, skipped, failures)."""
    assert SUITE is not None
    data = json.loads((SUITE / name / f"{name}.json").read_text())
    ops: dict[str, Opcode] = {}
    checked = skipped = 0
    failures: list[str] = []
    for cmd in data["commands"]:
        kind = cmd["type"]
        if kind == "module":
            ops, _ = _single_op_exports((SUITE / name / cmd["filename"]).read_bytes())
            continue
        if kind not in ("assert_return", "assert_trap"):
            continue
        action = cmd["action"]
        op = ops.get(action["field"]) if action["type"] == "invoke" and "module" not in action else None
        if op is None:
            skipped += 1
            continue
        checked += 1
        where = f"{name}.wast:{cmd['line']} {action['field']}({', '.join(a['value'] for a in action['args'])})"
        args = [_arg(a) for a in action["args"]]
        try:
            got = NUMERIC_OPS[op](*args)
        except Trap as trap:
            if kind != "assert_trap":
                failures.append(f"{where}: unexpected trap {trap}")
            elif not str(trap).startswith(cmd["text"]):
                failures.append(f"{where}: trap {trap!s} but expected {cmd['text']}")
            continue
        if kind == "assert_trap":
            failures.append(f"{where}: returned {got!r}, expected trap {cmd['text']}")
            continue
        if len(cmd["expected"]) != 1:
            failures.append(f"{where}: expected {len(cmd['expected'])} results")
            continue
        problem = _check_result(cmd["expected"][0], got)
        if problem:
            failures.append(f"{where}: {problem}")
    return checked, skipped, failures


@pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)
@pytest.mark.parametrize("name", SCRIPTS)
def test_spec_script(name: str) -> None:
    checked, skipped, failures = check_script(name)
    assert checked > 0, f"{name}: no single-operator assertion found"
    assert not failures, f"{len(failures)} of {checked} failed:\n" + "\n".join(failures[:40])


if __name__ == "__main__":  # summary: python tests/interpreter/exec/test_numeric_spec.py
    total_checked = total_skipped = total_failed = 0
    for script in SCRIPTS:
        c, s, f = check_script(script)
        total_checked += c
        total_skipped += s
        total_failed += len(f)
        print(f"{script:12} checked {c:5}  passed {c - len(f):5}  not single-op {s:4}")
        for line in f[:10]:
            print("   ", line)
    print(
        f"total        checked {total_checked:5}  passed {total_checked - total_failed:5}  not single-op {total_skipped:4}"
    )
