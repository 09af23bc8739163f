"""Start requests marked as Scrapy's StartSpiderMiddleware marks them, without that middleware, and fed to the
engine as the downloader has room for them.

Scrapy's scheduler keeps a request whose meta has `is_start_request` in a first-in, first-out queue of its own,
so a list is checked in its order; StartSpiderMiddleware sets the key. As a spider middleware, though, it also
put every page's callback output through Scrapy's asynchronous spider-output chain, about 25 us of the crawler's
1,050 us of CPU a page checked; so the spiders set the key themselves, on what their `start()` yields.

A request `start()` yields costs the engine a turn of the reactor before it asks for the next (it waits for
its own next call), so a downloader that 30 answers had just left was refilled one request a turn, each turn
spent first on judging the answers that came in it: at 200 ms a page, 64 places held 21 to 47 requests on
average. `feed` puts as many targets into the scheduler as there are free places, at once, as each answer
leaves the downloader, and the engine sends them all in its next turn. The scheduler never holds more than
the free places, so a long list is still read from the job as it goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

FED = "lk_fed"  # on a target fed to the engine, until it reaches the downloader


def start_request(request: Request) -> Request:
    """`request`, marked as a start request."""
    request.meta.setdefault("is_start_request", True)
    return request


class Feeder:
    """Targets fed to the engine while the downloader has free places (CONCURRENT_REQUESTS in all)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.places = crawler.settings.getint("CONCURRENT_REQUESTS")
        self.queued = 0  # fed, not yet in the downloader
        self.room: Deferred[None] | None = None  # fired when a request leaves the downloader, while the feed waits
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._left, signal=signals.request_left_downloader)

    async def feed(self, requests: Iterable[Request]) -> None:
        engine = self.crawler.engine
        for request in requests:
            while len(engine.downloader.active) + self.queued >= self.places:
                self.room = Deferred()
                await maybe_deferred_to_future(self.room)
            request.meta[FED] = True
            self.queued += 1
            engine.crawl(start_request(request))

    def _reached(self, request: Request) -> None:
        self.settled(request.meta)

    def settled(self, meta: dict) -> None:
        """A fed request is in the downloader, or answered without reaching it (a downloader middleware that
        answered or failed it first): its place in the count is free, and the feed goes on."""
        if meta.pop(FED, False):
            self.queued -= 1
            self._left()

    def _left(self) -> None:
        """Receivers stay connected: Scrapy's `wait_for` connected and disconnected one for each answer."""
        room, self.room = self.room, None
        if room is not None:
            room.callback(None)
