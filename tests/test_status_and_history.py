"""`status` and `history` as a person reads them: worst first, counted, in the list's time zone, within the
terminal's width; and as JSON for programs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import cli


def invoke(config, *args: str, columns: int = 80):
    return CliRunner().invoke(cli, [args[0], "--config", str(config.path), *args[1:]], env={"COLUMNS": str(columns)})


@pytest.fixture
def in_auckland(history):
    config, db = history
    zone = "settings:\n  timezone: Pacific/Auckland\nresources:"
    config.path.write_text(config.path.read_text().replace("resources:", zone, 1))
    return config, db


def test_status_puts_the_counts_first_then_the_worst_links(history):
    config, _ = history
    result = invoke(config, "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("5 links: 2 dead, 1 at risk, 0 unknown, 2 ok.")
    states = [line.split()[0] for line in lines if line[:1].isalpha() and not line.startswith("5 links")]
    assert states == ["dead", "dead", "at", "ok", "ok"]
    assert "A knowledge base that died" in lines[2]


@pytest.mark.parametrize("command", [["status"], ["history", "http://gone.example.org/knowledge-base"]])
def test_a_dead_link_says_when_it_was_declared_dead_and_when_it_first_failed(history, command):
    config, _ = history
    said = " ".join(invoke(config, *command, columns=200).output.split())
    declared = said.index("dead since ")
    first_failed = said.index("failing since ", declared)
    assert "(2026-11-29 06:00 UTC)" in said[declared:first_failed]
    assert said[first_failed:].split(")")[0].endswith("(2026-11-28 06:00 UTC")


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_no_line_is_wider_than_the_terminal_but_an_unbreakable_url(history, columns):
    config, _ = history
    for command in (["status"], ["history", "http://gone.example.org/knowledge-base"]):
        for line in invoke(config, *command, columns=columns).output.splitlines():
            assert len(line) <= columns or line.strip().startswith("https://web.archive.org/"), line


def test_status_gives_the_archived_copy_by_its_capture_date_and_address(history):
    config, _ = history
    output = invoke(config, "status").output
    assert "archived 2020-01-01\n" in output
    assert "https://web.archive.org/web/20200101000000/http://gone.example.org/knowledge-base" in output
    assert "lost: no archived copy" in output


def test_times_are_relative_with_the_exact_time_in_the_lists_zone(in_auckland):
    config, _ = in_auckland
    output = invoke(config, "status").output
    assert "Times in Pacific/Auckland." in output.splitlines()[0]
    assert "(2026-11-29 19:00 NZDT)" in output and "ago" in output
    history = invoke(config, "history", "http://gone.example.org/knowledge-base").output
    assert "(2026-11-28 19:00 NZDT)" in history


def test_status_json_has_counts_and_every_resource_worst_first(history):
    config, _ = history
    result = invoke(config, "status", "--json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["counts"] == {"dead": 2, "at_risk": 1, "unknown": 0, "ok": 2}
    assert [row["state"] for row in document["resources"]] == ["dead", "dead", "at_risk", "ok", "ok"]
    assert document["resources"][0]["since"] == "2026-11-29T06:00:00+00:00"  # stored times, for programs
    assert document["timezone"] == "UTC"


def test_history_json_has_the_resource_its_checks_and_snapshots(history):
    config, _ = history
    result = invoke(config, "history", "http://gone.example.org/knowledge-base", "--json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["resource"]["state"] == "dead"
    assert [check["checked_at"][:10] for check in document["checks"]] == ["2026-11-29", "2026-11-28"]
    assert document["snapshots"][0]["status"] == "archived"


def test_history_json_of_an_unlisted_url_is_bad_input(history):
    config, _ = history
    result = invoke(config, "history", "http://nowhere.example.org/", "--json")
    assert result.exit_code == 2 and "no history" in result.output
