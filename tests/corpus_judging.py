"""The crawler's verdict on a corpus scenario, made in this process without a server or a crawler.

The scenario's answers go through the crawler's own redirect and meta-refresh middlewares, each final answer
becomes a `Fetch` as the spider makes it (crawler.observations), the host is probed when the spider would
probe it (crawler.rules.verdict.needs_probe, crawler.rules.soft404.probe_url), and the page is judged
(crawler.rules.verdict.judge). So every rule runs in the test's own process, where mutation testing
(bench/mutation.py) sees which test reaches it; tests/test_detection_corpus.py holds the real crawl over
loopback to the same expectations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

import crawler.settings as crawler_settings
from crawler.downloader.redirects import WebOnlyMetaRefreshMiddleware, WebOnlyRedirectMiddleware
from crawler.observations import fetch_from_response
from crawler.rules.fetched import Fetch, Verdict
from crawler.rules.probe_answers import decoded, encoded, keeps
from crawler.rules.probes import PROBE
from crawler.rules.soft404 import probe_key, probe_url
from crawler.rules.verdict import judge, needs_probe
from detection_corpus import Scenario, address, render, sent_headers
from linkkeeper.config.settings import Settings

NOW = datetime(2026, 12, 7, tzinfo=UTC)
CERT_WARNING_DAYS = Settings.from_flat({}).health.cert_warning_days


@cache
def _middlewares() -> tuple:
    """The redirect middlewares in the order a response passes them (the higher priority first)."""
    settings = {name: getattr(crawler_settings, name) for name in dir(crawler_settings) if name.isupper()}
    settings.pop("TWISTED_REACTOR")  # a crawler that never runs needs no reactor of its own
    crawler = get_crawler(settings_dict=settings)
    return WebOnlyRedirectMiddleware.from_crawler(crawler), WebOnlyMetaRefreshMiddleware.from_crawler(crawler)


def _answer(scenario: Scenario, request: Request) -> Response:
    parts = urlsplit(request.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    declared = scenario.answer(path)
    headers: dict[str, str] = {}
    for name, value in sent_headers(declared):  # the first of a repeated header, as the crawler's rules read it
        headers.setdefault(name, value)
    body = render(declared, path)
    kind = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return kind(url=request.url, status=declared.status, headers=headers, body=body, request=request)


def _fetched(scenario: Scenario, request: Request) -> Fetch:
    """Follow the scenario's redirects as the crawler does, to the answer the spider would be handed."""
    while True:
        request.meta["download_latency"] = 0.0
        result: Request | Response = _answer(scenario, request)
        for middleware in _middlewares():
            result = middleware.process_response(request, result)
            if isinstance(result, Request):
                break
        if isinstance(result, Response):
            return fetch_from_response(result, request.meta["lk_url"])
        request = result


def judged(scenario: Scenario, index: int, served_at: str | None = None, stored: bool = False) -> Verdict:
    """The verdict on the scenario listed at `index` of the corpus (which gives its host's address); `stored`: with
    the probe's answer as a later run reads it from the database (crawler.rules.probe_answers)."""
    url = f"http://{address(index)}:8080{scenario.url}"
    fetch = _fetched(scenario, Request(url, meta={"lk_url": url}))
    probe = None
    if needs_probe(fetch, served_at):
        near = probe_url(fetch.landed)
        probe = _fetched(scenario, Request(near, meta={"lk_url": near, PROBE: probe_key(fetch.landed)}))
        if stored and keeps(probe):
            probe = decoded(encoded(probe))
    return judge(fetch, NOW, CERT_WARNING_DAYS, probe, served_at)
