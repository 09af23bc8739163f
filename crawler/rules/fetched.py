"""The plain facts of one fetch, and the verdict made from them: the vocabulary of the verdict's rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import TypeVar
from urllib.parse import urlsplit

from crawler.rules.page import EMPTY, Page
from linkkeeper.health.findings import FINDINGS, outcome

T = TypeVar("T")

WEB_SCHEMES = ("http:", "https:")


@dataclass(frozen=True)
class Hop:
    url: str
    status: int | str


@dataclass(frozen=True)
class Fetch:
    """What one check saw: the final response (or the error) and the redirects that led to it."""

    url: str
    status: int | None = None
    final_url: str | None = None
    chain: tuple[Hop, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    page: Page = EMPTY
    cert_expires: datetime | None = None
    cert_valid_from: datetime | None = None
    mail_servers: tuple[str, ...] = ()
    error_class: str | None = None
    error: str | None = None
    elapsed_ms: int | None = None  # the downloads' time (crawler/downloader/timing.py), not the time spent queued
    _answers: dict[Callable, object] = field(default_factory=dict, init=False, compare=False, repr=False)

    def once(self, rule: Callable[[Fetch], T]) -> T:
        """`rule`'s answer for this fetch, worked out at its first asking: a fetch never changes, and some rules
        are asked twice of each page (the wall, by `needs_probe` and then by `judge`)."""
        if rule not in self._answers:
            self._answers[rule] = rule(self)
        return self._answers[rule]

    @property
    def landed(self) -> str:
        """Where the fetch ended: the final URL after redirects."""
        return self.final_url or self.url

    @property
    def path(self) -> str:
        return urlsplit(self.landed).path or "/"


@dataclass(frozen=True)
class Verdict:
    finding: str
    detail: str
    moved_to: str | None = None

    @property
    def outcome(self) -> str:
        return outcome(self.finding)

    @property
    def category(self) -> str:
        return FINDINGS[self.finding].category

    @property
    def error_class(self) -> str | None:
        """A failed transfer's class, stored with the check (`dns`, `timeout`, `http`, ...)."""
        return self.finding if self.category == "transfer" else None


def status_line(status: int | None, *, on_the_wire: bool = False) -> str:
    """A status with its reason phrase, `404 Not Found`. A status with no registered phrase reads `HTTP 599`
    where people read it, and `599` alone `on_the_wire`, where the line must begin with the code (the
    response line of a WARC record, archive.warc)."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status) if on_the_wire else f"HTTP {status}"

