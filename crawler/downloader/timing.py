"""How long a check's answer took: the downloads themselves, never the wait for a free slot.

With a per-host limit a request can wait in its host's queue for seconds before it is sent, and a
retry waits out its back-off; stamping the time when the request was made counted both, so a 100 ms
page read as 900 ms and the slowest resources were those listed last. Scrapy's handlers record each
download's `download_latency` when an answer comes; a redirect adds its hops' latencies, and a failed
download counts from when it started (stamped by our handlers), or is not timed at all.
"""

from __future__ import annotations

import time

from scrapy import Request

STARTED = "lk_download_started"
EARLIER_HOPS = "lk_earlier_hops_latency"
FAILED = "lk_download_failed"


def download_started(request: Request) -> float:
    """Called by each download handler as it sends the request."""
    request.meta[STARTED] = now = time.monotonic()
    return now


def redirected(source: Request, redirect: Request) -> None:
    """The redirect's answer took the hops before it too; it has not started downloading yet."""
    redirect.meta[EARLIER_HOPS] = source.meta.get(EARLIER_HOPS, 0.0) + source.meta["download_latency"]
    redirect.meta.pop(STARTED, None)


def retried(retry: Request) -> None:
    """A new attempt of the same hop: neither the failed attempt nor the back-off count."""
    retry.meta.pop(STARTED, None)


def download_failed(request: Request) -> None:
    """A failure reported later (a retry given up when the run's retry budget is spent) is timed when it
    happened, not when it is reported."""
    request.meta[FAILED] = time.monotonic()


def answer_ms(meta: dict) -> int | None:
    latency = meta.get("download_latency")
    return None if latency is None else _ms(meta.get(EARLIER_HOPS, 0.0) + latency)


def failure_ms(meta: dict) -> int | None:
    started = meta.get(STARTED)
    if started is None:
        return None
    return _ms(meta.get(EARLIER_HOPS, 0.0) + meta.get(FAILED, time.monotonic()) - started)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
