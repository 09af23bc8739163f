"""A domain registry's RDAP service on loopback, answering as registries do (RFC 9082's `/domain/NAME`, RFC 9083's
JSON with its `expiration` event, statuses and registrar entity; 404 for a name it does not hold), or not at all.

It counts what it is asked and how many requests were in flight at once, so that caching and pacing are measured
where they matter: at the server. `bootstrap` writes the IANA bootstrap file (RFC 9224) that sends a run here.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass(frozen=True)
class Registration:
    expires_in_days: float
    statuses: tuple[str, ...] = ("client transfer prohibited",)
    registrar: str = "Pacific Names Registrar Ltd"

    def expires_at(self) -> datetime:
        return (datetime.now(UTC) + timedelta(days=self.expires_in_days)).replace(microsecond=0)


class LocalRdap:
    """A registry holding `registrations`; `silent`: it takes connections and never answers; `drip`: it answers
    200 and sends its body a byte every tenth of a second, never ending."""

    def __init__(self, registrations: dict[str, Registration] | None = None, silent: bool = False, drip: bool = False):
        self.registrations = dict(registrations or {})
        self.silent = silent
        self.drip = drip
        self.asked: list[tuple[str, float]] = []  # each domain asked, and when (time.monotonic())
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rdap/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LocalRdap:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    @property
    def domains_asked(self) -> list[str]:
        return [domain for domain, _ in self.asked]

    def bootstrap(self, folder: Path, suffixes: tuple[str, ...] = ("org",)) -> Path:
        """An RFC 9224 file sending `suffixes` here; every other top-level domain has no service."""
        path = folder / "dns.json"
        document = {"version": "1.0", "publication": "2026-12-01T00:00:00Z", "services": [[list(suffixes), [self.url]]]}
        path.write_text(json.dumps(document))
        return path

    def answer(self, domain: str) -> tuple[int, dict]:
        registration = self.registrations.get(domain)
        if registration is None:
            return 404, {"errorCode": 404, "title": "Not Found", "description": [f"{domain} is not registered"]}
        now = datetime.now(UTC).replace(microsecond=0)
        return 200, {
            "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_1"],
            "objectClassName": "domain",
            "handle": f"D{abs(hash(domain)) % 10**9}-LROR",
            "ldhName": domain.upper(),
            "status": list(registration.statuses),
            "events": [
                {"eventAction": "registration", "eventDate": "2019-06-01T04:00:00Z"},
                {"eventAction": "expiration", "eventDate": registration.expires_at().strftime("%Y-%m-%dT%H:%M:%SZ")},
                {"eventAction": "last update of RDAP database", "eventDate": now.strftime("%Y-%m-%dT%H:%M:%SZ")},
            ],
            "entities": [
                {
                    "objectClassName": "entity",
                    "handle": "1234",
                    "roles": ["registrar"],
                    "vcardArray": [
                        "vcard",
                        [["version", {}, "text", "4.0"], ["fn", {}, "text", registration.registrar]],
                    ],
                }
            ],
            "notices": [{"title": "Terms of Use", "description": ["Service subject to the registry's terms."]}],
        }


def _handler_for(registry: LocalRdap) -> type[BaseHTTPRequestHandler]:
    class RdapHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            domain = self.path.removeprefix("/rdap/domain/").lower()
            with registry.lock:
                registry.asked.append((domain, time.monotonic()))
                registry.in_flight += 1
                registry.max_in_flight = max(registry.max_in_flight, registry.in_flight)
            try:
                if registry.silent:
                    registry.release.wait(60)
                    return
                if registry.drip:
                    self._drip()
                    return
                status, document = registry.answer(domain)
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/rdap+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with registry.lock:
                    registry.in_flight -= 1

        def _drip(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rdap+json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            while not registry.release.wait(0.1):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except ConnectionError:  # the client gave up, as it should
                    return

        def log_message(self, format: str, *args) -> None:
            pass

    return RdapHandler
