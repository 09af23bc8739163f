"""The state changes of the links, newest first, for the feed of changes (`report --format atom`, the dashboard's
`/-/changes.atom`). Every check whose state differs from the one before is kept forever (queries.roll_up), so the
history holds them all; the feed reads the last FEED_DAYS by the checks' time index, each compared with its link's
check before (by the index on resource and id), and keeps the newest FEED_ENTRIES."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

FEED_DAYS = 90
FEED_ENTRIES = 100

STATE_CHANGES = """
select c.id, c.run_id, c.url, c.checked_at, c.before, c.state, c.reason, c.finding, c.last_status, c.moved_to,
  r.title, r.section, r.archive_url
from (
  select c.id, c.run_id, c.resource_id, c.url, c.checked_at, c.state, c.reason, c.finding,
    c.status_code as last_status, c.moved_to, (
    select p.state from checks p where p.resource_id = c.resource_id and p.id < c.id order by p.id desc limit 1
  ) as before
  from checks c where c.checked_at >= :since
) c join resources r on r.id = c.resource_id
where c.state is not coalesce(c.before, 'ok') and not (c.before is null and c.state = 'unknown')
order by c.checked_at desc, c.id desc limit :limit
"""
"""A link's first check is a change only when it finds the link at risk or dead: a new list is no news."""
FIRST_RUN = "select min(started_at) as started_at from runs"
"""When the database's history began: with a check's id, what names an entry of the feed for good."""


def since(now: str, days: int = FEED_DAYS) -> str:
    return (datetime.fromisoformat(now) - timedelta(days=days)).isoformat()


def state_changes(db: Database, now: str) -> tuple[list[dict[str, Any]], str | None]:
    """The newest state changes of the last FEED_DAYS (at most FEED_ENTRIES), and when the history began."""
    rows = list(db.query(STATE_CHANGES, {"since": since(now), "limit": FEED_ENTRIES}))
    return rows, db.execute(FIRST_RUN).fetchone()[0]
