"""`python -m crawler.import_main JOB DEPTH`: fetch a report's pages for `linkkeeper import`, in its own
process (Twisted's reactor cannot restart, and a crash must not take the command down), each page as
one JSON line on stdout.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.job import Job
from crawler.spiders.report import FetchedPage, ReportSpider


class PagesPipeline:
    """One line per page, flushed; if the reader is gone, no one wants the rest."""

    def process_item(self, item):
        if not isinstance(item, FetchedPage):
            return item
        try:
            sys.stdout.write(json.dumps(dataclasses.asdict(item)) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            os._exit(1)
        return item


def main(job_path: str, depth: str) -> int:
    """0 only when the spider ran to its end, as for `python -m crawler`."""
    settings = get_project_settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", Job.read(job_path).log_level, priority="cmdline")
    settings.set("ITEM_PIPELINES", {"crawler.import_main.PagesPipeline": 100}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ReportSpider)
    reasons = []
    crawler.signals.connect(lambda spider, reason: reasons.append(reason), signal=signals.spider_closed, weak=False)
    process.crawl(crawler, job=job_path, depth=depth)
    process.start()
    if reasons != ["finished"]:
        print(f"the fetch stopped before its end ({reasons[0] if reasons else 'it never started'})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
