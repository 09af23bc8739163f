"""Turn a Scrapy response or failure into a `Fetch`: the plain facts the verdict is made from."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes
from twisted.python.failure import Failure

from crawler.downloader import timing
from crawler.downloader.mailto import MAIL_SERVERS_HEADER
from crawler.failures import classify, describe
from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import EMPTY, Page, read_page
from linkkeeper.quote import clean


def headers_of(response: Response) -> dict[str, str]:
    """Header names in lower case, each with its first value, cleaned of control characters: every rule and
    reason reads them from here, and some are stored (`content_type`)."""
    return {
        clean(name.decode("latin-1")).lower(): clean(values[0].decode("latin-1"))
        for name, values in response.headers.items()
        if values
    }


def page_of(response: Response) -> Page:
    """The page a person would see; nothing for a PDF, an image or other non-text content."""
    if not isinstance(response, TextResponse) or not response.body:
        return EMPTY
    return read_page(response.text)


def fetch_from_response(response: Response, url: str) -> Fetch:
    headers = headers_of(response)
    elapsed_ms = timing.answer_ms(response.meta)
    if url.startswith("mailto:"):
        servers = headers.get(MAIL_SERVERS_HEADER.lower(), "")
        return Fetch(url=url, final_url=url, mail_servers=tuple(servers.split(", ")), elapsed_ms=elapsed_ms)
    return Fetch(
        url=url,
        status=response.status,
        final_url=response.url,
        chain=chain(response.meta),
        headers=headers,
        page=page_of(response),
        cert_expires=certificate_expiry(response),
        cert_valid_from=certificate_start(response),
        elapsed_ms=elapsed_ms,
    )


def fetch_of_copy(url: str, status: int, headers: dict[str, str], body: bytes) -> Fetch:
    """An archived copy of `url` as the crawler would have read the page that day: decoded and parsed as a
    Scrapy response of its kind, so its words are counted exactly as a live page's are."""
    kind = responsetypes.from_args(headers=headers, url=url, body=body)
    response = kind(url=url, status=status, headers=headers, body=body)
    return Fetch(url=url, status=status, final_url=url, headers=headers_of(response), page=page_of(response))


def fetch_from_failure(failure: Failure, url: str) -> Fetch:
    request = failure.request
    return Fetch(
        url=url,
        final_url=request.url,
        chain=chain(request.meta),
        error_class=classify(failure.value),
        error=describe(failure.value),
        elapsed_ms=timing.failure_ms(request.meta),
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


def certificate_start(response: Response) -> datetime | None:
    """When the certificate became (or becomes) valid: browsers refuse one that is not valid yet."""
    certificate = getattr(response, "certificate", None)
    if certificate is None:
        return None
    return certificate.original.to_cryptography().not_valid_before_utc.astimezone(UTC)


def fingerprint(body: bytes) -> str:
    """Identifies the content read, so an unchanged page is recognised across runs."""
    return hashlib.sha256(body).hexdigest()

