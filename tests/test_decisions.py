"""What a person decides about a link and keeps in the list (`ignore`, `expect: unknown`, `snooze`): each refused
at its line when it is not well formed, and each applied by real runs over one SQLite file (run in this process,
the crawler's reports for pages it crawled before replayed: tests/recorded.py)."""

from __future__ import annotations

import json
import os
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from checking import DEAD_AT_ONCE, check_here, database, health, json_here, linkkeeper_here
from linkkeeper.config.resources import load_config
from linkkeeper.errors import InputError
from local_notify import Webhook

PAGE = "https://example.org/"
pytestmark = pytest.mark.usefixtures("replayed_crawls")

WHY = "    note: the ministry's intranet, checked by its own team\n"


def refusal(tmp_path, entry: str) -> str:
    """The error for a list of one resource with the lines `entry`, its folder cut off."""
    path = tmp_path / "resources.yml"
    path.write_text(f"resources:\n  - url: {PAGE}\n{entry}")
    with pytest.raises(InputError) as refused:
        load_config(path)
    return str(refused.value).removeprefix(f"{tmp_path}{os.sep}")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param("    snooze: 2027-02-30\n" + WHY, "resources.yml:3: invalid YAML: cannot read this value: day is"
                     " out of range for month", id="no-such-day"),
        pytest.param('    snooze: "next March"\n' + WHY, "resources.yml:3: `snooze` must be a day (YYYY-MM-DD, such as"
                     " 2027-03-01), got 'next March'", id="words"),
        pytest.param("    snooze: 2027-03-01 10:00:00\n" + WHY, "resources.yml:3: `snooze` must be a day (YYYY-MM-DD,"
                     " such as 2027-03-01), got datetime.datetime(2027, 3, 1, 10, 0)", id="a-time"),
        pytest.param("    ignore: yes please\n" + WHY, "resources.yml:3: `ignore` must be true or false, got"
                     " 'yes please'", id="ignore-not-boolean"),
        pytest.param("    expect: dead\n" + WHY, "resources.yml:3: `expect` can only be `unknown` (a wall a person has"
                     " looked at), got 'dead'", id="expect-other-state"),
        pytest.param("    ignore: true\n", f"resources.yml:3: '{PAGE}': `ignore` needs a `note` saying why",
                     id="ignore-without-note"),
        pytest.param("    ignore: true\n    snooze: 2027-03-01\n" + WHY, f"resources.yml:4: '{PAGE}': an ignored link"
                     " is not checked: `snooze` has no effect", id="ignored-and-snoozed"),
        pytest.param("    snoze: 2027-03-01\n", "resources.yml:3: unknown resource field 'snoze' (did you mean"
                     " 'snooze'?)", id="misspelt"),
    ],
)
def test_a_decision_that_is_not_well_formed_is_refused_at_its_line(tmp_path, entry, expected):
    assert refusal(tmp_path, entry) == expected


def test_a_snooze_written_as_a_date_or_as_text_is_the_same_day(tmp_path):
    path = tmp_path / "resources.yml"
    path.write_text(f"resources:\n  - url: {PAGE}\n    snooze: 2027-03-01\n{WHY}  - url: {PAGE}b\n"
                    f"    snooze: '2027-03-01'\n{WHY}")
    assert {resource.snooze_until for resource in load_config(path).resources} == {"2027-03-01"}


def test_a_snooze_whose_day_has_passed_is_accepted(tmp_path):
    path = tmp_path / "resources.yml"
    path.write_text(f"resources:\n  - url: {PAGE}\n    snooze: 2020-01-01\n{WHY}")
    assert load_config(path).resources[0].snooze_until == "2020-01-01"


def test_a_snooze_that_is_not_a_day_stops_check_links_with_exit_2_and_one_line(write_config):
    config = write_config([{"url": PAGE, "snooze": "soon", "note": "relaunch"}])
    line = config.read_text().splitlines().index("  snooze: soon") + 1
    done = check_here(config)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"Error: {config}:{line}: `snooze` must be a day (YYYY-MM-DD, such as 2027-03-01), got 'soon'"
    ]


def test_an_ignored_link_is_never_fetched(web, write_config):
    url = web.a.route("/intranet", status=404)
    config = write_config([{"url": url, "ignore": True, "note": "intranet"}], health=DEAD_AT_ONCE)
    check_here(config)
    assert web.a.hits("/intranet") == []


def test_an_ignored_link_is_unknown_with_the_persons_note_and_no_check(web, write_config):
    url = web.a.route("/intranet", status=404)
    config = write_config([{"url": url, "ignore": True, "note": "intranet"}], health=DEAD_AT_ONCE)
    check_here(config)
    row = health(config)[url]
    assert (row["state"], row["reason"], row["ignored"], row["last_checked"]) == (
        "unknown", "ignored by a person: intranet", 1, None
    )


def test_a_dead_link_ignored_later_no_longer_makes_the_run_exit_1(web, write_config):
    url = web.a.route("/gone", status=404)
    config = write_config([url], health=DEAD_AT_ONCE)
    assert check_here(config).returncode == 1
    config = write_config([{"url": url, "ignore": True, "note": "replaced in the next edition"}], health=DEAD_AT_ONCE)
    status, result = json_here(config)
    assert (status, result["counts"]["dead"], result["changes"]) == (0, 0, [])


def test_an_ignored_link_listed_again_is_checked_and_judged_at_once(web, write_config):
    url = web.a.route("/gone", status=404)
    config = write_config([{"url": url, "ignore": True, "note": "for now"}], health=DEAD_AT_ONCE)
    check_here(config)
    config = write_config([url], health=DEAD_AT_ONCE)
    assert check_here(config).returncode == 1
    assert (health(config)[url]["state"], health(config)[url]["ignored"]) == ("dead", 0)


def test_an_expected_wall_has_the_persons_reason_and_is_not_a_change(web, write_config):
    url = web.b.route("/members", status=401)
    config = write_config([{"url": url, "expect": "unknown", "note": "members only; I logged in, it is there"}])
    status, result = json_here(config)
    row = health(config)[url]
    assert (status, result["changes"], row["state"]) == (0, [], "unknown")
    assert row["reason"] == "a person checked this wall: members only; I logged in, it is there"
    assert row["expect"] == "unknown"


def test_an_expected_wall_that_dies_is_judged_as_any_link(web, write_config):
    url = web.b.route("/members", status=401)
    config = write_config([{"url": url, "expect": "unknown", "note": "members only"}], health=DEAD_AT_ONCE)
    check_here(config)
    web.b.route("/members", status=404)
    assert check_here(config).returncode == 1
    assert health(config)[url]["state"] == "dead"


def test_a_snoozed_link_that_dies_is_judged_but_neither_reported_nor_exit_1(web, write_config):
    url = web.c.route("/relaunch", status=404)
    config = write_config([{"url": url, "snooze": "2999-01-01", "note": "site relaunch"}], health=DEAD_AT_ONCE)
    status, result = json_here(config)
    assert (status, result["counts"]["dead"], result["changes"]) == (0, 1, [])
    assert health(config)[url]["reason"].endswith("(snoozed until 2999-01-01: site relaunch)")


def test_a_snooze_whose_day_has_come_reports_the_dead_link_again(web, write_config):
    url = web.c.route("/relaunch", status=404)
    config = write_config([{"url": url, "snooze": "2999-01-01", "note": "site relaunch"}], health=DEAD_AT_ONCE)
    check_here(config)
    config = write_config([{"url": url, "snooze": "2020-01-01", "note": "site relaunch"}], health=DEAD_AT_ONCE)
    assert check_here(config).returncode == 1
    assert "snoozed" not in health(config)[url]["reason"]


def test_a_snoozed_link_that_recovers_is_still_news(web, write_config):
    url = web.c.route("/relaunch", status=404)
    config = write_config([{"url": url, "snooze": "2999-01-01", "note": "site relaunch"}], health=DEAD_AT_ONCE)
    check_here(config)
    web.c.route("/relaunch", title="Relaunched", body="<p>Welcome back</p>")
    _, result = json_here(config)
    assert [change["kind"] for change in result["changes"]] == ["recovered"]


def test_the_summary_says_how_many_a_person_set_aside(web, write_config):
    intranet = web.a.route("/intranet", status=404)
    relaunch = web.c.route("/relaunch", status=404)
    config = write_config(
        [{"url": intranet, "ignore": True, "note": "intranet"}, {"url": relaunch, "snooze": "2999-01-01",
                                                                  "note": "relaunch"}],
        health=DEAD_AT_ONCE,
    )
    lines = check_here(config).stdout.splitlines()
    assert lines[1:3] == [
        "Not checked, ignored by a person: 1 (resources.yml `ignore`).",
        "Dead but snoozed by a person: 1 (resources.yml `snooze`), no exit status 1.",
    ]


def test_the_weekly_reminder_of_links_still_dead_leaves_out_a_snoozed_one(web, write_config):
    relaunch = web.c.route("/relaunch", status=404)
    config = write_config([{"url": relaunch, "snooze": "2999-01-01", "note": "relaunch"}], health=DEAD_AT_ONCE)
    check_here(config)
    a_week_ago = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    with closing(database(config)) as db:
        db.execute("update runs set started_at = ?", [a_week_ago])
        db.execute("update resources set since = ?, failing_since = ?", [a_week_ago, a_week_ago])
        db.conn.commit()
    assert "Still dead" not in check_here(config).stdout


def test_a_snoozed_link_that_dies_sends_no_message(web, write_config):
    url = web.c.route("/relaunch", title="Programme")
    with Webhook() as hook:
        config = write_config(
            [{"url": url, "snooze": "2999-01-01", "note": "relaunch"}], health=DEAD_AT_ONCE, notify=[hook.url()]
        )
        check_here(config)
        told = len(hook.posts)
        web.c.route("/relaunch", status=404)
        assert check_here(config).returncode == 0
        assert len(hook.posts) == told


def test_a_published_report_says_an_ignored_link_is_not_checked_whatever_it_answered_before(web, write_config):
    url = web.a.route("/gone", status=404)
    config = write_config([{"url": url, "title": "Intranet"}], health=DEAD_AT_ONCE)
    check_here(config)
    config = write_config([{"url": url, "title": "Intranet", "ignore": True, "note": "intranet"}])
    check_here(config)
    report = linkkeeper_here("report", "--config", str(config), "--format", "json")
    (link,) = json.loads(report.stdout)["resources"]
    assert (link["state"], link["summary"], link["link"]) == ("unknown", "Not checked automatically.", url)
