"""Detection on the labelled corpus of realistic pages (`bench/detection.py` prints all): each scenario's pinned
finding and state, and the floors that sum them up.

One check-links run over every scenario, each on its own loopback host answering as the real host does.
"""

from __future__ import annotations

import pytest

from detection_corpus import load_scenarios
from detection_score import PER_HOST, USER_AGENT, run_corpus, states_after_runs

SCENARIOS = load_scenarios()


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    return run_corpus(tmp_path_factory.mktemp("corpus"))


def explain(rows: list[dict]) -> str:
    return "\n".join(f"{row['name']}: {row['finding']} ({row['detail']})" for row in rows)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_crawl_gives_the_scenario_its_pinned_finding_and_state(score, scenario):
    row = score.named(scenario.name)
    assert (row["finding"], row["state"]) == (scenario.finding, scenario.state), f"{scenario.note}\n{row['detail']}"


def test_no_live_page_and_no_wall_is_judged_a_failure(score):
    assert not score.false_dead(), explain(score.false_dead())


def test_error_pages_that_answer_are_caught(score):
    missed = [row for row in score.of("soft-404", "parked", "for-sale", "suspended", "default-page", "placeholder")
              if row["outcome"] == "ok"]
    assert score.error_recall() >= 0.95, explain(missed)


def test_walls_are_unknown(score):
    assert score.walls_unknown() >= 0.95, explain([row for row in score.of("wall") if row["outcome"] != "blocked"])


def test_live_pages_with_scary_words_stay_ok(score):
    judged = [row for row in score.of("live") if row["outcome"] != "ok"]
    assert len(judged) <= len(score.of("live")) * 0.05, explain(judged)


def test_each_host_is_probed_at_most_once(score):
    assert max(score.probes_per_host().values()) <= 1


def test_every_request_including_probes_carries_the_runs_user_agent(score):
    agents = {seen.headers.get("User-Agent") for hits in score.requests.values() for seen in hits}
    assert agents == {USER_AGENT}


def test_probes_count_in_the_per_host_limit(score):
    assert max(score.most_in_flight.values()) <= PER_HOST


def test_no_wall_ever_becomes_dead_over_as_many_runs_as_dead_takes(tmp_path):
    """Three runs, where two failures in a row make a link dead: the runs after the first also judge with the
    history the first left (when each link last answered with its content)."""
    states = states_after_runs(tmp_path, "wall", runs=3, dead_after_failures=2, dead_after_days=0)
    dead = {name: seen for name, seen in states.items() if "dead" in seen}
    assert not dead, dead
    at_risk = sum("at_risk" in seen for seen in states.values())
    assert at_risk <= len(states) * 0.05, {name: seen for name, seen in states.items() if "at_risk" in seen}
