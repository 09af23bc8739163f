"""Turn a Scrapy response or failure into a `Fetch`: the plain facts the verdict is made from."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.failures import classify, describe
from crawler.mailto import MAIL_SERVERS_HEADER
from crawler.verdict import Fetch, Hop

TEXT_SAMPLE = 65536
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_HEADING = re.compile(rb"<h1[^>]*>(.*?)</h1", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def headers_of(response: Response) -> dict[str, str]:
    """Header names in lower case, each with its first value."""
    return {
        name.decode("latin-1").lower(): values[0].decode("latin-1")
        for name, values in response.headers.items()
        if values
    }


def body_text(response: Response) -> str:
    """The start of the body in lower case, for the verdict's patterns."""
    encoding = response.encoding if isinstance(response, TextResponse) else "latin-1"
    return response.body[:TEXT_SAMPLE].decode(encoding, errors="replace").lower()


def fetch_from_response(response: Response, url: str) -> Fetch:
    headers = headers_of(response)
    if url.startswith("mailto:"):
        servers = headers.get(MAIL_SERVERS_HEADER.lower(), "")
        return Fetch(url=url, final_url=url, mail_servers=tuple(servers.split(", ")))
    encoding = response.encoding if isinstance(response, TextResponse) else "latin-1"
    return Fetch(
        url=url,
        status=response.status,
        final_url=response.url,
        chain=chain(response.meta),
        headers=headers,
        title=_element_text(_TITLE, response.body, encoding),
        heading=_element_text(_HEADING, response.body, encoding),
        text=body_text(response),
        cert_expires=certificate_expiry(response),
    )


def fetch_from_failure(failure: Failure, url: str) -> Fetch:
    request = failure.request
    return Fetch(
        url=url,
        final_url=request.url,
        chain=chain(request.meta),
        error_class=classify(failure.value),
        error=describe(failure.value),
    )


def chain(meta: dict) -> tuple[Hop, ...]:
    """The redirects followed, each with its status (or `meta refresh`), before the final URL."""
    return tuple(
        Hop(url, reason)
        for url, reason in zip(meta.get("redirect_urls", ()), meta.get("redirect_reasons", ()), strict=False)
    )


def certificate_expiry(response: Response) -> datetime | None:
    certificate = getattr(response, "certificate", None)
    if certificate is None:
        return None
    return certificate.original.to_cryptography().not_valid_after_utc.astimezone(UTC)


def fingerprint(body: bytes) -> str:
    """Identifies the content read, so an unchanged page is recognised across runs."""
    return hashlib.sha256(body).hexdigest()


def _element_text(pattern: re.Pattern, body: bytes, encoding: str) -> str:
    match = pattern.search(body[:TEXT_SAMPLE])
    if not match:
        return ""
    text = match.group(1).decode(encoding, errors="replace")
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()[:500]
