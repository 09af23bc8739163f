"""Follow redirects on the web only: a redirect to `file:`, `ftp:`, `data:`, `javascript:` or any other scheme
fails the check as `unsupported-scheme`, naming the target, and is never opened.

Scrapy's RedirectMiddleware hands such a 3xx on as the response itself (so the check read as an HTTP error,
"301 Moved Permanently"), or fails with "Missing scheme" for a target without `//` (`javascript:alert(1)`).
Every redirect it follows is built by `_build_redirect_request`, so the target is refused there.

A meta refresh is another matter: browsers do not follow one to `javascript:` or `mailto:`, and the page
that carries it is what a reader sees. Scrapy builds the refresh's request before looking at its target,
so such a page failed as "Missing scheme"; here it is judged as the page it is. So is a page that
refreshes, a second time, to a page already visited: a challenge that waits for a script to set its
cookie, which Scrapy followed round until it gave up as "too many redirects", a failure. It is followed
once (a cookie set with it may be all the page wanted), then judged as the interstitial it is.

A target with a user name or password (`http://user:pass@host/`), which Twisted refused as "invalid
hostname" (naming the password in the check's reason), is followed without them, as the address of the
page it is: the user name and password are neither sent, nor stored, nor shown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.downloadermiddlewares import redirect
from scrapy.exceptions import UnsupportedURLSchemeError
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh

from crawler.downloader import timing
from crawler.rules.fetched import WEB_SCHEMES
from crawler.rules.probes import PROBE
from linkkeeper.quote import shown


class _NoReferer:
    """The checker sends no Referer, so a redirect has none to carry on. Scrapy's redirect middlewares look
    for its RefererMiddleware when the engine starts and, without it (the crawler runs no spider middleware:
    crawler/settings.py), warn in every log shown by `check-links -v` that they drop the header."""

    def _engine_started(self) -> None:
        pass


class _TimedHops:
    """Each hop followed carries the time the earlier hops took (crawler/downloader/timing.py)."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        timing.redirected(request, redirected)
        return redirected


def without_userinfo(url: str) -> str:
    """`url` without the user name and password of its authority (`http://user:pass@host/` is `http://host/`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class _WithoutUserinfo:
    """Every hop Scrapy builds (a redirect, a meta refresh) goes to its target's address without userinfo."""

    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str, **kwargs: Any):
        return super()._build_redirect_request(source_request, response, url=without_userinfo(url), **kwargs)


class _TargetsOwnSlot:
    """A hop waits for its target host's download slot. Scrapy builds it as a copy of the request it follows,
    the `download_slot` the downloader wrote into its meta included: a redirect to another host was held only
    to the first host's limit, and a host that many links redirect to saw more requests at once than its own."""

    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str, **kwargs: Any):
        hop = super()._build_redirect_request(source_request, response, url=url, **kwargs)
        hop.meta.pop(Downloader.DOWNLOAD_SLOT, None)  # the downloader names it again, from the hop's own host
        return hop


class WebOnlyRedirectMiddleware(_NoReferer, _TimedHops, _TargetsOwnSlot, _WithoutUserinfo, redirect.RedirectMiddleware):
    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str, **kwargs: Any):
        if not url.lower().startswith(WEB_SCHEMES):
            raise UnsupportedURLSchemeError(shown(without_userinfo(url), 100))
        return super()._build_redirect_request(source_request, response, url=url, **kwargs)


REFRESH_BYTES = 4 * 4096
"""Scrapy looks for a meta refresh in a page's first 4,096 characters: at most this many bytes in UTF-8."""


def _may_refresh(response: HtmlResponse) -> bool:
    """Whether the start of the page can hold a meta refresh Scrapy follows: its search (decoding the page, taking
    out its scripts, then a regular expression for `refresh`) cost a third of a millisecond a page, and most pages
    have none. An ASCII-compatible encoding writes `refresh` as ASCII; in another (UTF-16, its ASCII letters with
    NUL bytes) Scrapy searches as before."""
    start = response.body[:REFRESH_BYTES]
    return b"refresh" in start.lower() or b"\0" in start


def _probe_to_itself(request: Request, url: str) -> bool:
    """A probe is one request a host: one that refreshes to itself is not asked again."""
    return url == request.url and PROBE in request.meta


class WebOnlyMetaRefreshMiddleware(
    _NoReferer, _TimedHops, _TargetsOwnSlot, _WithoutUserinfo, redirect.MetaRefreshMiddleware
):
    def process_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):
        if isinstance(response, HtmlResponse):
            if not _may_refresh(response):
                return response
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            url = url and without_userinfo(url)
            visited = request.meta.get("redirect_urls", ())
            if url and (not url.lower().startswith(WEB_SCHEMES) or url in visited or _probe_to_itself(request, url)):
                return response
        return super().process_response(request, response, *args, **kwargs)
