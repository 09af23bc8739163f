"""Run the Scrapy crawler (`python -m crawler`) in child processes and read their results as they come.

A long list is shared between several crawlers by host (linkkeeper/runs/shards.py), each a process of its
own: Scrapy is single-threaded, and one crawler keeps one core busy. Each job (its share of the list, as
JSON lines read as the crawl goes) and each crawler's log go through temporary files that have no name
(O_TMPFILE): the child opens its job as `/dev/fd/N`. A run killed even by SIGKILL leaves nothing behind
in the temp folder.

`check-links` starts a fork server (crawler/fork_server.py, linkkeeper/runs/forking.py) before it reads the
list and opens the database, which takes about as long as the server takes to import the crawler (0.7 s of
CPU); `crawl` has its crawlers forked from it, each as soon as its job is written. Without a server (other
crawls: `run_crawler`), each crawler is a process started for its job.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator

from linkkeeper import json_lines
from linkkeeper.config.settings import Settings
from linkkeeper.runs.children import die_with_parent, failure, reap
from linkkeeper.runs.forking import Forked, ForkServer
from linkkeeper.runs.shards import Share, split

PIPE_BYTES = 1 << 20
"""Room in each crawler's output pipe (Linux's default for a user, 64 KiB, holds some 100 checks): a crawler
does not stand still while the reader commits a batch."""
LOOK_SECONDS = 1.0
"""How often the reader looks whether a crawler that says nothing has ended."""


def crawl(
    targets: Iterable[dict],
    settings: Settings,
    log_level: str = "ERROR",
    scrapy_settings: dict | None = None,
    server: ForkServer | None = None,
) -> Iterator[dict]:
    """Yield each JSON record the crawlers print (`NetworkItem`, then `CheckItem`s). Each crawler makes its
    Scrapy settings from the list's `settings` (crawler/job.py), with its part of `concurrency`;
    `scrapy_settings` add to them.

    The first crawler checks the canaries; the others start once they say the network is up, so the
    canaries are asked once, and with the network down no crawler has checked anything. A reader that
    stops early (an error, a signal) stops the crawlers too: they must not go on crawling the whole list
    for nobody. With a `server`, the crawlers are forked from it.
    """
    first, *others = split(targets, settings.crawlers, settings.concurrency)

    def job(share: Share, canaries: list[str]) -> dict:
        return {
            "canaries": canaries,
            "settings": {**settings.shared(), "concurrency": share.concurrency},
            "log_level": log_level,
            "scrapy_settings": scrapy_settings or {},
        }

    with _Crawlers(show_log=log_level != "ERROR", server=server) as crawlers:

        def start_others() -> None:
            for share in others:
                crawlers.start(["crawler"], job(share, []), share.targets())
            others.clear()

        crawlers.start(["crawler"], job(first, list(settings.canaries)), first.targets())
        if not settings.canaries:
            start_others()
        for record in crawlers.records():
            if others and record["type"] == "NetworkItem" and record["up"]:
                start_others()
            yield record


def run_crawler(module: list[str], job: dict, show_log: bool = False) -> Iterator[dict]:
    """Yield each JSON line that `python -m MODULE... /dev/fd/N` prints for `job`: a crawler entry point.

    A reader that stops early stops the crawler too. Its log reaches stderr only when `show_log`;
    otherwise its last line names the failure, if it fails.
    """
    with _Crawlers(show_log) as crawlers:
        crawlers.start(module, job, ())
        yield from crawlers.records()


class _Crawler:
    """A crawler process, started once its job is written (`start`): forked from `server`, or without one
    `python -m MODULE... /dev/fd/N`. Its job and log files (closed by `files`), and its output's last part."""

    def __init__(self, module: list[str], show_log: bool, files: contextlib.ExitStack, server: ForkServer | None):
        self.module = module
        self.show_log = show_log
        self.server = server
        self.job = files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by the stack)
        self.stderr = files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
        self.process: subprocess.Popen | Forked | None = None
        self.rest = b""
        self.ended = False

    def start(self, job: dict, targets: Iterable[dict]) -> None:
        """The job's first line is `job`; each target follows on a line of its own."""
        self.job.write(json_lines.line(job))
        self.job.writelines(json_lines.line(target) for target in targets)
        self.job.flush()
        self.process = self._spawned() if self.server is None else self._forked(self.server)
        with contextlib.suppress(AttributeError, OSError):  # not Linux, or more than the system allows
            fcntl.fcntl(self.process.stdout.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def _spawned(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", self.module[0], f"/dev/fd/{self.job.fileno()}", *self.module[1:]],
            stdout=subprocess.PIPE,
            stderr=None if self.show_log else self.stderr,
            pass_fds=(self.job.fileno(),),
            preexec_fn=die_with_parent,
        )

    def _forked(self, server: ForkServer) -> Forked:
        output, output_end = os.pipe()
        try:
            stderr = 2 if self.show_log else self.stderr.fileno()  # 2: the log goes where this command's goes
            pid = server.fork(self.job.fileno(), output_end, stderr)
        except BaseException:
            os.close(output)
            raise
        finally:
            os.close(output_end)
        return Forked(server, pid, os.fdopen(output, "rb", buffering=0))


class _Crawlers:
    """Crawler processes, their output read as it comes from whichever has some; each is stopped (if its
    reader gave up on it) and reaped on the way out, and a failed one raises `CrawlerFailed`. With a
    `server`, they are forked from it."""

    def __init__(self, show_log: bool, server: ForkServer | None = None):
        self.show_log = show_log
        self.server = server
        self.files = contextlib.ExitStack()
        self.selector = selectors.DefaultSelector()
        self.crawlers: list[_Crawler] = []

    def __enter__(self) -> _Crawlers:
        return self

    def start(self, module: list[str], job: dict, targets: Iterable[dict]) -> None:
        crawler = _Crawler(module, self.show_log, self.files, self.server)
        self.crawlers.append(crawler)
        crawler.start(job, targets)
        self.selector.register(crawler.process.stdout, selectors.EVENT_READ, crawler)

    def records(self) -> Iterator[dict]:
        """Until every crawler's output has ended; a crawler gone without closing it counts as ended."""
        while self.selector.get_map():
            ready = self.selector.select(LOOK_SECONDS)
            if not ready:
                self._forget_the_exited()
            for key, _ in ready:
                yield from self._read(key.data)

    def _read(self, crawler: _Crawler) -> Iterator[dict]:
        chunk = os.read(crawler.process.stdout.fileno(), 1 << 16)
        if not chunk:
            self._ended(crawler)
            return
        *lines, crawler.rest = (crawler.rest + chunk).split(b"\n")
        for line in lines:
            yield json_lines.loads(line)

    def _forget_the_exited(self) -> None:
        for key in list(self.selector.get_map().values()):
            if key.data.process.poll() is not None:
                self._ended(key.data)

    def _ended(self, crawler: _Crawler) -> None:
        self.selector.unregister(crawler.process.stdout)
        crawler.ended = True

    def __exit__(self, *exc_info) -> None:
        started = [crawler for crawler in self.crawlers if crawler.process is not None]  # a start can fail
        try:
            codes = [(reap(crawler.process, crawler.ended), crawler) for crawler in started]
            if exc_info[0] is None:
                for code, crawler in codes:
                    if code != 0:
                        raise failure(code, crawler.stderr)
        finally:
            self.selector.close()
            for crawler in started:
                crawler.process.stdout.close()
            self.files.close()
