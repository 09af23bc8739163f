"""Markdown and plain-text reports, read as the HTML they render to.

Plain text goes through the Markdown reader too: reports exported as text keep Markdown's link syntax
(`[name](#)`, `<http://...>`), and text without it renders as paragraphs. Its headings are the short
lines that stand alone, since text has no other way to mark them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from linkkeeper.importer.found import Extraction
from linkkeeper.importer.html import extract_html

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


def extract_markdown(text: str, everything: bool = False) -> Extraction:
    return extract_html(_MARKDOWN.render(text), everything=everything)


def extract_text(text: str, everything: bool = False) -> Extraction:
    return extract_html(_MARKDOWN.render(text), everything=everything, loose_headings=True)
