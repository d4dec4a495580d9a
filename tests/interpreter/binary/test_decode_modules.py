"""Hand-assembled modules and their expected abstract syntax (spec 5.5).

Every binary here is written byte by byte from the grammar in spec chapter 5
and the expected :class:`Module` is written by hand from the same grammar.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import MAX_FUNCTION_LOCALS, decode_module
from pywasm_host.interpreter.binary.opcodes import Opcode as O
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import (
    CustomSection,
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Export,
    Function,
    Global,
    Import,
    Instruction,
    MemArg,
    Module,
    TypeIndex,
)
from pywasm_host.interpreter.syntax.types import (
    ExternKind,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
    ValType,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import HEADER, leb  # noqa: E402

I32, I64, F32, F64 = ValType.I32, ValType.I64, ValType.F32, ValType.F64
FUNCREF, EXTERNREF = ValType.FUNCREF, ValType.EXTERNREF


def section(section_id: int, payload: bytes) -> bytes:
    """``id size payload``, for payloads under 128 bytes (one-byte size)."""
    assert len(payload) < 128
    return bytes([section_id, len(payload)]) + payload


def code(body: bytes, locals_: bytes = b"\x00") -> bytes:
    entry = locals_ + body
    assert len(entry) < 128
    return bytes([len(entry)]) + entry


def ops(expr: tuple[Instruction, ...]) -> list[tuple[O, object]]:
    return [(i.opcode, i.imm) for i in expr]


def malformed(data: bytes) -> MalformedError:
    with pytest.raises(MalformedError) as info:
        decode_module(data)
    return info.value


# -- complete modules ---------------------------------------------------------------


def test_empty_module() -> None:
    assert decode_module(HEADER) == Module()
    assert decode_module(bytearray(HEADER)) == Module()
    assert decode_module(memoryview(HEADER)) == Module()


def test_add_function_with_exact_offsets() -> None:
    data = (
        HEADER
        + b"\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f"  # @8  type (i32 i32) -> i32
        + b"\x03\x02\x01\x00"  # @17 func 0: type 0
        + b"\x07\x07\x01\x03add\x00\x00"  # @21 export "add" func 0
        + b"\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6a\x0b"  # @30 code
    )
    # Code section: id@30 size@31 count@32, entry size@33, local count@34,
    # local.get 0 @35, local.get 1 @37, i32.add @39, end @40.
    expected = Module(
        types=(FuncType((I32, I32), (I32,)),),
        funcs=(
            Function(
                0,
                (),
                (
                    Instruction(O.LOCAL_GET, 0, 35),
                    Instruction(O.LOCAL_GET, 1, 37),
                    Instruction(O.I32_ADD, None, 39),
                    Instruction(O.END, None, 40),
                ),
                33,
            ),
        ),
        exports=(Export("add", ExternKind.FUNC, 0),),
    )
    assert decode_module(data) == expected


def test_imports_tables_memories_globals_start() -> None:
    imports = (
        b"\x04"
        + b"\x01m\x01f\x00\x00"  # func, type 0
        + b"\x01m\x01t\x01\x6f\x01\x02\x03"  # table externref {min 2, max 3}
        + b"\x01m\x03mem\x02\x00\x01"  # memory {min 1}
        + b"\x01m\x01g\x03\x7e\x01"  # global mut i64
    )
    data = (
        HEADER
        + section(1, b"\x01\x60\x00\x00")
        + section(2, imports)
        + section(3, b"\x01\x00")
        + section(4, b"\x01\x70\x00\x0a")  # table funcref {min 10}
        + section(5, b"\x01\x01\x00\x80\x80\x04")  # memory {min 0, max 65536}
        + section(6, b"\x02\x7d\x00\x43\x00\x00\x80\x3f\x0b\x7f\x01\x23\x00\x0b")
        + section(7, b"\x02\x01e\x03\x01\x01T\x01\x00")
        + section(8, b"\x01")
        + section(10, b"\x01" + code(b"\x0b"))
    )
    m = decode_module(data)
    assert m.imports == (
        Import("m", "f", ExternKind.FUNC, 0),
        Import("m", "t", ExternKind.TABLE, TableType(Limits(2, 3), EXTERNREF)),
        Import("m", "mem", ExternKind.MEMORY, MemoryType(Limits(1))),
        Import("m", "g", ExternKind.GLOBAL, GlobalType(I64, True)),
    )
    assert m.tables == (TableType(Limits(10), FUNCREF),)
    assert m.mems == (MemoryType(Limits(0, 65536)),)
    assert [g.type for g in m.globals] == [GlobalType(F32, False), GlobalType(I32, True)]
    assert ops(m.globals[0].init) == [(O.F32_CONST, 0x3F80_0000), (O.END, None)]
    assert ops(m.globals[1].init) == [(O.GLOBAL_GET, 0), (O.END, None)]
    assert m.exports == (Export("e", ExternKind.GLOBAL, 1), Export("T", ExternKind.TABLE, 0))
    assert m.start == 1
    assert m.func_types() == [0, 0]


def test_all_eight_element_segment_encodings() -> None:
    offset = b"\x41\x02\x0b"  # i32.const 2; end
    refnull = b"\xd0\x70\x0b"
    reffunc = b"\xd2\x00\x0b"
    elems = (
        b"\x08"
        + b"\x00" + offset + b"\x02\x00\x00"  # 0: active table 0, funcidx vector
        + b"\x01\x00\x01\x00"  # 1: passive, elemkind, funcidx vector
        + b"\x02\x01" + offset + b"\x00\x01\x00"  # 2: active table 1, elemkind, funcidx
        + b"\x03\x00\x01\x00"  # 3: declarative, elemkind, funcidx
        + b"\x04" + offset + b"\x02" + refnull + reffunc  # 4: active table 0, exprs
        + b"\x05\x6f\x01\xd0\x6f\x0b"  # 5: passive externref exprs
        + b"\x06\x01" + offset + b"\x70\x01" + reffunc  # 6: active table 1, reftype, exprs
        + b"\x07\x70\x01" + reffunc  # 7: declarative, reftype, exprs
    )  # fmt: skip
    data = (
        HEADER
        + section(1, b"\x01\x60\x00\x00")
        + section(3, b"\x01\x00")
        + section(4, b"\x02\x70\x00\x01\x70\x00\x01")
        + section(9, elems)
        + section(10, b"\x01" + code(b"\x0b"))
    )
    m = decode_module(data)
    const2 = [(O.I32_CONST, 2), (O.END, None)]
    func0 = [(O.REF_FUNC, 0), (O.END, None)]
    null = [(O.REF_NULL, FUNCREF), (O.END, None)]
    got = [
        (e.mode, e.type, e.table, None if e.offset is None else ops(e.offset), [ops(x) for x in e.init]) for e in m.elems
    ]
    assert got == [
        (ElemMode.ACTIVE, FUNCREF, 0, const2, [func0, func0]),
        (ElemMode.PASSIVE, FUNCREF, 0, None, [func0]),
        (ElemMode.ACTIVE, FUNCREF, 1, const2, [func0]),
        (ElemMode.DECLARATIVE, FUNCREF, 0, None, [func0]),
        (ElemMode.ACTIVE, FUNCREF, 0, const2, [null, func0]),
        (ElemMode.PASSIVE, EXTERNREF, 0, None, [[(O.REF_NULL, EXTERNREF), (O.END, None)]]),
        (ElemMode.ACTIVE, FUNCREF, 1, const2, [func0]),
        (ElemMode.DECLARATIVE, FUNCREF, 0, None, [func0]),
    ]
    assert all(isinstance(e, ElementSegment) for e in m.elems)


def test_data_segments_and_data_count() -> None:
    datas = b"\x03" + b"\x00\x41\x08\x0b\x02hi" + b"\x01\x01!" + b"\x02\x00\x41\x00\x0b\x00"
    body = b"\x41\x00\x41\x00\x41\x00\xfc\x08\x01\x00\xfc\x09\x01\x0b"  # memory.init 1; data.drop 1
    data = (
        HEADER
        + section(1, b"\x01\x60\x00\x00")
        + section(3, b"\x01\x00")
        + section(5, b"\x01\x00\x01")
        + section(12, b"\x03")
        + section(10, b"\x01" + code(body))
        + section(11, datas)
    )
    m = decode_module(data)
    assert m.data_count == 3
    assert [(d.data, d.mode, d.memory, d.offset and ops(d.offset)) for d in m.datas] == [
        (b"hi", DataMode.ACTIVE, 0, [(O.I32_CONST, 8), (O.END, None)]),
        (b"!", DataMode.PASSIVE, 0, None),
        (b"", DataMode.ACTIVE, 0, [(O.I32_CONST, 0), (O.END, None)]),
    ]
    assert isinstance(m.datas[1], DataSegment)
    assert ops(m.funcs[0].body)[3:] == [(O.MEMORY_INIT, (1, 0)), (O.DATA_DROP, 1), (O.END, None)]


def test_instruction_immediates() -> None:
    body = (
        b"\x02\x40"  # block (empty)
        + b"\x03\x7f"  # loop (result i32)
        + b"\x04\x00"  # if (type 0)
        + b"\x0c\x02"  # br 2
        + b"\x05"  # else
        + b"\x0d\x01"  # br_if 1
        + b"\x0b\x0b\x0b"  # end end end
        + b"\x0e\x02\x00\x01\x02"  # br_table [0 1] 2
        + b"\x11\x00\x01"  # call_indirect type 0 table 1
        + b"\x1c\x01\x7c"  # select (result f64)
        + b"\xd0\x6f"  # ref.null extern
        + b"\x41\x7f"  # i32.const -1
        + b"\x41\x80\x80\x80\x80\x78"  # i32.const -2**31
        + b"\x42\x7f"  # i64.const -1
        + b"\x44\x00\x00\x00\x00\x00\x00\xf8\x7f"  # f64.const nan (0x7FF8...)
        + b"\x28\x02\x10"  # i32.load align=4 offset=16
        + b"\x37\x03\x80\xff\xff\xff\x0f"  # i64.store align=8 offset=2**32-128
        + b"\x3f\x00\x40\x00"  # memory.size memory.grow
        + b"\xfc\x00"  # i32.trunc_sat_f32_s
        + b"\xfc\x0a\x00\x00\xfc\x0b\x00"  # memory.copy memory.fill
        + b"\xfc\x0c\x02\x01\xfc\x0d\x02"  # table.init 2 1; elem.drop 2
        + b"\xfc\x0e\x01\x00\xfc\x0f\x01\xfc\x10\x00\xfc\x11\x01"  # table.copy 1 0; grow; size; fill
        + b"\x25\x01\x26\x00"  # table.get 1; table.set 0
        + b"\x0b"
    )
    data = HEADER + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00") + section(10, b"\x01" + code(body))
    got = ops(decode_module(data).funcs[0].body)
    assert got == [
        (O.BLOCK, None),
        (O.LOOP, I32),
        (O.IF, TypeIndex(0)),
        (O.BR, 2),
        (O.ELSE, None),
        (O.BR_IF, 1),
        (O.END, None),
        (O.END, None),
        (O.END, None),
        (O.BR_TABLE, ((0, 1), 2)),
        (O.CALL_INDIRECT, (0, 1)),
        (O.SELECT_T, (F64,)),
        (O.REF_NULL, EXTERNREF),
        (O.I32_CONST, 0xFFFF_FFFF),
        (O.I32_CONST, 0x8000_0000),
        (O.I64_CONST, 0xFFFF_FFFF_FFFF_FFFF),
        (O.F64_CONST, 0x7FF8_0000_0000_0000),
        (O.I32_LOAD, MemArg(2, 16)),
        (O.I64_STORE, MemArg(3, 0xFFFF_FF80)),
        (O.MEMORY_SIZE, 0),
        (O.MEMORY_GROW, 0),
        (O.I32_TRUNC_SAT_F32_S, None),
        (O.MEMORY_COPY, (0, 0)),
        (O.MEMORY_FILL, 0),
        (O.TABLE_INIT, (2, 1)),
        (O.ELEM_DROP, 2),
        (O.TABLE_COPY, (1, 0)),
        (O.TABLE_GROW, 1),
        (O.TABLE_SIZE, 0),
        (O.TABLE_FILL, 1),
        (O.TABLE_GET, 1),
        (O.TABLE_SET, 0),
        (O.END, None),
    ]


def test_locals_are_expanded_in_order() -> None:
    locals_ = b"\x03\x02\x7f\x00\x7e\x01\x7c"  # 2 i32, 0 i64, 1 f64
    data = HEADER + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00") + section(10, b"\x01" + code(b"\x0b", locals_))
    assert decode_module(data).funcs[0].locals == (I32, I32, F64)


def test_deep_nesting_needs_no_recursion() -> None:
    depth = 100_000
    body = b"\x02\x40" * depth + b"\x0b" * depth + b"\x0b"
    entry = b"\x00" + body
    size = len(entry)
    leb = bytes([(size & 0x7F) | 0x80, (size >> 7 & 0x7F) | 0x80, size >> 14])
    payload = b"\x01" + leb + entry
    plen = len(payload)
    sec = b"\x0a" + bytes([(plen & 0x7F) | 0x80, (plen >> 7 & 0x7F) | 0x80, plen >> 14]) + payload
    data = HEADER + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00") + sec
    assert len(decode_module(data).funcs[0].body) == 2 * depth + 1


def test_custom_sections_anywhere_and_name_section() -> None:
    name_payload = (
        b"\x04name"
        + b"\x00\x04\x03mod"  # module name "mod"
        + b"\x01\x06\x01\x00\x03add"  # function 0 "add"
        + b"\x02\x09\x01\x00\x02\x00\x01a\x01\x01b"  # locals of 0: 0 "a", 1 "b"
    )
    data = (
        HEADER
        + section(0, b"\x03abc\x01\x02")
        + section(1, b"\x01\x60\x02\x7f\x7f\x00")
        + section(0, b"\x00")
        + section(3, b"\x01\x00")
        + section(10, b"\x01" + code(b"\x0b"))
        + section(0, name_payload)
    )
    m = decode_module(data)
    assert m.customs == (
        CustomSection("abc", b"\x01\x02", 8),  # 8 bytes
        CustomSection("", b"", 24),  # after the 8-byte type section
        CustomSection("name", name_payload[5:], 37),  # after 3 + 4 + 6 bytes
    )
    assert m.names.module == "mod"
    assert m.names.functions == {0: "add"}
    assert m.names.locals == {0: {0: "a", 1: "b"}}


@pytest.mark.parametrize(
    "payload",
    [
        b"\x04name\x01\x06\x01\x00\x03ad",  # subsection larger than the section
        b"\x04name\x01\x04\x01\x00\x02\xc0\x80",  # bad UTF-8 in a function name
        b"\x04name\x01\x01\x00\x00\x01\x00",  # subsections out of order
        b"\x04name\x00\x02\x00\x00",  # subsection size mismatch
    ],
)
def test_malformed_name_section_is_ignored(payload: bytes) -> None:
    m = decode_module(HEADER + section(0, payload))
    assert m.customs[0].name == "name"
    assert m.names.module is None and m.names.functions == {} and m.names.locals == {}


# -- malformed modules --------------------------------------------------------------

_TYPE = section(1, b"\x01\x60\x00\x00")
_FUNC = section(3, b"\x01\x00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00asm", "unexpected end"),
        (b"\x00asn\x01\x00\x00\x00", "magic header not detected"),
        (b"\x00asm\x02\x00\x00\x00", "unknown binary version"),
        (HEADER + b"\x0d\x00", "malformed section id"),
        (HEADER + _FUNC + _TYPE, "unexpected content after last section"),
        (HEADER + _TYPE + _TYPE, "unexpected content after last section"),
        (HEADER + section(10, b"\x00") + section(12, b"\x00"), "unexpected content after last section"),
        (HEADER + b"\x01\x06\x01\x60\x00\x00", "length out of bounds"),
        (HEADER + b"\x01\x05\x01\x60\x00\x00", "section size mismatch"),
        (HEADER + b"\x01\x03\x01\x60\x00\x00", "section size mismatch"),
        (HEADER + section(1, b"\xff\xff\xff\xff\x0f"), "length out of bounds"),
        (HEADER + section(1, b"\x01\x61\x00\x00"), "malformed function type"),
        (HEADER + section(1, b"\x01\x60\x01\x7a\x00"), "malformed value type"),
        (HEADER + section(4, b"\x01\x7f\x00\x00"), "malformed reference type"),
        (HEADER + section(5, b"\x01\x02\x00"), "integer too large"),
        (HEADER + section(6, b"\x01\x7f\x02\x41\x00\x0b"), "malformed mutability"),
        (HEADER + section(2, b"\x01\x00\x00\x04\x00"), "malformed import kind"),
        (HEADER + section(7, b"\x01\x00\x04\x00"), "malformed export kind"),
        (HEADER + section(9, b"\x01\x08"), "malformed elements segment kind"),
        (HEADER + section(9, b"\x01\x01\x01\x00"), "malformed element kind"),
        (HEADER + section(11, b"\x01\x03"), "malformed data segment kind"),
        (HEADER + _TYPE + _FUNC, "function and code section have inconsistent lengths"),
        (HEADER + section(12, b"\x01"), "data count and data section have inconsistent lengths"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\xfd\x9a\x01\x0b")), "illegal opcode fd"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\xfc\x12\x0b")), "illegal opcode fc 12"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x06\x0b")), "illegal opcode 06"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x05\x0b")), "END opcode expected"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x02\x40\x05\x0b\x0b")), "END opcode expected"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x04\x40\x05\x05\x0b\x0b")), "END opcode expected"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x02\x80\x7f\x0b\x0b")), "malformed block type"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x28\x20\x00\x0b")), "malformed memop flags"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x3f\x01\x0b")), "zero byte expected"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\xfc\x0a\x00\x01\x0b")), "zero byte expected"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x0b\x0b")), "section size mismatch"),
        (HEADER + _TYPE + _FUNC + section(10, b"\x01\x02\x00\x01\x0b"), "section size mismatch"),
        (
            HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x0b", b"\x02\xff\xff\xff\xff\x0f\x7f\x01\x7e")),
            "too many locals",
        ),
        (
            HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\xfc\x09\x00\x0b")) + section(11, b"\x01\x01\x00"),
            "data count section required",
        ),
    ],
)
def test_malformed(data: bytes, message: str) -> None:
    assert malformed(data).message.startswith(message)


def test_implementation_limit_on_locals() -> None:
    n = MAX_FUNCTION_LOCALS + 1
    count = bytes([(n & 0x7F) | 0x80, (n >> 7 & 0x7F) | 0x80, n >> 14])
    data = HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x0b", b"\x01" + count + b"\x7f"))
    assert malformed(data).message.startswith("too many locals")


def test_error_offsets() -> None:
    # section id 0x0d at offset 8; illegal opcode at its own byte offset.
    assert malformed(HEADER + b"\x0d\x00").offset == 8
    data = HEADER + _TYPE + _FUNC + section(10, b"\x01" + code(b"\x01\x06\x0b"))
    # type @8..13, func @14..17, code: id 18, size 19, count 20, entry size 21, locals 22, nop 23, 0x06 @24
    assert malformed(data).offset == 24


def test_rejects_non_bytes() -> None:
    with pytest.raises(TypeError):
        decode_module("\x00asm\x01\x00\x00\x00")  # type: ignore[arg-type]


def test_global_uses_value_types() -> None:
    m = decode_module(HEADER + section(6, b"\x01\x6f\x00\xd0\x6f\x0b"))
    assert m.globals == (Global(GlobalType(EXTERNREF, False), m.globals[0].init),)
    assert ops(m.globals[0].init) == [(O.REF_NULL, EXTERNREF), (O.END, None)]


def _module_with_locals(counts: list[int]) -> bytes:
    entries = b"".join(code(b"\x0b", b"\x01" + leb(n) + b"\x7f") for n in counts)
    funcs = leb(len(counts)) + b"\x00" * len(counts)
    codes = leb(len(counts)) + entries
    return (
        HEADER
        + _TYPE
        + b"\x03" + leb(len(funcs)) + funcs
        + b"\x0a" + leb(len(codes)) + codes
    )  # fmt: skip


def test_identical_local_declarations_share_one_tuple() -> None:
    m = decode_module(_module_with_locals([40_000] * 200))
    assert len(m.funcs[0].locals) == 40_000
    assert all(f.locals is m.funcs[0].locals for f in m.funcs)


def test_implementation_limit_on_module_locals() -> None:
    # 100 distinct declarations of ~50,000 locals would need ~5M entries.
    data = _module_with_locals([MAX_FUNCTION_LOCALS - i for i in range(100)])
    assert malformed(data).message.startswith("too many locals")
