"""`python -m crawler.worker_main JOB.json`: one worker's share of one distributed run, in its own process
(crawler/process.py). Its checks go to Redis, not to standard output."""

from __future__ import annotations

import sys

from crawler.process import leave, run
from crawler.redis_frontier import FrontierScheduler
from crawler.spiders.worker import WorkerSpider

SETTINGS = {
    "SCHEDULER": f"{FrontierScheduler.__module__}.{FrontierScheduler.__qualname__}",
    "ITEM_PIPELINES": {},
}


def main(job_path: str) -> int:
    return run(WorkerSpider, job_path, "worker's crawl", SETTINGS)


if __name__ == "__main__":
    leave(main(*sys.argv[1:]))
