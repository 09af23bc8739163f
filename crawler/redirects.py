"""Follow redirects on the web only: a redirect to `file:`, `ftp:`, `data:`, `javascript:` or any other scheme
fails the check as `unsupported-scheme`, naming the target, and is never opened.

Scrapy's RedirectMiddleware hands such a 3xx on as the response itself (so the check read as an HTTP error,
"301 Moved Permanently"), or fails with "Missing scheme" for a target without `//` (`javascript:alert(1)`).
Every redirect it follows is built by `_build_redirect_request`, so the target is refused there.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares import redirect
from scrapy.exceptions import UnsupportedURLSchemeError
from scrapy.http import Response

from linkkeeper.quote import shown

WEB_SCHEMES = ("http:", "https:")


class WebOnlyRedirectMiddleware(redirect.RedirectMiddleware):
    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str, **kwargs: Any):
        if not url.lower().startswith(WEB_SCHEMES):
            raise UnsupportedURLSchemeError(shown(url, 100))
        return super()._build_redirect_request(source_request, response, url=url, **kwargs)
