"""The database under fault: full disk, another writer, a damaged, foreign or newer file, a read-only disk.

Each fault ends in one line and its documented exit status (never 1, which cron reads as "a link is
dead"), and leaves what was stored before exactly as it was. The faulty run is a process of its own, as cron
starts it; the runs that store a history first run in this process, with the crawler's reports for pages it
has crawled before replayed (tests/recorded.py).
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from checking import (
    CHECK_LINKS,
    LINKKEEPER,
    check_here,
    database,
    digest,
    integrity,
    needs_mounts,
    on_a_read_only_disk,
    one_line,
    run_check,
    stored,
)
from local_web import slow_page

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def many_links(web, write_config, count: int = 150):
    urls = [web.b.route(f"/page/{n}", title="A page") for n in range(count)]
    return write_config([web.a.route("/ok", title="A page"), *urls])


def assert_stopped_for_space(stopped: subprocess.CompletedProcess, db_path: Path, before: dict) -> None:
    assert stopped.returncode == 5, stopped.stderr
    assert "earlier history is intact" in one_line(stopped.stderr)
    assert integrity(db_path) == "ok"
    after = stored(db_path)
    # Earlier runs' checks are as they were; the stopped run may have stored a batch of its own before the
    # limit (an unchanged list no longer rewrites the resources, which once filled the room first).
    assert after["checks"][: len(before["checks"])] == before["checks"]
    earlier_runs = {run[0] for run in before["runs"]}
    assert not [check for check in after["checks"][len(before["checks"]):] if check[1] in earlier_runs]
    assert after["resources"] == before["resources"]


def test_a_file_size_limit_stops_the_run_with_exit_5_and_keeps_the_history_intact(web, write_config):
    config = many_links(web, write_config)
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    before = stored(db_path)
    limit = 64 * 1024  # room for the 32 KiB WAL index, not for the WAL of a 151-link run

    def quota() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    stopped = subprocess.run(
        [CHECK_LINKS, "--config", str(config)], capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL, preexec_fn=quota,
    )
    assert_stopped_for_space(stopped, db_path, before)
    rerun = check_here(config)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [row["status"] for row in database(config).query("select status from runs order by id")]
    assert statuses[0] == statuses[-1] == "completed"
    assert all(status in ("failed", "interrupted") for status in statuses[1:-1]), "the stopped run was not completed"


@needs_mounts
def test_a_full_disk_stops_the_run_with_exit_5_and_keeps_the_history_intact(web, write_config, tmp_path):
    """On a small tmpfs mounted for the run alone; the database is copied back out to be examined."""
    config = many_links(web, write_config)
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    before = stored(db_path)
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    size = db_path.stat().st_size + 48 * 1024
    on_a_small_disk = (
        f"mount -t tmpfs -o size={size} tmpfs {disk} && cp {config} {db_path} {disk}/"
        f" && {CHECK_LINKS} --config {disk}/{config.name} 2>{out}/stderr; echo $? >{out}/status;"
        f" cp {disk}/linkkeeper.db* {out}/"
    )
    subprocess.run(["unshare", "-rm", "sh", "-c", on_a_small_disk], timeout=120, check=True)
    stopped = subprocess.CompletedProcess(
        [], int((out / "status").read_text()), "", (out / "stderr").read_text()
    )
    assert_stopped_for_space(stopped, out / "linkkeeper.db", before)
    assert "no space left to write" in stopped.stderr


@contextmanager
def write_lock_held(db_path: Path) -> Iterator[None]:
    """Another program (a DB browser, a script) holding the write lock until the block ends."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("begin immediate")
    try:
        yield
    finally:
        connection.execute("rollback")
        connection.close()


def test_a_database_held_by_another_writer_exits_4_and_changes_nothing(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    before = stored(db_path)
    with write_lock_held(db_path):  # for as long as the run waits on it (its busy_timeout), then let go
        busy = run_check(config)
    assert busy.returncode == 4, busy.stderr
    assert "another program is writing the database" in one_line(busy.stderr)
    assert stored(db_path)["checks"] == before["checks"]
    assert integrity(db_path) == "ok"


def damage(db_path: Path) -> None:
    """Garbage over every page but the first: the header still says SQLite."""
    data = bytearray(db_path.read_bytes())
    data[4096:] = bytes((n * 7) % 251 for n in range(len(data) - 4096))
    db_path.write_bytes(bytes(data))


def test_a_damaged_database_is_refused_with_exit_2_naming_it_and_left_as_it_is(web, write_config):
    config = many_links(web, write_config, count=40)
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    damage(db_path)
    before = digest(db_path)
    refused = run_check(config)
    assert refused.returncode == 2, refused.stderr
    assert str(db_path) in one_line(refused.stderr)
    assert digest(db_path) == before
    for command in ("status", "report"):
        read = subprocess.run(
            [LINKKEEPER, command, "--config", str(config)], capture_output=True, text=True, timeout=60
        )
        assert read.returncode == 2, read.stderr
        assert str(db_path) in one_line(read.stderr)


def test_another_programs_database_is_refused_and_left_untouched(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    db_path = config.parent / "linkkeeper.db"
    with sqlite3.connect(db_path) as connection:
        connection.execute("create table moz_places (id integer primary key, url text)")
        connection.execute("insert into moz_places (url) values ('https://example.org/')")
    connection.close()
    before = digest(db_path)
    refused = run_check(config)
    assert refused.returncode == 2, refused.stderr
    assert "not a linkkeeper database" in one_line(refused.stderr)
    assert digest(db_path) == before


def test_a_database_from_a_newer_linkkeeper_is_refused_and_left_untouched(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at)"
            " values ('linkkeeper', 'm999_from_the_future', '2030-01-01')"
        )
    connection.close()
    before = digest(db_path)
    refused = run_check(config)
    assert refused.returncode == 2, refused.stderr
    assert "written by a newer linkkeeper (unknown schema step m999_from_the_future)" in one_line(refused.stderr)
    assert digest(db_path) == before


def test_a_device_as_the_database_is_refused_and_nothing_is_created_beside_it(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    beside = sorted(Path("/dev").glob("null*"))
    refused = run_check(config, "--db", "/dev/null")
    assert refused.returncode == 2, refused.stderr
    assert "/dev/null: not a regular file" in one_line(refused.stderr)
    assert sorted(Path("/dev").glob("null*")) == beside
    assert web.a.hits("/ok") == []


@needs_mounts
def test_status_reads_a_wal_database_on_a_read_only_disk(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    assert check_here(config).returncode == 0
    status = subprocess.run(
        on_a_read_only_disk(config.parent, [LINKKEEPER, "status", "--config", str(config)]),
        capture_output=True, text=True, timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "ok" in status.stdout and web.a.url in status.stdout


def test_deleting_the_lock_file_mid_run_does_not_let_a_second_run_in(web, write_config):
    slow = [web.b.route(f"/slow/{n}", slow_page(0.1)) for n in range(30)]
    config = write_config(slow, per_host_concurrency=1)
    first = subprocess.Popen(
        [CHECK_LINKS, "--config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lock = config.parent / "linkkeeper.db.lock"
        deadline = time.monotonic() + 30
        while not (lock.exists() and web.b.seen):
            assert time.monotonic() < deadline, "the first run never started"
            time.sleep(0.05)
        lock.unlink()
        second = run_check(config)
        assert second.returncode == 4, second.stderr
        assert "another linkkeeper run holds the database" in one_line(second.stderr)
        assert first.wait(timeout=60) == 0
    finally:
        first.kill()
        first.communicate()
    assert database(config)["runs"].count == 1
