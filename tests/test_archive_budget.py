"""The archive step ends within its time budget however the Wayback Machine stalls, and leaves what it could not
do pending for the next run.

The step is driven in-process (the Archiver over a real SQLite file) against the local stand-in, with 42 links:
dead ones to look up, at-risk ones to save (some of them submitted straight away, some with a Save Page Now job
from an earlier run to follow), with keys, at rates that let every call start at once. The archive accepts and
never answers, answers a byte a second, answers 429 for ever, or sits behind a name server that never answers;
each call may take a minute (`request_timeout: 60`), far longer than the budget. Before the fix, calls queued for
one of `asyncio.to_thread`'s 6 threads and started late with the time left when they queued: 41 links with a
budget of 5 s took 21 s, with 20 s, 126 s.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from archive.keys import Keys
from archive.pacing import CALL_GRACE, OutOfTime, Threads
from archive.policy import LOOKUP, SAVE
from archive.runner import Archiver, Outcome, Task
from archive.wayback import WaybackClient
from linkkeeper.clock import now, now_iso
from linkkeeper.config.resources import Resource
from linkkeeper.config.settings import Settings
from linkkeeper.store import queries as storage
from local_wayback import STALLS, LocalWayback

LINKS = 42
POLICY = replace(
    Settings.from_flat({}).archive,
    request_timeout=60,
    saves_per_minute=6000,
    cdx_per_minute=6000,
    poll_interval=0.05,
    job_timeout=10,
)
SLACK = 4.0  # seconds past the budget the step may take on a loaded machine: a fault test, not a benchmark
HEALTHY_BUDGET = 60
SILENT_DNS = "silent-dns"
STALLED_HOST = "wayback.stalled.test"
GOOD_CAPTURE = "20200101000000"


def urls() -> list[str]:
    return [f"http://example.org/page/{n}" for n in range(LINKS)]


def action_of(n: int) -> str:
    return LOOKUP if n % 3 == 0 else SAVE


@pytest.fixture
def wayback():
    with LocalWayback() as local:
        for n, url in enumerate(urls()):
            if action_of(n) == LOOKUP:
                local.add_capture(url, GOOD_CAPTURE)
        yield local


@pytest.fixture
def silent_name_server(monkeypatch):
    """`STALLED_HOST` is looked up by a resolver that never answers (until the test ends); other names as ever."""
    released = threading.Event()
    looking_up = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == STALLED_HOST:
            released.wait()
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return looking_up(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    released.set()


def client(wayback: LocalWayback, base_url: str | None = None) -> WaybackClient:
    keys = Keys(wayback.access, wayback.secret)
    return WaybackClient(base_url or wayback.base_url, POLICY.request_timeout, "linkkeeper-test", keys)


def queue(db, wayback: LocalWayback) -> list[Task]:
    """The pending work of all links, queued as a run queues it; on the first call, every third save is given a
    job submitted by an earlier run, and every other one without is forced (submitted at once, no look-up)."""
    listed = urls()
    resources = [Resource(url, f"Page {n}", "page", "", url, "", 0, 1) for n, url in enumerate(listed)]
    ids = storage.sync_resources(db, resources, now_iso())
    first = not db["snapshots"].count
    rows = storage.queue_snapshots(db, [(ids[url], url, action_of(n)) for n, url in enumerate(listed)], now_iso())
    if first:
        for row in rows:
            if row["action"] == SAVE and listed.index(row["url"]) % 3 == 1:
                job = client(wayback).submit(row["url"], 30)
                storage.update_snapshot(db, row, {"job_id": job, "submitted_at": now_iso()})
                row.update(job_id=job, submitted_at=now_iso())
    failing_since = (now() - timedelta(days=7)).isoformat()
    return [
        Task(row, failing_since if row["action"] == LOOKUP else None, forced=listed.index(row["url"]) % 6 == 5)
        for row in rows
    ]


def run_step(db, wayback: LocalWayback, budget: float, base_url: str | None = None) -> tuple[list[Outcome], float]:
    tasks = queue(db, wayback)
    assert len(tasks) == LINKS
    archiver = Archiver(db, client(wayback, base_url), replace(POLICY, time_budget=budget))
    started = time.monotonic()
    outcomes = archiver.run(tasks)
    return outcomes, time.monotonic() - started


@pytest.mark.parametrize("budget", [3, 8])
@pytest.mark.parametrize("stall", [*STALLS, SILENT_DNS])
def test_the_step_ends_within_its_budget_however_the_archive_stalls_and_the_next_run_completes_it(
    request, db, wayback, stall, budget
):
    queue(db, wayback)  # the jobs of an earlier run, submitted while the archive answered
    if stall == SILENT_DNS:
        request.getfixturevalue("silent_name_server")
        base_url = wayback.base_url.replace("127.0.0.1", STALLED_HOST)
    else:
        wayback.stall(stall)
        base_url = None
    outcomes, took = run_step(db, wayback, budget, base_url)
    assert took < budget + SLACK, f"{stall}: the step took {took:.1f} s with a budget of {budget} s"
    assert {outcome.status for outcome in outcomes} == {"pending"}
    rows = list(db["snapshots"].rows)
    assert {row["status"] for row in rows} == {"pending"}
    for row in rows:
        error = row["error"]
        assert error and error.isprintable() and len(error) < 300, (row["url"], error)
        assert (row["archive_url"], row["completed_at"]) == (None, None)
    assert {row["archive_status"] for row in db["resources"].rows} == {None}
    assert db["passed_captures"].count == 0

    wayback.stall(None)
    outcomes, _ = run_step(db, wayback, HEALTHY_BUDGET)
    assert [(outcome.url, outcome.status) for outcome in outcomes if outcome.status != "archived"] == []
    assert {row["status"] for row in db["snapshots"].rows} == {"archived"}
    assert {row["archive_status"] for row in db["resources"].rows} == {"archived"}


def test_the_healthy_archive_completes_every_link_at_once(db, wayback):
    """The control: the same links against an archive that answers are all done in the first run."""
    outcomes, took = run_step(db, wayback, HEALTHY_BUDGET)
    assert {outcome.status for outcome in outcomes} == {"archived"}
    assert took < HEALTHY_BUDGET / 2


def run_calls(threads: Threads, *calls) -> list:
    async def together():
        return await asyncio.gather(*(threads.call(call) for call in calls), return_exceptions=True)

    return asyncio.run(together())


def test_a_call_is_given_the_time_left_when_its_thread_starts_not_when_it_asked():
    deadline = time.monotonic() + 5
    given = []

    def call(time_left: float) -> None:
        given.append(time_left)
        time.sleep(1)

    run_calls(Threads(1, deadline, time.monotonic), call, call)
    assert len(given) == 2
    assert 4.5 < given[0] <= 5
    assert given[1] < 4.2, "the second call was given the time left when it queued"


def test_a_call_that_would_start_after_the_budget_does_not_start_and_none_is_waited_for_past_it():
    started = time.monotonic()
    deadline = started + 1
    calls = []

    def stuck(time_left: float) -> None:  # a call that ignores its deadline, as none here does
        calls.append("stuck")
        time.sleep(8)

    def never(time_left: float) -> None:
        calls.append("never")

    first, second = run_calls(Threads(1, deadline, time.monotonic), stuck, never)
    took = time.monotonic() - started
    assert calls == ["stuck"]
    assert isinstance(first, OutOfTime) and "had not ended" in str(first)
    assert isinstance(second, OutOfTime) and "busy" in str(second)
    assert took < 1 + CALL_GRACE + 1.5
