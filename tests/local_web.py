"""A local web of scenario hosts on 127.0.0.0/8: each address is a distinct host, as the crawler sees it.

Every host counts the requests it serves and how many were in flight at once, so politeness is
measured where it matters: at the server.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from checking import SHARED_PROCESSES, descendants

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    path: str
    at: float
    headers: dict[str, str]
    port: int = 0  # the client's, which names the connection the request came on


@dataclass
class Connection:
    port: int  # the client's
    at: float  # when the server accepted it
    ended: str = ""  # over TLS, once ended: "closed" (the client closed TLS first) or "dropped" (the socket just ended)


@dataclass
class Host:
    address: str  # an IPv4 address, or an IPv6 one (`::1`), served on its own family
    tls_days: float | None = None
    tls_valid_from_days: float = -30  # when the certificate becomes valid, in days from now
    routes: dict[str, Handler] = field(default_factory=dict)
    fixed: dict[str, dict] = field(default_factory=dict)  # the `respond` arguments of paths with a fixed answer
    seen: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    bytes_sent: int = 0
    intervals: list[tuple[float, float]] = field(default_factory=list)
    fallback: Handler | None = None  # answers paths missing from `routes` (default: a bare 404)
    idle_timeout: float | None = None  # a connection that sends nothing for this long is closed
    connections: list[Connection] = field(default_factory=list)

    def __post_init__(self):
        self.lock = threading.Lock()
        self.release = threading.Event()
        ipv6 = ":" in self.address
        self.server = (_Server6 if ipv6 else _Server)((self.address, 0), _handler_for(self))
        self.server.daemon_threads = True
        scheme = "http"
        if self.tls_days is not None:
            self.server.socket = _tls_context(self.address, self.tls_days, self.tls_valid_from_days).wrap_socket(
                self.server.socket, server_side=True, suppress_ragged_eofs=False  # a socket that just ends is told
            )
            scheme = "https"
        host = f"[{self.address}]" if ipv6 else self.address
        self.url = f"{scheme}://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def route(self, path: str, handler: Handler | None = None, **response) -> str:
        """Serve `path` with `handler`, or with a fixed `respond(**response)`; returns its URL."""
        self.routes[path] = handler or (lambda request: respond(request, **response))
        if handler is None:
            self.fixed[path] = response
        else:
            self.fixed.pop(path, None)
        return self.url + path

    def hits(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def respond(
    request: BaseHTTPRequestHandler,
    status: int = 200,
    body: str | bytes = "",
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> None:
    if title is not None:
        body = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    data = body.encode() if isinstance(body, str) else body
    request.send_response(status)
    merged = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    for name, value in merged.items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    request.wfile.write(data)


def redirect(status: int, location: str) -> Handler:
    return lambda request: respond(request, status, headers={"Location": location})


class _Server(ThreadingHTTPServer):
    def server_bind(self) -> None:
        """Without HTTPServer's reverse-DNS lookup of the address (`socket.getfqdn`): a resolver may take a tenth
        of a second, or a 5 s timeout, to say that 127.0.3.N has no name, for each of a hundred hosts."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address) -> None:
        """A client that hung up between requests (a crawler killed by a test) is no error of the server's."""
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError | TimeoutError):
            super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def ipv6_loopback() -> str | None:
    """Why no server can listen on ::1 here, or None when one can."""
    if not socket.has_ipv6:
        return "this Python has no IPv6"
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError as error:
        return f"::1 is not configured on this machine ({error})"
    return None


def _handler_for(host: Host) -> type[BaseHTTPRequestHandler]:
    class ScenarioHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart (Nagle and delayed ACK)
        timeout = host.idle_timeout

        def setup(self) -> None:
            self.connection_seen = Connection(self.client_address[1], time.monotonic())
            with host.lock:
                host.connections.append(self.connection_seen)
            super().setup()

        def handle(self) -> None:
            tls = isinstance(self.request, ssl.SSLSocket)
            try:
                super().handle()
            except ssl.SSLEOFError:
                self.connection_seen.ended = "dropped"
                raise
            if tls:
                self.connection_seen.ended = "closed"

        def do_GET(self) -> None:
            self.started = time.monotonic()
            self.open = True
            with host.lock:
                host.seen.append(Seen(self.path, self.started, dict(self.headers), self.client_address[1]))
                host.in_flight += 1
                host.max_in_flight = max(host.max_in_flight, host.in_flight)
            try:
                handler = host.routes.get(self.path, host.fallback)
                if handler is None:
                    respond(self, 404, title="Not Found", body="<h1>Not Found</h1>")
                else:
                    handler(self)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                self.close_connection = True
            finally:
                self._answered()

        def send_response(self, code: int, message: str | None = None) -> None:
            self._answered()
            super().send_response(code, message)

        def _answered(self) -> None:
            """The request stops counting as in flight before the first byte of its answer leaves: the client
            cannot send its next one before that. Counted after the write, a busy machine that runs the next
            request's thread first would see one more in flight than the client ever had."""
            if getattr(self, "open", False):  # not for send_error's answer to a request that never parsed
                self.open = False
                with host.lock:
                    host.in_flight -= 1
                    host.intervals.append((self.started, time.monotonic()))

        def log_message(self, format: str, *args) -> None:
            pass

    return ScenarioHandler


class LocalWeb:
    """Hosts `a`, `b`, `c` (plain HTTP) and `tls` (a certificate expiring in 10 days)."""

    def __init__(self, first: int = 2):
        addresses = [f"127.0.0.{first + offset}" for offset in range(4)]
        self.a, self.b, self.c = (Host(address) for address in addresses[:3])
        self.tls = Host(addresses[3], tls_days=10)
        self.hosts = (self.a, self.b, self.c, self.tls)

    def __enter__(self) -> LocalWeb:
        for host in self.hosts:
            host.start()
        return self

    def __exit__(self, *exc_info) -> None:
        for host in self.hosts:
            host.stop()


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """The most requests that were being served at one moment."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


def slow_page(seconds: float) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        respond(request, title="A slow page")

    return handler


def closed_port_url(address: str = "127.0.0.1") -> str:
    """A URL on which nothing listens: the port was just bound and released."""
    server = ThreadingHTTPServer((address, 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://{address}:{port}/"


def _tls_context(address: str, days: float, from_days: float = -30) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=from_days))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), False)
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory(prefix="linkkeeper-tls-") as folder:  # the context keeps what it loaded
        cert, private = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context.load_cert_chain(cert, private)
    return context


def peak_memory_of_children() -> int:
    """The highest peak resident memory, in bytes, among the processes this one started, directly or not
    (a shared browser aside).

    Read from /proc (Linux) while they run, so a test can weigh the crawler that `check-links` starts.
    """
    return max((_peak_memory(pid) for pid in descendants(exempt=SHARED_PROCESSES)), default=0)


def _peak_memory(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
    return int(kib) * 1024


class ConnectionCounter:
    """A loopback address that must never be contacted (a proxy, say): it counts the connections made to it
    and closes each at once, so a client that tries fails fast instead of waiting."""

    def __init__(self, address: str = "127.0.0.1"):
        self.socket = socket.create_server((address, 0))
        self.socket.settimeout(0.05)
        self.url = f"http://{address}:{self.socket.getsockname()[1]}"
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ConnectionCounter:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.socket.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()
