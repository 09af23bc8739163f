"""Each way a download fails gets the error class the `checks` table promises."""

from __future__ import annotations

import pytest
from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.failures import TRANSIENT, classify, describe


def wrapped(outer: Exception, inner: Exception) -> Exception:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (CannotResolveHostError("no such host"), "dns"),
        (error.DNSLookupError("no such host"), "dns"),
        (DownloadConnectionRefusedError("refused"), "refused"),
        (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
        (error.TCPTimedOutError(), "timeout"),
        (IgnoreRequest("max redirections reached"), "too-many-redirects"),
        (DownloadFailedError("connection lost"), "connection"),
        (wrapped(DownloadFailedError("handshake"), ResponseNeverReceived([Failure(SSL.Error("bad"))])), "tls"),
    ],
    ids=["dns", "dns-twisted", "refused", "timeout", "tcp-timeout", "redirects", "connection", "tls"],
)
def test_the_error_class_of_each_failure(exception, expected):
    assert classify(exception) == expected


def test_network_failures_are_transient_and_retried_but_tls_and_redirect_loops_are_not():
    assert {"dns", "refused", "timeout", "connection"} == TRANSIENT


def test_a_wrapped_failure_is_described_by_its_reasons():
    reason = Failure(SSL.Error("certificate verify failed"))
    exception = wrapped(DownloadFailedError("x"), ResponseNeverReceived([reason]))
    assert "certificate verify failed" in describe(exception)
