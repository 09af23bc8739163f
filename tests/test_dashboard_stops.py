"""The dashboard stopped by a signal, killed, restarted, or serving from a read-only disk: no process, port
or temporary file is left behind."""

from __future__ import annotations

import json
import signal
import urllib.request
from pathlib import Path

import pytest

from checking import needs_mounts
from local_dashboard import DEADLINE, dashboard, datasette_processes, ended, port_is_free, wait_for


@pytest.fixture
def served_files(history, tmp_path) -> tuple[Path, Path, Path]:
    """The fixed history's list and database, and an empty folder to be the dashboard's temp folder."""
    config, _ = history
    temp = tmp_path / "temp"
    temp.mkdir()
    return config.path, config.path.with_name("linkkeeper.db"), temp


@pytest.mark.parametrize(
    ("stop", "status"),
    [(signal.SIGTERM, 0), (signal.SIGINT, 0), (signal.SIGHUP, 128 + signal.SIGHUP)],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_a_stop_signal_ends_datasette_frees_the_port_and_removes_the_temp_folder(served_files, stop, status):
    config, db, temp = served_files
    with dashboard(config, temp) as served:
        assert len(datasette_processes(db)) == 1
        assert [path.name[:21] for path in temp.iterdir()] == ["linkkeeper-dashboard-"]
        served.process.send_signal(stop)
        assert served.process.wait(timeout=DEADLINE) == status
        assert datasette_processes(db) == []
        assert port_is_free(served.port)
        assert list(temp.iterdir()) == []


def test_after_sigterm_the_next_dashboard_starts_on_the_same_port(served_files):
    config, db, temp = served_files
    with dashboard(config, temp) as first:
        [old] = datasette_processes(db)
        first.process.terminate()
        first.process.wait(timeout=DEADLINE)
    with dashboard(config, temp, port=first.port) as second:
        [new] = datasette_processes(db)
        assert second.url == first.url and new != old


def test_datasette_dies_with_a_dashboard_killed_by_sigkill(served_files):
    config, db, temp = served_files
    with dashboard(config, temp) as served:
        [child] = datasette_processes(db)
        served.process.kill()
        served.process.wait(timeout=DEADLINE)
        wait_for(lambda: ended(child), "Datasette outlived its killed parent")
        assert datasette_processes(db) == []
        assert port_is_free(served.port)


@needs_mounts
def test_it_serves_a_wal_database_from_a_read_only_disk(history, served_files, tmp_path_factory):
    """Closed by its last writer, the database has no WAL index, and none can be created on that disk."""
    history[1].close()
    config, db, _ = served_files
    assert not db.with_name(db.name + "-shm").exists()
    writable_temp = tmp_path_factory.mktemp("temp")
    with dashboard(config, writable_temp, read_only=True) as served, urllib.request.urlopen(
        f"{served.url}{db.stem}/link_health.json?_shape=objects"
    ) as answer:
        assert json.load(answer)["rows"]
