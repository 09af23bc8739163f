"""What a person sees of an HTML page: its title, headings, main text, and whether it asks for a password.

Parsed with Resiliparse (lexbor, a C HTML5 parser): it takes real-world broken markup in linear time,
where regular expressions over markup can take seconds on pathological input and stall the crawl.
Main-text extraction drops navigation, headers and footers, so two pages of one site compare by what
they say rather than by the template they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

MARKUP_SAMPLE = 65536
TEXT_LIMIT = 20000
_SPACE = re.compile(r"\s+")


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

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def content_text(self) -> str:
        """The main text, or the whole visible text when extraction found no main part."""
        return self.main_text if len(self.main_text.split()) >= 3 else self.text


EMPTY = Page()


def read_page(html: str) -> Page:
    tree = HTMLTree.parse(html)
    body = tree.body
    headings: tuple[str, ...] = ()
    password = False
    if body is not None:
        headings = tuple(text for element in body.query_selector_all("h1, h2")[:4] if (text := _clean(element.text)))
        password = bool(body.query_selector_all("input[type=password i]"))
    return Page(
        title=_clean(tree.title)[:500],
        headings=tuple(heading[:300] for heading in headings),
        main_text=_clean(extract_plain_text(tree, main_content=True))[:TEXT_LIMIT],
        text=_clean(extract_plain_text(tree, main_content=False, alt_texts=False))[:TEXT_LIMIT],
        password_field=password,
        markup=html[:MARKUP_SAMPLE].lower(),
    )


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()
