"""What the archive step does for each link: submit it, look up its archived copy, or nothing.

Submitting an error page would archive the error, so a dead link, or one whose page is now a
not-found page, a parked domain or a home-page redirect, is never submitted: its newest good
capture from before it started failing is looked up instead. A link at risk that still serves its
content (moved, certificate expiring, first network failures) is submitted, unless captured recently.
A copy found by a look-up that did not verify it (before verification existed) is looked up again once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from linkkeeper.config.settings import ArchivePolicy
from linkkeeper.health.findings import broken
from linkkeeper.health.vocabulary import ARCHIVED, AT_RISK, EXCLUDED, LOST, OK, REFUSED

SAVE, LOOKUP = "save", "lookup"


def decide(link: dict[str, Any], policy: ArchivePolicy, now: datetime) -> str | None:
    """`save`, `lookup` or None, for one row of the `link_health` view."""
    state = link["state"]
    if broken(state, link["finding"], suspicion_counts=True):
        return LOOKUP if _lookup_due(link, policy, now) or _unverified(link) else None
    if state == AT_RISK or (state == OK and policy.preserve_ok):
        return None if _settled_within(link, policy.resave_after_days, now) else SAVE
    return None


def spooled_outcomes(policy: ArchivePolicy) -> list[str]:
    """Check outcomes whose response the crawler keeps as WARC, as they may be submitted."""
    return ["warning", "ok"] if policy.preserve_ok else ["warning"]


def _lookup_due(link: dict[str, Any], policy: ArchivePolicy, now: datetime) -> bool:
    """Once per failing episode; a page found lost is looked for again after the resave window."""
    checked = link["archive_checked_at"]
    if not checked or (link["failing_since"] and checked < link["failing_since"]):
        return True
    if link["archive_status"] == LOST:
        return now - datetime.fromisoformat(checked) >= timedelta(days=policy.resave_after_days)
    return False


def _unverified(link: dict[str, Any]) -> bool:
    """A copy readers are sent to that was never fetched and judged to show the page."""
    return link["archive_status"] == ARCHIVED and not link["archive_verified_at"]


def _settled_within(link: dict[str, Any], days: float, now: datetime) -> bool:
    """Captured within the window, or refused by the archive within it (excluded, blocked): not again yet."""
    refused = link["archive_status"] in (EXCLUDED, REFUSED)
    moment = link["archive_checked_at"] if refused else link["archived_at"]
    return bool(moment) and now - datetime.fromisoformat(moment) < timedelta(days=days)
