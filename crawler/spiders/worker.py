"""The `worker` spider: the `links` spider fed by a distributed run's frontier instead of a job's list.

Its targets come through Redis (crawler.redis_frontier) and its checks go back the same way; the canaries
are the coordinator's, checked before the run's targets are queued.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler.job import Job
from crawler.spiders.links import LinksSpider


class WorkerSpider(LinksSpider):
    name = "worker"

    def __init__(self, job: Job | str, **kwargs: Any):
        super().__init__(job, **kwargs)
        self.frontier_job: dict[str, Any] = self.job.frontier
        self.worker: str = self.frontier_job["worker"]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Nothing of its own: every target is the frontier's."""
        return
        yield

    def request_for(self, target: dict) -> scrapy.Request:
        """The request that checks a target taken from the frontier, as the `links` spider makes it."""
        return self._target_request(target)
