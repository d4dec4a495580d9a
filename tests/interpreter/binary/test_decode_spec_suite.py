"""The binary decoder against the WebAssembly 2.0 spec test suite (non-SIMD).

* every ``module`` / ``assert_invalid`` / ``assert_unlinkable`` /
  ``assert_uninstantiable`` ``.wasm`` decodes (they are well-formed);
* every ``assert_malformed`` ``.wasm`` raises :class:`MalformedError`, and
  its message starts with the reference interpreter's text;
* an independent decoder (wabt's ``wasm-objdump``) agrees on the entry count
  of every section, the custom section names, and on every instruction of
  every function body: its offset, mnemonic and main immediate.

The suite is located at ``$WASM_TESTSUITE`` or ``<repo>/../shared/wasm-testsuite``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import MemArg, Module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, suite_root  # noqa: E402

SUITE = suite_root()
pytestmark = pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)

WELL_FORMED = ("module", "assert_invalid", "assert_unlinkable", "assert_uninstantiable")


def _commands() -> list[tuple[str, Path, dict]]:
    """(script name, .wasm path, command) for every .wasm of the non-SIMD 2.0 scripts."""
    out: list[tuple[str, Path, dict]] = []
    if SUITE is None:
        return out
    root = SUITE / "json" / "2.0"
    for script in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "simd"):
        commands = json.loads((script / f"{script.name}.json").read_text())["commands"]
        for command in commands:
            filename = command.get("filename", "")
            if filename.endswith(".wasm"):
                out.append((script.name, script / filename, command))
    return out


COMMANDS = _commands()


def test_suite_has_90_scripts() -> None:
    root = SUITE / "json" / "2.0"  # type: ignore[operator]
    assert len([p for p in root.iterdir() if p.is_dir() and p.name != "simd"]) == 90
    # Two scripts (comments, obsolete-keywords) hold text modules only.
    assert len({name for name, _, _ in COMMANDS}) == 88


def test_well_formed_modules_decode() -> None:
    counts: dict[str, int] = {}
    for _, path, command in COMMANDS:
        if command["type"] in WELL_FORMED:
            module = decode_module(path.read_bytes())
            assert isinstance(module, Module)
            counts[command["type"]] = counts.get(command["type"], 0) + 1
    # Counts of the pinned suite (wast2json output), for the record.
    assert counts == {"module": 1126, "assert_invalid": 1477, "assert_unlinkable": 83, "assert_uninstantiable": 34}


def test_malformed_modules_raise_with_reference_messages() -> None:
    count = 0
    wrong_message = []
    for _, path, command in COMMANDS:
        if command["type"] != "assert_malformed":
            continue
        with pytest.raises(MalformedError) as info:
            decode_module(path.read_bytes())
        count += 1
        if not info.value.message.startswith(command["text"]):
            wrong_message.append((path.name, command["text"], info.value.message))
    assert count == 719
    assert wrong_message == []


# -- cross-check with wabt ----------------------------------------------------------

_OBJDUMP = shutil.which("wasm-objdump")
_needs_objdump = pytest.mark.skipif(_OBJDUMP is None, reason="wasm-objdump (wabt) not installed")

_SECTION_COUNT = {
    "Type": lambda m: len(m.types),
    "Import": lambda m: len(m.imports),
    "Function": lambda m: len(m.funcs),
    "Table": lambda m: len(m.tables),
    "Memory": lambda m: len(m.mems),
    "Global": lambda m: len(m.globals),
    "Export": lambda m: len(m.exports),
    "Elem": lambda m: len(m.elems),
    "Code": lambda m: len(m.funcs),
    "Data": lambda m: len(m.datas),
    "DataCount": lambda m: m.data_count,
}

_FILE_HEADER = re.compile(r"^(\S+\.wasm):\s+file format wasm 0x1$")
_SECTION_LINE = re.compile(r"^\s*(\w+) start=0x[0-9a-f]+ end=0x[0-9a-f]+ \(size=0x[0-9a-f]+\) (.*)$")


def _well_formed_paths() -> list[Path]:
    return [path for _, path, command in COMMANDS if command["type"] in WELL_FORMED]


def _objdump(flag: str, paths: list[Path]) -> dict[str, list[str]]:
    """Run wasm-objdump once over all files; its output lines by file name."""
    assert _OBJDUMP is not None
    cwd = SUITE / "json" / "2.0"  # type: ignore[operator]
    rel = [str(p.relative_to(cwd)) for p in paths]
    proc = subprocess.run([_OBJDUMP, flag, *rel], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[:500]
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for line in proc.stdout.splitlines():
        header = _FILE_HEADER.match(line)
        if header:
            current = out.setdefault(header.group(1), [])
        else:
            current.append(line)
    return out


@_needs_objdump
def test_section_counts_match_wasm_objdump() -> None:
    paths = _well_formed_paths()
    dumps = _objdump("-h", paths)
    assert len(dumps) == len(paths)
    checked = 0
    for path in paths:
        module = decode_module(path.read_bytes())
        customs = []
        for line in dumps[path.name]:
            m = _SECTION_LINE.match(line)
            if not m:
                continue
            section, rest = m.groups()
            if section == "Custom":
                customs.append(rest.strip('"'))
            elif section == "Start":
                assert module.start == int(rest.removeprefix("start: ")), path.name
            else:
                assert _SECTION_COUNT[section](module) == int(rest.removeprefix("count: ")), (path.name, section)
                checked += 1
        # wabt prints names as C strings: up to the first NUL.
        assert customs == [c.name.partition("\x00")[0] for c in module.customs], path.name
    assert checked > 9000


# wabt's mnemonics that differ from the spec's text format names.
_WABT_NAMES = {"select": {Opcode.SELECT, Opcode.SELECT_T}}
_INDEX_OPS = {
    Opcode.BR,
    Opcode.BR_IF,
    Opcode.CALL,
    Opcode.LOCAL_GET,
    Opcode.LOCAL_SET,
    Opcode.LOCAL_TEE,
    Opcode.GLOBAL_GET,
    Opcode.GLOBAL_SET,
    Opcode.REF_FUNC,
}
_INSTR_LINE = re.compile(r"^ ([0-9a-f]{6}): [0-9a-f ]+\s*\|\s*(\S+)\s*(.*)$")
_FUNC_LINE = re.compile(r"^([0-9a-f]{6}) func\[(\d+)\]")
_LOCALS = re.compile(r"^local\[(?:(\d+)(?:\.\.(\d+))?)?\]$")


# Files wasm-objdump -d refuses: it checks more than the binary format there.
_OBJDUMP_REFUSES = {
    "memory_init.4.wasm": "data.drop without a data count section (see decode.py: left to the validator)",
    "memory_init.9.wasm": "memory.init without a data count section (idem)",
    "select.2.wasm": "select with zero result types (invalid, not malformed)",
}


@_needs_objdump
def test_instructions_match_wasm_objdump() -> None:
    paths = [p for p in _well_formed_paths() if p.name not in _OBJDUMP_REFUSES]
    dumps = _objdump("-d", paths)
    instructions = 0
    for path in paths:
        module = decode_module(path.read_bytes())
        imported = sum(1 for i in module.imports if i.kind == 0)
        bodies: dict[int, list[tuple[int, str, str]]] = {}
        locals_: dict[int, list[str]] = {}
        current: list[tuple[int, str, str]] = []
        current_locals: list[str] = []
        for line in dumps.get(path.name, []):
            func = _FUNC_LINE.match(line)
            if func:
                current = bodies.setdefault(int(func.group(2)) - imported, [])
                current_locals = locals_.setdefault(int(func.group(2)) - imported, [])
                continue
            instr = _INSTR_LINE.match(line)
            if instr:
                decl = _LOCALS.match(instr.group(2))
                if decl:  # "local[2..4] type=i32": a local declaration ("local[]": zero of them)
                    if decl.group(1):
                        first, last = int(decl.group(1)), int(decl.group(2) or decl.group(1))
                        current_locals.extend([instr.group(3).removeprefix("type=")] * (last - first + 1))
                else:
                    current.append((int(instr.group(1), 16), instr.group(2), instr.group(3)))
        assert sorted(bodies) == list(range(len(module.funcs))), path.name
        for index, function in enumerate(module.funcs):
            assert [str(t) for t in function.locals] == locals_[index], (path.name, index)
            expected = bodies[index]
            assert len(expected) == len(function.body), (path.name, index)
            for ins, (offset, mnemonic, rest) in zip(function.body, expected):
                where = (path.name, index, hex(offset))
                if ins.opcode > 0xFF:
                    # wabt places some prefixed instructions inside their
                    # sub-opcode's LEB128 rather than at the prefix byte.
                    assert 0 <= offset - ins.offset <= 5, where
                else:
                    assert ins.offset == offset, where
                assert ins.opcode in _WABT_NAMES.get(mnemonic, {ins.opcode}) and (
                    mnemonic in _WABT_NAMES or ins.opcode.mnemonic == mnemonic
                ), where
                args = rest.split()
                if ins.opcode in _INDEX_OPS:
                    assert ins.imm == int(args[0]), where
                elif ins.opcode is Opcode.I32_CONST:
                    assert ins.imm == int(args[0]) % (1 << 32), where
                elif ins.opcode is Opcode.I64_CONST:
                    assert ins.imm == int(args[0]) % (1 << 64), where
                elif isinstance(ins.imm, MemArg):
                    assert (ins.imm.align, ins.imm.offset) == (int(args[0]), int(args[1])), where
                elif ins.opcode is Opcode.BR_TABLE:
                    labels, default = ins.imm
                    assert [*labels, default] == [int(a) for a in args], where
                instructions += 1
    assert instructions > 35_000
