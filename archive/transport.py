"""HTTP calls bounded in wall-clock time and in bytes, whatever the server at the other end does.

requests' `timeout` bounds each wait for the next bytes, not the call: a server trickling a byte a second,
in its headers or its body, keeps a call (and the cron run, and every later run waiting on its lock) going
forever; and an answer of a gigabyte is read into memory whole. Here each call has a deadline, enforced by a
watchdog that shuts the call's sockets down when it passes: that ends a read blocked anywhere (connecting,
in the TLS handshake, in the headers, in the body) at once. The body is read in chunks, up to a cap.

Finding the server's address comes before there is a socket to shut down, and the system resolver takes as
long as it likes (one that drops packets: 5 s per attempt per name server, more with its options). So the
name is looked up in a thread the call waits for only until its deadline, then the call connects to an
address found; TLS still checks the certificate against the name.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, ProxyManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError
from urllib3.util.connection import allowed_gai_family

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


def fetch(
    session: requests.Session, method: str, url: str, seconds: float, *, start_only: bool = False, **kwargs: Any
) -> Answer:
    """One call that ends within `seconds` of wall-clock time, having read at most MAX_ANSWER_BYTES of its body.

    `session` must come from `bounded_session`. Any failure raises `CallError` with a plain reason. An API's
    answer larger than the cap makes no sense and fails; an archived page (`start_only`) may be that long, and
    is judged by its start, as the crawler judges a live page.
    """
    if seconds <= 0:
        raise CallError("no time left for the call")
    watch = _Watch(seconds)
    try:
        with watch:
            response = session.request(method, url, stream=True, timeout=seconds, **kwargs)
            with response:
                answer = Answer(response.status_code, response.headers, _read(response, start_only))
    except requests.RequestException as error:
        if watch.expired:
            raise CallError(f"no complete answer within {seconds:.3g} s") from None
        raise CallError(type(error).__name__) from None
    if watch.expired:  # an answer without a length ends at the cut as if complete: it is not
        raise CallError(f"no complete answer within {seconds:.3g} s")
    return answer


def _read(response: requests.Response, start_only: bool) -> bytes:
    body = bytearray()
    for chunk in response.iter_content(CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES and start_only:
            return bytes(body[:MAX_ANSWER_BYTES])
        if len(body) > MAX_ANSWER_BYTES:
            raise CallError(f"the answer is larger than {MAX_ANSWER_BYTES / 2**20:g} MB")
    return bytes(body)


_current = threading.local()  # the `_Watch` of the call this thread is making, if any


class _Watch:
    """One call's deadline: when it passes, every socket the call used is shut down."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.finished = False
        self.timer = threading.Timer(seconds, self.cut)
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

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def cut(self) -> None:
        with self.lock:
            if self.finished:
                return
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed, or detached by the TLS layer that wraps it
        sock.shutdown(socket.SHUT_RDWR)


def _resolve(host: str, port: int, watch: _Watch) -> list[str]:
    """The addresses of `host`, in the resolver's order (the order to dial them in), found within the call's time.

    getaddrinfo cannot be interrupted, so it runs in a thread of its own: at the deadline the call gives up
    on it (a cut, like any other), and the thread, a daemon that holds no process open, ends whenever the
    resolver does.
    """
    answer: list[Any] = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, allowed_gai_family(), socket.SOCK_STREAM))
        except Exception as error:
            answer.append(error)

    thread = threading.Thread(target=look_up, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(watch.left())
    if not answer:
        watch.cut()
        raise socket.gaierror(socket.EAI_AGAIN, "no answer from the resolver before the call's deadline")
    if isinstance(answer[0], Exception):
        raise answer[0]
    return list(dict.fromkeys(sockaddr[0] for *_, sockaddr in answer[0]))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _watch(sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.add(sock)


class _Watched:
    """Hands the call's watch every socket: a new one as soon as it is connected (so connecting and the TLS
    handshake can be cut), and the one a request is sent on (the TLS socket, or a kept-alive connection).

    A new connection to a name (the server's, or the proxy's) dials the addresses `_resolve` found within the
    call's time: urllib3 dials `_dns_host`, which is swapped for each address only while dialling, so TLS
    (SNI, the certificate check), the Host header and a proxy tunnel all still see the name.
    """

    sock: socket.socket | None
    _dns_host: str
    host: str
    port: int

    def _new_conn(self) -> socket.socket:
        sock = self._dial()
        _watch(sock)
        return sock

    def _dial(self) -> socket.socket:
        """Each address is dialled with at most the call's time left: a host that drops packets must not hold a
        connect past the deadline, which the watch cannot cut while there is no connected socket yet."""
        watch = getattr(_current, "watch", None)
        if watch is None:
            return super()._new_conn()  # type: ignore[misc]
        name, timeout = self._dns_host, self.timeout
        try:
            addresses = [name] if _is_address(name) else _resolve(name, self.port, watch)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error  # type: ignore[arg-type]
        failures: list[ConnectTimeoutError] = []
        try:
            for address in addresses:
                self._dns_host = address
                self.timeout = min(timeout, watch.left()) if isinstance(timeout, int | float) else watch.left()
                try:
                    return super()._new_conn()  # type: ignore[misc]
                except ConnectTimeoutError as error:  # NewConnectionError too: on to the next address, as urllib3
                    failures.append(error)
                    if watch.expired or watch.left() <= 0:
                        break
        finally:
            self._dns_host, self.timeout = name, timeout
        raise failures[-1]

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
