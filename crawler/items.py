"""What the crawler reports to `check-links`, one JSON line each (see `pipelines`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CheckItem:
    """One check of one target: the columns of the `checks` table that the crawler knows."""

    target: int
    url: str
    checked_at: str
    finding: str
    outcome: str
    detail: str
    status_code: int | None = None
    final_url: str | None = None
    redirect_chain: list[dict] = field(default_factory=list)
    error_class: str | None = None
    error: str | None = None
    elapsed_ms: int | None = None
    content_type: str | None = None
    content_length: int | None = None
    truncated: bool = False
    title: str | None = None
    fingerprint: str | None = None
    tls_expires_at: str | None = None
    moved_to: str | None = None
    attempts: int = 1
    text_signature: str | None = None  # for content drift: kept on the resource, not in `checks`


@dataclass
class NetworkItem:
    """Sent once the canaries have answered (or not): `up` false means no target was checked."""

    up: bool
    canaries: list[dict] = field(default_factory=list)
