"""How the dashboard shows one value, on every page: Datasette's tables and queries (through `render_cell`)
and linkkeeper's own pages, so a time, a state, a URL or an archived copy reads the same everywhere.

- a time reads "3 days ago (2026-11-29 19:00 NZDT)", the exact time in the list's zone written beside it;
- a state is a badge in its vocabulary colour, its text at WCAG AA contrast;
- a listed URL opens its link page (under its title, where the row has one); the page itself is one click
  away, behind an explicit ↗;
- an archived copy reads "archived 2019-06-05" and links to the copy.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from markupsafe import Markup

from linkkeeper.health.vocabulary import STATES
from linkkeeper.output import times

PLUGIN = "linkkeeper"
LINK_PAGE = "/-/link"
STATE_COLUMNS = ("state", "now", "was")
URL_COLUMNS = ("url",)
COPY_COLUMNS = ("archive_url", "archived_copy")
# Stored times are ISO 8601 with an offset; a column is a time when its value looks like one (names vary).
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")


def zone_of(datasette) -> ZoneInfo:
    """The list's time zone, which `linkkeeper dashboard` puts in the metadata for linkkeeper's plugins."""
    return ZoneInfo((datasette.plugin_config(PLUGIN) or {}).get("timezone", "UTC"))


def now() -> str:
    return datetime.now(UTC).isoformat()


def link_page(url: str) -> str:
    return f"{LINK_PAGE}?url={quote(url, safe='')}"


def when(iso: str, where: tzinfo, at: str) -> Markup:
    """`3 days ago (2026-11-29 19:00 NZDT)`: the exact time is written out, not only on hover (a phone has none)."""
    exact = times.exact(iso, where)
    return Markup('<time datetime="{}" title="{}">{}</time> <span class="exact">({})</span>').format(
        iso, exact, times.ago(iso, at), exact
    )


def badge(state: str) -> Markup:
    term = STATES[state]
    return Markup('<span class="state state-{}">{}</span>').format(term.name, term.label)


def external(url: str) -> Markup:
    """The page itself, said to be outside the dashboard; only web addresses are links."""
    if not url.startswith(("http://", "https://")):
        return Markup("")
    return Markup(
        ' <a class="external" href="{}" rel="noopener noreferrer" title="open {} (outside the dashboard)"'
        ' aria-label="open the page itself">↗</a>'
    ).format(url, url)


def listed_url(url: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(link_page(url), url) + external(url)


def titled_link(url: str, title: str | None) -> Markup:
    """A listed link as people know it: its title first (opening its link page), its address under it."""
    if not title:
        return listed_url(url)
    return Markup('<a class="title" href="{}">{}</a><br><span class="address">{}</span>').format(
        link_page(url), title, url
    ) + external(url)


def copy(archive_url: str, archived_at: str | None) -> Markup:
    words = times.archived_words(archive_url, archived_at)
    return Markup('<a class="copy" href="{}" title="{}">{}</a>').format(archive_url, archive_url, words)


def render(column: str, value: Any, row: dict[str, Any], where: tzinfo, at: str) -> Markup | None:
    """The markup for one cell, or None where Datasette's own rendering is right."""
    if not isinstance(value, str) or not value:
        return None
    if column in STATE_COLUMNS and value in STATES:
        return badge(value)
    if column in URL_COLUMNS and value.startswith(("http://", "https://", "mailto:")):
        return listed_url(value)
    if column in COPY_COLUMNS and value.startswith(("http://", "https://")):
        return copy(value, row.get("archived_at") or row.get("captured_at"))
    if ISO_TIME.match(value):
        return when(value, where, at)
    return None
