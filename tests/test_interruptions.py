"""A run killed at any moment loses only itself; two runs never write one database at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from checking import CHECK_LINKS, database, health, run_check
from local_web import slow_page


def start_check(config) -> subprocess.Popen:
    return subprocess.Popen(
        [CHECK_LINKS, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def checks_stored(config) -> int:
    try:
        return database(config)["checks"].count
    except sqlite3.OperationalError:
        return 0


def slow_list(web, write_config, count: int):
    urls = [web.b.route(f"/slow/{n}", slow_page(0.05)) for n in range(count)]
    return write_config([web.a.route("/ok", title="ok"), *urls], per_host_concurrency=1)


def test_kill_9_in_the_middle_of_a_run_loses_only_that_run(web, write_config):
    assert run_check(slow_list(web, write_config, count=3)).returncode == 0
    config = slow_list(web, write_config, count=120)
    kept = list(database(config).query("select * from checks order by id"))
    running = start_check(config)
    wait_for(lambda: checks_stored(config) > len(kept))
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    assert database(config).execute("pragma integrity_check").fetchone()[0] == "ok"
    assert list(database(config).query(f"select * from checks where id <= {len(kept)}")) == kept
    seen = len(web.b.seen)
    time.sleep(0.5)
    assert len(web.b.seen) <= seen + 1, "the crawler died with check-links"

    rerun = run_check(config)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [row["status"] for row in database(config).query("select status from runs order by id")]
    assert statuses == ["completed", "interrupted", "completed"]
    assert {row["state"] for row in health(config).values()} == {"ok"}


def test_a_second_run_while_one_holds_the_database_exits_4_with_a_clear_message(web, write_config):
    config = slow_list(web, write_config, count=20)
    first = start_check(config)
    wait_for(lambda: len(web.b.seen) > 0)
    second = run_check(config)
    assert second.returncode == 4
    assert "another linkkeeper run holds the database" in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert first.wait(timeout=60) == 0
    assert database(config)["runs"].count == 1


def crawler_pid(parent: int) -> int | None:
    """The child process of `parent`, read from /proc (field 4 of /proc/PID/stat is the parent's pid)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            return int(stat.parent.name)
    return None


def test_a_crawler_killed_under_check_links_fails_the_run_with_exit_5_and_changes_no_state(web, write_config):
    config = slow_list(web, write_config, count=3)
    assert run_check(config).returncode == 0
    before = health(config)
    config = slow_list(web, write_config, count=120)
    running = start_check(config)
    wait_for(lambda: len(web.b.seen) > 10 and crawler_pid(running.pid))
    os.kill(crawler_pid(running.pid), signal.SIGKILL)
    _, stderr = running.communicate(timeout=30)
    assert running.returncode == 5
    assert "the crawler failed (exit -9)" in stderr
    runs = list(database(config).query("select status, error from runs order by id"))
    assert [run["status"] for run in runs] == ["completed", "failed"]
    assert {url: row["state"] for url, row in health(config).items() if url in before} == {
        url: row["state"] for url, row in before.items()
    }
