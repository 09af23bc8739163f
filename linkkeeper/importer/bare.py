"""Addresses printed as plain text in a report (no markup links them): web addresses, mail addresses,
and the words around them that say what they are.

Printed addresses end where prose resumes, so the punctuation that closes a sentence or a parenthesis
around an address is not part of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_WEB = re.compile(r"""(?:https?://|www\.)[^\s<>"'`\[\]{}|\\^]+""", re.IGNORECASE)
_MAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TRAILING = ".,;:!?'\"\u2019\u201d)"
_LABEL = re.compile(r"(?:\b(?:link|url|web(?:site)?|see|at|and|or)\s*:?|[-\u2013\u2014:|(])\s*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


@dataclass(frozen=True)
class Printed:
    start: int
    end: int
    text: str  # as printed
    url: str


def printed_addresses(text: str) -> Iterator[Printed]:
    """Web addresses first, then mail addresses outside them, in the order they stand in the text."""
    found = [_web(match) for match in _WEB.finditer(text)]
    taken = [(one.start, one.end) for one in found]
    for match in _MAIL.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            address = match.group()
            found.append(Printed(match.start(), match.end(), address, _mailto(address)))
    yield from sorted(found, key=lambda one: one.start)


def _web(match: re.Match) -> Printed:
    printed = match.group()
    while printed and printed[-1] in _TRAILING:
        if printed[-1] == ")" and printed.count("(") >= printed.count(")"):
            break
        printed = printed[:-1]
    url = printed if "://" in printed else f"http://{printed}"
    return Printed(match.start(), match.start() + len(printed), printed, url)


def _mailto(address: str) -> str:
    return address if address.lower().startswith("mailto:") else f"mailto:{address}"


def is_address(text: str) -> bool:
    """Whether a link's text is just an address: then its title must come from the words around it."""
    text = text.strip()
    return any(one.start == 0 and one.end == len(text) for one in printed_addresses(text))


def title_around(block: str, printed: str) -> str:
    """What the words before an address say about it: its clause, less labels such as `Link:`, or the
    block's first sentence when the clause says nothing; empty rather than invented."""
    at = block.find(printed)
    before = block[: at if at >= 0 else len(block)]
    for one in printed_addresses(before):
        before = before.replace(one.text, " ")
    clause = _strip_labels(_SENTENCE_END.split(before)[-1])
    if _WORD.search(clause):
        return clause
    first = _strip_labels(_SENTENCE_END.split(block.replace(printed, " ").strip())[0])
    return first if _WORD.search(first) else ""


def _strip_labels(text: str) -> str:
    text = " ".join(text.split())
    while (stripped := _LABEL.sub("", text).strip()) != text:
        text = stripped
    return text
