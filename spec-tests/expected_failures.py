"""The explicit expected-failure list of the spec suite under pytest (the goal is an empty list).

Each entry maps a ``.wast`` file name (without extension) of the non-SIMD 2.0 set to the reason it
is known to fail on ``pywasm_host``.  ``test_spec_suite.py`` marks these files ``xfail(strict=True)``
so a file that starts passing must be removed from here; ``run.py`` prints the reason beside the file.
"""

from __future__ import annotations

__all__ = ["EXPECTED_FAILURES"]

EXPECTED_FAILURES: dict[str, str] = {}
