"""`linkkeeper status` and `linkkeeper history`: the health history from a terminal."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from cli import cli


def invoke(config, *args: str):
    return CliRunner().invoke(cli, [args[0], "--config", str(config.path), *args[1:]])


def test_status_lists_every_resource_with_state_reason_since_and_archived_copy(history):
    config, _ = history
    result = invoke(config, "status")
    assert result.exit_code == 0
    block = result.output.split("\n\n")[1]
    assert block.splitlines()[0].split()[0] == "dead" and "http://gone.example.org/knowledge-base" in block
    assert "since" in block and "web.archive.org/web/20200101000000" in block
    assert result.output.count("\n\n") == 5


def test_status_filters_by_state(history):
    config, _ = history
    result = invoke(config, "status", "--state", "dead")
    assert [block.split()[0] for block in result.output.split("\n\n")[1:]] == ["dead", "dead"]


def test_status_filters_by_kind(history):
    config, _ = history
    result = invoke(config, "status", "--kind", "contact")
    assert "mailto:someone@example.org" in result.output and result.output.startswith("1 link: ")


def test_status_refuses_an_unknown_state(history):
    config, _ = history
    assert invoke(config, "status", "--state", "broken").exit_code == 2


def test_history_shows_checks_newest_first(history):
    config, _ = history
    result = invoke(config, "history", "http://gone.example.org/knowledge-base")
    assert result.exit_code == 0
    checks = result.output.split("Checks, newest first:")[1].splitlines()[2:4]
    assert [line.split("(")[1][:10] for line in checks] == ["2026-11-29", "2026-11-28"]


def test_history_of_an_unknown_url_is_bad_input_not_a_dead_link(history):
    config, _ = history
    result = invoke(config, "history", "http://nowhere.example.org/")
    assert result.exit_code == 2
    assert "no history" in result.output


def test_history_then_shows_the_archive_snapshots(history):
    config, _ = history
    result = invoke(config, "history", "http://gone.example.org/knowledge-base")
    after = result.output.split("Archive snapshots, newest first:")[1]
    assert "lookup" in after and "archived" in after and "web.archive.org/web/20200101000000" in after


def test_status_refuses_an_sqlite_file_that_is_not_linkkeepers(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table notes (text)").connection.commit()
    result = CliRunner().invoke(cli, ["status", "--db", str(other)])
    assert result.exit_code == 2
    assert "not a linkkeeper database" in result.output
