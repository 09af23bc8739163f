"""The dashboard over history the current schema did not write whole: the older checks rolled up into
`daily_checks` (retention) shown after the kept checks, on the link page and in the URL's history; and a
database made before m007 (no response times on `runs`) or m008 (no `daily_checks`), which the read-only
dashboard cannot migrate, answered with what it has."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from sqlite_utils import Database
from test_retention import BEFORE, DAYS, FLAPPING, KEEP, STEADY, check, day_of, write_list, write_old_history

from dashboard import local_time, queries
from dashboard.metadata import NOT_KEPT_YET, RESPONSE_TIMES_TITLE, metadata
from dashboard.plugins.link import DAYS_SHOWN
from dashboard.serve import schema
from linkkeeper.config.resources import load_config
from linkkeeper.health.state import Health
from linkkeeper.store import migrations, opening
from linkkeeper.store import queries as storage
from local_dashboard import serving


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode()


def rows(site: str, path: str, **params) -> list[dict]:
    """A canned query's rows (`path`), or those of the SQL given as `sql` (no `path`)."""
    where = f"linkkeeper/{path}" if path else "linkkeeper"
    return json.loads(get(f"{site}{where}.json?{urlencode({'_shape': 'objects', **params})}"))["rows"]


@pytest.fixture(scope="module")
def rolled(tmp_path_factory) -> Iterator[str]:
    """The retention tests' 60 days of two links, 30 kept whole: the older ones rolled up."""
    folder = tmp_path_factory.mktemp("rolled")
    config = write_list(folder / "resources.yml", [STEADY, FLAPPING])
    write_old_history(config, folder / "linkkeeper.db")
    db = opening.open_database(folder / "linkkeeper.db")
    assert storage.roll_up(db, BEFORE).days == 28 + 29
    db.close()
    with serving(folder / "linkkeeper.db", "Test") as url:
        yield url


def test_the_link_page_shows_the_days_rolled_up_after_the_kept_checks(rolled):
    page = get(f"{rolled}-/link?url={quote(FLAPPING, safe='')}")
    assert "Daily summaries of older checks (28 days)" in page
    assert page.index("<h2>Checks</h2>") < page.index("Daily summaries of older checks")
    days = page.split('id="daily-summaries"', 1)[1]
    assert f'<td data-label="day">{day_of(15)}</td>' in days
    assert days.index(str(day_of(29))) < days.index(str(day_of(1)))  # newest first
    dead_day = days.split(f'<td data-label="day">{day_of(15)}</td>', 1)[1].split("</tr>", 1)[0]
    assert "state-dead" in dead_day and "1 check rolled up: 0 ok, 0 warning, 1 failure, 0 blocked" in dead_day
    assert str(day_of(20)) not in days  # a kept state change: a check, in the table above


def test_the_url_history_query_shows_each_day_rolled_up_in_its_place_in_time(rolled):
    history = rows(rolled, "url_history", url=STEADY)
    days = [row for row in history if row["event"] == "day of older checks"]
    assert [row["at"] for row in days] == [str(day_of(index)) for index in range(29, 0, -1)]
    assert [row["at"] for row in history] == sorted((row["at"] for row in history), reverse=True)
    assert history.index(days[0]) == 30  # after the 30 checks of the days kept whole
    two_runs = next(row for row in days if row["at"] == str(day_of(10)))
    assert (two_runs["state"], two_runs["detail"]) == (
        "ok", "2 checks rolled up: 1 ok, 1 warning, 0 failure, 0 blocked; median 110 ms"
    )
    assert history[-1]["event"] == "check" and history[-1]["at"].startswith(str(day_of(0)))  # its first, kept


def test_the_landing_page_and_charts_still_answer(rolled):
    assert "Test" in get(rolled)
    charts = metadata("linkkeeper", "Test")["plugins"]["datasette-dashboards"]["link-health"]["charts"]
    assert len(rows(rolled, "", sql=charts["response-times"]["query"])) == 2 * 61


LONG = 200  # days of daily checks of one link, all but the last 30 rolled up
BEFORE_INDEX = DAYS - KEEP  # day_of(BEFORE_INDEX) is the first day kept whole


@pytest.fixture(scope="module")
def long_history(tmp_path_factory) -> Iterator[str]:
    """One link checked every day for LONG days, the last one yesterday; dead for the ten days 150 to 141 days
    ago: rolled up, 170 days, of which DAYS_SHOWN are shown one by one and the rest by month."""
    folder = tmp_path_factory.mktemp("long")
    config = load_config(write_list(folder / "resources.yml", [STEADY]))
    db = opening.open_database(folder / "linkkeeper.db")
    rid = storage.sync_resources(db, config.resources, f"{day_of(0)}T05:00:00+00:00")[STEADY]
    for index in range(-(LONG - 60), 60):
        at = f"{day_of(index)}T06:00:00+00:00"
        state = "dead" if -90 <= index < -80 else "ok"
        run_id = storage.start_run(db, at, 1, "test")
        storage.insert_checks(
            db, [check(run_id, rid, STEADY, at, state, "failure" if state == "dead" else "ok", 100)]
        )
        storage.finish_run(
            db, run_id, {"status": "completed", "finished_at": at, "checked": 1},
            {rid: (Health(state, state, at), {"last_checked": at})},
        )
    storage.roll_up(db, BEFORE)
    db.close()
    with serving(folder / "linkkeeper.db", "Test") as url:
        yield url


def test_a_long_history_shows_its_newest_days_one_by_one_then_one_row_a_month(long_history):
    page = get(f"{long_history}-/link?url={quote(STEADY, safe='')}")
    assert f"Daily summaries of older checks (the newest {DAYS_SHOWN} days)" in page
    days = page.split('id="daily-summaries"', 1)[1].split('id="monthly-summaries"', 1)[0]
    assert days.count('<td data-label="day">') == DAYS_SHOWN
    months = page.split('id="monthly-summaries"', 1)[1]
    oldest_shown = day_of(BEFORE_INDEX - DAYS_SHOWN)
    rolled_before = [day_of(i) for i in range(-(LONG - 60) + 1, BEFORE_INDEX - DAYS_SHOWN)]  # the first: kept
    expected = sorted({d.isoformat()[:7] for d in rolled_before}, reverse=True)
    assert [cell.split("</td>")[0] for cell in months.split('<td data-label="month">')[1:]] == expected
    assert str(oldest_shown) in days and str(oldest_shown) not in months
    dead_month = day_of(-85).isoformat()[:7]
    row = months.split(f'<td data-label="month">{dead_month}</td>', 1)[1].split("</tr>", 1)[0]
    assert "state-dead" in row


def test_a_long_history_fits_a_phone_with_every_cell_labelled(long_history, browser):
    with browser.visit(f"{long_history}-/link?url={quote(STEADY, safe='')}", width=390, height=844) as visit:
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
        labels = visit.page.locator("table.daily td").evaluate_all("cells => cells.map(c => c.dataset.label)")
        assert len(labels) > 3 * DAYS_SHOWN and all(labels)
        assert visit.console_errors == []


# link_health as the versions before the decisions' columns (m011) made it: the view a database of that age
# holds (today's reads columns that schema lacks).
VIEW_BEFORE_M011 = """
select id, url, title, kind, section, state, reason, since, last_checked, last_status,
       (select finding from checks where resource_id = resources.id order by id desc limit 1) as finding,
       archive_url, archive_status, archived_at, archive_checked_at, archive_verified_at, moved_to,
       failures, failing_since, position
from resources where active = 1 order by position"""


@pytest.fixture(scope="module")
def before_m007(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """A database migrated only up to m006: a completed run that checked one link, as that version wrote it."""
    path = tmp_path_factory.mktemp("old-schema") / "linkkeeper.db"
    db = Database(path)
    migrations.migrations.apply(db, stop_before="m007_read_paths")
    db.create_view("link_health", VIEW_BEFORE_M011)  # as that version made it on opening the database
    db["resources"].insert({"id": 1, "url": STEADY, "title": "Steady", "active": 1, "state": "ok"})
    db["runs"].insert({"id": 1, "started_at": "2026-01-02T06:00:00+00:00", "status": "completed"})
    db["checks"].insert(
        {"run_id": 1, "resource_id": 1, "url": STEADY, "checked_at": "2026-01-02T06:00:00+00:00", "state": "ok",
         "outcome": "ok", "finding": "ok", "status_code": 200, "elapsed_ms": 120, "reason": "served"}
    )
    db.close()
    with serving(path, "Test") as url:
        yield path, url


def test_an_older_schema_is_read_as_it_is(before_m007):
    path, _ = before_m007
    found = schema(path)
    assert "median_ms" not in found["runs"] and "daily_checks" not in found
    connection = sqlite3.connect(path)
    local_time.register(connection, UTC)  # as the dashboard's connections have it (dashboard/plugins/clock.py)
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        connection.execute(queries.RESPONSE_TIMES).fetchall()  # what the chart would ask otherwise
    connection.close()
    described = metadata("linkkeeper", "Test", schema=found)
    chart = described["plugins"]["datasette-dashboards"]["link-health"]["charts"]["response-times"]
    assert chart["title"] == RESPONSE_TIMES_TITLE + NOT_KEPT_YET
    assert metadata("linkkeeper", "Test")["plugins"]["datasette-dashboards"]["link-health"]["charts"][
        "response-times"
    ]["title"] == RESPONSE_TIMES_TITLE


def test_the_response_times_chart_of_a_database_before_m007_is_empty_with_a_note_not_an_error(before_m007):
    _, site = before_m007
    charts = json.loads(get(f"{site}-/metadata.json"))["plugins"]["datasette-dashboards"]["link-health"]["charts"]
    chart = charts["response-times"]
    assert chart["title"].endswith(NOT_KEPT_YET)
    assert rows(site, "", sql=chart["query"]) == []
    assert "Response time per run" in get(f"{site}-/dashboards/link-health")


def test_the_url_history_and_link_page_of_a_database_before_m008_answer(before_m007):
    _, site = before_m007
    history = rows(site, "url_history", url=STEADY)
    assert [(row["event"], row["status_code"]) for row in history] == [("check", 200)]
    page = get(f"{site}-/link?url={quote(STEADY, safe='')}")
    assert "<h2>Checks</h2>" in page and "Daily summaries" not in page
