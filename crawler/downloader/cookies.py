"""Cookies kept for the run as a browser keeps them, without a word to anyone but the links.

Scrapy's CookiesMiddleware asks tldextract whether a cookie's domain is a public suffix (a cookie for all
of `co.uk` is refused), and tldextract first downloads the Public Suffix List from the internet, with no
timeout, unless a cached copy exists: on a fresh machine, inside the crawl. A checker must contact only
its links. The list bundled with tldextract answers that question as well, so the middleware is given an
extractor that only reads it and writes no cache. Scrapy 2.19 keeps its extractor in a module global
(`scrapy.downloadermiddlewares.cookies._split_domain`) and has no setting for it.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import cookies
from tldextract import TLDExtract

BUNDLED_SUFFIXES = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


class OfflineCookiesMiddleware(cookies.CookiesMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineCookiesMiddleware:
        if not isinstance(getattr(cookies, "_split_domain", None), TLDExtract):
            raise RuntimeError("Scrapy's CookiesMiddleware no longer reads tldextract from _split_domain")
        cookies._split_domain = BUNDLED_SUFFIXES
        return super().from_crawler(crawler)
