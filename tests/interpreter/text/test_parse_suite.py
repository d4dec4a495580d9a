"""The text parser over the whole 2.0 spec suite (spec 6, scripts of the reference
interpreter), against wabt's ``wast2json`` output for the same ``.wast`` files: every
command has the same kind, line, names, action, expected values and message as in the
JSON; every module written as text parses to the module ``decode_module`` reads from the
``.wasm`` wabt wrote for it; every text-only ``assert_malformed`` module is rejected with
a :class:`TextFormatError` whose message starts with the expected text."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import Module, TypeIndex
from pywasm_host.interpreter.text.errors import TextFormatError
from pywasm_host.interpreter.text.wast import WastCommand, parse_script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, suite_root  # noqa: E402

SUITE = suite_root()
pytestmark = pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)


def _files() -> list[str]:
    if SUITE is None:
        return []
    return [p.strip() for p in (SUITE / "suite-2.0.txt").read_text().splitlines() if p.strip()]


def _json_for(wast: str) -> Path:
    assert SUITE is not None
    rel = Path(wast).relative_to("wast/2.0")
    return SUITE / "json/2.0" / rel.parent / rel.stem / (rel.stem + ".json")


def _norm_expr(expr: Any, types: Any = ()) -> tuple[Any, ...] | None:
    if expr is None:
        return None
    out = []
    for i in expr:
        imm = i.imm
        if isinstance(imm, TypeIndex) and imm.index < len(types):
            # wabt writes a block type (type x) with type [] -> [t?] in its short form
            ft = types[imm.index]
            if not ft.params and len(ft.results) <= 1:
                imm = ft.results[0] if ft.results else None
        out.append((i.opcode, imm))
    return tuple(out)


def normalize(m: Module) -> dict[str, Any]:
    """The module without byte offsets, custom sections and names; block types in short form when possible."""
    return {
        "types": m.types,
        "imports": m.imports,
        "funcs": tuple((f.type_index, f.locals, _norm_expr(f.body, m.types)) for f in m.funcs),
        "tables": m.tables,
        "mems": m.mems,
        "globals": tuple((g.type, _norm_expr(g.init)) for g in m.globals),
        "exports": m.exports,
        "start": m.start,
        "elems": tuple(
            (e.type, tuple(_norm_expr(x) for x in e.init), e.mode, e.table, _norm_expr(e.offset)) for e in m.elems
        ),
        "datas": tuple((d.data, d.mode, d.memory, _norm_expr(d.offset)) for d in m.datas),
        # wabt writes no data count section for zero segments; we keep 0 when data.drop/memory.init occur
        "data_count": m.data_count or None,
    }


# wabt rounds the halfway f64 subnormal 0x1.fffffffffffffp-1023 (= 2**-1022 - 2**-1075) down to
# 0x000fffffffffffff; round-to-nearest-even (spec 6.3.2) and Python's float.fromhex give
# 0x0010000000000000. The script compares the value with itself, so either is self-consistent.
WABT_ROUNDING = {("wast/2.0/simd/simd_lane.wast", line) for line in (164, 165, 265, 266, 281, 282)}


def compare_commands(wast: str, mine: list[WastCommand]) -> list[str]:
    """Differences between our commands and wast2json's JSON for the same script."""
    assert SUITE is not None
    theirs = json.loads(_json_for(wast).read_text())["commands"]
    problems = []
    if len(mine) != len(theirs):
        problems.append(f"{wast}: {len(mine)} commands, wast2json has {len(theirs)}")
    for m, j in zip(mine, theirs):
        where = f"{wast}:{j['line']}"
        if (wast, j["line"]) in WABT_ROUNDING:
            continue
        got: WastCommand = m
        if got.kind != j["type"]:
            problems.append(f"{where}: kind {got.kind} != {j['type']}")
            continue
        if j["line"] and got.line != j["line"]:
            problems.append(f"{where}: line {got.line}")
        if got.kind == "module" and got.name != j.get("name"):
            problems.append(f"{where}: name {got.name} != {j.get('name')}")
        if got.kind == "register" and (got.register_as != j.get("as") or got.name != j.get("name")):
            problems.append(f"{where}: register {got.register_as} {got.name}")
        if "action" in j and got.action != j["action"]:
            problems.append(f"{where}: action {got.action} != {j['action']}")
        if got.kind in ("assert_return",) and list(got.expected or ()) != j.get("expected"):
            problems.append(f"{where}: expected {got.expected} != {j.get('expected')}")
        if "text" in j and got.text != j["text"]:
            problems.append(f"{where}: text {got.text!r} != {j['text']!r}")
        if "module_type" in j:
            kind = "quote" if j["module_type"] == "text" else None
            if kind and got.module is not None and got.module.kind != kind:
                problems.append(f"{where}: module kind {got.module.kind}")
    return problems


def compare_file(wast: str) -> tuple[int, int, list[str]]:
    """(modules compared, malformed texts rejected with the spec's message, problems) for one script."""
    assert SUITE is not None
    commands = parse_script((SUITE / wast).read_text(encoding="utf-8"), wast)
    problems = compare_commands(wast, commands)
    by_line = {}
    for c in commands:
        by_line.setdefault(c.line, c)
    data = json.loads(_json_for(wast).read_text())
    base = _json_for(wast).parent
    compared = rejected = 0
    for jc in data["commands"]:
        filename = jc.get("filename")
        if not filename:
            continue
        if jc["line"] == 0:
            continue  # wabt numbers some quoted modules line 0
        mine = by_line.get(jc["line"])
        if mine is None or mine.module is None:
            problems.append(f"{wast}:{jc['line']}: no module command parsed here")
            continue
        if jc["type"] == "assert_malformed" and jc.get("module_type") == "text":
            try:
                mine.module.load()
            except TextFormatError as exc:
                if str(exc).startswith(jc["text"]):
                    rejected += 1
                else:
                    problems.append(f"{wast}:{jc['line']}: expected {jc['text']!r}, got {str(exc).splitlines()[0]!r}")
            except MalformedError as exc:
                problems.append(f"{wast}:{jc['line']}: MalformedError but not TextFormatError: {exc}")
            else:
                problems.append(f"{wast}:{jc['line']}: malformed text accepted ({jc['text']})")
            continue
        if not filename.endswith(".wasm") or mine.module.kind == "binary":
            continue
        try:
            expected = decode_module((base / filename).read_bytes())
        except MalformedError:
            continue  # a binary assert_malformed; nothing to compare
        try:
            got = mine.module.load()
        except MalformedError as exc:
            problems.append(f"{wast}:{jc['line']}: {str(exc).splitlines()[0]}")
            continue
        a, b = normalize(got), normalize(expected)
        if a != b:
            diff = [k for k in a if a[k] != b[k]]
            problems.append(f"{wast}:{jc['line']}: differs in {diff}")
        else:
            compared += 1
    return compared, rejected, problems


@pytest.mark.parametrize("wast", _files())
def test_parse_suite_file(wast: str) -> None:
    _compared, _rejected, problems = compare_file(wast)
    assert not problems, "\n".join(problems[:20])


if __name__ == "__main__":
    total_c = total_r = 0
    t0 = time.perf_counter()
    all_problems = []
    for f in _files():
        c, r, p = compare_file(f)
        total_c += c
        total_r += r
        all_problems += p
    print("\n".join(all_problems[:80]))
    print(
        f"equal modules: {total_c}, malformed rejected: {total_r}, problems: {len(all_problems)}, {time.perf_counter() - t0:.1f}s"
    )
