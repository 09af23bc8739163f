"""Health over several runs of check-links, in one real SQLite file: run in this process, with the crawler's
reports for pages it has crawled before replayed (tests/recorded.py)."""

from __future__ import annotations

import pytest

from checking import check_here, database, health, json_here
from local_web import closed_port_url

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def test_a_link_that_keeps_failing_becomes_dead_and_the_run_exits_1(web, write_config):
    url = web.a.route("/missing", status=404)
    config = write_config([url], health={"dead_after_failures": 2, "dead_after_days": 0})
    assert check_here(config).returncode == 0
    second = check_here(config)
    assert second.returncode == 1
    assert "Newly dead (1):" in second.stdout and url in second.stdout
    assert health(config)[url]["state"] == "dead"


def test_failures_over_fewer_days_than_dead_after_days_leave_a_link_at_risk(web, write_config):
    url = web.a.route("/missing", status=404)
    config = write_config([url])
    for _ in range(3):
        assert check_here(config).returncode == 0
    row = health(config)[url]
    assert (row["state"], row["failures"]) == ("at_risk", 3)


def test_failures_spanning_dead_after_days_make_a_link_dead(web, write_config):
    url = web.a.route("/missing", status=404)
    config = write_config([url], health={"dead_after_failures": 2, "dead_after_days": 3})
    check_here(config)
    database(config).execute(
        "update resources set failing_since = '2026-01-01T00:00:00+00:00' where url = ?", [url]
    )
    assert check_here(config).returncode == 1
    assert health(config)[url]["state"] == "dead"


def test_a_dead_link_that_answers_again_recovers_and_its_count_resets(web, write_config):
    url = web.a.route("/flapping", status=500)
    config = write_config(
        [url], retries=0, health={"dead_after_failures": 1, "dead_after_days": 0}
    )
    assert check_here(config).returncode == 1
    web.a.route("/flapping", title="A page")
    done = check_here(config)
    assert done.returncode == 0
    assert "Recovered (1):" in done.stdout
    row = health(config)[url]
    assert (row["state"], row["failures"], row["failing_since"]) == ("ok", 0, None)


def test_a_bot_challenge_never_makes_a_link_dead(web, write_config):
    url = web.a.route("/wall", status=503, title="Just a moment...", headers={"cf-mitigated": "challenge"})
    config = write_config([url], health={"dead_after_failures": 1, "dead_after_days": 0})
    for _ in range(2):
        assert check_here(config).returncode == 0
    assert health(config)[url]["state"] == "unknown"


def test_every_run_keeps_one_check_per_link_and_the_full_history(web, write_config):
    urls = [web.a.route("/ok", title="A page"), web.a.route("/missing", status=404)]
    config = write_config(urls)
    for _ in range(3):
        check_here(config)
    db = database(config)
    assert db["runs"].count == 3
    assert [r["n"] for r in db.query("select count(*) n from checks group by run_id")] == [2, 2, 2]


def test_when_no_canary_answers_the_run_is_network_down_and_no_state_changes(web, write_config):
    url = web.a.route("/ok", title="A page")
    config = write_config([url])
    check_here(config)
    before = health(config)[url]
    offline = write_config([url], canaries=[closed_port_url("127.0.0.30")], retries=0)
    code, output = json_here(offline)
    assert code == 3
    assert output["run"]["status"] == "network_down"
    assert health(config)[url] == before
    runs = list(database(config).query("select status, checked from runs order by id"))
    assert runs == [{"status": "completed", "checked": 1}, {"status": "network_down", "checked": 0}]


def test_network_down_is_said_in_one_clear_line_on_stderr(web, write_config):
    config = write_config([web.a.route("/ok")], canaries=[closed_port_url("127.0.0.30")], retries=0)
    done = check_here(config, "--quiet")
    assert done.returncode == 3
    assert done.stderr.startswith("Network unavailable: no canary answered")


def test_a_canary_answering_with_an_error_status_still_proves_the_network_is_up(web, write_config):
    web.a.route("/canary", status=500)
    config = write_config([web.a.route("/ok")])
    code, output = json_here(config)
    assert (code, output["run"]["status"]) == (0, "completed")
