"""Start requests marked as Scrapy's StartSpiderMiddleware marks them, without that middleware.

Scrapy's scheduler keeps a request whose meta has `is_start_request` in a first-in, first-out queue of its own,
so a list is checked in its order; StartSpiderMiddleware sets the key. As a spider middleware, though, it also
put every page's callback output through Scrapy's asynchronous spider-output chain, about 25 us of the crawler's
1,050 us of CPU a page checked; so the spiders set the key themselves, on what their `start()` yields.
"""

from __future__ import annotations

from scrapy import Request


def start_request(request: Request) -> Request:
    """`request`, marked as a start request."""
    request.meta.setdefault("is_start_request", True)
    return request
