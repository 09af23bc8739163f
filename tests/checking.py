"""Run `check-links` as cron does (its own process) and read what it stored."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

CHECK_LINKS = str(Path(sys.executable).with_name("check-links"))
LINKKEEPER = str(Path(sys.executable).with_name("linkkeeper"))


def run_check(
    config: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`check-links --config CONFIG ARGS` in its own process, as cron would start it."""
    return subprocess.run(
        [CHECK_LINKS, "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def run_json(config: Path, *args: str) -> tuple[int, dict]:
    done = run_check(config, "--json", *args)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def database(config: Path) -> Database:
    return Database(config.parent / "linkkeeper.db")


def health(config: Path) -> dict[str, dict]:
    """The `link_health` view, by URL."""
    return {row["url"]: row for row in database(config).query("select * from link_health")}


def stored(db_path: Path) -> dict[str, list]:
    """Every row a run may not change once written: checks, resources, and runs."""
    with closing(sqlite3.connect(db_path)) as connection:
        return {
            table: connection.execute(f"select * from {table} order by id").fetchall()
            for table in ("checks", "resources", "runs")
        }


def integrity(db_path: Path) -> str:
    with closing(sqlite3.connect(db_path)) as connection:
        return connection.execute("pragma integrity_check").fetchone()[0]


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


needs_mounts = pytest.mark.skipif(
    not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode,
    reason="needs user and mount namespaces (unshare -rm) to mount a folder read-only",
)


def on_a_read_only_disk(folder: Path, command: list[str]) -> list[str]:
    """`command` run where `folder` is mounted read-only (a bind mount in its own mount namespace)."""
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    return ["unshare", "-rm", "sh", "-c", f"{mount} && exec {shlex.join(command)}"]
