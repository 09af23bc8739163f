"""Word (DOCX) reports: paragraphs and tables in document order, headings by their style, hyperlinks
with their text, rebuilt as HTML for `import_html` so that Word follows the same rules as every format.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from lxml.html import builder as E
from lxml.html import tostring

from linkkeeper.errors import InputError
from linkkeeper.importer.found import Extraction
from linkkeeper.importer.html import extract_html


def extract_docx(data: bytes, where: str, everything: bool = False) -> Extraction:
    document = read_docx(data, where)
    blocks: list = []
    for item in document.iter_inner_content():
        for block in _blocks(item):
            if block.tag == "ul" and blocks and blocks[-1].tag == "ul":
                blocks[-1].extend(block)  # consecutive list paragraphs are one list
            else:
                blocks.append(block)
    return extract_html(tostring(E.HTML(E.BODY(*blocks))), everything=everything)


def read_docx(data: bytes, where: str) -> DocxDocument:
    """The document, or one line of bad input: `import` and `repair` refuse the same files the same way."""
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(f"{where}: not a readable Word (DOCX) file ({error})") from None


def _blocks(item: Paragraph | Table) -> list:
    if isinstance(item, Table):
        return [E.P(*_inline(paragraph)) for row in item.rows for cell in row.cells for paragraph in cell.paragraphs]
    style = (item.style.name if item.style is not None else "") or ""
    if style == "Title" or style.startswith("Heading"):
        return [E.H2(item.text)]
    if style.startswith("List"):
        return [E.UL(E.LI(*_inline(item)))]
    return [E.P(*_inline(item))]


def _inline(paragraph: Paragraph) -> list:
    """Text and links in order; a hyperlink to a bookmark of the document itself is a same-page anchor."""
    parts: list = []
    for piece in paragraph.iter_inner_content():
        if isinstance(piece, Hyperlink):
            target = piece.address + (f"#{piece.fragment}" if piece.fragment else "")
            parts.append(E.A(piece.text, href=target))
        else:
            parts.append(piece.text)
    return parts
