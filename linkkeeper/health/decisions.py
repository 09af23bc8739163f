"""What a person decided about a link, applied to the health a check gives it: the rules, no storage.

Three decisions live in the list, each with its `note` (linkkeeper/config/resources.py): `ignore: true` (listed,
never checked), `expect: unknown` (a wall a person has looked at) and `snooze: DATE` (checked and judged, but its
failures not reported before that day). One lives in the database: a wall accepted by `linkkeeper accept`, kept
with the answer it was, which holds only while each check gives that same answer.

None of them changes a state word or invents evidence: an ignored link is `unknown` (nothing judged, its failure
streak kept as a wall keeps it), an expected or accepted wall stays `unknown` with a calm reason, and a snoozed
link is judged as any other; its reason says so, and the run leaves it out of what it reports (runs/run.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from linkkeeper.config.resources import Resource
from linkkeeper.health.state import Health
from linkkeeper.health.vocabulary import AT_RISK, DEAD, UNKNOWN

WALL = "blocked"
"""The outcome of a check that met a wall (findings.py): what `expect: unknown` and an accepted wall excuse."""
SNOOZED_CHANGES = ("newly_dead", "newly_at_risk")
"""The changes a snoozed link's run does not report (health.state's CHANGE_KINDS); a recovery is still news."""


@dataclass(frozen=True)
class AcceptedWall:
    """A wall a person looked at (`linkkeeper accept`), with the answer it was then."""

    at: str
    note: str | None
    finding: str
    status: int | None
    final_url: str | None

    def holds_for(self, check: Mapping[str, Any]) -> bool:
        """Whether a check gives the same answer: the same wall, status and final address."""
        return (check["outcome"], check["finding"], check["status_code"], check["final_url"]) == (
            WALL, self.finding, self.status, self.final_url
        )

    def reason(self, where: tzinfo) -> str:
        """The calm reason, dated in the list's zone (`where`)."""
        said = f": {self.note}" if self.note else "; fine until its answer changes"
        return f"a person checked this wall on {local_day(self.at, where)}{said}"


def ignored(previous: Health, resource: Resource, now: str) -> Health:
    """An ignored link's health: not judged (`unknown`), its failure streak kept, the person's note as the reason."""
    since = previous.since if previous.state == UNKNOWN and previous.since else now
    return replace(previous, state=UNKNOWN, reason=f"ignored by a person: {resource.note}", since=since)


def local_day(moment: str, where: tzinfo) -> str:
    """The day (YYYY-MM-DD) of an ISO time in the list's time zone: a snooze ends at the start of its day there."""
    return datetime.fromisoformat(moment).astimezone(where).date().isoformat()


def snoozed(resource: Resource, today: str) -> bool:
    """Whether the link's failures go unreported today: a snooze ends on its day (a past one has ended)."""
    return bool(resource.snooze_until) and today < resource.snooze_until


def decided(
    health: Health, check: Mapping[str, Any], resource: Resource, wall: AcceptedWall | None, where: tzinfo
) -> Health:
    """The health after one check, as the person's decisions leave it: a wall that is expected, or the very wall a
    person accepted, gets a calm reason (the check keeps the wall's own detail); a snoozed failure says until
    when (`where`: the list's zone, whose day of the check a snooze is held to). Any other answer is judged as it
    would be without them."""
    if check["outcome"] == WALL:
        if wall and wall.holds_for(check):
            return replace(health, reason=wall.reason(where))
        if resource.expect == UNKNOWN:
            return replace(health, reason=f"a person checked this wall: {resource.note}")
    if health.state in (AT_RISK, DEAD) and snoozed(resource, local_day(check["checked_at"], where)):
        return replace(health, reason=f"{health.reason} (snoozed until {resource.snooze_until}: {resource.note})")
    return health
