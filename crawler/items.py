"""What the crawler yields: reports for `check-links`, one JSON line each (see `pipelines`), and copies
of pages for whatever pipeline keeps them.

A check's fields are the `checks` table's contract, so they are defined in the core package
(`linkkeeper.health.check_record`), where `check-links` reads them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from linkkeeper.health.check_record import CheckItem

__all__ = ["PAGE_COPIES_SETTING", "REPORTS", "CheckItem", "NetworkItem", "PageCopy", "ProbeItem"]

# The Scrapy setting listing the outcomes (`warning`, `ok`) whose pages the spider sends a PageCopy of.
PAGE_COPIES_SETTING = "LINKKEEPER_PAGE_COPIES"


@dataclass
class NetworkItem:
    """Sent once the canaries have answered (or not): `up` false means no target was checked."""

    up: bool
    canaries: list[dict] = field(default_factory=list)


@dataclass
class ProbeItem:
    """A host's fresh answer for a path that cannot exist, sent once it came, for `check-links` to keep (`probes`
    table) and hand to the runs of the next `probe_reuse_days`: `answer` is crawler.rules.probe_answers' form."""

    host: str  # crawler.rules.soft404.probe_key: scheme, host and port
    probed_at: str
    status: int | None
    final_url: str | None
    server: str | None
    answer: str


@dataclass
class PageCopy:
    """A checked page's response as fetched, yielded only for the outcomes in PAGE_COPIES_SETTING: the
    archive's WARC spool (archive.warc.SpoolPipeline) keeps it in case the page is submitted. Not a report."""

    target: int
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    truncated: bool


REPORTS = (CheckItem, NetworkItem, ProbeItem)
