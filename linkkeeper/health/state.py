"""A link's health over time: the state machine from one run's verdict to `ok`, `at_risk`, `dead`, `unknown`.

One failure never kills a link: servers have bad days. A link is `dead` only after it has failed
`dead_after_failures` runs in a row over at least `dead_after_days`; until then it is `at_risk`.
A bot wall proves nothing either way (`unknown`, the failure streak kept as it was).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from linkkeeper.config.settings import HealthPolicy
from linkkeeper.health.vocabulary import AT_RISK, DEAD, OK, UNKNOWN


@dataclass(frozen=True, slots=True)
class Health:
    state: str = UNKNOWN
    reason: str = "not checked yet"
    since: str | None = None
    failures: int = 0
    failing_since: str | None = None
    moved_to: str | None = None


@dataclass(frozen=True)
class Observation:
    """The part of one check that health depends on (see `crawler.rules.verdict`)."""

    outcome: str
    detail: str
    checked_at: str
    moved_to: str | None = None


def next_health(previous: Health, seen: Observation, policy: HealthPolicy) -> Health:
    """The health after one more check; `since` moves only when the state changes."""
    if seen.outcome == "ok":
        health = Health(OK, seen.detail)
    elif seen.outcome == "warning":
        health = Health(AT_RISK, seen.detail, moved_to=seen.moved_to)
    elif seen.outcome == "blocked":
        health = replace(previous, state=UNKNOWN, reason=seen.detail)
    else:
        health = _failed(previous, seen, policy)
    since = previous.since if previous.state == health.state and previous.since else seen.checked_at
    return replace(health, since=since)


def _failed(previous: Health, seen: Observation, policy: HealthPolicy) -> Health:
    failures = previous.failures + 1
    failing_since = previous.failing_since or seen.checked_at
    span = _parse(seen.checked_at) - _parse(failing_since)
    dead = failures >= policy.dead_after_failures and span >= timedelta(days=policy.dead_after_days)
    checks = f"{failures} check{'s' if failures > 1 else ''} in a row"
    if dead:
        reason = f"{seen.detail} (failed {checks})"
    else:
        over = f" over at least {policy.dead_after_days:g} days" if policy.dead_after_days else ""
        reason = f"{seen.detail} (failed {checks}; dead after {policy.dead_after_failures} failed checks{over})"
    return Health(DEAD if dead else AT_RISK, reason, None, failures, failing_since)


@dataclass(frozen=True)
class Change:
    url: str
    kind: str
    before: str
    after: str
    reason: str


# The changes a run reports, in the order it reports them, with their headings.
CHANGE_KINDS = {
    "newly_dead": "Newly dead",
    "recovered": "Recovered",
    "newly_at_risk": "Newly at risk",
}


def change(url: str, before: Health, after: Health) -> Change | None:
    """What a person reading the run's summary must hear about, if anything. A link that was failing when a wall
    hid it (`unknown`, its failure streak kept) and then answers has recovered too."""
    if after.state == DEAD and before.state != DEAD:
        kind = "newly_dead"
    elif after.state == OK and (before.state in (DEAD, AT_RISK) or before.failures):
        kind = "recovered"
    elif after.state == AT_RISK and before.state != AT_RISK:
        kind = "newly_at_risk"
    else:
        return None
    return Change(url, kind, before.state, after.state, after.reason)


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)
