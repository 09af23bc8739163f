"""One `check-links` run: crawl, judge each link's health, store, and say what changed.

A check is stored as the crawler reported it, save for content drift: its text is judged against the
resource's stored baseline by linkkeeper/health/drift.py, the one place drift is decided (see there why it is
the parent's). What comes after (the archive step) is the caller's: cli.py runs it in the same lock.

Every write (the run's start, each batch of checks, its end, the roll-up of old checks after a completed
run, a stopped run's note) is `guarded`: the database's path must still name the file the run opened,
unwritten by anyone else (store/opening.py), or the run stops writing with `DatabaseReplaced` (exit 7) and
writes nothing more, not even why it stopped.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from linkkeeper import __version__
from linkkeeper.clock import now_iso
from linkkeeper.config.resources import Config
from linkkeeper.config.settings import zone
from linkkeeper.errors import (
    EXIT_DEAD,
    EXIT_NETWORK_DOWN,
    EXIT_OK,
    CrawlerFailed,
    DatabaseReplaced,
    Interrupted,
    failure,
)
from linkkeeper.health import decisions
from linkkeeper.health.check_record import STORED_FIELDS
from linkkeeper.health.domain_expiry import DomainFacts, judge_domain
from linkkeeper.health.drift import Baseline, judge_content
from linkkeeper.health.findings import FINDINGS
from linkkeeper.health.state import CHANGE_KINDS, Change, Health, Observation, change, next_health
from linkkeeper.health.vocabulary import COMPLETED, DEAD, FAILED, INTERRUPTED, NETWORK_DOWN, STATES
from linkkeeper.runs.crawl import crawl
from linkkeeper.runs.probe_reuse import ProbeReuse
from linkkeeper.store import queries as storage
from linkkeeper.store.opening import guarded

if TYPE_CHECKING:
    from linkkeeper.domains.lookups import Lookups

LISTED_FIELDS = ("checked_at", "status_code", "final_url", "error_class", "elapsed_ms", "finding")
"""What `RunResult.resources` says of each check, beside the resource's health."""
NOT_CHECKED = (None,) * len(LISTED_FIELDS)
BATCH_SIZE = 2000
BATCH_SECONDS = 0.25
"""Checks are stored in batches of up to BATCH_SIZE, one transaction each, at most BATCH_SECONDS after the
batch's first check came: few commits on a long list, and a run stopped midway has kept what it checked."""


@dataclass
class RunResult:
    run_id: int
    status: str
    started_at: str
    finished_at: str
    seconds: float
    counts: dict[str, int]
    checked: int
    changes: list[Change]
    resources: list[dict[str, Any]]
    canaries: list[dict] = field(default_factory=list)
    snoozed_dead: int = 0  # dead links whose failures a person snoozed (resources.yml `snooze`): no exit 1 for them
    ignored: int = 0  # links a person set aside (resources.yml `ignore`): not checked
    snoozed: frozenset[str] = frozenset()  # the URLs whose failures a person snoozed, as of the run's day

    @property
    def exit_code(self) -> int:
        if self.status == NETWORK_DOWN:
            return EXIT_NETWORK_DOWN
        return EXIT_DEAD if self.counts.get(DEAD, 0) > self.snoozed_dead else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "run": {
                "id": self.run_id,
                "status": self.status,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "seconds": round(self.seconds, 3),
                "checked": self.checked,
            },
            "exit_status": self.exit_code,
            "counts": self.counts,
            "changes": [vars(item) for item in self.changes],
            "canaries": self.canaries,
            "resources": self.resources,
        }



def check_links(
    db: Database,
    config: Config,
    progress: Callable[[int, int], None] = lambda done, total: None,
    log_level: str = "ERROR",
    scrapy_settings: dict | None = None,
    fetch: Callable[..., Iterator[dict]] = crawl,
) -> RunResult:
    """Check every link of `config` into `db` (from `store.opening.locked`). `scrapy_settings` are for whoever else
    reads the crawl: the archive step's WARC spool. `fetch` yields the crawler's records for the targets,
    as `linkkeeper.runs.crawl.crawl` does; another source of the same records (workers fed through Redis) can
    stand in for it, and the run judges and stores them the same way."""
    return _Run(db, config, progress, log_level).execute(scrapy_settings or {}, fetch)


class _Run:
    def __init__(self, db, config: Config, progress: Callable[[int, int], None], log_level: str):
        self.db = db
        self.config = config
        self.progress = progress
        self.log_level = log_level
        self.clock = time.monotonic()
        self.started_at = now_iso()
        self.lookups: Lookups | None = None  # begun once the crawl is under way (`execute`)
        self.domains: dict[int, DomainFacts] | None = None
        with guarded(db):
            storage.interrupt_stale_runs(db, self.started_at)
            self.ids = storage.sync_resources(db, config.resources, self.started_at)
        self.previous = storage.health_of(db, self.ids.values())
        self.listed = {self.ids[resource.url]: resource for resource in config.resources}
        self.walls = storage.accepted_walls(db, self.ids.values())
        self.where = zone(config.settings.timezone)
        self.today = decisions.local_day(self.started_at, self.where)
        self.set_aside = {  # not checked: a person said so
            rid: decisions.ignored(self.previous[rid], resource, self.started_at)
            for rid, resource in self.listed.items()
            if resource.ignored
        }
        self.baselines = storage.baselines_of(db, self.ids.values())
        self.served = storage.served_of(db, self.ids.values())
        self.probes = ProbeReuse(
            db, {rid: r.url for rid, r in self.listed.items()}, self.baselines, config.settings.probe_reuse_days
        )
        with guarded(db):
            self.run_id = storage.start_run(db, self.started_at, len(self.ids), __version__)
        self.updates: dict[int, tuple[Health, dict[str, Any]]] = {}
        self.results: dict[int, tuple] = {}  # LISTED_FIELDS of each check, for RunResult.resources
        self.batch: list[dict[str, Any]] = []
        self.batch_started = 0.0
        self.canaries: list[dict] = []

    def execute(self, scrapy_settings: dict, fetch: Callable[..., Iterator[dict]]) -> RunResult:
        targets = (
            {"id": rid, "url": resource.url} | self._served(rid) | self.probes.for_target(rid, resource.url)
            for rid, resource in self.listed.items()
            if rid not in self.set_aside
        )
        try:
            for record in fetch(targets, self.config.settings, self.log_level, scrapy_settings):
                if record["type"] == "NetworkItem":
                    self.canaries = record["canaries"]
                    if not record["up"]:
                        return self.finish(NETWORK_DOWN)
                if self.lookups is None:
                    self.lookups = self._ask_registries()
                if record["type"] == "ProbeItem":
                    self.probes.answered(record)
                elif record["type"] == "CheckItem":
                    self.checked(record)
            self.flush()
            expected = len(self.ids) - len(self.set_aside)
            missing = expected - len(self.results)
            if missing:
                raise CrawlerFailed(f"the crawler ended without a result for {missing} of {expected} links")
        except BaseException as error:
            self.abandon(error)
            raise
        return self.finish(COMPLETED)

    def _ask_registries(self) -> Lookups:
        """The domain look-ups, begun at the crawlers' first word, while they crawl on: begun with the run, they
        held its crawlers' start back (0.1 s at 4,000 links, and the imports of tldextract and of an HTTP client,
        0.1 s more, which are made here too)."""
        from linkkeeper.domains import lookups

        return lookups.start(self.db, self.config)

    def checked(self, item: dict[str, Any]) -> None:
        resource_id = item["target"]
        item, content = self.drifted(resource_id, item)
        item = judge_domain(item, self.domain_of(resource_id), self.config.settings.health.domain_warning_days)
        before = self.previous[resource_id]
        seen = Observation(item["outcome"], item["detail"], item["checked_at"], item["moved_to"])
        wall = self.walls.get(resource_id)
        after = decisions.decided(
            next_health(before, seen, self.config.settings.health), item, self.listed[resource_id], wall, self.where
        )
        row = {name: item[name] for name in STORED_FIELDS}
        if not self.batch:
            self.batch_started = time.monotonic()
        self.batch.append(
            {**row, "run_id": self.run_id, "resource_id": resource_id, "state": after.state,
             "reason": after.reason}
        )
        served = {"served_at": item["checked_at"]} if FINDINGS[item["finding"]].category == "content" else {}
        self.updates[resource_id] = (
            after,
            {
                "last_checked": item["checked_at"], "last_status": item["status_code"], **content, **served,
                **(storage.WALL_FORGOTTEN if wall and not wall.holds_for(item) else {}),
            },
        )
        self.results[resource_id] = tuple(item[name] for name in LISTED_FIELDS)
        if len(self.batch) >= BATCH_SIZE or time.monotonic() - self.batch_started >= BATCH_SECONDS:
            self.flush()
        self.progress(len(self.results), len(self.ids) - len(self.set_aside))

    def _served(self, resource_id: int) -> dict[str, str]:
        served_at = self.served.get(resource_id)
        return {"served_at": served_at} if served_at else {}

    def domain_of(self, resource_id: int) -> DomainFacts | None:
        """What the registry said of the link's domain (linkkeeper/domains/): the look-ups begun with the run are
        collected, and their answers stored, before its first check is judged."""
        if self.domains is None:
            self.domains = {self.ids[url]: facts for url, facts in self.lookups.finish(self.db).items()}
        return self.domains.get(resource_id)

    def drifted(self, resource_id: int, item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The check as content drift leaves it, and the resource's drift columns: drift.py judges, this stores."""
        judged = judge_content(item, self.baselines.get(resource_id, Baseline()))
        if judged.seen is None:
            return judged.check, {}
        return judged.check, storage.content_columns(judged.baseline, judged.seen)

    def flush(self) -> None:
        if self.batch or self.probes.fresh:
            with guarded(self.db):
                storage.insert_checks(self.db, self.batch)
                self.probes.store(self.db)
            self.batch = []

    def finish(self, status: str) -> RunResult:
        if status != COMPLETED:
            self.updates, self.set_aside = {}, {}
        written = self.updates | {rid: (after, {}) for rid, after in self.set_aside.items()}
        health = {rid: written.get(rid, (old, {}))[0] for rid, old in self.previous.items()}
        counts = Counter(h.state for h in health.values())
        url_of = {rid: url for url, rid in self.ids.items()}
        snoozed = {rid for rid, resource in self.listed.items() if decisions.snoozed(resource, self.today)}
        changes = [
            c for rid, after in health.items()
            if (c := change(url_of[rid], self.previous[rid], after))
            and not (rid in snoozed and c.kind in decisions.SNOOZED_CHANGES)
        ]
        kinds = Counter(c.kind for c in changes)
        finished_at = now_iso()
        with guarded(self.db):
            storage.finish_run(
                self.db,
                self.run_id,
                {
                    "status": status, "finished_at": finished_at, "checked": len(self.updates),
                    **{state: counts.get(state, 0) for state in STATES},
                    **{kind: kinds.get(kind, 0) for kind in CHANGE_KINDS},
                    "canaries": json.dumps(self.canaries),
                },
                written,
            )
        if status == COMPLETED:
            self.roll_up(finished_at)
        return RunResult(
            run_id=self.run_id,
            status=status,
            started_at=self.started_at,
            finished_at=finished_at,
            seconds=time.monotonic() - self.clock,
            counts={state: counts.get(state, 0) for state in STATES},
            checked=len(self.updates),
            changes=changes,
            resources=self.resource_results(health),
            canaries=self.canaries,
            snoozed_dead=sum(1 for rid in snoozed if health[rid].state == DEAD),
            ignored=len(self.set_aside),
            snoozed=frozenset(url_of[rid] for rid in snoozed),
        )

    def roll_up(self, now: str) -> None:
        """Retention, after the run's final write: one step of the roll-up (store/queries.py `roll_up`), guarded
        like every write of the run; a history longer than one step is caught up by the next runs, or by
        `linkkeeper compact` at once."""
        before = storage.roll_up_before(now, self.config.settings.history.keep_checks_days)
        storage.roll_up(self.db, before, steps=1, guard=lambda: guarded(self.db))

    def resource_results(self, health: dict[int, Health]) -> list[dict[str, Any]]:
        listed = []
        for resource in self.config.resources:
            rid = self.ids[resource.url]
            listed.append(
                {
                    "url": resource.url, "title": resource.title, "kind": resource.kind,
                    "state": health[rid].state, "reason": health[rid].reason,
                    "since": health[rid].since, "moved_to": health[rid].moved_to,
                    **dict(zip(LISTED_FIELDS, self.results.get(rid, NOT_CHECKED), strict=True)),
                }
            )
        return listed

    def abandon(self, error: BaseException) -> None:
        """Keep the checks already written; record why the run stopped, leaving health untouched.

        Best effort: with the disk full or the database held by another program this write fails too,
        the run stays `running`, and the next run records it as `interrupted`. Nothing at all when the
        database was replaced under the run: the file at its path is not this run's to write.
        """
        if isinstance(error, DatabaseReplaced):
            return
        stopped = isinstance(error, Interrupted | KeyboardInterrupt)
        try:
            self.flush()
            with guarded(self.db):
                self.db["runs"].update(
                    self.run_id,
                    {
                        "status": INTERRUPTED if stopped else FAILED,
                        "finished_at": now_iso(),
                        "error": str(error if stopped else failure(error))[:500] or type(error).__name__,
                    },
                )
        except Exception:
            pass
