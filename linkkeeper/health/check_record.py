"""One check as the crawler reports it and the `checks` table stores it: the contract across the process boundary.

The crawler runs in its own process and sends each check as a JSON line; `check-links` stores it. Both
sides take the fields from this one definition, so a field added here reaches the table or fails
tests/test_contract.py, which holds the stored fields against the columns of a migrated database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

NOT_STORED = {"stored": False}


@dataclass
class CheckItem:
    """One check of one target. A field marked NOT_STORED travels to `check-links` but has no column."""

    target: int = field(metadata=NOT_STORED)  # the resource's id: stored as `resource_id`
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
    # For content drift, judged by check-links (linkkeeper/health/drift.py): kept on the resource
    # (`content_signature`), not with each check.
    text_signature: str | None = field(default=None, metadata=NOT_STORED)


STORED_FIELDS = tuple(f.name for f in fields(CheckItem) if f.metadata.get("stored", True))
