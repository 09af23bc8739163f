"""HTTP calls bounded in wall-clock time and in bytes, whatever the server at the other end does.

requests' `timeout` bounds each wait for the next bytes, not the call: a server trickling a byte a second,
in its headers or its body, keeps a call (and the cron run, and every later run waiting on its lock) going
forever; and an answer of a gigabyte is read into memory whole. Here each call has a deadline, enforced by a
watchdog that shuts the call's sockets down when it passes: that ends a read blocked anywhere (connecting,
in the TLS handshake, in the headers, in the body) at once. The body is read in chunks, up to a cap.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, ProxyManager
from urllib3.connection import HTTPConnection, HTTPSConnection

MAX_ANSWER_BYTES = 2 * 1024 * 1024
"""The most bytes read of any Wayback Machine answer. What the client asks for is small: a CDX answer with
`limit=-1` is one row, an availability or SPN2 answer a few hundred bytes, the anonymous save page some tens
of kB. A larger answer is malformed; reading it whole is how a 1 GB answer once took 6 GB of memory."""

CHUNK_BYTES = 64 * 1024


class CallError(Exception):
    """No complete answer: no connection, cut off at the call's deadline, or larger than the cap."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def bounded_session(user_agent: str) -> requests.Session:
    """A session whose connections a call's watchdog can cut (see `fetch`)."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def fetch(session: requests.Session, method: str, url: str, seconds: float, **kwargs: Any) -> Answer:
    """One call that ends within `seconds` of wall-clock time, having read at most MAX_ANSWER_BYTES of its body.

    `session` must come from `bounded_session`. Any failure raises `CallError` with a plain reason.
    """
    if seconds <= 0:
        raise CallError("no time left for the call")
    watch = _Watch(seconds)
    try:
        with watch:
            response = session.request(method, url, stream=True, timeout=seconds, **kwargs)
            with response:
                answer = Answer(response.status_code, response.headers, _read(response))
    except requests.RequestException as error:
        if watch.expired:
            raise CallError(f"no complete answer within {seconds:.3g} s") from None
        raise CallError(type(error).__name__) from None
    if watch.expired:  # an answer without a length ends at the cut as if complete: it is not
        raise CallError(f"no complete answer within {seconds:.3g} s")
    return answer


def _read(response: requests.Response) -> bytes:
    body = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise CallError(f"the answer is larger than {MAX_ANSWER_BYTES / 2**20:g} MB")
    return bytes(body)


_current = threading.local()  # the `_Watch` of the call this thread is making, if any


class _Watch:
    """One call's deadline: when it passes, every socket the call used is shut down."""

    def __init__(self, seconds: float):
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.finished = False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True

    def __enter__(self) -> _Watch:
        _current.watch = self
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        _current.watch = None
        with self.lock:
            self.finished = True

    def add(self, sock: socket.socket) -> None:
        with self.lock:
            if sock not in self.sockets:
                self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _cut(self) -> None:
        with self.lock:
            if self.finished:
                return
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed, or detached by the TLS layer that wraps it
        sock.shutdown(socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.add(sock)


class _Watched:
    """Hands the call's watch every socket: a new one as soon as it is connected (so connecting and the TLS
    handshake can be cut), and the one a request is sent on (the TLS socket, or a kept-alive connection)."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        _watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if isinstance(manager, ProxyManager):  # SOCKS proxies keep their own pools
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager
