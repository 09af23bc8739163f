"""`linkkeeper worker --redis URL`: wait for a distributed run, and fetch a share of it in a crawler child.

Before it takes any link of a run, a worker checks the canaries itself, as the coordinator did: a worker
whose own network is down leaves the run to the others rather than report every link it took as failed.
Each run gets a crawler child of its own (`python -m crawler.worker_main`, through linkkeeper.runs.crawl.run_crawler),
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

from linkkeeper.config.settings import Settings
from linkkeeper.errors import CrawlerFailed
from linkkeeper.runs.crawl import crawl, run_crawler
from linkkeeper.runs.frontier import Frontier

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
        run = served = job["run"]
        worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        frontier.alive(run, worker, START_SECONDS)
        if _network_up(Settings.from_flat(job["settings"]), log_level):
            said(f"run {run}: fetching from {frontier.address} as {worker}")
            _fetch(frontier, url, job, worker, log_level)
            said(f"run {run}: done")
        else:
            frontier.leave(run, worker)
            said(f"run {run}: no canary answered here, the network is down: this run's links are left to other workers")
        if once:
            return


def _network_up(settings: Settings, log_level: str) -> bool:
    """Whether this machine reaches the web, judged as a local run judges it (linkkeeper.runs.crawl with no targets):
    a worker cut off would otherwise report every link it took as failed."""
    return not settings.canaries or all(
        record["up"] for record in crawl([], settings, log_level) if record["type"] == "NetworkItem"
    )


def _fetch(frontier: Frontier, url: str, job: dict, worker: str, log_level: str) -> None:
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


def _next_job(frontier: Frontier, served: str | None) -> dict:
    while True:
        job = frontier.job()
        if job and job["run"] != served:
            return job
        time.sleep(POLL_SECONDS)
