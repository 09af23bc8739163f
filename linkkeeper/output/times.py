"""Times as people read them: "3 days ago", with the exact time in the list's time zone beside it or on hover.

The database keeps UTC ISO 8601 (a public contract, and what sorts); only what a person reads (the
dashboard, `status` and `history`, the reports) goes through here. A relative time alone cannot be
checked against a calendar and goes stale on paper, so it always travels with the exact local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

# A Wayback Machine copy's address carries its capture time: /web/20190605123456/...
WAYBACK_TIMESTAMP = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/")

# (seconds in the unit, its name, how many of it before the next unit reads better)
UNITS = (
    (60, "minute", 90),
    (3600, "hour", 36),
    (86400, "day", 60),
    (86400 * 30, "month", 24),
    (86400 * 365, "year", None),
)


def parse(iso: str) -> datetime:
    """A stored time; one without an offset is UTC, as linkkeeper writes every time."""
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def exact(iso: str, where: tzinfo) -> str:
    """`2026-11-29 19:37 NZDT`: minutes are enough for a person, the zone's abbreviation says which clock."""
    return parse(iso).astimezone(where).strftime("%Y-%m-%d %H:%M %Z")


def day(iso: str, where: tzinfo) -> str:
    return parse(iso).astimezone(where).strftime("%Y-%m-%d")


def ago(iso: str, now: str) -> str:
    """How long before `now` (or after: a certificate's expiry) `iso` is, in the largest unit that reads well."""
    seconds = (parse(now) - parse(iso)).total_seconds()
    span = abs(seconds)
    if span < 45:
        return "just now"
    count, name = round(span), "second"
    for size, unit, up_to in UNITS:
        count, name = max(1, round(span / size)), unit
        if up_to is None or count < up_to:
            break
    amount = f"{count} {name}{'' if count == 1 else 's'}"
    return f"{amount} ago" if seconds > 0 else f"in {amount}"


def human(iso: str | None, where: tzinfo, now: str, never: str = "never") -> str:
    """`3 days ago (2026-11-26 19:37 NZDT)`, for text that cannot hover: the terminal, e-mail, markdown."""
    return f"{ago(iso, now)} ({exact(iso, where)})" if iso else never


def captured(archive_url: str | None, archived_at: str | None) -> str | None:
    """When an archived copy was captured: recorded, else read from the copy's address; None if unknown."""
    if archived_at:
        return archived_at
    found = WAYBACK_TIMESTAMP.search(archive_url or "")
    return from_wayback(found.group(1)) if found else None


def from_wayback(timestamp: str) -> str:
    """A capture's 14-digit Wayback Machine timestamp as an ISO time, UTC."""
    return datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()


def archived_words(archive_url: str | None, archived_at: str | None) -> str | None:
    """`archived 2019-08-01`: how a copy is named wherever it is offered to a person. The date is the archive's
    own (UTC, as its address writes it: /web/20190801.../), not shifted into the list's zone, so that it is the
    date the Wayback Machine shows on the copy."""
    if not archive_url:
        return None
    moment = captured(archive_url, archived_at)
    return f"archived {parse(moment).astimezone(UTC):%Y-%m-%d}" if moment else "archived copy"
