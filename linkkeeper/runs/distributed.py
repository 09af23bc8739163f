"""`check-links --redis URL`: the coordinator. The run's targets go to the workers through Redis and their
checks come back the same way, while this process stays the one writer of SQLite: `Coordinator.fetch`
stands in for the local crawler in `linkkeeper.runs.run.check_links`, which judges and stores what it yields
exactly as it does a local crawl's records.

The canaries are checked here first, by a local crawler child with no targets, as a local run checks
them: with the network down nothing is queued and no link's health changes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import suppress

from linkkeeper.config.settings import DEFAULT_LEASE, Settings
from linkkeeper.errors import CrawlerFailed, LockedError, RedisUnavailable
from linkkeeper.runs.crawl import crawl
from linkkeeper.runs.frontier import Frontier

POLL_SECONDS = 1.0
"""The longest one wait for results lasts before the coordinator looks whether workers are still there."""


class Coordinator:
    """A distributed run's source of crawler records, fed by workers through the Redis at `url`."""

    def __init__(self, url: str, lease: float = DEFAULT_LEASE):
        self.frontier = Frontier(url)
        self.lease = lease

    def fetch(
        self, targets: Iterable[dict], settings: Settings, log_level: str = "ERROR", scrapy_settings: dict | None = None
    ) -> Iterator[dict]:
        """The records of a run, as `linkkeeper.runs.crawl.crawl` yields them: the canaries' `NetworkItem`, then one
        `CheckItem` per target, the first a worker reported (a target whose worker died may come twice).
        `scrapy_settings` feed a local crawl's own pipelines (the archive's WARC spool), which workers on other
        machines cannot write to: they are not passed on."""
        if settings.canaries:
            for record in crawl([], settings, log_level):
                yield record
                if not record["up"]:
                    return
        run = self.frontier.open_run(settings.shared(), self.lease)
        try:
            yield from self._checks(run, self.frontier.feed(run, targets))
        except BaseException:
            with suppress(RedisUnavailable):  # the error that stopped the run is the one to report
                self.frontier.close_run(run)
            raise
        self.frontier.close_run(run)

    def _checks(self, run: str, wanted: int) -> Iterator[dict]:
        seen: set[int] = set()
        heard = time.monotonic()
        while len(seen) < wanted:
            records = self.frontier.results(run, POLL_SECONDS)
            for record in records:
                if record["target"] not in seen:
                    seen.add(record["target"])
                    yield record
            if records:
                heard = time.monotonic()
            else:
                self._still_served(run, time.monotonic() - heard)

    def _still_served(self, run: str, silent: float) -> None:
        """Fail rather than wait for ever: when another coordinator took the database, or no worker is left."""
        if self.frontier.current_run() != run:
            raise LockedError(f"another check-links --redis took over {self.frontier.address}; one list per database")
        if silent > self.lease and not self.frontier.workers(run):
            raise CrawlerFailed(
                f"no worker took this run's links from {self.frontier.address} in {silent:.0f} s:"
                f" start `linkkeeper worker --redis URL` on at least one machine"
            )
