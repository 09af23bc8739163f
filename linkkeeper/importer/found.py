"""What an import finds in a report: links for the list, lost links for a person, and what it left out.

A lost link (an anchor whose target the copy lost) is kept apart from the links: inventing its address
would put a wrong URL in the list with the report's authority. Everything left out is counted, so a
person can see that nothing was dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from linkkeeper.urls import archived_original, normalize

TITLE_LIMIT = 120

# Fragments that only move the reader within a page's furniture, not to a distinct part of the document.
_FURNITURE = {"", "top", "main", "content", "main-content", "maincontent", "skip", "skip-to-content", "page"}
_KIND_WORDS = {
    "toolkit": r"\btool ?kits?\b",
    "knowledge-base": r"\bknowledge[ -]base\b",
    "programme": r"\bprogram(me)?s?\b",
    "report": r"\b(report|survey)s?\b",
}


@dataclass(frozen=True)
class Link:
    url: str
    title: str
    section: str
    cited_as: str
    kind: str | None = None


@dataclass(frozen=True)
class Lost:
    text: str
    section: str
    cited_as: str


@dataclass
class Extraction:
    links: list[Link] = field(default_factory=list)
    lost: list[Lost] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    unread: list[tuple[str, str]] = field(default_factory=list)  # pages of a web report that failed, and why

    def add_link(self, url: str, title: str, section: str, cited_as: str) -> None:
        """A URL cited twice is one resource: the first citation names it. An archived copy cited (as a
        repaired report cites a dead page) stands for the page it is a copy of."""
        url = resource_url(archived_original(url) or url)
        if any(key(link.url) == key(url) for link in self.links):
            return
        self.links.append(Link(url, clip_title(title), section, cited_as, guess_kind(url, title)))

    def add_lost(self, text: str, section: str, cited_as: str) -> None:
        lost = Lost(clip_title(text), section, cited_as)
        if lost not in self.lost:
            self.lost.append(lost)

    def extend(self, other: Extraction) -> None:
        for link in other.links:
            if all(key(link.url) != key(seen.url) for seen in self.links):
                self.links.append(link)
        for lost in other.lost:
            if lost not in self.lost:
                self.lost.append(lost)
        self.skipped.update(other.skipped)


def key(url: str) -> str:
    """Two spellings of one address compare equal: scheme and host case, default port, trailing slash."""
    parts = urlsplit(normalize(url))
    return urlunsplit(parts._replace(path=parts.path.rstrip("/")))


def resource_url(url: str) -> str:
    """The URL without a fragment that only points at page furniture (`#top`, `#content`)."""
    base, _, fragment = url.partition("#")
    return base if fragment.lower() in _FURNITURE else url


def guess_kind(url: str, title: str) -> str | None:
    """A kind only where the source says it: a mail address is a contact; a title naming one kind of resource."""
    if url.lower().startswith("mailto:"):
        return "contact"
    named = [kind for kind, words in _KIND_WORDS.items() if re.search(words, title, re.IGNORECASE)]
    return named[0] if len(named) == 1 else None


def clip_title(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= TITLE_LIMIT:
        return text
    return text[: TITLE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
