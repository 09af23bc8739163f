"""The frontier's rules, step by step against a real redis-server: a host is one worker's at a time, until
its links are done or its worker is gone; what a dead worker had taken comes back; a report of an old run
is dropped."""

from __future__ import annotations

import pytest

from linkkeeper.runs.frontier import LOST, Frontier
from linkkeeper.urls import host_key
from local_redis import local_redis

TARGETS = [
    {"id": 1, "url": "http://a.test/1"},
    {"id": 2, "url": "http://a.test/2", "served_at": "2026-11-30T06:17:00+00:00"},
    {"id": 3, "url": "http://B.test:8080/x"},
    {"id": 4, "url": "mailto:someone@c.test?subject=hi"},
]


@pytest.fixture(scope="module")
def redis_url():
    with local_redis() as server:
        yield server.url


@pytest.fixture
def frontier(redis_url):
    frontier = Frontier(redis_url)
    yield frontier
    frontier.client.flushdb()
    frontier.close()


def started(frontier: Frontier, *workers: str) -> str:
    run = frontier.open_run({}, lease=60)
    assert frontier.feed(run, TARGETS) == len(TARGETS)
    for worker in workers:
        frontier.alive(run, worker, 60)
    return run


def test_each_host_is_one_workers_until_its_links_are_done(frontier):
    run = started(frontier, "w1", "w2")
    hosts = [frontier.claim(run, worker) for worker in ("w1", "w2", "w1")]
    assert frontier.claim(run, "w2") is None
    assert sorted(hosts) == ["a.test", "b.test", "c.test"]
    mine = {host: worker for host, worker in zip(hosts, ("w1", "w2", "w1"), strict=True)}
    other = {"w1": "w2", "w2": "w1"}

    assert frontier.take(run, other[mine["a.test"]], "a.test") == LOST
    first = frontier.take(run, mine["a.test"], "a.test")
    assert first == TARGETS[0]
    assert not frontier.release(run, mine["a.test"], "a.test")  # one link still queued
    assert frontier.take(run, mine["a.test"], "a.test") == TARGETS[1]
    assert frontier.take(run, mine["a.test"], "a.test") is None
    assert not frontier.release(run, mine["a.test"], "a.test")  # two links taken, not reported
    for target in TARGETS[:2]:
        frontier.report(run, {"type": "CheckItem", "target": target["id"], "url": target["url"]})
    assert frontier.release(run, mine["a.test"], "a.test")
    assert [r["target"] for r in frontier.results(run, wait=1)] == [1, 2]


def test_what_a_gone_worker_held_and_took_goes_to_the_next(frontier):
    run = started(frontier, "w1", "w2")
    host = frontier.claim(run, "w1")
    taken = frontier.take(run, "w1", host)
    frontier.leave(run, "w1")  # as a lapsed lease does, sooner
    claimed = {frontier.claim(run, "w2") for _ in TARGETS} - {None}
    assert host in claimed
    assert frontier.take(run, "w2", host) == taken
    assert frontier.take(run, "w1", host) == LOST


def test_a_report_of_a_run_that_is_over_is_dropped(frontier):
    old = started(frontier, "w1")
    new = frontier.open_run({}, lease=60)  # a coordinator killed, and the next one's run
    frontier.report(old, {"type": "CheckItem", "target": 1, "url": TARGETS[0]["url"]})
    assert frontier.results(new, wait=1) == [] == frontier.results(old, wait=1)
    assert frontier.job()["run"] == new
    frontier.close_run(new)
    assert frontier.job() is None and frontier.client.keys("*") == []


def test_a_host_is_the_host_name_scrapy_keys_its_slots_by():
    assert [host_key(target["url"]) for target in TARGETS] == ["a.test", "a.test", "b.test", "c.test"]
