"""A minimal scan of a module binary for exports whose type mentions ``v128`` (spec 5.5 "Modules").

wasmtime-py 50 aborts the whole process (a Rust panic, not an exception) as soon as Python code
touches a ``v128`` value type — converting arguments, reading a function's type, reading a
global.  The wasmtime adapter therefore has to know, *before* touching an export, whether its
type involves ``v128``.  This scanner reads just enough of the type, import, function, global and
export sections (spec 5.5.4, 5.5.5, 5.5.6, 5.5.9, 5.5.10) to answer that (typed 3.0 references
abort it too, so they count as well); for anything it does not understand (3.0 type forms) it says
so and the adapter refuses every function and global export.  It is a test-harness helper, not a
decoder.
"""

from __future__ import annotations

__all__ = ["V128", "v128_exports"]

V128 = 0x7B
SAFE_VALTYPES = frozenset({0x7F, 0x7E, 0x7D, 0x7C, 0x70, 0x6F})  # i32 i64 f32 f64 funcref externref


class _Unsupported(Exception):
    pass


class _Reader:
    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise _Unsupported("unexpected end")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result
            if shift > 70:
                raise _Unsupported("LEB too long")

    def skip(self, n: int) -> None:
        if self.pos + n > self.end:
            raise _Unsupported("unexpected end")
        self.pos += n

    def name(self) -> str:
        n = self.uleb()
        start = self.pos
        self.skip(n)
        return self.data[start : self.pos].decode("utf-8", errors="replace")

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result - (1 << shift) if b & 0x40 else result
            if shift > 70:
                raise _Unsupported("LEB too long")

    def valtype(self) -> bool:
        """Read a value type; whether wasmtime-py can handle it (no v128, no typed reference)."""
        code = self.byte()
        if code in (0x63, 0x64):  # (ref null? heaptype)
            self.sleb()
            return False
        return code in SAFE_VALTYPES

    def limits(self) -> None:
        flags = self.byte()
        self.uleb()
        if flags & 1:
            self.uleb()

    def const_expr(self) -> None:
        """Skip a 2.0 constant expression up to its ``end``."""
        while True:
            op = self.byte()
            if op == 0x0B:
                return
            if op in (0x41, 0x42, 0x23, 0xD2):  # i32.const i64.const global.get ref.func
                self.uleb()
            elif op == 0x43:
                self.skip(4)
            elif op == 0x44:
                self.skip(8)
            elif op == 0xD0:  # ref.null t
                self.sleb()
            elif op in (0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E):  # extended-const add/sub/mul
                pass
            elif op == 0xFD:  # v128.const
                if self.uleb() != 12:
                    raise _Unsupported("non-constant SIMD op")
                self.skip(16)
            else:
                raise _Unsupported(f"opcode {op:#x} in a constant expression")


def _scan(data: bytes) -> set[str]:
    reader = _Reader(data, 8)
    func_types: list[bool] = []  # per type index: mentions v128
    funcs: list[bool] = []  # per function index
    globals_: list[bool] = []  # per global index
    tainted: set[str] = set()
    while reader.pos < reader.end:
        section_id = reader.byte()
        size = reader.uleb()
        body = _Reader(data, reader.pos, reader.pos + size)
        reader.skip(size)
        if section_id == 1:
            for _ in range(body.uleb()):
                if body.byte() != 0x60:
                    raise _Unsupported("non-function type")
                safe = [body.valtype() for _ in range(body.uleb())]
                safe += [body.valtype() for _ in range(body.uleb())]
                func_types.append(not all(safe))
        elif section_id == 2:
            for _ in range(body.uleb()):
                body.name()
                body.name()
                kind = body.byte()
                if kind == 0:
                    index = body.uleb()
                    funcs.append(index < len(func_types) and func_types[index])
                elif kind == 1:
                    body.valtype()
                    body.limits()
                elif kind == 2:
                    body.limits()
                elif kind == 3:
                    globals_.append(not body.valtype())
                    body.byte()
                else:
                    raise _Unsupported(f"import kind {kind}")
        elif section_id == 3:
            for _ in range(body.uleb()):
                index = body.uleb()
                funcs.append(index < len(func_types) and func_types[index])
        elif section_id == 6:
            for _ in range(body.uleb()):
                globals_.append(not body.valtype())
                body.byte()
                body.const_expr()
        elif section_id == 7:
            for _ in range(body.uleb()):
                name = body.name()
                kind = body.byte()
                index = body.uleb()
                if (kind == 0 and index < len(funcs) and funcs[index]) or (
                    kind == 3 and index < len(globals_) and globals_[index]
                ):
                    tainted.add(name)
    return tainted


def v128_exports(data: bytes) -> set[str] | None:
    """Names of function/global exports whose type mentions ``v128`` or a typed (3.0) reference.

    Returns ``None`` when the binary cannot be scanned (the caller then treats every function and
    global export as untouchable).
    """
    try:
        return _scan(data)
    except _Unsupported:
        return None
