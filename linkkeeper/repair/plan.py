"""What each listed link becomes in the report, decided from the list and its health history.

A reader is sent to an archived copy only when the page is dead and its copy was verified to show the
page (the archive step passes parked, error and wall captures over); a page that is at risk, unknown or
live may recover, so its link is left alone. A move is followed only when several checks in a row saw
the same permanent redirect: one answer can be a site's passing mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from linkkeeper.config.resources import Config, Resource
from linkkeeper.health.vocabulary import ARCHIVED as COPY_FOUND
from linkkeeper.health.vocabulary import DEAD, EXCLUDED
from linkkeeper.health.vocabulary import LOST as NO_GOOD_COPY
from linkkeeper.importer.found import key
from linkkeeper.importer.lost_links import names
from linkkeeper.output.times import captured
from linkkeeper.repair.changes import ARCHIVED, FILLED, LOST, MOVED, Fix
from linkkeeper.store import queries

LOST_CITATIONS = ("#", "")
_NO_COPY = {
    COPY_FOUND: "its archived copy is not verified yet (check-links verifies it at its next run): left as it is",
    NO_GOOD_COPY: "no good archived copy found: left for a person",
    EXCLUDED: "the Wayback Machine excludes this site: left for a person",
}
_NOT_ASKED = "the Wayback Machine was not asked yet, or is still being asked (check-links asks it): left as it is"
_SINCE = re.compile(r"\s*\((?:failing|dead) since .*$")


@dataclass
class Plan:
    """`fixes` by `import_found.key` of the listed URL; `identified` are the resources a person named for a
    lost link (listed with `cited_as: "#"` or `""`), with their fix or None when the link is fine as listed."""

    fixes: dict[str, Fix] = field(default_factory=dict)
    identified: list[tuple[str, str, Fix | None]] = field(default_factory=list)  # title, url, fix

    def for_url(self, url: str) -> Fix | None:
        return self.fixes.get(key(url))

    def for_lost(self, text: str) -> Fix | None:
        """The fill for a `#` or empty link with this visible text: the one identified resource it names."""
        named = [(url, fix) for title, url, fix in self.identified if names(text, title)]
        if len(named) != 1:
            return None  # none, or two a person must choose between
        url, fix = named[0]
        if fix is None:
            return Fix(FILLED, url, url, "its address was lost; identified in the list")
        if fix.target is None:
            return None
        return Fix(FILLED, url, fix.target, f"its address was lost; identified in the list, then {fix.why}",
                   fix.captured_at)


def plan_of(db: Database, config: Config) -> Plan:
    health = {row["url"]: row for row in queries.link_health(db)}
    moves, followed = queries.confirmed_moves(db), queries.followed_moves(db)
    plan = Plan()
    for resource in config.resources:
        row = health.get(resource.url)
        fix = _fix(resource, row, moves.get(row["id"]) if row else None) if row else None
        if fix:
            plan.fixes[key(resource.url)] = fix
        if row and row["id"] in followed:  # the report still prints the address the list moved on from
            old = followed[row["id"]]
            plan.fixes[key(old)] = fix or Fix(MOVED, old, resource.url, f"the page moved permanently to {resource.url}")
        if resource.cited_as in LOST_CITATIONS:
            plan.identified.append((resource.title, resource.url, fix))
    return plan


def _fix(resource: Resource, row: dict[str, Any], moved_to: str | None) -> Fix | None:
    if row["state"] == DEAD:
        gone = f"the page is gone ({_SINCE.sub('', row['reason'] or 'no answer')})"
        if row["archive_status"] == COPY_FOUND and row["archive_url"] and row.get("archive_verified_at"):
            moment = captured(row["archive_url"], row["archived_at"])
            when = f" of {day(moment)}" if moment else ""
            return Fix(ARCHIVED, resource.url, row["archive_url"], f"{gone}; archived copy{when}", moment)
        return Fix(LOST, resource.url, None, f"{gone}; {_NO_COPY.get(row['archive_status'], _NOT_ASKED)}")
    if moved_to:
        return Fix(MOVED, resource.url, moved_to, f"the page moved permanently to {moved_to}")
    return None


def day(iso: str) -> str:
    """A capture's day as a reader says it, `1 August 2019`: the UTC day its Wayback address names."""
    moment = datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B %Y}"
