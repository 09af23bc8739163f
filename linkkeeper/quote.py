"""What an error line may repeat of the user's input: quoted, escaped, and never longer than `LIMIT`.

A value in `resources.yml` can be megabytes long, span lines, or hold escape sequences; an error line that
repeated it whole could fill a terminal or a cron mail, or change the terminal it is printed on.
"""

from __future__ import annotations

LIMIT = 80


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
