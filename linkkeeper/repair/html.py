"""Repairing an HTML report: only the `href` of each repaired `<a>` changes, and a link sent to an
archived copy gets Robust Links attributes.

The page is tokenized, never re-serialized: a parser that rebuilds the tree would rewrite quoting,
entities and white space on every line. Each `<a>` start tag is found where it stands (`HTMLParser`
gives its position and its raw text) and its `href` value is replaced in place.

Robust Links (https://robustlinks.mementoweb.org/spec/) keeps what a careful editor keeps: the link
leads to the archived copy, `data-originalurl` holds the address the report cited, `data-versionurl`
the copy and `data-versiondate` the day it was captured, so the original is never lost.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from linkkeeper.importer.html import LOST_TARGET
from linkkeeper.repair.changes import ARCHIVED, Change, Fix, Repaired
from linkkeeper.repair.edits import Edit, Lines, apply, decode, encode
from linkkeeper.repair.plan import Plan

ROBUST_LINKS = ("data-originalurl", "data-versionurl", "data-versiondate")
_ATTRIBUTE = re.compile(r"""(\s)([^\s"'>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


@dataclass(frozen=True)
class Anchor:
    start: int  # offset of its start tag
    tag: str  # the start tag as written
    href: str | None  # None when it has none
    shown: str  # its visible text
    url: str | None  # where it leads, made absolute; None when it cannot be

    def fix(self, plan: Plan) -> Fix | None:
        """A lost link (no target, `#`, `javascript:`) is filled in by its words; any other by its address."""
        if self.href is None or LOST_TARGET.match(self.href):
            return plan.for_lost(self.shown) if self.shown else None
        return plan.for_url(self.url) if self.url else None


def anchors(text: str, lines: Lines, page_url: str | None = None) -> list[Anchor]:
    """Every `<a>` of the text (whose `lines` they are), where it stands; Markdown's raw HTML is read with this too."""
    reader = _Anchors(lines, page_url)
    reader.feed(text)
    reader.close()
    return reader.anchors


def repair_html(data: bytes, plan: Plan, page_url: str | None = None) -> Repaired:
    text = decode(data)
    lines = Lines(text)
    edits, changes = [], []
    for anchor in anchors(text, lines, page_url):
        fix = anchor.fix(plan)
        if fix is None:
            continue
        changes.append(Change(lines.where(anchor.start), (anchor.href or "").strip(), fix))
        if fix.target is not None:
            edits.append(Edit(anchor.start, anchor.start + len(anchor.tag), retagged(anchor.tag, fix)))
    return Repaired(encode(apply(text, edits)), changes)


def retagged(tag: str, fix: Fix) -> str:
    """The start tag with its new `href` (and, for a copy, its Robust Links attributes); the rest as written."""
    values = {"href": fix.target or ""}
    if fix.kind == ARCHIVED:
        values |= {
            "data-originalurl": fix.original, "data-versionurl": fix.target or "",
            "data-versiondate": fix.version_date or "",
        }
        values = {name: value for name, value in values.items() if value}
    head, end = (tag[:-2], tag[-2:]) if tag.endswith("/>") else (tag[:-1], tag[-1:])
    written: set[str] = set()

    def replace(match: re.Match) -> str:
        name = match.group(2).lower()
        if name not in values:
            return match.group()
        written.add(name)
        quote = '"' if not match.group(4) or match.group(4)[0] != "'" else "'"
        return f"{match.group(1)}{match.group(2)}{match.group(3) or '='}{quote}{_escaped(values[name], quote)}{quote}"

    head = _ATTRIBUTE.sub(replace, head)
    added = "".join(f' {name}="{_escaped(value, chr(34))}"' for name, value in values.items() if name not in written)
    return head + added + end


def _escaped(value: str, quote: str) -> str:
    escaped = html.escape(value, quote=False)
    return escaped.replace(quote, "&quot;" if quote == '"' else "&#x27;")


class _Anchors(HTMLParser):
    """Each `<a>`: its offset, its start tag as written, its `href` (None without one), its visible text."""

    def __init__(self, lines: Lines, page_url: str | None):
        super().__init__(convert_charrefs=True)
        self.lines = lines
        self.base = page_url
        self.based = False
        self.anchors: list[Anchor] = []
        self.open: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "base" and attributes.get("href") and not self.based:  # a browser takes the first
            self.base, self.based = urljoin(self.base or "", attributes["href"].strip()), True
        if tag != "a":
            return
        self._close()
        start = self.lines.offset(*self.getpos())
        self.open = [start, self.get_starttag_text() or "", attributes.get("href"), []]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open[3].append(data)

    def close(self) -> None:
        super().close()
        self._close()

    def absolute(self, href: str) -> str | None:
        href = href.strip()
        if urlsplit(href).scheme:
            return href
        return urljoin(self.base, href) if self.base else None

    def _close(self) -> None:
        if self.open is not None:
            start, tag, href, shown = self.open
            url = self.absolute(href) if href is not None else None
            self.anchors.append(Anchor(start, tag, href, " ".join("".join(shown).split()), url))
            self.open = None
