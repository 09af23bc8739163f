"""A crawl told to stop (SIGTERM, SIGINT, Ctrl-C) drops the downloads it has not begun.

Scrapy's graceful stop first downloads every request already queued in its downloader, up to
`concurrency` of them waiting behind the per-host limit, for results that nobody will store: on slow hosts
the crawler went on fetching past check-links's stop bound (`linkkeeper.runs.children.STOP_SECONDS`) and was
killed. The downloads in flight still end as they would; the queued ones fail with `Stopped`, which is
never retried and reaches no spider's errback, except those that pages already fetched wait for (a
host's soft-404 probe, marked `FETCH_ON_STOP`): without it their checks could not be reported.
"""

from __future__ import annotations

from scrapy.core.downloader import Downloader
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

FETCH_ON_STOP = "lk_fetch_on_stop"
"""Request meta: fetched even once the crawl is stopping."""


class Stopped(IgnoreRequest):
    """A download dropped before it began: the crawl is stopping."""


class StoppingCrawler(Crawler):
    async def stop_async(self) -> None:
        """Also called when a crawl has ended on its own, with nothing left queued."""
        if self.crawling and self.engine.running:
            drop_queued(self.engine.downloader)
        await super().stop_async()


def drop_queued(downloader: Downloader) -> None:
    """A request never fetched is no failure of its page: without an errback, Scrapy drops an ignored
    request silently, so no spider reports it."""
    for slot in list(downloader.slots.values()):
        dropped = [(request, waiting) for request, waiting in slot.queue if not request.meta.get(FETCH_ON_STOP)]
        for request, waiting in dropped:
            slot.queue.remove((request, waiting))
            request.errback = None
            waiting.errback(Failure(Stopped(f"the crawl stopped before {request.url} was fetched")))
