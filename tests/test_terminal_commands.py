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
    lines = result.output.splitlines()
    assert lines[0].split() == ["STATE", "URL", "REASON", "SINCE", "ARCHIVE_URL"]
    assert len(lines) == 6
    dead = next(line for line in lines if "gone.example.org" in line)
    assert dead.startswith("dead ") and "web.archive.org/web/20200101000000" in dead


def test_status_filters_by_state(history):
    config, _ = history
    result = invoke(config, "status", "--state", "dead")
    assert [line.split()[0] for line in result.output.splitlines()[1:]] == ["dead", "dead"]


def test_status_filters_by_kind(history):
    config, _ = history
    result = invoke(config, "status", "--kind", "contact")
    assert "mailto:someone@example.org" in result.output and len(result.output.splitlines()) == 2


def test_status_refuses_an_unknown_state(history):
    config, _ = history
    assert invoke(config, "status", "--state", "broken").exit_code == 2


def test_history_shows_checks_newest_first(history):
    config, _ = history
    result = invoke(config, "history", "http://gone.example.org/knowledge-base")
    assert result.exit_code == 0
    dates = [line.split()[0][:10] for line in result.output.splitlines()[2:4]]
    assert dates == ["2026-11-29", "2026-11-28"]


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
