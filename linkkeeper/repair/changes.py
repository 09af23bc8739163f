"""What a repair changed, link by link: where, the old address, the new one, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

ARCHIVED, MOVED, FILLED, LOST = "archived", "moved", "filled", "lost"


@dataclass(frozen=True)
class Fix:
    """What one listed link becomes in the report; `target` is None when it is left for a person."""

    kind: str  # ARCHIVED, MOVED, FILLED or LOST
    original: str  # the address as listed
    target: str | None
    why: str  # in a reader's words: "the page is gone (host name not found); archived copy of 1 August 2019"
    captured_at: str | None = None  # the archived copy's capture time (ISO, UTC)

    @property
    def version_date(self) -> str | None:
        """The capture's date as the copy's own address says it (UTC), for Robust Links' `data-versiondate`."""
        return self.captured_at[:10] if self.captured_at else None


@dataclass(frozen=True)
class Change:
    where: str  # "line 12", "paragraph 4", "footnote 2", "page 3"
    old: str  # the target as it was cited ("#" for a lost link)
    fix: Fix

    @property
    def new(self) -> str | None:
        return self.fix.target

    def to_json(self) -> dict[str, str | None]:
        return {
            "where": self.where, "kind": self.fix.kind, "old": self.old, "new": self.new,
            "listed_url": self.fix.original, "why": self.fix.why, "captured_at": self.fix.captured_at,
        }


@dataclass
class Repaired:
    """The repaired document's bytes (for a PDF, its errata sheet) and every change, in document order."""

    data: bytes
    changes: list[Change] = field(default_factory=list)
