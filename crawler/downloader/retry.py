"""Retry transient failures with exponential backoff, honouring `Retry-After`, without holding up other pages.

Scrapy's own RetryMiddleware retries at once, which is what an overloaded or rate-limiting server least
wants. Here a retry is made for later, and it waits in the scheduler (`RetryScheduler`) until it is due.
It used to wait in the downloader (`process_request`), where every request counts against
CONCURRENT_REQUESTS (`Downloader.active`): as many waiting retries as places, and every host's pages stood
still until the first was due. Once due, a retry goes through the downloader like any request, so it
keeps to its host's limit. The retry itself is made by Scrapy's `get_retry_request`, so its count
(`retry_times`, stored as the check's `attempts`) and its stats (`retry/count`,
`retry/reason_count/...`, `retry/max_reached`) are Scrapy's own.

A run's length is not set by one slow retry: once nothing but waiting retries is left, the run waits at
most LINKKEEPER_RETRY_BUDGET seconds more. A retry due later than that is not sent (sending it sooner
would not honour `Retry-After`): its check records the answer it would have replaced, with that
attempt's count and time.
"""

from __future__ import annotations

import logging
import time

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.misc import load_object

from crawler.downloader import timing
from crawler.failures import TRANSIENT, classify
from crawler.observations import headers_of, page_of
from crawler.rules.fetched import Fetch
from crawler.rules.walls import is_bot_challenge
from crawler.stopping import Stopped
from linkkeeper.health.retry_after import retry_after_seconds

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})

DUE = "lk_retry_due"  # on a retry not sent yet: when it may be (time.monotonic)
REPLACES = "lk_retry_replaces"  # on a retry not sent yet: the request whose answer it would replace
ANSWER = "lk_retry_answer"  # on that request: its answer (Response or exception), reported if the retry is not sent
BUDGET = "LINKKEEPER_RETRY_BUDGET"


class BackoffRetryMiddleware:
    def __init__(self, retries: int, backoff: float, max_retry_after: float, crawler: Crawler):
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        """Without RetryScheduler a retry would be sent as soon as it is made, whatever the server asked."""
        scheduler = load_object(crawler.settings["SCHEDULER"])
        if not issubclass(scheduler, RetryScheduler):
            raise TypeError(
                f"{cls.__name__} needs SCHEDULER = 'crawler.downloader.retry.RetryScheduler' (or a subclass of it),"
                f" which keeps each retry until it is due; SCHEDULER is {crawler.settings['SCHEDULER']!r}"
            )
        settings = crawler.settings
        return cls(
            settings.getint("LINKKEEPER_RETRIES"),
            settings.getfloat("LINKKEEPER_RETRY_BACKOFF"),
            settings.getfloat("LINKKEEPER_MAX_RETRY_AFTER"),
            crawler,
        )

    def process_request(self, request: Request) -> Response | None:
        if ANSWER in request.meta:
            return _answer_again(request)
        request.meta.pop(DUE, None)
        request.meta.pop(REPLACES, None)
        request.meta["lk_bytes"] = 0
        return None

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
        return self._retry(request, f"HTTP {response.status}", wait, response) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not isinstance(exception, Stopped) and classify(exception) in TRANSIENT:
            return self._retry(request, exception, None, exception)
        return None

    def _retry(
        self, request: Request, reason: str | Exception, wait: float | None, answer: Response | Exception
    ) -> Request | None:
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
        retry.meta[DUE] = time.monotonic() + delay
        retry.meta[REPLACES] = request
        request.meta[ANSWER] = answer
        if isinstance(answer, Exception):
            timing.download_failed(request)
        timing.retried(retry)
        return retry


class RetryScheduler(Scheduler):
    """Scrapy's scheduler, holding each retry until it is due, on a timer that wakes the engine then.

    Waiting retries are not pending requests for the engine: when nothing else is left, the engine finds the
    spider idle, and that moment starts the run's retry tail (`_idle`). New work (any request but a retry)
    ends the tail: the canaries' retries, say, must not spend the budget of the targets' retries."""

    def open(self, spider):
        self.waiting: dict[Request, CallLaterResult] = {}
        self.budget = self.crawler.settings.getfloat(BUDGET)
        self.tail_started: float | None = None
        self.crawler.signals.connect(self._idle, signal=signals.spider_idle)
        return super().open(spider)

    def close(self, reason: str):
        for call in self.waiting.values():
            call.cancel()
        self.waiting.clear()
        if self.tail_started is not None:
            tail = time.monotonic() - self.tail_started
            self.crawler.stats.set_value("linkkeeper/retry_tail_seconds", round(tail, 3))
            logger.info("Retries went on %.1f s after the rest of the run was done", tail)
        return super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        due = request.meta.get(DUE)
        if due is None:
            if ANSWER not in request.meta:
                self.tail_started = None
            return super().enqueue_request(request)
        wait = due - time.monotonic()
        if wait <= 0:
            return super().enqueue_request(request)
        if self.tail_started is not None and due > self.tail_started + self.budget:
            return super().enqueue_request(self._give_up(request))
        self.waiting[request] = call_later(wait, self._release, request)
        return True

    def _release(self, request: Request) -> None:
        """Through the engine's public door, which also wakes it: left in the queue, the retry would wait for the
        engine's heartbeat, every 5 s. The door sends Scrapy's `request_scheduled` once more for it; nothing
        this crawler runs listens to that signal (Scrapy's offsite middleware, which does, is off)."""
        del self.waiting[request]
        self.crawler.engine.crawl(request)

    def _idle(self) -> None:
        if not self.waiting:
            return
        if self.tail_started is None:
            self.tail_started = time.monotonic()
        too_late = [request for request in self.waiting if request.meta[DUE] > self.tail_started + self.budget]
        for request in too_late:
            self.waiting.pop(request).cancel()
            self.crawler.engine.crawl(self._give_up(request))
        raise DontCloseSpider

    def _give_up(self, retry: Request) -> Request:
        """The request whose answer the retry was to replace: sent again, it gives that answer at once."""
        logger.info("Not retrying %s: due %.1f s after the run's retry budget", retry.url,
                    retry.meta[DUE] - self.tail_started - self.budget)
        self.crawler.stats.inc_value("linkkeeper/retries_not_sent")
        return retry.meta[REPLACES]


def _answer_again(request: Request) -> Response:
    """The answer kept for a retry that is not sent, as if it had just come: the check records it, with the
    attempt's count and time (`dont_retry`: it was retried already, as much as the run allows)."""
    answer = request.meta.pop(ANSWER)
    request.meta["dont_retry"] = True
    if isinstance(answer, Response):
        return answer
    raise answer


def attempts(meta: dict) -> int:
    """How many times the check's request was sent: once, and once more for each retry."""
    return meta.get("retry_times", 0) + 1
