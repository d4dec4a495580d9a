"""The translator: a validated function body to the machine's code (spec 4.4
"Instructions", realised ahead of time).

Wasm is a stack machine whose stack heights are static, so the translator
gives every operand-stack position a fixed *register* in the function's
register file ``R``::

    R = [locals (params first) | operand stack slots | constants]

and emits one handler per instruction that reads its operands from
registers and writes its result to the slot of the stack position it
produces. ``local.get`` and constants emit nothing: the compile-time stack
entry simply names the local's (or the constant's) register, so an
``i32.add`` of a local and a constant reads them directly. Such *deferred*
entries are copied into their own slot ("materialised") before anything
could change what they name (a ``local.set``/``local.tee`` of that local),
before entering a block (so that every path into a label sees values in the
same registers), and where a label needs them. A ``local.set``/``local.tee``
right after the instruction that produced its value retargets that
instruction to write the local directly.

Blocks and loops emit nothing; a branch is one handler that moves the
label's values into the label's slots and returns the target index; ``if``
is a conditional jump. ``return`` puts the results in ``R[0:n]``.
Unreachable code after ``br``/``return``/``unreachable`` is skipped.

The translator trusts the validator: it runs only on valid modules.

With fuel (``machine.STATE.fuel_mode`` on when a function is first
translated) the code also carries fuel handlers: an entry check (which also charges the
first straight-line segment), a charge at the end of every later segment (before each branch, call,
return, ``if``/``else``/``end`` and loop entry) for the instructions it
executed, and a check at every loop header — wasmtime's accounting, so the
fuel left after a call matches wasmtime's. Code translated without fuel has
none of these handlers.

A direct call to a host function that wants its caller (its callable has a
true ``wants_caller_instance`` attribute) is bound to a wrapper that records
the calling instance in ``machine.STATE.caller`` for the duration of the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..binary.opcodes import Opcode as O
from ..runtime.instances import HostFunction, WasmFunction
from ..runtime.values import f32_from_bits, f64_from_bits
from ..syntax.module import Instruction, TypeIndex
from ..syntax.types import ValType
from . import machine
from .machine import op_fuel_charge, op_fuel_check, op_fuel_enter
from .ops_control import (
    op_br_if,
    op_br_table,
    op_br_unless,
    op_call,
    op_call_indirect,
    op_copy,
    op_jump,
    op_return,
    op_unreachable,
)
from .ops_memory import (
    LOAD_FACTORIES,
    STORE_FACTORIES,
    op_data_drop,
    op_memory_copy,
    op_memory_fill,
    op_memory_grow,
    op_memory_init,
    op_memory_size,
)
from .ops_numeric import BINARY_FACTORIES, UNARY_FACTORIES
from .ops_table import (
    op_elem_drop,
    op_ref_is_null,
    op_table_copy,
    op_table_fill,
    op_table_get,
    op_table_grow,
    op_table_init,
    op_table_set,
    op_table_size,
)
from .ops_variable import op_global_get, op_global_set, op_select

__all__ = ["compile_function", "zero_value"]

Execute = Callable[[list[Any], list[Any]], None]


def zero_value(t: ValType) -> Any:
    """The default value of a local of type ``t`` (spec 4.2.1 "Values")."""
    if t == ValType.I32 or t == ValType.I64 or t == ValType.V128:
        return 0
    if t == ValType.F32 or t == ValType.F64:
        return 0.0
    return None


FREE_OPCODES = frozenset({O.NOP, O.DROP, O.BLOCK, O.LOOP, O.UNREACHABLE, O.RETURN, O.ELSE, O.END})
"""Instructions that cost no fuel (wasmtime's rule); every other costs 1."""

FUEL_FLUSH_OPCODES = frozenset({O.UNREACHABLE, O.RETURN, O.CALL, O.CALL_INDIRECT, O.LOOP, O.IF, O.ELSE, O.END,
                                O.BR, O.BR_IF, O.BR_TABLE})
"""Instructions that end a straight-line segment: the fuel of the segment
(including the instruction itself) is charged before them."""


class Label:
    """A branch target; ``pos`` is the record index it is bound to."""

    __slots__ = ("pos", "used")

    def __init__(self, pos: int | None = None) -> None:
        self.pos = pos
        self.used = False


class Frame:
    """A control frame of the translation (cf. the validator's ctrl frames)."""

    __slots__ = ("kind", "height", "nparams", "nresults", "label", "else_label", "unreachable", "has_else")

    def __init__(self, kind: str, height: int, nparams: int, nresults: int, label: Label,
                 else_label: Label | None = None) -> None:
        self.kind = kind
        self.height = height
        self.nparams = nparams
        self.nresults = nresults
        self.label = label
        self.else_label = else_label
        self.unreachable = False
        self.has_else = False

    @property
    def arity(self) -> int:
        return self.nparams if self.kind == "loop" else self.nresults


class Record:
    """One handler to build once positions are known. Standard records build
    ``factory(*srcs, dst?, *extra, nxt)``; custom ones call ``build``."""

    __slots__ = ("factory", "srcs", "dst", "extra", "build")

    def __init__(self, factory: Callable[..., Any] | None, srcs: tuple[int, ...], dst: int | None,
                 extra: tuple[Any, ...], build: Callable[..., Any] | None = None) -> None:
        self.factory = factory
        self.srcs = srcs
        self.dst = dst
        self.extra = extra
        self.build = build


class Translator:
    def __init__(self, fn: WasmFunction, execute: Execute, fuel: bool = False) -> None:
        self.fn = fn
        self.fuel = fuel
        self.fuel_pending = 0
        self.fuel_entry: list[int] | None = [1] if fuel else None  # cost charged on entry, while still open
        self.inst = fn.instance
        self.execute = execute
        ftype = fn.type
        self.local_types = list(ftype.params) + list(fn.func.locals)
        self.nl = len(self.local_types)
        self.stack: list[int] = []
        self.maxh = 0
        self.consts: list[Any] = []
        self.const_ids: dict[tuple[Any, ...], int] = {}
        self.records: list[Record] = []
        self.bound: set[int] = set()
        self.ctrl: list[Frame] = [Frame("func", 0, 0, len(ftype.results), Label())]

    # -- stack and registers -----------------------------------------------
    def push_slot(self) -> int:
        h = len(self.stack)
        r = self.nl + h
        self.stack.append(r)
        if h + 1 > self.maxh:
            self.maxh = h + 1
        return r

    def push_reg(self, r: int) -> None:
        self.stack.append(r)
        if len(self.stack) > self.maxh:
            self.maxh = len(self.stack)

    def pop(self) -> int:
        return self.stack.pop()

    def pop_n(self, n: int) -> tuple[int, ...]:
        if n == 0:
            return ()
        regs = tuple(self.stack[-n:])
        del self.stack[-n:]
        return regs

    def const(self, key: tuple[Any, ...], value: Any) -> None:
        k = self.const_ids.get(key)
        if k is None:
            k = self.const_ids[key] = len(self.consts)
            self.consts.append(value)
        self.push_reg(-k - 1)

    def materialize(self, i: int) -> None:
        slot = self.nl + i
        r = self.stack[i]
        if r != slot:
            self.emit(op_copy, (r,), slot)
            self.stack[i] = slot

    def materialize_all(self) -> None:
        for i in range(len(self.stack)):
            self.materialize(i)

    def materialize_top(self, n: int) -> None:
        for i in range(len(self.stack) - n, len(self.stack)):
            self.materialize(i)

    # -- emission ----------------------------------------------------------
    def emit(self, factory: Callable[..., Any], srcs: tuple[int, ...], dst: int | None, *extra: Any) -> None:
        self.records.append(Record(factory, srcs, dst, extra))

    def emit_custom(self, build: Callable[..., Any]) -> None:
        self.records.append(Record(None, (), None, (), build))

    def bind(self, label: Label) -> None:
        label.pos = len(self.records)
        self.bound.add(label.pos)

    def moves_to(self, frame: Frame) -> tuple[tuple[int, int], ...]:
        """(src, dst) pairs putting the branch values into ``frame``'s slots;
        in ascending destination order no destination clobbers a later source."""
        n = frame.arity
        base = self.nl + frame.height
        top = self.stack[len(self.stack) - n:] if n else []
        return tuple((r, base + i) for i, r in enumerate(top) if r != base + i)

    def retarget(self, popped: int, target: int) -> bool:
        """Make the last handler write ``target`` instead of the slot ``popped``."""
        if not self.records or len(self.records) in self.bound:
            return False
        last = self.records[-1]
        if last.build is not None or last.dst != popped or popped < self.nl:
            return False
        last.dst = target
        return True

    # -- the walk ------------------------------------------------------------
    def run(self) -> tuple[list[Any], list[Any]]:
        body = self.fn.func.body
        handlers = self.HANDLERS
        fuel = self.fuel
        if fuel:
            entry = self.fuel_entry
            assert entry is not None
            self.emit_custom(lambda reg, lab, nxt: op_fuel_enter(entry[0], nxt))
        i = 0
        n = len(body)
        while i < n:
            ins = body[i]
            i += 1
            op = ins.opcode
            if self.ctrl and self.ctrl[-1].unreachable:
                i = self.skip_dead(body, i - 1)
                continue
            if fuel:
                self.fuel_before(op)
            f = BINARY_FACTORIES.get(op)
            if f is not None:
                b = self.pop()
                a = self.pop()
                self.emit(f, (a, b), self.push_slot())
                continue
            f = UNARY_FACTORIES.get(op)
            if f is not None:
                a = self.pop()
                self.emit(f, (a,), self.push_slot())
                continue
            g = LOAD_FACTORIES.get(op)
            if g is not None:
                a = self.pop()
                self.emit(g, (a,), self.push_slot(), ins.imm.offset, self.inst.mems[0])
                continue
            g = STORE_FACTORIES.get(op)
            if g is not None:
                v = self.pop()
                a = self.pop()
                self.emit(g, (a, v), None, ins.imm.offset, self.inst.mems[0])
                continue
            handlers[op](self, ins)
        return self.finish()

    def fuel_before(self, op: int) -> None:
        if op not in FREE_OPCODES:
            self.fuel_pending += 1
        if op in FUEL_FLUSH_OPCODES:
            cost = self.fuel_pending
            self.fuel_pending = 0
            entry = self.fuel_entry
            if entry is not None:
                # The first segment runs once per call, right after the entry
                # check: its cost is charged there (one handler less per call).
                entry[0] += cost
                self.fuel_entry = None
            elif cost:
                self.emit_custom(lambda reg, lab, nxt: op_fuel_charge(cost, nxt))

    def skip_dead(self, body: tuple[Instruction, ...], i: int) -> int:
        """Skip unreachable instructions up to the ``else``/``end`` closing the
        current frame, and translate that one."""
        depth = 0
        n = len(body)
        while i < n:
            op = body[i].opcode
            if op in (O.BLOCK, O.LOOP, O.IF):
                depth += 1
            elif op == O.END:
                if depth == 0:
                    self.op_end(body[i])
                    return i + 1
                depth -= 1
            elif op == O.ELSE and depth == 0:
                self.op_else(body[i])
                return i + 1
            i += 1
        return i

    def finish(self) -> tuple[list[Any], list[Any]]:
        const_base = self.nl + self.maxh

        def reg(r: int) -> int:
            return r if r >= 0 else const_base - r - 1

        def lab(x: Any) -> Any:
            return x.pos + 1 if isinstance(x, Label) else x

        code: list[Any] = [None]
        for index, rec in enumerate(self.records):
            nxt = index + 2
            if rec.build is not None:
                code.append(rec.build(reg, lab, nxt))
                continue
            args = [reg(s) for s in rec.srcs]
            if rec.dst is not None:
                args.append(reg(rec.dst))
            args.extend(lab(x) for x in rec.extra)
            code.append(rec.factory(*args, nxt))  # type: ignore[misc]
        template = [zero_value(t) for t in self.local_types]
        template.extend([None] * self.maxh)
        template.extend(self.consts)
        return code, template

    # -- control -------------------------------------------------------------
    def block_arity(self, bt: Any) -> tuple[int, int]:
        if bt is None:
            return 0, 0
        if isinstance(bt, TypeIndex):
            ft = self.inst.types[bt.index]
            return len(ft.params), len(ft.results)
        return 0, 1

    def op_block(self, ins: Instruction) -> None:
        np_, nr = self.block_arity(ins.imm)
        self.materialize_all()
        self.ctrl.append(Frame("block", len(self.stack) - np_, np_, nr, Label()))

    def op_loop(self, ins: Instruction) -> None:
        np_, nr = self.block_arity(ins.imm)
        self.materialize_all()
        label = Label()
        self.bind(label)
        if self.fuel:
            self.emit_custom(lambda reg, lab, nxt: op_fuel_check(nxt))
        self.ctrl.append(Frame("loop", len(self.stack) - np_, np_, nr, label))

    def op_if(self, ins: Instruction) -> None:
        np_, nr = self.block_arity(ins.imm)
        c = self.pop()
        self.materialize_all()
        else_label = Label()
        self.emit(op_br_unless, (c,), None, else_label)
        self.ctrl.append(Frame("if", len(self.stack) - np_, np_, nr, Label(), else_label))

    def reset_stack(self, frame: Frame, n: int) -> None:
        del self.stack[frame.height:]
        for _ in range(n):
            self.push_slot()

    def op_else(self, ins: Instruction) -> None:
        frame = self.ctrl[-1]
        if not frame.unreachable:
            self.materialize_top(frame.nresults)
            frame.label.used = True
            self.emit(op_jump, (), None, (), frame.label)
        assert frame.else_label is not None
        self.bind(frame.else_label)
        frame.has_else = True
        frame.unreachable = False
        self.reset_stack(frame, frame.nparams)

    def op_end(self, ins: Instruction) -> None:
        frame = self.ctrl.pop()
        if frame.kind == "func":
            self.end_function(frame)
            return
        needs_slots = frame.label.used or frame.kind == "if"
        if not frame.unreachable and needs_slots:
            self.materialize_top(frame.nresults)
        if frame.kind == "if" and not frame.has_else:
            assert frame.else_label is not None
            self.bind(frame.else_label)
        if frame.kind != "loop":
            self.bind(frame.label)
        if frame.unreachable or needs_slots:
            self.reset_stack(frame, frame.nresults)

    def end_function(self, frame: Frame) -> None:
        n = frame.nresults
        if not frame.unreachable:
            if not frame.label.used:
                self.emit_return(self.pop_n(n))
                return
            self.materialize_top(n)
        self.bind(frame.label)
        self.emit_return(tuple(range(self.nl, self.nl + n)))

    def emit_return(self, srcs: tuple[int, ...]) -> None:
        self.emit_custom(lambda reg, lab, nxt: op_return(tuple(reg(s) for s in srcs), nxt))

    def emit_branch(self, frame: Frame, factory: Callable[..., Any], cond: int | None) -> None:
        moves = self.moves_to(frame)
        frame.label.used = True
        label = frame.label

        def build(reg: Callable[[int], int], lab: Callable[[Any], Any], nxt: int) -> Any:
            resolved = tuple((reg(s), d) for s, d in moves)
            if cond is None:
                return factory(resolved, lab(label), nxt)
            return factory(reg(cond), resolved, lab(label), nxt)

        self.emit_custom(build)

    def op_br(self, ins: Instruction) -> None:
        frame = self.ctrl[-1 - ins.imm]
        if frame.kind == "func":
            self.emit_return(tuple(self.stack[len(self.stack) - frame.nresults:]) if frame.nresults else ())
        else:
            self.emit_branch(frame, op_jump, None)
        self.ctrl[-1].unreachable = True

    def op_br_if(self, ins: Instruction) -> None:
        c = self.pop()
        self.emit_branch(self.ctrl[-1 - ins.imm], op_br_if, c)

    def op_br_table(self, ins: Instruction) -> None:
        labels, default = ins.imm
        i = self.pop()
        targets = []
        for depth in (*labels, default):
            frame = self.ctrl[-1 - depth]
            frame.label.used = True
            targets.append((frame.label, self.moves_to(frame)))

        def build(reg: Callable[[int], int], lab: Callable[[Any], Any], nxt: int) -> Any:
            branches = [(tuple((reg(s), d) for s, d in moves), lab(label)) for label, moves in targets]
            return op_br_table(reg(i), branches, nxt)

        self.emit_custom(build)
        self.ctrl[-1].unreachable = True

    def op_return(self, ins: Instruction) -> None:
        n = self.ctrl[0].nresults
        self.emit_return(tuple(self.stack[len(self.stack) - n:]) if n else ())
        self.ctrl[-1].unreachable = True

    def op_unreachable(self, ins: Instruction) -> None:
        self.emit(op_unreachable, (), None)
        self.ctrl[-1].unreachable = True

    def op_nop(self, ins: Instruction) -> None:
        pass

    def emit_call(self, callee: Any, nparams: int, nresults: int) -> None:
        srcs = self.pop_n(nparams)
        dst = self.nl + len(self.stack)
        for _ in range(nresults):
            self.push_slot()
        execute, ensure = self.execute, ensure_compiled
        self.emit_custom(
            lambda reg, lab, nxt: op_call(callee, tuple(reg(s) for s in srcs), dst, execute, ensure, nxt))

    def op_call(self, ins: Instruction) -> None:
        callee = self.inst.funcs[ins.imm]
        if isinstance(callee, HostFunction) and getattr(callee.callable, "wants_caller_instance", False):
            callee = with_caller(callee, self.inst)
        self.emit_call(callee, len(callee.type.params), len(callee.type.results))

    def op_call_indirect(self, ins: Instruction) -> None:
        type_index, table_index = ins.imm
        ft = self.inst.types[type_index]
        table = self.inst.tables[table_index]
        i = self.pop()
        srcs = self.pop_n(len(ft.params))
        dst = self.nl + len(self.stack)
        for _ in range(len(ft.results)):
            self.push_slot()
        execute, ensure = self.execute, ensure_compiled
        self.emit_custom(lambda reg, lab, nxt: op_call_indirect(
            table, ft, reg(i), tuple(reg(s) for s in srcs), dst, execute, ensure, nxt))

    # -- parametric and variable --------------------------------------------
    def op_drop(self, ins: Instruction) -> None:
        self.pop()

    def op_select(self, ins: Instruction) -> None:
        c = self.pop()
        b = self.pop()
        a = self.pop()
        self.emit(op_select, (a, b, c), self.push_slot())

    def op_local_get(self, ins: Instruction) -> None:
        self.push_reg(ins.imm)

    def materialize_refs(self, x: int) -> None:
        for i, r in enumerate(self.stack):
            if r == x:
                self.materialize(i)

    def op_local_set(self, ins: Instruction) -> None:
        x = ins.imm
        v = self.pop()
        if v == x:
            return
        if x in self.stack:
            self.materialize_refs(x)
            self.emit(op_copy, (v,), x)
        elif not self.retarget(v, x):
            self.emit(op_copy, (v,), x)

    def op_local_tee(self, ins: Instruction) -> None:
        x = ins.imm
        v = self.pop()
        if v != x:
            if x in self.stack:
                self.materialize_refs(x)
                self.emit(op_copy, (v,), x)
            elif not self.retarget(v, x):
                self.emit(op_copy, (v,), x)
        self.push_reg(x)

    def op_global_get(self, ins: Instruction) -> None:
        self.emit(op_global_get, (), self.push_slot(), self.inst.globals[ins.imm])

    def op_global_set(self, ins: Instruction) -> None:
        self.emit(op_global_set, (self.pop(),), None, self.inst.globals[ins.imm])

    # -- constants and references ------------------------------------------
    def op_i32_const(self, ins: Instruction) -> None:
        self.const(("i", ins.imm), ins.imm)

    def op_f32_const(self, ins: Instruction) -> None:
        self.const(("f32", ins.imm), f32_from_bits(ins.imm))

    def op_f64_const(self, ins: Instruction) -> None:
        self.const(("f64", ins.imm), f64_from_bits(ins.imm))

    def op_ref_null(self, ins: Instruction) -> None:
        self.const(("null",), None)

    def op_ref_func(self, ins: Instruction) -> None:
        self.const(("func", ins.imm), self.inst.funcs[ins.imm])

    def op_ref_is_null(self, ins: Instruction) -> None:
        a = self.pop()
        self.emit(op_ref_is_null, (a,), self.push_slot())

    # -- memory ----------------------------------------------------------------
    def op_memory_size(self, ins: Instruction) -> None:
        self.emit(op_memory_size, (), self.push_slot(), self.inst.mems[0])

    def op_memory_grow(self, ins: Instruction) -> None:
        a = self.pop()
        self.emit(op_memory_grow, (a,), self.push_slot(), self.inst.mems[0])

    def op_memory_fill(self, ins: Instruction) -> None:
        srcs = self.pop_n(3)
        self.emit(op_memory_fill, srcs, None, self.inst.mems[0])

    def op_memory_copy(self, ins: Instruction) -> None:
        srcs = self.pop_n(3)
        self.emit(op_memory_copy, srcs, None, self.inst.mems[0])

    def op_memory_init(self, ins: Instruction) -> None:
        data_index = ins.imm[0] if isinstance(ins.imm, tuple) else ins.imm
        srcs = self.pop_n(3)
        self.emit(op_memory_init, srcs, None, self.inst.datas, data_index, self.inst.mems[0])

    def op_data_drop(self, ins: Instruction) -> None:
        self.emit(op_data_drop, (), None, self.inst.datas, ins.imm)

    # -- tables ------------------------------------------------------------------
    def op_table_get(self, ins: Instruction) -> None:
        i = self.pop()
        self.emit(op_table_get, (i,), self.push_slot(), self.inst.tables[ins.imm])

    def op_table_set(self, ins: Instruction) -> None:
        srcs = self.pop_n(2)
        self.emit(op_table_set, srcs, None, self.inst.tables[ins.imm])

    def op_table_size(self, ins: Instruction) -> None:
        self.emit(op_table_size, (), self.push_slot(), self.inst.tables[ins.imm])

    def op_table_grow(self, ins: Instruction) -> None:
        srcs = self.pop_n(2)
        self.emit(op_table_grow, srcs, self.push_slot(), self.inst.tables[ins.imm])

    def op_table_fill(self, ins: Instruction) -> None:
        srcs = self.pop_n(3)
        self.emit(op_table_fill, srcs, None, self.inst.tables[ins.imm])

    def op_table_copy(self, ins: Instruction) -> None:
        dst, src = ins.imm
        srcs = self.pop_n(3)
        self.emit(op_table_copy, srcs, None, self.inst.tables[dst], self.inst.tables[src])

    def op_table_init(self, ins: Instruction) -> None:
        elem_index, table_index = ins.imm
        srcs = self.pop_n(3)
        self.emit(op_table_init, srcs, None, self.inst.tables[table_index], self.inst.elems, elem_index)

    def op_elem_drop(self, ins: Instruction) -> None:
        self.emit(op_elem_drop, (), None, self.inst.elems, ins.imm)

    HANDLERS: dict[O, Callable[[Translator, Instruction], None]] = {}


Translator.HANDLERS.update({
    O.BLOCK: Translator.op_block,
    O.LOOP: Translator.op_loop,
    O.IF: Translator.op_if,
    O.ELSE: Translator.op_else,
    O.END: Translator.op_end,
    O.BR: Translator.op_br,
    O.BR_IF: Translator.op_br_if,
    O.BR_TABLE: Translator.op_br_table,
    O.RETURN: Translator.op_return,
    O.UNREACHABLE: Translator.op_unreachable,
    O.NOP: Translator.op_nop,
    O.CALL: Translator.op_call,
    O.CALL_INDIRECT: Translator.op_call_indirect,
    O.DROP: Translator.op_drop,
    O.SELECT: Translator.op_select,
    O.SELECT_T: Translator.op_select,
    O.LOCAL_GET: Translator.op_local_get,
    O.LOCAL_SET: Translator.op_local_set,
    O.LOCAL_TEE: Translator.op_local_tee,
    O.GLOBAL_GET: Translator.op_global_get,
    O.GLOBAL_SET: Translator.op_global_set,
    O.I32_CONST: Translator.op_i32_const,
    O.I64_CONST: Translator.op_i32_const,
    O.F32_CONST: Translator.op_f32_const,
    O.F64_CONST: Translator.op_f64_const,
    O.REF_NULL: Translator.op_ref_null,
    O.REF_FUNC: Translator.op_ref_func,
    O.REF_IS_NULL: Translator.op_ref_is_null,
    O.MEMORY_SIZE: Translator.op_memory_size,
    O.MEMORY_GROW: Translator.op_memory_grow,
    O.MEMORY_FILL: Translator.op_memory_fill,
    O.MEMORY_COPY: Translator.op_memory_copy,
    O.MEMORY_INIT: Translator.op_memory_init,
    O.DATA_DROP: Translator.op_data_drop,
    O.TABLE_GET: Translator.op_table_get,
    O.TABLE_SET: Translator.op_table_set,
    O.TABLE_SIZE: Translator.op_table_size,
    O.TABLE_GROW: Translator.op_table_grow,
    O.TABLE_FILL: Translator.op_table_fill,
    O.TABLE_COPY: Translator.op_table_copy,
    O.TABLE_INIT: Translator.op_table_init,
    O.ELEM_DROP: Translator.op_elem_drop,
})
from . import compile_simd as _compile_simd  # noqa: E402, F401  (registers the vector instructions)


def with_caller(fn: HostFunction, inst: Any) -> HostFunction:
    """``fn`` bound to a call site in ``inst``: records ``inst`` as the caller."""
    s = machine.STATE
    inner = fn.callable

    def call(args: list[Any]) -> list[Any]:
        saved = s.caller
        s.caller = inst
        try:
            return inner(args)
        finally:
            s.caller = saved
    return HostFunction(fn.type, call, fn.name)


def ensure_compiled(fn: WasmFunction) -> list[Any]:
    """Translate ``fn`` if it has not been translated yet; return its code."""
    if fn.code is None:
        compile_function(fn)
    return fn.code  # type: ignore[return-value]


def compile_function(fn: WasmFunction, execute: Execute | None = None, fuel: bool | None = None) -> list[Any]:
    """Translate ``fn``'s body once and install it (``fn.template`` first,
    then ``fn.code``, which marks the function ready). ``fuel`` (default:
    ``machine.STATE.fuel_mode``) adds fuel accounting to the code."""
    if fuel is None:
        fuel = machine.STATE.fuel_mode
    code, template = Translator(fn, execute or machine.execute, fuel).run()
    fn.template = template
    fn.code = code
    return code
