"""JSON between the processes of a run, and the one place that says which JSON library encodes what.

A run's processes hand each other many small documents: the job and its targets (a crawler's job file, a
distributed run's job in Redis) and a record for every check coming back (a line each on a crawler's
standard output, or through Redis). They are encoded and decoded here, by orjson: on a typical check record
it encodes in about 2 µs against the standard library's 7, and decodes in about 1.3 µs against 6; the
decoding is done by check-links itself, the one process that reads every crawler (about 0.23 ms of CPU per
link in all, docs/benchmarks.md), so a link costs it some 2% less. Nothing outside a run reads these bytes.

Everything else uses the standard library's `json`: what people and programs read (`--json` outputs, the
JSON report, the dashboard's metadata) and what the database keeps. Their bytes are a contract (indent,
`ensure_ascii`, the separators) that orjson does not write alike, and none of them is written per check.
No module but this one imports orjson (tests/test_json_lines.py holds it).
"""

from __future__ import annotations

from typing import Any

import orjson

DecodeError = orjson.JSONDecodeError
"""A document that is not JSON (a `ValueError`, and the standard library's `json.JSONDecodeError`)."""


def dumps(document: Any) -> bytes:
    """One document, compact, UTF-8."""
    return orjson.dumps(document)


def line(document: Any) -> bytes:
    """One document as a line of JSON lines: `dumps` and a newline."""
    return orjson.dumps(document, option=orjson.OPT_APPEND_NEWLINE)


def loads(text: bytes | str) -> Any:
    """A document from `dumps` or `line` (a line's newline, and any other white space around it, is allowed)."""
    return orjson.loads(text)
