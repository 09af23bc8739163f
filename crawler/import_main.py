"""`python -m crawler.import_main JOB DEPTH`: fetch a report's pages for `linkkeeper import`, in its own
process (crawler/process.py), each page as one JSON line on stdout.
"""

from __future__ import annotations

import sys

from crawler.pipelines import write_line
from crawler.process import leave, run
from crawler.spiders.report import FetchedPage, ReportSpider


class PagesPipeline:
    """One line per page; other items are not the import's."""

    def process_item(self, item):
        if isinstance(item, FetchedPage):
            write_line(vars(item))
        return item


def main(job_path: str, depth: str) -> int:
    return run(
        ReportSpider, job_path, "fetch", {"ITEM_PIPELINES": {"crawler.import_main.PagesPipeline": 100}}, depth=depth
    )


if __name__ == "__main__":
    leave(main(*sys.argv[1:]))
