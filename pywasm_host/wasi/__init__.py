"""WASI hosts: ``wasi_snapshot_preview1`` served to core modules.

``WasiConfig`` describes the program's world, ``wasi_imports(store, config)``
builds the host functions, ``ExitTrap`` reports ``proc_exit``.
"""

from ._exit import ExitTrap
from .config import WasiConfig
from .errno import Errno
from .preview1 import Preview1, WasiImports, wasi_imports

__all__ = ["ExitTrap", "WasiConfig", "Errno", "Preview1", "WasiImports", "wasi_imports"]
