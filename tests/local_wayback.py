"""A local Wayback Machine on 127.0.0.1 that speaks the real service's protocol (see shared/WAYBACK.md).

The archive client is tested against this rather than web.archive.org: a test arranges captures, excluded
sites, save outcomes and rate limits, then reads what the archive was asked (`requests`, `submissions()`)
and what it now holds (`captures()`). The answers copy the real shapes, including all three forms the
anonymous save answer has taken over the years, so the client is held to each of them.

URLs are kept exactly as they arrive in the request target (`/save/URL`, `/web/TS/URL`): no unquoting,
so a test sees what the client really sent.

`fault` makes it misbehave as a hostile or broken archive would, one mode at a time (`FAULTS`): an answer
trickled a byte at a time or far too large (every endpoint), or one endpoint's answer malformed in one way.
Every malformed answer that carries text carries `EVIL`, so a test can check none of it was stored.

`stall` makes every call stall, as an archive that is overloaded or half down does (`STALLS`): accepted and never
answered, answered one byte a second, or answered 429 for ever.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

TIMESTAMP = "%Y%m%d%H%M%S"
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
BEHAVIOURS = ("success", "blocked", "job-error", "never", "slow", "refuse-daily")
ANONYMOUS_STYLES = ("content-location", "link-memento", "job-html")
SLOW_SECONDS = 2.0
BLOCKED_ERROR = "AdministrativeAccessControlException: Blocked Site Error"
# How a job ends for the behaviours that end in an error (status_ext, message).
JOB_ERRORS = {
    "blocked": ("error:blocked-url", "This URL is excluded from the Wayback Machine."),
    "job-error": ("error:not-found", "The server cannot find the requested resource."),
    "refuse-daily": ("error:too-many-daily-captures", "This URL has been captured too many times today."),
}
EVIL = "lk-evil"  # in the text of malformed answers: never to be found in the database
OLD = "20190605120000"  # a real capture time, long before any resave window
TRICKLE_INTERVAL = 0.05  # seconds between two bytes of a trickled answer
HUGE_BYTES = 256 * 1024 * 1024  # the size a "huge-body" answer announces and sends until the client stops
STALLS = ("silent", "byte-a-second", "rate-limited")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_REPLAY = re.compile(r"^/web/(\d{1,14})(id_)?/(.+)$")
# What a capture holds unless a test says otherwise: a page of its own, as a reader would find it.
PAGE_BODY = (
    b"<!doctype html><html><head><title>Archived page</title></head><body><h1>Archived page</h1>"
    b"<p>The page as the archive captured it, with enough of its own words for a reader to see what it says.</p>"
    b"</body></html>"
)


@dataclass
class Request:
    method: str
    path: str  # the request target before any "?"
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]
    at: float  # time.monotonic()


@dataclass
class Capture:
    url: str
    timestamp: str
    status: int
    mimetype: str
    digest: str
    body: bytes


@dataclass
class Job:
    job_id: str
    url: str
    behaviour: str
    pending_polls: int  # taken from LocalWayback.pending_polls when the job starts
    timestamp: str | None = None  # set once the capture exists
    polls: int = 0

    @property
    def processing(self) -> bool:
        return self.behaviour == "never" or self.polls < self.pending_polls


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    raw: Callable[[object, threading.Event], None] | None = None  # writes the whole answer itself


def _trickle(head: bytes, drip: bytes) -> Reply:
    """An answer that starts, then never ends: one more byte every TRICKLE_INTERVAL, until the stand-in stops
    or the client hangs up. Each byte resets a per-read timeout; only a deadline on the whole call ends it."""

    def write(out, stopping: threading.Event) -> None:
        out.write(head)
        out.flush()
        while not stopping.wait(TRICKLE_INTERVAL):
            out.write(drip)
            out.flush()

    return Reply(200, raw=write)


def _stalled(mode: str) -> Reply:
    if mode == "rate-limited":
        reply = _json({"message": "You have sent too many requests."}, 429)
        reply.headers["Retry-After"] = "1"
        return reply
    if mode == "silent":
        return Reply(200, raw=lambda out, stopping: stopping.wait())
    head = _JSON_HEAD + b"X-Trickle: "

    def one_byte_a_second(out, stopping: threading.Event) -> None:
        sent = 0
        while not stopping.wait(1.0):
            out.write(head[sent : sent + 1] or b"a")
            out.flush()
            sent += 1

    return Reply(200, raw=one_byte_a_second)


def _huge() -> Reply:
    """A JSON answer of HUGE_BYTES, sent a block at a time (the stand-in itself holds one block)."""
    block = b" " * (1024 * 1024)

    def write(out, stopping: threading.Event) -> None:
        out.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HUGE_BYTES}\r\n\r\n".encode())
        for _ in range(HUGE_BYTES // len(block)):
            if stopping.is_set():
                return
            out.write(block)

    return Reply(200, raw=write)


class LocalWayback:
    anonymous_style: str = "content-location"
    pending_polls: int = 1

    def __init__(self, address: str = "127.0.0.1", access: str = "test-access-key", secret: str = "test-secret-key"):
        self.access, self.secret = access, secret
        self.requests: list[Request] = []
        self.lock = threading.RLock()
        self._captures: list[Capture] = []
        self._blocked: list[str] = []
        self._behaviours: dict[str, str] = {}
        self._jobs: dict[str, Job] = {}
        self._submitted: list[str] = []
        self._rate_limited = 0
        self._retry_after: str | None = None
        self._stopping = threading.Event()  # cuts a "slow" save or a trickled answer short when the server stops
        self._fault: str | None = None
        self._stall: str | None = None
        self.server = ThreadingHTTPServer((address, 0), _handler_for(self))
        self.server.daemon_threads = True
        self.base_url = f"http://{address}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LocalWayback:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()

    # What the tests arrange.

    def add_capture(
        self,
        url: str,
        timestamp: str,
        status: int = 200,
        mimetype: str = "text/html",
        body: bytes = PAGE_BODY,
    ) -> None:
        _moment(timestamp)  # a test's typo in a timestamp fails here, not as a puzzling empty answer
        if len(timestamp) != 14:
            raise ValueError(f"a capture timestamp has 14 digits: {timestamp!r}")
        digest = base64.b32encode(hashlib.sha1(body).digest()).decode()
        with self.lock:
            self._captures.append(Capture(url, timestamp, status, mimetype, digest, body))

    def block_site(self, url_prefix: str) -> None:
        """URLs starting with the prefix (compared with and without the scheme) are excluded by the archive."""
        with self.lock:
            self._blocked.append(url_prefix)

    def set_save_behaviour(self, url: str, behaviour: str) -> None:
        """From now on, saves of `url` behave so; its jobs still in progress end that way too."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown save behaviour {behaviour!r}; one of {BEHAVIOURS}")
        with self.lock:
            self._behaviours[url] = behaviour
            for job in self._jobs.values():
                if job.url == url and job.processing:
                    job.behaviour = behaviour

    def rate_limit_next(self, count: int, retry_after: str | None = None) -> None:
        with self.lock:
            self._rate_limited, self._retry_after = count, retry_after

    def misbehave(self, fault: str | None) -> None:
        """From now on answer with `fault` (one of FAULTS) wherever it applies; None answers correctly again."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        with self.lock:
            self._fault = fault

    def stall(self, mode: str | None) -> None:
        """From now on every call stalls in `mode` (one of STALLS): "silent" reads the request and never answers,
        "byte-a-second" sends its answer's head a byte a second and never ends it, "rate-limited" answers 429 at
        once with `Retry-After: 1`. The call is counted in `requests` and does nothing else. None: answer again."""
        if mode is not None and mode not in STALLS:
            raise ValueError(f"unknown stall {mode!r}; one of {STALLS}")
        with self.lock:
            self._stall = mode

    # What the tests read.

    def submissions(self) -> list[str]:
        with self.lock:
            return list(self._submitted)

    def captures(self, url: str) -> list[Capture]:
        """Captures of `url` oldest first, matched as the CDX API matches them."""
        with self.lock:
            return sorted((c for c in self._captures if _same_url(url, c.url)), key=lambda c: c.timestamp)

    # Serving.

    def answer(self, method: str, target: str, headers: Message, body: bytes) -> Reply:
        path, _, query = target.partition("?")
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)) if method == "POST" else {}
        with self.lock:
            self.requests.append(
                Request(
                    method, path, dict(parse_qsl(query, keep_blank_values=True)), dict(headers), form, time.monotonic()
                )
            )
        with self.lock:
            stall = self._stall
        if stall:
            return _stalled(stall)
        params = parse_qs(query, keep_blank_values=True)
        fault = self._faulty(method, path, target, params, form)
        if fault:
            return fault
        if method == "POST":
            if path in ("/save", "/save/"):
                return self._save_with_keys(headers, form)
            return _html(404, "Not Found")
        if path == "/wayback/available":
            return self._available(_first(params, "url"), _first(params, "timestamp"))
        if path == "/cdx/search/cdx":
            return self._cdx(params)
        if path.startswith("/save/status/"):
            return self._status(path.removeprefix("/save/status/"))
        if target.startswith("/save/"):
            return self._save_anonymous(target.removeprefix("/save/"))
        replay = _REPLAY.match(target)
        if replay:
            return self._replay(replay.group(1), replay.group(2) or "", replay.group(3))
        return _html(404, "Not Found")

    def _available(self, url: str, timestamp: str) -> Reply:
        empty = {"url": url, "archived_snapshots": {}}
        candidates = self.captures(url) if url and not self._is_blocked(url) else []
        if not candidates:
            return _json(empty)
        try:
            target = _moment(timestamp)
            best = min(candidates, key=lambda c: (abs(_moment(c.timestamp) - target), c.timestamp))
        except ValueError:  # no timestamp, or not one: the newest
            best = candidates[-1]
        closest = {
            "status": str(best.status),
            "available": True,
            "url": f"{self.base_url}/web/{best.timestamp}/{best.url}",
            "timestamp": best.timestamp,
        }
        return _json({"url": url, "archived_snapshots": {"closest": closest}})

    def _cdx(self, params: dict[str, list[str]]) -> Reply:
        url = _first(params, "url")
        if self._is_blocked(url):
            return _blocked_site()
        fields = [name for name in _first(params, "fl").split(",") if name] or list(CDX_FIELDS)
        if any(name not in CDX_FIELDS for name in fields):
            return Reply(400, b"Unknown field in fl\n", "text/plain")
        rows = [self._cdx_row(capture) for capture in self.captures(url)]
        for spec in params.get("filter", []):
            negate = spec.startswith("!")
            name, _, pattern = spec.removeprefix("!").partition(":")
            if name not in CDX_FIELDS:
                return Reply(400, b"Unknown field in filter\n", "text/plain")
            rows = [row for row in rows if bool(re.fullmatch(pattern, row[name])) != negate]
        # The real CDX compares a from/to bound on its own length: to=2019 keeps all of 2019.
        since, until = _first(params, "from"), _first(params, "to")
        if since:
            rows = [row for row in rows if row["timestamp"][: len(since)] >= since]
        if until:
            rows = [row for row in rows if row["timestamp"][: len(until)] <= until]
        if _first(params, "collapse"):
            name, _, width = _first(params, "collapse").partition(":")
            kept: list[dict[str, str]] = []
            for row in rows:
                key = row.get(name, "")[: int(width)] if width else row.get(name, "")
                if not kept or key != kept[-1]["_collapse"]:
                    kept.append({**row, "_collapse": key})
            rows = kept
        if _first(params, "limit"):
            limit = int(_first(params, "limit"))
            rows = rows[limit:] if limit < 0 else rows[:limit]
        table = [[row[name] for name in fields] for row in rows]
        if _first(params, "output") == "json":
            return _json([fields, *table] if table else [])
        text = "".join(" ".join(line) + "\n" for line in table)
        return Reply(200, text.encode(), "text/plain")

    def _cdx_row(self, capture: Capture) -> dict[str, str]:
        return {
            "urlkey": _urlkey(capture.url),
            "timestamp": capture.timestamp,
            "original": capture.url,
            "mimetype": capture.mimetype,
            "statuscode": str(capture.status),
            "digest": capture.digest,
            "length": str(len(capture.body)),
        }

    def _save_anonymous(self, url: str) -> Reply:
        if self._take_submission(url):
            return self._too_many(_html(429, "Too Many Requests", "You have sent too many requests."))
        if not url:
            return _html(400, "Save Page Now", "No URL to save.")
        behaviour, style = self._behaviour(url), self.anonymous_style
        if style not in ANONYMOUS_STYLES:
            raise ValueError(f"unknown anonymous_style {style!r}; one of {ANONYMOUS_STYLES}")
        timestamp = self._save_now(url) if behaviour in ("success", "slow") else None
        original = (
            f'<{url}>; rel="original", '
            f'<{self.base_url}/web/timemap/link/{url}>; rel="timemap"; type="application/link-format"'
        )
        if style == "job-html":
            job = self._new_job(url, behaviour, timestamp)
            page = f'<script>spn.watchJob("{job.job_id}", "/_static/", 6000);</script>'
            return _html(
                200, "Saving page now", page, {"Link": f'{original}, <{self.base_url}/web/{url}>; rel="timegate"'}
            )
        if behaviour == "blocked":
            return _html(403, "Sorry", "This URL has been excluded from the Wayback Machine.")
        if behaviour == "job-error":
            return _html(520, "Job failed", "The capture failed.")
        if behaviour == "never":
            return _html(523, "Origin is unreachable", "The capture did not finish.")
        if behaviour == "refuse-daily":  # refused in a page: no capture address, no job
            return _html(200, "Sorry", JOB_ERRORS["refuse-daily"][1])
        if style == "content-location":
            headers = {"Content-Location": f"/web/{timestamp}/{url}"}
        else:
            when = _moment(timestamp).strftime("%a, %d %b %Y %H:%M:%S GMT")
            memento = f'<{self.base_url}/web/{timestamp}/{url}>; rel="memento"; datetime="{when}"'
            headers = {"Link": f"{original}, {memento}"}
        return _html(200, "Saved", f"Saved {url}", headers)

    def _save_with_keys(self, headers: Message, form: dict[str, str]) -> Reply:
        """SPN2: keys and JSON first, as the real service checks them before counting the capture."""
        url = form.get("url", "")
        with self.lock:
            self._submitted.append(url)
        if headers.get("Authorization") != f"LOW {self.access}:{self.secret}":
            return _json({"message": "You need to be logged in to use Save Page Now."}, 401)
        if "application/json" not in headers.get("Accept", ""):
            return _html(400, "Save Page Now", "This stand-in answers SPN2 only with Accept: application/json.")
        if self._take_rate_limit():
            return self._too_many(_json({"message": "You have sent too many requests."}, 429))
        if not url:
            return _json({"status": "error", "status_ext": "error:invalid-url-syntax", "message": "No URL."})
        behaviour = self._behaviour(url)
        if behaviour == "refuse-daily":
            status_ext, message = JOB_ERRORS["refuse-daily"]
            return _json({"status": "error", "status_ext": status_ext, "message": message})
        window = _window(form.get("if_not_archived_within", ""))
        recent = [c for c in self.captures(url) if window and _age(c.timestamp) <= window]
        if recent:
            return self._repeat(url, recent[-1], window)
        timestamp = self._save_now(url) if behaviour == "slow" else None
        return _json({"url": url, "job_id": self._new_job(url, behaviour, timestamp).job_id})

    def _repeat(self, url: str, capture: Capture, window: datetime.timedelta) -> Reply:
        """A save inside `if_not_archived_within` returns the earlier job (or a finished one) and says why."""
        with self.lock:
            earlier = [j for j in self._jobs.values() if j.url == url and j.timestamp == capture.timestamp]
            job = earlier[-1] if earlier else self._new_job(url, "success", capture.timestamp, pending_polls=0)
        message = (
            f"The same snapshot had been made {_spoken(_age(capture.timestamp))} ago. "
            f"You can make new capture of this URL after {_spoken(window)}."
        )
        return _json({"url": url, "job_id": job.job_id, "message": message})

    def _status(self, job_id: str) -> Reply:
        with self.lock:
            if job_id == "user":
                return _json({"available": 5, "processing": sum(j.processing for j in self._jobs.values())})
            job = self._jobs.get(job_id)
            if job is None:
                return _json({"status": "error", "message": "Job not found"}, 404)
            pending = job.processing
            job.polls += 1
            if pending:
                return _json({"status": "pending", "job_id": job_id})
            if job.behaviour in JOB_ERRORS:
                status_ext, message = JOB_ERRORS[job.behaviour]
                return _json({"status": "error", "job_id": job_id, "status_ext": status_ext, "message": message})
            if job.timestamp is None:
                job.timestamp = self._record(job.url)
            return _json(
                {
                    "status": "success",
                    "job_id": job_id,
                    "timestamp": job.timestamp,
                    "original_url": job.url,
                    "duration_sec": 1.0,
                }
            )

    def _replay(self, timestamp: str, raw: str, url: str) -> Reply:
        """A capture with its own status (a capture of a 404 replays as 404); a timestamp held by no capture of
        the URL is sent on to the nearest one, as the real replay does; a URL never captured is a 404."""
        if self._is_blocked(url):
            return _blocked_site()
        captures = self.captures(url)
        if not captures:
            return _html(404, "Not Found", "The Wayback Machine has not archived that URL.")
        found = [c for c in captures if c.timestamp == timestamp]
        if not found:
            asked = _moment(timestamp)
            nearest = min(captures, key=lambda c: (abs(_moment(c.timestamp) - asked), c.timestamp))
            return Reply(302, headers={"Location": f"/web/{nearest.timestamp}{raw}/{url}"})
        when = _moment(timestamp).strftime("%a, %d %b %Y %H:%M:%S GMT")
        return Reply(found[-1].status, found[-1].body, found[-1].mimetype, {"Memento-Datetime": when})

    def _faulty(self, method: str, path: str, target: str, params: dict[str, list[str]], form: dict[str, str]):
        """The arranged fault's answer, if it applies to this endpoint (named by the fault's first word)."""
        with self.lock:
            fault = self._fault
        if fault is None:
            return None
        if method == "POST":
            endpoint, url = "submit", form.get("url", "")
        elif path == "/cdx/search/cdx":
            endpoint, url = "cdx", _first(params, "url")
        elif path == "/wayback/available":
            endpoint, url = "available", _first(params, "url")
        elif path.startswith("/save/status/"):
            with self.lock:
                job = self._jobs.get(path.removeprefix("/save/status/"))
            endpoint, url = "status", job.url if job else ""
        elif target.startswith("/save/"):
            endpoint, url = "save", target.removeprefix("/save/")
        elif _REPLAY.match(target):
            endpoint, url = "replay", _REPLAY.match(target).group(3)
        else:
            return None
        if fault in TRANSPORT_FAULTS or fault.startswith(endpoint + "-"):
            return FAULTS[fault](url, {name: values[-1] for name, values in params.items()})
        return None

    # Shared state, always under the lock.

    def _take_submission(self, url: str) -> bool:
        """Count a save call; True when it is to be answered 429."""
        with self.lock:
            self._submitted.append(url)
            return self._take_rate_limit()

    def _take_rate_limit(self) -> bool:
        with self.lock:
            if self._rate_limited <= 0:
                return False
            self._rate_limited -= 1
            return True

    def _too_many(self, reply: Reply) -> Reply:
        with self.lock:
            if self._retry_after is not None:
                reply.headers["Retry-After"] = self._retry_after
        return reply

    def _behaviour(self, url: str) -> str:
        """The arranged behaviour, else an excluded site's refusal, else success."""
        with self.lock:
            return self._behaviours.get(url) or ("blocked" if self._is_blocked(url) else "success")

    def _is_blocked(self, url: str) -> bool:
        bare = _SCHEME.sub("", url)
        with self.lock:
            return any(url.startswith(p) or bare.startswith(_SCHEME.sub("", p)) for p in self._blocked)

    def _save_now(self, url: str) -> str:
        """Record the capture, then (for "slow") keep the caller waiting: the archive has it even if they gave up."""
        timestamp = self._record(url)
        if self._behaviour(url) == "slow":
            self._stopping.wait(SLOW_SECONDS)
        return timestamp

    def _record(self, url: str) -> str:
        timestamp = datetime.datetime.now(datetime.UTC).strftime(TIMESTAMP)
        with self.lock:
            if not any(c.url == url and c.timestamp == timestamp for c in self._captures):
                self.add_capture(url, timestamp)
        return timestamp

    def _new_job(self, url: str, behaviour: str, timestamp: str | None, pending_polls: int | None = None) -> Job:
        job = Job(f"spn2-{secrets.token_hex(20)}", url, behaviour, self.pending_polls, timestamp)
        if pending_polls is not None:
            job.pending_polls = pending_polls
        with self.lock:
            self._jobs[job.job_id] = job
        return job


def _handler_for(wayback: LocalWayback) -> type[BaseHTTPRequestHandler]:
    class WaybackHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                reply = wayback.answer(method, self.path, self.headers, body)
            except Exception as error:  # a bad query or a stand-in bug shows up in the test, not as a hang
                reply = Reply(500, f"{type(error).__name__}: {error}\n".encode(), "text/plain")
            try:
                if reply.raw:
                    self.close_connection = True
                    reply.raw(self.wfile, wayback._stopping)
                    return
                self.send_response(reply.status)
                for name, value in {"Content-Type": reply.content_type, **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def log_message(self, format: str, *args) -> None:
            pass

    return WaybackHandler


def _json(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode(), "application/json")


def _html(status: int, title: str, text: str = "", headers: dict[str, str] | None = None) -> Reply:
    page = f"<!doctype html><html><head><title>{title}</title></head><body><p>{text}</p></body></html>"
    return Reply(status, page.encode(), headers=headers or {})


def _blocked_site() -> Reply:
    body = f"org.archive.wayback.exception.{BLOCKED_ERROR}\n".encode()
    return Reply(403, body, "text/plain", {"X-Archive-Wayback-Runtime-Error": BLOCKED_ERROR})


def _first(params: dict[str, list[str]], name: str) -> str:
    return params.get(name, [""])[-1]


def _same_url(query: str, original: str) -> bool:
    """The CDX API's exact match: on the SURT key, so scheme, `www.` and case aside (as `_urlkey` says)."""
    return _urlkey(query) == _urlkey(original)


def _moment(timestamp: str) -> datetime.datetime:
    """A 1 to 14 digit timestamp as a UTC time, padded as the Wayback Machine pads it (2019 is 1 January 2019)."""
    if not re.fullmatch(r"\d{1,14}", timestamp or ""):
        raise ValueError(f"not a Wayback timestamp: {timestamp!r}")
    padded = timestamp + "19700101000000"[len(timestamp) :]
    return datetime.datetime.strptime(padded, TIMESTAMP).replace(tzinfo=datetime.UTC)


def _age(timestamp: str) -> datetime.timedelta:
    return datetime.datetime.now(datetime.UTC) - _moment(timestamp)


def _window(text: str) -> datetime.timedelta | None:
    """`if_not_archived_within`: "30d", "12h", "3d 5h", "90m", or seconds; None when absent or unreadable."""
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds", "": "seconds"}
    parts = re.findall(r"(\d+)\s*([dhms]?)", text)
    if not parts or re.sub(r"[\d\sdhms]", "", text):
        return None
    return sum((datetime.timedelta(**{units[unit]: int(n)}) for n, unit in parts), datetime.timedelta())


def _spoken(span: datetime.timedelta) -> str:
    seconds = int(span.total_seconds())
    for size, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            return f"{seconds // size} {name}{'s' if seconds // size != 1 else ''}"
    return f"{seconds} seconds"


def _urlkey(url: str) -> str:
    """A simple SURT, the CDX key: host reversed without www, then the path, lower-cased."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    key = ",".join(reversed((parts.hostname or "").removeprefix("www.").split(".")))
    if parts.port not in (None, 80, 443):
        key += f":{parts.port}"
    return f"{key}){parts.path or '/'}{'?' + parts.query if parts.query else ''}".lower()


# Faults: each answers like a broken or hostile archive. The transport faults apply to every endpoint; the
# others replace one endpoint's answer (the first word of the name: cdx, available, submit, status, save).
# Each takes the URL the call is about and the query, and CDX answers are shaped for the fields linkkeeper asks.

CDX_ASKED = ["timestamp", "original", "statuscode"]
MARKUP = f'"><script>alert("{EVIL}")</script>'
TRANSPORT_FAULTS = ("trickle-headers", "trickle-body", "trickle-body-until-close", "huge-body")
_JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime(TIMESTAMP)


def _cdx_rows(*rows: object) -> Reply:
    return _json([CDX_ASKED, *rows])


def _closest(url: str, **fields: object) -> Reply:
    closest = {"status": "200", "available": True, "url": f"http://web.archive.org/web/{OLD}/{url}", "timestamp": OLD}
    return _json({"url": url, "archived_snapshots": {"closest": {**closest, **fields}}})


def _saved(location: str) -> Reply:
    return _html(200, "Saved", EVIL, {"Content-Location": location})


def _done(url: str, **fields: object) -> Reply:
    success = {"status": "success", "job_id": "spn2-" + "0" * 40, "timestamp": _now(), "original_url": url}
    return _json({**success, **fields})


FAULTS: dict[str, Callable[[str, dict[str, str]], Reply]] = {
    "trickle-headers": lambda url, q: _trickle(_JSON_HEAD + b"X-Trickle: ", b"a"),
    "trickle-body": lambda url, q: _trickle(_JSON_HEAD + b"Content-Length: 1000000\r\n\r\n[", b" "),
    "trickle-body-until-close": lambda url, q: _trickle(_JSON_HEAD + b"Connection: close\r\n\r\n[", b" "),
    "huge-body": lambda url, q: _huge(),
    "cdx-not-json": lambda url, q: _html(200, "Wayback Machine", EVIL),
    "cdx-object": lambda url, q: _json({"rows": [[OLD, url, "200"]], "note": EVIL}),
    "cdx-deep-nesting": lambda url, q: Reply(200, b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "cdx-other-header": lambda url, q: _json([["timestamp", "statuscode", "original"], [OLD, "200", url]]),
    "cdx-non-ascii-header": lambda url, q: _json([["timestamp", "\u043eriginal", "statuscode"], [OLD, url, "200"]]),
    "cdx-short-row": lambda url, q: _cdx_rows([OLD]),
    "cdx-long-row": lambda url, q: _cdx_rows([OLD, url, "200", EVIL]),
    "cdx-null-row": lambda url, q: _cdx_rows(None),
    "cdx-null-field": lambda url, q: _cdx_rows([None, url, "200"]),
    "cdx-number-fields": lambda url, q: _cdx_rows([int(OLD), url, 200]),
    "cdx-timestamp-markup": lambda url, q: _cdx_rows([OLD + MARKUP, url, "200"]),
    "cdx-timestamp-short": lambda url, q: _cdx_rows(["2019", url, "200"]),
    "cdx-timestamp-impossible": lambda url, q: _cdx_rows(["20191341256199", url, "200"]),
    "cdx-timestamp-other-digits": lambda url, q: _cdx_rows(["\u0662\u0660\u0661\u0669" + OLD[4:], url, "200"]),
    "cdx-timestamp-future": lambda url, q: _cdx_rows(["29990101000000", url, "200"]),
    "cdx-other-page": lambda url, q: _cdx_rows([OLD, f"http://{EVIL}.example/", "200"]),
    "cdx-original-markup": lambda url, q: _cdx_rows([OLD, url + MARKUP, "200"]),
    "cdx-status-not-a-code": lambda url, q: _cdx_rows([OLD, url, "2oo"]),
    "cdx-status-not-200": lambda url, q: _cdx_rows([OLD, url, "404"]),
    "cdx-outside-range": lambda url, q: _cdx_rows([OLD if q.get("from") else _now(), url, "200"]),
    "available-not-json": lambda url, q: _html(200, "Wayback Machine", EVIL),
    "available-list": lambda url, q: _json([url, EVIL]),
    "available-snapshots-list": lambda url, q: _json({"url": url, "archived_snapshots": [EVIL]}),
    "available-closest-string": lambda url, q: _json({"url": url, "archived_snapshots": {"closest": EVIL}}),
    "available-flag-string": lambda url, q: _closest(url, available="yes", timestamp=q.get("timestamp")),
    "available-status-not-a-code": lambda url, q: _closest(url, status=EVIL, timestamp=q.get("timestamp")),
    "available-timestamp-markup": lambda url, q: _closest(url, timestamp=q.get("timestamp", "") + MARKUP),
    "available-non-ascii-key": lambda url, q: _closest(url, timestamp=q.get("timestamp"), **{"st\u00e4tus": EVIL}),
    "submit-not-json": lambda url, q: _html(200, "Save Page Now", EVIL),
    "submit-list": lambda url, q: _json([url, EVIL]),
    "submit-job-id-number": lambda url, q: _json({"url": url, "job_id": 12345}),
    "submit-job-id-markup": lambda url, q: _json({"url": url, "job_id": "spn2-" + MARKUP}),
    "submit-non-ascii-key": lambda url, q: _json({"url": url, "j\u00f6b_id": "spn2-" + "0" * 40, "job_id": None}),
    "submit-error-code-not-one": lambda url, q: _json({"status": "error", "status_ext": ["error:" + EVIL]}),
    "status-not-json": lambda url, q: _html(200, "Save Page Now", EVIL),
    "status-list": lambda url, q: _json(["success", EVIL]),
    "status-unknown-state": lambda url, q: _json({"status": EVIL}),
    "status-no-state": lambda url, q: _json({"timestamp": _now(), "original_url": url}),
    "status-success-without-timestamp": lambda url, q: _done(url, timestamp=None),
    "status-success-timestamp-markup": lambda url, q: _done(url, timestamp=_now() + MARKUP),
    "status-success-old-capture": lambda url, q: _done(url, timestamp=OLD),
    "status-success-other-page": lambda url, q: _done(url, original_url=f"http://{EVIL}.example/"),
    "status-error-code-not-one": lambda url, q: _json({"status": "error", "status_ext": 42, "message": EVIL}),
    "status-non-ascii-key": lambda url, q: _done(url, **{"\u00fcnexpected": EVIL}),
    "save-location-impossible": lambda url, q: _saved(f"/web/20191341256199/{url}"),
    "save-location-old": lambda url, q: _saved(f"/web/{OLD}/{url}"),
    "save-location-markup": lambda url, q: _saved(f"/web/{_now()}{MARKUP}/{url}"),
    "save-job-markup": lambda url, q: _html(200, "Saving page now", f'<script>spn.watchJob("spn2-{MARKUP}");</script>'),
    "replay-server-error": lambda url, q: _html(502, "Bad Gateway", EVIL),
    "replay-redirect-loop": lambda url, q: Reply(302, headers={"Location": f"/web/{OLD}id_/{url}"}),
    "replay-redirect-off-archive": lambda url, q: Reply(302, headers={"Location": f"http://{EVIL}.example/"}),
    "replay-timestamp-markup": lambda url, q: Reply(302, headers={"Location": f"/web/{OLD}{MARKUP}/{url}"}),
    "replay-timestamp-impossible": lambda url, q: Reply(302, headers={"Location": f"/web/20191341256199id_/{url}"}),
}
# Not a broken answer but a capture that is not of the page: the archive replays it as another page.
ELSEWHERE_FAULT = "replay-elsewhere"
FAULTS[ELSEWHERE_FAULT] = lambda url, q: Reply(302, headers={"Location": f"/web/{OLD}id_/http://{EVIL}.example/"})
