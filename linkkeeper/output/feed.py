"""The feed of changes (Atom, RFC 4287): one entry per change of a link's state, newest first, so that a person can
follow the list in any feed reader. `linkkeeper report --format atom` writes it, the dashboard serves it.

Each entry's id is a UUID drawn from when the database's history began and the check's id: the same change keeps
its id from one reading of the feed to the next, wherever the database is moved. Every text is set through
ElementTree, which escapes it; a content is HTML, itself escaped. A feed can be followed by anyone the dashboard
is shown to: an entry says what changed in the reader's voice (output/reader.py; no date in it: the entry has its
own), the evidence is on the link's page and in `history`.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Sequence
from datetime import UTC
from typing import Any
from xml.etree import ElementTree

from linkkeeper import __version__
from linkkeeper.health.vocabulary import STATES
from linkkeeper.output import reader

ATOM = "atom"
NAMESPACE = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _id(began: str | None, title: str, *more: object) -> str:
    """An IRI that names the feed (or one of its entries) for good: a UUID of what it is about."""
    name = ":".join(["linkkeeper-feed", began or title, *map(str, more)])
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def atom(title: str, changes: Sequence[dict[str, Any]], began: str | None, now: str, self_url: str = "") -> str:
    """The feed of `changes` (rows of `store.changes.state_changes`, newest first)."""
    ElementTree.register_namespace("", NAMESPACE)
    feed = ElementTree.Element(f"{{{NAMESPACE}}}feed")
    _text(feed, "id", _id(began, title))
    _text(feed, "title", f"{title}: changes")
    _text(feed, "subtitle", "Each change of a link's state, newest first (linkkeeper).")
    _text(feed, "updated", changes[0]["checked_at"] if changes else (began or now))
    author = ElementTree.SubElement(feed, f"{{{NAMESPACE}}}author")
    _text(author, "name", "linkkeeper")
    generator = _text(feed, "generator", "linkkeeper")
    generator.set("version", __version__)
    if self_url:
        ElementTree.SubElement(feed, f"{{{NAMESPACE}}}link", rel="self", href=self_url, type=MEDIA_TYPE)
    for change in changes:
        feed.append(_entry(change, began, title))
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _entry(change: dict[str, Any], began: str | None, title: str) -> ElementTree.Element:
    entry = ElementTree.Element(f"{{{NAMESPACE}}}entry")
    after = STATES[change["state"]].label if change["state"] in STATES else change["state"]
    before = STATES[change["before"]].label if change["before"] in STATES else "not checked before"
    named = change["title"] or change["url"]
    _text(entry, "id", _id(began, title, "check", change["id"]))
    _text(entry, "title", f"{after}: {named} (was {before})")
    _text(entry, "updated", change["checked_at"])
    ElementTree.SubElement(entry, f"{{{NAMESPACE}}}link", rel="alternate", href=change["url"])
    copy = change["archive_url"] if change["state"] == "dead" else None
    if copy:
        ElementTree.SubElement(entry, f"{{{NAMESPACE}}}link", rel="related", href=copy, title="archived copy")
    if change["section"]:
        ElementTree.SubElement(entry, f"{{{NAMESPACE}}}category", term=change["section"])
    lines = [
        f'<p><a href="{html.escape(change["url"])}">{html.escape(named)}</a>'
        + (f" ({html.escape(change['section'])})" if change["section"] else "")
        + "</p>",
        f"<p>{html.escape(before)} → {html.escape(after)}: {html.escape(reader.sentence(change, UTC))}</p>",
    ]
    if copy:
        lines.append(f'<p>Archived copy: <a href="{html.escape(copy)}">{html.escape(copy)}</a></p>')
    content = _text(entry, "content", "\n".join(lines))
    content.set("type", "html")
    return entry


def _text(parent: ElementTree.Element, name: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    element.text = _NOT_IN_XML.sub("\ufffd", text)  # a server's words may hold what XML cannot
    return element
