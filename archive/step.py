"""The archive step: decide what each link needs, queue it as pending, carry it out, keep local WARC copies."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from archive import warc
from archive.keys import find_keys
from archive.policy import SAVE, decide, spooled_outcomes
from archive.runner import Archiver, Outcome, Task, wayback_timestamp
from archive.wayback import WaybackClient
from crawler.items import PAGE_COPIES_SETTING
from linkkeeper.clock import now
from linkkeeper.config.resources import Config
from linkkeeper.config.settings import PUBLISHED_CDX_PER_MINUTE, PUBLISHED_SAVES_PER_MINUTE, ArchivePolicy
from linkkeeper.errors import InputError
from linkkeeper.health.vocabulary import ARCHIVED, FAILED, LOST, PENDING, SNAPSHOT_STATUSES
from linkkeeper.store import queries as storage
from linkkeeper.urls import on_domain

WAYBACK_URL_VARIABLE = "LINKKEEPER_WAYBACK_URL"

# The order of the summary's tally: what was done, then what is left for the next run.
TALLY = (ARCHIVED, LOST, FAILED, PENDING)


@dataclass
class ArchiveReport:
    outcomes: list[Outcome]

    def counts(self) -> dict[str, int]:
        return dict(Counter(outcome.status for outcome in self.outcomes))

    def to_json(self) -> list[dict]:
        return [vars(outcome) for outcome in self.outcomes]


def archive_text(report: ArchiveReport | None, quiet: bool = False) -> str:
    """A tally of the archive step, then each outcome a person must act on or know (unless quiet, all of them;
    quiet, those that are news: a copy found or saved, and a copy lost or refused).

    Outcomes with the same status and the same words are said once with their count: with the archive
    unreachable, one line per link would bury the one thing to know under as many copies of it. A lost or
    refused link still gets its own line under the count, since each needs a person's decision; pending
    work is retried by the next run, so its count is enough.
    """
    if not report or not report.outcomes:
        return ""
    counts = report.counts()
    tally = ", ".join(f"{counts[status]} {SNAPSHOT_STATUSES[status].label}" for status in TALLY if counts.get(status))
    lines = [] if quiet else [f"Archive: {tally}."]
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in report.outcomes:
        if quiet and outcome.status not in (ARCHIVED, LOST, FAILED):  # pending work is retried: not news yet
            continue
        said = outcome.archive_url or _in_words(outcome.note or "")
        groups.setdefault((outcome.status, said), []).append(outcome)
    for (status, said), outcomes in groups.items():
        label = SNAPSHOT_STATUSES[status].label
        if len(outcomes) == 1:
            lines.append(f"  {label}: {outcomes[0].url}\n      {said}")
            continue
        lines.append(f"  {label}: {len(outcomes)} links: {said}")
        if status in (LOST, FAILED):
            lines += [f"      {outcome.url}" for outcome in outcomes]
    if quiet and lines:
        lines.insert(0, "Archive:")
    return "\n".join(lines)


# The archive's endpoints by the start of their path, as a person knows them; a save's path holds its URL.
ENDPOINTS = (
    ("/save", "Save Page Now"), ("/cdx", "the CDX index"), ("/wayback/available", "the availability API"),
    ("/web", "the replay of captures"),
)
CALLED = re.compile(r"^(/\S+): (.+)$")
# A call's failure to get any complete answer, as transport.fetch names it: requests' exception, or the deadline.
NO_ANSWER = re.compile(r"^(?:\w*(?:Error|Timeout)|no complete answer within .+|no time left for the call)$")


def _in_words(note: str) -> str:
    """A note with the endpoint named instead of the path called, so that one failure reads the same for every
    link (a save's path holds the link's own URL); a call that got no answer says so first."""
    called = CALLED.match(note)
    if not called:
        return note
    path, reason = called.groups()
    endpoint = next((name for start, name in ENDPOINTS if path.startswith(start)), path)
    if NO_ANSWER.match(reason):
        return f"the Wayback Machine did not answer ({endpoint}: {reason})"
    return f"{endpoint}: {reason}"


def wayback_url(policy: ArchivePolicy) -> str:
    return os.environ.get(WAYBACK_URL_VARIABLE) or policy.wayback_url


def warc_dir(config: Config) -> Path:
    return config.path.parent / config.settings.archive.warc_dir


def crawler_settings(config: Config) -> dict:
    """The Scrapy settings with which the crawl keeps, as WARC, the responses of pages this step may submit."""
    pipeline = f"{warc.SpoolPipeline.__module__}.{warc.SpoolPipeline.__qualname__}"
    return {
        "ITEM_PIPELINES": {pipeline: 50},
        PAGE_COPIES_SETTING: spooled_outcomes(config.settings.archive),
        warc.WARC_DIR_SETTING: str(warc_dir(config)),
    }


def run_archive(db, config: Config, forced_urls: tuple[str, ...] = ()) -> ArchiveReport:
    """Plan from the links' current health, add the URLs asked for, and carry out all pending work."""
    policy = config.settings.archive
    forced = storage.resource_ids(db, forced_urls)
    unknown = [url for url in forced_urls if url not in forced]
    if unknown:
        raise InputError(f"{unknown[0]}: not a resource of {config.path.name} (add it to the list first)")
    moment = now()
    view = {row["id"]: row for row in storage.link_health(db)}
    planned = [(rid, row["url"], action) for rid, row in view.items() if (action := decide(row, policy, moment))]
    planned += [(rid, url, SAVE) for url, rid in forced.items()]
    pending = [row for row in storage.queue_snapshots(db, planned, moment.isoformat()) if row["resource_id"] in view]
    tasks = [
        Task(
            row,
            view[row["resource_id"]]["failing_since"],
            forced=row["resource_id"] in forced.values() and row["action"] == SAVE,
        )
        for row in pending
    ]
    keys = find_keys(policy.ia_config)
    base = wayback_url(policy)
    client = WaybackClient(base, policy.request_timeout, config.settings.user_agent, keys)
    folder = warc_dir(config)
    stamp = wayback_timestamp(moment)
    archiver = Archiver(
        db,
        client,
        effective_limits(policy, keys is not None, base),
        on_submit=lambda task: warc.keep(folder, task.snapshot["resource_id"], stamp),
    )
    try:
        return ArchiveReport(archiver.run(tasks))
    finally:
        warc.clear_spool(folder)


def effective_limits(policy: ArchivePolicy, with_keys: bool, base: str) -> ArchivePolicy:
    """The rates to use: 0 saves a minute means the published rate; never above the published rates
    against the real archive, whatever the settings say."""
    published = PUBLISHED_SAVES_PER_MINUTE[with_keys]
    saves = policy.saves_per_minute or published
    if not _is_real_archive(base):
        return replace(policy, saves_per_minute=saves)
    return replace(
        policy,
        saves_per_minute=min(saves, published),
        cdx_per_minute=min(policy.cdx_per_minute, PUBLISHED_CDX_PER_MINUTE),
    )


def _is_real_archive(base: str) -> bool:
    return on_domain(base, "archive.org")
