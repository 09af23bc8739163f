"""A database nothing can silently damage: replaced or overwritten under a run, damaged, or left with a stale
WAL index on a read-only disk.

A backup renamed over the database mid-run is another file, which the run's lock does not cover; a backup
copied over it in place is the same file with other pages. Either way the run's `-wal` holds pages of the
file it opened: checkpointed into the file now at the path, they damage it ("row 1 missing from index").
The run must notice before its next write, stop (exit 7, one line), and leave both files whole. A damaged
database is refused by every command before anything writes to it; `linkkeeper doctor` says what is wrong.
The runs are processes of their own, with the real crawler, over a local web page that answers late.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from checking import (
    CHECK_LINKS,
    LINKKEEPER,
    check_here,
    digest,
    integrity,
    needs_mounts,
    on_a_read_only_disk,
    one_line,
    run_check,
    stored,
)
from local_dashboard import dashboard
from local_web import slow_page

pytestmark = pytest.mark.usefixtures("replayed_crawls")


def backup_of(db_path: Path, backup: Path) -> Path:
    """A backup as `sqlite3 DB '.backup FILE'` makes it: one file, no WAL beside it."""
    with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
        target.execute("pragma journal_mode = delete")
    return backup


def a_history_and_its_backup(web, write_config, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A list with a history (one run) and its backup, then the list grown by slow pages: a run of ~4 s."""
    quick = web.a.route("/ok", title="A page")
    config = write_config([quick])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    backup = backup_of(db_path, tmp_path / "backup.db")
    slow = [web.b.route(f"/late/{n}", slow_page(0.1)) for n in range(40)]
    write_config([quick, *slow], per_host_concurrency=1)
    return config, db_path, backup


def mid_run(config: Path, web, then) -> subprocess.CompletedProcess:
    """Start `check-links`, wait until it has begun writing (its run's row) and checked 8 slow pages, do `then`,
    let it end: its checks and its end are still to be written. (Not "until it has stored a batch": a new host's
    pages may all wait for its soft-404 probe, sent after them, and be stored together after the last one.)"""
    db_path = config.parent / "linkkeeper.db"
    run = subprocess.Popen(
        [CHECK_LINKS, "--config", str(config), "--no-archive"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(web.b.seen) < 8 or not _begun(db_path):
            assert time.monotonic() < deadline, "the run never began"
            assert run.poll() is None, run.communicate()
            time.sleep(0.05)
        then()
        stdout, stderr = run.communicate(timeout=120)
    finally:
        run.kill()
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)


def _begun(db_path: Path) -> bool:
    """Whether the second run's row reached the WAL (read as a reader would, without writing)."""
    with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as reader:
        return reader.execute("select count(*) from runs where id = 2").fetchone()[0] > 0


def test_a_backup_renamed_over_the_database_mid_run_stops_the_run_and_leaves_both_files_whole(
    web, write_config, tmp_path
):
    config, db_path, backup = a_history_and_its_backup(web, write_config, tmp_path)
    restored = stored(backup)
    opened = tmp_path / "the-file-the-run-opened.db"

    def restore() -> None:
        os.link(db_path, opened)  # the file the run opened, kept to be examined once the path names another
        os.replace(shutil.copy(backup, tmp_path / "restoring.db"), db_path)

    stopped = mid_run(config, web, restore)
    assert stopped.returncode == 7, stopped.stderr
    line = one_line(stopped.stderr)
    assert str(db_path) in line and "replaced by another file" in line
    assert integrity(db_path) == "ok"
    assert stored(db_path) == restored
    assert integrity(opened) == "ok"
    assert not db_path.with_name("linkkeeper.db-wal").exists()
    rerun = run_check(config, "--no-archive")
    assert rerun.returncode == 0, rerun.stderr
    assert integrity(db_path) == "ok"


def test_a_backup_copied_over_the_database_in_place_mid_run_stops_the_run_and_leaves_it_whole(
    web, write_config, tmp_path
):
    config, db_path, backup = a_history_and_its_backup(web, write_config, tmp_path)
    restored = stored(backup)
    stopped = mid_run(config, web, lambda: shutil.copyfile(backup, db_path))
    assert stopped.returncode == 7, stopped.stderr
    line = one_line(stopped.stderr)
    assert str(db_path) in line and "written by another program" in line
    assert integrity(db_path) == "ok"
    assert stored(db_path) == restored
    rerun = run_check(config, "--no-archive")
    assert rerun.returncode == 0, rerun.stderr
    assert integrity(db_path) == "ok"


def test_a_file_renamed_over_a_locked_database_is_not_free_for_a_second_run(tmp_path):
    """The run's lock is on the file it opened; a file renamed over the path is another, unlocked, which a
    second run would lock and write through the first's `-wal`. The note beside them is locked too."""
    from linkkeeper.errors import LockedError
    from linkkeeper.store.lock import run_lock

    db_path = tmp_path / "linkkeeper.db"
    with run_lock(db_path):
        (tmp_path / "backup.db").write_bytes(b"")
        os.replace(tmp_path / "backup.db", db_path)
        held = f"another linkkeeper run holds the database \\(pid {os.getpid()},"
        with pytest.raises(LockedError, match=held), run_lock(db_path):
            pass
    with run_lock(db_path):  # and free once the first run ends
        pass


def damage_an_index(db_path: Path, table: str) -> None:
    """One index of `table` made to disagree with its rows, as a stale WAL leaves a file: every page is
    well formed (`quick_check` passes), `integrity_check` reports rows missing from the index."""
    with closing(sqlite3.connect(db_path, isolation_level=None)) as connection:
        name, sql = connection.execute(
            "select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null"
            " order by name limit 1", (table,)
        ).fetchone()
        column = sql[sql.rindex("(") + 1:].strip(" )[]\"").split(",")[0].strip("[]\" ")
        other = "title" if table == "resources" else "url"
        assert column != other
        connection.execute("pragma writable_schema = on")
        connection.execute(
            "update sqlite_master set sql = ? where name = ?", (sql[: sql.rindex("(")] + f"([{other}])", name)
        )
        connection.execute("pragma writable_schema = off")
    assert "missing from index" in integrity(db_path)


def a_damaged_history(web, write_config, table: str) -> tuple[Path, Path]:
    config = write_config([web.a.route("/ok", title="A page"), web.a.route("/other", title="Another page")])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    damage_an_index(db_path, table)
    return config, db_path


@pytest.mark.parametrize(
    "command",
    [
        [CHECK_LINKS],
        [LINKKEEPER, "archive"],
        [LINKKEEPER, "accept", "http://127.0.0.1/"],
        [LINKKEEPER, "status"],
        [LINKKEEPER, "report"],
        [LINKKEEPER, "history", "http://127.0.0.1/"],
        [LINKKEEPER, "dashboard", "--port", "0"],
    ],
    ids=lambda command: " ".join(Path(command[0]).name if n == 0 else part for n, part in enumerate(command[:2])),
)
def test_a_damaged_database_is_refused_by_every_command_with_exit_2_and_nothing_written(
    web, write_config, command
):
    table = "checks" if command[0] == CHECK_LINKS or command[1] in ("archive", "accept") else "resources"
    config, db_path = a_damaged_history(web, write_config, table)
    before = digest(db_path)
    beside = sorted(path.name for path in db_path.parent.iterdir())
    refused = subprocess.run(
        [*command, "--config", str(config)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert refused.returncode == 2, refused.stderr
    line = one_line(refused.stderr)
    assert str(db_path) in line and "damaged" in line and "linkkeeper doctor" in line
    assert digest(db_path) == before
    # a reader's SQLite may open the WAL and its index beside the file (empty), nothing else is made
    made = {path.name for path in db_path.parent.iterdir()} - set(beside)
    assert made <= {"linkkeeper.db-wal", "linkkeeper.db-shm"}
    wal = db_path.with_name("linkkeeper.db-wal")
    assert not wal.exists() or not wal.stat().st_size


def test_doctor_says_a_healthy_database_is_healthy(web, write_config):
    config = write_config([web.a.route("/ok", title="A page")])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    before = digest(db_path)
    done = subprocess.run([LINKKEEPER, "doctor", "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "integrity check: ok" in done.stdout
    assert "a linkkeeper database" in done.stdout
    assert "no run holds it" in done.stdout
    assert digest(db_path) == before


def test_doctor_says_what_is_wrong_with_a_damaged_database_and_how_to_restore_it(web, write_config):
    config, db_path = a_damaged_history(web, write_config, "checks")
    before = digest(db_path)
    done = subprocess.run([LINKKEEPER, "doctor", "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "missing from index" in done.stdout
    assert ".recover" in done.stdout and "backup" in done.stdout
    assert digest(db_path) == before


def test_doctor_on_a_file_that_is_not_sqlite_exits_2(tmp_path):
    db_path = tmp_path / "linkkeeper.db"
    db_path.write_text("not a database\n")
    done = subprocess.run([LINKKEEPER, "doctor", "--db", str(db_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "not an SQLite database" in done.stdout


def stale_index(db_path: Path) -> None:
    """An `-shm` left beside a database with no WAL (copied with it, or left by a reader): stale."""
    assert not db_path.with_name(db_path.name + "-wal").exists()
    db_path.with_name(db_path.name + "-shm").write_bytes(bytes(range(256)) * 128)


@needs_mounts
@pytest.mark.parametrize("command", [["status"], ["history", "URL"], ["report"]])
def test_a_read_only_disk_with_a_stale_wal_index_is_read(web, write_config, command):
    url = web.a.route("/ok", title="A page")
    config = write_config([url])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    stale_index(db_path)
    read = subprocess.run(
        on_a_read_only_disk(
            config.parent, [LINKKEEPER, *[url if part == "URL" else part for part in command], "--config", str(config)]
        ),
        capture_output=True, text=True, timeout=60,
    )
    assert read.returncode == 0, read.stderr
    assert url in read.stdout or "A page" in read.stdout


@needs_mounts
def test_the_dashboard_serves_a_read_only_disk_with_a_stale_wal_index(web, write_config, tmp_path_factory):
    config = write_config([web.a.route("/ok", title="A page")])
    assert check_here(config).returncode == 0
    db_path = config.parent / "linkkeeper.db"
    stale_index(db_path)
    with dashboard(config, tmp_path_factory.mktemp("temp"), read_only=True) as served, urllib.request.urlopen(
        f"{served.url}{db_path.stem}/link_health.json?_shape=objects"
    ) as answer:
        assert [row["url"] for row in json.load(answer)["rows"]] == [web.a.url + "/ok"]
