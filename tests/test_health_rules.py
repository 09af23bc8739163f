"""The health state machine on its own: no network, explicit times."""

from __future__ import annotations

from linkkeeper.health import Health, Observation, change, next_health
from linkkeeper.settings import HealthPolicy

POLICY = HealthPolicy(dead_after_failures=3, dead_after_days=3, cert_warning_days=30)


def day(n: int) -> str:
    return f"2026-11-{n:02d}T06:00:00+00:00"


def fail(previous: Health, on: int) -> Health:
    return next_health(previous, Observation("failure", "404 Not Found", day(on)), POLICY)


def test_a_single_failure_makes_a_link_at_risk_not_dead():
    health = fail(Health("ok", "200 OK", day(1)), on=2)
    assert (health.state, health.failures, health.failing_since) == ("at_risk", 1, day(2))


def test_three_failures_within_one_day_are_not_enough_to_be_dead():
    health = Health("ok", "200 OK", day(1))
    for _ in range(5):
        health = fail(health, on=2)
    assert (health.state, health.failures) == ("at_risk", 5)


def test_three_failures_spanning_three_days_make_a_link_dead():
    health = fail(fail(fail(Health("ok", "200 OK", day(1)), on=2), on=3), on=5)
    assert (health.state, health.failures, health.since) == ("dead", 3, day(5))
    assert "failing since 2026-11-02" in health.reason


def test_two_failures_spanning_many_days_are_not_enough_to_be_dead():
    health = fail(fail(Health("ok", "200 OK", day(1)), on=2), on=20)
    assert health.state == "at_risk"


def test_recovery_returns_a_dead_link_to_ok_and_resets_the_count():
    dead = Health("dead", "404", day(5), failures=4, failing_since=day(1))
    health = next_health(dead, Observation("ok", "200 OK", day(6)), POLICY)
    assert (health.state, health.failures, health.failing_since, health.since) == ("ok", 0, None, day(6))
    assert change("u", dead, health).kind == "recovered"


def test_a_bot_challenge_is_unknown_and_keeps_the_failure_count():
    failing = fail(Health("ok", "200 OK", day(1)), on=2)
    health = next_health(failing, Observation("blocked", "bot challenge", day(3)), POLICY)
    assert (health.state, health.failures, health.failing_since) == ("unknown", 1, day(2))


def test_a_warning_is_at_risk_and_names_the_new_location():
    seen = Observation("warning", "moved permanently to https://new/", day(2), moved_to="https://new/")
    health = next_health(Health("ok", "200 OK", day(1)), seen, POLICY)
    assert (health.state, health.moved_to, health.failures) == ("at_risk", "https://new/", 0)


def test_since_stays_put_while_the_state_does_not_change():
    first = fail(Health("ok", "200 OK", day(1)), on=2)
    assert fail(first, on=3).since == day(2)


def test_only_changes_that_matter_are_reported():
    ok, at_risk = Health("ok", "", day(1)), Health("at_risk", "", day(1))
    dead = Health("dead", "", day(1))
    assert change("u", ok, ok) is None
    assert change("u", at_risk, at_risk) is None
    assert change("u", ok, at_risk).kind == "newly_at_risk"
    assert change("u", at_risk, dead).kind == "newly_dead"
    assert change("u", Health(), at_risk).kind == "newly_at_risk"
