"""A run's look-ups of its links' domains: each domain at most once every `rdap.recheck_days`, each RDAP server
asked one request at a time with `rdap.gap` between two, every look-up ended by `rdap.timeout` and all of them by
`rdap.time_budget`, so that a silent registry costs a run a few seconds at most, and never its verdicts: a look-up
that fails is "no information".

They run in threads while the crawl starts (`start`), and the run collects them before it judges its first check
(`Lookups.finish`), writing what the registries said to the database (store/domains.py) from its own thread. A
server that fails once is not asked again in that run; the domains it was to answer for are recorded as failed
with it, and asked again a day later, like every failure.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from linkkeeper.clock import now
from linkkeeper.config.resources import Config
from linkkeeper.config.settings import RdapPolicy
from linkkeeper.domains.bootstrap import bootstrap_path, load_bootstrap
from linkkeeper.domains.rdap import Answer, look_up
from linkkeeper.domains.registered import registered_domain
from linkkeeper.health.domain_expiry import DomainFacts
from linkkeeper.quote import clean, clip
from linkkeeper.store.domains import FAILED, NO_SERVICE, asked, facts, record
from linkkeeper.store.opening import guarded

RETRY_AFTER = timedelta(days=1)
"""A failed look-up, or an expiry date that has passed since the registry was asked (a renewal?), is asked again
after this long rather than after `rdap.recheck_days`."""
GRACE = 0.5
"""Seconds past the budget the run waits for a look-up to notice its deadline (a name being resolved does not)."""


def is_due(row: dict[str, Any] | None, moment: datetime, recheck_days: float) -> bool:
    """Whether a domain's registry is to be asked again, given its stored answer (None: never asked)."""
    if row is None:
        return True
    asked_at = datetime.fromisoformat(row["asked_at"])
    age = moment - asked_at
    if age >= timedelta(days=recheck_days):
        return True
    if age < RETRY_AFTER:
        return False
    expires = row["expires_at"]
    return row["answer"] == FAILED or (bool(expires) and asked_at < datetime.fromisoformat(expires) <= moment)


@dataclass
class Lookups:
    """The look-ups of one run: begun by `start`, collected by `finish`."""

    domains: dict[str, str]  # each listed URL with a registered domain, to that domain
    stored: dict[str, dict[str, Any]]
    deadline: float = 0.0
    rows: list[dict[str, Any]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False

    def finish(self, db: Database) -> dict[str, DomainFacts]:
        """What the registries said of each URL's domain that matters to its health, by URL; the answers of this
        run written first."""
        for thread in self.threads:
            thread.join(max(0.0, self.deadline + GRACE - time.monotonic()))
        with self.lock:
            self.closed = True
            rows = list(self.rows)
        if rows:
            with guarded(db):
                record(db, rows)
            self.stored.update(asked(db, [row["domain"] for row in rows]))
        known = {url: facts(self.stored[domain]) for url, domain in self.domains.items() if domain in self.stored}
        return {url: found for url, found in known.items() if found}

    def add(self, row: dict[str, Any]) -> None:
        with self.lock:
            if not self.closed:
                self.rows.append(row)


def start(db: Database, config: Config) -> Lookups:
    """Begin the look-ups that are due, in threads: of the links checked (a link a person set aside with `ignore`
    is not); nothing at all when `rdap.enabled` is off."""
    policy = config.settings.rdap
    if not policy.enabled:
        return Lookups({}, {})
    bootstrap = load_bootstrap(bootstrap_path(config))
    domains = {r.url: domain for r in config.resources if not r.ignored and (domain := registered_domain(r.url))}
    moment = now()
    lookups = Lookups(domains, asked(db, set(domains.values())))
    due = sorted({name for name in domains.values() if is_due(lookups.stored.get(name), moment, policy.recheck_days)})
    lookups.deadline = time.monotonic() + policy.time_budget
    by_server: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for domain in due:
        server = bootstrap.server_for(domain)
        if server is None:
            lookups.add(_row(domain, None, Answer(NO_SERVICE)))
        else:
            by_server[urlsplit(server).netloc].append((domain, server))
    for queue in by_server.values():
        thread = threading.Thread(
            target=_ask_in_turn, args=(lookups, queue, policy, config.settings.user_agent), daemon=True
        )
        thread.start()
        lookups.threads.append(thread)
    return lookups


def _ask_in_turn(lookups: Lookups, queue: list[tuple[str, str]], policy: RdapPolicy, user_agent: str) -> None:
    """One server's domains, one request at a time, `policy.gap` apart, until the budget ends (the domains left
    are asked by the next run) or the server fails (they are recorded as failed with it)."""
    for position, (domain, server) in enumerate(queue):
        if position:
            time.sleep(max(0.0, min(policy.gap, lookups.deadline - time.monotonic())))
        if time.monotonic() >= lookups.deadline:
            return
        try:
            answer = look_up(server, domain, min(time.monotonic() + policy.timeout, lookups.deadline), user_agent)
        except Exception as error:  # a look-up is never the run's failure, nor a traceback in cron's mail
            answer = Answer(FAILED, error=clip(f"{type(error).__name__}: {clean(str(error))}", 200))
        lookups.add(_row(domain, server, answer))
        if answer.answer == FAILED:
            unasked = Answer(FAILED, error=f"not asked: {urlsplit(server).netloc} failed for {domain} ({answer.error})")
            for later, later_server in queue[position + 1 :]:
                lookups.add(_row(later, later_server, unasked))
            return


def _row(domain: str, server: str | None, answer: Answer) -> dict[str, Any]:
    return {"domain": domain, "server": server, "asked_at": now().isoformat(), **asdict(answer)}
