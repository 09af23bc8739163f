"""What a run's message tells: the changes that count (`settings.notify_on`), each with what a person needs to act
on it (the link's title and section, the reason, the archived copy a reader can be sent to)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from linkkeeper.health.vocabulary import EXCLUDED, FAILED, LOST, NETWORK_DOWN, REFUSED
from linkkeeper.output import reader
from linkkeeper.runs.run import RunResult


@dataclass(frozen=True)
class Group:
    counts_as: str  # the name in `notify_on`
    heading: str
    one: str  # the title's words for one, and for {n} of them
    many: str


GROUPS = {
    "run_failed": Group("run_failed", "Run failed", "the run failed", "the run failed"),
    "network_down": Group("network_down", "Network down", "the network was down", "the network was down"),
    "newly_dead": Group("newly_dead", "Newly dead", "1 link died", "{n} links died"),
    "lost": Group("archive_lost", "Lost (no archived copy)", "1 lost", "{n} lost"),
    "refused": Group("archive_lost", "Refused by the archive", "1 refused", "{n} refused"),
    "newly_at_risk": Group("newly_at_risk", "Newly at risk", "1 newly at risk", "{n} newly at risk"),
    "recovered": Group("recovered", "Recovered", "1 recovered", "{n} recovered"),
    "still_dead": Group("still_dead", "Still dead (a reminder)", "1 link still dead", "{n} links still dead"),
}
"""The message's groups, most urgent first; the run's own changes keep the summary's names (health.state)."""
_ARCHIVE_GROUPS = {LOST: "lost", FAILED: "refused"}
"""An archive step's outcomes that are news: a dead link with no copy, and a page the archive itself refused (its
verdict on the link, `archive_status`), not an error it answered once, which the next run may not meet again."""


@dataclass(frozen=True)
class Event:
    group: str
    url: str = ""
    reason: str = ""
    title: str = ""
    section: str = ""
    archive_url: str = ""


def events(
    result: RunResult | None,
    archive: Iterable[Mapping[str, Any]],
    links: Mapping[str, Mapping[str, Any]],
    notify_on: Iterable[str],
    failed: str | None = None,
    still_dead: Iterable[Mapping[str, Any]] = (),
    where: tzinfo = UTC,
) -> list[Event]:
    """The events that count, most urgent group first. `archive` is the archive step's outcomes (its JSON),
    `links` the `link_health` rows by URL (read after the archive step, so a dead link's copy is in them),
    `failed` why the run (or its archive step) failed, `still_dead` the links a run reminds of (once every
    `remind_dead_days`), `where` the list's zone, for their dates."""
    found: list[Event] = []
    if failed:
        found.append(Event("run_failed", reason=failed))
    if result and result.status == NETWORK_DOWN:
        failures = "; ".join(f"{c['url']}: {c['error']}" for c in result.canaries)
        found.append(Event("network_down", reason=f"no canary answered ({failures}); no link's state was changed"))
    for change in result.changes if result else ():
        found.append(_about(change.kind, change.url, change.reason, links))
    for outcome in archive:
        group = _ARCHIVE_GROUPS.get(outcome["status"])
        said = links.get(outcome["url"], {}).get("archive_status")
        if group == "lost" or (group == "refused" and said in (REFUSED, EXCLUDED)):
            found.append(_about(group, outcome["url"], outcome.get("note") or "", links))
    for row in still_dead:
        since = row.get("failing_since") or row.get("since")
        gone = f"gone since {reader.date(since, where)}" if since else ""
        found.append(_about("still_dead", row["url"], gone, links))
    wanted = set(notify_on)
    order = list(GROUPS)
    return sorted((e for e in found if GROUPS[e.group].counts_as in wanted), key=lambda e: order.index(e.group))


def _about(group: str, url: str, reason: str, links: Mapping[str, Mapping[str, Any]]) -> Event:
    link = links.get(url, {})
    return Event(group, url, reason, link.get("title") or "", link.get("section") or "", link.get("archive_url") or "")
