"""`linkkeeper worker --redis URL`: wait for a distributed run, and fetch a share of it in a crawler child.

Each run gets a child of its own (`python -m crawler.worker_main`, through linkkeeper.crawl.run_crawler),
because the list's settings (User-Agent, timeout, limits) are the run's and Scrapy fixes them when a crawl
starts. The child takes its targets from Redis and reports there; it ends when the coordinator ends the run.
The Redis URL reaches it in the job file, which has no name, never on a command line.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable

from linkkeeper.crawl import run_crawler
from linkkeeper.errors import CrawlerFailed
from linkkeeper.frontier import Frontier

POLL_SECONDS = 0.5
"""How often a worker between runs looks for the next one."""

START_SECONDS = 60.0
"""How long a worker counts as alive for the coordinator while its crawler starts, before its lease applies."""


def serve(url: str, once: bool = False, log_level: str = "ERROR", said: Callable[[str], None] = print) -> None:
    """Serve runs as they come (only the next one when `once`). A Redis that fails ends this with
    `RedisUnavailable`, a crawl that fails otherwise with `CrawlerFailed`; a service manager restarts it."""
    frontier = Frontier(url)
    served = None
    while True:
        job = _next_job(frontier, served)
        worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        frontier.alive(job["run"], worker, START_SECONDS)
        said(f"run {job['run']}: fetching from {frontier.address} as {worker}")
        child = {
            "targets": [],
            "settings": job["settings"],
            "log_level": log_level,
            "frontier": {"redis": url, "run": job["run"], "lease": job["lease"], "worker": worker},
        }
        try:
            for _ in run_crawler(["crawler.worker_main"], child, show_log=log_level != "ERROR"):
                pass
        except CrawlerFailed:
            frontier.current_run()  # a Redis gone away is the cause to name
            raise
        served = job["run"]
        said(f"run {served}: done")
        if once:
            return


def _next_job(frontier: Frontier, served: str | None) -> dict:
    while True:
        job = frontier.job()
        if job and job["run"] != served:
            return job
        time.sleep(POLL_SECONDS)
