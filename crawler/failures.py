"""Name the class of a failed download (dns, refused, timeout, tls, ...), as the `checks` table stores it.

Twisted reports the same cause through several exception types (a TLS handshake failure arrives
wrapped in `ResponseNeverReceived`), so the wrapped reasons are looked into as well.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from linkkeeper.quote import clean, clip

TRANSIENT = frozenset({"dns", "refused", "timeout", "connection"})

_BY_TYPE: tuple[tuple[tuple[type, ...], str], ...] = (
    ((net.DNSLookupError, CannotResolveHostError), "dns"),
    ((net.ConnectionRefusedError, DownloadConnectionRefusedError), "refused"),
    ((net.TimeoutError, net.TCPTimedOutError, DownloadTimeoutError), "timeout"),
    ((NotSupported, UnsupportedURLSchemeError), "unsupported-scheme"),
    (
        (
            net.ConnectionLost,
            net.ConnectionDone,
            net.ConnectError,
            ResponseFailed,
            DownloadFailedError,
            DownloadCancelledError,
            ResponseDataLossError,
        ),
        "connection",
    ),
)


def classify(exception: BaseException) -> str:
    """The error class of an exception raised while downloading."""
    if isinstance(exception, IgnoreRequest) and "redirect" in str(exception):
        return "too-many-redirects"
    if _is_tls(exception):
        return "tls"
    for types, name in _BY_TYPE:
        if isinstance(exception, types):
            return name
    return "connection"


def describe(exception: BaseException) -> str:
    """One line for people: the wrapped reasons rather than Twisted's list of Failure reprs, without the control
    characters that a server's bytes quoted in an error message may carry."""
    reasons = getattr(exception, "reasons", None) or getattr(exception.__cause__, "reasons", None)
    if reasons:
        return "; ".join(describe(reason.value) for reason in reasons)
    return clip(clean(str(exception)) or type(exception).__name__, 300)


def _is_tls(exception: BaseException | None) -> bool:
    """Scrapy wraps Twisted's errors (`__cause__`), which wrap the TLS library's (`reasons`)."""
    if exception is None:
        return False
    if type(exception).__module__.startswith(("OpenSSL", "ssl")):
        return True
    if isinstance(exception, (ResponseNeverReceived, ResponseFailed)):
        reasons = [reason.value for reason in exception.reasons if isinstance(reason, Failure)]
        return any(_is_tls(reason) for reason in reasons)
    return _is_tls(exception.__cause__)


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
