"""Run `check-links` as cron does (its own process) and read what it stored; the processes a test started,
directly or not, read from /proc (Linux)."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

CHECK_LINKS = str(Path(sys.executable).with_name("check-links"))
LINKKEEPER = str(Path(sys.executable).with_name("linkkeeper"))

FAST_ARCHIVE = {
    "saves_per_minute": 600,
    "cdx_per_minute": 600,
    "poll_interval": 0.05,
    "job_timeout": 5,
    "time_budget": 20,
    "request_timeout": 5,
}
"""The archive step's settings for a local Wayback Machine: no pacing to wait for, short deadlines."""
DEAD_AT_ONCE = {"dead_after_failures": 1, "dead_after_days": 0}
ROOT = Path(__file__).resolve().parent.parent


def copy_of_the_clone(destination: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """What a fresh clone holds (tracked files, and new ones not ignored), but the top-level folders `leave_out`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True, timeout=30,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if name.split("/")[0] in leave_out or not source.is_file():  # a file deleted, not yet committed
            continue
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination / name)
    return destination


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


def check_here(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`check-links --config CONFIG ARGS` run in this process by click's CliRunner: the same command, its
    crawler still a real child process, without starting Python and importing linkkeeper once more. For tests
    of what runs store; what cron sees of the process (its exit status, stdout, stderr) is `run_check`'s.
    `env` is added to the environment while the command runs (its crawler's included)."""
    from cli import check_links_command

    return _invoke(check_links_command, CHECK_LINKS, ["--config", str(config), *args], env)


def linkkeeper_here(*args: str) -> subprocess.CompletedProcess:
    """`linkkeeper ARGS` run in this process by click's CliRunner (see `check_here`)."""
    from cli import cli

    return _invoke(cli, LINKKEEPER, list(args))


def _invoke(
    command, program: str, arguments: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    from click.testing import CliRunner

    result = CliRunner(env=env).invoke(command, arguments, catch_exceptions=False)
    return subprocess.CompletedProcess([program, *arguments], result.exit_code, result.stdout, result.stderr)


def run_json(config: Path, *args: str) -> tuple[int, dict]:
    """`check-links --json` in its own process: its exit status and what it printed."""
    return _json(run_check(config, "--json", *args))


def json_here(config: Path, *args: str) -> tuple[int, dict]:
    """`check-links --json` run in this process (see `check_here`)."""
    return _json(check_here(config, "--json", *args))


def _json(done: subprocess.CompletedProcess) -> tuple[int, dict]:
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


def digest(path: Path) -> str:
    """The file's SHA-256: a file a command must leave alone is compared byte for byte."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>

SHARED_PROCESSES: set[int] = set()
"""Roots of process trees that a fixture keeps across tests (the browser, with Chromium's crash handlers):
not any one test's, so neither counted as left behind by a test nor weighed as the crawler."""


def adopt_orphans() -> None:
    """Make this process the one that inherits its descendants' orphans (instead of init), so a process
    whose parent exited, or was killed, still counts among this one's descendants. Linux only."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _table() -> dict[int, tuple[int, str]]:
    """pid -> (parent's pid, state) of every process; state is `Z` for a zombie (ended, not yet reaped)."""
    table = {}
    for name in filter(str.isdigit, os.listdir("/proc")):  # not Path.glob, which fails on a process that ends
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # it ended while we looked
            continue
        table[int(name)] = (int(fields[1]), fields[0])
    return table


def descendants(of: int | None = None, exempt: frozenset[int] | set[int] = frozenset()) -> dict[int, str]:
    """pid -> state of every process descended from `of` (default: this process), not below an `exempt` one."""
    table = _table()
    family, frontier = set(), {os.getpid() if of is None else of}
    while frontier:
        children = {pid for pid, (parent, _) in table.items() if parent in frontier} - family - set(exempt)
        family |= children
        frontier = children
    return {pid: table[pid][1] for pid in family}


def running_descendants(exempt: frozenset[int] | set[int] = frozenset()) -> set[int]:
    """This process's descendants that have not ended (zombies have)."""
    return {pid for pid, state in descendants(exempt=exempt).items() if state not in ("Z", "X")}


def crawler_pids(command: int) -> list[int]:
    """The crawlers running under `command` (check-links): those its fork server, a child of its own, forked
    (crawler/fork_server.py), read from /proc."""
    table = _table()
    servers = {
        pid for pid, (parent, _) in table.items() if parent == command and "crawler.fork_server" in command_line(pid)
    }
    return sorted(pid for pid, (parent, state) in table.items() if parent in servers and state not in ("Z", "X"))


def wait_for(condition: Callable[[], bool], timeout: float = 30, failure: str = "timed out waiting") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.02)


def has_ended(pid: int) -> bool:
    """Whether `pid` is gone or a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "(ended)"
