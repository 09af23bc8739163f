"""Run the Scrapy crawler (`python -m crawler`) in a child process and read its results as they come.

The job (every URL of the list) and the crawler's log go through temporary files that have no name
(O_TMPFILE): the child opens the job as `/dev/fd/N`. A run killed even by SIGKILL leaves nothing behind
in the temp folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from linkkeeper.children import die_with_parent
from linkkeeper.errors import CrawlerFailed
from linkkeeper.settings import Settings

STOP_SECONDS = 10.0
"""How long a crawler may take to exit once its output has ended, or once asked to stop, before it is killed."""


def crawl(
    targets: list[dict], settings: Settings, log_level: str = "ERROR", scrapy_settings: dict | None = None
) -> Iterator[dict]:
    """Yield each JSON record the crawler prints (`NetworkItem`, then `CheckItem`s). The crawler makes its
    Scrapy settings from the list's `settings` (crawler/job.py); `scrapy_settings` add to them.

    A reader that stops early (an error, a signal) stops the crawler too: it must not go on crawling
    the whole list for nobody.
    """
    job = {
        "targets": targets,
        "canaries": list(settings.canaries),
        "settings": settings.to_dict(),
        "log_level": log_level,
        "scrapy_settings": scrapy_settings or {},
    }
    yield from run_crawler(["crawler"], job, show_log=log_level != "ERROR")


def run_crawler(module: list[str], job: dict, show_log: bool = False) -> Iterator[dict]:
    """Yield each JSON line that `python -m MODULE... /dev/fd/N` prints for `job`: a crawler entry point.

    A reader that stops early stops the crawler too. Its log reaches stderr only when `show_log`;
    otherwise its last line names the failure, if it fails.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as job_file, tempfile.TemporaryFile(
        "w+", encoding="utf-8"
    ) as stderr:
        json.dump(job, job_file)
        job_file.flush()
        process = subprocess.Popen(
            [sys.executable, "-m", module[0], f"/dev/fd/{job_file.fileno()}", *module[1:]],
            stdout=subprocess.PIPE,
            stderr=None if show_log else stderr,
            pass_fds=(job_file.fileno(),),
            preexec_fn=die_with_parent,
            text=True,
        )
        ended = False
        try:
            for line in process.stdout:
                yield json.loads(line)
            ended = True
        finally:
            process.stdout.close()
            code = _reap(process, ended)
        if code != 0:
            stderr.seek(0)
            tail = [line for line in stderr.read().splitlines() if line.strip()][-1:]
            raise CrawlerFailed(f"the crawler failed (exit {code}): {tail[0] if tail else 'no message'}")


def _reap(process: subprocess.Popen, ended: bool) -> int:
    """The crawler's exit status, within STOP_SECONDS: asked to stop first if its reader gave up on it."""
    if not ended:
        process.terminate()
    try:
        return process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
