"""Retry transient failures with exponential backoff, honouring `Retry-After`.

Scrapy's own RetryMiddleware retries at once, which is what an overloaded or rate-limiting server
least wants. Here a retry is scheduled for later: the request waits in `process_request` without
holding a connection, and other hosts' requests go on meanwhile. The retry itself is made by Scrapy's
`get_retry_request`, so its count (`retry_times`, stored as the check's `attempts`) and its stats
(`retry/count`, `retry/reason_count/...`, `retry/max_reached`) are Scrapy's own.
"""

from __future__ import annotations

import logging
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

from crawler import timing
from crawler.failures import TRANSIENT, classify
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
        self.crawler = crawler

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
            return self._retry(request, exception, None)
        return None

    def _retry(self, request: Request, reason: str | Exception, wait: float | None) -> Request | None:
        """A request to send again after the back-off (or the server's `Retry-After`), or None: no retries left.

        Its priority stays (Scrapy's default lowers it): it has waited out its back-off already, and should not
        then wait behind every page still queued."""
        if request.meta.get("dont_retry"):
            return None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=self.retries,
            priority_adjust=0,
            logger=logger,
            give_up_log_level=logging.DEBUG,
        )
        if retry is None:
            return None
        delay = wait if wait is not None else self.backoff * 2 ** (retry.meta["retry_times"] - 1)
        logger.debug("Retry of %s due in %.1f s", request.url, delay)
        retry.meta["lk_retry_due"] = time.monotonic() + delay
        timing.retried(retry)
        return retry


def attempts(meta: dict) -> int:
    """How many times the check's request was sent: once, and once more for each retry."""
    return meta.get("retry_times", 0) + 1


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await deferLater(reactor, seconds)
