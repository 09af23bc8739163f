"""The fixed history (fixed_history.py) served by the dashboard in a time zone far from UTC, as a process.

`linkkeeper dashboard` takes its time zone from the list; this serves through `dashboard.serve.serve`
directly, so the zone is the one given here whatever the command line passes on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.serve import free_port
from fixed_history import write_history
from local_dashboard import answers, stop_group, wait_for

ZONE = "Pacific/Auckland"  # the report's readers: UTC+13 in November (NZDT)


@contextmanager
def served_history(folder: Path, zone: str = ZONE) -> Iterator[str]:
    """The dashboard's base URL; its whole process group is ended afterwards, whatever happened."""
    _, db = write_history(folder)
    db.close()
    port = free_port("127.0.0.1")
    program = (
        "import sys; from pathlib import Path; from dashboard.serve import serve;"
        f"sys.exit(serve(Path({str(folder / 'linkkeeper.db')!r}), 'Test resources', '127.0.0.1', {port}, {zone!r}))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(folder)},
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: answers(url), "the dashboard did not start")
        yield url
    finally:
        stop_group(process)
