"""Repairing Markdown and plain-text reports by editing each link's target where it is written.

The document is never rendered and written back: Markdown has many spellings of one link, and a
re-rendered file would differ on every line. Each link is found where it stands (an inline link's
destination, a reference definition, an autolink `<...>`, an address printed bare) and only that
target is replaced; a raw HTML `<a>` is repaired as in an HTML report. Code (fenced, indented, or in
backticks) is left alone.

A careful editor keeps what the reader saw: an inline link keeps its text and gets the copy as its
target (a Wayback address holds the original one, so it stays readable); an address printed in the
text stays visible, as the text of a link to the copy. Plain text has no link syntax, so a bare
address there is replaced by the copy's address, which still holds the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt

from linkkeeper.importer.bare import printed_addresses
from linkkeeper.importer.html import LOST_TARGET
from linkkeeper.repair.changes import ARCHIVED, Change, Fix, Repaired
from linkkeeper.repair.edits import Edit, Lines, apply, decode, encode
from linkkeeper.repair.html import Anchor, anchors, retagged
from linkkeeper.repair.plan import Plan

_BLOCKS = MarkdownIt("commonmark", {"html": True}).enable("table")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_REFERENCE = re.compile(r"^ {0,3}\[((?:[^\[\]\\\n]|\\.)+)\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class _Link:
    start: int  # of the span replaced
    end: int
    target: str  # as written
    shape: str  # destination, autolink, bare, or anchor (raw HTML `<a>`)
    text: str = ""  # the visible text, for a lost link
    bracketed: bool = False  # a destination written `<...>`: the span is inside the brackets
    anchor: Anchor | None = None


def repair_markdown(data: bytes, plan: Plan) -> Repaired:
    return _repair(data, plan, bare_as_link=True)


def repair_text(data: bytes, plan: Plan) -> Repaired:
    return _repair(data, plan, bare_as_link=False)


def _repair(data: bytes, plan: Plan, bare_as_link: bool) -> Repaired:
    text = decode(data)
    lines = Lines(text)
    edits, changes = [], []
    for link in _links(text, lines):
        fix = _fix(link, plan)
        if fix is None:
            continue
        changes.append(Change(lines.where(link.start), link.target, fix))
        if fix.target is not None:
            edits.append(Edit(link.start, link.end, _written(link, fix, bare_as_link)))
    return Repaired(encode(apply(text, edits)), changes)


def _fix(link: _Link, plan: Plan) -> Fix | None:
    if link.anchor:
        return link.anchor.fix(plan)
    if link.shape == "destination" and LOST_TARGET.match(link.target):
        return plan.for_lost(link.text) if link.text else None
    return plan.for_url(link.target)


def _written(link: _Link, fix: Fix, bare_as_link: bool) -> str:
    """The new target in the link's own shape; an address the reader saw stays visible."""
    target = fix.target or ""
    if link.anchor:
        return retagged(link.anchor.tag, fix)
    if link.shape == "destination":
        return target if link.bracketed else _as_destination(target)
    if link.shape == "autolink":
        return f"[{link.target}]({_as_destination(target)})" if fix.kind == ARCHIVED else f"<{target}>"
    return f"[{link.target}]({_as_destination(target)})" if bare_as_link and fix.kind == ARCHIVED else target


def _as_destination(target: str) -> str:
    """A link destination as CommonMark reads it: in `<...>` when it holds spaces, brackets or unbalanced
    parentheses, which would end it early."""
    depth = 0
    for char in target:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    return f"<{target}>" if depth or re.search(r"[\s<>]", target) else target


def _links(text: str, lines: Lines) -> Iterator[_Link]:
    """Every link target written in the text, outside code, in order."""
    taken = _code(text, lines)
    found: list[_Link] = []

    def free(start: int, end: int) -> bool:
        return not any(start < until and end > since for since, until in taken)

    for anchor in anchors(text, lines):
        if free(anchor.start, anchor.start + len(anchor.tag)):
            end = anchor.start + len(anchor.tag)
            found.append(_Link(anchor.start, end, (anchor.href or "").strip(), "anchor", anchor=anchor))
    taken += [match.span() for match in _TAG.finditer(text) if not _AUTOLINK.fullmatch(match.group())]

    for match in _REFERENCE.finditer(text):
        if free(*match.span()):
            found.append(_destination(match.group(2), match.start(2), match.group(1)))
            taken.append(match.span())
    for link, spans in _inline(text, free):
        if link:
            found.append(link)
        taken += spans
    for match in _AUTOLINK.finditer(text):
        if free(*match.span()):
            found.append(_Link(match.start(), match.end(), match.group(1), "autolink"))
            taken.append(match.span())
    for printed in printed_addresses(text):
        if free(printed.start, printed.end) and printed.text.lower().startswith(("http", "www.")):
            found.append(_Link(printed.start, printed.end, printed.text, "bare"))
    yield from sorted(found, key=lambda link: link.start)


def _destination(written: str, start: int, shown: str) -> _Link:
    if written.startswith("<") and written.endswith(">"):
        return _Link(start + 1, start + len(written) - 1, written[1:-1], "destination", shown, bracketed=True)
    return _Link(start, start + len(written), written, "destination", shown)


def _inline(text: str, free) -> Iterator[tuple[_Link | None, list[tuple[int, int]]]]:
    """Inline links `[text](target "title")`, with the spans no other link can be in (its text, its target);
    an image `![...](...)` is no link, but its target is no printed address either."""
    for match in re.finditer(r"\]\(", text):
        close = match.start()
        opening = _opening_bracket(text, close)
        if opening is None or not free(opening, close + 2):
            continue
        at = match.end()
        while at < len(text) and text[at] in " \t":
            at += 1
        written = _written_destination(text, at)
        if written is None:
            continue
        shown = " ".join(text[opening + 1 : close].split())
        link = _destination(written, at, shown)
        spans = [(opening, close + 1), (at, at + len(written))]
        yield (None if opening > 0 and text[opening - 1] == "!" else link), spans


def _written_destination(text: str, at: int) -> str | None:
    """The destination as written from `at`: `<...>`, or up to white space or the `)` that closes the link."""
    if text.startswith("<", at):
        end = text.find(">", at)
        return text[at : end + 1] if end > 0 and "\n" not in text[at:end] else None
    depth, end = 0, at
    while end < len(text) and not text[end].isspace():
        char = text[end]
        if char == "\\":
            end += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    rest = text[end:].lstrip(" \t\n")
    return text[at:end] if rest.startswith((")", '"', "'", "(")) else None


def _opening_bracket(text: str, close: int) -> int | None:
    """The `[` that opens the link text closing at `close`, within its paragraph."""
    depth = 0
    for at in range(close - 1, max(-1, close - 2000), -1):
        char = text[at]
        if at > 0 and text[at - 1] == "\\":
            continue
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                return at
            depth -= 1
        elif char == "\n" and text[at - 1 : at] == "\n":
            return None
    return None


def _code(text: str, lines: Lines) -> list[tuple[int, int]]:
    """Spans of fenced and indented code blocks, and of code spans in backticks."""
    spans = []
    for token in _BLOCKS.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            end = lines.starts[last] if last < len(lines.starts) else len(text)
            spans.append((lines.starts[first], end))
    return spans + [match.span() for match in _CODE_SPAN.finditer(text)]
