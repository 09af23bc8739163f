"""Which links the archive step submits, looks up, or leaves alone: pure rules, no network."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from archive.pacing import OutOfTime, Pace
from archive.policy import LOOKUP, SAVE, decide
from linkkeeper.settings import Settings

POLICY = Settings.from_flat({}).archive
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def link(state: str, finding: str, **archive) -> dict:
    row = {
        "state": state, "finding": finding, "failing_since": None, "archive_status": None,
        "archived_at": None, "archive_checked_at": None,
    }
    if state in ("dead", "at_risk") and finding not in ("moved", "cert-expiring"):
        row["failing_since"] = "2026-11-20T06:00:00+00:00"
    return {**row, **archive}


@pytest.mark.parametrize("finding", ["moved", "cert-expiring", "timeout", "connection", "dns"])
def test_an_at_risk_link_that_still_serves_or_may_serve_its_content_is_submitted(finding):
    assert decide(link("at_risk", finding), POLICY, NOW) == SAVE


@pytest.mark.parametrize("finding", ["http", "soft-404", "parked", "home-redirect"])
def test_an_error_page_is_never_submitted_but_looked_up(finding):
    assert decide(link("at_risk", finding), POLICY, NOW) == LOOKUP


@pytest.mark.parametrize("finding", ["http", "timeout", "parked"])
def test_a_dead_link_is_looked_up_never_submitted(finding):
    assert decide(link("dead", finding), POLICY, NOW) == LOOKUP


def test_a_link_captured_within_the_resave_window_is_not_submitted_again():
    recent = link("at_risk", "moved", archived_at="2026-11-10T00:00:00+00:00")
    assert decide(recent, POLICY, NOW) is None


def test_a_link_captured_before_the_resave_window_is_submitted_again():
    old = link("at_risk", "moved", archived_at="2026-09-01T00:00:00+00:00")
    assert decide(old, POLICY, NOW) == SAVE


def test_a_healthy_link_is_left_alone_unless_preserve_ok():
    assert decide(link("ok", "ok"), POLICY, NOW) is None
    assert decide(link("ok", "ok"), replace(POLICY, preserve_ok=True), NOW) == SAVE


def test_a_bot_challenge_is_left_alone():
    assert decide(link("unknown", "bot-challenge"), POLICY, NOW) is None


def test_a_dead_link_is_looked_up_once_per_failing_episode():
    found = link("dead", "http", archive_status="archived", archive_checked_at="2026-11-21T00:00:00+00:00")
    assert decide(found, POLICY, NOW) is None
    again = {**found, "failing_since": "2026-11-25T00:00:00+00:00"}
    assert decide(again, POLICY, NOW) == LOOKUP


def test_a_lost_page_is_looked_for_again_after_the_resave_window():
    lost = link("dead", "http", archive_status="lost", archive_checked_at="2026-11-21T00:00:00+00:00")
    assert decide(lost, POLICY, NOW) is None
    assert decide({**lost, "archive_checked_at": "2026-10-01T00:00:00+00:00"}, POLICY, NOW) == LOOKUP


class FakeTime:
    """A clock that only moves when slept on: pacing is measured exactly, in no time."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def turns(pace: Pace, count: int, time: FakeTime) -> list[float]:
    async def take() -> list[float]:
        moments = []
        for _ in range(count):
            await pace.turn()
            moments.append(time.now)
        return moments

    return asyncio.run(take())


def test_calls_are_spaced_to_the_rate_a_minute():
    time = FakeTime()
    assert turns(Pace(3, 1000, time.clock, time.sleep), 4, time) == [0, 20, 40, 60]


def test_a_429_without_retry_after_backs_off_exponentially():
    time = FakeTime()
    pace = Pace(60, 10_000, time.clock, time.sleep)
    assert [pace.rate_limited(None), pace.rate_limited(None), pace.rate_limited(None)] == [60, 120, 240]
    assert turns(pace, 1, time) == [240]


def test_a_429_with_retry_after_waits_that_long():
    time = FakeTime()
    pace = Pace(60, 10_000, time.clock, time.sleep)
    pace.rate_limited(7)
    assert turns(pace, 1, time) == [7]


def test_a_turn_after_the_deadline_is_refused_not_waited_for():
    time = FakeTime()
    pace = Pace(3, 30, time.clock, time.sleep)
    turns(pace, 2, time)
    with pytest.raises(OutOfTime):
        turns(pace, 1, time)


def test_a_page_the_archive_refused_is_not_submitted_again_inside_the_resave_window():
    refused = link("at_risk", "moved", archive_status="refused", archive_checked_at="2026-11-20T00:00:00+00:00")
    assert decide(refused, POLICY, NOW) is None
    assert decide({**refused, "archive_checked_at": "2026-09-01T00:00:00+00:00"}, POLICY, NOW) == SAVE


def test_no_turn_is_given_once_the_deadline_has_passed_even_when_the_rate_allows_one():
    time = FakeTime()
    pace = Pace(60, 30, time.clock, time.sleep)
    time.now = 31
    with pytest.raises(OutOfTime):
        turns(pace, 1, time)
