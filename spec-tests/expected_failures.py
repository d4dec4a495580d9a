"""The explicit expected-failure list of the spec suite under pytest (the goal is an empty list).

Each entry maps a ``.wast`` file name (without extension) of the non-SIMD 2.0 set to the reason it
is known to fail on ``pywasm_host``: ``EXPECTED_FAILURES`` for the wast2json (JSON) form,
``EXPECTED_FAILURES_WAST`` for the ``.wast`` form read by our text-format parser.
``test_spec_suite.py`` marks these files ``xfail(strict=True)`` so a file that starts passing must
be removed from here; ``run.py`` prints the reason beside the file.
"""

from __future__ import annotations

__all__ = ["EXPECTED_FAILURES", "EXPECTED_FAILURES_WAST"]

EXPECTED_FAILURES: dict[str, str] = {}

EXPECTED_FAILURES_WAST: dict[str, str] = {}
