"""Word (DOCX) files as Word writes them, for the tests: hyperlinks in paragraphs, tables and headers (with
python-docx), a footnote (python-docx cannot make one: its own part, relationships and content type), and
each hyperlink of a part read back as Word follows it."""

from __future__ import annotations

import io
import re
import zipfile

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from lxml import etree

# Word 2007 numbers its separators 0 and 1: the first footnote a reader sees has id 2.
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {nsdecls("w", "r")}
><w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote
><w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote
><w:footnote w:id="2"><w:p><w:r><w:t xml:space="preserve">Source: </w:t></w:r><w:hyperlink r:id="rId1" w:history="1"
><w:r><w:t>{{text}}</w:t></w:r></w:hyperlink></w:p></w:footnote></w:footnotes>"""


def hyperlink(paragraph, url: str | None, text: str, anchor: str | None = None) -> None:
    """A hyperlink at the end of `paragraph`: to an external `url` (a relationship of the paragraph's part), or
    to a bookmark `anchor` of the document."""
    link = OxmlElement("w:hyperlink")
    if url is not None:
        link.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    run, words = OxmlElement("w:r"), OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def footnote(document, paragraph, url: str, text: str) -> None:
    """A footnote (the document's only one) whose text links `text` to `url`, referenced at the end of `paragraph`."""
    part = FOOTNOTES.replace("{text}", text).encode()
    notes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, part, document.part.package)
    assert notes.relate_to(url, RT.HYPERLINK, is_external=True) == "rId1"
    document.part.relate_to(notes, RT.FOOTNOTES)
    run, reference = OxmlElement("w:r"), OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "2")
    run.append(reference)
    paragraph._p.append(run)


def hyperlinks(data: bytes, part: str = "word/document.xml") -> list[tuple[str, str | None, str | None]]:
    """Each hyperlink of a part, as Word follows it: its words, its address (or `#anchor`), its tooltip."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read(part))
        rels_name = re.sub(r"([^/]+)$", r"_rels/\1.rels", part)
        rels = etree.fromstring(package.read(rels_name)) if rels_name in package.namelist() else []
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    found = []
    for link in root.iter(qn("w:hyperlink")):
        rid, anchor = link.get(qn("r:id")), link.get(qn("w:anchor"))
        address = targets[rid] + (f"#{anchor}" if anchor else "") if rid else f"#{anchor}"
        found.append(("".join(link.itertext(qn("w:t"))), address, link.get(qn("w:tooltip"))))
    return found
