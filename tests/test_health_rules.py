"""The health state machine on its own: no network, explicit times.

Each check moves a link between `ok`, `at_risk`, `dead` and `unknown`; the run's summary reports some of
those moves (`change`) with the reason a person reads. These tests pin every reachable move with what it
reports, the dead rule's two thresholds at their boundaries, when `since` moves, and what a wall keeps.
"""

from __future__ import annotations

import pytest

from linkkeeper.config.settings import HealthPolicy
from linkkeeper.health.state import CHANGE_KINDS, Change, Health, Observation, change, next_health

POLICY = HealthPolicy(dead_after_failures=3, dead_after_days=3, cert_warning_days=30)
URL = "https://example.org/paper"
NEW_HOME = "https://example.net/paper"


def day(n: int, time: str = "06:00:00") -> str:
    return f"2026-11-{n:02d}T{time}+00:00"


def check(previous: Health, outcome: str, on: str, detail: str | None = None, moved_to=None, policy=POLICY):
    if outcome == "warning" and detail is None:
        detail, moved_to = f"moved permanently to {NEW_HOME}", NEW_HOME
    detail = detail or {"ok": "200 OK", "failure": "404 Not Found", "blocked": "bot challenge"}[outcome]
    return next_health(previous, Observation(outcome, detail, on, moved_to), policy)


def failures(previous: Health, *days: int, policy=POLICY) -> Health:
    for n in days:
        previous = check(previous, "failure", day(n), policy=policy)
    return previous


OK = Health("ok", "200 OK", day(1))
FAILED_ONCE = Health("at_risk", "404 Not Found (...)", day(2), failures=1, failing_since=day(2))
AT_RISK = Health("at_risk", "404 Not Found (...)", day(2), failures=2, failing_since=day(2))
DEAD = Health("dead", "404 Not Found (...)", day(5), failures=3, failing_since=day(2))
NEVER_CHECKED = Health()
WALLED_MID_STREAK = Health("unknown", "bot challenge", day(4), failures=2, failing_since=day(2))
WALLED_WHILE_OK = Health("unknown", "bot challenge", day(4))
MOVED = Health("at_risk", f"moved permanently to {NEW_HOME}", day(2), moved_to=NEW_HOME)

ONE_FAILURE_TODAY = "404 Not Found (failed 1 check in a row; dead after 3 failed checks over at least 3 days)"
DEAD_SINCE_THE_2ND = "404 Not Found (failed 3 checks in a row)"

# before, what the check on the 6th saw, the policy -> the state after, the change reported, the reason read.
TRANSITIONS = {
    "ok stays ok": (OK, "ok", POLICY, "ok", None, "200 OK"),
    "ok fails once": (OK, "failure", POLICY, "at_risk", "newly_at_risk", ONE_FAILURE_TODAY),
    "ok gets a warning": (OK, "warning", POLICY, "at_risk", "newly_at_risk", f"moved permanently to {NEW_HOME}"),
    "ok dies at once when one failure is enough": (
        OK, "failure", HealthPolicy(1, 0, 30), "dead", "newly_dead",
        "404 Not Found (failed 1 check in a row)",
    ),
    "ok hits a wall": (OK, "blocked", POLICY, "unknown", None, "bot challenge"),
    "at risk stays at risk": (
        FAILED_ONCE, "failure", POLICY, "at_risk", None,
        "404 Not Found (failed 2 checks in a row; dead after 3 failed checks over at least 3 days)",
    ),
    "at risk recovers": (AT_RISK, "ok", POLICY, "ok", "recovered", "200 OK"),
    "at risk dies": (AT_RISK, "failure", POLICY, "dead", "newly_dead", DEAD_SINCE_THE_2ND),
    "at risk hits a wall": (AT_RISK, "blocked", POLICY, "unknown", None, "bot challenge"),
    "dead stays dead": (
        DEAD, "failure", POLICY, "dead", None, "404 Not Found (failed 4 checks in a row)"
    ),
    "dead recovers": (DEAD, "ok", POLICY, "ok", "recovered", "200 OK"),
    "dead answers again elsewhere": (
        DEAD, "warning", POLICY, "at_risk", "newly_at_risk", f"moved permanently to {NEW_HOME}"
    ),
    "dead hits a wall": (DEAD, "blocked", POLICY, "unknown", None, "bot challenge"),
    "never checked is ok": (NEVER_CHECKED, "ok", POLICY, "ok", None, "200 OK"),
    "never checked fails": (NEVER_CHECKED, "failure", POLICY, "at_risk", "newly_at_risk", ONE_FAILURE_TODAY),
    "never checked hits a wall": (NEVER_CHECKED, "blocked", POLICY, "unknown", None, "bot challenge"),
    "a wall in a failing streak then ok": (WALLED_MID_STREAK, "ok", POLICY, "ok", "recovered", "200 OK"),
    "a wall on a link that never failed then ok": (WALLED_WHILE_OK, "ok", POLICY, "ok", None, "200 OK"),
    "a wall then a warning": (
        WALLED_MID_STREAK, "warning", POLICY, "at_risk", "newly_at_risk", f"moved permanently to {NEW_HOME}"
    ),
    "a wall then the streak's last failure": (
        WALLED_MID_STREAK, "failure", POLICY, "dead", "newly_dead", DEAD_SINCE_THE_2ND
    ),
    "a wall stays a wall": (WALLED_MID_STREAK, "blocked", POLICY, "unknown", None, "bot challenge"),
}


@pytest.mark.parametrize(("before", "outcome", "policy", "state", "kind", "reason"), TRANSITIONS.values(),
                         ids=TRANSITIONS.keys())
def test_each_move_of_the_state_machine_reports_its_change_with_its_reason(before, outcome, policy, state, kind,
                                                                           reason):
    after = check(before, outcome, day(6), policy=policy)
    assert (after.state, after.reason) == (state, reason)
    expected = Change(URL, kind, before.state, state, reason) if kind else None
    assert change(URL, before, after) == expected


def test_every_change_a_run_reports_has_a_heading_worst_news_first():
    reported = {kind for *_, kind, _ in TRANSITIONS.values() if kind}
    assert list(CHANGE_KINDS) == ["newly_dead", "recovered", "newly_at_risk"]
    assert reported == set(CHANGE_KINDS)


def test_a_single_failure_makes_a_link_at_risk_not_dead():
    health = failures(OK, 2)
    assert (health.state, health.failures, health.failing_since) == ("at_risk", 1, day(2))


def test_three_failures_within_one_day_are_not_enough_to_be_dead():
    health = OK
    for hour in range(5):
        health = check(health, "failure", day(2, f"{hour:02d}:00:00"))
    assert (health.state, health.failures) == ("at_risk", 5)
    assert "dead after 3 failed checks over at least 3 days" in health.reason


def test_exactly_the_failures_over_exactly_the_days_make_a_link_dead():
    health = failures(OK, 2, 3, 5)
    assert (health.state, health.failures, health.failing_since, health.since) == ("dead", 3, day(2), day(5))
    assert health.reason == DEAD_SINCE_THE_2ND


def test_the_failures_a_moment_short_of_the_days_are_not_dead():
    health = check(failures(OK, 2, 3), "failure", day(5, "05:59:59"))
    assert (health.state, health.failures) == ("at_risk", 3)
    assert health.reason == "404 Not Found (failed 3 checks in a row; dead after 3 failed checks over at least 3 days)"


def test_one_failure_fewer_than_needed_is_not_dead_however_long_it_spans():
    health = failures(OK, 2, 20)
    assert (health.state, health.failures) == ("at_risk", 2)


def test_the_dead_rule_names_a_fractional_number_of_days_as_set():
    health = failures(OK, 2, policy=HealthPolicy(2, 1.5, 30))
    assert health.reason.endswith("dead after 2 failed checks over at least 1.5 days)")


def test_recovery_returns_a_dead_link_to_ok_and_resets_the_count():
    health = check(DEAD, "ok", day(6))
    assert (health.state, health.failures, health.failing_since, health.since) == ("ok", 0, None, day(6))
    assert failures(health, 7).reason == ONE_FAILURE_TODAY.replace("11-06", "11-07")


def test_a_warning_ends_a_failure_streak():
    """A page that answers again (moved, certificate expiring) has not failed: the next failure starts anew."""
    answered = check(AT_RISK, "warning", day(3))
    assert (answered.failures, answered.failing_since) == (0, None)
    assert failures(answered, 6).reason == ONE_FAILURE_TODAY


def test_a_bot_challenge_is_unknown_and_keeps_the_failure_streak():
    walled = check(failures(OK, 2), "blocked", day(3))
    assert (walled.state, walled.failures, walled.failing_since, walled.reason) == (
        "unknown", 1, day(2), "bot challenge"
    )
    resumed = failures(walled, 4, 5)
    assert (resumed.state, resumed.failures) == ("dead", 3)


def test_a_warning_is_at_risk_and_names_the_new_location():
    health = check(OK, "warning", day(2))
    assert (health.state, health.moved_to, health.failures, health.reason) == (
        "at_risk", NEW_HOME, 0, f"moved permanently to {NEW_HOME}"
    )


def test_a_wall_keeps_the_new_location_already_known():
    assert check(MOVED, "blocked", day(3)).moved_to == NEW_HOME


@pytest.mark.parametrize(
    ("outcome", "detail"),
    [("ok", None), ("failure", None), ("warning", "certificate expires in 9 days")],
    ids=["ok", "failure", "another warning"],
)
def test_an_answer_from_the_old_address_forgets_the_new_location(outcome, detail):
    assert check(MOVED, outcome, day(3), detail).moved_to is None


@pytest.mark.parametrize(
    ("before", "outcome"),
    [(OK, "ok"), (FAILED_ONCE, "failure"), (MOVED, "warning"), (DEAD, "failure"), (WALLED_MID_STREAK, "blocked")],
    ids=["ok", "at risk failing", "at risk warned", "dead", "unknown"],
)
def test_since_stays_put_while_the_state_does_not_change(before, outcome):
    assert check(before, outcome, day(6)).since == before.since


@pytest.mark.parametrize(
    ("before", "outcome"),
    [(OK, "failure"), (AT_RISK, "ok"), (AT_RISK, "failure"), (DEAD, "blocked"), (WALLED_MID_STREAK, "warning")],
    ids=["ok to at risk", "at risk to ok", "at risk to dead", "dead to unknown", "unknown to at risk"],
)
def test_since_moves_to_the_check_that_changed_the_state(before, outcome):
    assert check(before, outcome, day(6)).since == day(6)


def test_a_first_check_that_hits_a_wall_is_unknown_since_that_check():
    """Never checked is unknown too, but with no moment: the wall's check is when the unknown began."""
    assert check(NEVER_CHECKED, "blocked", day(6)).since == day(6)
