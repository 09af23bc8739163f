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
leaves the downloader, and the engine sends them all in its next turn. A place is free as soon as its answer
leaves: Scrapy counts the request in the downloader until its answer has been through the middlewares, after
the signal, and the place of the last answer of a burst waited for the next answer to be refilled. The
scheduler never holds more than the free places, nor the feeder more held targets, so a long list is still
read from the job as it goes. A target held while its host has nothing in flight has its connection opened
as it waits (`BoundedHeadersDownloadHandler.open_ahead`), so that its request leaves on an open one.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

FED = "lk_fed"  # on a target fed to the engine, until it reaches the downloader: its host's key


def start_request(request: Request) -> Request:
    """`request`, marked as a start request."""
    request.meta.setdefault("is_start_request", True)
    return request


class Feeder:
    """Targets fed to the engine while the downloader has free places (CONCURRENT_REQUESTS in all) and their
    host has room (CONCURRENT_REQUESTS_PER_DOMAIN).

    A target whose host is at its limit is held back, up to as many as there are places, and fed as soon as
    its host has room: in the downloader it would wait in its host's queue, holding one of the places while
    only the limit's worth of its host's requests can be in flight, and ahead of the soft-404 probe of its
    host that the pages already answered wait for.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.places = crawler.settings.getint("CONCURRENT_REQUESTS")
        self.per_host = crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.queued: Counter[str] = Counter()  # fed, not yet in the downloader, by host (none kept at 0)
        self.fed = 0  # the sum of `queued`, which a Counter recounts on each `total()`
        self.held: dict[str, deque[Request]] = {}  # by host, in the order the list gave them
        self.holding = 0
        self.leaving: set[Request] = set()  # answered, still counted in the downloader until it lets them go
        self.room: Deferred[None] | None = None  # fired when a request leaves the downloader, while the feed waits
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._left, signal=signals.request_left_downloader)

    async def feed(self, requests: Iterable[Request]) -> None:
        for request in requests:
            host = self._host(request)
            waiting = self.held.setdefault(host, deque())
            waiting.append(request)
            self.holding += 1
            self._release()
            if waiting and waiting[-1] is request:
                self._open_ahead_soon(host, request)
            await self._release_while(lambda: self.holding >= self.places)
        await self._release_while(lambda: self.holding > 0)

    def _open_ahead_soon(self, host: str, request: Request) -> None:
        """Once the answers read in this turn of the reactor are through, and the requests sent in their places
        written (two turns on: Scrapy's `_process_pending_io` reasons so): opening a connection costs a fifth
        of a millisecond, and an answer read after it waits that much longer for its place to be refilled."""
        from twisted.internet import reactor  # the crawl's reactor: importing it earlier would install another

        reactor.callLater(0, reactor.callLater, 0, self._open_ahead, host, request)

    def _open_ahead(self, host: str, request: Request) -> None:
        """A held target's connection, opened while it waits for a place, if it still does and its host has
        nothing in flight (crawler/downloader/http_client.py): a request in flight leaves its connection to
        the next."""
        if request not in self.held.get(host, ()):
            return
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is None or not (slot.active or slot.queue):
            handler = self.crawler.engine.downloader.handlers._get_handler(urlparse_cached(request).scheme)
            if hasattr(handler, "open_ahead"):
                handler.open_ahead(request)

    async def _release_while(self, waiting: Callable[[], bool]) -> None:
        while waiting():
            self.room = Deferred()
            await maybe_deferred_to_future(self.room)
            self._release()

    def _release(self) -> None:
        """Held targets to the engine, host by host in the order they came, while places are free."""
        free = self._free_places()
        for host in list(self.held):
            if not free:
                return
            waiting = self.held[host]
            while waiting and free and self._host_room(host):
                request = waiting.popleft()
                self.holding -= 1
                request.meta[FED] = host
                self.queued[host] += 1
                self.fed += 1
                free -= 1
                self.crawler.engine.crawl(start_request(request))
            if not waiting:
                del self.held[host]

    def _free_places(self) -> int:
        active = self.crawler.engine.downloader.active
        self.leaving &= active
        return max(0, self.places - (len(active) - len(self.leaving) + self.fed))

    def _host_room(self, host: str) -> bool:
        slot = self.crawler.engine.downloader.slots.get(host)
        if slot is None:
            return self.queued[host] < self.per_host
        return len(slot.transferring) + len(slot.queue) + self.queued[host] < slot.concurrency

    def _host(self, request: Request) -> str:
        return self.crawler.engine.downloader.get_slot_key(request)

    def _reached(self, request: Request) -> None:
        self.settled(request.meta)

    def settled(self, meta: dict) -> None:
        """A fed request is in the downloader, or answered without reaching it (a downloader middleware that
        answered or failed it first): its place in the count is free, and the feed goes on."""
        host = meta.pop(FED, None)
        if host is not None:
            self.queued[host] -= 1
            if not self.queued[host]:
                del self.queued[host]
            self.fed -= 1
            self._wake()

    def _left(self, request: Request) -> None:
        """Receivers stay connected: Scrapy's `wait_for` connected and disconnected one for each answer. The
        downloader still counts the request as active until its answer has been through the middlewares."""
        self.leaving.add(request)
        self._wake()

    def _wake(self) -> None:
        room, self.room = self.room, None
        if room is not None:
            room.callback(None)
