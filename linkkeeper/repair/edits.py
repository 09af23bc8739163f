"""Edits to a document's own text at exact offsets, so that every byte not edited stays as it was.

Text formats are decoded with `surrogateescape`: a byte that is not UTF-8 (a report saved as Windows-1252)
comes back out unchanged, so decoding never rewrites what the repair does not touch.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


class Lines:
    """Line numbers of offsets in a text, for the change log."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def where(self, offset: int) -> str:
        return f"line {bisect.bisect_right(self.starts, offset)}"

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column



def apply(text: str, edits: list[Edit]) -> str:
    """The text with each edit made; edits never overlap (each is one link's own target)."""
    out, at = [], 0
    for edit in sorted(edits, key=lambda one: one.start):
        out += [text[at : edit.start], edit.text]
        at = edit.end
    out.append(text[at:])
    return "".join(out)
