"""One crawl in this process, for the entry points `python -m crawler`, `python -m crawler.import_main` and
`python -m crawler.worker_main`.

Each runs in a process of its own because Twisted's reactor cannot be restarted in a process that has run
one, and because a crashed or killed crawl then cannot take its caller down with it.

`check-links` has its crawls forked from a server that got ready once (crawler/fork_server.py, `get_ready`:
Python, Scrapy, Twisted and every component the settings name, some 0.7 s of CPU).
"""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import Any, NoReturn

from scrapy import Spider, signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.job import Job
from crawler.stopping import StoppingCrawler

OUTPUT_BUFFER = 1 << 16
"""Bytes of a crawl's lines kept before they are written (crawler/pipelines.py writes them at least every 0.05 s)."""
COMPONENTS = ("DOWNLOADER_MIDDLEWARES_BASE", "DOWNLOADER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES")
"""Settings whose keys name classes that Scrapy imports as it builds a crawler (so do DOWNLOAD_HANDLERS' values,
SCHEDULER and TWISTED_DNS_RESOLVER): imported by the fork server before it forks a crawl instead. Among them Scrapy's
HTTP handler, whose module walks the whole stack as it is imported (a deprecation shim): 0.1 s."""


def run(spider: type[Spider], job_path: str, what: str, settings: dict[str, Any] | None = None, **arguments) -> int:
    """0 only when the spider ran to its end: a crawl stopped by a signal, or one that never started, must
    not read as a finished one to its caller. The spider applies the job's settings itself; only the log
    level, the run's and not the list's, is set here, as `scrapy crawl -L` would, with `settings`. The job file
    is read once, here, and the job handed to the spider."""
    _buffer_output()
    project = _project()
    job = Job.read(job_path)
    project.setdict({"LOG_LEVEL": job.log_level, **(settings or {})}, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler(StoppingCrawler(spider, project, init_reactor=True))
    reasons = []
    crawler.signals.connect(lambda spider, reason: reasons.append(reason), signal=signals.spider_closed, weak=False)
    crawler.signals.connect(lambda: _log_only(project["LOG_LEVEL"]), signal=signals.spider_opened, weak=False)
    process.crawl(crawler, job=job, **arguments)
    process.start()
    if reasons != ["finished"]:
        print(f"the {what} stopped before its end ({reasons[0] if reasons else 'it never started'})", file=sys.stderr)
        return 1
    return 0


def _buffer_output() -> None:
    """Standard output buffered, even where PYTHONUNBUFFERED is set (it is on this project's test machine): there a
    crawl wrote each of its lines with a write of its own, 500 for 500 lines, and `check-links` woke up for each.
    `leave` flushes it. Its own file object on the descriptor, never closing it: the unbuffered stream stays open
    on the same one."""
    if not isinstance(sys.stdout.buffer, io.BufferedWriter):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(sys.stdout.fileno(), "wb", closefd=False), OUTPUT_BUFFER),
            encoding=sys.stdout.encoding,
            errors=sys.stdout.errors,
        )


def leave(code: int) -> NoReturn:
    """Exit once what the crawl wrote is out, without the interpreter's teardown of everything the crawl made
    (0.2 s after 2,000 pages), which `check-links` would wait for: it reads the crawler's output to its end."""
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # nobody is reading any more
        os._exit(1)
    os._exit(code)


def get_ready() -> None:
    """Everything a crawl imports, imported now (for the fork server, crawler/fork_server.py)."""
    _import_components(_project())


def _project() -> BaseSettings:
    project = get_project_settings()
    project.setmodule("crawler.settings", priority="project")
    return project


def _import_components(project: BaseSettings) -> None:
    named = [project["SCHEDULER"], project["TWISTED_DNS_RESOLVER"], *project.getdict("DOWNLOAD_HANDLERS").values()]
    for setting in COMPONENTS:
        named += project.getdict(setting)
    for path in filter(None, named):
        load_object(path)


def _log_only(level: str) -> None:
    """Scrapy sets its logger to DEBUG and the root's to NOTSET as the crawl starts, for its handler to filter
    by LOG_LEVEL: each debug line (two per page checked) would be made, then dropped."""
    for logger in (logging.root, logging.getLogger("scrapy")):
        logger.setLevel(level)
