"""Read a `Retry-After` header (RFC 9110, 10.2.3): delta-seconds or an HTTP date."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait, or None when the header is absent or unreadable."""
    text = (value or "").strip()
    if text.isascii() and text.isdigit():  # str.isdigit() also takes "¹²", which float() refuses
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None
