"""`python -m crawler JOB.json`: run one crawl in its own process (crawler/process.py), results as JSON
lines on stdout."""

from __future__ import annotations

import sys

from crawler.process import leave, run
from crawler.spiders.links import LinksSpider


def main(job_path: str) -> int:
    return run(LinksSpider, job_path, "crawl")


if __name__ == "__main__":
    leave(main(*sys.argv[1:]))
