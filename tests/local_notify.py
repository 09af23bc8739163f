"""Notification targets on loopback: a JSON webhook (Apprise's `json://`) that keeps what it is posted, a real SMTP
server (aiosmtpd) that keeps the mail it is sent, and a port that accepts connections and never answers."""

from __future__ import annotations

import email
import json
import socket
import threading
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class Webhook:
    """A JSON webhook: each POST kept as (path, the JSON posted); answers `status` (200, or an error to refuse)."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hook.posts.append((self.path, json.loads(self.rfile.read(length) or b"{}")))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook", secret: str = "") -> str:
        """The Apprise URL of this webhook; `secret` as the password Apprise sends in Basic auth."""
        login = f"linkkeeper:{secret}@" if secret else ""
        return f"json://{login}127.0.0.1:{self.server.server_address[1]}{path}"

    @property
    def messages(self) -> list[dict]:
        return [posted for _, posted in self.posts]

    def __enter__(self) -> Webhook:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class Mailbox:
    """A real SMTP server on loopback; `mail` holds each message received, parsed (its subject decoded)."""

    def __init__(self) -> None:
        self.mail: list[EmailMessage] = []
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:
                box.mail.append(email.message_from_bytes(envelope.content, policy=default))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=_free_port())

    @property
    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.controller.port}?from=linkkeeper@example.org&to=team@example.org&mode=insecure"
        )

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()


class Silent:
    """A port that accepts connections (the kernel's backlog) and never answers: a target that hangs."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.socket.getsockname()[1]}/hook"

    def __enter__(self) -> Silent:
        return self

    def __exit__(self, *exc_info) -> None:
        self.socket.close()


def _free_port() -> int:
    """aiosmtpd's controller checks its server by connecting to the port it was given: it needs a real one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
