"""The repaired resource list in every format: golden files, the command line, and the HTML in a browser."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser import ARTIFACTS, marks_filled
from cli import cli
from fixed_history import LIST, STATES
from linkkeeper.health import vocabulary
from linkkeeper.output.reports import FORMATS, entries, render
from linkkeeper.store import queries as storage

GOLDEN = Path(__file__).parent / "golden"
GENERATED_AT = "2026-11-29T06:00:00+00:00"


def rendered(history, report_format: str) -> str:
    config, db = history
    health = {row["url"]: row for row in storage.link_health(db)}
    return render(report_format, config.title, entries(config, health), storage.state_counts_by_run(db), GENERATED_AT)


@pytest.mark.parametrize("report_format", FORMATS)
def test_each_format_matches_its_golden_file(history, report_format):
    golden = GOLDEN / f"report.{ {'markdown': 'md'}.get(report_format, report_format) }"
    text = rendered(history, report_format)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


def test_each_resource_gets_the_link_a_reader_should_use(history):
    document = json.loads(rendered(history, "json"))
    uses = {entry["url"]: (entry["use"], entry["link"]) for entry in document["resources"]}
    assert uses == {
        "https://live.example.org/toolkit": ("live", "https://live.example.org/toolkit"),
        "http://old.example.org/centre": ("moved", "https://new.example.org/centre"),
        "http://gone.example.org/knowledge-base": (
            "archived", "https://web.archive.org/web/20200101000000/http://gone.example.org/knowledge-base"
        ),
        "http://lost.example.org/programme": ("lost", None),  # no link to use: never the dead address
        "mailto:someone@example.org": ("live", "mailto:someone@example.org"),
    }


def test_the_csv_keeps_the_lists_order_and_sections(history):
    rows = list(csv.DictReader(io.StringIO(rendered(history, "csv"))))
    assert [row["url"] for row in rows] == list(STATES)
    assert [row["section"] for row in rows][-1] == "Way forward"


def test_report_writes_the_chosen_format_to_a_file(history, tmp_path):
    config, _ = history
    output = tmp_path / "report.csv"
    result = CliRunner().invoke(
        cli, ["report", "--config", str(config.path), "--format", "csv", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_text() == rendered(history, "csv")


def test_report_without_a_database_says_so(tmp_path):
    (tmp_path / "resources.yml").write_text(LIST)
    result = CliRunner().invoke(cli, ["report", "--config", str(tmp_path / "resources.yml")])
    assert result.exit_code == 2
    assert "no database yet (run check-links first)" in result.output


def test_the_html_report_is_one_self_contained_file_that_renders_its_chart(history, browser):
    page = ARTIFACTS / "report.html"
    ARTIFACTS.mkdir(exist_ok=True)
    page.write_text(rendered(history, "html"))
    with browser.visit(page.as_uri()) as visit:
        visit.screenshot("report-html")
        assert visit.requests == [page.as_uri()]
        for state in ("ok", "at_risk", "dead"):
            assert marks_filled(visit.page, "body", vocabulary.STATES[state].colour) >= 1
        archived = STATES["http://gone.example.org/knowledge-base"][2]["archive_url"]
        assert visit.page.locator(f'a[href="{archived}"]').count() == 1
        assert visit.console_errors == []


@pytest.mark.parametrize("report_format", FORMATS)
def test_no_report_offers_a_dead_link_as_the_link_to_use_nor_the_evidence(history, report_format):
    """The dead link with no copy is named, its address written as text; a reader is never sent there, and no
    probe, similarity or doubled 'since' reaches a published file."""
    text = rendered(history, report_format)
    assert 'href="http://lost.example.org/programme"' not in text
    assert "](http://lost.example.org/programme)" not in text
    assert not any(word in text for word in ("similarity", "probe", "(dead)", "(ok)"))
    assert all(line.count(" since ") <= 1 for line in text.splitlines())
