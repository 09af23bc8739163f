"""A worker's scheduler: scrapy-redis's, over the host-sharded frontier of a distributed run
(linkkeeper/runs/frontier.py), with crawler.downloader.retry's holding of retries until they are due.

The run's targets come from Redis through scrapy-redis's Scheduler and a queue of its kind
(`FrontierQueue`), which hands out only targets of hosts this worker holds, a few per host at a time,
claiming another host when it has room. Everything a target leads to (its redirects, its soft-404 probe,
its retries) stays in this worker's own Scrapy queue: it needs this process's state (the probe book, the
answer a retry would replace), and its check is reported by this worker, which is what releases the host.

A check goes back to the coordinator through Redis as soon as it is scraped. A timer renews the worker's
lease, notices the end of the run, and wakes the engine when the frontier may have work: an idle engine
otherwise looks only every five seconds.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress

from scrapy import Request, Spider, signals
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet.task import LoopingCall

from crawler.downloader.retry import RetryScheduler
from crawler.items import CheckItem
from linkkeeper import json_lines
from linkkeeper.errors import RedisUnavailable
from linkkeeper.runs.frontier import LOST, Frontier
from linkkeeper.urls import host_key

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.25


class FrontierQueue(Base):
    """scrapy-redis's queue interface over the frontier: `pop` gives a target of a host this worker holds.

    Its `server` is the run's `Frontier`, its `key` the run's id. Targets are never pushed from here: the
    coordinator feeds them, and what they lead to stays in the worker's own queue.
    """

    def __init__(self, server: Frontier, spider: Spider, key: str, serializer=json_lines):
        super().__init__(server, spider, key, serializer)
        self.worker: str = spider.worker
        settings = spider.crawler.settings
        # No more of a host's targets than it may have in flight: one more would wait in the host's downloader
        # slot, holding one of the crawl's CONCURRENT_REQUESTS places that another host could use.
        self.per_host = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.most_hosts = max(1, settings.getint("CONCURRENT_REQUESTS") // self.per_host)
        self.held: dict[str, int] = {}  # host -> its targets taken and not yet reported
        self.drained: set[str] = set()  # held hosts whose queue was found empty

    def __len__(self) -> int:
        return sum(self.held.values())

    def pop(self, timeout: int = 0) -> Request | None:
        for host in list(self.held):
            if host not in self.drained and self.held[host] < self.per_host and (request := self._take(host)):
                return request
        # A drained host only waits for its last answers: it leaves room for another.
        while len(self.held) - len(self.drained) < self.most_hosts and (host := self._claim()):
            self.held[host] = 0
            if request := self._take(host):
                return request
        return None

    def _claim(self) -> str | None:
        return self.server.claim(self.key, self.worker)

    def done(self, host: str) -> None:
        """A target of `host` was reported: once none is left in flight, the host may be given back."""
        if host in self.held:
            self.held[host] -= 1
            if not self.held[host]:
                self.drained.discard(host)

    def _take(self, host: str) -> Request | None:
        target = self.server.take(self.key, self.worker, host)
        if target == LOST:
            self.held.pop(host)
            self.drained.discard(host)
            return None
        if target is None:
            if self.held[host]:
                self.drained.add(host)
            elif self.server.release(self.key, self.worker, host):
                self.held.pop(host)
            return None
        self.held[host] += 1
        return self.spider.request_for(target)


class FrontierScheduler(RetryScheduler):
    """crawler.downloader.retry's scheduler for what a target leads to, scrapy-redis's for the targets themselves."""

    def open(self, spider: Spider):
        opened = super().open(spider)
        self.run = spider.frontier_job["run"]
        self.lease = float(spider.frontier_job["lease"])
        self.frontier = Frontier(spider.frontier_job["redis"])
        # Without Scrapy's stats: scrapy-redis 0.9.1 counts with the `spider` argument Scrapy 2.19 deprecates.
        self.shared = RedisScheduler(
            server=self.frontier,
            persist=True,  # the frontier is the coordinator's: a worker that ends must leave it to the others
            queue_key=self.run,
            queue_cls=f"{FrontierQueue.__module__}.{FrontierQueue.__qualname__}",
            dupefilter=BaseDupeFilter(),
            serializer=json_lines,
        )
        self.shared.open(spider)
        self.running = True
        self.failed = False
        self.renewed = 0.0
        self.crawler.signals.connect(self._scraped, signal=signals.item_scraped)
        self.timer = LoopingCall(self._tick)
        self.crawler.signals.connect(self._started, signal=signals.spider_opened)
        return opened

    def _started(self) -> None:
        """Once the engine is whole: its scraper opens after the scheduler."""
        self.timer.start(TICK_SECONDS)

    def close(self, reason: str):
        if self.timer.running:
            self.timer.stop()
        with suppress(RedisUnavailable):  # its lease then lapses: the hosts it held go to others a little later
            self.frontier.leave(self.run, self.crawler.spider.worker)
        self.shared.close(reason)
        self.frontier.close()
        return super().close(reason)

    def _idle(self) -> None:
        """Nothing left here but retries that wait, if any: for this worker the run's tail has begun, as for a
        local crawl once every other link is checked. While the run goes on, the frontier may yet have work
        for it (the hosts of a worker that died), so it does not close; unless links it took can no longer
        be reported, which would keep the coordinator waiting: it then fails, and leaves them to others."""
        if not self.running:
            return super()._idle()
        with suppress(DontCloseSpider):
            super()._idle()
        lost = len(self.shared.queue)
        if lost and not self.waiting and not self.has_pending_requests():  # no trace left: a callback failed on them
            logger.error("the crawler ended without a result for %d links", lost)
            raise CloseSpider(f"the crawler ended without a result for {lost} links")
        raise DontCloseSpider

    def next_request(self) -> Request | None:
        return super().next_request() or self._guarded(self.shared.next_request)

    def _scraped(self, item: object) -> None:
        if isinstance(item, CheckItem):
            record = {"type": type(item).__name__, **vars(item)}
            self._guarded(self.frontier.report, self.run, record)
            self.shared.queue.done(host_key(item.url))

    def _tick(self) -> None:
        now = time.monotonic()
        if now - self.renewed >= self.lease / 4:
            self._guarded(self.frontier.alive, self.run, self.crawler.spider.worker, self.lease)
            self.renewed = now
        self.running = self._guarded(self.frontier.current_run) == self.run
        engine = self.crawler.engine
        if not self.running:
            if self.timer.running and engine.spider_is_idle():
                self.timer.stop()
                deferred_from_coro(engine.close_spider_async(reason="finished"))
        elif not engine.needs_backout() and (request := self._guarded(self.shared.next_request)):
            engine.crawl(request)

    def _guarded(self, call, *arguments):
        """A Redis that fails ends this worker's crawl, with the one line that says why."""
        if self.failed:
            return None
        try:
            return call(*arguments)
        except RedisUnavailable as error:
            logger.error("%s", error)
            self.failed = True
            self.running = False
            if self.timer.running:
                self.timer.stop()
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=str(error)))
            return None

