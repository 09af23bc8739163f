"""`linkkeeper accept URL` for a wall: "I looked, it is fine until its answer changes", kept in the database with
the answer it was, over real runs in one SQLite file (the crawler's reports replayed: tests/recorded.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from checking import DEAD_AT_ONCE, check_here, database, health, json_here, linkkeeper_here

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def walled(web, write_config, **settings):
    """A list of one link behind a sign-in wall (401), checked once: (its URL, the list)."""
    url = web.b.route("/members", status=401)
    config = write_config([url], **settings)
    check_here(config)
    return url, config


def accept(config, *args: str):
    return linkkeeper_here("accept", "--config", str(config), *args)


def test_accepting_a_wall_says_what_was_accepted_in_one_line(web, write_config):
    url, config = walled(web, write_config)
    done = accept(config, url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Accepted the wall of {url} (auth-required, HTTP 401): fine until its answer changes; it stays unknown,"
        " not a problem."
    ]


def test_an_accepted_wall_is_kept_with_its_answer_and_the_persons_note(web, write_config):
    url, config = walled(web, write_config)
    accept(config, url, "--note", "members only; I signed in and it is there")
    row = next(database(config)["resources"].rows_where("url = ?", [url]))
    assert (row["accepted_finding"], row["accepted_status"], row["accepted_note"]) == (
        "auth-required", 401, "members only; I signed in and it is there"
    )
    assert row["accepted_at"] is not None


def test_an_accepted_wall_keeps_its_calm_reason_dated_in_the_lists_zone_while_it_answers_the_same(web, write_config):
    url, config = walled(web, write_config, timezone="Pacific/Kiritimati")
    accept(config, url, "--note", "members only")
    status, result = json_here(config)
    row = health(config)[url]
    assert (status, result["changes"], row["state"]) == (0, [], "unknown")
    day = datetime.fromisoformat(row["accepted_at"]).astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    assert row["reason"] == f"a person checked this wall on {day.isoformat()}: members only"


def test_an_accepted_wall_that_answers_otherwise_is_judged_again_and_forgotten(web, write_config):
    url, config = walled(web, write_config, health=DEAD_AT_ONCE)
    accept(config, url)
    web.b.route("/members", status=404)
    assert check_here(config).returncode == 1
    row = health(config)[url]
    assert (row["state"], row["accepted_at"]) == ("dead", None)


def test_another_wall_ends_the_acceptance(web, write_config):
    url, config = walled(web, write_config)
    accept(config, url)
    web.b.route("/members", status=429)
    check_here(config)
    row = health(config)[url]
    assert row["accepted_at"] is None and "a person checked" not in row["reason"]


def test_accepting_an_unlisted_url_is_one_line_exit_2_and_changes_nothing(web, write_config):
    url, config = walled(web, write_config)
    before = list(database(config)["resources"].rows)
    done = accept(config, url, "http://unlisted.example/")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"Error: http://unlisted.example/: not in the list {config}"]
    assert list(database(config)["resources"].rows) == before
