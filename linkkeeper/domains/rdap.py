"""One RDAP look-up of a domain (RFC 9082's query, RFC 9083's answer), ended by a deadline however the server
behaves: a silent one, one that drips its answer, one that sends megabytes.

Plain HTTP from the standard library rather than a client library, because neither maintained client can be
held to a deadline over a whole look-up nor pointed at one bootstrap file without touching their internals:
whoisit keeps its bootstrap in module-wide state that must hold all five of IANA's registries (ASN, IPv4,
IPv6, object tags, DNS), refuses plain-HTTP services, bounds only each socket operation (a module-wide
`http_timeout`) and sleeps up to 10 s between its retries of a 429; whodap builds its table of services only by
fetching IANA's file (a file of ours would go through its private `_set_iana_info`), runs on `httpx2`, and
follows a chain of `related` links to further servers, each with its own timeout. What we need of RDAP is one
GET and three members of the answer: the `expiration` event, `status`, and the registrar.
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from linkkeeper.quote import clean, clip, shown
from linkkeeper.store.domains import FAILED, FOUND, NOT_FOUND

MAX_ANSWER_BYTES = 1024 * 1024
"""An RDAP answer for one domain is a few kilobytes; more than this is not one."""
MAX_REDIRECTS = 3
ACCEPT = "application/rdap+json, application/json;q=0.9"


@dataclass(frozen=True)
class Answer:
    answer: str  # store/domains.py's FOUND, NOT_FOUND or FAILED
    expires_at: str | None = None
    registrar: str | None = None
    statuses: tuple[str, ...] = ()
    error: str | None = None


class _Late(Exception):
    """The deadline passed."""


def look_up(server: str, domain: str, deadline: float, user_agent: str) -> Answer:
    """What `server` (a base URL ending in `/`) says of `domain`, by `deadline` (a `time.monotonic()` time)."""
    url = urljoin(server, f"domain/{domain}")
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location, body = _get(url, deadline, user_agent)
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return _answer(status, body)
        return Answer(FAILED, error=f"more than {MAX_REDIRECTS} redirects")
    except (_Late, TimeoutError):
        return Answer(FAILED, error="no answer in time")
    except (OSError, http.client.HTTPException) as error:
        return Answer(FAILED, error=clip(clean(str(error)) or type(error).__name__, 200))


def _get(url: str, deadline: float, user_agent: str) -> tuple[int, str | None, bytes]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise http.client.HTTPException(f"not an HTTP address: {shown(url, 100)}")
    connection = (
        http.client.HTTPSConnection(parts.netloc, timeout=_left(deadline), context=ssl.create_default_context())
        if parts.scheme == "https"
        else http.client.HTTPConnection(parts.netloc, timeout=_left(deadline))
    )
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.connect()
        sock = connection.sock  # the response reads from it after the connection lets it go (HTTP/1.0)
        sock.settimeout(_left(deadline))
        connection.request("GET", path, headers={"Accept": ACCEPT, "User-Agent": user_agent})
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        body = b""
        while response.status == 200:
            sock.settimeout(_left(deadline))
            chunk = response.read1(65536)
            if not chunk:
                break
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise http.client.HTTPException(f"an answer over {MAX_ANSWER_BYTES // 1024} KB")
        return response.status, response.getheader("Location"), body
    except TimeoutError:
        raise _Late from None
    finally:
        connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Late
    return left


def _answer(status: int, body: bytes) -> Answer:
    if status == 404:
        return Answer(NOT_FOUND)
    if status != 200:
        return Answer(FAILED, error=f"HTTP {status}")
    try:
        document = json.loads(body)
        if not isinstance(document, dict) or document.get("objectClassName") != "domain":
            return Answer(FAILED, error="not an RDAP domain object")
        return Answer(
            FOUND,
            expires_at=_expiration(document.get("events") or []),
            registrar=_registrar(document.get("entities") or []),
            statuses=tuple(sorted({clip(clean(str(status)).lower()) for status in document.get("status") or []})),
        )
    except (ValueError, TypeError, AttributeError):
        return Answer(FAILED, error="not RDAP JSON")


def _expiration(events: list) -> str | None:
    """The `expiration` event's date, in UTC to the second (a date without a zone is taken as UTC)."""
    for event in events:
        if isinstance(event, dict) and event.get("eventAction") == "expiration" and event.get("eventDate"):
            moment = datetime.fromisoformat(str(event["eventDate"]))
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
            return moment.replace(microsecond=0).isoformat()
    return None


def _registrar(entities: list) -> str | None:
    """The registrar's name (its vCard's `fn`), else its handle."""
    for entity in entities:
        if isinstance(entity, dict) and "registrar" in (entity.get("roles") or []):
            vcard = entity.get("vcardArray") or [None, []]
            names = [item[3] for item in vcard[1] if isinstance(item, list) and len(item) > 3 and item[0] == "fn"]
            name = names[0] if names and names[0] else entity.get("handle")
            return clip(clean(str(name)), 200) if name else None
    return None
