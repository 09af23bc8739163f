"""A meta refresh is followed however the page writes it, though most pages, which have none, are not searched
for one (crawler/downloader/redirects.py `_may_refresh`)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from corpus_judging import _middlewares

PAGE = "http://127.0.0.1:8080/old"


def refreshed(markup: str, encoding: str = "utf-8") -> str | None:
    """Where the meta refresh middleware sends the page, or None when it hands the page on."""
    _, meta_refresh = _middlewares()
    request = Request(PAGE, meta={"lk_url": PAGE, "download_latency": 0.0})
    response = HtmlResponse(PAGE, body=markup.encode(encoding), encoding=encoding, request=request)
    result = meta_refresh.process_response(request, response)
    return result.url if isinstance(result, Request) else None


@pytest.mark.parametrize(
    ("tag", "encoding"),
    [
        ('<meta http-equiv="refresh" content="0; url=/new">', "utf-8"),
        ('<META HTTP-EQUIV="Refresh" CONTENT="0; URL=/new">', "utf-8"),
        ('<meta http-equiv="refresh" content="0; url=/new">', "utf-16-le"),
    ],
)
def test_a_page_that_refreshes_is_followed(tag, encoding):
    assert refreshed(f"<html><head>{tag}<title>Moved</title></head><body></body></html>", encoding) == (
        "http://127.0.0.1:8080/new"
    )


def test_a_page_without_a_refresh_is_handed_on():
    assert refreshed("<html><head><title>A page</title></head><body><p>Text &amp; more</p></body></html>") is None
