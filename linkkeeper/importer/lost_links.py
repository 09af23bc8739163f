"""Which listed resource a person identified for a link whose target the report lost.

A person lists it with `cited_as: "#"` (or `""`) and a title that has all the words of the link's
text; `import` then counts the lost link as resolved, and `repair` fills the link in.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")


def names(text: str, title: str) -> bool:
    """Whether a listed title names the lost link with this visible text: it holds all of its words."""
    words = _words(text)
    return bool(words) and words <= _words(title)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))
