"""Name the class of a failed download (dns, refused, timeout, tls, ...), as the `checks` table stores it.

Twisted reports the same cause through several exception types (a TLS handshake failure arrives
wrapped in `ResponseNeverReceived`), so the wrapped reasons are looked into as well.
"""

from __future__ import annotations

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
