"""What a person reads about a failed download: the error class (`crawler/failures.py` names it from
Scrapy's and Twisted's exceptions) in plain words, with only what the error's own text adds."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_TIMEOUT = re.compile(r"took longer than ([0-9.]+) seconds")
_SAID_BY_THE_CLASS = re.compile(
    r"^(Connection was refused by other side.*|refused|User timeout caused connection failure\.?"
    r"|TCP connection timed out.*|max redirections reached.*|DNS lookup failed.*)$",
    re.IGNORECASE,
)
_CLOSED = {
    "Connection was closed cleanly.": "the server closed the connection without answering",
    "Connection to the other side was lost in a non-clean fashion.": "the connection broke off before the answer ended",
}
_LABELS = {
    "refused": "connection refused",
    "timeout": "timed out",
    "tls": "TLS handshake failed",
    "connection": "connection failed",
    "too-many-redirects": "too many redirects",
    "unsupported-scheme": "redirected to an unsupported scheme",
}


def failure_words(error_class: str, error: str | None, url: str) -> str:
    """What a person reads about a failed download, said once: Twisted's and Scrapy's texts repeat the
    class in other words ("connection refused: Connection was refused by other side: 111: Connection
    refused."), so only what they add is kept: the host name that was not found, the seconds waited, the
    reason a TLS handshake failed. The full text stays in the `error` column."""
    if error_class == "dns":
        return f"host name not found: {urlsplit(url).hostname or url}"
    waited = _TIMEOUT.search(error or "")
    if error_class == "timeout" and waited:
        return f"no answer within {float(waited.group(1)):g} s"
    label = _LABELS.get(error_class, error_class)
    if error in _CLOSED:
        return _CLOSED[error]
    if not error or _SAID_BY_THE_CLASS.match(error):
        return label
    return f"{label}: {error}"
