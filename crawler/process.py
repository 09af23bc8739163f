"""One crawl in this process, for the entry points `python -m crawler` and `python -m crawler.import_main`.

Each runs in a process of its own because Twisted's reactor cannot be restarted in a process that has run
one, and because a crashed or killed crawl then cannot take its caller down with it.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.job import Job
from crawler.stopping import StoppingCrawler


def run(spider: type[Spider], job_path: str, what: str, settings: dict[str, Any] | None = None, **arguments) -> int:
    """0 only when the spider ran to its end: a crawl stopped by a signal, or one that never started, must
    not read as a finished one to its caller. The spider applies the job's settings itself; only the log
    level, the run's and not the list's, is set here, as `scrapy crawl -L` would, with `settings`. The job file
    is read once, here, and the job handed to the spider."""
    job = Job.read(job_path)
    project = get_project_settings()
    project.setmodule("crawler.settings", priority="project")
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


def _log_only(level: str) -> None:
    """Scrapy sets its logger to DEBUG and the root's to NOTSET as the crawl starts, for its handler to filter
    by LOG_LEVEL: each debug line (two per page checked) would be made, then dropped."""
    for logger in (logging.root, logging.getLogger("scrapy")):
        logger.setLevel(level)
