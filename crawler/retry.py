"""Retry transient failures with exponential backoff, honouring `Retry-After`.

Scrapy's own RetryMiddleware retries at once, which is what an overloaded or rate-limiting server
least wants. Here a retry is scheduled for later: the request waits in `process_request` without
holding a connection, and other hosts' requests go on meanwhile.
"""

from __future__ import annotations

import logging
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.failures import TRANSIENT, classify, describe
from crawler.fetched import Fetch
from crawler.observations import headers_of, page_of
from crawler.walls import is_bot_challenge
from linkkeeper.retry_after import retry_after_seconds

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class BackoffRetryMiddleware:
    def __init__(self, retries: int, backoff: float, max_retry_after: float, crawler: Crawler):
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        settings = crawler.settings
        return cls(
            settings.getint("LINKKEEPER_RETRIES"),
            settings.getfloat("LINKKEEPER_RETRY_BACKOFF"),
            settings.getfloat("LINKKEEPER_MAX_RETRY_AFTER"),
            crawler,
        )

    async def process_request(self, request: Request) -> None:
        due = request.meta.get("lk_retry_due")
        if due and due > time.monotonic():
            await _sleep(due - time.monotonic())
        request.meta.setdefault("lk_started", time.monotonic())
        request.meta["lk_bytes"] = 0

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in RETRY_STATUSES:
            return response
        headers = headers_of(response)
        if is_bot_challenge(Fetch(request.url, response.status, headers=headers, page=page_of(response))):
            return response
        wait = retry_after_seconds(headers.get("retry-after"))
        if wait is not None and wait > self.max_retry_after:
            logger.info("Not retrying %s: Retry-After %.0f s is over the limit", request.url, wait)
            return response
        return self._retry(request, f"HTTP {response.status}", wait) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if classify(exception) in TRANSIENT:
            return self._retry(request, describe(exception), None)
        return None

    def _retry(self, request: Request, reason: str, wait: float | None) -> Request | None:
        attempt = request.meta.get("lk_attempt", 1)
        if attempt > self.retries or request.meta.get("dont_retry"):
            return None
        delay = wait if wait is not None else self.backoff * 2 ** (attempt - 1)
        logger.debug("Retrying %s in %.1f s (attempt %d): %s", request.url, delay, attempt + 1, reason)
        self.stats.inc_value("linkkeeper/retries")
        retry = request.replace(dont_filter=True)
        retry.meta["lk_attempt"] = attempt + 1
        retry.meta["lk_retry_due"] = time.monotonic() + delay
        retry.meta.pop("lk_started", None)
        return retry


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await deferLater(reactor, seconds)
