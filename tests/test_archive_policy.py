"""Which links the archive step submits, looks up, or leaves alone (pure rules, no network), and how it paces calls.

Submitting an error page would archive the error, so anything that may be one is only looked up; a page that
still serves its content is submitted unless the archive captured it, or refused it, within the resave window.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from archive.pacing import OutOfTime, Pace
from archive.policy import LOOKUP, SAVE, decide, spooled_outcomes
from linkkeeper.config.settings import Settings
from linkkeeper.health.findings import outcome

POLICY = Settings.from_flat({}).archive
PRESERVE_OK = replace(POLICY, preserve_ok=True)
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
FAILING_SINCE = "2026-11-20T06:00:00+00:00"
WINDOW = timedelta(days=POLICY.resave_after_days)
A_MOMENT = timedelta(seconds=1)


def ago(span: timedelta) -> str:
    return (NOW - span).isoformat()


def link(state: str, finding: str, **archive) -> dict:
    """A row of `link_health`: a link failing (dead, or at risk by a failure) has failed since the 20th."""
    failing = state == "dead" or (state == "at_risk" and outcome(finding) == "failure")
    row = {
        "state": state, "finding": finding, "failing_since": FAILING_SINCE if failing else None,
        "archive_status": None, "archived_at": None, "archive_checked_at": None, "archive_verified_at": None,
    }
    return {**row, **archive}


@pytest.mark.parametrize("finding", ["moved", "cert-expiring", "content-changed", "timeout", "connection", "dns"])
def test_an_at_risk_link_that_still_serves_or_may_serve_its_content_is_submitted(finding):
    assert decide(link("at_risk", finding), POLICY, NOW) == SAVE


@pytest.mark.parametrize(
    "finding",
    ["http", "soft-404", "home-redirect", "parked", "for-sale", "suspended", "default-page", "placeholder"],
)
def test_an_error_page_is_never_submitted_but_looked_up(finding):
    assert decide(link("at_risk", finding), POLICY, NOW) == LOOKUP


def test_a_suspected_not_found_page_is_looked_up_not_submitted():
    """A suspicion is only a warning, but submitting it may archive an error page over the good captures."""
    assert decide(link("at_risk", "suspect-404"), POLICY, NOW) == LOOKUP


def test_a_suspected_not_found_page_already_looked_up_is_left_alone_not_submitted():
    looked_up = link(
        "at_risk", "suspect-404", archive_status="archived", archive_checked_at=ago(timedelta(days=2)),
        archive_verified_at=ago(timedelta(days=2)),
    )
    assert decide(looked_up, POLICY, NOW) is None


@pytest.mark.parametrize("finding", ["http", "timeout", "parked", "dns"])
def test_a_dead_link_is_looked_up_never_submitted(finding):
    assert decide(link("dead", finding), POLICY, NOW) == LOOKUP


@pytest.mark.parametrize("policy", [POLICY, PRESERVE_OK], ids=["default", "preserve_ok"])
@pytest.mark.parametrize("finding", ["bot-challenge", "forbidden"])
def test_a_link_behind_a_wall_is_left_alone(finding, policy):
    assert decide(link("unknown", finding), policy, NOW) is None


def test_a_healthy_link_is_left_alone_unless_preserve_ok():
    assert decide(link("ok", "ok"), POLICY, NOW) is None
    assert decide(link("ok", "ok"), PRESERVE_OK, NOW) == SAVE


def test_a_healthy_link_captured_within_the_resave_window_is_not_submitted_even_with_preserve_ok():
    recent = link("ok", "ok", archive_status="archived", archived_at=ago(WINDOW - A_MOMENT))
    assert decide(recent, PRESERVE_OK, NOW) is None


def test_a_link_captured_a_moment_inside_the_resave_window_is_not_submitted_again():
    recent = link("at_risk", "moved", archive_status="archived", archived_at=ago(WINDOW - A_MOMENT))
    assert decide(recent, POLICY, NOW) is None


@pytest.mark.parametrize("age", [WINDOW, WINDOW * 3], ids=["exactly the window", "long before"])
def test_a_link_captured_the_resave_window_ago_or_earlier_is_submitted_again(age):
    old = link("at_risk", "moved", archive_status="archived", archived_at=ago(age))
    assert decide(old, POLICY, NOW) == SAVE


@pytest.mark.parametrize("status", ["refused", "excluded"])
def test_a_page_the_archive_refused_is_not_submitted_again_inside_the_resave_window(status):
    """A refusal has no capture: it is settled by when the archive answered, and asked again once the window ends."""
    refused = link("at_risk", "moved", archive_status=status, archive_checked_at=ago(WINDOW - A_MOMENT))
    assert decide(refused, POLICY, NOW) is None
    assert decide({**refused, "archive_checked_at": ago(WINDOW)}, POLICY, NOW) == SAVE


def test_a_page_found_lost_is_submitted_as_soon_as_it_serves_again():
    """Only a capture or a refusal settles a page: a look-up that found nothing does not."""
    lost = link("at_risk", "moved", archive_status="lost", archive_checked_at=ago(timedelta(days=1)))
    assert decide(lost, POLICY, NOW) == SAVE


def found_and_verified(checked: str) -> dict:
    return link("dead", "http", archive_status="archived", archive_checked_at=checked, archive_verified_at=checked)


def test_a_dead_link_is_looked_up_once_per_failing_episode():
    found = found_and_verified("2026-11-21T00:00:00+00:00")
    assert decide(found, POLICY, NOW) is None
    again = {**found, "failing_since": "2026-11-25T00:00:00+00:00"}
    assert decide(again, POLICY, NOW) == LOOKUP


def test_a_look_up_made_as_the_failing_began_counts_for_that_episode():
    assert decide(found_and_verified(FAILING_SINCE), POLICY, NOW) is None


def test_a_dead_links_copy_recorded_before_captures_were_verified_is_looked_up_again_once():
    unverified = {**found_and_verified("2026-11-21T00:00:00+00:00"), "archive_verified_at": None}
    assert decide(unverified, POLICY, NOW) == LOOKUP
    assert decide({**unverified, "archive_verified_at": NOW.isoformat()}, POLICY, NOW) is None


def test_an_unverified_copy_of_a_link_that_serves_its_page_is_not_looked_up():
    """Only a link that no longer leads to its page sends readers to the copy."""
    fine = link("ok", "ok", archive_status="archived", archived_at=ago(timedelta(days=1)))
    assert decide(fine, POLICY, NOW) is None


def lost_in_this_episode(checked: timedelta) -> dict:
    """Failing long enough that a look-up a window ago already belongs to this episode."""
    return link(
        "dead", "http", failing_since=ago(WINDOW * 2), archive_status="lost", archive_checked_at=ago(checked)
    )


def test_a_lost_page_is_looked_for_again_after_the_resave_window():
    assert decide(lost_in_this_episode(WINDOW), POLICY, NOW) == LOOKUP
    assert decide(lost_in_this_episode(WINDOW * 1.5), POLICY, NOW) == LOOKUP


def test_a_lost_page_is_not_looked_for_again_a_moment_inside_the_resave_window():
    assert decide(lost_in_this_episode(WINDOW - A_MOMENT), POLICY, NOW) is None


def test_a_page_found_archived_is_not_looked_up_again_in_the_same_episode_however_long_ago():
    found = {**lost_in_this_episode(WINDOW * 1.5), "archive_status": "archived", "archive_verified_at": ago(WINDOW)}
    assert decide(found, POLICY, NOW) is None


def test_only_warnings_are_kept_for_submission_unless_preserve_ok_keeps_healthy_pages_too():
    """The crawler keeps a response as WARC only when the archive step may submit it."""
    assert spooled_outcomes(POLICY) == ["warning"]
    assert spooled_outcomes(PRESERVE_OK) == ["warning", "ok"]


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


def test_no_turn_is_given_once_the_deadline_has_passed_even_when_the_rate_allows_one():
    time = FakeTime()
    pace = Pace(60, 30, time.clock, time.sleep)
    time.now = 31
    with pytest.raises(OutOfTime):
        turns(pace, 1, time)
