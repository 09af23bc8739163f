"""The recorded crawls that run-logic tests replay (tests/recorded.py) store what the crawler stores."""

from __future__ import annotations

import pytest

from checking import check_here, database
from linkkeeper.health.check_record import STORED_FIELDS
from recorded import Recorder

REPORTED = [name for name in STORED_FIELDS if name != "checked_at"]
"""What the crawler reports of a check and the run stores as it is (the time differs from run to run)."""


def stored_checks(config) -> list[list[dict]]:
    """Each run's checks, as the crawler reported them, by URL (they come in the order they end)."""
    rows = database(config).query("select * from checks order by run_id, url")
    runs: dict[int, list[dict]] = {}
    for row in rows:
        runs.setdefault(row["run_id"], []).append({name: row[name] for name in REPORTED})
    return list(runs.values())


@pytest.fixture
def recorder(web, monkeypatch) -> Recorder:
    """A recorder of this test's own: its first run is always crawled."""
    recorder = Recorder()
    monkeypatch.setattr("cli.crawl", recorder.fetch_for(web, []))
    return recorder


def test_a_replayed_run_stores_the_checks_the_crawler_gave(web, write_config, recorder):
    urls = [
        web.a.route("/page", title="A page"),
        web.a.route("/missing", status=404),
        web.a.route("/moved", status=301, headers={"Location": web.b.route("/new", title="Moved here")}),
    ]
    config = write_config(urls)
    check_here(config)
    recorded = dict(recorder.checks)
    check_here(config)
    crawled, replayed = stored_checks(config)
    assert len(recorded) == len(urls)
    assert recorder.checks == recorded, "the second run was crawled and recorded again, not replayed"
    assert replayed == crawled


def test_a_page_whose_answer_changed_is_crawled_again(web, write_config, recorder):
    url = web.a.route("/page", title="Before")
    config = write_config([url])
    check_here(config)
    web.a.route("/page", title="After")
    check_here(config)
    assert [run[0]["title"] for run in stored_checks(config)] == ["Before", "After"]
