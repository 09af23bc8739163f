"""`python -m crawler JOB.json`: run one crawl in its own process (crawler/process.py), results as JSON
lines on stdout."""

from __future__ import annotations

import sys

# Imported first, from the shallowest stack there is: its deprecated names are made by Scrapy's
# `create_deprecated_class`, which calls `inspect.stack()`, whose cost grows with the stack's depth (0.07 s less
# CPU than at the bottom of the spider's imports, in every crawler, while the run's processes share the cores).
import scrapy.core.downloader.contextfactory  # noqa: F401

from crawler.process import leave, run
from crawler.spiders.links import LinksSpider


def main(job_path: str, *options: str) -> int:
    return run(LinksSpider, job_path, "crawl", options=options)


if __name__ == "__main__":
    leave(main(*sys.argv[1:]))
