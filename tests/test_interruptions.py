"""A run killed at any moment loses only itself; two runs never write one database at once. The runs that are
stopped, or that must find the database held, are processes of their own; the runs before and after them
run in this process, and the run before, of fixed pages, replays a recorded crawl (tests/recorded.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from checking import (
    CHECK_LINKS,
    check_here,
    crawler_pids,
    database,
    has_ended,
    health,
    integrity,
    one_line,
    run_check,
    stored,
    wait_for,
)
from local_web import slow_page

pytestmark = [pytest.mark.usefixtures("replayed_crawls"), pytest.mark.long]


def start_check(config, *args: str, env: dict[str, str] | None = None, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [CHECK_LINKS, "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
        **options,
    )


def checks_stored(config) -> int:
    try:
        return database(config)["checks"].count
    except sqlite3.OperationalError:
        return 0


SLOW = 0.02  # seconds each slow page takes: one at a time, some 40 requests a second reach the slow host
LONG = 200  # slow pages in a long run: a stop comes after the first batch of 50 checks is stored, long before its end


def slow_list(web, write_config, count: int, seconds: float = SLOW):
    """An ok page, then `count` pages on host b that each take `seconds`, one at a time."""
    urls = [web.b.route(f"/slow/{n}", slow_page(seconds)) for n in range(count)]
    return write_config([web.a.route("/ok", title="ok"), *urls], per_host_concurrency=1)


def completed_run(web, write_config) -> Path:
    """A run of the long list's first page alone, before the run under test."""
    config = slow_list(web, write_config, count=0)
    assert check_here(config).returncode == 0
    return config


def assert_ended(crawler: int) -> None:
    """No crawler left behind: the crawler process has ended (or is a zombie) soon after check-links."""
    wait_for(lambda: has_ended(crawler), timeout=10, failure="a crawler is still running")


def test_kill_9_in_the_middle_of_a_run_loses_only_that_run(web, write_config, tmp_path):
    completed_run(web, write_config)
    config = slow_list(web, write_config, count=LONG)
    kept = list(database(config).query("select * from checks order by id"))
    temp = tmp_path / "temp"
    temp.mkdir()
    running = start_check(config, env={"TMPDIR": str(temp)})
    wait_for(lambda: checks_stored(config) > len(kept) and crawler_pid(running.pid))
    crawler = crawler_pid(running.pid)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    assert database(config).execute("pragma integrity_check").fetchone()[0] == "ok"
    assert list(database(config).query(f"select * from checks where id <= {len(kept)}")) == kept
    assert checks_stored(config) < len(kept) + LONG, "the run ended before it was killed"
    assert_ended(crawler)  # the crawler died with check-links
    assert list(temp.iterdir()) == [], "the killed run left its job in the temp folder"

    config = slow_list(web, write_config, count=LONG, seconds=0)  # the same list; the pages now answer at once
    rerun = check_here(config)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [row["status"] for row in database(config).query("select status from runs order by id")]
    assert statuses == ["completed", "interrupted", "completed"]
    assert {row["state"] for row in health(config).values()} == {"ok"}


def test_a_second_run_while_one_holds_the_database_exits_4_with_a_clear_message(web, write_config):
    """The first run lasts 5 s: the second, a process of its own, reaches the lock long before its end."""
    config = slow_list(web, write_config, count=20, seconds=0.25)
    first = start_check(config)
    wait_for(lambda: len(web.b.seen) > 0)
    second = run_check(config)
    assert second.returncode == 4
    assert "another linkkeeper run holds the database" in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert first.wait(timeout=60) == 0
    assert database(config)["runs"].count == 1


def crawler_pid(parent: int) -> int | None:
    """The one crawler of `parent` on a short list."""
    return next(iter(crawler_pids(parent)), None)


def test_a_crawler_killed_under_check_links_fails_the_run_with_exit_5_and_changes_no_state(web, write_config):
    before = health(completed_run(web, write_config))
    config = slow_list(web, write_config, count=LONG)
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


def test_a_fork_server_killed_under_check_links_takes_its_crawlers_with_it_and_fails_the_run(web, write_config):
    """The crawlers are forked from one server (crawler/fork_server.py): killed, it leaves none crawling on."""
    config = slow_list(web, write_config, count=LONG)
    running = start_check(config)
    wait_for(lambda: len(web.b.seen) > 5 and crawler_pid(running.pid))
    crawler = crawler_pid(running.pid)
    server = Path(f"/proc/{crawler}/stat").read_text().rpartition(")")[2].split()[1]
    os.kill(int(server), signal.SIGKILL)
    _, stderr = running.communicate(timeout=30)
    assert running.returncode == 5
    assert one_line(stderr).startswith("Error: the crawler failed (exit -9)")
    assert_ended(crawler)
    assert [row["status"] for row in database(config).query("select status from runs")] == ["failed"]


def interrupted_mid_run(web, write_config, tmp_path, stop) -> tuple[subprocess.Popen, str, dict, Path]:
    """A completed run, then a long one stopped by `stop(process)` once it has stored some checks."""
    completed_run(web, write_config)
    config = slow_list(web, write_config, count=LONG)
    db_path = config.parent / "linkkeeper.db"
    before = stored(db_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    running = start_check(config, env={"TMPDIR": str(temp)}, start_new_session=True)
    try:
        wait_for(lambda: checks_stored(config) > len(before["checks"]) and crawler_pid(running.pid))
        crawler = crawler_pid(running.pid)
        stop(running)
        _, stderr = running.communicate(timeout=30)
    finally:
        running.kill()
    assert integrity(db_path) == "ok"
    after = stored(db_path)
    assert after["checks"][: len(before["checks"])] == before["checks"]
    assert after["resources"][: len(before["resources"])] == before["resources"]
    assert list(temp.iterdir()) == [], "the job file stayed in the temp folder"
    assert_ended(crawler)
    return running, stderr, before, config


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_records_the_run_interrupted_and_exits_128_plus_the_signal(web, write_config, tmp_path, signum):
    running, stderr, _, config = interrupted_mid_run(
        web, write_config, tmp_path, lambda process: os.kill(process.pid, signum)
    )
    assert running.returncode == 128 + signum
    assert one_line(stderr).startswith(f"Stopped by {signum.name};")
    statuses = [row["status"] for row in database(config).query("select status from runs order by id")]
    assert statuses == ["completed", "interrupted"]


def test_ctrl_c_at_a_terminal_stops_check_links_and_its_crawler_as_one(web, write_config, tmp_path):
    """A terminal sends SIGINT to the whole foreground process group: the parent and the crawler alike."""
    running, stderr, _, config = interrupted_mid_run(
        web, write_config, tmp_path, lambda process: os.killpg(process.pid, signal.SIGINT)
    )
    assert running.returncode == 130
    assert one_line(stderr).startswith("Stopped by SIGINT;")
    assert [row["status"] for row in database(config).query("select status from runs")][-1] == "interrupted"


def stopped_mid_run(web, config, stop, *args: str, **options) -> tuple[subprocess.Popen, str, int]:
    """check-links over a long slow list, `stop(process)` once the crawler is up and the slow host has answered
    a few pages: the ended process, its stderr, and how many pages the host had seen when it was stopped."""
    running = start_check(config, *args, **options)
    try:
        wait_for(lambda: len(web.b.seen) > 5 and crawler_pid(running.pid))
        stop(running)
        at_stop = len(web.b.seen)
        _, stderr = running.communicate(timeout=60)
    finally:
        running.kill()
    return running, stderr, at_stop


def signal_the_crawler(signum: int):
    return lambda running: os.kill(crawler_pid(running.pid), signum)


def signal_check_links(signum: int):
    return lambda running: running.send_signal(signum)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_crawler_stopped_by_a_signal_fails_the_run_rather_than_completing_it(web, write_config, signum):
    config = slow_list(web, write_config, count=LONG)
    running, stderr, _ = stopped_mid_run(web, config, signal_the_crawler(signum))
    assert running.returncode == 5
    assert "the crawl stopped before its end (shutdown)" in one_line(stderr)
    runs = list(database(config).query("select status, checked from runs"))
    assert runs == [{"status": "failed", "checked": None}]


def test_a_stopped_crawler_reports_the_pages_it_had_begun_and_fetches_no_other(web, write_config):
    """Scrapy's graceful stop would first fetch every request queued behind the per-host limit (here up to
    `concurrency`, 64, on the one slow host): pages whose results nobody stores. The host's soft-404 probe,
    queued behind them, is still fetched: the pages fetched before the stop wait for it to be judged."""
    config = slow_list(web, write_config, count=LONG)
    running, _, at_stop = stopped_mid_run(web, config, signal_the_crawler(signal.SIGTERM))
    assert running.returncode == 5
    assert len(web.b.seen) - at_stop <= 3, "only the page in flight, one begun as the signal arrived, the probe"
    assert checks_stored(config) >= at_stop, "every page the host had seen at the stop is reported"


def test_a_stopped_crawl_says_so_in_its_log_without_an_error(web, write_config):
    """With -v the crawler's log reaches stderr: a stop while the crawler waits for room in its downloader (or
    for the canaries) ends its list of requests, which is no error and has no traceback."""
    config = slow_list(web, write_config, count=LONG)
    running, stderr, _ = stopped_mid_run(web, config, signal_check_links(signal.SIGTERM), "-v", start_new_session=True)
    assert running.returncode == 128 + signal.SIGTERM
    assert "Closing spider (shutdown)" in stderr
    assert [line for line in stderr.splitlines() if "] ERROR: " in line or line.startswith("Traceback")] == []


def test_a_crawler_that_cannot_start_fails_the_run_with_exit_5_and_one_line(web, write_config):
    config = write_config([web.a.route("/ok", title="ok")])
    failed = run_check(config, env={"SCRAPY_SETTINGS_MODULE": "nowhere.settings"})
    assert failed.returncode == 5
    assert one_line(failed.stderr).startswith("Error: the crawler failed (exit 1):")
    assert [row["status"] for row in database(config).query("select status from runs")] == ["failed"]


def test_a_stop_signal_stops_every_crawler_of_a_run_shared_between_several(web, write_config):
    urls = [host.route(f"/slow/{n}", slow_page(SLOW)) for host in (web.a, web.b, web.c) for n in range(LONG // 2)]
    config = write_config(urls, per_host_concurrency=1, crawlers=3)
    running = start_check(config)
    wait_for(lambda: checks_stored(config) > 0 and len(crawler_pids(running.pid)) == 3)
    crawlers = crawler_pids(running.pid)
    running.send_signal(signal.SIGTERM)
    assert running.wait(timeout=30) == 128 + signal.SIGTERM
    for crawler in crawlers:
        assert_ended(crawler)
    assert [row["status"] for row in database(config).query("select status from runs")] == ["interrupted"]
