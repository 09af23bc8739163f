"""The soft-404 probes a run reuses and keeps: the stored answers go to the crawlers with the targets, and the
crawlers' fresh answers come back to be stored (the crawler never opens the database).

Each target carries the stored answers of the hosts it may be judged against (its own, and the one its last
check landed on) that no earlier target of its listed host carried: a host's targets all go to one crawler, in
list order (linkkeeper/runs/shards.py), so each answer reaches each crawler that needs it once. With them go
where the link last landed and its baseline text's signature, which tell the crawler whether the host changed
since (crawler/rules/probes.py). Only answers at most `probe_reuse_days` old are handed over.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from linkkeeper import clock
from linkkeeper.health.drift import Baseline
from linkkeeper.store import probes as stored
from linkkeeper.urls import host_key, origin, requestable


class ProbeReuse:
    def __init__(self, db: Database, urls: dict[int, str], baselines: dict[int, Baseline], reuse_days: float):
        self.landed = stored.last_landings(db, urls) if reuse_days else {}
        self.signatures = {rid: base.content.signature for rid, base in baselines.items() if base.content}
        since = (clock.now() - timedelta(days=reuse_days)).isoformat()
        hosts = {origin(requestable(url)) for url in (*urls.values(), *self.landed.values())}
        self.answers = stored.fresh_answers(db, hosts, since) if reuse_days else {}
        self.carried: set[tuple[str, str]] = set()
        self.fresh: list[dict[str, Any]] = []

    def for_target(self, resource_id: int, url: str) -> dict[str, Any]:
        """What a target carries for its probe: `probes`, `landed`, `signature` (each only when there is one)."""
        landed = self.landed.get(resource_id)
        listed = host_key(url)
        keys = {origin(requestable(address)) for address in (url, landed) if address}
        answers = {key: self.answers[key] for key in keys if key in self.answers and (listed, key) not in self.carried}
        self.carried |= {(listed, key) for key in answers}
        extra = {"probes": answers, "landed": landed, "signature": self.signatures.get(resource_id)}
        return {name: value for name, value in extra.items() if value}

    def answered(self, record: dict[str, Any]) -> None:
        """A crawler's fresh probe (`ProbeItem`), stored with the run's next batch."""
        self.fresh.append(
            {name: record[name] for name in ("host", "probed_at", "status", "final_url", "server", "answer")}
        )

    def store(self, db: Database) -> None:
        if self.fresh:
            stored.record(db, self.fresh)
            self.fresh = []
