"""`linkkeeper dashboard` as a process: started, answering over HTTP, stopped with nothing left behind."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from checking import LINKKEEPER, on_a_read_only_disk

DEADLINE = 30  # seconds for a dashboard to start or to stop


@dataclass
class Dashboard:
    process: subprocess.Popen
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))


@contextmanager
def dashboard(
    config: Path, temp: Path, port: int = 0, read_only: bool = False, program: str = LINKKEEPER, cwd: Path | None = None
) -> Iterator[Dashboard]:
    """`linkkeeper dashboard` serving `config`, its temp files in `temp`; once answering over HTTP, yielded.
    `program` is the `linkkeeper` to start (another installation's), `cwd` the folder it starts in.

    Whatever the test did to it, its whole process group is killed at the end: a Datasette left behind
    by a regression must not outlive the suite (it did, when only the parent was terminated).
    """
    command = [program, "dashboard", "--config", str(config), "--port", str(port)]
    process = subprocess.Popen(
        on_a_read_only_disk(config.parent, command) if read_only else command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        cwd=cwd,
        start_new_session=True,
    )
    try:
        url = announced_url(process)
        wait_for(lambda: answers(url), "the dashboard did not start")
        yield Dashboard(process, url)
    finally:
        stop_group(process)
        process.stdout.close()


def stop_group(process: subprocess.Popen) -> None:
    """Ask the dashboard to stop, then kill its whole process group: a Datasette left behind by a regression
    must not outlive the test."""
    process.terminate()
    try:
        process.wait(timeout=DEADLINE)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def announced_url(process: subprocess.Popen) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout=DEADLINE), "the dashboard said nothing"
    line = process.stdout.readline()
    assert " at " in line, f"the dashboard did not start (exit {process.poll()}): {line!r}"
    return line.split(" at ")[1].split(" ")[0]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except (urllib.error.URLError, ConnectionError):
        return False
    return True


def wait_for(condition: Callable[[], bool], failure: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)


def datasette_processes(db: Path) -> list[int]:
    """The live Datasette processes serving `db`, read from /proc as `pgrep -f` would (zombies have no cmdline)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0") if entry.name.isdigit() else []
        except OSError:  # it ended while we looked
            continue
        if b"datasette" in arguments and os.fsencode(db) in arguments:
            found.append(int(entry.name))
    return found


def ended(pid: int) -> bool:
    """Whether every thread of `pid` has exited, so its sockets are closed.

    A zombie its new parent has not reaped yet counts as ended; a zombie thread-group leader whose
    other threads are still exiting does not (they may still hold the listening socket).
    """
    states = []
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        with suppress(FileNotFoundError):
            states.append(task.read_text().rsplit(")", 1)[1].split()[0])
    return all(state in ("Z", "X") for state in states)


def port_is_free(port: int) -> bool:
    """Whether a server could listen on `port` now (with SO_REUSEADDR, as servers do: TIME_WAIT is no owner)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def serving(db_path: Path, title: str, timezone: str = "UTC") -> Iterator[str]:
    """`dashboard.serve.serve` over `db_path` as a process, in `timezone` whatever a list would say; its base
    URL, its whole process group ended afterwards, whatever happened."""
    from dashboard.serve import free_port

    port = free_port("127.0.0.1")
    program = (
        "import sys; from pathlib import Path; from dashboard.serve import serve;"
        f"sys.exit(serve(Path({str(db_path)!r}), {title!r}, '127.0.0.1', {port}, {timezone!r}))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(db_path.parent)}, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: answers(url), "the dashboard did not start")
        yield url
    finally:
        stop_group(process)
