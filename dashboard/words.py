"""What people read for the dashboard's columns and facets: headers in words (never a SQL name), percentages
marked as such, states by their label. The JSON and CSV exports keep the SQL names, for programs."""

from __future__ import annotations

from linkkeeper.health.vocabulary import STATES

COLUMN_LABELS = {
    "url": "Link",
    "title": "Title",
    "kind": "Kind",
    "section": "Section",
    "state": "State",
    "reason": "Evidence",
    "since": "Since",
    "dead_since": "Dead since",
    "first_failed": "First failed",
    "failing_since": "Failing since",
    "archived_copy": "Archived copy",
    "archive_url": "Archived copy",
    "archive_status": "Archive",
    "archived_at": "Archived",
    "moved_to": "Moved to",
    "was": "Was",
    "now": "Now",
    "checked_at": "Checked",
    "last_checked": "Last checked",
    "uptime_30_days": "Uptime (30 days, %)",
    "uptime_90_days": "Uptime (90 days, %)",
    "checks_90_days": "Checks (90 days)",
    "average_ms": "Average (ms)",
    "slowest_ms": "Slowest (ms)",
    "checks": "Checks",
    "coverage": "Archive coverage",
    "links": "Links",
    "percent": "Share of the list (%)",
    "at": "When",
    "event": "What happened",
    "status_code": "HTTP status",
    "finding": "Finding",
    "elapsed_ms": "Response time (ms)",
    "median_ms": "Median (ms)",
    "detail": "Detail",
    "address": "Address reached",
}
# What a canned query's parameter asks for.
PARAMETER_LABELS = {"url": "The link's address (URL)"}


def column(name: str) -> str:
    """A column's header: its words, else its name with spaces (a column added later still reads)."""
    return COLUMN_LABELS.get(name) or name.replace("_", " ").capitalize()


def facet_value(name: str, value: object) -> str:
    """A facet's value as the tables show it: a state by its label, an empty value as "none"."""
    if name == "state" and value in STATES:
        return STATES[value].label
    return "none" if value in (None, "") else str(value)
