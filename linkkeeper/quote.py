"""Text from outside shown to a person: quoted, one line, bounded, and unable to act on a terminal.

A value in `resources.yml` can be megabytes long, span lines, or hold escape sequences; so can a title or
a page a server sent. An error line or a reason that repeated it whole could fill a terminal or a cron
mail, clear a screen or retitle a window.
"""

from __future__ import annotations

import re

LIMIT = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def clip(text: str, limit: int = LIMIT) -> str:
    """`text` cut to `limit` characters, the cut marked with `...`."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quote(value: object) -> str:
    """`value` as one bounded line: text and numbers as Python writes them, containers by their kind only."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, str | bytes):
        value = value[: LIMIT + 1]
    try:
        return clip(repr(value))
    except ValueError:  # an int past the 4300 digits Python agrees to write
        return "a number too long to show"


def clean(text: str) -> str:
    """Server text on one line, without control characters or bidirectional overrides."""
    return " ".join(_CONTROL.sub(" ", text).split())


def shown(text: str | None, limit: int = LIMIT) -> str:
    """A piece of what a server sent, cleaned, cut and quoted, for a reason a person reads."""
    return f"'{clip(clean(text), limit)}'" if text else "none"
