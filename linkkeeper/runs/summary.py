"""What a run prints for people: a one-line tally and what changed, the changes alone with --quiet; and, once a
period (`remind_dead_days`), the links still dead, which would otherwise never be mentioned again.

Each link is named as people know it: its title and section first, then its address, why, and for a link gone,
the archived copy a reader can be sent to (or that there is none yet). The archive step's lines follow, from
`archive.step.archive_text`: cli.py puts them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlite_utils import Database

from linkkeeper.config.resources import Config
from linkkeeper.config.settings import zone
from linkkeeper.health.state import CHANGE_KINDS
from linkkeeper.health.vocabulary import COMPLETED, NETWORK_DOWN, STATES
from linkkeeper.output import reader, times
from linkkeeper.runs.run import RunResult
from linkkeeper.store import queries as storage

Links = Mapping[str, Mapping[str, Any]]
"""The `link_health` rows by URL, read after the run (and its archive step): titles, sections, copies."""
MONDAY = date(1970, 1, 5)  # periods of reminders are counted from a Monday, so a weekly one starts each week


def _named(url: str, links: Links) -> list[str]:
    """A link's first lines: its title (and section) as people know it, then its address."""
    link = links.get(url, {})
    title, section = link.get("title"), link.get("section")
    if not title:
        return [f"  {url}"]
    return [f"  {title}" + (f" ({section})" if section else ""), f"      {url}"]


def _copy(url: str, links: Links) -> str:
    """What a reader can be sent to instead of a page gone."""
    link = links.get(url, {})
    words = times.archived_words(link.get("archive_url"), link.get("archived_at"))
    return f"{words}: {link['archive_url']}" if words else "no archived copy yet"


def changes_text(result: RunResult, links: Links | None = None) -> str:
    links = links or {}
    lines = []
    for kind, heading in CHANGE_KINDS.items():
        changed = [c for c in result.changes if c.kind == kind]
        if changed:
            lines.append(f"{heading} ({len(changed)}):")
            for change in changed:
                lines += [*_named(change.url, links), f"      {change.reason}"]
                if kind == "newly_dead":
                    lines.append(f"      {_copy(change.url, links)}")
    return "\n".join(lines)


def summary_text(result: RunResult, links: Links | None = None) -> str:
    counts = result.counts
    tally = ", ".join(f"{counts[state]} {term.label}" for state, term in STATES.items())
    links_word = "link" if result.checked == 1 else "links"
    head = f"Checked {result.checked} {links_word} in {result.seconds:.1f} s (run {result.run_id}): {tally}."
    return "\n".join([head, *_decided(result), changes_text(result, links) or "No change since the last run."])


def _decided(result: RunResult) -> list[str]:
    """What a person's decisions in the list left out of the run's verdict, so that the tally adds up."""
    lines = []
    if result.ignored:
        lines.append(f"Not checked, ignored by a person: {result.ignored} (resources.yml `ignore`).")
    if result.snoozed_dead:
        lines.append(f"Dead but snoozed by a person: {result.snoozed_dead} (resources.yml `snooze`), no exit status 1.")
    return lines


def period_start(at: str, days: int, where: tzinfo) -> str:
    """The start (a UTC ISO time) of the period of `days` days, counted in `where` from a Monday, holding `at`."""
    local = times.parse(at).astimezone(where).date()
    first = MONDAY + timedelta(days=(local - MONDAY).days // days * days)
    return datetime.combine(first, time(), where).astimezone(UTC).isoformat()


def still_dead_text(rows: Sequence[Mapping[str, Any]], days: int, where: tzinfo) -> str:
    """The reminder: every link still dead, since when, and its copy."""
    if not rows:
        return ""
    every = "week" if days == 7 else f"{days} days"
    lines = [f"Still dead ({len(rows)}; a reminder, once every {every}):"]
    links = {row["url"]: row for row in rows}
    for row in rows:
        since = row.get("failing_since") or row.get("since")
        gone = f"gone since {reader.date(since, where)}; " if since else ""
        lines += [*_named(row["url"], links), f"      {gone}{_copy(row['url'], links)}"]
    return "\n".join(lines)


@dataclass(frozen=True)
class Said:
    """What a run tells people beyond its result, read after the run and its archive step."""

    links: dict[str, dict[str, Any]] | None = None  # the `link_health` rows by URL of those it speaks of; None: unread
    still_dead: list[dict[str, Any]] = field(default_factory=list)  # when this run reminds of them, else none
    reminder: str = ""  # still_dead as the summary says it


def what_to_say(db: Database, config: Config, result: RunResult, archived: Iterable[str] = ()) -> Said:
    """The links still dead when this run is the first of its period (none otherwise, and after a run that did not
    complete: it judged nothing), snoozed links left out; and the rows of the links said to have changed, been
    `archived` (the URLs of the archive step's outcomes) or still be dead, only: what is said of a run that
    changed nothing reads no link."""
    if result.status != COMPLETED:
        return Said()
    days, where = config.settings.remind_dead_days, zone(config.settings.timezone)
    rows, reminder = [], ""
    if days and storage.first_run_since(db, result.run_id, period_start(result.started_at, days, where)):
        rows = [row for row in storage.still_dead(db, result.started_at) if row["url"] not in result.snoozed]
        reminder = still_dead_text(rows, days, where)
    spoken_of = {change.url for change in result.changes} | set(archived) | {row["url"] for row in rows}
    links = storage.link_health(db, urls=sorted(spoken_of)) if spoken_of else []
    return Said({row["url"]: row for row in links}, rows, reminder)


def network_down_text(result: RunResult) -> str:
    failed = "; ".join(f"{c['url']}: {c['error']}" for c in result.canaries)
    return (
        f"Network unavailable: no canary answered ({failed}). Run {result.run_id} recorded as"
        f" {NETWORK_DOWN}; no link's state was changed."
    )
