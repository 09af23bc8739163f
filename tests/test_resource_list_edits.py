"""Editing resources.yml between runs: additions are checked, removals keep their history as inactive.
Runs in this process, with the crawler's reports for pages it has crawled before replayed (tests/recorded.py)."""

from __future__ import annotations

import pytest

from checking import check_here, database, health

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def test_a_resource_added_to_the_list_is_checked_on_the_next_run(web, write_config):
    first, second = web.a.route("/one", title="A page"), web.a.route("/two", title="A page")
    check_here(write_config([first]))
    config = write_config([first, second])
    check_here(config)
    assert health(config)[second]["state"] == "ok"


def test_a_removed_resource_keeps_its_history_and_is_marked_inactive(web, write_config, replayed_crawls):
    kept, removed = web.a.route("/kept", title="A page"), web.a.route("/removed", title="A page")
    check_here(write_config([kept, removed]))
    config = write_config([kept])
    check_here(config)
    assert list(health(config)) == [kept]
    row = database(config)["resources"].get(2)
    assert (row["url"], row["active"], row["state"]) == (removed, 0, "ok")
    assert row["removed_at"]
    assert database(config)["checks"].count_where("resource_id = 2") == 1
    assert replayed_crawls == [[kept, removed], [kept]], "an inactive resource is no longer checked"


def test_a_changed_url_is_a_new_resource_and_the_old_one_becomes_inactive(web, write_config):
    old, new = web.a.route("/old", title="A page"), web.a.route("/new", title="A page")
    check_here(write_config([{"url": old, "title": "Toolkit"}]))
    config = write_config([{"url": new, "title": "Toolkit"}])
    check_here(config)
    rows = {row["url"]: row for row in database(config)["resources"].rows}
    assert (rows[old]["active"], rows[new]["active"]) == (0, 1)


def test_a_resource_listed_again_comes_back_with_its_history(web, write_config):
    url = web.a.route("/back", title="A page")
    other = web.a.route("/other", title="A page")
    check_here(write_config([url, other]))
    check_here(write_config([other]))
    config = write_config([url, other])
    check_here(config)
    assert health(config)[url]["state"] == "ok"
    assert database(config)["checks"].count_where("url = ?", [url]) == 2


def test_edited_titles_and_notes_are_picked_up(web, write_config):
    url = web.a.route("/page", title="A page")
    check_here(write_config([{"url": url, "title": "Old title"}]))
    config = write_config([{"url": url, "title": "New title", "note": "renamed"}])
    check_here(config)
    assert (health(config)[url]["title"], database(config)["resources"].get(1)["note"]) == ("New title", "renamed")
