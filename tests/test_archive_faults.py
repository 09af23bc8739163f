"""The archive step against a Wayback Machine that misbehaves: every fault of `local_wayback.FAULTS`.

Driven in-process (the Archiver over a real SQLite file, the stand-in on 127.0.0.1 port 0) so each case
takes milliseconds, or about one request timeout for the answers that never end. Whatever the answer: no
exception escapes, the work stays pending with a plain one-line reason (a dead page is never called lost
on a nonsense answer), the resource's archive columns are as they were, nothing of the answer is stored,
and every call ends within its deadline.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import replace
from datetime import timedelta

import pytest

from archive import answers
from archive.keys import Keys
from archive.policy import LOOKUP, SAVE
from archive.runner import Archiver, Outcome, Task
from archive.transport import MAX_ANSWER_BYTES
from archive.wayback import WaybackClient
from linkkeeper.clock import now, now_iso
from linkkeeper.config.resources import Resource
from linkkeeper.config.settings import Settings
from linkkeeper.store import queries as storage
from local_wayback import ELSEWHERE_FAULT, EVIL, FAULTS, HUGE_BYTES, TRANSPORT_FAULTS, LocalWayback

URL = "http://example.org/report"  # never fetched: only the stand-in is called
POLICY = replace(
    Settings.from_flat({}).archive,
    request_timeout=1.0,
    time_budget=10,
    saves_per_minute=6000,
    cdx_per_minute=6000,
    poll_interval=0.05,
    job_timeout=2,
)
SLACK = 1.0  # seconds a call may overrun its deadline on a loaded machine
# What the resource knew before this run, from an earlier episode: a fault must leave it exactly so.
EARLIER = {
    "archive_url": f"https://web.archive.org/web/20200101000000/{URL}",
    "archive_status": "archived",
    "archived_at": "2020-01-01T00:00:00+00:00",
    "archive_checked_at": "2020-06-01T00:00:00+00:00",
}
CDX_FAULTS = sorted(name for name in FAULTS if name.startswith("cdx-"))
AVAILABLE_FAULTS = sorted(name for name in FAULTS if name.startswith("available-"))
SPN2_FAULTS = sorted(name for name in FAULTS if name.startswith(("submit-", "status-")))
SAVE_FAULTS = sorted(name for name in FAULTS if name.startswith("save-"))
TRICKLE_FAULTS = [name for name in TRANSPORT_FAULTS if name.startswith("trickle-")]
REPLAY_FAULTS = sorted(name for name in FAULTS if name.startswith("replay-") and name != ELSEWHERE_FAULT)


@pytest.fixture
def wayback():
    with LocalWayback() as local:
        yield local


def run_step(db, wayback: LocalWayback, action: str, keys: bool = False, **policy) -> tuple[Outcome, float]:
    """One archive step over one resource (a dead page for a look-up, a moved one for a save); its outcome
    and how long it took. The resource's pending work is carried over from an earlier call, as across runs."""
    resource_id = storage.sync_resources(db, [Resource(URL, "A report", "report", "", URL, "", 0, 1)], now_iso())[URL]
    if not db["snapshots"].count:
        db["resources"].update(resource_id, EARLIER)
    [snapshot] = storage.queue_snapshots(db, [(resource_id, URL, action)], now_iso())
    settings = replace(POLICY, **policy)
    credentials = Keys(wayback.access, wayback.secret) if keys else None
    client = WaybackClient(wayback.base_url, settings.request_timeout, "linkkeeper-test", credentials)
    failing_since = (now() - timedelta(days=7)).isoformat()
    started = time.monotonic()
    [outcome] = Archiver(db, client, settings).run([Task(snapshot, failing_since)])
    return outcome, time.monotonic() - started


def left_pending(db, outcome: Outcome) -> dict:
    """Assert the work stayed pending and nothing of the answer was stored; the snapshot row."""
    [snapshot] = db["snapshots"].rows
    assert (outcome.status, snapshot["status"]) == ("pending", "pending")
    assert (snapshot["archive_url"], snapshot["captured_at"], snapshot["completed_at"]) == (None, None, None)
    error = snapshot["error"]
    assert error and error.isascii() and error.isprintable() and len(error) < 300, error
    [resource] = db["resources"].rows
    assert {name: resource[name] for name in EARLIER} == EARLIER
    assert EVIL not in "\n".join(db.conn.iterdump())
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    return snapshot


@pytest.mark.parametrize("action", [LOOKUP, SAVE])
@pytest.mark.parametrize("fault", CDX_FAULTS)
def test_a_malformed_cdx_answer_leaves_the_work_pending_never_lost_nor_recent(db, wayback, fault, action):
    """A look-up is not called lost, and a save is not skipped as "captured recently", on a nonsense answer."""
    wayback.misbehave(fault)
    outcome, took = run_step(db, wayback, action)
    snapshot = left_pending(db, outcome)
    assert snapshot["error"].startswith("the CDX answer makes no sense: ")
    assert wayback.submissions() == []
    assert took < POLICY.request_timeout + SLACK


@pytest.mark.parametrize("fault", AVAILABLE_FAULTS)
def test_a_malformed_availability_answer_leaves_the_save_pending_and_the_next_run_confirms_it(db, wayback, fault):
    wayback.misbehave(fault)
    snapshot = left_pending(db, run_step(db, wayback, SAVE)[0])
    assert snapshot["error"].startswith("the availability answer makes no sense: ")
    assert snapshot["submitted_at"]
    wayback.misbehave(None)
    outcome, _ = run_step(db, wayback, SAVE)
    assert outcome.status == "archived"
    assert outcome.archive_url == f"{wayback.base_url}/web/{wayback.captures(URL)[-1].timestamp}/{URL}"
    assert len(wayback.submissions()) == 1


@pytest.mark.parametrize("fault", SPN2_FAULTS)
def test_a_malformed_spn2_answer_leaves_the_save_pending_without_a_job_to_follow(db, wayback, fault):
    wayback.misbehave(fault)
    snapshot = left_pending(db, run_step(db, wayback, SAVE, keys=True)[0])
    assert snapshot["submitted_at"] and snapshot["job_id"] is None
    if fault.startswith("submit-"):
        assert snapshot["error"].startswith("the Save Page Now answer makes no sense: ")
    else:
        assert "could not be followed (" in snapshot["error"]


@pytest.mark.parametrize("fault", SAVE_FAULTS)
def test_an_anonymous_save_naming_no_real_new_capture_stays_pending(db, wayback, fault):
    wayback.misbehave(fault)
    snapshot = left_pending(db, run_step(db, wayback, SAVE)[0])
    assert snapshot["error"] == "submitted; the capture is not visible yet"
    assert not [r for r in wayback.requests if r.path == "/wayback/available"], "an unreal timestamp was checked"


@pytest.mark.parametrize("fault", TRICKLE_FAULTS)
def test_an_answer_that_never_ends_is_cut_at_the_request_timeout(db, wayback, fault):
    wayback.misbehave(fault)
    outcome, took = run_step(db, wayback, LOOKUP)
    snapshot = left_pending(db, outcome)
    assert snapshot["error"] == "/cdx/search/cdx: no complete answer within 1 s"
    assert POLICY.request_timeout - 0.1 < took < POLICY.request_timeout + SLACK


def test_the_time_budget_bounds_a_call_in_progress(db, wayback):
    wayback.misbehave("trickle-body")
    outcome, took = run_step(db, wayback, LOOKUP, request_timeout=30, time_budget=1)
    snapshot = left_pending(db, outcome)
    assert snapshot["error"].startswith("/cdx/search/cdx: no complete answer within ")
    assert took < 1 + SLACK


def test_a_huge_answer_is_read_only_up_to_the_cap(db, wayback):
    wayback.misbehave("huge-body")
    tracemalloc.start()
    try:
        outcome, took = run_step(db, wayback, LOOKUP)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    snapshot = left_pending(db, outcome)
    assert snapshot["error"] == "/cdx/search/cdx: the answer is larger than 2 MB"
    assert peak < 4 * MAX_ANSWER_BYTES < HUGE_BYTES / 16
    assert took < POLICY.request_timeout + SLACK


@pytest.mark.parametrize("fault", REPLAY_FAULTS)
def test_a_capture_replayed_in_no_sense_leaves_the_look_up_pending_neither_chosen_nor_passed_over(db, wayback, fault):
    """An error of the archive's own, or a redirect off the archive, to no real capture or round in a loop, says
    nothing of what the capture shows."""
    wayback.add_capture(URL, "20200101000000")
    wayback.misbehave(fault)
    snapshot = left_pending(db, run_step(db, wayback, LOOKUP)[0])
    assert snapshot["error"].startswith(("/web/", "the replay's redirect makes no sense: "))
    assert db["passed_captures"].count == 0


def test_a_capture_the_archive_replays_as_another_page_is_passed_over_not_chosen(db, wayback):
    wayback.add_capture(URL, "20200101000000")
    wayback.misbehave(ELSEWHERE_FAULT)
    outcome, _ = run_step(db, wayback, LOOKUP)
    assert (outcome.status, outcome.archive_url) == ("lost", None)
    [passed] = db["passed_captures"].rows
    assert (passed["timestamp"], passed["finding"]) == ("20200101000000", "moved")
    assert passed["reason"] == "the archive replays it as another page"
    assert EVIL not in "\n".join(db.conn.iterdump())


def test_every_fault_of_the_stand_in_is_driven_here():
    driven = {
        *CDX_FAULTS, *AVAILABLE_FAULTS, *SPN2_FAULTS, *SAVE_FAULTS, *TRICKLE_FAULTS, "huge-body", *REPLAY_FAULTS,
        ELSEWHERE_FAULT,
    }
    assert driven == set(FAULTS)


def test_a_capture_listed_under_another_form_of_the_url_is_taken_with_an_archive_url_built_by_us(db, wayback):
    """The control: validation does not refuse what the real CDX API answers for the same page."""
    wayback.add_capture("https://www.Example.org:443/report", "20200101000000")
    outcome, _ = run_step(db, wayback, LOOKUP, request_timeout=5)
    assert (outcome.status, outcome.archive_url) == ("archived", f"{wayback.base_url}/web/20200101000000/{URL}")


@pytest.mark.parametrize(
    "other",
    [
        "https://example.org/report",
        "http://www.example.org/report",
        "http://EXAMPLE.org:80/Report",
        "example.org/report",
    ],
)
def test_the_same_page_under_another_form(other):
    assert answers.same_page(URL, other)


@pytest.mark.parametrize(
    "other",
    ["http://example.org/report2", "http://example.org.evil/report", "http://example.org:8080/report", "http://[::1"],
)
def test_another_page(other):
    assert not answers.same_page(URL, other)
