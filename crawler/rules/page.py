"""What a person sees of an HTML page: its title, headings, main text, and whether it asks for a password.

Parsed with Resiliparse (lexbor, a C HTML5 parser): it takes real-world broken markup in linear time,
where regular expressions over markup can take seconds on pathological input and stall the crawl. The
crawl waits while a page is read, so the rest is bounded too: the markup parsed, the depth main-text
extraction accepts, the headings turned into Python objects.
Main-text extraction drops navigation, headers and footers, so two pages of one site compare by what
they say rather than by the template they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import DOMNode, HTMLTree

from linkkeeper.quote import clean

MARKUP_SAMPLE = 65536
TEXT_LIMIT = 20000
# Characters of markup parsed at most, whatever `max_body_bytes`: reading 32 MB took 4.7 s.
MARKUP_LIMIT = 1024 * 1024
MANY_HEADINGS = 100
MAX_DEPTH = 128
_DEEPER = " > ".join(["*"] * (MAX_DEPTH + 1))  # an element below MAX_DEPTH ancestors
# The parser never makes up a heading or a form field, and a tag's name is never written with character
# references: markup without these tags has none of them, and the selectors (each costs more than parsing
# a short page) need not look.
_HEADING_TAG = re.compile(r"<h[12]", re.I)
_INPUT_TAG = re.compile(r"<input", re.I)


@dataclass(frozen=True)
class Page:
    title: str = ""
    headings: tuple[str, ...] = ()
    main_text: str = ""
    text: str = ""
    password_field: bool = False
    markup: str = ""  # the start of the markup in lower case, for the markers of known systems

    @property
    def heading(self) -> str:
        return self.headings[0] if self.headings else ""

    @cached_property
    def word_count(self) -> int:
        """Asked by every rule of a verdict, a dozen times a page: counted once."""
        return len(self.text.split())

    @property
    def content_text(self) -> str:
        """The main text, or the whole visible text when extraction found no main part."""
        return self.main_text if len(self.main_text.split()) >= 3 else self.text


EMPTY = Page()


def read_page(html: str) -> Page:
    markup = html[:MARKUP_LIMIT]
    tree = HTMLTree.parse(markup)
    body = tree.body
    headings: tuple[str, ...] = ()
    password = False
    if body is not None:
        if _HEADING_TAG.search(markup):
            headings = tuple(text for element in _first_headings(body) if (text := clean(element.text)))
        password = _INPUT_TAG.search(markup) is not None and body.query_selector("input[type=password i]") is not None
    return Page(
        title=clean(tree.title or "")[:500],
        headings=tuple(heading[:300] for heading in headings),
        main_text=clean(extract_plain_text(tree, main_content=True))[:TEXT_LIMIT] if _shallow(tree) else "",
        text=clean(extract_plain_text(tree, main_content=False, alt_texts=False))[:TEXT_LIMIT],
        password_field=password,
        markup=html[:MARKUP_SAMPLE].lower(),
    )


def _first_headings(body: DOMNode) -> list[DOMNode]:
    """Up to four h1 and h2, in order; only the first when there are hundreds, for the list of elements
    costs a Python object for each (175,000 of them took 2.6 s)."""
    found = body.query_selector_all("h1, h2")
    return list(found[:4]) if len(found) <= MANY_HEADINGS else [body.query_selector("h1, h2")]


def _shallow(tree: HTMLTree) -> bool:
    """Main-text extraction takes time in proportion to the depth of every element: 100,000 nested `div`
    took 170 s. No real page nests that deep; a page that does is read by its whole text instead."""
    return tree.document.query_selector(_DEEPER) is None
