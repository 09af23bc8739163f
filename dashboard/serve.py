"""Serve a linkkeeper database with Datasette: read-only, on loopback unless told otherwise."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from dashboard.metadata import metadata
from linkkeeper.errors import Interrupted
from linkkeeper.runs.children import die_with_parent
from linkkeeper.runs.signals import stop_on_signals
from linkkeeper.store.opening import only_immutable

HERE = Path(__file__).parent
DELIBERATE_STOPS = (signal.SIGTERM, signal.SIGINT)
STOP_DEADLINE = 5  # seconds Datasette has to finish its answers before it is killed


def datasette_command(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    database = ["--immutable", str(db_path)] if only_immutable(db_path) else [str(db_path)]
    return [
        sys.executable, "-m", "datasette", "serve", *database,
        "--metadata", str(metadata_path),
        "--template-dir", str(HERE / "templates"),
        "--plugins-dir", str(HERE / "plugins"),
        "--host", host,
        "--port", str(port),
        "--setting", "sql_time_limit_ms", "3000",
        # Suggestions name columns as SQL does ("archive_checked_at (date)"); the facets chosen are in words.
        "--setting", "suggest_facets", "off",
    ]


def schema(db_path: Path) -> dict[str, list[str]]:
    """Each table of the database with its columns, read as Datasette will read it (read-only, never migrated):
    the dashboard asks only what the database can answer (a database a newer linkkeeper has not migrated yet)."""
    mode = "immutable=1" if only_immutable(db_path) else "mode=ro"
    with closing(sqlite3.connect(f"{db_path.absolute().as_uri()}?{mode}", uri=True)) as connection:
        tables = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")]
        return {table: [row[1] for row in connection.execute(f"pragma table_info([{table}])")] for table in tables}


def free_port(host: str) -> int:
    """A port nothing listens on now, for `--port 0`, so the address printed is the one served."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def serve(db_path: Path, title: str, host: str, port: int, timezone: str = "UTC") -> int:
    """Run Datasette until it ends or a stop signal comes; Datasette itself prints the address it serves.

    Datasette is a child process: left running, it would keep the port (the next `linkkeeper dashboard`
    fails with "address already in use") and its metadata folder would stay in the temp folder. So a
    stop signal ends it and removes the folder: SIGTERM and SIGINT are a deliberate stop and exit 0,
    SIGHUP (the terminal went away) exits 129 as a shell would. SIGKILL cannot be caught: Datasette is
    set to die with its parent instead, and only the folder is left behind.
    """
    try:
        with stop_on_signals(), tempfile.TemporaryDirectory(prefix="linkkeeper-dashboard-") as folder:
            metadata_path = Path(folder, "metadata.json")
            described = metadata(db_path.stem, title, timezone, schema(db_path))
            metadata_path.write_text(json.dumps(described), encoding="utf-8")
            child = subprocess.Popen(
                datasette_command(db_path, metadata_path, host, port), preexec_fn=die_with_parent
            )
            try:
                return child.wait()
            finally:
                _end(child)
    except Interrupted as stop:
        return 0 if stop.signum in DELIBERATE_STOPS else stop.exit_code


def _end(child: subprocess.Popen) -> None:
    """Datasette may finish the answers it is writing, but not for long: the port must come free."""
    child.terminate()
    try:
        child.wait(timeout=STOP_DEADLINE)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=STOP_DEADLINE)
