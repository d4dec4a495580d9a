"""The script format (reference interpreter ``README.md`` "Scripts"): command shapes
as ``wast2json`` writes them (expected values hand-derived from its JSON conventions:
numbers as decimal strings of their raw bits), module kinds and lazy loading."""

from __future__ import annotations

import pytest
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import Module
from pywasm_host.interpreter.text.errors import TextFormatError
from pywasm_host.interpreter.text.wast import parse_script

SCRIPT = """
(module $A (func (export "f") (param i32) (result i32) local.get 0))
(register "a" $A)
(module binary "\\00asm" "\\01\\00\\00\\00")
(assert_return (invoke $A "f" (i32.const -1)) (i32.const 0xffff_ffff))
(assert_return (get "g") (f32.const nan:canonical))
(assert_return (invoke "v" (v128.const i8x16 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1))
               (v128.const f64x2 nan:arithmetic -0x1p0))
(assert_return (invoke "r" (ref.extern 7) (ref.null func)) (ref.extern) (ref.func) (ref.null extern))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (start 0) (func unreachable)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_malformed (module binary "\\00asm") "unexpected end")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(invoke "f" (i64.const 1))
"""


def test_wast_command_shapes() -> None:
    cmds = parse_script(SCRIPT, "s.wast")
    assert [c.kind for c in cmds] == [
        "module", "register", "module", "assert_return", "assert_return", "assert_return", "assert_return",
        "assert_trap", "assert_uninstantiable", "assert_exhaustion", "assert_malformed", "assert_malformed",
        "assert_invalid", "assert_unlinkable", "action",
    ]  # fmt: skip
    assert [c.line for c in cmds[:4]] == [2, 3, 4, 5]
    either = parse_script('(assert_return (invoke "f") (either (i32.const 1) (i32.const -1)))')[0]
    assert either.expected is None
    assert either.either == ({"type": "i32", "value": "1"}, {"type": "i32", "value": "4294967295"})
    assert cmds[0].name == "$A" and cmds[0].module is not None and cmds[0].module.kind == "text"
    assert cmds[1].register_as == "a" and cmds[1].name == "$A"
    assert cmds[2].module is not None and cmds[2].module.load() == Module()
    assert cmds[3].action == {
        "type": "invoke",
        "module": "$A",
        "field": "f",
        "args": [{"type": "i32", "value": "4294967295"}],
    }
    assert cmds[3].expected == ({"type": "i32", "value": "4294967295"},)
    assert cmds[4].action == {"type": "get", "field": "g"}
    assert cmds[4].expected == ({"type": "f32", "value": "nan:canonical"},)
    v_arg = cmds[5].action["args"][0]  # type: ignore[index]
    assert v_arg == {"type": "v128", "lane_type": "i8", "value": ["255"] + ["0"] * 14 + ["1"]}
    assert cmds[5].expected == (
        {"type": "v128", "lane_type": "f64", "value": ["nan:arithmetic", str(0xBFF0000000000000)]},
    )
    assert cmds[6].action["args"] == [{"type": "externref", "value": "7"}, {"type": "funcref", "value": "null"}]  # type: ignore[index]
    assert cmds[6].expected == ({"type": "externref"}, {"type": "funcref"}, {"type": "externref", "value": "null"})
    assert cmds[7].text == "unreachable" and cmds[8].module is not None
    assert cmds[10].module is not None and cmds[10].module.kind == "quote"
    with pytest.raises(TextFormatError, match="unknown operator"):
        cmds[10].module.load()
    with pytest.raises(MalformedError):
        cmds[11].module.load()  # type: ignore[union-attr]
    assert cmds[14].action == {"type": "invoke", "field": "f", "args": [{"type": "i64", "value": "1"}]}


def test_wast_bare_module_script() -> None:
    cmds = parse_script('(func) (memory 0) (func (export "f"))')
    assert len(cmds) == 1 and cmds[0].kind == "module"
    assert cmds[0].module is not None and len(cmds[0].module.load().funcs) == 2


@pytest.mark.parametrize(
    "text",
    [
        '(assert_return (invoke "f" (i32.const 1.5)))',
        '(assert_return (invoke "f") (i32.const nan:canonical))',
        '(assert_trap (invoke "f"))',
        "(frobnicate)",
        "(module (func (i32.const)))",
        '(assert_return (invoke "f" (v128.const i32x4 1 2 3)))',
        "(register $M)",
        '(invoke "f"',
        '(assert_return (invoke "f") ' + "(either " * 3000 + ")" * 3001,
    ],
)
def test_wast_malformed_scripts(text: str) -> None:
    with pytest.raises(TextFormatError):
        parse_script(text)
