"""Links of an HTML report as a reader sees them: each with its text, the heading it stands under, and
its address made absolute against the page (or its `<base>`).

Markdown, text, PDF and Word reports are read through here too, once turned into HTML, so that every
format follows the same rules for titles, sections, lost links and what is left out.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from linkkeeper.importer.bare import is_address, printed_addresses, title_around
from linkkeeper.importer.found import Extraction

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = {"p", "li", "td", "th", "dd", "dt", "div", "blockquote", "pre", "caption", "figcaption", "body", *HEADINGS}
LISTED_SCHEMES = ("http", "https", "mailto")
_ASSETS = {"img": ("src", "images"), "script": ("src", "scripts"), "source": ("src", "images")}
LOST_TARGET = re.compile(r"^\s*(#?|javascript:.*)\s*$", re.IGNORECASE | re.DOTALL)
# A short line standing alone in a text report reads as a heading: a few words, or a label ending in a colon.
_LOOSE_HEADING = re.compile(r"^[^\n.!?]{1,80}:$|^(?:[^\s.!?:]+ ){0,5}[^\s.!?:]+$")


def extract_html(
    markup: str | bytes, page_url: str | None = None, everything: bool = False, loose_headings: bool = False
) -> Extraction:
    """`page_url` is where the page was fetched (None for a file: its relative links then lead nowhere a
    reader could follow); `everything` keeps images, stylesheets, scripts and same-page anchors."""
    found = Extraction()
    try:
        root = lxml.html.document_fromstring(markup)
    except etree.ParserError:  # nothing but white space or comments: a page with no links
        return found
    base = root.find(".//base[@href]")
    base_url = urljoin(page_url or "", base.get("href").strip()) if base is not None else page_url
    _Walk(found, page_url, base_url, everything, loose_headings).element(root)
    return found


class _Walk:
    def __init__(self, found: Extraction, page_url: str | None, base_url: str | None, everything: bool, loose: bool):
        self.found, self.page_url, self.base_url = found, page_url, base_url
        self.everything, self.loose = everything, loose
        self.section = ""
        self.block = ""

    def element(self, node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        outer_block = self.block
        if tag in HEADINGS or (self.loose and tag == "p" and self._loose_heading(node)):
            self.section = _text(node).rstrip(":").strip()
        if tag in BLOCKS:
            self.block = node.text_content()
        if tag == "a":
            self.anchor(node)
        elif tag in ("ul", "ol"):
            self.items(node)
        elif tag in _ASSETS or (tag == "link" and "stylesheet" in (node.get("rel") or "").lower()):
            self.asset(node, tag)
        elif tag and tag not in ("script", "style", "title", "template"):
            self.text(node.text)
            for child in node:
                self.element(child)
                self.text(child.tail)
        self.block = outer_block

    def items(self, node: etree._Element) -> None:
        """In a list whose items mostly carry links, an item without one names a resource whose link was lost."""
        unlinked, linked = [], 0
        for child in node:
            before = len(self.found.links) + len(self.found.lost) + sum(self.found.skipped.values())
            self.element(child)
            self.text(child.tail)
            if len(self.found.links) + len(self.found.lost) + sum(self.found.skipped.values()) > before:
                linked += 1
            elif child.tag == "li" and _text(child):
                unlinked.append((_text(child), self.section))
        if linked and linked >= len(unlinked):
            for text, section in unlinked:
                self.found.add_lost(text, section, "")

    def _loose_heading(self, node: etree._Element) -> bool:
        text = node.text_content().strip()
        return node.find(".//a") is None and "\n" not in text and bool(_LOOSE_HEADING.match(" ".join(text.split())))

    def anchor(self, node: etree._Element) -> None:
        href, text = node.get("href"), _text(node)
        if href is None:
            if text and node.get("name") is None and node.get("id") is None:
                self.found.add_lost(text, self.section, "")
            return
        if LOST_TARGET.match(href):
            if text:
                self.found.add_lost(text, self.section, href.strip())
            else:
                self.found.skipped["empty links"] += 1
            return
        url = self.absolute(href)
        if url is None:
            return
        if self.same_page(href, url) and not (self.everything and self.base_url):
            self.found.skipped["same-page anchors"] += 1
            return
        printed = href.strip()
        title = title_around(self.block, text) if is_address(text) else text
        self.found.add_link(url, title or node.get("title") or "", self.section, text if is_address(text) else printed)

    def asset(self, node: etree._Element, tag: str) -> None:
        attribute, label = _ASSETS.get(tag, ("href", "stylesheets"))
        source = node.get(attribute)
        if not source:
            return
        if not self.everything:
            self.found.skipped[label] += 1
            return
        url = self.absolute(source)
        if url:
            self.found.add_link(url, node.get("alt") or node.get("title") or "", self.section, source.strip())

    def text(self, text: str | None) -> None:
        if not text:
            return
        for printed in printed_addresses(text):
            self.found.add_link(printed.url, title_around(self.block, printed.text), self.section, printed.text)

    def absolute(self, href: str) -> str | None:
        """The address a reader's browser would open, or None (counted) when it cannot be listed."""
        href = href.strip()
        scheme = urlsplit(href).scheme.lower()
        if not scheme and not self.base_url and not href.startswith("#"):
            self.found.skipped["relative links with no page address"] += 1
            return None
        url = urljoin(self.base_url or "", href) if not scheme else href
        if urlsplit(url).scheme.lower() not in LISTED_SCHEMES and not href.startswith("#"):
            self.found.skipped["other schemes"] += 1
            return None
        return url

    def same_page(self, href: str, url: str) -> bool:
        target, fragment = urldefrag(url)
        here = urldefrag(self.page_url)[0] if self.page_url else None
        return href.strip().startswith("#") or bool(fragment and target == here)


def _text(node: etree._Element) -> str:
    return " ".join(node.text_content().split())
