"""Scrapy's HTTP/1.1 download handler, refusing response headers that never end, and opening a connection
for a page next in line while the places are busy.

Twisted's response parser (`twisted.web._newclient.HTTPParser`, a `LineReceiver`) caps one line at 16 KiB
but neither the number of header lines nor a header folded over endless continuation lines: a server that
kept sending headers grew the crawler past 600 MB within one 25 s timeout. Browsers and curl refuse such
an answer with an error, and so does this handler, after `MAX_HEADER_BYTES` or `MAX_HEADER_LINES`: the
connection is dropped and the check fails as a transfer whose error says the headers were too large.

Scrapy has no setting for this. Its handler parses with `_LenientHTTPClientParser`, which
`_LenientHTTP11ClientProtocol` puts on each request; the classes below extend those, and
`DOWNLOAD_HANDLERS` (crawler/settings.py) names this handler for http and https.

A request to a host without an open connection waits for its connection (a look-up, TCP's and TLS's
handshakes on the web; on loopback, three turns of the reactor, each after every answer read in it): at
200 ms a page and 1,000 hosts, a new host's request reached the farm 37 ms (median) after it reached the
downloader, against 2 ms on a kept-alive connection. `open_ahead` opens it while the request still waits for
a place, into the pool the request then takes it from; a connection that fails is forgotten, and the request
opens its own, as it would have, and fails or succeeds on that one's account.
"""

from __future__ import annotations

import contextlib
import resource
import weakref
from urllib.parse import urldefrag
from urllib.request import getproxies

from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
    _ScrapyAgent,
)
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.web.client import URI, HTTPConnectionPool

from crawler.downloader import timing
from crawler.downloader.writes import write_out

# Far above real sites (nginx in front of most of them refuses more than 8 KiB), far below harm.
MAX_HEADER_BYTES = 64 * 1024
MAX_HEADER_LINES = 500


class HeadersTooLarge(Exception):
    """The status line and headers of a response went past the bound."""


class _BoundedHeadersParser(_LenientHTTPClientParser):
    """Counts every line before the body, interim 1xx answers included: they are headers without end too."""

    _header_bytes = 0
    _header_lines = 0

    def lineReceived(self, line: bytes) -> None:
        self._header_bytes += len(line) + len(self.delimiter)
        self._header_lines += 1
        if self._header_bytes > MAX_HEADER_BYTES:
            raise HeadersTooLarge(f"the server's headers were too large (over {MAX_HEADER_BYTES // 1024} KiB)")
        if self._header_lines > MAX_HEADER_LINES:
            raise HeadersTooLarge(f"the server's headers were too large (over {MAX_HEADER_LINES} lines)")
        super().lineReceived(line)

    def lineLengthExceeded(self, line: bytes) -> None:
        """Twisted drops the connection without a word; say why instead."""
        raise HeadersTooLarge(f"the server's headers were too large (a line over {self.MAX_LENGTH // 1024} KiB)")


class _BoundedHeadersProtocol(_LenientHTTP11ClientProtocol):
    def request(self, request):
        answer = super().request(request)
        # The parser holds no state of its own yet: as Scrapy does, change its class for this request.
        self._parser.__class__ = _BoundedHeadersParser
        return answer


class _BoundedHeadersFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr):
        return _BoundedHeadersProtocol(self._quiescentCallback)


class _BoundedPool(HTTPConnectionPool):
    """Scrapy's pool of kept-alive connections, holding at most `most` idle ones in all: it kept every host's
    for 240 s, one socket each, so a list of a few thousand hosts ran a crawler out of descriptors (at the
    usual limit of 1,024 a process, 970 of 3,000 live links failed with a connection error). The one idle
    longest is closed first; the pool keeps its idle connections in the order they were put back."""

    @classmethod
    def within_limits(cls, reactor, places: int) -> _BoundedPool:
        """As many idle connections as half the files the process may open allow, less two for each place (one
        in flight, one opened ahead), after the limit is raised as far as the system lets a process raise it."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or hard > soft):
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
                soft = hard
        files = 1 << 20 if soft == resource.RLIM_INFINITY else soft
        return cls(reactor, max(places, files // 2 - 2 * places))

    def __init__(self, reactor, most: int):
        super().__init__(reactor, persistent=True)
        self.most = most
        self.keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _putConnection(self, key, connection) -> None:
        super()._putConnection(key, connection)
        self.keys[connection] = key
        while len(self._timeouts) > self.most:
            longest = next(iter(self._timeouts))
            self._timeouts[longest].cancel()
            self._removeConnection(self.keys[longest], longest)


class BoundedHeadersDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        from twisted.internet import reactor  # the crawl's reactor: importing it earlier would install another

        self._reactor = reactor
        per_host = self._pool.maxPersistentPerHost
        self._pool = _BoundedPool.within_limits(reactor, crawler.settings.getint("CONCURRENT_REQUESTS"))
        self._pool.maxPersistentPerHost = per_host
        self._pool._factory = _BoundedHeadersFactory
        self._connect_timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        self._proxied = set(getproxies())  # schemes HttpProxyMiddleware sends through a proxy
        self._opening: dict[tuple, Deferred] = {}
        crawler.signals.connect(self._stop_opening, signal=signals.spider_closed)

    def open_ahead(self, request: Request) -> None:
        """A connection for `request` into the pool, unless one is there or on its way. Not through a proxy:
        the request would not use it."""
        if urlparse_cached(request).scheme in self._proxied:
            return
        agent = _ScrapyAgent(
            contextFactory=self._contextFactory, bindAddress=self._bind_address, pool=self._pool,
            crawler=self._crawler,
        )._get_agent(request, self._connect_timeout)
        try:
            uri = URI.fromBytes(urldefrag(request.url)[0].encode("ascii"))
            endpoint = agent._getEndpoint(uri)
        except ValueError:  # a host the request will fail on with its own error (an invalid IDNA name)
            return
        key = (uri.scheme, uri.host, uri.port, agent._endpointFactory._bindAddress)  # as the agent keys it
        if key in self._opening or self._pool._connections.get(key):
            return
        opening = self._pool.getConnection(key, endpoint)
        self._opening[key] = opening
        opening.addBoth(self._opened, key)

    def _opened(self, connection, key: tuple) -> None:
        del self._opening[key]
        if isinstance(connection, _LenientHTTP11ClientProtocol):
            self._pool._putConnection(key, connection)

    def _stop_opening(self) -> None:
        for opening in list(self._opening.values()):
            opening.cancel()

    async def close(self) -> None:
        """The idle connections are left to the reactor, which drops them all as it stops, before the crawler exits:
        Scrapy closed each and waited for it, 20 ms after 1,000 hosts on loopback, and up to a second (its timeout)
        when a TLS server does not answer the close."""

    async def download_request(self, request: Request) -> Response:
        """Stamped as it is sent, so a download that fails is timed from here (crawler/downloader/timing.py),
        and written to its connection at once (crawler/downloader/writes.py)."""
        timing.download_started(request)
        answer = Deferred.fromCoroutine(super().download_request(request))
        write_out(self._reactor)
        return await answer
