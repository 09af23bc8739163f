"""What check-links prints and where it writes. What only a process shows (its terminal, its working
folder, every byte of its output) is seen from a process of its own, as a person or cron starts it; the
rest runs in this process, with the crawler's reports for pages it has crawled before replayed
(tests/recorded.py)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess

import pytest
from click.testing import CliRunner

from checking import CHECK_LINKS, check_here, database, json_here, run_check
from cli import cli

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def test_with_no_arguments_it_reads_resources_yml_and_writes_linkkeeper_db_beside_it(web, write_config, tmp_path):
    write_config([web.a.route("/ok", title="ok")])
    done = subprocess.run([CHECK_LINKS], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "linkkeeper.db").exists()
    assert done.stdout.startswith("Checked 1 link in ")
    assert "1 ok, 0 at risk, 0 dead, 0 unknown." in done.stdout


def test_db_puts_the_database_where_it_is_told(web, write_config, tmp_path):
    config = write_config([web.a.route("/ok")])
    elsewhere = tmp_path / "elsewhere.db"
    assert check_here(config, "--db", str(elsewhere)).returncode == 0
    assert elsewhere.exists() and not (tmp_path / "linkkeeper.db").exists()


def test_the_summary_says_no_change_when_nothing_changed(web, write_config):
    config = write_config([web.a.route("/ok")])
    check_here(config)
    assert "No change since the last run." in check_here(config).stdout


def test_quiet_prints_nothing_when_nothing_changed(web, write_config):
    config = write_config([web.a.route("/ok"), web.a.route("/missing", status=404)])
    run_check(config)
    done = run_check(config, "--quiet")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_quiet_prints_only_the_changes(web, write_config):
    missing = web.a.route("/missing", status=404)
    config = write_config([web.a.route("/ok"), missing])
    done = check_here(config, "--quiet")
    assert done.stdout.splitlines()[0] == "Newly at risk (1):"
    assert missing in done.stdout and "Checked" not in done.stdout


def test_json_prints_the_run_with_counts_changes_and_every_resource(web, write_config):
    ok, missing = web.a.route("/ok", title="A page"), web.a.route("/missing", status=404)
    code, output = json_here(write_config([ok, missing]))
    assert code == 0
    assert output["counts"] == {"ok": 1, "at_risk": 1, "dead": 0, "unknown": 0}
    assert output["changes"] == [
        {
            "url": missing,
            "kind": "newly_at_risk",
            "before": "unknown",
            "after": "at_risk",
            "reason": output["resources"][1]["reason"],
        }
    ]
    assert [(r["url"], r["state"], r["status_code"]) for r in output["resources"]] == [
        (ok, "ok", 200),
        (missing, "at_risk", 404),
    ]


def test_no_progress_bar_when_stdout_is_not_a_terminal(web, write_config):
    done = run_check(write_config([web.a.route("/ok")]))
    assert done.stderr == ""


def test_a_progress_bar_on_a_terminal(web, write_config):
    config = write_config([web.a.route(f"/p{n}") for n in range(3)])
    controller, terminal = pty.openpty()
    done = subprocess.run(
        [CHECK_LINKS, "--config", str(config)], stdout=terminal, stderr=terminal, timeout=60
    )
    os.close(terminal)
    screen = _read_all(controller)
    assert done.returncode == 0
    assert "Checking links" in screen and "Checked 3 links" in screen


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode(errors="replace")


def test_linkkeeper_check_is_check_links(web, write_config):
    config = write_config([web.a.route("/ok")])
    done = CliRunner().invoke(cli, ["check", "--config", str(config), "--json"])
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["ok"] == 1
    assert database(config)["runs"].count == 1


def test_the_linkkeeper_group_lists_its_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("\nCommands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed if line.strip()] == sorted(cli.commands)
    assert {"check", "status", "report", "history", "accept", "archive", "dashboard"} <= set(cli.commands)


def test_verbose_shows_the_crawlers_log_without_a_warning_on_a_healthy_run(web, write_config):
    moved = web.a.route("/old", status=301, headers={"Location": web.a.route("/new", title="A page")})
    done = run_check(write_config([web.a.route("/ok", title="A page"), moved]), "-v")
    assert done.returncode == 0, done.stderr
    assert "[scrapy.core.engine] INFO: Spider opened" in done.stderr
    assert re.findall(r"^.*\] (?:WARNING|ERROR|CRITICAL): .*$", done.stderr, re.MULTILINE) == []
