"""Text a server sent, made safe to show a person: one line, bounded, no control characters.

Titles and page words end up in terminals, cron mail and reports; an escape sequence in a title must
not clear a screen or retitle a window.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def clean(text: str) -> str:
    """One line without control characters or bidirectional overrides."""
    return " ".join(_CONTROL.sub(" ", text).split())


def quoted(text: str | None, limit: int = 80) -> str:
    """A piece of server text, cleaned, shortened and quoted, for a reason a person reads."""
    if not text:
        return "none"
    text = clean(text)
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"
