"""A run killed at any moment loses only itself; two runs never write one database at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

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
