"""Validation of function bodies (spec 3.3 "Instructions", 3.4.1 "Functions",
and the appendix "Validation Algorithm").

This is the appendix's operand/control stack algorithm, run iteratively over
the flat instruction sequence of a body (so nesting depth costs no Python
recursion) in time linear in the body's length:

* the *operand stack* ``vals`` holds value types, and :data:`UNKNOWN` for
  values popped from the polymorphic stack of unreachable code;
* the *control stack* ``ctrls`` holds one :class:`Frame` per open
  ``block``/``loop``/``if``/``else`` (plus the function's own frame) with
  its start types, end types, label types, the operand stack height at
  entry and the ``unreachable`` flag.

Dispatch is by table: instructions with a fixed ``[t1*] -> [t2*]`` type
(numeric operators, constants, ``nop``) are looked up in :data:`SIMPLE` and
checked inline by comparing the top of the operand stack with ``t1*``;
every other opcode has a handler in :data:`HANDLERS`. Adding an instruction
set (e.g. SIMD, whose type ``v128`` is already accepted by ``select``) means
adding entries to these two tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..binary.opcodes import Opcode
from ..errors import ValidationError
from ..syntax.module import Function, Instruction, TypeIndex
from ..syntax.types import ValType
from .context import Context, Signature, op_name

__all__ = ["UNKNOWN", "Frame", "FuncState", "SIMPLE", "HANDLERS", "validate_function"]

UNKNOWN = None
_T = TypeVar("_T")
"""The type of a value popped from the polymorphic stack (appendix: ``Unknown``)."""

I32 = ValType.I32
I64 = ValType.I64
F32 = ValType.F32
F64 = ValType.F64
V128 = ValType.V128
FUNCREF = ValType.FUNCREF
EXTERNREF = ValType.EXTERNREF

_NUMERIC = frozenset({I32, I64, F32, F64, UNKNOWN})
_VECTOR = frozenset({V128, UNKNOWN})
_REFERENCE = frozenset({FUNCREF, EXTERNREF, UNKNOWN})


class _Invalid(Exception):
    """Raised inside the algorithm; turned into :class:`ValidationError` with
    the function index and the offending instruction's offset."""


def _fmt(types: Sequence[ValType | None]) -> str:
    return "[" + " ".join("_" if t is None else str(t) for t in types) + "]"


class Frame:
    """A control frame (appendix: ``ctrl_frame``)."""

    __slots__ = ("opcode", "start", "end", "labels", "height", "unreachable")

    def __init__(self, opcode: int, start: list[ValType], end: list[ValType], height: int) -> None:
        self.opcode = opcode
        self.start = start
        self.end = end
        self.labels = start if opcode == Opcode.LOOP else end
        self.height = height
        self.unreachable = False


class FuncState:
    """The operand and control stacks while one function body is validated,
    with the per-function parts of the context (locals, return type)."""

    __slots__ = ("c", "vals", "ctrls", "locals", "results")

    def __init__(self, c: Context, locals_: list[ValType], results: list[ValType]) -> None:
        self.c = c
        self.vals: list[ValType | None] = []
        self.ctrls: list[Frame] = []
        self.locals = locals_
        self.results = results

    # -- operand stack (appendix: push_val, pop_val, pop_vals, ...) ----------
    def pop_val(self) -> ValType | None:
        vals = self.vals
        frame = self.ctrls[-1]
        if len(vals) == frame.height:
            if frame.unreachable:
                return UNKNOWN
            raise _Invalid("type mismatch: expected a value but the stack is empty")
        return vals.pop()

    def pop_expect(self, expect: ValType | None) -> ValType | None:
        vals = self.vals
        frame = self.ctrls[-1]
        if len(vals) == frame.height:
            if frame.unreachable:
                return UNKNOWN
            raise _Invalid(f"type mismatch: expected {expect} but the stack is empty")
        actual = vals.pop()
        if actual != expect and actual is not UNKNOWN and expect is not UNKNOWN:
            raise _Invalid(f"type mismatch: expected {expect}, got {actual}")
        return actual

    def pop_vals(self, types: list[ValType]) -> list[ValType | None]:
        """Pop values of *types* (last type on top); returns what was popped."""
        vals = self.vals
        k = len(types)
        n = len(vals)
        if n - k >= self.ctrls[-1].height and vals[n - k :] == types:
            popped = vals[n - k :]
            del vals[n - k :]
            return popped
        popped = [self.pop_expect(t) for t in reversed(types)]
        popped.reverse()
        return popped

    def apply(self, pops: list[ValType], pushes: list[ValType]) -> None:
        """Type an instruction ``[pops] -> [pushes]``."""
        vals = self.vals
        k = len(pops)
        n = len(vals)
        if n - k >= self.ctrls[-1].height and vals[n - k :] == pops:
            vals[n - k :] = pushes
        else:
            for t in reversed(pops):
                self.pop_expect(t)
            vals.extend(pushes)

    def keep_vals(self, types: list[ValType]) -> None:
        """``push_vals(pop_vals(types))``: check the top of the stack."""
        vals = self.vals
        k = len(types)
        n = len(vals)
        if n - k >= self.ctrls[-1].height and vals[n - k :] == types:
            return
        vals.extend(self.pop_vals(types))

    # -- control stack (appendix: push_ctrl, pop_ctrl, unreachable) ---------
    def push_ctrl(self, opcode: int, start: list[ValType], end: list[ValType]) -> None:
        self.ctrls.append(Frame(opcode, start, end, len(self.vals)))
        self.vals.extend(start)

    def pop_ctrl(self) -> Frame:
        frame = self.ctrls[-1]
        vals = self.vals
        end = frame.end
        h = frame.height
        if not (len(vals) - len(end) == h and vals[h:] == end):
            self.pop_vals(end)
            if len(vals) != h:
                raise _Invalid(
                    f"type mismatch: block must end with {_fmt(end)} but the stack has {_fmt(vals[h:])}"
                )
        del vals[h:]
        self.ctrls.pop()
        return frame

    def unreachable(self) -> None:
        frame = self.ctrls[-1]
        del self.vals[frame.height :]
        frame.unreachable = True

    # -- context look-ups -----------------------------------------------------
    def label_types(self, label: int) -> list[ValType]:
        ctrls = self.ctrls
        _index(ctrls, label, "label")
        return ctrls[-1 - label].labels

    def block_type(self, bt: ValType | TypeIndex | None) -> Signature:
        if bt is None:
            return _EMPTY_SIG
        if isinstance(bt, TypeIndex):
            return _index(self.c.type_sigs, bt.index, "type")
        sig = _VALTYPE_SIGS.get(bt)
        if sig is None:
            raise _Invalid(f"invalid block type {bt!r}")
        return sig

    def table_elem(self, x: int) -> ValType:
        return _index(self.c.tables, x, "table").elem

    def need_memory(self, x: int) -> None:
        _index(self.c.mems, x, "memory")


_EMPTY_SIG: Signature = ([], [])


def _index(space: Sequence[_T], x: int, what: str) -> _T:
    """Entry ``x`` of an index space of the context (spec 3.4 "C.funcs[x] must
    be defined", ...); an index outside it is ``unknown <what> <x>``."""
    if not 0 <= x < len(space):
        raise _Invalid(f"unknown {what} {x}")
    return space[x]
_VALTYPE_SIGS: dict[ValType, Signature] = {t: ([], [t]) for t in ValType}

# ---------------------------------------------------------------------------
# Instructions with a fixed type [t1*] -> [t2*] (spec 3.3.1 numeric, 3.3.8 nop)
# ---------------------------------------------------------------------------

SIMPLE: dict[int, Signature] = {}
"""Opcode -> ``(pops, pushes)`` for instructions checked inline."""


def _simple(ops: list[Opcode], pops: list[ValType], pushes: list[ValType]) -> None:
    for op in ops:
        SIMPLE[op] = (pops, pushes)


def _ops(names: str, prefix: str = "") -> list[Opcode]:
    return [Opcode[prefix + n] for n in names.split()]


_simple([Opcode.NOP], [], [])
_simple([Opcode.I32_CONST], [], [I32])
_simple([Opcode.I64_CONST], [], [I64])
_simple([Opcode.F32_CONST], [], [F32])
_simple([Opcode.F64_CONST], [], [F64])
for _t in (I32, I64):
    _p = f"{_t.name}_"
    _simple(_ops("EQZ", _p), [_t], [I32])
    _simple(_ops("EQ NE LT_S LT_U GT_S GT_U LE_S LE_U GE_S GE_U", _p), [_t, _t], [I32])
    _simple(_ops("CLZ CTZ POPCNT EXTEND8_S EXTEND16_S", _p), [_t], [_t])
    _simple(_ops("ADD SUB MUL DIV_S DIV_U REM_S REM_U AND OR XOR SHL SHR_S SHR_U ROTL ROTR", _p), [_t, _t], [_t])
for _t in (F32, F64):
    _p = f"{_t.name}_"
    _simple(_ops("EQ NE LT GT LE GE", _p), [_t, _t], [I32])
    _simple(_ops("ABS NEG CEIL FLOOR TRUNC NEAREST SQRT", _p), [_t], [_t])
    _simple(_ops("ADD SUB MUL DIV MIN MAX COPYSIGN", _p), [_t, _t], [_t])
_simple(_ops("I64_EXTEND32_S"), [I64], [I64])
# conversions: (result, operand, opcodes)
for _res, _arg, _names in (
    (I32, I64, "I32_WRAP_I64"),
    (I32, F32, "I32_TRUNC_F32_S I32_TRUNC_F32_U I32_TRUNC_SAT_F32_S I32_TRUNC_SAT_F32_U I32_REINTERPRET_F32"),
    (I32, F64, "I32_TRUNC_F64_S I32_TRUNC_F64_U I32_TRUNC_SAT_F64_S I32_TRUNC_SAT_F64_U"),
    (I64, I32, "I64_EXTEND_I32_S I64_EXTEND_I32_U"),
    (I64, F32, "I64_TRUNC_F32_S I64_TRUNC_F32_U I64_TRUNC_SAT_F32_S I64_TRUNC_SAT_F32_U"),
    (I64, F64, "I64_TRUNC_F64_S I64_TRUNC_F64_U I64_TRUNC_SAT_F64_S I64_TRUNC_SAT_F64_U I64_REINTERPRET_F64"),
    (F32, I32, "F32_CONVERT_I32_S F32_CONVERT_I32_U F32_REINTERPRET_I32"),
    (F32, I64, "F32_CONVERT_I64_S F32_CONVERT_I64_U"),
    (F32, F64, "F32_DEMOTE_F64"),
    (F64, I32, "F64_CONVERT_I32_S F64_CONVERT_I32_U"),
    (F64, I64, "F64_CONVERT_I64_S F64_CONVERT_I64_U F64_REINTERPRET_I64"),
    (F64, F32, "F64_PROMOTE_F32"),
):
    _simple(_ops(_names), [_arg], [_res])

# ---------------------------------------------------------------------------
# Handlers for everything else, in spec order
# ---------------------------------------------------------------------------

Handler = Callable[[FuncState, Instruction], None]
HANDLERS: dict[int, Handler] = {}
"""Opcode -> handler ``(state, instruction) -> None``."""


def _handler(*ops: Opcode) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for op in ops:
            HANDLERS[op] = fn
        return fn

    return register


# -- 3.3.2 reference instructions ---------------------------------------------
@_handler(Opcode.REF_NULL)
def op_ref_null(st: FuncState, ins: Instruction) -> None:
    st.vals.append(ins.imm)


@_handler(Opcode.REF_IS_NULL)
def op_ref_is_null(st: FuncState, ins: Instruction) -> None:
    t = st.pop_val()
    if t not in _REFERENCE:
        raise _Invalid(f"type mismatch: ref.is_null expects a reference, got {t}")
    st.vals.append(I32)


@_handler(Opcode.REF_FUNC)
def op_ref_func(st: FuncState, ins: Instruction) -> None:
    x = ins.imm
    c = st.c
    _index(c.funcs, x, "function")
    if x not in c.refs:
        raise _Invalid(f"undeclared function reference {x}")
    st.vals.append(FUNCREF)


# -- 3.3.3 parametric instructions --------------------------------------------
@_handler(Opcode.DROP)
def op_drop(st: FuncState, ins: Instruction) -> None:
    st.pop_val()


@_handler(Opcode.SELECT)
def op_select(st: FuncState, ins: Instruction) -> None:
    st.pop_expect(I32)
    t1 = st.pop_val()
    t2 = st.pop_val()
    if not ((t1 in _NUMERIC and t2 in _NUMERIC) or (t1 in _VECTOR and t2 in _VECTOR)):
        raise _Invalid(f"type mismatch: select without type needs numeric operands, got {t2} and {t1}")
    if t1 != t2 and t1 is not UNKNOWN and t2 is not UNKNOWN:
        raise _Invalid(f"type mismatch: select operands {t2} and {t1} differ")
    st.vals.append(t2 if t1 is UNKNOWN else t1)


@_handler(Opcode.SELECT_T)
def op_select_t(st: FuncState, ins: Instruction) -> None:
    types = ins.imm
    if len(types) != 1:
        raise _Invalid(f"invalid result arity: select must have exactly one type, has {len(types)}")
    t = types[0]
    st.pop_expect(I32)
    st.pop_expect(t)
    st.pop_expect(t)
    st.vals.append(t)


# -- 3.3.4 variable instructions ----------------------------------------------
@_handler(Opcode.LOCAL_GET)
def op_local_get(st: FuncState, ins: Instruction) -> None:
    st.vals.append(_index(st.locals, ins.imm, "local"))


@_handler(Opcode.LOCAL_SET)
def op_local_set(st: FuncState, ins: Instruction) -> None:
    t = _index(st.locals, ins.imm, "local")
    vals = st.vals
    if len(vals) > st.ctrls[-1].height and vals[-1] == t:
        vals.pop()
    else:
        st.pop_expect(t)


@_handler(Opcode.LOCAL_TEE)
def op_local_tee(st: FuncState, ins: Instruction) -> None:
    t = _index(st.locals, ins.imm, "local")
    vals = st.vals
    if not (len(vals) > st.ctrls[-1].height and vals[-1] == t):
        st.pop_expect(t)
        vals.append(t)


@_handler(Opcode.GLOBAL_GET)
def op_global_get(st: FuncState, ins: Instruction) -> None:
    st.vals.append(_index(st.c.globals, ins.imm, "global").valtype)


@_handler(Opcode.GLOBAL_SET)
def op_global_set(st: FuncState, ins: Instruction) -> None:
    x = ins.imm
    gt = _index(st.c.globals, x, "global")
    if not gt.mutable:
        raise _Invalid(f"global is immutable: global {x}")
    st.pop_expect(gt.valtype)


# -- 3.3.5 table instructions -------------------------------------------------
@_handler(Opcode.TABLE_GET)
def op_table_get(st: FuncState, ins: Instruction) -> None:
    t = st.table_elem(ins.imm)
    st.pop_expect(I32)
    st.vals.append(t)


@_handler(Opcode.TABLE_SET)
def op_table_set(st: FuncState, ins: Instruction) -> None:
    t = st.table_elem(ins.imm)
    st.pop_expect(t)
    st.pop_expect(I32)


@_handler(Opcode.TABLE_SIZE)
def op_table_size(st: FuncState, ins: Instruction) -> None:
    st.table_elem(ins.imm)
    st.vals.append(I32)


@_handler(Opcode.TABLE_GROW)
def op_table_grow(st: FuncState, ins: Instruction) -> None:
    t = st.table_elem(ins.imm)
    st.pop_expect(I32)
    st.pop_expect(t)
    st.vals.append(I32)


@_handler(Opcode.TABLE_FILL)
def op_table_fill(st: FuncState, ins: Instruction) -> None:
    t = st.table_elem(ins.imm)
    st.pop_expect(I32)
    st.pop_expect(t)
    st.pop_expect(I32)


@_handler(Opcode.TABLE_COPY)
def op_table_copy(st: FuncState, ins: Instruction) -> None:
    dst, src = ins.imm
    t1 = st.table_elem(dst)
    t2 = st.table_elem(src)
    if t1 != t2:
        raise _Invalid(f"type mismatch: table.copy from a {t2} table into a {t1} table")
    st.apply(_THREE_I32, _NONE)


@_handler(Opcode.TABLE_INIT)
def op_table_init(st: FuncState, ins: Instruction) -> None:
    elem, table = ins.imm
    t1 = st.table_elem(table)
    t2 = _index(st.c.elems, elem, "elem segment")
    if t1 != t2:
        raise _Invalid(f"type mismatch: table.init of a {t2} segment into a {t1} table")
    st.apply(_THREE_I32, _NONE)


@_handler(Opcode.ELEM_DROP)
def op_elem_drop(st: FuncState, ins: Instruction) -> None:
    _index(st.c.elems, ins.imm, "elem segment")


# -- 3.3.6 memory instructions ------------------------------------------------
_THREE_I32 = [I32, I32, I32]
_NONE: list[ValType] = []


def _memory_access(natural: int, pops: list[ValType], pushes: list[ValType]) -> Handler:
    def op_memory_access(st: FuncState, ins: Instruction) -> None:
        if not st.c.mems:
            raise _Invalid("unknown memory 0")
        if ins.imm.align > natural:
            raise _Invalid(f"alignment must not be larger than natural ({1 << natural} bytes)")
        st.apply(pops, pushes)

    return op_memory_access


for _natural, _pops, _pushes, _names in (
    (2, [I32], [I32], "I32_LOAD"),
    (3, [I32], [I64], "I64_LOAD"),
    (2, [I32], [F32], "F32_LOAD"),
    (3, [I32], [F64], "F64_LOAD"),
    (0, [I32], [I32], "I32_LOAD8_S I32_LOAD8_U"),
    (1, [I32], [I32], "I32_LOAD16_S I32_LOAD16_U"),
    (0, [I32], [I64], "I64_LOAD8_S I64_LOAD8_U"),
    (1, [I32], [I64], "I64_LOAD16_S I64_LOAD16_U"),
    (2, [I32], [I64], "I64_LOAD32_S I64_LOAD32_U"),
    (2, [I32, I32], [], "I32_STORE"),
    (3, [I32, I64], [], "I64_STORE"),
    (2, [I32, F32], [], "F32_STORE"),
    (3, [I32, F64], [], "F64_STORE"),
    (0, [I32, I32], [], "I32_STORE8"),
    (1, [I32, I32], [], "I32_STORE16"),
    (0, [I32, I64], [], "I64_STORE8"),
    (1, [I32, I64], [], "I64_STORE16"),
    (2, [I32, I64], [], "I64_STORE32"),
):
    _handler(*_ops(_names))(_memory_access(_natural, _pops, _pushes))


@_handler(Opcode.MEMORY_SIZE)
def op_memory_size(st: FuncState, ins: Instruction) -> None:
    st.need_memory(ins.imm)
    st.vals.append(I32)


@_handler(Opcode.MEMORY_GROW)
def op_memory_grow(st: FuncState, ins: Instruction) -> None:
    st.need_memory(ins.imm)
    st.apply([I32], [I32])


@_handler(Opcode.MEMORY_FILL)
def op_memory_fill(st: FuncState, ins: Instruction) -> None:
    st.need_memory(ins.imm)
    st.apply(_THREE_I32, _NONE)


@_handler(Opcode.MEMORY_COPY)
def op_memory_copy(st: FuncState, ins: Instruction) -> None:
    dst, src = ins.imm
    st.need_memory(dst)
    st.need_memory(src)
    st.apply(_THREE_I32, _NONE)


@_handler(Opcode.MEMORY_INIT)
def op_memory_init(st: FuncState, ins: Instruction) -> None:
    data, mem = ins.imm
    st.need_memory(mem)
    if not 0 <= data < st.c.datas:
        raise _Invalid(f"unknown data segment {data}")
    st.apply(_THREE_I32, _NONE)


@_handler(Opcode.DATA_DROP)
def op_data_drop(st: FuncState, ins: Instruction) -> None:
    x = ins.imm
    if not 0 <= x < st.c.datas:
        raise _Invalid(f"unknown data segment {x}")


# -- 3.3.8 control instructions -----------------------------------------------
@_handler(Opcode.UNREACHABLE)
def op_unreachable(st: FuncState, ins: Instruction) -> None:
    st.unreachable()


@_handler(Opcode.BLOCK, Opcode.LOOP)
def op_block(st: FuncState, ins: Instruction) -> None:
    params, results = st.block_type(ins.imm)
    if params:
        st.pop_vals(params)
    st.push_ctrl(ins.opcode, params, results)


@_handler(Opcode.IF)
def op_if(st: FuncState, ins: Instruction) -> None:
    params, results = st.block_type(ins.imm)
    st.pop_expect(I32)
    if params:
        st.pop_vals(params)
    st.push_ctrl(Opcode.IF, params, results)


@_handler(Opcode.ELSE)
def op_else(st: FuncState, ins: Instruction) -> None:
    if st.ctrls[-1].opcode != Opcode.IF:
        raise _Invalid("else without a matching if")
    frame = st.pop_ctrl()
    st.push_ctrl(Opcode.ELSE, frame.start, frame.end)


@_handler(Opcode.END)
def op_end(st: FuncState, ins: Instruction) -> None:
    frame = st.pop_ctrl()
    if frame.opcode == Opcode.IF and frame.start != frame.end:
        raise _Invalid(
            f"type mismatch: if without else must have equal parameter and result types, "
            f"has {_fmt(frame.start)} -> {_fmt(frame.end)}"
        )
    st.vals.extend(frame.end)


@_handler(Opcode.BR)
def op_br(st: FuncState, ins: Instruction) -> None:
    st.pop_vals(st.label_types(ins.imm))
    st.unreachable()


@_handler(Opcode.BR_IF)
def op_br_if(st: FuncState, ins: Instruction) -> None:
    st.pop_expect(I32)
    labels = st.label_types(ins.imm)
    vals = st.vals
    if vals[len(vals) - len(labels) :] != labels or len(vals) - len(labels) < st.ctrls[-1].height:
        st.pop_vals(labels)
        vals.extend(labels)


@_handler(Opcode.BR_TABLE)
def op_br_table(st: FuncState, ins: Instruction) -> None:
    targets, default = ins.imm
    st.pop_expect(I32)
    default_types = st.label_types(default)
    arity = len(default_types)
    for label in targets:
        types = st.label_types(label)
        if len(types) != arity:
            raise _Invalid(
                f"type mismatch: br_table targets have different arities ({len(types)} for label {label}, "
                f"{arity} for the default label {default})"
            )
        st.keep_vals(types)
    st.pop_vals(default_types)
    st.unreachable()


@_handler(Opcode.RETURN)
def op_return(st: FuncState, ins: Instruction) -> None:
    st.pop_vals(st.results)
    st.unreachable()


@_handler(Opcode.CALL)
def op_call(st: FuncState, ins: Instruction) -> None:
    params, results = _index(st.c.func_sigs, ins.imm, "function")
    st.apply(params, results)


@_handler(Opcode.CALL_INDIRECT)
def op_call_indirect(st: FuncState, ins: Instruction) -> None:
    y, x = ins.imm
    t = st.table_elem(x)
    params, results = _index(st.c.type_sigs, y, "type")
    if t != FUNCREF:
        raise _Invalid(f"type mismatch: call_indirect needs a funcref table, table {x} holds {t}")
    st.pop_expect(I32)
    st.apply(params, results)


# ---------------------------------------------------------------------------
# 3.4.1 Functions
# ---------------------------------------------------------------------------


def validate_function(c: Context, func_index: int, func: Function) -> None:
    """Validate the body of *func*, the function at *func_index* of the
    function index space, under context *c* (spec 3.4.1 "Functions").

    Raises:
        ValidationError: the body is not valid; carries *func_index* and
            the byte offset of the offending instruction.
    """
    params, results = c.func_sigs[func_index]
    st = FuncState(c, params + list(func.locals), results)
    vals = st.vals
    ctrls = st.ctrls
    st.push_ctrl(Opcode.BLOCK, [], results)
    simple_get = SIMPLE.get
    handler_get = HANDLERS.get
    body = func.body
    locals_ = st.locals
    nlocals = len(locals_)
    local_get = Opcode.LOCAL_GET
    ins = None
    try:
        for ins in body:
            op = ins.opcode
            sig = simple_get(op)
            if sig is not None:
                pops, pushes = sig
                k = len(pops)
                n = len(vals) - k
                if n >= ctrls[-1].height and vals[n:] == pops:
                    vals[n:] = pushes
                else:
                    st.apply(pops, pushes)
                continue
            if op == local_get:  # the most frequent instruction: inlined (~10% faster overall)
                x = ins.imm
                if 0 <= x < nlocals:
                    vals.append(locals_[x])
                    continue
            handler = handler_get(op)
            if handler is None:
                raise _Invalid(f"unsupported instruction {op_name(op)}")
            handler(st, ins)
    except _Invalid as e:
        if ins is None:
            raise ValidationError(str(e), func_index=func_index) from None
        raise ValidationError(f"{e} at {op_name(ins.opcode)}", func_index=func_index, offset=ins.offset) from None
    except IndexError:
        if ctrls:
            raise
        raise ValidationError(
            "instructions after the end of the function body", func_index=func_index, offset=ins.offset if ins is not None else None
        ) from None
    if ctrls:
        offset = body[-1].offset if body else func.offset
        raise ValidationError("function body must end with end", func_index=func_index, offset=offset)
