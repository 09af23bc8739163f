"""The reports as the readers of a published list get them: counts first, a failing-once link not called gone,
archived copies named by their capture date, a chart with its numbers, and an HTML page that fits a phone.

Histories are real SQLite files written through the storage module (fixed_history.py, plus runs added here).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from browser import ARTIFACTS
from fixed_history import write_history
from linkkeeper.config.settings import zone as settings_zone
from linkkeeper.health.state import Health
from linkkeeper.output.reports import AT_RISK_NOTE, CHART_RUNS, entries, render
from linkkeeper.store import queries as storage

GENERATED_AT = "2026-11-29T06:00:00+00:00"
LIVE = "https://live.example.org/toolkit"
GONE = "http://gone.example.org/knowledge-base"
PHONE, DESKTOP = 390, 1280


def add_run(db, at: str, changes: dict[str, tuple[str, str, dict]]) -> None:
    """One more completed run in which the resources of `changes` take a new (state, finding, columns)."""
    ids = {row["url"]: row["id"] for row in db["resources"].rows}
    health = {row["url"]: row for row in storage.link_health(db)}
    run_id = storage.start_run(db, at, len(ids), "test")
    checks, updates = [], {}
    for url, (state, finding, extra) in changes.items():
        checks.append(
            {"run_id": run_id, "resource_id": ids[url], "url": url, "checked_at": at, "outcome": "failure",
             "finding": finding, "state": state, "redirect_chain": [], "elapsed_ms": 120}
        )
        updates[ids[url]] = (Health(state, f"{finding} ({state})", at, failures=1), {"last_checked": at, **extra})
    storage.insert_checks(db, checks)
    states = {url: changes[url][0] if url in changes else row["state"] for url, row in health.items()}
    counts = {state: sum(1 for s in states.values() if s == state) for state in ("ok", "at_risk", "dead", "unknown")}
    storage.finish_run(db, run_id, {"status": "completed", "finished_at": at, **counts}, updates)


def report(config, db, report_format: str, zone: str = "UTC") -> str:
    health = {row["url"]: row for row in storage.link_health(db)}
    runs = storage.state_counts_by_run(db)
    where = settings_zone(zone)
    return render(report_format, config.title, entries(config, health, where), runs, GENERATED_AT, where)


@pytest.fixture
def failed_once(tmp_path):
    """The fixed history, then a run in which the live toolkit answers 404 once: at risk, with an old copy."""
    config, db = write_history(tmp_path)
    copy = f"https://web.archive.org/web/20190604200000/{LIVE}"
    add_run(db, "2026-11-29T05:00:00+00:00", {
        LIVE: ("at_risk", "http", {"archive_url": copy, "archive_status": "archived",
                                   "archived_at": "2019-06-04T20:00:00+00:00"}),
    })
    yield config, db
    db.close()


def test_markdown_starts_with_a_table_of_counts_like_lychees_summary(history):
    config, db = history
    tokens = MarkdownIt("commonmark").enable("table").parse(report(config, db, "markdown"))
    kinds = [token.type for token in tokens]
    assert kinds.index("table_open") < kinds.index("heading_open", 1)  # before the first section
    cells = [token.content for token in tokens if token.type == "inline"]
    table = cells[cells.index("Links"):cells.index("total") + 2]
    rows = {table[n]: table[n + 1] for n in range(3, len(table) - 2, 3)} | {"total": table[-1]}
    assert rows == {"ok": "2", "at risk": "1", "dead": "2", "unknown": "0", "archived copies": "1", "total": "5"}


def test_the_json_report_carries_the_same_counts(history):
    config, db = history
    document = json.loads(report(config, db, "json"))
    assert document["counts"] == {"ok": 2, "at_risk": 1, "dead": 2, "unknown": 0, "archived": 1}


def test_a_link_that_failed_once_keeps_its_address_with_a_mild_note_and_is_never_called_broken(failed_once):
    config, db = failed_once
    [entry] = [entry for entry in json.loads(report(config, db, "json"))["resources"] if entry["url"] == LIVE]
    assert (entry["state"], entry["use"], entry["link"]) == ("at_risk", "live", LIVE)
    markdown = report(config, db, "markdown")
    assert f"- [A live toolkit]({LIVE}) ({AT_RISK_NOTE}): Failing since" in markdown
    for report_format in ("markdown", "html", "csv", "json"):
        text = report(config, db, report_format)
        assert "broken" not in text
        assert "20190604200000" not in text  # the old copy of a page that still answers is not offered instead


def test_a_dead_links_copy_reads_archived_and_the_archives_own_capture_day(failed_once):
    config, db = failed_once
    copy = f"https://web.archive.org/web/20190604200000/{GONE}"
    add_run(db, "2026-11-29T05:30:00+00:00", {
        GONE: ("dead", "http", {"archive_url": copy, "archive_status": "archived",
                                "archived_at": "2019-06-04T20:00:00+00:00"}),
    })
    # 20:00 UTC on 4 June is the morning of 5 June in Auckland, but the copy the reader opens says 4 June.
    assert "(archived 2019-06-04; cited as \\#): Gone since" in report(config, db, "markdown", "Pacific/Auckland")
    assert f'<a href="{copy}">archived 2019-06-04</a>' in report(config, db, "html", "Pacific/Auckland")
    assert "(archived 2019-06-04; cited as \\#): Gone since" in report(config, db, "markdown", "UTC")
    [entry] = [entry for entry in json.loads(report(config, db, "json"))["resources"] if entry["url"] == GONE]
    assert (entry["link"], entry["captured_at"]) == (copy, "2019-06-04T20:00:00+00:00")


def chart_numbers(page) -> dict:
    """What the chart says, read from the page as drawn: its bars' tooltips, its axis numbers and dates."""
    return page.evaluate(
        """() => {
            const svg = document.querySelector('svg');
            const texts = [...svg.querySelectorAll(':scope > text')].map(t => t.textContent);
            return {
                bars: [...svg.querySelectorAll('rect title')].map(t => t.textContent),
                numbers: texts.filter(t => /^\\d+$/.test(t)).map(Number),
                dates: texts.filter(t => /^\\d{4}-\\d\\d-\\d\\d$/.test(t)),
                rows: [...document.querySelectorAll('table.runs tbody tr')].map(
                    r => [...r.children].map(c => c.textContent)),
            };
        }"""
    )


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_html_report_fits_the_screen_and_its_chart_has_axes_and_a_table_of_its_numbers(history, browser, width):
    config, db = history
    page_file = ARTIFACTS / f"report-readers-{width}.html"
    ARTIFACTS.mkdir(exist_ok=True)
    page_file.write_text(report(config, db, "html"))
    with browser.visit(page_file.as_uri(), width=width, height=844) as visit:
        page = visit.page
        visit.screenshot(f"report-html-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.querySelector('svg').getBoundingClientRect().right") <= width
        assert page.locator("script").count() == 0
        assert visit.requests == [page_file.as_uri()] and visit.console_errors == []
        drawn = chart_numbers(page)
        assert drawn["dates"] == ["2026-11-28", "2026-11-29"]
        assert drawn["numbers"][0] == 0 and max(drawn["numbers"]) >= 5
        assert drawn["rows"] == [["2026-11-29", "2", "1", "2", "0"], ["2026-11-28", "2", "3", "0", "0"]]
        assert sorted(drawn["bars"]) == sorted([
            "run 1 (2026-11-28): 2 ok", "run 1 (2026-11-28): 3 at risk",
            "run 2 (2026-11-29): 2 ok", "run 2 (2026-11-29): 1 at risk", "run 2 (2026-11-29): 2 dead",
        ])
        if width == PHONE:  # the links' table is read as cards, each value under its column's name
            cells = page.locator("table.links td")
            for cell in cells.all():
                label = cell.evaluate("e => getComputedStyle(e, '::before').content")
                assert label.strip('"') == cell.get_attribute("data-label") != ""


def test_a_long_history_charts_its_last_month_with_dates_that_do_not_overlap_on_a_phone(history, browser):
    config, db = history
    for day in range(1, 46):
        at = datetime(2026, 11, 29, 6, tzinfo=UTC) + timedelta(days=day)
        add_run(db, at.isoformat(), {GONE: ("dead", "http", {})})
    page_file: Path = ARTIFACTS / "report-readers-long.html"
    page_file.write_text(report(config, db, "html"))
    with browser.visit(page_file.as_uri(), width=PHONE, height=844) as visit:
        visit.screenshot("report-html-long-history-390")
        drawn = chart_numbers(visit.page)
        assert len(drawn["rows"]) == CHART_RUNS
        assert {bar.split(" (")[0] for bar in drawn["bars"]} == {f"run {run}" for run in range(48 - CHART_RUNS, 48)}
        assert drawn["dates"][-1] == "2027-01-13" and 3 <= len(drawn["dates"]) <= 5
        boxes = visit.page.evaluate(
            """() => [...document.querySelectorAll('svg > text')].filter(t => /^\\d{4}-/.test(t.textContent))
                     .map(t => { const b = t.getBoundingClientRect(); return [b.left, b.right]; })"""
        )
        assert all(right < next_left for (_, right), (next_left, _) in pairwise(boxes))
        edges = visit.page.evaluate("(b => [b.left, b.right])(document.querySelector('svg').getBoundingClientRect())")
        assert edges[0] <= boxes[0][0] and boxes[-1][1] <= edges[1]  # no date is cut at the chart's edge
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE
