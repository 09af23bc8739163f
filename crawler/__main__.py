"""`python -m crawler JOB.json`: run one crawl in its own process, results as JSON lines on stdout.

`check-links` starts the crawl this way because Twisted's reactor cannot be restarted in a process
that has run one, and because a crashed or killed crawl then cannot take the caller down with it.
The spider applies the job's settings itself; only the log level, the run's and not the list's, is
set here, as `scrapy crawl -L` would.
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.job import Job
from crawler.spiders.links import LinksSpider


def main(job_path: str) -> int:
    """0 only when the spider ran to its end: a crawl stopped by a signal, or one that never started,
    must not read as a finished crawl to check-links."""
    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", Job.read(job_path).log_level, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(LinksSpider)
    reasons = []
    crawler.signals.connect(lambda spider, reason: reasons.append(reason), signal=signals.spider_closed, weak=False)
    process.crawl(crawler, job=job_path)
    process.start()
    if reasons != ["finished"]:
        print(f"the crawl stopped before its end ({reasons[0] if reasons else 'it never started'})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
